/*
 * region_test.c - memory regions (cap/region.c) and the windows that map
 * them zero-copy into linear memories (rt/memwindow.c).
 *
 * Memories are made with a small max so that the portable build
 * (BOUNDS_CHECK=1, reservations only as large as the page cap) runs the
 * same tests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "maps.h"

#include "cap/object.h"
#include "rt/memory.h"

#define PAGE ((uint64_t)WASM_PAGE)

static CapRegion *region(uint64_t size)
{
    CapRegion *r = NULL;
    assert_int_equal(cap_region_new(size, &r), CAP_OK);
    assert_non_null(r);
    return r;
}

static void memory(Memory *m, uint32_t pages, uint32_t max)
{
    b8g_error err;
    assert_int_equal(mem_init(m, pages, max, true, 0, &err), B8G_OK);
}

/* Fails unless [off, off + len) of m is all zero. */
static void assert_zero(const Memory *m, uint64_t off, uint64_t len)
{
    for (uint64_t i = off; i < off + len; i++)
        if (m->base[i] != 0)
            fail_msg("byte %llu is %u, not 0", (unsigned long long)i, m->base[i]);
}

static void assert_prot(const uint8_t *addr, const char *want)
{
    char prot[5];
    prot_at(addr, prot);
    assert_string_equal(prot, want);
}

static void test_region_copy(void **state)
{
    (void)state;
    uint64_t live = cap_objects_live(CAP_KIND_REGION);
    CapRegion *r = region(2 * PAGE);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live + 1);
    assert_int_equal(r->size, 2 * PAGE);
    assert_int_equal(r->base.kind, CAP_KIND_REGION);
    assert_int_equal(atomic_load(&r->base.refs), 1);

    uint8_t buf[300];
    memset(buf, 0xff, sizeof buf);
    assert_int_equal(cap_region_read(r, 0, buf, sizeof buf), CAP_OK);
    for (size_t i = 0; i < sizeof buf; i++) assert_int_equal(buf[i], 0);

    /* Across the page boundary and at the very end. */
    uint8_t pat[300];
    for (size_t i = 0; i < sizeof pat; i++) pat[i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(cap_region_write(r, PAGE - 100, pat, sizeof pat), CAP_OK);
    assert_int_equal(cap_region_read(r, PAGE - 100, buf, sizeof buf), CAP_OK);
    assert_memory_equal(buf, pat, sizeof pat);
    assert_int_equal(cap_region_write(r, 2 * PAGE - 4, pat, 4), CAP_OK);
    assert_int_equal(cap_region_read(r, 2 * PAGE - 4, buf, 4), CAP_OK);
    assert_memory_equal(buf, pat, 4);

    /* Nothing moves unless the whole range is inside, and no sum wraps. */
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(cap_region_write(r, 2 * PAGE - 3, buf, 4), CAP_EINVAL);
    assert_int_equal(cap_region_read(r, 2 * PAGE - 3, buf, 4), CAP_EINVAL);
    assert_int_equal(cap_region_write(r, 2 * PAGE + 1, buf, 0), CAP_EINVAL);
    assert_int_equal(cap_region_read(r, UINT64_MAX, buf, 2), CAP_EINVAL);
    assert_int_equal(cap_region_write(r, UINT64_MAX, buf, 2), CAP_EINVAL);
    assert_int_equal(cap_region_read(r, 1, buf, SIZE_MAX), CAP_EINVAL);
    assert_int_equal(cap_region_write(r, 2 * PAGE - 1, buf, SIZE_MAX), CAP_EINVAL);
    assert_int_equal(cap_region_read(r, 2 * PAGE, buf, 0), CAP_OK); /* empty, at the end */
    assert_int_equal(cap_region_read(r, 2 * PAGE - 4, buf, 4), CAP_OK);
    assert_memory_equal(buf, pat, 4);

    /* The size is sealed: neither the holder of the fd nor anyone it is
     * passed to can shrink, grow or unseal it. */
    int seals = fcntl(r->fd, F_GET_SEALS);
    assert_int_equal(seals, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    assert_int_not_equal(ftruncate(r->fd, 0), 0);
    assert_int_not_equal(ftruncate(r->fd, 4 * PAGE), 0);
    assert_int_not_equal(fcntl(r->fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
    assert_true(fcntl(r->fd, F_GETFD) & FD_CLOEXEC);

    cap_unref(&r->base);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live);
}

static void test_region_sizes(void **state)
{
    (void)state;
    uint64_t live = cap_objects_live(CAP_KIND_REGION);
    static const uint64_t bad[] = {
        0, 1, CAP_REGION_ALIGN - 1, CAP_REGION_ALIGN + 1, 3 * (uint64_t)CAP_REGION_ALIGN / 2,
        CAP_REGION_MAX_SIZE + CAP_REGION_ALIGN, CAP_REGION_MAX_SIZE * 2, UINT64_MAX,
        UINT64_MAX - CAP_REGION_ALIGN + 1, /* a multiple of the alignment */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        static CapRegion dummy;
        CapRegion *r = &dummy; /* must be cleared */
        assert_int_equal(cap_region_new(bad[i], &r), CAP_EINVAL);
        assert_null(r);
    }
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live);
    /* The largest is fine: the memfd is sparse until touched. */
    CapRegion *r = region(CAP_REGION_MAX_SIZE);
    uint8_t b = 0x42;
    assert_int_equal(cap_region_write(r, CAP_REGION_MAX_SIZE - 1, &b, 1), CAP_OK);
    b = 0;
    assert_int_equal(cap_region_read(r, CAP_REGION_MAX_SIZE - 1, &b, 1), CAP_OK);
    assert_int_equal(b, 0x42);
    assert_int_equal(cap_region_read(r, CAP_REGION_MAX_SIZE, &b, 1), CAP_EINVAL);
    cap_unref(&r->base);
    r = region(CAP_REGION_ALIGN);
    assert_int_equal(r->size, CAP_REGION_ALIGN);
    cap_unref(&r->base);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live);
}

/*
 * Two memories map one region (at different addresses) and see each
 * other's writes at once; a third memory that did not map it sees nothing
 * of them.  Copies in and out of the region meet the windows too.
 */
static void test_window_shared(void **state)
{
    (void)state;
    Memory a, b, c;
    memory(&a, 4, 8);
    memory(&b, 4, 8);
    memory(&c, 4, 8);
    CapRegion *r = region(2 * PAGE);
    assert_int_equal(mem_map_window(&a, PAGE, 2 * PAGE, r->fd), 0);
    assert_int_equal(mem_map_window(&b, 2 * PAGE, 2 * PAGE, r->fd), 0);
    assert_true(a.had_windows);
    assert_int_equal(a.nwindows, 1);
    assert_int_equal(a.windows[0].addr, PAGE);
    assert_int_equal(a.windows[0].len, 2 * PAGE);
    assert_false(c.had_windows);
    assert_prot(a.base + PAGE, "rw-s");
    assert_prot(a.base + 3 * PAGE - 1, "rw-s");
    assert_prot(a.base, "rw-p");
    assert_prot(a.base + 3 * PAGE, "rw-p");
    assert_prot(a.base + 4 * PAGE, "---p");

    /* Region offset x is a.base[PAGE + x] and b.base[2 * PAGE + x]. */
    a.base[PAGE + 10] = 0x5a;
    assert_int_equal(b.base[2 * PAGE + 10], 0x5a);
    b.base[2 * PAGE + PAGE + 77] = 0xc3; /* second page of the region */
    assert_int_equal(a.base[PAGE + PAGE + 77], 0xc3);
    memset(a.base + PAGE + 1000, 0x11, 5000);
    for (uint64_t i = 0; i < 5000; i++) assert_int_equal(b.base[2 * PAGE + 1000 + i], 0x11);

    /* Outside the windows the memories are their own. */
    a.base[0] = 1;
    b.base[0] = 2;
    assert_int_equal(a.base[0], 1);
    assert_int_equal(b.base[PAGE + 10], 0);
    assert_zero(&c, 0, c.size);

    /* By copy, both ways. */
    static const uint8_t msg[] = "written by copy";
    assert_int_equal(cap_region_write(r, PAGE + 5, msg, sizeof msg), CAP_OK);
    assert_memory_equal(a.base + 2 * PAGE + 5, msg, sizeof msg);
    assert_memory_equal(b.base + 3 * PAGE + 5, msg, sizeof msg);
    uint8_t got[2];
    assert_int_equal(cap_region_read(r, 10, got, 1), CAP_OK);
    assert_int_equal(got[0], 0x5a);
    assert_int_equal(cap_region_read(r, PAGE + 77, got, 1), CAP_OK);
    assert_int_equal(got[0], 0xc3);
    /* A copy whose guest buffer is a window of the same region (the
     * kernel must fault the source page in while writing the file). */
    assert_int_equal(cap_region_write(r, PAGE + 500, a.base + PAGE + 1000, 100), CAP_OK);
    for (uint64_t i = 0; i < 100; i++) assert_int_equal(b.base[3 * PAGE + 500 + i], 0x11);
    assert_int_equal(cap_region_read(r, 10, a.base + 2 * PAGE + 4000, 1), CAP_OK);
    assert_int_equal(b.base[3 * PAGE + 4000], 0x5a);

    cap_unref(&r->base);
    mem_release(&a);
    assert_null(a.windows);
    assert_false(a.had_windows);
    mem_release(&b);
    mem_release(&c);
}

static void test_window_errors(void **state)
{
    (void)state;
    Memory m;
    memory(&m, 4, 8);
    CapRegion *r = region(2 * PAGE);
    CapRegion *small = region(PAGE);
    memset(m.base, 0x77, m.size);

    /* Alignment, length, bounds. */
    assert_int_equal(mem_map_window(&m, 1, PAGE, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, PAGE / 2, PAGE, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 0, PAGE + 1, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 0, PAGE - 1, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 0, 0, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 3 * PAGE, 2 * PAGE, r->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 4 * PAGE, PAGE, small->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 8 * PAGE, PAGE, small->fd), EINVAL); /* reserved, not accessible */
    assert_int_equal(mem_map_window(&m, UINT64_MAX - PAGE + 1, PAGE, small->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, PAGE, UINT64_MAX - PAGE + 1, r->fd), EINVAL);
    /* The file must cover the window, and be mappable read/write. */
    assert_int_equal(mem_map_window(&m, 0, 2 * PAGE, small->fd), EINVAL);
    assert_int_equal(mem_map_window(&m, 0, PAGE, -1), EINVAL);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", r->fd);
    int ro = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(ro >= 0);
    assert_int_equal(mem_map_window(&m, 0, PAGE, ro), EINVAL);
    close(ro);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(mem_map_window(&m, 0, PAGE, pipefd[0]), EINVAL);
    close(pipefd[0]);
    close(pipefd[1]);
    assert_int_equal(m.nwindows, 0);
    for (uint64_t i = 0; i < m.size; i++)
        if (m.base[i] != 0x77) fail_msg("a refused window changed byte %llu", (unsigned long long)i);
    assert_prot(m.base, "rw-p");

    /* Overlap, however it is placed; adjacent is fine. */
    assert_int_equal(mem_map_window(&m, PAGE, 2 * PAGE, r->fd), 0);
    assert_int_equal(mem_map_window(&m, PAGE, 2 * PAGE, r->fd), EBUSY);
    assert_int_equal(mem_map_window(&m, 0, 2 * PAGE, r->fd), EBUSY);
    assert_int_equal(mem_map_window(&m, 2 * PAGE, 2 * PAGE, r->fd), EBUSY);
    assert_int_equal(mem_map_window(&m, 2 * PAGE, PAGE, small->fd), EBUSY);
    assert_int_equal(mem_map_window(&m, 0, 4 * PAGE, r->fd), EBUSY); /* overlap comes first */
    assert_int_equal(m.nwindows, 1);
    assert_int_equal(m.base[0], 0x77); /* what the refusals left alone */
    assert_int_equal(m.base[3 * PAGE], 0x77);
    assert_int_equal(mem_map_window(&m, 0, PAGE, small->fd), 0);
    assert_int_equal(mem_map_window(&m, 3 * PAGE, PAGE, small->fd), 0);
    assert_int_equal(m.nwindows, 3);
    /* Both small windows show the same page. */
    m.base[5] = 9;
    assert_int_equal(m.base[3 * PAGE + 5], 9);

    /* Unmapping needs an exact window. */
    assert_int_equal(mem_unmap_window(&m, PAGE, PAGE), EINVAL);
    assert_int_equal(mem_unmap_window(&m, 2 * PAGE, PAGE), EINVAL);
    assert_int_equal(mem_unmap_window(&m, PAGE, 3 * PAGE), EINVAL);
    assert_int_equal(mem_unmap_window(&m, 0, 0), EINVAL);
    assert_int_equal(m.nwindows, 3);
    assert_int_equal(mem_unmap_window(&m, 0, PAGE), 0);
    assert_int_equal(mem_unmap_window(&m, 0, PAGE), EINVAL); /* not twice */
    assert_int_equal(mem_unmap_window(&m, 3 * PAGE, PAGE), 0);
    assert_int_equal(mem_unmap_window(&m, PAGE, 2 * PAGE), 0);
    assert_int_equal(m.nwindows, 0);
    assert_true(m.had_windows); /* for good */
    assert_zero(&m, 0, m.size);

    cap_unref(&r->base);
    cap_unref(&small->base);
    mem_release(&m);

    /* A memory without windows has nothing to unmap. */
    memory(&m, 1, 1);
    assert_int_equal(mem_unmap_window(&m, 0, PAGE), EINVAL);
    assert_false(m.had_windows);
    mem_release(&m);
}

/* At most 256 windows per memory (docs/abi.md); then ENOMEM. */
static void test_window_limit(void **state)
{
    (void)state;
    Memory m;
    memory(&m, 300, 300);
    CapRegion *r = region(PAGE);
    for (uint32_t i = 0; i < 256; i++) {
        int rc = mem_map_window(&m, (uint64_t)i * PAGE, PAGE, r->fd);
        if (rc) fail_msg("window %u: %s", i, strerror(rc));
    }
    assert_int_equal(m.nwindows, 256);
    assert_int_equal(mem_map_window(&m, 256 * PAGE, PAGE, r->fd), ENOMEM);
    m.base[255 * PAGE + 3] = 0x33;
    assert_int_equal(m.base[3], 0x33);
    assert_int_equal(m.base[256 * PAGE + 3], 0); /* not a window */
    /* Room again after one goes. */
    assert_int_equal(mem_unmap_window(&m, 100 * PAGE, PAGE), 0);
    assert_int_equal(m.base[100 * PAGE + 3], 0);
    assert_int_equal(mem_map_window(&m, 256 * PAGE, PAGE, r->fd), 0);
    assert_int_equal(m.base[256 * PAGE + 3], 0x33);
    assert_int_equal(mem_map_window(&m, 100 * PAGE, PAGE, r->fd), ENOMEM);
    for (uint32_t i = 0; i <= 256; i++)
        if (i != 100) assert_int_equal(mem_unmap_window(&m, (uint64_t)i * PAGE, PAGE), 0);
    assert_int_equal(m.nwindows, 0);
    assert_null(m.windows);
    assert_zero(&m, 0, m.size);
    cap_unref(&r->base);
    mem_release(&m);
}

/* Unmapping gives one memory zero pages; the other mapper keeps the data,
 * and mapping again shows it again. */
static void test_window_unmap(void **state)
{
    (void)state;
    Memory a, b;
    memory(&a, 3, 4);
    memory(&b, 3, 4);
    CapRegion *r = region(PAGE);
    assert_int_equal(mem_map_window(&a, PAGE, PAGE, r->fd), 0);
    assert_int_equal(mem_map_window(&b, 0, PAGE, r->fd), 0);
    memset(a.base + PAGE, 0xab, PAGE);
    a.base[0] = 1;
    a.base[2 * PAGE] = 2;
    assert_int_equal(b.base[PAGE - 1], 0xab);

    assert_int_equal(mem_unmap_window(&a, PAGE, PAGE), 0);
    assert_zero(&a, PAGE, PAGE);
    assert_prot(a.base + PAGE, "rw-p");
    assert_prot(a.base + 3 * PAGE, "---p");
    assert_int_equal(a.base[0], 1); /* the rest untouched */
    assert_int_equal(a.base[2 * PAGE], 2);
    a.base[PAGE + 5] = 0x99; /* private now: b does not see it */
    assert_int_equal(b.base[5], 0xab);
    for (uint64_t i = 0; i < PAGE; i++) assert_int_equal(b.base[i], 0xab);
    b.base[6] = 0x66;
    assert_int_equal(a.base[PAGE + 6], 0);

    /* Mapped again (elsewhere), the region shows its current contents. */
    assert_int_equal(mem_map_window(&a, 2 * PAGE, PAGE, r->fd), 0);
    assert_int_equal(a.base[2 * PAGE + 6], 0x66);
    assert_int_equal(a.base[2 * PAGE + 5], 0xab);
    assert_int_equal(a.base[PAGE + 5], 0x99);

    cap_unref(&r->base);
    mem_release(&a);
    mem_release(&b);
}

/*
 * A released memory that had a window is unmapped, not parked: a parked
 * reservation is zeroed with MADV_DONTNEED, which would leave the region's
 * pages to fault back in for the next memory of the same size.
 */
static void test_release_not_reused(void **state)
{
    (void)state;
    CapRegion *r = region(2 * PAGE);
    for (int unmap_first = 0; unmap_first < 2; unmap_first++) {
        Memory m;
        memory(&m, 2, 4);
        assert_int_equal(mem_map_window(&m, 0, 2 * PAGE, r->fd), 0);
        memset(m.base, 0xcd, 2 * PAGE);
        if (unmap_first) {
            assert_int_equal(mem_unmap_window(&m, 0, 2 * PAGE), 0);
            memset(m.base, 0xce, 2 * PAGE);
        }
        mem_release(&m);
        assert_null(m.base);
        /* Several, in case the pool holds others of this size. */
        Memory next[4];
        for (int k = 0; k < 4; k++) {
            memory(&next[k], 2, 4);
            assert_zero(&next[k], 0, next[k].size);
            assert_false(next[k].had_windows);
        }
        for (int k = 0; k < 4; k++) mem_release(&next[k]);
        /* The region keeps what was written through the window. */
        uint8_t got;
        assert_int_equal(cap_region_read(r, 2 * PAGE - 1, &got, 1), CAP_OK);
        assert_int_equal(got, 0xcd);
    }
    cap_unref(&r->base);
}

/* The region object goes with its last reference; windows stay, shared,
 * because the kernel mapping holds the file. */
static void test_window_outlives_region(void **state)
{
    (void)state;
    uint64_t live = cap_objects_live(CAP_KIND_REGION);
    Memory a, b;
    memory(&a, 2, 2);
    memory(&b, 2, 2);
    CapRegion *r = region(PAGE);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live + 1);
    assert_int_equal(mem_map_window(&a, 0, PAGE, r->fd), 0);
    assert_int_equal(mem_map_window(&b, PAGE, PAGE, r->fd), 0);
    a.base[1] = 0x10;
    cap_unref(&r->base); /* fd closed, object freed */
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), live);
    assert_int_equal(b.base[PAGE + 1], 0x10);
    a.base[PAGE - 1] = 0x20;
    assert_int_equal(b.base[2 * PAGE - 1], 0x20);
    b.base[PAGE + 2] = 0x30;
    assert_int_equal(a.base[2], 0x30);
    assert_int_equal(mem_unmap_window(&a, 0, PAGE), 0);
    assert_zero(&a, 0, PAGE);
    assert_int_equal(b.base[PAGE + 2], 0x30);
    mem_release(&a);
    assert_int_equal(b.base[PAGE + 1], 0x10);
    mem_release(&b);
}

/* memory.grow changes nothing in a window. */
static void test_window_grow(void **state)
{
    (void)state;
    Memory a, b;
    memory(&a, 1, 4);
    memory(&b, 1, 1);
    CapRegion *r = region(PAGE);
    assert_int_equal(mem_map_window(&a, 0, PAGE, r->fd), 0);
    assert_int_equal(mem_map_window(&b, 0, PAGE, r->fd), 0);
    memset(a.base, 0x42, PAGE);
    uint8_t *base = a.base;
    assert_int_equal(mem_grow(&a, 2), 1);
    assert_ptr_equal(a.base, base);
    assert_int_equal(a.nwindows, 1);
    for (uint64_t i = 0; i < PAGE; i++) assert_int_equal(a.base[i], 0x42);
    assert_zero(&a, PAGE, 2 * PAGE);
    assert_prot(a.base, "rw-s");
    assert_prot(a.base + PAGE, "rw-p");
    assert_prot(a.base + 3 * PAGE, "---p");
    a.base[7] = 7;
    assert_int_equal(b.base[7], 7); /* still shared */
    b.base[8] = 8;
    assert_int_equal(a.base[8], 8);
    /* The new pages can hold a window too. */
    assert_int_equal(mem_map_window(&a, 2 * PAGE, PAGE, r->fd), 0);
    assert_int_equal(a.base[2 * PAGE + 8], 8);
    assert_int_equal(mem_grow(&a, 1), 3);
    assert_int_equal(mem_grow(&a, 1), -1);
    assert_int_equal(a.base[2 * PAGE + 7], 7);
    cap_unref(&r->base);
    mem_release(&a);
    mem_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_copy),
        cmocka_unit_test(test_region_sizes),
        cmocka_unit_test(test_window_shared),
        cmocka_unit_test(test_window_errors),
        cmocka_unit_test(test_window_limit),
        cmocka_unit_test(test_window_unmap),
        cmocka_unit_test(test_release_not_reused),
        cmocka_unit_test(test_window_outlives_region),
        cmocka_unit_test(test_window_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
