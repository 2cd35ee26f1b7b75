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

