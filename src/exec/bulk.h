/*
 * bulk.h - the slow instructions, out of the dispatch loop: bulk memory and
 * table operations.  Each checks its whole range first, exactly as the spec
 * orders it, so a trapping operation writes nothing.  They return
 * B8G_TRAP_NONE or the trap kind.
 */
#ifndef B8G_EXEC_BULK_H
#define B8G_EXEC_BULK_H

#include "rt/instance.h"

b8g_trap_kind vm_memory_fill(Memory *m, uint32_t dst, uint32_t val, uint32_t n);
b8g_trap_kind vm_memory_copy(Memory *m, uint32_t dst, uint32_t src, uint32_t n);
b8g_trap_kind vm_memory_init(b8g_instance *inst, uint32_t data, uint32_t dst,
                             uint32_t src, uint32_t n);
b8g_trap_kind vm_table_fill(Table *t, uint32_t dst, uint64_t val, uint32_t n);
b8g_trap_kind vm_table_copy(Table *dt, Table *st, uint32_t dst, uint32_t src,
                            uint32_t n);
b8g_trap_kind vm_table_init(b8g_instance *inst, uint32_t elem, Table *t,
                            uint32_t dst, uint32_t src, uint32_t n);

#endif
