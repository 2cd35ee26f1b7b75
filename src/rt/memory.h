/*
 * memory.h - linear memories as guarded reservations.
 *
 * Each memory reserves MEM_RESERVE bytes of address space up front
 * (PROT_NONE) and makes the first `size` bytes read/write; growing is an
 * mprotect of the next range, so `base` never moves.  A wasm address is a
 * u32 index plus a u32 static offset plus an access of at most 8 bytes, so
 * every effective address lies below 2^33 + 8: with MEM_RESERVE above that,
 * an out-of-bounds access always lands in the PROT_NONE part of this very
 * reservation and faults, which guard.c turns into a trap.  That is why the
 * interpreter needs no bounds check on loads and stores (unless built with
 * B8G_BOUNDS_CHECK=1, where it compares against `size` instead).
 *
 * Host code (segment initialisation, bulk memory, WASI) always checks bounds
 * explicitly and never relies on the fault.
 */
#ifndef B8G_RT_MEMORY_H
#define B8G_RT_MEMORY_H

#include "b8g.h"
#include "util/common.h"

#define WASM_PAGE 65536u
#define WASM_MAX_PAGES 65536u
#define MEM_RESERVE (((uint64_t)1 << 33) + ((uint64_t)1 << 16)) /* 8 GiB + 64 KiB */

typedef struct Memory {
    uint8_t *base;      /* start of the reservation; fixed for the lifetime */
    uint64_t size;      /* accessible bytes = pages * WASM_PAGE */
    uint32_t pages;
    uint32_t max_pages; /* effective cap: declared max, config cap, 65536 */
    uint32_t decl_max;  /* declared max (for import matching) */
    bool has_max;       /* declared max present */
    uint64_t reserved;  /* bytes reserved at base */
    struct MemWindow *windows; /* shared mappings over the accessible part */
    uint32_t nwindows;
    bool had_windows;   /* then the reservation is unmapped on release,
                           never reused (its pages may be shared) */
} Memory;

typedef struct MemWindow {
    uint64_t addr, len;
} MemWindow;

/* reserve.c: `bytes` of address space whose first `size` bytes are
 * read/write and zero, the rest PROT_NONE (NULL if it cannot be had), and
 * giving it back with `size` accessible bytes. */
uint8_t *reserve_take(uint64_t bytes, uint64_t size);
void reserve_give(uint8_t *p, uint64_t bytes, uint64_t size);

/* min/max in pages; cap is the store's page cap (0: none). */
b8g_status mem_init(Memory *m, uint32_t min, uint32_t max, bool has_max,
                    uint32_t cap, b8g_error *err);
void mem_release(Memory *m);
/* memory.grow: returns the old size in pages, or -1 (nothing changes). */
int64_t mem_grow(Memory *m, uint32_t delta);
/*
 * Windows (memwindow.c): maps [0, len) of shared-memory file fd over
 * [addr, addr + len) of m, zero-copy and read/write.  (Never read-only:
 * host code such as WASI's fd_read writes guest memory directly and must
 * not fault; a read-only sharer reads by copy instead.)  addr and
 * len are multiples of WASM_PAGE, len > 0, the range lies inside the
 * accessible part and overlaps no other window.  Returns 0 or an errno:
 * EINVAL (alignment, bounds), EBUSY (overlap), ENOMEM.  Unmapping needs
 * the exact window and gives the range fresh zero pages back.
 */
int mem_map_window(Memory *m, uint64_t addr, uint64_t len, int fd);
int mem_unmap_window(Memory *m, uint64_t addr, uint64_t len);

/* Maps [off, off + len) of file fd copy-on-write over [addr, addr + len)
 * of m (page-aligned, inside the accessible part): a snapshot's pages.
 * Returns 0 or an errno; on failure the range still holds memory. */
int mem_map_file_private(Memory *m, uint64_t addr, uint64_t len, int fd, uint64_t off);

/* True if [addr, addr+len) lies inside the accessible part. */
static inline bool mem_in_bounds(const Memory *m, uint64_t addr, uint64_t len)
{
    return addr <= m->size && len <= m->size - addr;
}

#endif
