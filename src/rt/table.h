/*
 * table.h - tables of references.
 *
 * Elements are slots holding a reference: NULL for ref.null, a FuncInst*
 * for funcref, the embedder's pointer for externref.
 */
#ifndef B8G_RT_TABLE_H
#define B8G_RT_TABLE_H

#include "b8g.h"
#include "wasm/module.h"

typedef struct Table {
    uint64_t *elems;
    uint32_t size;
    uint32_t cap;       /* allocated slots (>= size), grown geometrically */
    uint32_t max;       /* effective cap */
    uint32_t decl_max;
    bool has_max;
    ValType type;
    uint64_t *budget;   /* slots the owner (the store) still lets its tables
                           allocate, shared by all of them; NULL: none */
} Table;

b8g_status table_init(Table *t, ValType type, uint32_t min, uint32_t max,
                      bool has_max, b8g_error *err);
void table_release(Table *t);
/* table.grow: old size, or -1 (nothing changes): past max, or past the
 * shared budget, which a successful grow draws from. */
int64_t table_grow(Table *t, uint32_t delta, uint64_t init);

#endif
