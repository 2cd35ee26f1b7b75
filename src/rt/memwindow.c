/*
 * memwindow.c - windows: shared-memory files mapped zero-copy into the
 * accessible part of a linear memory (see memory.h).
 *
 * A window replaces a page-aligned range of the reservation with a
 * MAP_SHARED mapping of the file, read/write like the rest of the
 * accessible part, so guest loads and stores, bulk operations and host
 * code reach it exactly as they reach any other byte: nothing in the
 * interpreter knows about windows.  Unmapping puts private zero pages back,
 * so the accessible layout (read/write up to `size`, PROT_NONE beyond) is
 * the same before, during and after a window.  memory.grow only changes
 * protection beyond `size`, where no window lies.
 *
 * At most MEM_MAX_WINDOWS windows per memory (docs/abi.md gives the same
 * figure): each splits the reservation into more kernel mappings, and a
 * guest must not be able to run the process out of them
 * (vm.max_map_count).  Beyond it mapping fails with ENOMEM.
 *
 * A memory that ever had a window is never parked for reuse (memory.c):
 * reserve.c zeroes a parked reservation with MADV_DONTNEED, which on a
 * shared mapping only drops this process's view, and the next user would
 * fault the other sharers' pages back in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "rt/memory.h"

#define MEM_MAX_WINDOWS 256u

/*
 * After a MAP_FIXED mmap over [at, at + len) failed: make sure the range is
 * still mapped.  The kernel normally refuses before it touches the old
 * mapping, but older kernels unmap first and may fail afterwards, leaving
 * a hole in the reservation that any later mmap of the process could be
 * given - host memory inside the guest's address range.  mprotect fails
 * (ENOMEM) exactly when part of the range is unmapped, and is a no-op
 * otherwise (the whole range is read/write already).  A hole gets fresh
 * zero pages; if even that fails, the sandbox cannot be kept and the
 * process stops.
 */
static void mem_keep_whole(uint8_t *at, uint64_t len)
{
    if (mprotect(at, len, PROT_READ | PROT_WRITE) == 0) return;
    if (mmap(at, len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) != MAP_FAILED)
        return;
    fprintf(stderr, "b8g: cannot restore linear memory after a failed window mapping\n");
    abort();
}

int mem_map_window(Memory *m, uint64_t addr, uint64_t len, int fd)
{
    if (len == 0 || addr % WASM_PAGE != 0 || len % WASM_PAGE != 0 ||
        !mem_in_bounds(m, addr, len))
        return EINVAL;
    /* Both ranges lie inside the memory (at most 4 GiB): no sum wraps. */
    for (uint32_t i = 0; i < m->nwindows; i++) {
        const MemWindow *w = &m->windows[i];
        if (addr < w->addr + w->len && w->addr < addr + len) return EBUSY;
    }
    if (m->nwindows >= MEM_MAX_WINDOWS) return ENOMEM;
    /* The file must cover the whole window: a page past its end would
     * SIGBUS on access.  (The file must also never shrink; a region's
     * memfd is sealed against it.) */
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size < len)
        return EINVAL;
    /* Grown first, so nothing can fail once the mapping is in place. */
    m->windows = xrealloc(m->windows, (m->nwindows + 1) * sizeof *m->windows);
    /* Set before mapping: whatever happens next, this reservation is not
     * to be reused. */
    m->had_windows = true;
    uint8_t *at = m->base + addr;
    if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
        int e = errno;
        mem_keep_whole(at, len);
        /* A descriptor that cannot be mapped read/write shared (opened
         * read-only, write-sealed, not mappable) is a bad argument; the
         * rest is the host running short. */
        return e == EACCES || e == EBADF || e == ENODEV || e == EPERM || e == EINVAL
                   ? EINVAL
                   : ENOMEM;
    }
    m->windows[m->nwindows++] = (MemWindow){addr, len};
    return 0;
}

int mem_unmap_window(Memory *m, uint64_t addr, uint64_t len)
{
    uint32_t i = 0;
    while (i < m->nwindows && (m->windows[i].addr != addr || m->windows[i].len != len)) i++;
    if (i == m->nwindows) return EINVAL;
    uint8_t *at = m->base + addr;
    /* MAP_NORESERVE like the reservation around it, so the kernel may
     * merge the range back into its neighbours. */
    if (mmap(at, len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED) {
        /* Usually the shared mapping is still there: then it stays a
         * window.  Otherwise there is a hole, which mem_keep_whole fills
         * with zero pages - what unmapping was to give anyway. */
        if (mprotect(at, len, PROT_READ | PROT_WRITE) == 0) return ENOMEM;
        mem_keep_whole(at, len);
    }
    m->windows[i] = m->windows[--m->nwindows];
    if (m->nwindows == 0) {
        free(m->windows);
        m->windows = NULL;
    }
    return 0;
}

/*
 * Image pages (snapshot restore): MAP_PRIVATE, so the guest's writes stay
 * its own and unwritten pages stay shared with the file's page cache -
 * restore costs a mapping, not a copy.  The memory is then never parked:
 * MADV_DONTNEED on a private file mapping refaults the file's contents,
 * not zeroes.
 */
int mem_map_file_private(Memory *m, uint64_t addr, uint64_t len, int fd, uint64_t off)
{
    if (len == 0 || !mem_in_bounds(m, addr, len)) return EINVAL;
    uint8_t *at = m->base + addr;
    m->had_windows = true;
    if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, (off_t)off) ==
        MAP_FAILED) {
        int e = errno;
        mem_keep_whole(at, len);
        return e;
    }
    return 0;
}
