/*
 * table.c - tables of references (see table.h).
 *
 * The effective maximum is capped at LIM_TABLE_ELEMS whatever the module
 * declares: a table without a max could otherwise be grown by guest code to
 * 2^32 slots (32 GiB of host memory).  Growing past the cap is the same as
 * growing past a declared max: table.grow returns -1.  Since a module may
 * define many tables, the store also hands its tables a shared budget of
 * slots (Table.budget), so their sum is bounded too.
 */
#include <stdlib.h>
#include <string.h>

#include "rt/table.h"
#include "util/err.h"
#include "wasm/limits.h"

b8g_status table_init(Table *t, ValType type, uint32_t min, uint32_t max,
                      bool has_max, b8g_error *err)
{
    memset(t, 0, sizeof *t);
    uint32_t lim = LIM_TABLE_ELEMS;
    if (has_max && max < lim) lim = max;
    if (min > LIM_TABLE_ELEMS)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "table too large: %u elements (limit %u)", min,
                       LIM_TABLE_ELEMS);
    t->elems = xcalloc(min, sizeof *t->elems);
    t->size = min;
    t->cap = min;
    t->max = lim;
    t->decl_max = has_max ? max : 0;
    t->has_max = has_max;
    t->type = type;
    return B8G_OK;
}

void table_release(Table *t)
{
    if (t->budget) *t->budget += t->size; /* the slots go back to the owner */
    free(t->elems);
    memset(t, 0, sizeof *t);
}

/* Makes room for `need` slots; doubling keeps a guest that grows by one in
 * a loop linear overall. */
static void table_reserve(Table *t, uint32_t need)
{
    if (need <= t->cap) return;
    uint64_t cap = (uint64_t)t->cap * 2;
    if (cap < need) cap = need;
    if (cap < 8) cap = 8;
    if (cap > t->max) cap = t->max; /* need <= max, so this still fits */
    t->elems = xrealloc(t->elems, (size_t)cap * sizeof *t->elems);
    t->cap = (uint32_t)cap;
}

int64_t table_grow(Table *t, uint32_t delta, uint64_t init)
{
    uint32_t old = t->size;
    if (delta > t->max - old) return -1;
    if (t->budget) {
        if (delta > *t->budget) return -1;
        *t->budget -= delta;
    }
    table_reserve(t, old + delta);
    for (uint32_t i = 0; i < delta; i++) t->elems[old + i] = init;
    t->size = old + delta;
    return old;
}
