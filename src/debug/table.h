/*
 * table.h - a module's source locations, extracted from its DWARF once and
 * then only read: address ranges of line-table rows, and the scopes
 * (functions and the calls inlined into them) that cover code.
 *
 * Addresses are DWARF's for wasm: byte offsets from the start of the code
 * section's contents (its function count).  Only ranges that lie inside
 * the code section and start after address 0 are kept: address 0 is the
 * function count, never code, and is where some linkers put the code of
 * functions they dropped (others use an address past the end), so a
 * sequence or scope there describes nothing that runs.
 *
 * Sizes: every table grows only while the DWARF is read, to at most the
 * DBG_MAX_* entries below (allocation failure counts as reaching them);
 * past that the builder refuses more and what was collected stays usable.
 * Together with the read budget (dwarf.h) this bounds the memory hostile
 * DWARF can make us use, whatever counts it claims.
 *
 * Scopes: scopes[] is in the order the DIEs come, so a scope's parent (the
 * scope it was inlined into) always has a smaller index and following
 * parents always ends.  `top` is the out-of-line function a scope belongs
 * to.  After dbg_finish, funcs[] (ranges of out-of-line functions) is
 * sorted by lo, and inls[] (ranges of inlined calls) by (top, lo), so a
 * lookup finds the function by binary search and scans only the inlined
 * calls of that one function.
 */
#ifndef B8G_DEBUG_TABLE_H
#define B8G_DEBUG_TABLE_H

#include "b8g.h"
#include "util/common.h"

#define DBG_NONE UINT32_MAX
#define DBG_NO_DIE UINT64_MAX

#define DBG_MAX_LINES (1u << 24)
#define DBG_MAX_SCOPES (1u << 22)
#define DBG_MAX_RANGES (1u << 23)
#define DBG_MAX_NAMES (1u << 22)
#define DBG_MAX_POOL (1u << 26)   /* bytes of composed file paths */
#define DBG_MAX_PATH 4096         /* one path; longer ones keep their end */
#define DBG_MAX_DEPTH 256         /* inlining depth of one scope */

/* [lo, hi) comes from line `line`, column `col` of file `file` (a pool
 * offset, or DBG_NONE when the file is unknown). */
typedef struct DbgLine {
    uint32_t lo, hi;
    uint32_t file;
    uint32_t line, col;
} DbgLine;

typedef struct DbgScope {
    const char *name;   /* points into the module's DWARF bytes, or NULL */
    uint64_t ref;       /* DIE (abstract origin / specification) naming it,
                           or DBG_NO_DIE; used by dbg_finish when !name */
    uint32_t parent;    /* scope it is inlined into; DBG_NONE if out-of-line */
    uint32_t top;       /* its out-of-line function (itself if out-of-line) */
    uint32_t call_file; /* inlined: where the call was (pool offset) */
    uint32_t call_line, call_col;
    uint16_t depth;     /* 0 out-of-line, parent's + 1 inlined */
} DbgScope;

typedef struct DbgRange {
    uint32_t lo, hi;
    uint32_t scope, top;
} DbgRange;

/* A subprogram DIE's name, or the DIE its name comes from. */
typedef struct DbgName {
    uint64_t die;
    const char *name;
    uint64_t ref;
} DbgName;

typedef struct DebugInfo {
    uint64_t code_start; /* module offset of DWARF address 0 */
    uint32_t code_size;  /* bytes of the code section's contents */
    bool full;           /* a cap was reached: nothing more is added */

    DbgLine *lines;
    uint32_t nlines, cap_lines;
    DbgScope *scopes;
    uint32_t nscopes, cap_scopes;
    DbgRange *funcs, *inls;
    uint32_t nfuncs, cap_funcs, ninls, cap_inls;
    DbgName *names;      /* only while building */
    uint32_t nnames, cap_names;
    char *pool;          /* NUL-terminated paths */
    uint32_t pool_len, pool_cap;
} DebugInfo;

/* An empty table for a code section of code_size bytes at code_start. */
DebugInfo *dbg_new(uint64_t code_start, uint32_t code_size);
void dbg_free(DebugInfo *d);

/* Builders; each returns false once the table is full. */
bool dbg_add_line(DebugInfo *d, uint64_t lo, uint64_t hi, uint32_t file,
                  uint64_t line, uint64_t col);
/* A new scope (index), or DBG_NONE when full or too deeply nested. */
uint32_t dbg_add_scope(DebugInfo *d, const DbgScope *s);
bool dbg_add_range(DebugInfo *d, uint32_t scope, uint64_t lo, uint64_t hi);
bool dbg_add_name(DebugInfo *d, uint64_t die, const char *name, uint64_t ref);
/* The path made of the non-empty parts[0..n) joined by '/', with "." and
 * empty components dropped: a pool offset, or DBG_NONE. */
uint32_t dbg_add_path(DebugInfo *d, const char *const *parts, unsigned n);

/* An in-place heapsort.  Not qsort: glibc's asks the kernel for the
 * machine's memory size (sysinfo) before sorting a large array, a system
 * call that a confined `b8g run` does not allow; this one needs nothing. */
typedef int (*DbgCmp)(const void *, const void *);
void dbg_sort(void *base, size_t n, size_t size, DbgCmp cmp);

/* Sorts the ranges, names scopes through their references and drops what
 * only building needed. */
void dbg_finish(DebugInfo *d);

/* The source chain of DWARF address addr, as b8g_module_source describes:
 * its length, the first min(length, cap) entries written to out. */
uint32_t dbg_locate(const DebugInfo *d, uint32_t addr, b8g_source_loc *out,
                    uint32_t cap);
static inline bool dbg_has_info(const DebugInfo *d)
{
    return d && (d->nlines || d->nfuncs);
}

#endif
