/*
 * bulk.c - bulk memory and table instructions (see bulk.h).
 *
 * Ranges are checked with 64-bit sums: a u32 start plus a u32 length never
 * overflows there, and "start + n <= size" accepts a zero-length operation
 * exactly at the end while rejecting one past it, as the spec requires.
 */
#include <string.h>

#include "exec/bulk.h"

static bool vm_range_ok(uint32_t start, uint32_t n, uint64_t size)
{
    return (uint64_t)start + n <= size;
}

b8g_trap_kind vm_memory_fill(Memory *m, uint32_t dst, uint32_t val, uint32_t n)
{
    if (!vm_range_ok(dst, n, m->size)) return B8G_TRAP_MEM_OOB;
    memset(m->base + dst, (int)(uint8_t)val, n);
    return B8G_TRAP_NONE;
}

b8g_trap_kind vm_memory_copy(Memory *m, uint32_t dst, uint32_t src, uint32_t n)
{
    if (!vm_range_ok(dst, n, m->size) || !vm_range_ok(src, n, m->size))
        return B8G_TRAP_MEM_OOB;
    memmove(m->base + dst, m->base + src, n);
    return B8G_TRAP_NONE;
}

b8g_trap_kind vm_memory_init(b8g_instance *inst, uint32_t data, uint32_t dst,
                             uint32_t src, uint32_t n)
{
    Memory *m = inst->mem0;
    if (!vm_range_ok(src, n, inst->data_len[data]) || !vm_range_ok(dst, n, m->size))
        return B8G_TRAP_MEM_OOB;
    if (n) memcpy(m->base + dst, inst->mod->datas[data].bytes + src, n);
    return B8G_TRAP_NONE;
}

b8g_trap_kind vm_table_fill(Table *t, uint32_t dst, uint64_t val, uint32_t n)
{
    if (!vm_range_ok(dst, n, t->size)) return B8G_TRAP_TABLE_OOB;
    for (uint32_t i = 0; i < n; i++) t->elems[dst + i] = val;
    return B8G_TRAP_NONE;
}

b8g_trap_kind vm_table_copy(Table *dt, Table *st, uint32_t dst, uint32_t src,
                            uint32_t n)
{
    if (!vm_range_ok(dst, n, dt->size) || !vm_range_ok(src, n, st->size))
        return B8G_TRAP_TABLE_OOB;
    if (n) memmove(dt->elems + dst, st->elems + src, (size_t)n * sizeof *dt->elems);
    return B8G_TRAP_NONE;
}

b8g_trap_kind vm_table_init(b8g_instance *inst, uint32_t elem, Table *t,
                            uint32_t dst, uint32_t src, uint32_t n)
{
    if (!vm_range_ok(src, n, inst->elem_len[elem]) || !vm_range_ok(dst, n, t->size))
        return B8G_TRAP_TABLE_OOB;
    if (n) memcpy(t->elems + dst, inst->elem_refs[elem] + src, (size_t)n * sizeof *t->elems);
    return B8G_TRAP_NONE;
}
