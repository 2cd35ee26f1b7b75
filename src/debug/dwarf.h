/*
 * dwarf.h - the pieces of a DWARF 2-5 reader that fill a DebugInfo: forms,
 * abbreviation tables, range lists, line tables and the .debug_info walk.
 *
 * It reads what source locations need: line-table rows, and the functions
 * and inlined calls (DW_TAG_subprogram, DW_TAG_inlined_subroutine) with
 * their address ranges, names and call sites; and what the debugger needs
 * to show C variables (vars.c): variables, parameters, lexical blocks and
 * types.  Split DWARF, type units and supplementary files are skipped.
 *
 * Hostile input: every read is bounds-checked (cursor.h); every count is
 * bounded by the bytes that must hold its entries before anything is sized
 * by it; and a read budget, a few times the size of the DWARF sections,
 * pays for every byte and attribute processed, so units that point at the
 * same bytes over and over cannot multiply the work.  When the budget is
 * spent, reading stops and what was collected is kept.
 */
#ifndef B8G_DEBUG_DWARF_H
#define B8G_DEBUG_DWARF_H

#include "debug/cursor.h"
#include "debug/table.h"

/* The DWARF custom sections of a module (absent ones have p NULL). */
typedef struct DwSections {
    DwSlice info, abbrev, line, str, line_str, ranges, rnglists, addr,
        str_offsets;
} DwSections;

typedef struct DwBudget {
    uint64_t left;
} DwBudget;

static inline bool dw_spend(DwBudget *b, uint64_t n)
{
    if (b->left < n) {
        b->left = 0;
        return false;
    }
    b->left -= n;
    return true;
}

#define DW_ABSENT UINT64_MAX

/* What reading a unit's attribute values needs to know about the unit. */
typedef struct DwUnit {
    const DwSections *sec;
    uint64_t off;            /* of the unit's header in .debug_info */
    uint16_t version;
    bool is64;               /* 64-bit DWARF: offsets are 8 bytes */
    uint8_t addr_size;       /* 1..8 */
    uint64_t str_offsets_base, addr_base, rnglists_base; /* or DW_ABSENT */
    uint64_t base_addr;      /* the compile unit's low_pc, else 0 */
} DwUnit;

typedef enum DwClass {
    DWV_NONE,     /* read and skipped: no value we use */
    DWV_CONST,    /* u: data, udata, sdata (two's complement), flags */
    DWV_ADDR,     /* u: an address */
    DWV_ADDRX,    /* u: index into .debug_addr */
    DWV_STR,      /* str */
    DWV_STRX,     /* u: index into .debug_str_offsets */
    DWV_REF,      /* u: offset of a DIE in .debug_info */
    DWV_SECOFF,   /* u: offset into another section */
    DWV_RNGLISTX, /* u: index into the unit's range list offsets */
    DWV_BLOCK,    /* block, u bytes: exprloc and block forms */
    DWV_LOCLISTX, /* u: index into the unit's location list offsets */
} DwClass;

typedef struct DwValue {
    DwClass cls;
    uint64_t u;
    const char *str;
    const uint8_t *block; /* DWV_BLOCK: in the section's bytes */
} DwValue;

/* Reads one attribute value of the given form; false if the form is
 * unknown or does not fit (the rest of the unit cannot be read then). */
bool dw_form(DwCursor *c, uint64_t form, int64_t implicit, const DwUnit *u,
             DwValue *v);
/* The value as a string (DWV_STR, DWV_STRX), or NULL. */
const char *dw_value_str(const DwUnit *u, const DwValue *v);
/* The value as an address (DWV_ADDR, DWV_ADDRX); false if it is none. */
bool dw_value_addr(const DwUnit *u, const DwValue *v, uint64_t *out);

/* ---- abbreviations (abbrev.c) ---- */

typedef struct DwAttrSpec {
    uint32_t at, form;       /* UINT32_MAX for values that do not fit */
    int64_t implicit;        /* DW_FORM_implicit_const's value */
} DwAttrSpec;

typedef struct DwAbbrev {
    uint64_t code;
    uint32_t tag;
    bool children;
    uint32_t first, nattrs;  /* specs[first .. first + nattrs) */
} DwAbbrev;

typedef struct DwAbbrevs {
    uint64_t offset;         /* in .debug_abbrev, DW_ABSENT if none loaded */
    DwAbbrev *v;             /* sorted by code */
    uint32_t n;
    DwAttrSpec *specs;
    uint32_t nspecs;
} DwAbbrevs;

/* Loads the table at off into a (reusing it if it is already that one). */
bool dw_abbrevs_load(DwSlice sec, uint64_t off, DwBudget *b, DwAbbrevs *a);
const DwAbbrev *dw_abbrev(const DwAbbrevs *a, uint64_t code);
void dw_abbrevs_free(DwAbbrevs *a);

/* ---- range lists (ranges.c) ---- */

/* Called for each [lo, hi) of a list; returning false stops the list. */
typedef bool (*DwRangeFn)(void *arg, uint64_t lo, uint64_t hi);
/* The ranges of a DW_AT_ranges value of unit u. */
void dw_ranges(const DwUnit *u, const DwValue *v, DwBudget *b, DwRangeFn fn,
               void *arg);

/* ---- line tables (lines.c) ---- */

typedef struct DwFile {
    const char *name;
    uint64_t dir;
    uint32_t path;           /* pool offset once composed; DBG_NONE unknown */
    bool composed;
} DwFile;

typedef struct DwLines {
    DebugInfo *d;
    DwBudget *b;
    uint16_t version;
    const char *comp_dir;
    const char **dirs;
    uint32_t ndirs;
    DwFile *files;
    uint32_t nfiles;
    DwCursor prog;           /* the line number program */
    uint8_t addr_size, min_inst, line_range, opcode_base;
    int8_t line_base;
    const uint8_t *std_lens; /* opcode_base - 1 operand counts */
} DwLines;

/* Reads the header of the line table at off of .debug_line for compile
 * unit cu; false if there is none usable. */
bool dw_lines_open(const DwUnit *cu, uint64_t off, const char *comp_dir,
                   DebugInfo *d, DwBudget *b, DwLines *l);
/* Runs the line number program, adding its rows to l->d. */
void dw_lines_run(DwLines *l);
/* File `index` of the table (DW_AT_call_file, a row's file) as a pool
 * offset, composed on first use; DBG_NONE if there is no such file. */
uint32_t dw_lines_file(DwLines *l, uint64_t index);
void dw_lines_close(DwLines *l);

/* ---- .debug_info (info.c) ---- */

/* The attributes of one DIE that we use (DWV_NONE when absent). */
typedef struct DwDie {
    uint64_t off;
    uint32_t tag;
    DwValue name, linkage, low, high, ranges, origin, spec;
    DwValue call_file, call_line, call_col;
    DwValue stmt_list, comp_dir, str_base, addr_base, rng_base;
    /* variables and types (vars.c) */
    DwValue type, location, frame_base, byte_size, encoding, declaration;
    DwValue member_loc, const_value, count, upper_bound, lower_bound;
    DwValue bit_size, bit_offset, data_bit_offset;
} DwDie;

/* Reads every compile unit into d. */
void dw_read_info(const DwSections *s, DebugInfo *d, DwBudget *b);
/* Does d say where its code is (low_pc or ranges)? */
bool dw_has_code(const DwDie *d);
/* Its code's ranges: DW_AT_ranges, or low_pc with high_pc. */
void dw_die_ranges(const DwUnit *u, const DwDie *d, DwBudget *b, DwRangeFn fn,
                   void *arg);

/* ---- variables and types (vars.c) ---- */

/* Where in the tree a DIE is, for what its variables and types belong to:
 * the innermost function or lexical block (DBG_NONE at file scope,
 * DW_SKIP inside what we do not describe, such as an inlined call), and
 * the type whose members, enumerators or dimensions the children are
 * (DBG_NONE if none). */
#define DW_SKIP (UINT32_MAX - 1)
typedef struct DwVarCtx {
    uint32_t block, type;
} DwVarCtx;

/* Records what DIE d (at `ctx`, in compile unit number `unit`; `scope` the
 * DbgScope info.c made of it, or DBG_NONE) says about variables and types,
 * and returns the context of its children. */
DwVarCtx dw_vars_die(DebugInfo *dbg, const DwUnit *u, uint32_t unit, const DwDie *d,
                     uint32_t scope, DwVarCtx ctx, DwBudget *b);

#endif
