/*
 * xlfunc.c - what outlives translation: freeing XlFuncs, mapping code
 * back to module offsets, op names.
 */
#include <stdlib.h>

#include "exec/xl.h"

void xl_free(XlFunc *f)
{
    if (!f) return;
    free(f->code);
    free(f->map);
    free(f);
}

/*
 * The map holds only instructions that can trap, call or suspend, sorted
 * by unit; the instruction containing pc_index is the last entry at or
 * before it, which is exact for every position the interpreter reports.
 */
uint64_t xl_code_offset(const XlFunc *f, uint32_t pc_index)
{
    uint32_t lo = 0, hi = f->nmap; /* answer: lo - 1 after the search */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->map[mid].pc <= pc_index) lo = mid + 1;
        else hi = mid;
    }
    return lo ? f->map[lo - 1].offset : B8G_NO_OFFSET;
}


/* ---- snapshots: code positions in a position-independent form ---------- */

bool xl_offset_exact(const XlFunc *f, uint32_t pc_index, uint32_t *offset)
{
    uint32_t lo = 0, hi = f->nmap;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->map[mid].pc < pc_index) lo = mid + 1;
        else hi = mid;
    }
    if (lo == f->nmap || f->map[lo].pc != pc_index) return false;
    *offset = f->map[lo].offset;
    return true;
}

/* Offsets are not sorted (a loop's latch may sit before code the map
 * lists earlier), so this scans: it runs once per restored frame. */
bool xl_pc_of_offset(const XlFunc *f, uint32_t offset, uint32_t *pc_index)
{
    for (uint32_t i = 0; i < f->nmap; i++)
        if (f->map[i].offset == offset) {
            *pc_index = f->map[i].pc;
            return true;
        }
    return false;
}

static bool xl_is_op(const XlFunc *f, uint32_t pc_index, XOp op, uint32_t nunits)
{
    XlUnit h[XL_HANDLER_UNITS];
    if (pc_index > f->nunits || XL_LEN(nunits) > f->nunits - pc_index) return false;
    vm_set_handler(h, op);
    return memcmp(f->code + pc_index, h, sizeof h) == 0;
}

bool xl_call_at(const XlFunc *f, uint32_t pc_index, XlCall *out)
{
    const XlUnit *u = f->code + pc_index + XL_HANDLER_UNITS;
    if (xl_is_op(f, pc_index, XOP_CALL, 3) || xl_is_op(f, pc_index, XOP_CALL_IMPORT, 3)) {
        out->indirect = false;
        out->callee_slot = u[0];
        out->index = xl_get32(u + 1);
        out->len = XL_LEN(3);
        return true;
    }
    if (xl_is_op(f, pc_index, XOP_CALL_INDIRECT, 6)) {
        out->indirect = true;
        out->callee_slot = u[0];
        out->index = xl_get32(u + 2);
        out->len = XL_LEN(6);
        return true;
    }
    return false;
}
