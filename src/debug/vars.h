/*
 * vars.h - the variables of a module's C source at a code offset, their
 * types spelled as C spells them, and their values at a debug stop
 * (b8g_debug_variables, b8g_debug_variable_format).
 *
 * The tables come from the module's DWARF (table.h, vars.c); reading a
 * value goes through a DbgFrameView, so this part knows nothing of frames:
 * the API layer says how to read a wasm local or global of the stopped
 * frame and where the memory is.  Addresses are wasm32's: a frame base or
 * a pointer is the low 32 bits of its value.
 */
#ifndef B8G_DEBUG_VARS_H
#define B8G_DEBUG_VARS_H

#include "util/common.h"

struct DebugInfo;

/* The variables in scope at module offset code_offset: the parameters of
 * its function, then its locals from the innermost lexical block out, then
 * the file-scope variables of its compile unit.  Returns their count and
 * writes the first min(count, cap) as variable numbers to out. */
uint32_t dbg_scope_vars(const struct DebugInfo *d, uint64_t code_offset,
                        uint32_t *out, uint32_t cap);
/* Is variable v one of those? */
bool dbg_var_in_scope(const struct DebugInfo *d, uint64_t code_offset, uint32_t v);

typedef struct DbgVarInfo {
    const char *name;
    bool param, global;
    uint32_t depth;      /* 0 file scope, 1 function body, +1 per block */
} DbgVarInfo;

/* What variable v (a number from dbg_scope_vars) is. */
DbgVarInfo dbg_var_info(const struct DebugInfo *d, uint32_t v);

/* The C spelling of v's type ("unsigned int", "char *", "int [10]") in
 * buf, cut with "..." when longer than cap - 1. */
const char *dbg_var_type(const struct DebugInfo *d, uint32_t v, char *buf, size_t cap);

/* How values are read at a stop: a wasm local or global of the frame as
 * raw little-endian bits and their size in bytes (false if there is no
 * such one), and the memory the frame's instance uses. */
typedef struct DbgFrameView {
    const void *arg;
    bool (*local)(const void *arg, uint32_t index, uint64_t *bits, unsigned *size);
    bool (*global)(const void *arg, uint32_t index, uint64_t *bits, unsigned *size);
    const uint8_t *mem;  /* NULL: no memory */
    uint64_t mem_size;
} DbgFrameView;

/* v's value as text in buf ("14", "0x1070 \"hello\"", "{x = 1, y = 2}",
 * "<optimized out>"), cut with "..." when longer than cap - 1. */
const char *dbg_var_format(const struct DebugInfo *d, uint32_t v, const DbgFrameView *fv,
                           char *buf, size_t cap);

#endif
