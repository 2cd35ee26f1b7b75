/*
 * memory.c - linear memories as guarded reservations (see memory.h).
 *
 * The whole reservation is mapped PROT_NONE and MAP_NORESERVE up front, so
 * it costs address space only; pages become read/write (and start costing
 * memory) when mem_init or mem_grow make them accessible.  Because `base`
 * never moves, the interpreter may cache it across memory.grow.
 * Reservations come from, and go back to, reserve.c's pool - except those
 * of memories that ever had a window (memwindow.c), which are unmapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rt/memory.h"
#include "util/err.h"

/* The effective page cap: declared max, the store's cap and the spec's
 * 65536, whichever is smallest. */
static uint32_t mem_cap_pages(uint32_t max, bool has_max, uint32_t cap)
{
    uint32_t lim = WASM_MAX_PAGES;
    if (has_max && max < lim) lim = max;
    if (cap && cap < lim) lim = cap;
    return lim;
}

/* Bytes of address space to reserve.  Guard-page builds need the full
 * MEM_RESERVE so every u32 index + u32 offset faults inside it; bounds-check
 * builds compare against `size` and only need room to grow to the cap. */
static uint64_t mem_reserve_bytes(uint32_t max_pages)
{
#if defined(B8G_BOUNDS_CHECK) && B8G_BOUNDS_CHECK
    uint64_t n = (uint64_t)max_pages * WASM_PAGE;
    return n ? n : WASM_PAGE;
#else
    (void)max_pages;
    return MEM_RESERVE;
#endif
}

b8g_status mem_init(Memory *m, uint32_t min, uint32_t max, bool has_max,
                    uint32_t cap, b8g_error *err)
{
    memset(m, 0, sizeof *m);
    uint32_t lim = mem_cap_pages(max, has_max, cap);
    if (min > lim)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "memory of %u pages exceeds the limit of %u pages", min, lim);
    uint64_t reserve = mem_reserve_bytes(lim);
    uint64_t size = (uint64_t)min * WASM_PAGE;
    uint8_t *p = reserve_take(reserve, size);
    if (!p)
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET,
                       "cannot reserve %llu bytes of address space for a memory "
                       "of %u pages: %s",
                       (unsigned long long)reserve, min, strerror(errno));
    m->base = p;
    m->size = size;
    m->pages = min;
    m->max_pages = lim;
    m->decl_max = has_max ? max : 0;
    m->has_max = has_max;
    m->reserved = reserve;
    return B8G_OK;
}

void mem_release(Memory *m)
{
    /* Parking zeroes the accessible part with MADV_DONTNEED, which on a
     * shared window only drops this process's view: another component's
     * pages would fault back in for the reservation's next user.  So a
     * memory that ever had a window (the flag outlives unmapping, leaving
     * no doubt after a failed mapping) is unmapped, which drops every kind
     * of mapping for good. */
    if (m->had_windows) {
        if (m->base) munmap(m->base, m->reserved);
    } else {
        reserve_give(m->base, m->reserved, m->size);
    }
    free(m->windows);
    memset(m, 0, sizeof *m);
}

int64_t mem_grow(Memory *m, uint32_t delta)
{
    uint32_t old = m->pages;
    /* Compare against the room left, never old + delta, so no overflow. */
    if (delta > m->max_pages - old) return -1;
    if (delta == 0) return old;
    uint64_t add = (uint64_t)delta * WASM_PAGE;
    if (mprotect(m->base + m->size, add, PROT_READ | PROT_WRITE) != 0) return -1;
    m->pages = old + delta;
    m->size += add;
    return old;
}
