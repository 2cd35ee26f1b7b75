/*
 * ranges.c - DW_AT_ranges: the address ranges of a function or inlined
 * call whose code is not contiguous, from .debug_ranges (DWARF 2-4) or
 * .debug_rnglists (DWARF 5).
 */
#include "debug/dwarf.h"

/* Before DWARF 5: (begin, end) pairs relative to a base address, a pair
 * whose begin is the largest address sets the base, (0, 0) ends. */
static void ranges_v4(const DwUnit *u, uint64_t off, DwBudget *b, DwRangeFn fn,
                      void *arg)
{
    DwCursor c = dc_at(u->sec->ranges, off);
    uint64_t max = u->addr_size == 8 ? UINT64_MAX
                                     : ((uint64_t)1 << (8 * u->addr_size)) - 1;
    uint64_t base = u->base_addr;
    while (dc_more(&c) && dw_spend(b, 2u * u->addr_size)) {
        uint64_t lo = dc_uint(&c, u->addr_size), hi = dc_uint(&c, u->addr_size);
        if (c.bad || (lo == 0 && hi == 0)) return;
        if (lo == max) {
            base = hi;
            continue;
        }
        if (!fn(arg, base + lo, base + hi)) return;
    }
}

enum {
    RLE_END_OF_LIST, RLE_BASE_ADDRESSX, RLE_STARTX_ENDX, RLE_STARTX_LENGTH,
    RLE_OFFSET_PAIR, RLE_BASE_ADDRESS, RLE_START_END, RLE_START_LENGTH,
};

/* An address given as an index into .debug_addr. */
static uint64_t addrx(const DwUnit *u, uint64_t index, bool *ok)
{
    DwValue v = {.cls = DWV_ADDRX, .u = index};
    uint64_t a = 0;
    if (!dw_value_addr(u, &v, &a)) *ok = false;
    return a;
}

static void ranges_v5(const DwUnit *u, uint64_t off, DwBudget *b, DwRangeFn fn,
                      void *arg)
{
    DwCursor c = dc_at(u->sec->rnglists, off);
    uint64_t base = u->base_addr;
    while (dc_more(&c)) {
        const uint8_t *at = c.p;
        uint8_t kind = dc_u8(&c);
        uint64_t lo = 0, hi = 0;
        bool ok = true, range = true;
        switch (kind) {
        case RLE_END_OF_LIST: return;
        case RLE_BASE_ADDRESSX: base = addrx(u, dc_uleb(&c), &ok); range = false; break;
        case RLE_STARTX_ENDX:
            lo = addrx(u, dc_uleb(&c), &ok);
            hi = addrx(u, dc_uleb(&c), &ok);
            break;
        case RLE_STARTX_LENGTH:
            lo = addrx(u, dc_uleb(&c), &ok);
            hi = lo + dc_uleb(&c);
            break;
        case RLE_OFFSET_PAIR:
            lo = base + dc_uleb(&c);
            hi = base + dc_uleb(&c);
            break;
        case RLE_BASE_ADDRESS: base = dc_uint(&c, u->addr_size); range = false; break;
        case RLE_START_END:
            lo = dc_uint(&c, u->addr_size);
            hi = dc_uint(&c, u->addr_size);
            break;
        case RLE_START_LENGTH:
            lo = dc_uint(&c, u->addr_size);
            hi = lo + dc_uleb(&c);
            break;
        default: return;
        }
        if (c.bad || !ok || !dw_spend(b, (uint64_t)(c.p - at))) return;
        if (range && !fn(arg, lo, hi)) return;
    }
}

void dw_ranges(const DwUnit *u, const DwValue *v, DwBudget *b, DwRangeFn fn,
               void *arg)
{
    if (u->version < 5) {
        if (v->cls == DWV_SECOFF || v->cls == DWV_CONST) ranges_v4(u, v->u, b, fn, arg);
        return;
    }
    if (v->cls == DWV_SECOFF) {
        ranges_v5(u, v->u, b, fn, arg);
    } else if (v->cls == DWV_RNGLISTX && u->rnglists_base != DW_ABSENT) {
        /* the index picks an offset, relative to the base, from the table
         * of offsets that starts at the base */
        unsigned size = u->is64 ? 8 : 4;
        if (v->u > (UINT64_MAX - u->rnglists_base) / size) return;
        DwCursor c = dc_at(u->sec->rnglists, u->rnglists_base + v->u * size);
        uint64_t rel = dc_uint(&c, size);
        if (!c.bad && rel <= UINT64_MAX - u->rnglists_base)
            ranges_v5(u, u->rnglists_base + rel, b, fn, arg);
    }
}
