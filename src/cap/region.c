/*
 * region.c - memory regions: fixed-size shared memory objects (object.h).
 *
 * A region is an anonymous memfd.  Components either copy in and out of it
 * (cap_region_read / cap_region_write, pread and pwrite on the fd) or map
 * it into a window of their linear memory (rt/memwindow.c), where every
 * mapper sees the same pages.
 *
 * The size is fixed for the region's life, and sealed so: a window maps
 * the file's pages directly, and a file that shrank under a mapping would
 * make those pages SIGBUS on the next access - in guest code a spurious
 * trap, in host code (WASI writing guest memory) a crash.  F_SEAL_SEAL
 * keeps anyone holding the fd from lifting the seals again.
 *
 * Lifetime: the object (and its fd) goes with its last reference, but a
 * window does not need either: the kernel mapping holds the file itself,
 * so windows stay valid, and shared, until they are unmapped or their
 * memory is released.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cap/object.h"

static void region_destroy(CapObject *o)
{
    CapRegion *r = (CapRegion *)o;
    close(r->fd);
    free(r);
    cap_object_destroyed(CAP_KIND_REGION);
}

CapErr cap_region_new(uint64_t size, CapRegion **out)
{
    *out = NULL;
    if (size == 0 || size % CAP_REGION_ALIGN != 0 || size > CAP_REGION_MAX_SIZE)
        return CAP_EINVAL;
    /* Not xcalloc: a failed allocation is an error the guest gets back,
     * not a reason to abort the host. */
    CapRegion *r = calloc(1, sizeof *r);
    if (!r) return CAP_ENOMEM;
    r->fd = memfd_create("b8g-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (r->fd < 0) {
        free(r);
        return CAP_ENOMEM;
    }
    /* tmpfs allocates pages on first touch: an untouched region of any
     * size costs nothing but the descriptor. */
    if (ftruncate(r->fd, (off_t)size) != 0 ||
        fcntl(r->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        close(r->fd);
        free(r);
        return CAP_ENOMEM;
    }
    r->size = size;
    atomic_init(&r->base.refs, 1);
    r->base.kind = CAP_KIND_REGION;
    r->base.destroy = region_destroy;
    cap_object_created(CAP_KIND_REGION);
    *out = r;
    return CAP_OK;
}

/* [off, off + len) inside the region, written so nothing can wrap. */
static bool region_span_ok(const CapRegion *r, uint64_t off, size_t len)
{
    return off <= r->size && (uint64_t)len <= r->size - off;
}

/* A single pread/pwrite moves at most about 2 GiB, and a signal may cut it
 * short: loop until everything has moved.  0 cannot happen inside a
 * sealed file's size; it and any failure of tmpfs (ENOSPC, ENOMEM) mean
 * the host is short of memory. */
static CapErr region_copy(CapRegion *r, uint64_t off, uint8_t *in, const uint8_t *out,
                          size_t len)
{
    if (!region_span_ok(r, off, len)) return CAP_EINVAL;
    size_t done = 0;
    while (done < len) {
        ssize_t n = out ? pwrite(r->fd, out + done, len - done, (off_t)(off + done))
                        : pread(r->fd, in + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return CAP_ENOMEM;
        done += (size_t)n;
    }
    return CAP_OK;
}

CapErr cap_region_read(CapRegion *r, uint64_t off, uint8_t *buf, size_t len)
{
    return region_copy(r, off, buf, NULL, len);
}

CapErr cap_region_write(CapRegion *r, uint64_t off, const uint8_t *buf, size_t len)
{
    return region_copy(r, off, NULL, buf, len);
}
