/*
 * translate.c - validated function bodies -> threaded code (layout: xl.h).
 *
 * One pass per function with ins_read.  The translator tracks the operand
 * stack height (in slots) at every point, which validation made exact for
 * reachable code, so every branch is resolved here into a target cell, the
 * number of values it carries and the number of slots it discards; the
 * interpreter never looks at block structure.  Blocks themselves emit
 * nothing.  Code after br, br_table, return or unreachable cannot run: it
 * is read only to find the matching else/end and emits nothing.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/xl.h"
#include "util/err.h"
#include "wasm/instr.h"

#define XL_NONE UINT32_MAX

enum { CTL_FUNC, CTL_BLOCK, CTL_LOOP, CTL_IF, CTL_ELSE };

/* An open block. */
typedef struct XlCtl {
    uint8_t kind;
    uint32_t height;   /* operand height below the block's params */
    uint32_t nparams;
    uint32_t nresults;
    uint32_t start;    /* loop: cell of its first instruction */
    uint32_t patches;  /* forward branches to the end: XlPatch chain */
    uint32_t if_patch; /* if: the IF's target, until else or end */
} XlCtl;

/* A branch whose target is not known yet: cell gets target - from. */
typedef struct XlPatch {
    uint32_t cell;
    uint32_t from;
    uint32_t next;
} XlPatch;

typedef struct Xl {
    const Module *m;
    Cell *code;
    uint32_t n, cap;
    XlPcMap *map;
    uint32_t nmap, mapcap;
    XlCtl *ctl;
    uint32_t nctl, ctlcap;
    XlPatch *patch;
    uint32_t npatch, patchcap;
    uint32_t height, max_height;
    uint32_t instr;      /* cell where the instruction being emitted starts */
    uint64_t offset;     /* its module offset */
    bool dead;           /* reading unreachable code */
    uint32_t dead_depth; /* blocks opened inside unreachable code */
} Xl;

/* Makes room for `more` elements in a growable array. */
static void *xl_reserve(void *p, uint32_t *cap, uint64_t need, size_t elem)
{
    if (need <= *cap) return p;
    uint64_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    *cap = (uint32_t)(c > UINT32_MAX ? UINT32_MAX : c);
    return xrealloc(p, (size_t)*cap * elem);
}

static uint32_t xl_emit(Xl *x, Cell c)
{
    x->code = xl_reserve(x->code, &x->cap, (uint64_t)x->n + 1, sizeof *x->code);
    x->code[x->n] = c;
    return x->n++;
}

static void xl_emit_u64(Xl *x, uint64_t v) { xl_emit(x, (Cell){.u64 = v}); }

static void xl_emit_two(Xl *x, uint32_t a, uint32_t b)
{
    Cell c = {.u64 = 0};
    c.two.a = a;
    c.two.b = b;
    xl_emit(x, c);
}

/* Instructions whose position must map back to the module: they can trap,
 * call (backtraces) or suspend. */
static bool xl_needs_map(XOp op)
{
    switch (op) {
    case XOP_UNREACHABLE: case XOP_CALL: case XOP_CALL_IMPORT:
    case XOP_CALL_INDIRECT: case XOP_BR_TABLE: case XOP_BR_LOOP:
    case XOP_BR_LOOP_MOVE: case XOP_BR_IF_LOOP:
    case XOP_I32_DIV_S: case XOP_I32_DIV_U: case XOP_I32_REM_S: case XOP_I32_REM_U:
    case XOP_I64_DIV_S: case XOP_I64_DIV_U: case XOP_I64_REM_S: case XOP_I64_REM_U:
    case XOP_I32_TRUNC_F32_S: case XOP_I32_TRUNC_F32_U:
    case XOP_I32_TRUNC_F64_S: case XOP_I32_TRUNC_F64_U:
    case XOP_I64_TRUNC_F32_S: case XOP_I64_TRUNC_F32_U:
    case XOP_I64_TRUNC_F64_S: case XOP_I64_TRUNC_F64_U:
    case XOP_MEMORY_INIT: case XOP_MEMORY_COPY: case XOP_MEMORY_FILL:
    case XOP_TABLE_GET: case XOP_TABLE_SET: case XOP_TABLE_INIT:
    case XOP_TABLE_COPY: case XOP_TABLE_FILL:
        return true;
    default:
        return (unsigned)op < OPC_COUNT && op_info[op].memsize != 0; /* loads, stores */
    }
}

/* Starts an instruction: its handler cell (and map entry). */
static void xl_begin(Xl *x, XOp op)
{
    x->instr = x->n;
    if (xl_needs_map(op)) {
        x->map = xl_reserve(x->map, &x->mapcap, (uint64_t)x->nmap + 1, sizeof *x->map);
        x->map[x->nmap++] = (XlPcMap){x->n, (uint32_t)x->offset};
    }
    xl_emit(x, vm_handler(op));
}

static void xl_push(Xl *x, uint32_t n)
{
    x->height += n;
    if (x->height > x->max_height) x->max_height = x->height;
}

static void xl_pop(Xl *x, uint32_t n)
{
    assert(x->height >= n); /* validation proved it for reachable code */
    x->height -= n;
}

/* ---- branches ------------------------------------------------------------ */

/* Emits a target cell for a branch to the end of c, patched at its end. */
static void xl_forward(Xl *x, XlCtl *c, uint32_t flags)
{
    x->patch = xl_reserve(x->patch, &x->patchcap, (uint64_t)x->npatch + 1, sizeof *x->patch);
    Cell cell = {.u64 = 0};
    cell.br.flags = flags;
    uint32_t at = xl_emit(x, cell);
    x->patch[x->npatch] = (XlPatch){at, x->instr, c->patches};
    c->patches = x->npatch++;
}

static void xl_rel(Xl *x, uint32_t target, uint32_t flags)
{
    Cell cell = {.u64 = 0};
    cell.br.rel = (int32_t)((int64_t)target - (int64_t)x->instr);
    cell.br.flags = flags;
    xl_emit(x, cell);
}

static void xl_resolve(Xl *x, uint32_t p, uint32_t target)
{
    for (; p != XL_NONE; p = x->patch[p].next)
        x->code[x->patch[p].cell].br.rel =
            (int32_t)((int64_t)target - (int64_t)x->patch[p].from);
}

static XlCtl *xl_label(Xl *x, uint32_t depth)
{
    assert(depth < x->nctl);
    return &x->ctl[x->nctl - 1 - depth];
}

static uint32_t xl_arity(const XlCtl *c)
{
    return c->kind == CTL_LOOP ? c->nparams : c->nresults;
}

static uint32_t xl_drop(const Xl *x, const XlCtl *c)
{
    assert(x->height >= xl_arity(c) + c->height);
    return x->height - xl_arity(c) - c->height;
}

/* RETURN takes the function's results from the top of the stack. */
static void xl_return(Xl *x, uint32_t nresults)
{
    xl_begin(x, XOP_RETURN);
    xl_emit_u64(x, nresults);
}

/* Unconditional branch to label `depth`. */
static void xl_br(Xl *x, uint32_t depth)
{
    XlCtl *c = xl_label(x, depth);
    if (c->kind == CTL_FUNC) {
        xl_return(x, c->nresults);
        return;
    }
    uint32_t drop = xl_drop(x, c);
    if (c->kind == CTL_LOOP) {
        xl_begin(x, drop ? XOP_BR_LOOP_MOVE : XOP_BR_LOOP);
        xl_rel(x, c->start, 0);
    } else {
        xl_begin(x, drop ? XOP_BR_MOVE : XOP_BR);
        xl_forward(x, c, 0);
    }
    if (drop) {
        Cell mv = {.u64 = 0};
        mv.mv.arity = xl_arity(c);
        mv.mv.drop = drop;
        xl_emit(x, mv);
    }
}

/* br_if: the fast forms when nothing moves, else "IF not taken: skip" in
 * front of the unconditional form (the condition is already popped). */
static void xl_br_if(Xl *x, uint32_t depth)
{
    XlCtl *c = xl_label(x, depth);
    if (c->kind != CTL_FUNC && xl_drop(x, c) == 0) {
        if (c->kind == CTL_LOOP) {
            xl_begin(x, XOP_BR_IF_LOOP);
            xl_rel(x, c->start, 0);
        } else {
            xl_begin(x, XOP_BR_IF);
            xl_forward(x, c, 0);
        }
        return;
    }
    xl_begin(x, XOP_IF);
    uint32_t start = x->instr;
    uint32_t skip = xl_emit(x, (Cell){.u64 = 0});
    xl_br(x, depth);
    x->code[skip].br.rel = (int32_t)(x->n - start);
}

static void xl_br_table(Xl *x, const Instr *in)
{
    xl_begin(x, XOP_BR_TABLE);
    uint32_t count = in->imm.br_table.count;
    xl_emit_u64(x, count);
    x->code = xl_reserve(x->code, &x->cap, (uint64_t)x->n + 2 * ((uint64_t)count + 1),
                         sizeof *x->code);
    const uint8_t *it = in->imm.br_table.labels;
    for (uint64_t i = 0; i <= count; i++) {
        uint32_t depth = i < count ? ins_br_table_label(&it) : in->imm.br_table.default_label;
        XlCtl *c = xl_label(x, depth);
        Cell mv = {.u64 = 0};
        if (c->kind == CTL_FUNC) {
            /* to the final RETURN, which takes the results from the top */
            xl_forward(x, c, 0);
        } else if (c->kind == CTL_LOOP) {
            xl_rel(x, c->start, XL_BR_LOOP);
            mv.mv.arity = xl_arity(c);
            mv.mv.drop = xl_drop(x, c);
        } else {
            xl_forward(x, c, 0);
            mv.mv.arity = xl_arity(c);
            mv.mv.drop = xl_drop(x, c);
        }
        xl_emit(x, mv);
    }
}

/* ---- blocks -------------------------------------------------------------- */

static void xl_blocktype(const Xl *x, const Instr *in, uint32_t *np, uint32_t *nr)
{
    switch (in->imm.block.kind) {
    case BT_EMPTY: *np = 0; *nr = 0; break;
    case BT_VAL: *np = 0; *nr = 1; break;
    default: {
        const FuncType *t = &x->m->types[in->imm.block.type_idx];
        *np = t->nparams;
        *nr = t->nresults;
    }
    }
}

static XlCtl *xl_open(Xl *x, uint8_t kind, uint32_t np, uint32_t nr)
{
    x->ctl = xl_reserve(x->ctl, &x->ctlcap, (uint64_t)x->nctl + 1, sizeof *x->ctl);
    assert(x->height >= np);
    XlCtl *c = &x->ctl[x->nctl++];
    *c = (XlCtl){kind, x->height - np, np, nr, x->n, XL_NONE, XL_NONE};
    return c;
}

static void xl_block(Xl *x, const Instr *in)
{
    uint32_t np, nr;
    xl_blocktype(x, in, &np, &nr);
    if (in->op == OPC_IF) {
        xl_pop(x, 1);
        xl_begin(x, XOP_IF);
        XlCtl *c = xl_open(x, CTL_IF, np, nr);
        xl_forward(x, c, 0);
        /* the IF's target is kept apart from the end's chain */
        c->if_patch = c->patches;
        c->patches = XL_NONE;
        x->patch[c->if_patch].next = XL_NONE;
    } else {
        xl_open(x, in->op == OPC_LOOP ? CTL_LOOP : CTL_BLOCK, np, nr);
    }
}

static void xl_else(Xl *x)
{
    XlCtl *c = &x->ctl[x->nctl - 1];
    assert(c->kind == CTL_IF);
    if (!x->dead) {
        xl_begin(x, XOP_BR);
        xl_forward(x, c, 0);
    }
    xl_resolve(x, c->if_patch, x->n);
    c->if_patch = XL_NONE;
    c->kind = CTL_ELSE;
    x->height = c->height;
    xl_push(x, c->nparams);
    x->dead = false;
}

static void xl_end(Xl *x)
{
    XlCtl c = x->ctl[--x->nctl];
    if (c.kind == CTL_IF) xl_resolve(x, c.if_patch, x->n);
    xl_resolve(x, c.patches, x->n);
    x->height = c.height;
    xl_push(x, c.nresults);
    x->dead = false;
    if (c.kind == CTL_FUNC) xl_return(x, c.nresults);
}

/* In unreachable code: only nesting matters.  True if `in` ends it. */
static bool xl_skip(Xl *x, const Instr *in)
{
    switch (in->op) {
    case OPC_BLOCK: case OPC_LOOP: case OPC_IF:
        x->dead_depth++;
        return false;
    case OPC_ELSE:
        return x->dead_depth == 0;
    case OPC_END:
        if (x->dead_depth == 0) return true;
        x->dead_depth--;
        return false;
    default:
        return false;
    }
}

/* ---- other instructions -------------------------------------------------- */

static void xl_call(Xl *x, const Instr *in)
{
    const FuncType *t;
    if (in->op == OPC_CALL) {
        uint32_t f = in->imm.idx;
        t = mod_func_type(x->m, f);
        xl_begin(x, f < x->m->nimported_funcs ? XOP_CALL_IMPORT : XOP_CALL);
        xl_emit_u64(x, f);
    } else {
        t = &x->m->types[in->imm.ci.type_idx];
        xl_pop(x, 1);
        xl_begin(x, XOP_CALL_INDIRECT);
        xl_emit_two(x, in->imm.ci.type_idx, in->imm.ci.table);
    }
    xl_pop(x, t->nparams);
    xl_push(x, t->nresults);
}

/* Instructions with one index immediate and a fixed stack effect. */
static bool xl_indexed(Xl *x, const Instr *in)
{
    uint32_t pop, push;
    switch (in->op) {
    case OPC_LOCAL_GET: pop = 0; push = 1; break;
    case OPC_LOCAL_SET: pop = 1; push = 0; break;
    case OPC_LOCAL_TEE: pop = 1; push = 1; break;
    case OPC_GLOBAL_GET: pop = 0; push = 1; break;
    case OPC_GLOBAL_SET: pop = 1; push = 0; break;
    case OPC_TABLE_GET: pop = 1; push = 1; break;
    case OPC_TABLE_SET: pop = 2; push = 0; break;
    case OPC_TABLE_SIZE: pop = 0; push = 1; break;
    case OPC_TABLE_GROW: pop = 2; push = 1; break;
    case OPC_TABLE_FILL: pop = 3; push = 0; break;
    case OPC_ELEM_DROP: case OPC_DATA_DROP: pop = 0; push = 0; break;
    case OPC_REF_FUNC: pop = 0; push = 1; break;
    default: return false;
    }
    xl_pop(x, pop);
    xl_begin(x, (XOp)in->op);
    xl_emit_u64(x, in->imm.idx);
    xl_push(x, push);
    return true;
}

/* Everything typed by opcodes.def: operands popped, result pushed, and
 * the immediate copied as its IMM kind says. */
static void xl_plain(Xl *x, const Instr *in)
{
    const OpInfo *oi = &op_info[in->op];
    xl_pop(x, oi->nparams);
    xl_begin(x, (XOp)in->op);
    switch (oi->imm) {
    case IMM_MEMARG: xl_emit_u64(x, in->imm.mem.offset); break;
    case IMM_I32: xl_emit_u64(x, in->imm.i32); break;
    case IMM_I64: xl_emit_u64(x, in->imm.i64); break;
    case IMM_F32: xl_emit_u64(x, in->imm.f32); break;
    case IMM_F64: xl_emit_u64(x, in->imm.f64); break;
    case IMM_MEMORY_INIT: xl_emit_u64(x, in->imm.two.a); break;
    default: break;
    }
    xl_push(x, oi->result ? 1 : 0);
}

static void xl_instr(Xl *x, const Instr *in)
{
    switch (in->op) {
    case OPC_NOP: break;
    /* slots hold bits whatever their type: nothing to do */
    case OPC_I32_REINTERPRET_F32: case OPC_I64_REINTERPRET_F64:
    case OPC_F32_REINTERPRET_I32: case OPC_F64_REINTERPRET_I64: break;
    case OPC_BLOCK: case OPC_LOOP: case OPC_IF: xl_block(x, in); break;
    case OPC_ELSE: xl_else(x); break;
    case OPC_END: xl_end(x); break;
    case OPC_BR: xl_br(x, in->imm.idx); x->dead = true; break;
    case OPC_BR_IF: xl_pop(x, 1); xl_br_if(x, in->imm.idx); break;
    case OPC_BR_TABLE: xl_pop(x, 1); xl_br_table(x, in); x->dead = true; break;
    case OPC_RETURN: xl_return(x, x->ctl[0].nresults); x->dead = true; break;
    case OPC_UNREACHABLE: xl_begin(x, XOP_UNREACHABLE); x->dead = true; break;
    case OPC_CALL: case OPC_CALL_INDIRECT: xl_call(x, in); break;
    case OPC_DROP: xl_pop(x, 1); xl_begin(x, XOP_DROP); break;
    case OPC_SELECT: case OPC_SELECT_T:
        xl_pop(x, 3);
        xl_begin(x, XOP_SELECT);
        xl_push(x, 1);
        break;
    case OPC_REF_NULL: xl_begin(x, XOP_REF_NULL); xl_push(x, 1); break;
    case OPC_REF_IS_NULL: xl_pop(x, 1); xl_begin(x, XOP_REF_IS_NULL); xl_push(x, 1); break;
    case OPC_TABLE_INIT: case OPC_TABLE_COPY:
        xl_pop(x, 3);
        xl_begin(x, (XOp)in->op);
        xl_emit_two(x, in->imm.two.a, in->imm.two.b);
        break;
    default:
        if (!xl_indexed(x, in)) xl_plain(x, in);
    }
}

/* ---- functions ----------------------------------------------------------- */

static void xl_reset(Xl *x)
{
    x->n = x->nmap = x->nctl = x->npatch = 0;
    x->height = x->max_height = 0;
    x->dead = false;
    x->dead_depth = 0;
}

static b8g_status xl_body(Xl *x, const Func *f, b8g_error *err)
{
    Reader r = {x->m->bytes, f->code, f->code + f->code_len};
    const FuncType *t = &x->m->types[f->type_idx];
    xl_open(x, CTL_FUNC, 0, t->nresults);
    while (x->nctl > 0) {
        Instr in;
        b8g_status st = ins_read(&r, &in, err);
        if (st) return st;
        x->offset = in.offset;
        if (x->dead && !xl_skip(x, &in)) continue;
        xl_instr(x, &in);
        if (x->n > XL_MAX_CELLS)
            return err_set(err, B8G_LIMIT, in.offset, "function too large to translate");
    }
    return B8G_OK;
}

/* An exact-size copy of the scratch array (NULL when empty). */
static void *xl_dup(const void *p, uint32_t n, size_t elem)
{
    if (!n) return NULL;
    void *q = xmalloc((size_t)n * elem);
    memcpy(q, p, (size_t)n * elem);
    return q;
}

static XlFunc *xl_finish(Xl *x, const Func *f, uint32_t idx)
{
    const FuncType *t = &x->m->types[f->type_idx];
    XlFunc *xf = xcalloc(1, sizeof *xf);
    xf->code = xl_dup(x->code, x->n, sizeof *x->code);
    xf->ncells = x->n;
    xf->map = xl_dup(x->map, x->nmap, sizeof *x->map);
    xf->nmap = x->nmap;
    xf->idx = idx;
    xf->nparams = t->nparams;
    xf->nresults = t->nresults;
    xf->nlocals = f->nlocals;
    xf->max_height = x->max_height;
    xf->frame_slots = t->nparams + f->nlocals + x->max_height;
    return xf;
}

/*
 * What a whole module may cost once translated.  Some encodings expand a lot
 * (a one-byte br_table label becomes two cells), so without a module-wide
 * bound a module near the size cap could ask for many gigabytes.  Real code
 * translates to a few times its size; the floor keeps small modules with
 * dense tables working.
 */
#define XL_MODULE_RATIO 32u
#define XL_MODULE_FLOOR ((uint64_t)64 << 20)
#define XL_MODULE_CAP ((uint64_t)2 << 30)

static uint64_t xl_module_budget(const Module *m)
{
    uint64_t budget = (uint64_t)m->len * XL_MODULE_RATIO;
    if (budget < XL_MODULE_FLOOR) budget = XL_MODULE_FLOOR;
    return budget > XL_MODULE_CAP ? XL_MODULE_CAP : budget;
}

b8g_status xl_translate_module(Module *m, b8g_error *err)
{
    Xl x;
    memset(&x, 0, sizeof x);
    x.m = m;
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    b8g_status st = B8G_OK;
    uint64_t budget = xl_module_budget(m), used = 0;
    uint32_t i;
    for (i = 0; i < ndefined; i++) {
        Func *f = &m->funcs[i];
        xl_reset(&x);
        st = xl_body(&x, f, err);
        if (st) break;
        used += (uint64_t)x.n * sizeof(Cell) + (uint64_t)x.nmap * sizeof *x.map;
        if (used > budget) {
            st = err_set(err, B8G_LIMIT, f->code_offset,
                         "translated code too large: over %llu MiB for a %zu-byte module",
                         (unsigned long long)(budget >> 20), m->len);
            break;
        }
        /* params + locals + operands must stay addressable in 32 bits */
        uint64_t slots = (uint64_t)m->types[f->type_idx].nparams + f->nlocals + x.max_height;
        if (slots > XL_MAX_CELLS) {
            st = err_set(err, B8G_LIMIT, f->code_offset, "function frame too large");
            break;
        }
        f->xl = xl_finish(&x, f, m->nimported_funcs + i);
    }
    if (st)
        for (uint32_t j = 0; j < i; j++) {
            xl_free(m->funcs[j].xl);
            m->funcs[j].xl = NULL;
        }
    free(x.code);
    free(x.map);
    free(x.ctl);
    free(x.patch);
    return st;
}
