/*
 * info.c - the walk over .debug_info: each compile unit's line table, and
 * the functions and inlined calls of its DIE tree, with their ranges,
 * names and call sites.
 *
 * DIEs are read in order, keeping for each tree depth the innermost scope
 * that encloses it, so an inlined call's parent is the nearest function or
 * inlined call above it (lexical blocks in between are looked through).
 * DW_AT_sibling is never followed: the walk only moves forwards.  Each
 * DIE is also shown to vars.c, which keeps its own context per depth.
 */
#include "debug/dwarf.h"

enum {
    TAG_INLINED_SUBROUTINE = 0x1d, TAG_COMPILE_UNIT = 0x11,
    TAG_SUBPROGRAM = 0x2e, TAG_PARTIAL_UNIT = 0x3c,
};
enum {
    AT_LOCATION = 0x02, AT_NAME = 0x03, AT_BYTE_SIZE = 0x0b,
    AT_BIT_OFFSET = 0x0c, AT_BIT_SIZE = 0x0d, AT_STMT_LIST = 0x10,
    AT_LOW_PC = 0x11, AT_HIGH_PC = 0x12, AT_COMP_DIR = 0x1b,
    AT_CONST_VALUE = 0x1c, AT_LOWER_BOUND = 0x22, AT_UPPER_BOUND = 0x2f,
    AT_ABSTRACT_ORIGIN = 0x31, AT_COUNT = 0x37, AT_DATA_MEMBER_LOCATION = 0x38,
    AT_DECLARATION = 0x3c, AT_ENCODING = 0x3e, AT_FRAME_BASE = 0x40,
    AT_SPECIFICATION = 0x47, AT_TYPE = 0x49, AT_RANGES = 0x55,
    AT_CALL_COLUMN = 0x57, AT_CALL_FILE = 0x58, AT_CALL_LINE = 0x59,
    AT_DATA_BIT_OFFSET = 0x6b, AT_LINKAGE_NAME = 0x6e,
    AT_STR_OFFSETS_BASE = 0x72, AT_ADDR_BASE = 0x73, AT_RNGLISTS_BASE = 0x74,
    AT_MIPS_LINKAGE_NAME = 0x2007,
};
/* DWARF 5 unit types; the others (type, skeleton, split units) carry no
 * code of this module's that a compile unit does not describe. */
enum { UT_COMPILE = 1, UT_PARTIAL = 3 };

static DwValue *var_slot(DwDie *d, uint32_t at)
{
    switch (at) {
    case AT_TYPE: return &d->type;
    case AT_LOCATION: return &d->location;
    case AT_FRAME_BASE: return &d->frame_base;
    case AT_BYTE_SIZE: return &d->byte_size;
    case AT_ENCODING: return &d->encoding;
    case AT_DECLARATION: return &d->declaration;
    case AT_DATA_MEMBER_LOCATION: return &d->member_loc;
    case AT_CONST_VALUE: return &d->const_value;
    case AT_COUNT: return &d->count;
    case AT_UPPER_BOUND: return &d->upper_bound;
    case AT_LOWER_BOUND: return &d->lower_bound;
    case AT_BIT_SIZE: return &d->bit_size;
    case AT_BIT_OFFSET: return &d->bit_offset;
    case AT_DATA_BIT_OFFSET: return &d->data_bit_offset;
    default: return NULL;
    }
}

static DwValue *slot(DwDie *d, uint32_t at)
{
    switch (at) {
    case AT_NAME: return &d->name;
    case AT_LINKAGE_NAME: case AT_MIPS_LINKAGE_NAME: return &d->linkage;
    case AT_LOW_PC: return &d->low;
    case AT_HIGH_PC: return &d->high;
    case AT_RANGES: return &d->ranges;
    case AT_ABSTRACT_ORIGIN: return &d->origin;
    case AT_SPECIFICATION: return &d->spec;
    case AT_CALL_FILE: return &d->call_file;
    case AT_CALL_LINE: return &d->call_line;
    case AT_CALL_COLUMN: return &d->call_col;
    case AT_STMT_LIST: return &d->stmt_list;
    case AT_COMP_DIR: return &d->comp_dir;
    case AT_STR_OFFSETS_BASE: return &d->str_base;
    case AT_ADDR_BASE: return &d->addr_base;
    case AT_RNGLISTS_BASE: return &d->rng_base;
    default: return var_slot(d, at);
    }
}

static bool read_die(DwCursor *c, const DwUnit *u, const DwAbbrevs *abs,
                     const DwAbbrev *ab, DwBudget *b, DwDie *d)
{
    *d = (DwDie){.tag = ab->tag};
    for (uint32_t i = 0; i < ab->nattrs; i++) {
        const DwAttrSpec *s = &abs->specs[ab->first + i];
        DwValue v, *to = slot(d, s->at);
        /* attributes of zero-byte forms cost nothing in the section */
        if (!dw_spend(b, 1) || !dw_form(c, s->form, s->implicit, u, &v)) return false;
        if (to) *to = v;
    }
    return true;
}

typedef struct Walk {
    const DwSections *sec;
    DebugInfo *d;
    DwBudget *b;
    DwAbbrevs abbrevs;
    DwLines lines;
    bool have_lines;
    uint32_t units;     /* compile units read so far: a unit's number */
} Walk;

static uint64_t const_or(const DwValue *v, uint64_t dflt)
{
    return v->cls == DWV_CONST || v->cls == DWV_SECOFF ? v->u : dflt;
}

static const char *die_name(const DwUnit *u, const DwDie *d)
{
    const char *s = dw_value_str(u, &d->name);
    return s ? s : dw_value_str(u, &d->linkage);
}

static uint64_t die_ref(const DwDie *d)
{
    if (d->origin.cls == DWV_REF) return d->origin.u;
    if (d->spec.cls == DWV_REF) return d->spec.u;
    return DBG_NO_DIE;
}

typedef struct RangeArg {
    DebugInfo *d;
    uint32_t scope;
} RangeArg;

static bool add_range(void *arg, uint64_t lo, uint64_t hi)
{
    RangeArg *r = arg;
    return dbg_add_range(r->d, r->scope, lo, hi);
}

bool dw_has_code(const DwDie *d)
{
    return d->low.cls != DWV_NONE || d->ranges.cls != DWV_NONE;
}

void dw_die_ranges(const DwUnit *u, const DwDie *d, DwBudget *b, DwRangeFn fn,
                   void *arg)
{
    uint64_t lo, hi;
    if (d->ranges.cls != DWV_NONE) {
        dw_ranges(u, &d->ranges, b, fn, arg);
    } else if (dw_value_addr(u, &d->low, &lo)) {
        /* DWARF 4 made a constant high_pc the length */
        if (d->high.cls == DWV_CONST) hi = lo + d->high.u;
        else if (!dw_value_addr(u, &d->high, &hi)) hi = lo + 1;
        fn(arg, lo, hi);
    }
}

static void add_ranges(Walk *w, const DwUnit *u, const DwDie *d, uint32_t scope)
{
    RangeArg arg = {w->d, scope};
    dw_die_ranges(u, d, w->b, add_range, &arg);
}

/* Records a function or inlined call; its scope index, or DBG_NONE. */
static uint32_t scope_of(Walk *w, const DwUnit *u, const DwDie *d, uint32_t enclosing)
{
    const char *name = die_name(u, d);
    if (d->tag == TAG_SUBPROGRAM) {
        dbg_add_name(w->d, d->off, name, die_ref(d));
        if (!dw_has_code(d)) return DBG_NONE;
        DbgScope s = {name, die_ref(d), DBG_NONE, 0, DBG_NONE, 0, 0, 0, DBG_NONE};
        uint32_t i = dbg_add_scope(w->d, &s);
        if (i != DBG_NONE) add_ranges(w, u, d, i);
        return i;
    }
    if (d->tag != TAG_INLINED_SUBROUTINE || enclosing == DBG_NONE || !dw_has_code(d))
        return DBG_NONE;
    const DbgScope *p = &w->d->scopes[enclosing];
    DbgScope s = {
        .name = name,
        .ref = die_ref(d),
        .parent = enclosing,
        .top = p->top,
        .call_file = w->have_lines && d->call_file.cls == DWV_CONST
                         ? dw_lines_file(&w->lines, d->call_file.u) : DBG_NONE,
        .call_line = (uint32_t)const_or(&d->call_line, 0),
        .call_col = (uint32_t)const_or(&d->call_col, 0),
        .depth = (uint16_t)(p->depth + 1),
    };
    uint32_t i = dbg_add_scope(w->d, &s);
    if (i != DBG_NONE) add_ranges(w, u, d, i);
    return i;
}

/* The compile unit's own DIE: the bases its other values need, and its
 * line table. */
static void open_unit(Walk *w, DwUnit *u, DwDie *cu)
{
    u->str_offsets_base = const_or(&cu->str_base, DW_ABSENT);
    u->addr_base = const_or(&cu->addr_base, DW_ABSENT);
    u->rnglists_base = const_or(&cu->rng_base, DW_ABSENT);
    uint64_t base;
    if (dw_value_addr(u, &cu->low, &base)) u->base_addr = base;
    uint64_t stmt = const_or(&cu->stmt_list, DW_ABSENT);
    const char *comp_dir = dw_value_str(u, &cu->comp_dir);
    w->have_lines = stmt != DW_ABSENT &&
                    dw_lines_open(u, stmt, comp_dir, w->d, w->b, &w->lines);
    if (w->have_lines) dw_lines_run(&w->lines);
}

#define MAX_TREE_DEPTH 1024

static void read_unit(Walk *w, DwCursor *c, DwUnit *u)
{
    const uint8_t *info = w->sec->info.p;
    uint32_t enclosing[MAX_TREE_DEPTH];
    DwVarCtx vars[MAX_TREE_DEPTH];
    DwDie die;
    const DwAbbrev *ab = dw_abbrev(&w->abbrevs, dc_uleb(c));
    if (c->bad || !ab || (ab->tag != TAG_COMPILE_UNIT && ab->tag != TAG_PARTIAL_UNIT) ||
        !read_die(c, u, &w->abbrevs, ab, w->b, &die))
        return;
    open_unit(w, u, &die);
    unsigned depth = ab->children ? 1 : 0;
    enclosing[1] = DBG_NONE;
    vars[1] = (DwVarCtx){DBG_NONE, DBG_NONE};
    while (depth > 0 && dc_more(c) && !w->d->full) {
        uint64_t off = (uint64_t)(c->p - info);
        uint64_t code = dc_uleb(c);
        if (code == 0) {
            depth--;
            continue;
        }
        ab = dw_abbrev(&w->abbrevs, code);
        if (c->bad || !ab || !read_die(c, u, &w->abbrevs, ab, w->b, &die)) break;
        die.off = off;
        uint32_t s = scope_of(w, u, &die, enclosing[depth]);
        DwVarCtx inner = dw_vars_die(w->d, u, w->units, &die, s, vars[depth], w->b);
        if (ab->children) {
            if (depth + 1 >= MAX_TREE_DEPTH) break;
            enclosing[depth + 1] = s != DBG_NONE ? s : enclosing[depth];
            vars[depth + 1] = inner;
            depth++;
        }
    }
    if (w->have_lines) dw_lines_close(&w->lines);
    w->have_lines = false;
}

/* A unit header: false if the unit is not a compile unit we can read. */
static bool unit_header(DwCursor *uc, bool is64, DwUnit *u, uint64_t *abbrev_off)
{
    u->version = dc_u16(uc);
    uint8_t type = UT_COMPILE;
    if (u->version >= 5) {
        type = dc_u8(uc);
        u->addr_size = dc_u8(uc);
        *abbrev_off = dc_offset(uc, is64);
    } else {
        *abbrev_off = dc_offset(uc, is64);
        u->addr_size = dc_u8(uc);
    }
    return !uc->bad && u->version >= 2 && u->version <= 5 && u->addr_size >= 1 &&
           u->addr_size <= 8 && (type == UT_COMPILE || type == UT_PARTIAL);
}

void dw_read_info(const DwSections *s, DebugInfo *d, DwBudget *b)
{
    Walk w = {.sec = s, .d = d, .b = b, .abbrevs = {.offset = DW_ABSENT}};
    DwCursor c = dc_at(s->info, 0);
    while (dc_more(&c) && b->left && !d->full) {
        uint64_t off = (uint64_t)(c.p - s->info.p);
        DwUnit u = {.sec = s, .off = off, .str_offsets_base = DW_ABSENT,
                    .addr_base = DW_ABSENT, .rnglists_base = DW_ABSENT};
        DwCursor uc = dc_unit(&c, &u.is64);
        if (c.bad) break; /* no length to find the next unit by */
        uint64_t abbrev_off;
        if (!unit_header(&uc, u.is64, &u, &abbrev_off) ||
            !dw_abbrevs_load(s->abbrev, abbrev_off, b, &w.abbrevs))
            continue;
        read_unit(&w, &uc, &u);
        w.units++;
    }
    dw_abbrevs_free(&w.abbrevs);
}
