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
 *
 * Variables (vars.c): vars[] holds the variables and parameters of
 * functions and the file-scope variables, blocks[] the functions that have
 * code and the lexical blocks in them, types[] the type DIEs and fields[]
 * their members, enumerators, dimensions and parameters.  All four are in
 * DIE order, which is the order of their offsets (the walk only moves
 * forwards), and are filled only while the DIE walk is inside what they
 * describe, so a function's blocks and variables, and a type's fields,
 * lie in one span of their arrays (mixed, in malformed DWARF, with those
 * of what is nested in it, which is why each entry also names its owner).
 * References between them are DIE offsets until dbg_finish turns them
 * into indices (DBG_NONE: void, DBG_BAD_TYPE: no type DIE there).  They
 * have their own caps and full flag: a module with too many types still
 * gets all its source locations.
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
#define DBG_MAX_VARS (1u << 20)    /* C variables (a large program: 10^5) */
#define DBG_MAX_BLOCKS (1u << 20)  /* functions and lexical blocks */
#define DBG_MAX_TYPES (1u << 21)
#define DBG_MAX_FIELDS (1u << 21)  /* members, enumerators, dimensions */
#define DBG_MAX_NEST 32           /* lexical blocks nested in a function */
#define DBG_BAD_TYPE (UINT32_MAX - 2)
#define DBG_NO_SIZE UINT64_MAX

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
    uint32_t block;     /* out-of-line: its DbgBlock, or DBG_NONE */
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

/* Where a variable is, from a location expression we can evaluate. */
typedef enum DbgWhereKind {
    DBG_AT_NONE,   /* no location: optimized out */
    DBG_AT_OTHER,  /* a location list, or an expression we do not evaluate */
    DBG_AT_ADDR,   /* in memory at `off` */
    DBG_AT_FBREG,  /* in memory at the function's frame base + `off` */
    DBG_AT_LOCAL,  /* wasm local `index`: see `indirect` */
    DBG_AT_GLOBAL, /* wasm global `index`: see `indirect` */
} DbgWhereKind;

typedef struct DbgWhere {
    uint8_t kind;
    bool indirect;      /* LOCAL, GLOBAL: it holds the object's address
                           (no DW_OP_stack_value), not its value */
    uint32_t index;
    int64_t off;
} DbgWhere;

typedef struct DbgVar {
    const char *name;   /* in the module's DWARF bytes */
    uint64_t type;      /* DIE offset, then (dbg_finish) a types[] index */
    DbgWhere where;
    uint32_t block;     /* its function or lexical block; DBG_NONE: file scope */
    uint32_t unit;      /* compile unit number */
    bool param;
} DbgVar;

/* A function with code (parent DBG_NONE) or a lexical block in one. */
typedef struct DbgBlock {
    uint32_t func;      /* the function's block (itself for a function) */
    uint32_t parent;
    uint32_t first_range, nranges; /* in branges; none: all of the parent */
    uint32_t first_var, end_var;   /* function: the span of its variables */
    uint32_t unit;
    uint16_t depth;     /* 1 for a function, parent's + 1 for a block */
    DbgWhere frame_base; /* function: DW_AT_frame_base */
} DbgBlock;

typedef struct DbgBlockRange {
    uint32_t lo, hi;
} DbgBlockRange;

typedef enum DbgTypeKind {
    DBG_T_BASE, DBG_T_POINTER, DBG_T_TYPEDEF, DBG_T_CONST, DBG_T_VOLATILE,
    DBG_T_RESTRICT, DBG_T_ATOMIC, DBG_T_ENUM, DBG_T_STRUCT, DBG_T_UNION,
    DBG_T_CLASS, DBG_T_ARRAY, DBG_T_FUNC, DBG_T_UNSPECIFIED,
} DbgTypeKind;

typedef struct DbgType {
    uint64_t die;       /* offset in .debug_info: the key */
    const char *name;   /* or NULL */
    uint64_t base;      /* DW_AT_type: DIE offset, then an index */
    uint64_t size;      /* bytes, or DBG_NO_SIZE */
    uint32_t first_field, end_field; /* the span of its fields */
    uint8_t kind;       /* DbgTypeKind */
    uint8_t encoding;   /* base types: DW_ATE_* */
    bool incomplete;    /* a declaration only */
} DbgType;

typedef enum DbgFieldKind {
    DBG_F_MEMBER, DBG_F_ENUMERATOR, DBG_F_DIM, DBG_F_PARAM, DBG_F_VARARGS,
} DbgFieldKind;

#define DBG_NO_COUNT INT64_MIN   /* a dimension of unknown length */
#define DBG_BAD_BITS 0xff        /* a bit field we cannot place */

typedef struct DbgField {
    const char *name;   /* member, enumerator */
    uint64_t type;      /* member, param: DIE offset, then an index */
    int64_t value;      /* member: byte offset; enumerator: its value;
                           dimension: element count or DBG_NO_COUNT */
    uint32_t parent;    /* types[] index of the type it belongs to */
    uint8_t kind;       /* DbgFieldKind */
    uint8_t bit_size;   /* bit field: 1..64 bits (0: not one) */
    uint8_t bit_off;    /* bit field: from the low bit of the 8 bytes at value */
} DbgField;

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

    bool vars_full;      /* a cap of the tables below was reached */
    DbgVar *vars;
    uint32_t nvars, cap_vars;
    uint32_t *globals;   /* vars[] indices of file-scope variables, by unit */
    uint32_t nglobals, cap_globals;
    DbgBlock *blocks;
    uint32_t nblocks, cap_blocks;
    DbgBlockRange *branges;
    uint32_t nbranges, cap_branges;
    DbgType *types;
    uint32_t ntypes, cap_types;
    DbgField *fields;
    uint32_t nfields, cap_fields;
} DebugInfo;

/* An empty table for a code section of code_size bytes at code_start. */
DebugInfo *dbg_new(uint64_t code_start, uint32_t code_size);
void dbg_free(DebugInfo *d);

/* Room for one more of n elements of `elem` bytes in *v (capacity *cap),
 * doubling up to max; failure (max reached, no memory) sets *full, which
 * refuses every later call: DWARF never makes the engine abort. */
bool dbg_grow(bool *full, void **v, uint32_t n, uint32_t *cap, size_t elem,
              uint32_t max);

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

/* Sorts the ranges, names scopes through their references and drops what
 * only building needed. */
void dbg_finish(DebugInfo *d);
/* The variables' part of dbg_finish (vars.c): references become indices. */
void dbg_vars_finish(DebugInfo *d);

/* The source chain of DWARF address addr, as b8g_module_source describes:
 * its length, the first min(length, cap) entries written to out. */
uint32_t dbg_locate(const DebugInfo *d, uint32_t addr, b8g_source_loc *out,
                    uint32_t cap);
/* The out-of-line function (its scope) whose code holds addr, or DBG_NONE. */
uint32_t dbg_func_at(const DebugInfo *d, uint32_t addr);
static inline bool dbg_has_info(const DebugInfo *d)
{
    return d && (d->nlines || d->nfuncs);
}

#endif
