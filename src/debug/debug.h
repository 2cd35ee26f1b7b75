/*
 * debug.h - source locations of a module's code, read from the DWARF in
 * its custom sections (b8g_module_source).
 *
 * Reading waits for the first question about a module: traps must stay
 * cheap, and most modules are never asked.  The result hangs off the
 * Module (Module.debug), is made once under a lock, published with release
 * order and never changed after, so lookups from any thread read it
 * without locking.  A module without usable DWARF gets an empty table, so
 * it too is read only once.
 */
#ifndef B8G_DEBUG_DEBUG_H
#define B8G_DEBUG_DEBUG_H

#include "b8g.h"
#include "wasm/module.h"

struct DebugInfo;

/* The module's source-location tables, read on first use. */
const struct DebugInfo *dbg_module(Module *m);
/* b8g_module_source on those tables; code_offset is a module offset. */
uint32_t dbg_source(const struct DebugInfo *d, uint64_t code_offset,
                    b8g_source_loc *out, uint32_t cap);
bool dbg_usable(const struct DebugInfo *d);
/* Module offsets where line-table rows of `line` in a file whose path is
 * `file` or ends in "/file" start, in address order: their count, the
 * first min(count, cap) written to out; *path (if any) the matched path. */
uint32_t dbg_line_offsets(const struct DebugInfo *d, const char *file, uint32_t line,
                          uint64_t *out, uint32_t cap, const char **path);
/* Frees what dbg_module made for m (before the Module goes). */
void dbg_release(Module *m);

#endif
