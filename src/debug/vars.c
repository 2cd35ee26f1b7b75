/*
 * vars.c - the variables of a module's C source: recording them, their
 * scopes and their types during the DIE walk (info.c shows it every DIE),
 * and finding those in scope at a code offset.
 *
 * Recorded: DW_TAG_variable at file scope, DW_TAG_formal_parameter and
 * DW_TAG_variable of a function that has code and of the lexical blocks in
 * it (nested at most DBG_MAX_NEST deep), and every type DIE with its
 * members, enumerators, dimensions and parameters.  Variables of inlined
 * calls, of functions without code and those without a name are not.
 *
 * A location is decoded here, once, into a DbgWhere: DW_OP_fbreg N (the
 * function's DW_AT_frame_base being DW_OP_WASM_location of a local or a
 * global), DW_OP_WASM_location itself (followed by DW_OP_stack_value the
 * value is in that local or global, else the local holds its address),
 * DW_OP_addr and DW_OP_addrx.  Any other expression, or anything after one
 * of those, is DBG_AT_OTHER: shown as unsupported, never guessed at.  A
 * location list is DBG_AT_OTHER too.
 */
#include "debug/dwarf.h"
#include "debug/vars.h"

enum {
    TAG_ARRAY = 0x01, TAG_CLASS = 0x02, TAG_ENUM = 0x04, TAG_PARAM = 0x05,
    TAG_LEXICAL_BLOCK = 0x0b, TAG_MEMBER = 0x0d, TAG_POINTER = 0x0f,
    TAG_REFERENCE = 0x10, TAG_STRUCT = 0x13, TAG_SUBROUTINE = 0x15,
    TAG_TYPEDEF = 0x16, TAG_UNION = 0x17, TAG_VARARGS = 0x18,
    TAG_SUBRANGE = 0x21, TAG_BASE = 0x24, TAG_CONST = 0x26,
    TAG_ENUMERATOR = 0x28, TAG_SUBPROGRAM = 0x2e, TAG_VARIABLE = 0x34,
    TAG_VOLATILE = 0x35, TAG_RESTRICT = 0x37, TAG_NAMESPACE = 0x39,
    TAG_UNSPECIFIED = 0x3b, TAG_RVALUE_REFERENCE = 0x42, TAG_ATOMIC = 0x47,
};
enum {
    OP_ADDR = 0x03, OP_PLUS_UCONST = 0x23, OP_FBREG = 0x91,
    OP_STACK_VALUE = 0x9f, OP_ADDRX = 0xa1, OP_WASM_LOCATION = 0xed,
    OP_GNU_ADDR_INDEX = 0xfb,
};
/* DW_OP_WASM_location's kinds: a local, a global (index as ULEB or, for
 * relocation, as a fixed 4 bytes), and the operand stack. */
enum { WASM_LOCAL = 0, WASM_GLOBAL = 1, WASM_STACK = 2, WASM_GLOBAL_U32 = 3 };

#define GROW(d, arr, n, cap, max) \
    dbg_grow(&(d)->vars_full, (void **)&(d)->arr, (d)->n, &(d)->cap, sizeof *(d)->arr, (max))

/* ---- attribute values ------------------------------------------------ */

static bool is_const(const DwValue *v) { return v->cls == DWV_CONST; }

static bool flag(const DwValue *v) { return is_const(v) && v->u; }

static uint64_t ref_of(const DwValue *v)
{
    return v->cls == DWV_REF ? v->u : DBG_NO_DIE;
}

/* A location expression, when it is one we evaluate. */
static DbgWhere where_of(const DwUnit *u, const DwValue *v)
{
    DbgWhere w = {.kind = DBG_AT_OTHER};
    /* no location, or an empty one: the variable has no storage here */
    if (v->cls == DWV_NONE || (v->cls == DWV_BLOCK && v->u == 0))
        return (DbgWhere){.kind = DBG_AT_NONE};
    if (v->cls != DWV_BLOCK) return w; /* a location list */
    DwCursor c = {v->block, v->block + v->u, false};
    uint64_t x;
    DwValue ax = {.cls = DWV_ADDRX};
    switch (dc_u8(&c)) {
    case OP_FBREG: w.kind = DBG_AT_FBREG; w.off = dc_sleb(&c); break;
    case OP_ADDR:
        x = dc_uint(&c, u->addr_size);
        w.kind = DBG_AT_ADDR;
        break;
    case OP_ADDRX:
    case OP_GNU_ADDR_INDEX:
        ax.u = dc_uleb(&c);
        if (c.bad || !dw_value_addr(u, &ax, &x)) return w;
        w.kind = DBG_AT_ADDR;
        break;
    case OP_WASM_LOCATION: {
        uint8_t kind = dc_u8(&c);
        x = kind == WASM_GLOBAL_U32 ? dc_u32(&c) : dc_uleb(&c);
        if (c.bad || x > UINT32_MAX || kind == WASM_STACK || kind > WASM_GLOBAL_U32)
            return w;
        w.kind = kind == WASM_LOCAL ? DBG_AT_LOCAL : DBG_AT_GLOBAL;
        w.index = (uint32_t)x;
        /* The operation pushes the local's value.  Marked as the value, it
         * is the variable's; else, as with DW_OP_breg, it is where the
         * variable is (clang: a struct passed by value, through a pointer). */
        w.indirect = !(dc_more(&c) && *c.p == OP_STACK_VALUE);
        if (!w.indirect) c.p++;
        break;
    }
    default: return w;
    }
    if (c.bad || dc_more(&c)) return (DbgWhere){.kind = DBG_AT_OTHER};
    if (w.kind == DBG_AT_ADDR) {
        /* all ones is the linker's tombstone for data it dropped */
        if (x == UINT64_MAX >> (64 - 8 * u->addr_size)) return (DbgWhere){.kind = DBG_AT_NONE};
        w.off = (int64_t)x;
    }
    return w;
}

/* ---- types ------------------------------------------------------------- */

static int type_kind(uint32_t tag)
{
    switch (tag) {
    case TAG_BASE: return DBG_T_BASE;
    case TAG_POINTER: case TAG_REFERENCE: case TAG_RVALUE_REFERENCE: return DBG_T_POINTER;
    case TAG_TYPEDEF: return DBG_T_TYPEDEF;
    case TAG_CONST: return DBG_T_CONST;
    case TAG_VOLATILE: return DBG_T_VOLATILE;
    case TAG_RESTRICT: return DBG_T_RESTRICT;
    case TAG_ATOMIC: return DBG_T_ATOMIC;
    case TAG_ENUM: return DBG_T_ENUM;
    case TAG_STRUCT: return DBG_T_STRUCT;
    case TAG_UNION: return DBG_T_UNION;
    case TAG_CLASS: return DBG_T_CLASS;
    case TAG_ARRAY: return DBG_T_ARRAY;
    case TAG_SUBROUTINE: return DBG_T_FUNC;
    case TAG_UNSPECIFIED: return DBG_T_UNSPECIFIED;
    default: return -1;
    }
}

static uint32_t add_type(DebugInfo *d, const DwUnit *u, const DwDie *die, int kind)
{
    if (!GROW(d, types, ntypes, cap_types, DBG_MAX_TYPES)) return DBG_NONE;
    uint64_t size = is_const(&die->byte_size) ? die->byte_size.u : DBG_NO_SIZE;
    /* a pointer's size is the unit's address size unless it says */
    if (kind == DBG_T_POINTER && size == DBG_NO_SIZE) size = u->addr_size;
    d->types[d->ntypes] = (DbgType){
        .die = die->off,
        .name = dw_value_str(u, &die->name),
        .base = ref_of(&die->type),
        .size = size,
        .first_field = d->nfields,
        .end_field = d->nfields,
        .kind = (uint8_t)kind,
        .encoding = (uint8_t)(is_const(&die->encoding) ? die->encoding.u : 0),
        .incomplete = flag(&die->declaration),
    };
    return d->ntypes++;
}

static void add_field(DebugInfo *d, uint32_t type, DbgField f)
{
    if (type >= d->ntypes || !GROW(d, fields, nfields, cap_fields, DBG_MAX_FIELDS)) return;
    f.parent = type;
    d->fields[d->nfields++] = f;
    d->types[type].end_field = d->nfields;
}

/* A bit field's place: DWARF 4+ counts data_bit_offset from the start of
 * the struct; DWARF 2-3 (and clang's DWARF 4) give the storage unit's size
 * and bit_offset from its most significant bit, which on a little-endian
 * machine is byte_size * 8 - bit_offset - bit_size from its lowest. */
static void member_bits(const DwDie *die, DbgField *f)
{
    uint64_t bits = die->bit_size.u, lsb;
    if (!is_const(&die->bit_size) || bits == 0 || bits > 64) goto bad;
    if (is_const(&die->data_bit_offset)) {
        f->value = (int64_t)(die->data_bit_offset.u / 8);
        lsb = die->data_bit_offset.u % 8;
    } else if (is_const(&die->bit_offset)) {
        uint64_t unit_bits = die->byte_size.u * 8;
        if (!is_const(&die->byte_size) || die->byte_size.u > 8 ||
            die->bit_offset.u + bits > unit_bits)
            goto bad;
        lsb = unit_bits - die->bit_offset.u - bits;
        f->value += (int64_t)(lsb / 8);
        lsb %= 8;
    } else {
        lsb = 0;
    }
    if (lsb + bits > 64) goto bad;
    f->bit_size = (uint8_t)bits;
    f->bit_off = (uint8_t)lsb;
    return;
bad:
    f->bit_size = DBG_BAD_BITS;
}

static DbgField member(const DwDie *die, const DwUnit *u)
{
    DbgField f = {.kind = DBG_F_MEMBER, .name = dw_value_str(u, &die->name),
                  .type = ref_of(&die->type)};
    const DwValue *loc = &die->member_loc;
    if (is_const(loc)) {
        f.value = (int64_t)loc->u;
    } else if (loc->cls == DWV_BLOCK) {
        /* DWARF 2: the expression DW_OP_plus_uconst N */
        DwCursor c = {loc->block, loc->block + loc->u, false};
        uint8_t op = dc_u8(&c);
        uint64_t n = dc_uleb(&c);
        if (op != OP_PLUS_UCONST || c.bad || dc_more(&c) || n > INT64_MAX)
            f.bit_size = DBG_BAD_BITS;
        f.value = (int64_t)n;
    } else if (loc->cls != DWV_NONE) {
        f.bit_size = DBG_BAD_BITS; /* a location list: not at a fixed place */
    }
    if (die->bit_size.cls != DWV_NONE && f.bit_size != DBG_BAD_BITS) member_bits(die, &f);
    return f;
}

/* Elements of a dimension: count, or upper_bound - lower_bound + 1 (C's
 * lower bound is 0).  A bound that is not a constant (a VLA's) is unknown. */
static int64_t dim_count(const DwDie *die)
{
    if (is_const(&die->count)) return die->count.u > INT64_MAX ? DBG_NO_COUNT : (int64_t)die->count.u;
    if (!is_const(&die->upper_bound)) return DBG_NO_COUNT;
    int64_t lo = is_const(&die->lower_bound) ? (int64_t)die->lower_bound.u : 0;
    int64_t hi = (int64_t)die->upper_bound.u;
    if (hi < lo) return 0;
    if (lo < 0 && hi > INT64_MAX + lo) return DBG_NO_COUNT;
    return hi - lo < INT64_MAX ? hi - lo + 1 : DBG_NO_COUNT;
}

static void add_type_child(DebugInfo *d, const DwUnit *u, const DwDie *die, uint32_t type)
{
    DbgField f = {0};
    switch (die->tag) {
    case TAG_MEMBER: f = member(die, u); break;
    case TAG_ENUMERATOR:
        if (!is_const(&die->const_value)) return;
        f = (DbgField){.kind = DBG_F_ENUMERATOR, .name = dw_value_str(u, &die->name),
                       .value = (int64_t)die->const_value.u};
        break;
    case TAG_SUBRANGE: f = (DbgField){.kind = DBG_F_DIM, .value = dim_count(die)}; break;
    case TAG_PARAM: f = (DbgField){.kind = DBG_F_PARAM, .type = ref_of(&die->type)}; break;
    case TAG_VARARGS: f = (DbgField){.kind = DBG_F_VARARGS}; break;
    default: return;
    }
    add_field(d, type, f);
}

/* ---- functions, blocks and variables ----------------------------------- */

static uint32_t add_block(DebugInfo *d, uint32_t parent, uint32_t unit, DbgWhere fb)
{
    uint16_t depth = parent == DBG_NONE ? 1 : (uint16_t)(d->blocks[parent].depth + 1);
    if (depth > DBG_MAX_NEST || !GROW(d, blocks, nblocks, cap_blocks, DBG_MAX_BLOCKS))
        return DW_SKIP;
    uint32_t i = d->nblocks++;
    d->blocks[i] = (DbgBlock){
        .func = parent == DBG_NONE ? i : d->blocks[parent].func,
        .parent = parent,
        .first_range = DBG_NONE,
        .first_var = d->nvars,
        .end_var = d->nvars,
        .unit = unit,
        .depth = depth,
        .frame_base = fb,
    };
    return i;
}

static bool add_block_range(void *arg, uint64_t lo, uint64_t hi)
{
    DebugInfo *d = arg;
    DbgBlock *b = &d->blocks[d->nblocks - 1];
    if (lo >= hi || hi > d->code_size) return true; /* describes no code */
    if (!GROW(d, branges, nbranges, cap_branges, DBG_MAX_RANGES)) return false;
    d->branges[d->nbranges++] = (DbgBlockRange){(uint32_t)lo, (uint32_t)hi};
    b->nranges++;
    return true;
}

/* A lexical block in block `parent`: where its code is, or, when it does
 * not say, all of its parent. */
static uint32_t add_lexical(DebugInfo *d, const DwUnit *u, const DwDie *die,
                            uint32_t parent, DwBudget *b)
{
    uint32_t i = add_block(d, parent, d->blocks[parent].unit, (DbgWhere){0});
    if (i == DW_SKIP || !dw_has_code(die)) return i;
    d->blocks[i].first_range = d->nbranges;
    dw_die_ranges(u, die, b, add_block_range, d);
    return i;
}

static void add_var(DebugInfo *d, const DwUnit *u, uint32_t unit, const DwDie *die,
                    uint32_t block, bool param)
{
    const char *name = dw_value_str(u, &die->name);
    DbgWhere w = where_of(u, &die->location);
    /* an extern declaration: the definition says where the object is */
    if (!name || flag(&die->declaration)) return;
    if (block == DBG_NONE && w.kind == DBG_AT_NONE) return;
    if (!GROW(d, vars, nvars, cap_vars, DBG_MAX_VARS)) return;
    if (block == DBG_NONE && !GROW(d, globals, nglobals, cap_globals, DBG_MAX_VARS)) return;
    uint32_t i = d->nvars++;
    d->vars[i] = (DbgVar){name, ref_of(&die->type), w, block, unit, param};
    if (block == DBG_NONE) d->globals[d->nglobals++] = i;
    else d->blocks[d->blocks[block].func].end_var = i + 1;
}

DwVarCtx dw_vars_die(DebugInfo *d, const DwUnit *u, uint32_t unit, const DwDie *die,
                     uint32_t scope, DwVarCtx ctx, DwBudget *b)
{
    const DwVarCtx skip = {DW_SKIP, DBG_NONE};
    bool in_func = ctx.block != DBG_NONE && ctx.block != DW_SKIP;
    if (d->vars_full) return skip;
    switch (die->tag) {
    case TAG_SUBPROGRAM: {
        if (ctx.block != DBG_NONE || ctx.type != DBG_NONE || scope == DBG_NONE) return skip;
        uint32_t i = add_block(d, DBG_NONE, unit, where_of(u, &die->frame_base));
        if (i != DW_SKIP) d->scopes[scope].block = i;
        return (DwVarCtx){i, DBG_NONE};
    }
    case TAG_LEXICAL_BLOCK:
        return in_func ? (DwVarCtx){add_lexical(d, u, die, ctx.block, b), DBG_NONE} : skip;
    case TAG_VARIABLE:
        if (ctx.block != DW_SKIP && ctx.type == DBG_NONE)
            add_var(d, u, unit, die, ctx.block, false);
        return skip;
    case TAG_PARAM:
        if (ctx.type != DBG_NONE) add_type_child(d, u, die, ctx.type);
        else if (in_func && d->blocks[ctx.block].parent == DBG_NONE)
            add_var(d, u, unit, die, ctx.block, true);
        return skip;
    case TAG_MEMBER: case TAG_ENUMERATOR: case TAG_SUBRANGE: case TAG_VARARGS:
        if (ctx.type != DBG_NONE) add_type_child(d, u, die, ctx.type);
        return skip;
    case TAG_NAMESPACE:
        return ctx;
    default: {
        int kind = type_kind(die->tag);
        if (kind < 0) return skip;
        uint32_t t = add_type(d, u, die, kind);
        return (DwVarCtx){DW_SKIP, t};
    }
    }
}

/* ---- after the walk ------------------------------------------------------ */

/* The types[] index of the type DIE at offset die: types[] is in DIE
 * order, which is offset order (table.h). */
static uint64_t resolve(const DebugInfo *d, uint64_t die)
{
    if (die == DBG_NO_DIE) return DBG_NONE;
    uint32_t lo = 0, hi = d->ntypes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->types[mid].die < die) lo = mid + 1;
        else hi = mid;
    }
    return lo < d->ntypes && d->types[lo].die == die ? lo : DBG_BAD_TYPE;
}

void dbg_vars_finish(DebugInfo *d)
{
    for (uint32_t i = 0; i < d->nvars; i++) d->vars[i].type = resolve(d, d->vars[i].type);
    for (uint32_t i = 0; i < d->ntypes; i++) d->types[i].base = resolve(d, d->types[i].base);
    for (uint32_t i = 0; i < d->nfields; i++) d->fields[i].type = resolve(d, d->fields[i].type);
}

/* ---- what is in scope ------------------------------------------------------ */

/* The function block of the code at module offset off, or DBG_NONE; *addr
 * its DWARF address. */
static uint32_t func_at(const DebugInfo *d, uint64_t off, uint32_t *addr)
{
    if (!d || off < d->code_start || off - d->code_start >= d->code_size) return DBG_NONE;
    *addr = (uint32_t)(off - d->code_start);
    uint32_t s = dbg_func_at(d, *addr);
    return s == DBG_NONE ? DBG_NONE : d->scopes[s].block;
}

static bool block_holds(const DebugInfo *d, uint32_t b, uint32_t addr)
{
    /* blocks nest at most DBG_MAX_NEST deep, and a parent comes first */
    for (; b != DBG_NONE && d->blocks[b].parent != DBG_NONE; b = d->blocks[b].parent) {
        const DbgBlock *bl = &d->blocks[b];
        if (bl->first_range == DBG_NONE) continue;
        bool in = false;
        for (uint32_t r = bl->first_range; r < bl->first_range + bl->nranges && !in; r++)
            in = addr >= d->branges[r].lo && addr < d->branges[r].hi;
        if (!in) return false;
    }
    return true;
}

static bool in_scope(const DebugInfo *d, uint32_t func, uint32_t addr, uint32_t v)
{
    const DbgVar *var = &d->vars[v];
    if (var->block == DBG_NONE) return var->unit == d->blocks[func].unit;
    return d->blocks[var->block].func == func && block_holds(d, var->block, addr);
}

/* Where v goes in the list: parameters, locals from the deepest block
 * out, file-scope variables. */
static unsigned bucket(const DebugInfo *d, const DbgVar *v)
{
    if (v->block == DBG_NONE) return DBG_MAX_NEST + 1;
    if (v->param) return 0;
    return DBG_MAX_NEST + 1 - d->blocks[v->block].depth;
}

/* The span of globals[] of compile unit `unit` (globals[] is by unit). */
static void unit_globals(const DebugInfo *d, uint32_t unit, uint32_t *first, uint32_t *end)
{
    uint32_t lo = 0, hi = d->nglobals;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->vars[d->globals[mid]].unit < unit) lo = mid + 1;
        else hi = mid;
    }
    *first = *end = lo;
    while (*end < d->nglobals && d->vars[d->globals[*end]].unit == unit) (*end)++;
}

/* The variables in scope in order: a counting sort by bucket, so one
 * pass counts and a second places, in DIE order within a bucket. */
typedef struct Order {
    uint32_t at[DBG_MAX_NEST + 2];
    uint32_t *out, cap;
    bool place;
} Order;

static void visit(const DebugInfo *d, Order *o, uint32_t v)
{
    unsigned k = bucket(d, &d->vars[v]);
    uint32_t pos = o->at[k]++;
    if (o->place && pos < o->cap) o->out[pos] = v;
}

static void visit_scope(const DebugInfo *d, uint32_t func, uint32_t addr, Order *o)
{
    const DbgBlock *f = &d->blocks[func];
    for (uint32_t v = f->first_var; v < f->end_var; v++)
        if (d->vars[v].block != DBG_NONE && in_scope(d, func, addr, v)) visit(d, o, v);
    uint32_t g, end;
    unit_globals(d, f->unit, &g, &end);
    for (; g < end; g++) visit(d, o, d->globals[g]);
}

uint32_t dbg_scope_vars(const DebugInfo *d, uint64_t code_offset, uint32_t *out, uint32_t cap)
{
    uint32_t addr, func = func_at(d, code_offset, &addr);
    if (func == DBG_NONE || func >= d->nblocks) return 0;
    Order o = {.out = out, .cap = out ? cap : 0};
    visit_scope(d, func, addr, &o);
    /* counts to starting positions */
    uint32_t total = 0;
    for (unsigned k = 0; k < DBG_MAX_NEST + 2; k++) {
        uint32_t n = o.at[k];
        o.at[k] = total;
        total += n;
    }
    if (o.cap) {
        o.place = true;
        visit_scope(d, func, addr, &o);
    }
    return total;
}

bool dbg_var_in_scope(const DebugInfo *d, uint64_t code_offset, uint32_t v)
{
    uint32_t addr, func = func_at(d, code_offset, &addr);
    return func != DBG_NONE && func < d->nblocks && v < d->nvars && in_scope(d, func, addr, v);
}

DbgVarInfo dbg_var_info(const DebugInfo *d, uint32_t v)
{
    if (!d || v >= d->nvars) return (DbgVarInfo){0};
    const DbgVar *var = &d->vars[v];
    bool global = var->block == DBG_NONE;
    return (DbgVarInfo){var->name, var->param, global,
                        global ? 0 : d->blocks[var->block].depth};
}
