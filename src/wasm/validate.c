/*
 * validate.c - the WebAssembly 2.0 validation rules.
 *
 * First the module-level rules (index spaces, limits, constant
 * expressions, segments, exports, start), which also collect C.refs: the
 * functions a body may name with ref.func.  Then one pass over each body
 * with the algorithm of the spec's appendix: a stack of operand types and a
 * stack of control frames.  VT_UNKNOWN is the appendix's "Unknown": what a
 * pop yields once a frame became unreachable (after br, return,
 * unreachable, ...), so dead code type-checks against any expectation.
 *
 * The two stacks live in the Validator and are reused for every body of a
 * module, so checking an instruction never allocates.
 *
 * Errors name the spec's wording first ("type mismatch", "unknown local
 * 3"), then the instruction and details: "type mismatch in i32.add:
 * expected i32, got f64".  A body error carries the instruction's byte
 * offset and the function index.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/reader.h"
#include "util/sort.h"
#include "wasm/instr.h"
#include "wasm/limits.h"
#include "wasm/validate.h"

/* The appendix's "Unknown" operand type; no ValType code is 0. */
#define VT_UNKNOWN ((ValType)0)

/*
 * Bound on the operand stack of one body.  Without it a body of calls to
 * a function returning 1000 values could ask for gigabytes of type stack;
 * compilers never come near it.
 */
#define VAL_MAX_OPERANDS (1u << 20)

#define MEM_MAX_PAGES 65536u

typedef struct Ctrl {
    uint16_t op;             /* OPC_BLOCK (also the function's own frame),
                                OPC_LOOP, OPC_IF or OPC_ELSE */
    bool unreachable;        /* stack below is polymorphic from here on */
    uint32_t height;         /* operand stack height at entry, params popped */
    uint32_t nparams, nresults;
    const ValType *params;   /* start types */
    const ValType *results;  /* end types */
    uint32_t br_stamp;       /* last br_table that checked this label */
} Ctrl;

typedef struct Validator {
    Module *m;
    b8g_error *err;
    uint32_t func;           /* function index of the body, or B8G_NO_FUNC */
    Instr ins;               /* the instruction being checked */
    const FuncType *ft;      /* the body's type */
    const Func *body;
    ValType *vals;           /* operand types */
    uint32_t nvals, cap_vals;
    Ctrl *ctrls;
    uint32_t nctrls, cap_ctrls;
    uint32_t br_count;       /* br_tables seen: stamps for Ctrl.br_stamp */
} Validator;

/* One stable copy of each value type, so a single-value block type has a
 * results pointer like any other. */
static const ValType vt_all[] = {VT_I32, VT_I64, VT_F32, VT_F64,
                                 VT_V128, VT_FUNCREF, VT_EXTERNREF};

static const ValType *vt_one(ValType t)
{
    for (size_t i = 0; i < B8G_ARRAY_LEN(vt_all); i++)
        if (vt_all[i] == t) return &vt_all[i];
    return NULL;
}

static const char *vt_name(ValType t)
{
    switch (t) {
    case VT_I32: return "i32";
    case VT_I64: return "i64";
    case VT_F32: return "f32";
    case VT_F64: return "f64";
    case VT_V128: return "v128";
    case VT_FUNCREF: return "funcref";
    case VT_EXTERNREF: return "externref";
    case VT_UNKNOWN: return "any";
    default: return "?";
    }
}

static bool vt_is_num(ValType t)
{
    return t == VT_I32 || t == VT_I64 || t == VT_F32 || t == VT_F64;
}

/* ---- errors -------------------------------------------------------------- */

/* "<head> in <instruction>[: <detail>]" at the current instruction. */
B8G_COLD static b8g_status vset(Validator *v, b8g_status code,
                                const char *head, const char *detail)
{
    err_set(v->err, code, v->ins.offset, "%s in %s%s%s", head,
            op_info[v->ins.op].text, detail[0] ? ": " : "", detail);
    if (v->err) v->err->func = v->func;
    return code;
}

/* An error whose spec text carries an index, e.g. "unknown local 7". */
B8G_PRINTF(3, 4) B8G_COLD
static b8g_status vfail(Validator *v, b8g_status code, const char *fmt, ...)
{
    char head[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    return vset(v, code, head, "");
}

/* "type mismatch in <instruction>: <detail>". */
B8G_PRINTF(2, 3) B8G_COLD
static b8g_status vmismatch(Validator *v, const char *fmt, ...)
{
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return vset(v, B8G_INVALID, "type mismatch", detail);
}

/* ---- operand and control stacks ------------------------------------------ */

/* Makes room for n more operands. */
static b8g_status vals_reserve(Validator *v, uint32_t n)
{
    if (B8G_LIKELY(v->cap_vals - v->nvals >= n)) return B8G_OK;
    if (n > VAL_MAX_OPERANDS - v->nvals)
        return vfail(v, B8G_LIMIT, "operand stack deeper than %u values",
                     VAL_MAX_OPERANDS);
    uint32_t cap = v->cap_vals ? v->cap_vals : 64;
    while (cap - v->nvals < n) cap *= 2;
    if (cap > VAL_MAX_OPERANDS) cap = VAL_MAX_OPERANDS;
    v->vals = xrealloc(v->vals, cap);
    v->cap_vals = cap;
    return B8G_OK;
}

static inline b8g_status push(Validator *v, ValType t)
{
    if (B8G_UNLIKELY(v->nvals == v->cap_vals)) {
        b8g_status st = vals_reserve(v, 1);
        if (st) return st;
    }
    v->vals[v->nvals++] = t;
    return B8G_OK;
}

static b8g_status push_n(Validator *v, const ValType *types, uint32_t n)
{
    b8g_status st = vals_reserve(v, n);
    if (st) return st;
    if (n) memcpy(v->vals + v->nvals, types, n);
    v->nvals += n;
    return B8G_OK;
}

static inline Ctrl *top(Validator *v) { return &v->ctrls[v->nctrls - 1]; }

/* Pops any operand into *out (VT_UNKNOWN from a polymorphic stack). */
static inline b8g_status pop_any(Validator *v, ValType *out)
{
    Ctrl *c = top(v);
    if (B8G_LIKELY(v->nvals > c->height)) {
        *out = v->vals[--v->nvals];
        return B8G_OK;
    }
    if (c->unreachable) {
        *out = VT_UNKNOWN;
        return B8G_OK;
    }
    return vmismatch(v, "expected a value, got nothing");
}

/* Pops one operand that must have type want (or be unknown). */
static inline b8g_status pop_expect(Validator *v, ValType want)
{
    Ctrl *c = top(v);
    if (B8G_LIKELY(v->nvals > c->height)) {
        ValType t = v->vals[--v->nvals];
        if (B8G_LIKELY(t == want) || t == VT_UNKNOWN || want == VT_UNKNOWN)
            return B8G_OK;
        return vmismatch(v, "expected %s, got %s", vt_name(want), vt_name(t));
    }
    if (c->unreachable) return B8G_OK;
    return vmismatch(v, "expected %s, got nothing", vt_name(want));
}

/* Pops types[n-1], ..., types[0]. */
static b8g_status pop_n(Validator *v, const ValType *types, uint32_t n)
{
    /* Fast path for the usual exact match: long signatures (up to
     * LIM_PARAMS) then cost one memcmp, not a branchy loop. */
    if (v->nvals - top(v)->height >= n &&
        (n == 0 || memcmp(v->vals + v->nvals - n, types, n) == 0)) {
        v->nvals -= n;
        return B8G_OK;
    }
    for (uint32_t i = n; i-- > 0;) {
        b8g_status st = pop_expect(v, types[i]);
        if (st) return st;
    }
    return B8G_OK;
}

/*
 * Checks that the top of the stack could be popped as types[0..n) without
 * popping it.  This equals the appendix's "push_vals(pop_vals(types))" that
 * br_table performs per label: popping and re-pushing the actual operands
 * leaves the stack as it was (unknowns that a polymorphic stack would
 * produce match anything, exactly like its bottom does).
 */
static b8g_status peek_n(Validator *v, const ValType *types, uint32_t n)
{
    const Ctrl *c = top(v);
    uint32_t avail = v->nvals - c->height;
    for (uint32_t i = 0; i < n; i++) {
        ValType want = types[n - 1 - i];
        if (i >= avail) {
            if (c->unreachable) return B8G_OK;
            return vmismatch(v, "expected %s, got nothing", vt_name(want));
        }
        ValType t = v->vals[v->nvals - 1 - i];
        if (t != want && t != VT_UNKNOWN)
            return vmismatch(v, "expected %s, got %s", vt_name(want), vt_name(t));
    }
    return B8G_OK;
}

/* The appendix's unreachable(): drop the frame's operands, go polymorphic. */
static void set_unreachable(Validator *v)
{
    Ctrl *c = top(v);
    v->nvals = c->height;
    c->unreachable = true;
}

static b8g_status push_ctrl(Validator *v, uint16_t op, const ValType *params,
                            uint32_t nparams, const ValType *results,
                            uint32_t nresults)
{
    /* LIM_BLOCK_DEPTH counts blocks; the function's own frame is extra. */
    if (B8G_UNLIKELY(v->nctrls == v->cap_ctrls)) {
        if (v->nctrls > LIM_BLOCK_DEPTH)
            return vfail(v, B8G_LIMIT, "blocks nested deeper than %u",
                         LIM_BLOCK_DEPTH);
        uint32_t cap = v->cap_ctrls ? v->cap_ctrls * 2 : 16;
        if (cap > LIM_BLOCK_DEPTH + 1) cap = LIM_BLOCK_DEPTH + 1;
        v->ctrls = xrealloc(v->ctrls, (size_t)cap * sizeof *v->ctrls);
        v->cap_ctrls = cap;
    }
    v->ctrls[v->nctrls++] = (Ctrl){
        .op = op,
        .height = v->nvals,
        .nparams = nparams,
        .nresults = nresults,
        .params = params,
        .results = results,
    };
    return push_n(v, params, nparams);
}

/* Checks the frame's results are exactly what is left on it and pops it;
 * *out receives a copy. */
static b8g_status pop_ctrl(Validator *v, Ctrl *out)
{
    const Ctrl *c = top(v);
    b8g_status st = pop_n(v, c->results, c->nresults);
    if (st) return st;
    if (v->nvals != c->height)
        return vmismatch(v, "%u value%s left on the stack, block type has %u "
                            "result%s",
                         v->nvals - c->height + c->nresults,
                         v->nvals - c->height + c->nresults == 1 ? "" : "s",
                         c->nresults, c->nresults == 1 ? "" : "s");
    *out = *c;
    v->nctrls--;
    return B8G_OK;
}

/* Types a branch to the frame carries: a loop's params, else its results. */
static inline const ValType *label_types(const Ctrl *c, uint32_t *n)
{
    if (c->op == OPC_LOOP) {
        *n = c->nparams;
        return c->params;
    }
    *n = c->nresults;
    return c->results;
}

/* The frame a label index names. */
static b8g_status label_ctrl(Validator *v, uint32_t label, Ctrl **out)
{
    if (label >= v->nctrls) return vfail(v, B8G_INVALID, "unknown label %u", label);
    *out = &v->ctrls[v->nctrls - 1 - label];
    return B8G_OK;
}

/* ---- control instructions ------------------------------------------------ */

/* Resolves the current block/loop/if's block type. */
static b8g_status block_type(Validator *v, const ValType **params,
                             uint32_t *np, const ValType **results,
                             uint32_t *nr)
{
    *params = *results = NULL;
    *np = *nr = 0;
    switch (v->ins.imm.block.kind) {
    case BT_EMPTY:
        return B8G_OK;
    case BT_VAL:
        *results = vt_one(v->ins.imm.block.val);
        if (!*results) return vfail(v, B8G_MALFORMED, "malformed value type");
        *nr = 1;
        return B8G_OK;
    case BT_TYPEIDX: {
        uint32_t idx = v->ins.imm.block.type_idx;
        if (idx >= v->m->ntypes) return vfail(v, B8G_INVALID, "unknown type %u", idx);
        const FuncType *t = &v->m->types[idx];
        *params = ft_params(t);
        *np = t->nparams;
        *results = ft_results(t);
        *nr = t->nresults;
        return B8G_OK;
    }
    default:
        return vfail(v, B8G_MALFORMED, "malformed block type");
    }
}

/* block, loop and if: pop the params, open a frame that re-pushes them. */
static b8g_status op_block(Validator *v)
{
    const ValType *params, *results;
    uint32_t np, nr;
    b8g_status st = block_type(v, &params, &np, &results, &nr);
    if (st) return st;
    if (v->ins.op == OPC_IF && (st = pop_expect(v, VT_I32))) return st;
    if ((st = pop_n(v, params, np))) return st;
    return push_ctrl(v, v->ins.op, params, np, results, nr);
}

static b8g_status op_else(Validator *v)
{
    /* Outside an if the binary decoder ends the block at this byte and
     * then misses its end. */
    if (top(v)->op != OPC_IF) return vfail(v, B8G_MALFORMED, "END opcode expected");
    Ctrl c;
    b8g_status st = pop_ctrl(v, &c);
    if (st) return st;
    return push_ctrl(v, OPC_ELSE, c.params, c.nparams, c.results, c.nresults);
}

static bool same_types(const ValType *a, uint32_t na, const ValType *b, uint32_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static b8g_status op_end(Validator *v)
{
    Ctrl c;
    b8g_status st = pop_ctrl(v, &c);
    if (st) return st;
    /* An if without else has an implicit empty else branch, which must turn
     * the params into the results by itself. */
    if (c.op == OPC_IF && !same_types(c.params, c.nparams, c.results, c.nresults))
        return vmismatch(v, "if without else must have the same params and results");
    if (v->nctrls == 0) return B8G_OK; /* the function's final end */
    return push_n(v, c.results, c.nresults);
}

static b8g_status op_br(Validator *v)
{
    Ctrl *c = NULL;
    uint32_t n;
    b8g_status st = label_ctrl(v, v->ins.imm.idx, &c);
    if (st) return st;
    const ValType *types = label_types(c, &n);
    if ((st = pop_n(v, types, n))) return st;
    set_unreachable(v);
    return B8G_OK;
}

static b8g_status op_br_if(Validator *v)
{
    Ctrl *c = NULL;
    uint32_t n;
    b8g_status st = pop_expect(v, VT_I32);
    if (st) return st;
    if ((st = label_ctrl(v, v->ins.imm.idx, &c))) return st;
    const ValType *types = label_types(c, &n);
    if ((st = pop_n(v, types, n))) return st;
    return push_n(v, types, n);
}

/*
 * Every label must take the default's arity, and the operands must fit
 * each label's types.  A frame named twice is checked once (stamped with
 * this br_table's number): the check leaves the stack unchanged, so
 * repeating it cannot fail, and long tables into a few frames stay linear.
 */
static b8g_status op_br_table(Validator *v)
{
    Ctrl *dflt = NULL;
    uint32_t arity, n;
    b8g_status st = pop_expect(v, VT_I32);
    if (st) return st;
    if ((st = label_ctrl(v, v->ins.imm.br_table.default_label, &dflt))) return st;
    const ValType *dtypes = label_types(dflt, &arity);
    uint32_t stamp = ++v->br_count;
    const uint8_t *it = v->ins.imm.br_table.labels;
    for (uint32_t i = 0; i < v->ins.imm.br_table.count; i++) {
        Ctrl *c = NULL;
        if ((st = label_ctrl(v, ins_br_table_label(&it), &c))) return st;
        if (c->br_stamp == stamp) continue;
        c->br_stamp = stamp;
        const ValType *types = label_types(c, &n);
        if (n != arity)
            return vmismatch(v, "label arities differ (%u and default %u)", n, arity);
        if ((st = peek_n(v, types, n))) return st;
    }
    if ((st = pop_n(v, dtypes, arity))) return st;
    set_unreachable(v);
    return B8G_OK;
}

static b8g_status op_return(Validator *v)
{
    const Ctrl *fn = &v->ctrls[0];
    b8g_status st = pop_n(v, fn->results, fn->nresults);
    if (st) return st;
    set_unreachable(v);
    return B8G_OK;
}

static b8g_status apply_type(Validator *v, const FuncType *t)
{
    b8g_status st = pop_n(v, ft_params(t), t->nparams);
    if (st) return st;
    return push_n(v, ft_results(t), t->nresults);
}

static b8g_status op_call(Validator *v)
{
    uint32_t f = v->ins.imm.idx;
    if (f >= v->m->nfuncs) return vfail(v, B8G_INVALID, "unknown function %u", f);
    return apply_type(v, mod_func_type(v->m, f));
}

static b8g_status op_call_indirect(Validator *v)
{
    const Module *m = v->m;
    uint32_t table = v->ins.imm.ci.table, type = v->ins.imm.ci.type_idx;
    if (table >= m->ntables) return vfail(v, B8G_INVALID, "unknown table %u", table);
    if (m->tables[table].elem != VT_FUNCREF)
        return vmismatch(v, "table %u holds %s, not funcref", table,
                         vt_name(m->tables[table].elem));
    if (type >= m->ntypes) return vfail(v, B8G_INVALID, "unknown type %u", type);
    b8g_status st = pop_expect(v, VT_I32);
    if (st) return st;
    return apply_type(v, &m->types[type]);
}

/* ---- parametric and variable instructions -------------------------------- */

static b8g_status op_drop(Validator *v)
{
    ValType t = VT_UNKNOWN;
    return pop_any(v, &t);
}

/* Untyped select: numeric operands of one type (unknown matches any). */
static b8g_status op_select(Validator *v)
{
    ValType t1 = VT_UNKNOWN, t2 = VT_UNKNOWN;
    b8g_status st = pop_expect(v, VT_I32);
    if (st) return st;
    if ((st = pop_any(v, &t1)) || (st = pop_any(v, &t2))) return st;
    if ((t1 != VT_UNKNOWN && !vt_is_num(t1)) || (t2 != VT_UNKNOWN && !vt_is_num(t2)))
        return vmismatch(v, "select without a type needs numeric operands, got %s",
                         vt_name(vt_is_num(t1) || t1 == VT_UNKNOWN ? t2 : t1));
    if (t1 != t2 && t1 != VT_UNKNOWN && t2 != VT_UNKNOWN)
        return vmismatch(v, "operands are %s and %s", vt_name(t2), vt_name(t1));
    return push(v, t1 == VT_UNKNOWN ? t2 : t1);
}

static b8g_status op_select_t(Validator *v)
{
    if (v->ins.imm.select.count != 1)
        return vfail(v, B8G_INVALID, "invalid result arity");
    ValType t = v->ins.imm.select.type;
    b8g_status st = pop_expect(v, VT_I32);
    if (st) return st;
    if ((st = pop_expect(v, t)) || (st = pop_expect(v, t))) return st;
    return push(v, t);
}

/* Locals are the params followed by the declared locals. */
static b8g_status local_type(Validator *v, ValType *out)
{
    uint32_t idx = v->ins.imm.idx, np = v->ft->nparams;
    if (idx < np) {
        *out = ft_params(v->ft)[idx];
        return B8G_OK;
    }
    if (idx - np < v->body->nlocals) {
        *out = v->body->local_types[idx - np];
        return B8G_OK;
    }
    return vfail(v, B8G_INVALID, "unknown local %u", idx);
}

static b8g_status op_local(Validator *v)
{
    ValType t = VT_UNKNOWN;
    b8g_status st = local_type(v, &t);
    if (st) return st;
    switch (v->ins.op) {
    case OPC_LOCAL_GET: return push(v, t);
    case OPC_LOCAL_SET: return pop_expect(v, t);
    default: /* local.tee */
        if ((st = pop_expect(v, t))) return st;
        return push(v, t);
    }
}

static b8g_status op_global(Validator *v)
{
    uint32_t idx = v->ins.imm.idx;
    if (idx >= v->m->nglobals) return vfail(v, B8G_INVALID, "unknown global %u", idx);
    const GlobalType *g = &v->m->globals[idx].type;
    if (v->ins.op == OPC_GLOBAL_GET) return push(v, g->type);
    if (!g->mut) return vfail(v, B8G_INVALID, "global is immutable");
    return pop_expect(v, g->type);
}

/* ---- references and tables ----------------------------------------------- */

static b8g_status op_ref_is_null(Validator *v)
{
    ValType t = VT_UNKNOWN;
    b8g_status st = pop_any(v, &t);
    if (st) return st;
    if (t != VT_UNKNOWN && !vt_is_ref(t))
        return vmismatch(v, "expected a reference, got %s", vt_name(t));
    return push(v, VT_I32);
}

static b8g_status op_ref_func(Validator *v)
{
    uint32_t f = v->ins.imm.idx;
    if (f >= v->m->nfuncs) return vfail(v, B8G_INVALID, "unknown function %u", f);
    /* C.refs: a body may only take references the module declares
     * outside function bodies. */
    if (!v->m->func_declared[f])
        return vfail(v, B8G_INVALID, "undeclared function reference %u", f);
    return push(v, VT_FUNCREF);
}

static b8g_status table_elem(Validator *v, uint32_t idx, ValType *out)
{
    if (idx >= v->m->ntables) return vfail(v, B8G_INVALID, "unknown table %u", idx);
    *out = v->m->tables[idx].elem;
    return B8G_OK;
}

/* table.get/set/size/grow/fill: operands per the spec, t = the elem type. */
static b8g_status op_table(Validator *v)
{
    ValType t = VT_UNKNOWN;
    b8g_status st = table_elem(v, v->ins.imm.idx, &t);
    if (st) return st;
    switch (v->ins.op) {
    case OPC_TABLE_GET:
        if ((st = pop_expect(v, VT_I32))) return st;
        return push(v, t);
    case OPC_TABLE_SET:
        if ((st = pop_expect(v, t))) return st;
        return pop_expect(v, VT_I32);
    case OPC_TABLE_SIZE:
        return push(v, VT_I32);
    case OPC_TABLE_GROW:
        if ((st = pop_expect(v, VT_I32)) || (st = pop_expect(v, t))) return st;
        return push(v, VT_I32);
    default: /* table.fill */
        if ((st = pop_expect(v, VT_I32)) || (st = pop_expect(v, t))) return st;
        return pop_expect(v, VT_I32);
    }
}

static b8g_status pop_3_i32(Validator *v)
{
    static const ValType three[3] = {VT_I32, VT_I32, VT_I32};
    return pop_n(v, three, 3);
}

static b8g_status op_table_copy(Validator *v)
{
    ValType dst = VT_UNKNOWN, src = VT_UNKNOWN;
    b8g_status st = table_elem(v, v->ins.imm.two.a, &dst);
    if (st || (st = table_elem(v, v->ins.imm.two.b, &src))) return st;
    if (dst != src)
        return vmismatch(v, "copies %s into a %s table", vt_name(src), vt_name(dst));
    return pop_3_i32(v);
}

static b8g_status elem_seg(Validator *v, uint32_t idx, ValType *out)
{
    if (idx >= v->m->nelems)
        return vfail(v, B8G_INVALID, "unknown elem segment %u", idx);
    *out = v->m->elems[idx].type;
    return B8G_OK;
}

static b8g_status op_table_init(Validator *v)
{
    ValType tt = VT_UNKNOWN, et = VT_UNKNOWN;
    b8g_status st = table_elem(v, v->ins.imm.two.b, &tt);
    if (st || (st = elem_seg(v, v->ins.imm.two.a, &et))) return st;
    if (tt != et)
        return vmismatch(v, "segment of %s into a %s table", vt_name(et), vt_name(tt));
    return pop_3_i32(v);
}

static b8g_status op_elem_drop(Validator *v)
{
    ValType t = VT_UNKNOWN;
    return elem_seg(v, v->ins.imm.idx, &t);
}

/* ---- memory ---------------------------------------------------------------- */

static b8g_status need_memory(Validator *v)
{
    if (v->m->nmems == 0) return vfail(v, B8G_INVALID, "unknown memory 0");
    return B8G_OK;
}

/*
 * memory.init and data.drop name data segments, which the binary format
 * only allows after a data count section (so one pass suffices).  An index
 * past every data segment is reported as unknown even without that
 * section: text-format tools omit the section when there are no segments,
 * and the spec tests expect such modules to be invalid, not malformed.
 */
static bool datacount_missing(const Module *m, uint32_t idx)
{
    return !m->has_datacount && idx < m->ndatas;
}

static b8g_status data_seg(Validator *v, uint32_t idx)
{
    const Module *m = v->m;
    if (datacount_missing(m, idx))
        return vfail(v, B8G_MALFORMED, "data count section required");
    if (idx >= (m->has_datacount ? m->datacount : m->ndatas))
        return vfail(v, B8G_INVALID, "unknown data segment %u", idx);
    return B8G_OK;
}

static b8g_status op_memory_init(Validator *v)
{
    uint32_t idx = v->ins.imm.two.a;
    if (datacount_missing(v->m, idx))
        return vfail(v, B8G_MALFORMED, "data count section required");
    b8g_status st = need_memory(v);
    if (st || (st = data_seg(v, idx))) return st;
    return pop_3_i32(v);
}

static b8g_status op_data_drop(Validator *v)
{
    return data_seg(v, v->ins.imm.idx);
}

/* Everything typed by its opcodes.def row: numeric instructions, constants,
 * loads/stores and the memory instructions without segment indices. */
static b8g_status op_simple(Validator *v)
{
    const OpInfo *oi = &op_info[v->ins.op];
    b8g_status st;
    if (oi->imm == IMM_MEMARG || oi->imm == IMM_MEMIDX || oi->imm == IMM_MEMORY_COPY) {
        if ((st = need_memory(v))) return st;
        if (oi->imm == IMM_MEMARG &&
            (v->ins.imm.mem.align >= 8 || (1u << v->ins.imm.mem.align) > oi->memsize))
            return vfail(v, B8G_INVALID, "alignment must not be larger than natural");
    }
    for (uint32_t i = oi->nparams; i-- > 0;)
        if ((st = pop_expect(v, oi->params[i]))) return st;
    if (oi->result) return push(v, oi->result);
    return B8G_OK;
}

static b8g_status val_instr(Validator *v)
{
    switch (v->ins.op) {
    case OPC_UNREACHABLE: set_unreachable(v); return B8G_OK;
    case OPC_BLOCK:
    case OPC_LOOP:
    case OPC_IF: return op_block(v);
    case OPC_ELSE: return op_else(v);
    case OPC_END: return op_end(v);
    case OPC_BR: return op_br(v);
    case OPC_BR_IF: return op_br_if(v);
    case OPC_BR_TABLE: return op_br_table(v);
    case OPC_RETURN: return op_return(v);
    case OPC_CALL: return op_call(v);
    case OPC_CALL_INDIRECT: return op_call_indirect(v);
    case OPC_DROP: return op_drop(v);
    case OPC_SELECT: return op_select(v);
    case OPC_SELECT_T: return op_select_t(v);
    case OPC_LOCAL_GET:
    case OPC_LOCAL_SET:
    case OPC_LOCAL_TEE: return op_local(v);
    case OPC_GLOBAL_GET:
    case OPC_GLOBAL_SET: return op_global(v);
    case OPC_REF_NULL: return push(v, v->ins.imm.reftype);
    case OPC_REF_IS_NULL: return op_ref_is_null(v);
    case OPC_REF_FUNC: return op_ref_func(v);
    case OPC_TABLE_GET:
    case OPC_TABLE_SET:
    case OPC_TABLE_SIZE:
    case OPC_TABLE_GROW:
    case OPC_TABLE_FILL: return op_table(v);
    case OPC_TABLE_COPY: return op_table_copy(v);
    case OPC_TABLE_INIT: return op_table_init(v);
    case OPC_ELEM_DROP: return op_elem_drop(v);
    case OPC_MEMORY_INIT: return op_memory_init(v);
    case OPC_DATA_DROP: return op_data_drop(v);
    default: return op_simple(v);
    }
}

/* ---- function bodies ------------------------------------------------------ */

B8G_COLD static b8g_status body_unterminated(b8g_error *err, uint64_t off,
                                             uint32_t func)
{
    err_set(err, B8G_MALFORMED, off, "END opcode expected: function body ends "
                                     "inside a block");
    if (err) err->func = func;
    return B8G_MALFORMED;
}

B8G_COLD static b8g_status body_trailing(b8g_error *err, uint64_t off,
                                         uint32_t func)
{
    err_set(err, B8G_MALFORMED, off, "section size mismatch: bytes after the "
                                     "function's final end");
    if (err) err->func = func;
    return B8G_MALFORMED;
}

static b8g_status val_body(Validator *v, uint32_t fidx)
{
    Module *m = v->m;
    const Func *f = &m->funcs[fidx - m->nimported_funcs];
    const FuncType *ft = mod_func_type(m, fidx);
    Reader r = {.base = m->bytes, .p = f->code, .end = f->code + f->code_len};
    v->func = fidx;
    v->body = f;
    v->ft = ft;
    v->nvals = v->nctrls = v->br_count = 0;
    v->ins.op = OPC_BLOCK;
    v->ins.offset = f->code_offset;
    b8g_status st = push_ctrl(v, OPC_BLOCK, NULL, 0, ft_results(ft), ft->nresults);
    while (!st && v->nctrls > 0) {
        if (B8G_UNLIKELY(rd_eof(&r))) return body_unterminated(v->err, rd_offset(&r), fidx);
        st = ins_read(&r, &v->ins, v->err);
        if (B8G_UNLIKELY(st)) {
            if (v->err) v->err->func = fidx;
            return st;
        }
        st = val_instr(v);
    }
    if (st) return st;
    if (!rd_eof(&r)) return body_trailing(v->err, rd_offset(&r), fidx);
    return B8G_OK;
}

static b8g_status val_bodies(Validator *v, uint32_t *failed)
{
    for (uint32_t i = v->m->nimported_funcs; i < v->m->nfuncs; i++) {
        b8g_status st = val_body(v, i);
        if (st) {
            *failed = i;
            return st;
        }
    }
    return B8G_OK;
}

/*
 * Encoding-only walk of one body: what a decoder that reads every body
 * before validating would reject.  Used only after a validation error, so
 * that a module both invalid and malformed is reported as malformed, as
 * the spec's decode-then-validate order requires, without a second pass
 * over valid modules.
 */
static b8g_status scan_body(const Module *m, uint32_t fidx, b8g_error *err)
{
    const Func *f = &m->funcs[fidx - m->nimported_funcs];
    Reader r = {.base = m->bytes, .p = f->code, .end = f->code + f->code_len};
    uint32_t depth = 1;
    Instr ins;
    while (depth > 0) {
        if (rd_eof(&r)) return body_unterminated(err, rd_offset(&r), fidx);
        b8g_status st = ins_read(&r, &ins, err);
        if (st) {
            if (err) err->func = fidx;
            return st;
        }
        if (ins.op == OPC_BLOCK || ins.op == OPC_LOOP || ins.op == OPC_IF) depth++;
        else if (ins.op == OPC_END) depth--;
        else if ((ins.op == OPC_MEMORY_INIT && datacount_missing(m, ins.imm.two.a)) ||
                 (ins.op == OPC_DATA_DROP && datacount_missing(m, ins.imm.idx))) {
            err_set(err, B8G_MALFORMED, ins.offset, "data count section required "
                    "in %s", op_info[ins.op].text);
            if (err) err->func = fidx;
            return B8G_MALFORMED;
        }
    }
    if (!rd_eof(&r)) return body_trailing(err, rd_offset(&r), fidx);
    return B8G_OK;
}

/* Replaces an INVALID result by a malformed one found in bodies [from..). */
static b8g_status prefer_malformed(const Module *m, uint32_t from, b8g_error *err)
{
    b8g_error scan;
    for (uint32_t i = from; i < m->nfuncs; i++) {
        if (scan_body(m, i, &scan)) {
            if (err) *err = scan;
            return scan.code;
        }
    }
    return B8G_INVALID;
}

/* ---- module-level rules ---------------------------------------------------- */

static b8g_status check_table_limits(const Limits *l, uint64_t off, b8g_error *err)
{
    if (l->has_max && l->min > l->max)
        return err_set(err, B8G_INVALID, off, "size minimum must not be greater "
                       "than maximum: table %u > %u", l->min, l->max);
    return B8G_OK;
}

static b8g_status check_mem_limits(const Limits *l, uint64_t off, b8g_error *err)
{
    if (l->min > MEM_MAX_PAGES || (l->has_max && l->max > MEM_MAX_PAGES))
        return err_set(err, B8G_INVALID, off,
                       "memory size must be at most 65536 pages (4GiB)");
    if (l->has_max && l->min > l->max)
        return err_set(err, B8G_INVALID, off, "size minimum must not be greater "
                       "than maximum: memory %u > %u", l->min, l->max);
    return B8G_OK;
}

static const char *kind_name(ExternKind k)
{
    switch (k) {
    case EXT_FUNC: return "function";
    case EXT_TABLE: return "table";
    case EXT_MEMORY: return "memory";
    default: return "global";
    }
}

static b8g_status val_imports(const Module *m, b8g_error *err)
{
    for (uint32_t i = 0; i < m->nimports; i++) {
        const Import *im = &m->imports[i];
        b8g_status st = B8G_OK;
        if (im->kind == EXT_FUNC && im->desc.type_idx >= m->ntypes)
            return err_set(err, B8G_INVALID, im->offset, "unknown type %u in "
                           "import %u", im->desc.type_idx, i);
        if (im->kind == EXT_TABLE) st = check_table_limits(&im->desc.table.lim, im->offset, err);
        if (im->kind == EXT_MEMORY) st = check_mem_limits(&im->desc.mem, im->offset, err);
        if (st) return st;
    }
    return B8G_OK;
}

/* Function types, tables and memories (imported ones were checked with
 * their import's offset). */
static b8g_status val_spaces(const Module *m, b8g_error *err)
{
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        if (m->func_types[i] >= m->ntypes)
            return err_set(err, B8G_INVALID, m->section_offsets[3], "unknown type %u "
                           "for function %u", m->func_types[i], i);
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
        b8g_status st = check_table_limits(&m->tables[i].lim, m->section_offsets[4], err);
        if (st) return st;
    }
    if (m->nmems > 1)
        return err_set(err, B8G_INVALID, m->section_offsets[5] ? m->section_offsets[5] : m->section_offsets[2], "multiple memories: %u "
                       "declared, at most 1 allowed", m->nmems);
    for (uint32_t i = m->nimported_mems; i < m->nmems; i++) {
        b8g_status st = check_mem_limits(&m->mems[i], m->section_offsets[5], err);
        if (st) return st;
    }
    return B8G_OK;
}

/* What a constant expression is for, in messages: "global 3". */
typedef struct ConstUse {
    const char *what;
    uint32_t idx;
} ConstUse;

/* The type of a constant instruction; global.get may only read imported
 * immutable globals (2.0's context C' for constant expressions). */
static b8g_status const_type(Module *m, const ConstExpr *e, ConstUse u,
                             ValType *t, b8g_error *err)
{
    switch (e->op) {
    case OPC_I32_CONST: *t = VT_I32; return B8G_OK;
    case OPC_I64_CONST: *t = VT_I64; return B8G_OK;
    case OPC_F32_CONST: *t = VT_F32; return B8G_OK;
    case OPC_F64_CONST: *t = VT_F64; return B8G_OK;
    case OPC_REF_NULL: *t = (ValType)e->value; return B8G_OK;
    case OPC_REF_FUNC:
        if (e->value >= m->nfuncs)
            return err_set(err, B8G_INVALID, e->offset, "unknown function %llu "
                           "in %s %u", (unsigned long long)e->value, u.what, u.idx);
        m->func_declared[e->value] = true; /* C.refs */
        *t = VT_FUNCREF;
        return B8G_OK;
    case OPC_GLOBAL_GET:
        if (e->value >= m->nimported_globals)
            return err_set(err, B8G_INVALID, e->offset, "unknown global %llu in "
                           "%s %u (constant expressions may only read imported "
                           "globals)", (unsigned long long)e->value, u.what, u.idx);
        if (m->globals[e->value].type.mut)
            return err_set(err, B8G_INVALID, e->offset, "constant expression "
                           "required in %s %u: global %llu is mutable", u.what,
                           u.idx, (unsigned long long)e->value);
        *t = m->globals[e->value].type.type;
        return B8G_OK;
    case OPC_END:
        return err_set(err, B8G_INVALID, e->offset, "type mismatch in %s %u: "
                       "empty constant expression", u.what, u.idx);
    default:
        return err_set(err, B8G_INVALID, e->offset, "constant expression "
                       "required in %s %u", u.what, u.idx);
    }
}

static b8g_status val_const(Module *m, const ConstExpr *e, ValType want,
                            ConstUse u, b8g_error *err)
{
    ValType t = VT_UNKNOWN;
    b8g_status st = const_type(m, e, u, &t, err);
    if (st) return st;
    if (t != want)
        return err_set(err, B8G_INVALID, e->offset, "type mismatch in %s %u: "
                       "expected %s, got %s", u.what, u.idx, vt_name(want),
                       vt_name(t));
    return B8G_OK;
}

static b8g_status val_globals(Module *m, b8g_error *err)
{
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        const Global *g = &m->globals[i];
        b8g_status st = val_const(m, &g->init, g->type.type, (ConstUse){"global", i}, err);
        if (st) return st;
    }
    return B8G_OK;
}

static b8g_status val_elem(Module *m, uint32_t i, b8g_error *err)
{
    const ElemSeg *s = &m->elems[i];
    ConstUse u = {"elem segment", i};
    b8g_status st;
    if (s->mode == SEG_ACTIVE) {
        if (s->table >= m->ntables)
            return err_set(err, B8G_INVALID, s->offset_in_module, "unknown table "
                           "%u in elem segment %u", s->table, i);
        if (m->tables[s->table].elem != s->type)
            return err_set(err, B8G_INVALID, s->offset_in_module, "type mismatch "
                           "in elem segment %u: %s segment for a %s table", i,
                           vt_name(s->type), vt_name(m->tables[s->table].elem));
        if ((st = val_const(m, &s->offset, VT_I32, u, err))) return st;
    }
    for (uint32_t j = 0; j < s->count; j++)
        if ((st = val_const(m, &s->items[j], s->type, u, err))) return st;
    return B8G_OK;
}

static b8g_status val_datas(Module *m, b8g_error *err)
{
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const DataSeg *d = &m->datas[i];
        if (d->mode != SEG_ACTIVE) continue;
        if (d->mem >= m->nmems)
            return err_set(err, B8G_INVALID, d->offset_in_module, "unknown memory "
                           "%u in data segment %u", d->mem, i);
        b8g_status st = val_const(m, &d->offset, VT_I32, (ConstUse){"data segment", i}, err);
        if (st) return st;
    }
    return B8G_OK;
}

static b8g_status val_start(const Module *m, b8g_error *err)
{
    if (!m->has_start) return B8G_OK;
    if (m->start >= m->nfuncs)
        return err_set(err, B8G_INVALID, m->section_offsets[8], "unknown function %u "
                       "as start", m->start);
    const FuncType *t = mod_func_type(m, m->start);
    if (t->nparams || t->nresults)
        return err_set(err, B8G_INVALID, m->section_offsets[8], "start function %u must "
                       "take and return nothing", m->start);
    return B8G_OK;
}

static int export_name_cmp(const void *a, const void *b)
{
    const Export *x = *(const Export *const *)a, *y = *(const Export *const *)b;
    if (x->name.len != y->name.len) return x->name.len < y->name.len ? -1 : 1;
    return memcmp(x->name.str, y->name.str, x->name.len);
}

/* Sorting finds duplicates in n log n, whatever the names. */
static b8g_status export_names_unique(const Module *m, b8g_error *err)
{
    if (m->nexports < 2) return B8G_OK;
    const Export **v = xmalloc((size_t)m->nexports * sizeof *v);
    for (uint32_t i = 0; i < m->nexports; i++) v[i] = &m->exports[i];
    util_sort(v, m->nexports, sizeof *v, export_name_cmp);
    b8g_status st = B8G_OK;
    for (uint32_t i = 1; i < m->nexports && !st; i++)
        if (export_name_cmp(&v[i - 1], &v[i]) == 0)
            st = err_set(err, B8G_INVALID, v[i]->offset, "duplicate export "
                         "name \"%.*s\"", (int)(v[i]->name.len > 64 ? 64 : v[i]->name.len),
                         v[i]->name.str);
    free(v);
    return st;
}

static b8g_status val_exports(Module *m, b8g_error *err)
{
    for (uint32_t i = 0; i < m->nexports; i++) {
        const Export *e = &m->exports[i];
        uint32_t n = e->kind == EXT_FUNC    ? m->nfuncs
                     : e->kind == EXT_TABLE  ? m->ntables
                     : e->kind == EXT_MEMORY ? m->nmems
                                             : m->nglobals;
        if (e->idx >= n)
            return err_set(err, B8G_INVALID, e->offset, "unknown %s %u in "
                           "export %u", kind_name(e->kind), e->idx, i);
        if (e->kind == EXT_FUNC) m->func_declared[e->idx] = true; /* C.refs */
    }
    return export_names_unique(m, err);
}

/* Everything outside function bodies; also fills C.refs. */
static b8g_status val_decls(Module *m, b8g_error *err)
{
    b8g_status st;
    if ((st = val_imports(m, err)) || (st = val_spaces(m, err)) ||
        (st = val_globals(m, err)))
        return st;
    for (uint32_t i = 0; i < m->nelems; i++)
        if ((st = val_elem(m, i, err))) return st;
    if ((st = val_datas(m, err)) || (st = val_start(m, err)) ||
        (st = val_exports(m, err)))
        return st;
    return B8G_OK;
}

b8g_status val_module_decls(Module *m, b8g_error *err)
{
    free(m->func_declared);
    m->func_declared = xcalloc(m->nfuncs, sizeof *m->func_declared);
    return val_decls(m, err);
}

b8g_status val_function(Module *m, uint32_t fidx, b8g_error *err)
{
    Validator v = {.m = m, .err = err, .func = B8G_NO_FUNC};
    b8g_status st = val_body(&v, fidx);
    free(v.vals);
    free(v.ctrls);
    return st;
}

b8g_status val_module(Module *m, b8g_error *err)
{
    Validator v = {.m = m, .err = err, .func = B8G_NO_FUNC};
    uint32_t failed = m->nimported_funcs;
    free(m->func_declared);
    m->func_declared = xcalloc(m->nfuncs, sizeof *m->func_declared);
    b8g_status st = val_decls(m, err);
    if (!st) st = val_bodies(&v, &failed);
    if (st == B8G_INVALID) st = prefer_malformed(m, failed, err);
    free(v.vals);
    free(v.ctrls);
    return st;
}
