/*
 * translate.c - validated function bodies -> register code (layout: xl.h).
 *
 * One pass per function with ins_read.  Validation made the operand stack
 * height exact at every reachable point, so every operand-stack value has
 * a fixed slot: base + height, base being params + locals.  The translator
 * keeps a compile-time copy of that stack whose entries say where each
 * value really is:
 *
 *   TEMP    in its own slot
 *   LOCAL   still in local i (local.get emits nothing)
 *   CONST   a constant not written anywhere yet (i32.const emits nothing)
 *
 * An instruction reads its operands where they are and writes its result
 * to the result's slot; a local.set right after it retargets that write to
 * the local.  Entries are materialised into their own slots ("flushed")
 * only where a value's location must be the same on every path: at block
 * boundaries and branches, before a call's arguments, and before a write
 * to a local that an entry still reads.  A comparison followed by br_if or
 * if becomes one compare-and-branch instruction, and the pairs measured to
 * be frequent on real programs merge the same way (xops.def): address
 * arithmetic into loads, operator pairs, in-place memory updates, loop
 * latches.  A merge only looks back at the last instruction or two, and
 * never across a label, so both halves always ran one after the other.
 *
 * Blocks emit nothing; every branch is resolved into a target unit plus the
 * copies that put the carried values into the target's slots.  Code after
 * br, br_table, return or unreachable cannot run: it is read only to find
 * the matching else/end and emits nothing.
 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "exec/xl.h"
#include "exec/xlstore.h"
#include "util/err.h"
#include "wasm/instr.h"
#include "wasm/validate.h"

#define XL_NONE UINT32_MAX
#define XL_CMP_ROWS 11 /* XOps per comparison (xops.def XOP_CMP) */

enum { CTL_FUNC, CTL_BLOCK, CTL_LOOP, CTL_IF, CTL_ELSE };

/* An open block. */
typedef struct XlCtl {
    uint8_t kind;
    uint32_t height;   /* operand height below the block's params */
    uint32_t nparams;
    uint32_t nresults;
    uint32_t start;    /* loop: unit of its first instruction */
    uint32_t patches;  /* forward branches to the end: XlPatch chain */
    uint32_t if_patch; /* if: the branch to else/end, until else or end */
} XlCtl;

/* A branch whose target is not known yet: the distance at unit `at` (r,
 * or rel when wide) gets target - from. */
typedef struct XlPatch {
    uint32_t at;
    uint32_t from;
    uint32_t next;
    bool wide;
} XlPatch;

enum { VS_TEMP, VS_LOCAL, VS_CONST };

/* Where the operand-stack value at one height is (see the top). */
typedef struct XlVal {
    uint8_t kind;
    uint32_t local; /* VS_LOCAL: its index */
    uint64_t k;     /* VS_CONST: the slot bits */
} XlVal;

typedef struct Xl {
    const Module *m;
    XlUnit *code;
    uint32_t n, cap;     /* units */
    XlPcMap *map;
    uint32_t nmap, mapcap;
    XlCtl *ctl;
    uint32_t nctl, ctlcap;
    XlPatch *patch;
    uint32_t npatch, patchcap;
    XlVal *vs;           /* the stack, by height */
    uint32_t vscap;
    uint32_t *lref;      /* per local: LOCAL entries reading it */
    uint32_t lrefcap;
    uint8_t *lset;       /* per local: written since the entry */
    uint32_t lsetcap;
    bool entry;          /* straight from the entry: declared locals not
                            in lset still hold their initial zero */
    uint32_t nparams;
    uint32_t base;       /* slot of height 0: params + locals */
    uint32_t height, max_height;
    uint32_t instr;      /* unit where the instruction being emitted starts */
    uint64_t offset;     /* its module offset */
    /* the last instruction, if it wrote the TEMP at def_h: it may be
     * retargeted to a local or fused into a branch while x->n == def_end */
    uint32_t def_at, def_end, def_h;
    XOp def_op;
    uint8_t def_field;   /* which of its operand units is the result slot */
    /* the last two instructions (XL_NONE past a label): pairs of them may
     * merge into one */
    uint32_t last_at, prev_at;
    XOp last_op, prev_op;
    bool far;            /* branches may be far (see xl_translate_module) */
    bool overflow;       /* a 16-bit branch distance did not fit */
    bool dead;           /* reading unreachable code */
    uint32_t dead_depth; /* blocks opened inside unreachable code */
    /* where each instruction starts, when recorded (xl_translate_starts):
     * what turns handlers into XOp numbers and back for images */
    bool record;
    uint32_t *starts;
    uint32_t nstarts, startcap;
} Xl;

/* Makes room for `need` elements in a growable array. */
static void *xl_reserve(void *p, uint32_t *cap, uint64_t need, size_t elem)
{
    if (need <= *cap) return p;
    uint64_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    *cap = (uint32_t)(c > UINT32_MAX ? UINT32_MAX : c);
    return xrealloc(p, (size_t)*cap * elem);
}

/* ---- emitting -------------------------------------------------------------- */

/* Appends n units to the code; returns where they start, as an index:
 * growing may move x->code, so callers form pointers only afterwards.
 * Every field is emitted through here, so the common case stays inline. */
static inline uint32_t xl_grow(Xl *x, uint32_t n)
{
    if (B8G_UNLIKELY((uint64_t)x->n + n > x->cap))
        x->code = xl_reserve(x->code, &x->cap, (uint64_t)x->n + n, sizeof *x->code);
    uint32_t at = x->n;
    x->n += n;
    return at;
}

/* Cuts the code back to n units (an instruction folded into the next, or
 * rewritten in another form): every cut goes through here, so that the
 * map entries and recorded starts from n on go too. */
static void xl_cut(Xl *x, uint32_t n)
{
    x->n = n;
    while (x->nmap && x->map[x->nmap - 1].pc >= n) x->nmap--;
    while (x->nstarts && x->starts[x->nstarts - 1] >= n) x->nstarts--;
}

/* Operand fields (xl.h): a slot or 16-bit immediate, a 32-bit and a
 * 64-bit immediate.  Each returns the unit it starts at. */
static uint32_t xl_emit16(Xl *x, uint32_t v)
{
    uint32_t at = xl_grow(x, 1);
    x->code[at] = (XlUnit)v;
    return at;
}

static uint32_t xl_emit32(Xl *x, uint32_t v)
{
    uint32_t at = xl_grow(x, 2);
    xl_put32(x->code + at, v);
    return at;
}

static void xl_emit64(Xl *x, uint64_t v)
{
    uint32_t at = xl_grow(x, 4);
    xl_put64(x->code + at, v);
}

/* The commonest layouts after the handler, each grown in one step. */
static void xl_emit_da(Xl *x, uint32_t d, uint32_t a)
{
    uint32_t at = xl_grow(x, 2);
    XlUnit *p = x->code + at;
    p[0] = (XlUnit)d;
    p[1] = (XlUnit)a;
}

static void xl_emit_dab(Xl *x, uint32_t d, uint32_t a, uint32_t b)
{
    uint32_t at = xl_grow(x, 3);
    XlUnit *p = x->code + at;
    p[0] = (XlUnit)d;
    p[1] = (XlUnit)a;
    p[2] = (XlUnit)b;
}

static void xl_emit_dabc(Xl *x, uint32_t d, uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t at = xl_grow(x, 4);
    XlUnit *p = x->code + at;
    p[0] = (XlUnit)d;
    p[1] = (XlUnit)a;
    p[2] = (XlUnit)b;
    p[3] = (XlUnit)c;
}

static void xl_emit_dak(Xl *x, uint32_t d, uint32_t a, uint32_t k)
{
    uint32_t at = xl_grow(x, 4);
    XlUnit *p = x->code + at;
    p[0] = (XlUnit)d;
    p[1] = (XlUnit)a;
    xl_put32(p + 2, k);
}

static void xl_emit_dk(Xl *x, uint32_t d, uint32_t k)
{
    uint32_t at = xl_grow(x, 3);
    XlUnit *p = x->code + at;
    p[0] = (XlUnit)d;
    xl_put32(p + 1, k);
}

/* Operand unit i of the instruction at unit `at`, and the 32-bit field
 * starting there: what a merge reads back from an emitted instruction. */
static uint32_t xl_opnd(const Xl *x, uint32_t at, uint32_t i)
{
    assert(at + XL_LEN(i) < x->n);
    return x->code[at + XL_LEN(i)];
}

static uint32_t xl_opnd32(const Xl *x, uint32_t at, uint32_t i)
{
    assert(at + XL_LEN(i) + 1 < x->n);
    return xl_get32(x->code + at + XL_LEN(i));
}

static void xl_set_opnd(Xl *x, uint32_t at, uint32_t i, uint32_t v)
{
    assert(at + XL_LEN(i) < x->n);
    x->code[at + XL_LEN(i)] = (XlUnit)v;
}

static void xl_set_handler(Xl *x, uint32_t at, XOp op) { vm_set_handler(x->code + at, op); }

/* Instructions whose position must map back to the module: they can trap,
 * call (backtraces) or suspend. */
static bool xl_needs_map(XOp op)
{
    switch (op) {
    case XOP_UNREACHABLE: case XOP_CALL: case XOP_CALL_IMPORT:
    case XOP_CALL_INDIRECT: case XOP_BR_TABLE: case XOP_BR_LOOP: case XOP_BR_LOOP_W:
    case XOP_I32_DIV_S: case XOP_I32_DIV_U: case XOP_I32_REM_S: case XOP_I32_REM_U:
    case XOP_I64_DIV_S: case XOP_I64_DIV_U: case XOP_I64_REM_S: case XOP_I64_REM_U:
    case XOP_I32_TRUNC_F32_S: case XOP_I32_TRUNC_F32_U:
    case XOP_I32_TRUNC_F64_S: case XOP_I32_TRUNC_F64_U:
    case XOP_I64_TRUNC_F32_S: case XOP_I64_TRUNC_F32_U:
    case XOP_I64_TRUNC_F64_S: case XOP_I64_TRUNC_F64_U:
    case XOP_MEMORY_INIT: case XOP_MEMORY_COPY: case XOP_MEMORY_FILL:
    case XOP_TABLE_GET: case XOP_TABLE_SET: case XOP_TABLE_INIT:
    case XOP_TABLE_COPY: case XOP_TABLE_FILL: case XOP_DEBUG:
        return true;
    default:
        if (op >= XOP_I32_LOAD_A && op <= XOP_I64_STORE32_W) return true;
        if (op >= XOP_F64_ADD_M && op <= XOP_F64_MEM_SUB_MUL) return true;
        if (op >= XOP_I32_INC_MEM && op <= XOP_I64_INC_MEM_A) return true;
        if (op >= XOP_I32_EQ_K && op <= XOP_BR_I64_GE_U_K_ADDX) /* loop latches */
            return (op - XOP_I32_EQ_K) % XL_CMP_ROWS >= 3;
        return (unsigned)op < OPC_COUNT && op_info[op].memsize != 0; /* loads, stores */
    }
}

static void xl_record_start(Xl *x)
{
    x->starts = xl_reserve(x->starts, &x->startcap, (uint64_t)x->nstarts + 1, sizeof *x->starts);
    x->starts[x->nstarts++] = x->n;
}

/* Starts an instruction: its handler (and map entry). */
static void xl_begin(Xl *x, XOp op)
{
    if (x->record) xl_record_start(x);
    x->instr = x->n;
    x->prev_at = x->last_at;
    x->prev_op = x->last_op;
    x->last_at = x->n;
    x->last_op = op;
    if (xl_needs_map(op)) {
        x->map = xl_reserve(x->map, &x->mapcap, (uint64_t)x->nmap + 1, sizeof *x->map);
        x->map[x->nmap++] = (XlPcMap){x->n, (uint32_t)x->offset};
    }
    xl_set_handler(x, xl_grow(x, XL_HANDLER_UNITS), op);
}

/* The module offset mapped to the instruction at unit `at`, if it has one
 * (a load folded into a later instruction keeps reporting its own). */
static uint64_t xl_offset_of(const Xl *x, uint32_t at)
{
    for (uint32_t i = x->nmap; i-- > 0 && x->map[i].pc >= at;)
        if (x->map[i].pc == at) return x->map[i].offset;
    return x->offset;
}

/* The instruction just begun reports offset `off` (see xl_offset_of). */
static void xl_set_offset(Xl *x, uint64_t off)
{
    assert(x->nmap > 0 && x->map[x->nmap - 1].pc == x->instr);
    x->map[x->nmap - 1].offset = (uint32_t)off;
}

/* ---- the compile-time operand stack ------------------------------------- */

static uint32_t xl_slot(const Xl *x, uint32_t h) { return x->base + h; }

static void xl_push(Xl *x, XlVal v)
{
    x->vs = xl_reserve(x->vs, &x->vscap, (uint64_t)x->height + 1, sizeof *x->vs);
    if (v.kind == VS_LOCAL) x->lref[v.local]++;
    x->vs[x->height++] = v;
    if (x->height > x->max_height) x->max_height = x->height;
}

static void xl_push_temps(Xl *x, uint32_t n)
{
    while (n--) xl_push(x, (XlVal){VS_TEMP, 0, 0});
}

static XlVal xl_pop(Xl *x)
{
    assert(x->height > 0); /* validation proved it for reachable code */
    XlVal v = x->vs[--x->height];
    if (v.kind == VS_LOCAL) x->lref[v.local]--;
    return v;
}

static void xl_drop(Xl *x, uint32_t n)
{
    while (n--) xl_pop(x);
}

static void xl_nodef(Xl *x) { x->def_at = XL_NONE; }

/* A label: code may arrive here from elsewhere, so nothing before it can
 * merge with what follows, and locals may hold anything. */
static void xl_label_here(Xl *x)
{
    xl_nodef(x);
    x->entry = false;
    x->last_at = x->prev_at = XL_NONE;
}

/* Is the last instruction op, and nothing emitted after it? */
static bool xl_last_is(const Xl *x, XOp op)
{
    return x->last_at != XL_NONE && x->last_op == op;
}

/* The instruction just emitted wrote the TEMP at height h (pushed here). */
static void xl_def(Xl *x, XOp op, uint32_t h)
{
    assert(h == x->height);
    xl_push_temps(x, 1);
    x->def_at = x->instr;
    x->def_end = x->n;
    x->def_h = h;
    x->def_op = op;
    x->def_field = 0;
}

/* Is the value at height h the fresh result of the last instruction? */
static bool xl_is_def(const Xl *x, uint32_t h)
{
    return x->def_at != XL_NONE && x->def_end == x->n && x->def_h == h &&
           h < x->height && x->vs[h].kind == VS_TEMP;
}

/* Drops the last instruction (its operands are being folded into the
 * next one, which reads them at the same point). */
static void xl_rewind(Xl *x)
{
    xl_cut(x, x->def_at);
    xl_nodef(x);
    assert(x->last_at == x->n);
    x->last_at = x->prev_at;
    x->last_op = x->prev_op;
    x->prev_at = XL_NONE;
}

/* An i32.add of a constant, d a k. */
typedef struct XlAddK {
    uint32_t d, a, k;
} XlAddK;

/* Takes the second add back out of the last instruction, an I32_ADD_K2,
 * which becomes a plain I32_ADD_K again; returns the second. */
static XlAddK xl_add_k2_split(Xl *x)
{
    uint32_t at = x->last_at;
    assert(x->last_op == XOP_I32_ADD_K2 && x->n == at + XL_LEN(8));
    uint32_t k1 = xl_opnd32(x, at, 4);
    XlAddK second = {xl_opnd(x, at, 2), xl_opnd(x, at, 3), xl_opnd32(x, at, 6)};
    /* d a stay where they are; k1 moves up behind them */
    xl_set_handler(x, at, XOP_I32_ADD_K);
    xl_put32(x->code + at + XL_LEN(2), k1);
    xl_cut(x, at + XL_LEN(4));
    x->last_op = XOP_I32_ADD_K;
    xl_nodef(x);
    return second;
}

/* Writes constant bits k into slot d, in the shortest form that holds it. */
static void xl_const_to(Xl *x, uint32_t d, uint64_t k)
{
    if (k <= UINT32_MAX && (int32_t)(uint32_t)k == (int16_t)k) {
        xl_begin(x, XOP_CONST16);
        xl_emit_da(x, d, (uint16_t)k);
    } else if (k <= UINT32_MAX) {
        xl_begin(x, XOP_CONST32);
        xl_emit_dk(x, d, (uint32_t)k);
    } else {
        xl_begin(x, XOP_CONST64);
        xl_emit16(x, d);
        xl_emit64(x, k);
    }
}

static void xl_copy(Xl *x, uint32_t d, uint32_t a)
{
    if (d == a) return;
    XOp more = xl_last_is(x, XOP_COPY) ? XOP_COPY2 : xl_last_is(x, XOP_COPY2) ? XOP_COPY3
             : xl_last_is(x, XOP_COPY3) ? XOP_COPY4 : XOP_COUNT;
    if (more != XOP_COUNT) {
        /* copies merge into one instruction, still one after the other:
         * the next pair of slots goes on the end */
        xl_set_handler(x, x->last_at, more);
        x->last_op = more;
        xl_emit_da(x, d, a);
        return;
    }
    xl_begin(x, XOP_COPY);
    xl_emit_da(x, d, a);
}

/* Makes the entry at height h a TEMP: its value into its own slot. */
static void xl_flush_at(Xl *x, uint32_t h)
{
    XlVal *v = &x->vs[h];
    if (v->kind == VS_LOCAL) {
        x->lref[v->local]--;
        xl_copy(x, xl_slot(x, h), v->local);
    } else if (v->kind == VS_CONST) {
        xl_const_to(x, xl_slot(x, h), v->k);
    }
    v->kind = VS_TEMP;
}

/* Flushes every entry from height `from` up. */
static void xl_flush(Xl *x, uint32_t from)
{
    for (uint32_t h = from; h < x->height; h++) xl_flush_at(x, h);
}

/* Local i is about to change: entries still reading it take its value. */
static void xl_evict(Xl *x, uint32_t i)
{
    for (uint32_t h = x->height; h-- > 0 && x->lref[i] > 0;)
        if (x->vs[h].kind == VS_LOCAL && x->vs[h].local == i) xl_flush_at(x, h);
}

/* The slot an instruction reads for the entry at height h. */
static uint32_t xl_src(Xl *x, uint32_t h)
{
    XlVal *v = &x->vs[h];
    if (v->kind == VS_LOCAL) return v->local;
    if (v->kind == VS_CONST) xl_flush_at(x, h);
    return xl_slot(x, h);
}

/*
 * The slot an i32 operand is read from by an instruction that reads it as
 * i32 (the low 32 bits): an i32.wrap_i64 just before is dropped and its
 * operand read directly.
 */
static uint32_t xl_src_i32(Xl *x, uint32_t h)
{
    if (xl_is_def(x, h) && x->def_op == XOP_I32_WRAP_I64) {
        uint32_t a = xl_opnd(x, x->def_at, 1);
        xl_rewind(x);
        return a;
    }
    return xl_src(x, h);
}

/* ---- branches ------------------------------------------------------------ */

/*
 * Branch distances: a rel (32 bits) in br_table entries and the _W
 * branches, an r (16 bits) everywhere else.  An r that does not fit sets
 * `overflow`, and the function is translated again in far mode, where
 * every branch is a rel but for the conditional ones, which become "if
 * not: skip" over an unconditional _W branch; a skip spans at most the
 * copies of a block's results (LIM_RESULTS), so its r always fits.
 */
static uint32_t xl_r(Xl *x, int64_t rel)
{
    if (rel != (int16_t)rel) x->overflow = true;
    return (uint16_t)rel;
}

/* Emits an r (rel if wide) to the end of c, patched when the end is
 * reached. */
static void xl_forward(Xl *x, XlCtl *c, bool wide)
{
    x->patch = xl_reserve(x->patch, &x->patchcap, (uint64_t)x->npatch + 1, sizeof *x->patch);
    uint32_t at = wide ? xl_emit32(x, 0) : xl_emit16(x, 0);
    x->patch[x->npatch] = (XlPatch){at, x->instr, c->patches, wide};
    c->patches = x->npatch++;
}

static int64_t xl_rel(const Xl *x, uint32_t target)
{
    return (int64_t)target - (int64_t)x->instr;
}

static void xl_resolve(Xl *x, uint32_t p, uint32_t target)
{
    for (; p != XL_NONE; p = x->patch[p].next) {
        const XlPatch *pt = &x->patch[p];
        int64_t rel = (int64_t)target - (int64_t)pt->from;
        if (pt->wide) xl_put32(x->code + pt->at, (uint32_t)(int32_t)rel);
        else x->code[pt->at] = (XlUnit)xl_r(x, rel);
    }
}

/* The unconditional branch: BR/BR_LOOP, or their _W forms in far mode. */
static void xl_jump(Xl *x, XlCtl *c)
{
    if (c->kind == CTL_LOOP) {
        xl_begin(x, x->far ? XOP_BR_LOOP_W : XOP_BR_LOOP);
        if (x->far) xl_emit32(x, (uint32_t)(int32_t)xl_rel(x, c->start));
        else xl_emit16(x, xl_r(x, xl_rel(x, c->start)));
    } else {
        xl_begin(x, x->far ? XOP_BR_W : XOP_BR);
        xl_forward(x, c, x->far);
    }
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

/* First slot of the values a branch to c carries (the function's label
 * takes its results in slots 0..n-1). */
static uint32_t xl_target_slot(const Xl *x, const XlCtl *c)
{
    return c->kind == CTL_FUNC ? 0 : xl_slot(x, c->height);
}

/*
 * Copies the top n values into slots dst.. (for a branch or a return).
 * Several values are flushed first, so every source is a TEMP at or above
 * its destination and ascending copies never clobber a pending source.  A
 * conditional branch must have done that flush before its test: the
 * entries become TEMPs for the path that does not branch too.
 */
static void xl_carry(Xl *x, uint32_t n, uint32_t dst)
{
    uint32_t h0 = x->height - n;
    if (n == 1 && x->vs[h0].kind == VS_CONST) {
        xl_const_to(x, dst, x->vs[h0].k);
        return;
    }
    if (n > 1) xl_flush(x, h0);
    for (uint32_t i = 0; i < n; i++) xl_copy(x, dst + i, xl_src(x, h0 + i));
}

/* Returns from the function with its results on top of the stack. */
static void xl_return(Xl *x)
{
    uint32_t n = x->ctl[0].nresults;
    uint32_t h = x->height - n;
    if (n == 1 && xl_is_def(x, h)) {
        /* the producer writes the result slot itself */
        xl_set_opnd(x, x->def_at, x->def_field, 0);
        xl_nodef(x);
        xl_begin(x, XOP_RETURN);
        return;
    }
    if (n == 1 && x->vs[h].kind != VS_CONST) {
        uint32_t a = xl_src(x, h);
        xl_begin(x, XOP_RETURN1);
        xl_emit16(x, a);
        return;
    }
    xl_carry(x, n, 0);
    xl_begin(x, XOP_RETURN);
}

/* Unconditional branch to label `depth` (values carried, rest dropped). */
static void xl_br(Xl *x, uint32_t depth)
{
    XlCtl *c = xl_label(x, depth);
    if (c->kind == CTL_FUNC) {
        xl_return(x);
        return;
    }
    xl_carry(x, xl_arity(c), xl_target_slot(x, c));
    xl_jump(x, c);
}

/* ---- conditions: compare-and-branch ---------------------------------------- */

#define XL_NCMP 10 /* eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */
_Static_assert(OPC_I32_GE_U - OPC_I32_EQ == XL_NCMP - 1, "i32 comparisons in order");
_Static_assert(OPC_I64_GE_U - OPC_I64_EQ == XL_NCMP - 1, "i64 comparisons in order");
_Static_assert(XOP_I64_EQ_K - XOP_I32_EQ_K == XL_CMP_ROWS * XL_NCMP, "XOP_CMP rows in order");
_Static_assert(XOP_I64_GE_U_K - XOP_I32_EQ_K == XL_CMP_ROWS * (2 * XL_NCMP - 1), "XOP_CMP rows");
_Static_assert(XOP_BR_I32_EQ_K_ADDX - XOP_I32_EQ_K == XL_CMP_ROWS - 1, "XOP_CMP row order");

/* !(a op b) and (b op a), by comparison number */
static const uint8_t xl_cmp_not[XL_NCMP] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};
static const uint8_t xl_cmp_swap[XL_NCMP] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};

/* Comparison number 0..19 (i64 from 10) of an integer compare, or -1. */
static int xl_cmp_num(unsigned op)
{
    if (op >= OPC_I32_EQ && op <= OPC_I32_GE_U) return (int)(op - OPC_I32_EQ);
    if (op >= OPC_I64_EQ && op <= OPC_I64_GE_U) return (int)(op - OPC_I64_EQ) + XL_NCMP;
    return -1;
}

static XOp xl_cmp_op(int num) /* register form */
{
    return (XOp)(num < XL_NCMP ? OPC_I32_EQ + num : OPC_I64_EQ + num - XL_NCMP);
}

static XOp xl_cmp_k(int num) { return (XOp)(XOP_I32_EQ_K + XL_CMP_ROWS * num); }

/* Fused form: +1 register, +2 imm16, +3/+4 the same as loop latches,
 * +5/+6 latches that first add a constant to the left operand, +7/+8 that
 * add a slot. */
static XOp xl_cmp_br(int num, bool imm, bool loop)
{
    return (XOp)(xl_cmp_k(num) + 1 + (imm ? 1 : 0) + (loop ? 2 : 0));
}

static XOp xl_cmp_br_inc(int num, bool imm, bool reg)
{
    return (XOp)(xl_cmp_k(num) + 5 + (imm ? 1 : 0) + (reg ? 2 : 0));
}

/* +9/+10: latches that add a constant to a slot the branch does not read. */
static XOp xl_cmp_br_addx(int num, bool imm)
{
    return (XOp)(xl_cmp_k(num) + 9 + (imm ? 1 : 0));
}

static int xl_cmp_invert(int num)
{
    int t = num >= XL_NCMP ? XL_NCMP : 0;
    return t + xl_cmp_not[num - t];
}

static int xl_cmp_mirror(int num)
{
    int t = num >= XL_NCMP ? XL_NCMP : 0;
    return t + xl_cmp_swap[num - t];
}

/* The comparison number of a compare XOp (register or _K form), or -1. */
static int xl_cmp_of(XOp op, bool *imm)
{
    int num = xl_cmp_num(op);
    *imm = false;
    if (num >= 0) return num;
    if (op >= XOP_I32_EQ_K && op <= XOP_I64_GE_U_K && (op - XOP_I32_EQ_K) % XL_CMP_ROWS == 0) {
        *imm = true;
        return (int)(op - XOP_I32_EQ_K) / XL_CMP_ROWS;
    }
    return -1;
}

/* A branch condition, ready to emit: lhs <cmp> rhs (rhs a slot or imm16). */
typedef struct XlCond {
    int cmp;
    bool imm;
    uint32_t lhs, rhs;
} XlCond;

static bool xl_fits16(uint32_t k) { return (int32_t)k == (int16_t)k; }

/*
 * Pops the condition of br_if/if.  If the compare that produced it was the
 * last instruction, it is taken back out of the code and its operands go
 * into the branch; otherwise the branch tests the value against zero.
 */
static XlCond xl_pop_cond(Xl *x)
{
    uint32_t h = x->height - 1;
    XlCond c = {0, true, 0, 0};
    bool imm;
    if (xl_is_def(x, h)) {
        /* d a b, or d a k */
        int num = xl_cmp_of(x->def_op, &imm);
        uint32_t rhs = num < 0 ? 0 : imm ? xl_opnd32(x, x->def_at, 2) : xl_opnd(x, x->def_at, 2);
        if (num >= 0 && (!imm || xl_fits16(rhs))) {
            c.lhs = xl_opnd(x, x->def_at, 1);
            c.rhs = (uint16_t)rhs;
            xl_rewind(x);
            xl_pop(x);
            c.cmp = num;
            c.imm = imm;
            return c;
        }
    }
    c.lhs = xl_src_i32(x, h);
    xl_pop(x);
    c.cmp = xl_cmp_num(OPC_I32_NE); /* != 0 */
    return c;
}

/* Branch-if-cond instruction up to its rel, which is for the caller. */
static void xl_begin_cond(Xl *x, XlCond c, bool loop)
{
    xl_begin(x, xl_cmp_br(c.cmp, c.imm, loop));
    xl_emit_da(x, c.lhs, c.rhs);
}

/*
 * A loop latch "i += k; if (i <cmp> n) continue" (k a constant or a slot):
 * when the last instruction adds to the compared slot in place, both become
 * one (not when n is i itself, which the add would change first).  So does
 * "j += k; if (a <cmp> b) continue" when the branch does not read j.
 */
static bool xl_latch(Xl *x, XlCond cond, const XlCtl *c)
{
    bool i64 = cond.cmp >= XL_NCMP;
    XOp addk = i64 ? XOP_I64_ADD_K : XOP_I32_ADD_K, add = i64 ? XOP_I64_ADD : XOP_I32_ADD;
    bool pair = !i64 && xl_last_is(x, XOP_I32_ADD_K2);
    bool reg = xl_last_is(x, add);
    if ((!xl_last_is(x, addk) && !pair && !reg) || x->def_at != XL_NONE) return false;
    /* the add: d a b, d a k, or the second half of d a b c k1 k2 */
    uint32_t at = x->last_at, i, inc; /* the slot added to; the constant or slot added */
    if (reg) {
        i = xl_opnd(x, at, 0);
        uint32_t a = xl_opnd(x, at, 1), b = xl_opnd(x, at, 2);
        if (i != a && i != b) return false;
        inc = i == a ? b : a;
    } else {
        i = xl_opnd(x, at, pair ? 2 : 0);
        if (i != xl_opnd(x, at, pair ? 3 : 1)) return false;
        inc = xl_opnd32(x, at, pair ? 6 : 2);
    }
    if (!cond.imm && i == cond.rhs && cond.lhs != cond.rhs) {
        /* n <cmp> i is i <mirrored cmp> n */
        cond.cmp = xl_cmp_mirror(cond.cmp);
        cond.rhs = cond.lhs;
        cond.lhs = i;
    }
    bool other = i != cond.lhs && (cond.imm || i != cond.rhs);
    if (other && reg) return false;
    if (!other && (i != cond.lhs || (!cond.imm && cond.rhs == cond.lhs))) return false;
    if (pair) {
        xl_add_k2_split(x);
    } else {
        xl_cut(x, x->last_at);
    }
    x->last_at = XL_NONE;
    xl_begin(x, other ? xl_cmp_br_addx(cond.cmp, cond.imm) : xl_cmp_br_inc(cond.cmp, cond.imm, reg));
    xl_emit_dab(x, cond.lhs, cond.rhs, xl_r(x, xl_rel(x, c->start)));
    if (reg) { /* d a r s */
        xl_emit16(x, inc);
    } else if (other) { /* d a r s k */
        xl_emit16(x, i);
        xl_emit32(x, inc);
    } else { /* d a r k */
        xl_emit32(x, inc);
    }
    return true;
}

/* br_if: direct when the carried values are in place (or none) and the
 * target is near, else "if not taken: skip" in front of the unconditional
 * form. */
static void xl_br_if(Xl *x, uint32_t depth)
{
    XlCtl *c = xl_label(x, depth);
    uint32_t n = xl_arity(c);
    uint32_t top = x->height - 1; /* the condition */
    bool direct = c->kind != CTL_FUNC && top - n == c->height && !x->far;
    for (uint32_t i = 0; direct && i < n; i++) direct = x->vs[top - 1 - i].kind == VS_TEMP;
    if (!direct && n > 1)
        for (uint32_t h = top - n; h < top; h++) xl_flush_at(x, h);
    XlCond cond = xl_pop_cond(x);
    if (direct && c->kind == CTL_LOOP && xl_latch(x, cond, c)) return;
    if (direct) {
        xl_begin_cond(x, cond, c->kind == CTL_LOOP);
        if (c->kind == CTL_LOOP) xl_emit16(x, xl_r(x, xl_rel(x, c->start)));
        else xl_forward(x, c, false);
        return;
    }
    cond.cmp = xl_cmp_invert(cond.cmp);
    xl_begin_cond(x, cond, false);
    uint32_t start = x->instr;
    uint32_t skip = xl_emit16(x, 0);
    xl_br(x, depth);
    x->code[skip] = (XlUnit)xl_r(x, x->n - start);
    xl_label_here(x);
}

static void xl_br_table(Xl *x, const Instr *in)
{
    uint32_t idx = xl_src(x, x->height - 1);
    xl_pop(x);
    uint32_t count = in->imm.br_table.count;
    /* every target takes the same number of values: from fixed slots */
    uint32_t arity = xl_arity(xl_label(x, in->imm.br_table.default_label));
    xl_flush(x, x->height - arity);
    xl_begin(x, XOP_BR_TABLE);
    xl_emit_dak(x, xl_slot(x, x->height - arity), idx, count);
    /* count is at most LIM_BR_TABLE: the entries cannot overflow x->n */
    x->code = xl_reserve(x->code, &x->cap, (uint64_t)x->n + 4 * ((uint64_t)count + 1),
                         sizeof *x->code);
    const uint8_t *it = in->imm.br_table.labels;
    for (uint64_t i = 0; i <= count; i++) {
        /* rel d a */
        uint32_t depth = i < count ? ins_br_table_label(&it) : in->imm.br_table.default_label;
        XlCtl *c = xl_label(x, depth);
        if (c->kind == CTL_LOOP) xl_emit32(x, (uint32_t)(int32_t)xl_rel(x, c->start));
        else xl_forward(x, c, true); /* the function's: its final RETURN */
        xl_emit_da(x, xl_target_slot(x, c), arity | (c->kind == CTL_LOOP ? XL_BR_LOOP : 0));
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

/* Every path into a block sees all values in their own slots. */
static void xl_block(Xl *x, const Instr *in)
{
    uint32_t np, nr;
    xl_blocktype(x, in, &np, &nr);
    if (in->op == OPC_IF) {
        /* the condition last, so a compare just before can fuse */
        uint32_t h = x->height - 1;
        XlVal top = x->vs[h];
        x->height--;
        xl_flush(x, 0);
        x->vs[x->height++] = top;
        XlCond cond = xl_pop_cond(x);
        XlCtl *c;
        if (!x->far) {
            cond.cmp = xl_cmp_invert(cond.cmp);
            xl_begin_cond(x, cond, false);
            c = xl_open(x, CTL_IF, np, nr);
            xl_forward(x, c, false);
        } else {
            /* "if cond: skip" in front of a far branch to else/end */
            xl_begin_cond(x, cond, false);
            uint32_t start = x->instr, skip = xl_emit16(x, 0);
            xl_begin(x, XOP_BR_W);
            c = xl_open(x, CTL_IF, np, nr);
            xl_forward(x, c, true);
            x->code[skip] = (XlUnit)xl_r(x, x->n - start);
        }
        /* the IF's target is kept apart from the end's chain */
        c->if_patch = c->patches;
        c->patches = XL_NONE;
        x->patch[c->if_patch].next = XL_NONE;
    } else {
        xl_flush(x, 0);
        xl_open(x, in->op == OPC_LOOP ? CTL_LOOP : CTL_BLOCK, np, nr);
    }
    xl_label_here(x);
}

static void xl_else(Xl *x)
{
    XlCtl *c = &x->ctl[x->nctl - 1];
    assert(c->kind == CTL_IF);
    if (!x->dead) {
        xl_flush(x, c->height);
        xl_jump(x, c);
    }
    xl_resolve(x, c->if_patch, x->n);
    c->if_patch = XL_NONE;
    c->kind = CTL_ELSE;
    xl_drop(x, x->height - c->height);
    xl_push_temps(x, c->nparams);
    x->dead = false;
    xl_label_here(x);
}

static void xl_end(Xl *x)
{
    XlCtl *c = &x->ctl[x->nctl - 1];
    if (c->kind == CTL_FUNC) {
        if (!x->dead) xl_return(x);
        if (c->patches != XL_NONE) {
            /* br_table entries to the function's label: results in place */
            xl_resolve(x, c->patches, x->n);
            xl_begin(x, XOP_RETURN);
        }
        x->nctl--;
        return;
    }
    if (!x->dead) xl_flush(x, c->height);
    if (c->kind == CTL_IF) xl_resolve(x, c->if_patch, x->n);
    xl_resolve(x, c->patches, x->n);
    xl_drop(x, x->height - c->height);
    xl_push_temps(x, c->nresults);
    x->nctl--;
    x->dead = false;
    xl_label_here(x);
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

/* ---- locals, calls ------------------------------------------------------- */

/* local.set / local.tee i of the top value. */
static void xl_set_local(Xl *x, uint32_t i, bool tee)
{
    uint32_t h = x->height - 1;
    XlVal v = x->vs[h];
    bool same = v.kind == VS_LOCAL && v.local == i;
    if (x->entry && !x->lset[i] && i >= x->nparams && v.kind == VS_CONST && v.k == 0)
        same = true; /* zeroing a local that is still zero */
    x->lset[i] = 1;
    if (same) {
        if (!tee) xl_pop(x);
        return;
    }
    if (xl_is_def(x, h) && x->lref[i] == 0) {
        /* the producer writes the local directly */
        xl_set_opnd(x, x->def_at, x->def_field, i);
        xl_nodef(x);
        xl_pop(x);
        if (tee) xl_push(x, (XlVal){VS_LOCAL, i, 0});
        return;
    }
    xl_evict(x, i);
    if (v.kind == VS_CONST) xl_const_to(x, i, v.k);
    else xl_copy(x, i, xl_src(x, h));
    xl_nodef(x);
    if (!tee) xl_pop(x);
}

/* Arguments flushed to the top slots, which become the callee's frame. */
static uint32_t xl_args(Xl *x, const FuncType *t)
{
    uint32_t h = x->height - t->nparams;
    xl_flush(x, h);
    xl_drop(x, t->nparams);
    return xl_slot(x, h);
}

static void xl_call(Xl *x, const Instr *in)
{
    const FuncType *t;
    if (in->op == OPC_CALL) {
        uint32_t f = in->imm.idx;
        t = mod_func_type(x->m, f);
        uint32_t a = xl_args(x, t);
        xl_begin(x, f < x->m->nimported_funcs ? XOP_CALL_IMPORT : XOP_CALL);
        xl_emit16(x, a);
        xl_emit32(x, f);
    } else {
        /* the index is read before the callee's frame covers its slot */
        t = &x->m->types[in->imm.ci.type_idx];
        uint32_t i = xl_src(x, x->height - 1);
        xl_pop(x);
        uint32_t a = xl_args(x, t);
        xl_begin(x, XOP_CALL_INDIRECT);
        xl_emit_da(x, a, i);
        xl_emit32(x, in->imm.ci.type_idx);
        xl_emit32(x, in->imm.ci.table);
    }
    xl_push_temps(x, t->nresults);
    xl_nodef(x);
}

/* ---- other instructions -------------------------------------------------- */

/* The _K form of a binary operator, XOP_COUNT if it has none. */
static XOp xl_kform(unsigned op)
{
    switch (op) {
#define XOP(name)
#define XOP_CMP(c) case OPC_##c: return XOP_##c##_K;
#define XOP_BINK(c) case OPC_##c: return XOP_##c##_K;
#define XOP_SHIFTK(c) case OPC_##c: return XOP_##c##_K;
#include "exec/xops.def"
#undef XOP
    default: return XOP_COUNT;
    }
}

/* Is kop a shift by a constant (XOP_SHIFTK: d a i)? */
static bool xl_shiftk(XOp kop)
{
    switch (kop) {
#define XOP(name)
#define XOP_SHIFTK(c) case XOP_##c##_K:
#include "exec/xops.def"
#undef XOP
        return true;
    default:
        return false;
    }
}

/* Emits d = a op k with kop, a _K form: d a k, or d a i for a shift,
 * whose count is masked as the handler masks it. */
static void xl_emit_kop(Xl *x, XOp kop, uint32_t d, uint32_t a, uint32_t k)
{
    xl_begin(x, kop);
    if (xl_shiftk(kop)) xl_emit_dab(x, d, a, k & 63);
    else xl_emit_dak(x, d, a, k);
}

/* The _K64 form of a binary operator, XOP_COUNT if it has none. */
static XOp xl_k64form(unsigned op)
{
    switch (op) {
#define XOP(name)
#define XOP_CMP(c)
#define XOP_BINK(c)
#define XOP_BINK64(c) case OPC_##c: return XOP_##c##_K64;
#include "exec/xops.def"
#undef XOP
    default: return XOP_COUNT;
    }
}

static bool xl_commutes(unsigned op)
{
    switch (op) {
    case OPC_I32_ADD: case OPC_I32_MUL: case OPC_I32_AND: case OPC_I32_OR: case OPC_I32_XOR:
    case OPC_I64_ADD: case OPC_I64_MUL: case OPC_I64_AND: case OPC_I64_OR: case OPC_I64_XOR:
        return true;
    default:
        return false;
    }
}

/* Can an operand constant be the 32-bit k of a _K form of op? */
static bool xl_fits_k(unsigned op, const XlVal *v)
{
    if (v->kind != VS_CONST) return false;
    if (op_info[op].params[0] == OT_I32 || op_info[op].params[0] == OT_F32) return true;
    return (int64_t)v->k == (int32_t)(uint32_t)v->k; /* i64: sign-extended */
}

/* i32.add of a constant right after another (pointer bumps): both in one
 * instruction, the second writing field b (xl_add_k2_split undoes it). */
static void xl_add_k2(Xl *x, uint32_t d, uint32_t a, uint32_t k)
{
    /* d a k1 becomes d a b c k1 k2 */
    uint32_t at = x->last_at;
    assert(x->n == at + XL_LEN(4));
    uint32_t k1 = xl_opnd32(x, at, 2);
    xl_cut(x, at + XL_LEN(2));
    xl_emit_dak(x, d, a, k1);
    xl_emit32(x, k);
    xl_set_handler(x, at, XOP_I32_ADD_K2);
    x->last_op = XOP_I32_ADD_K2;
    x->instr = at;
    xl_def(x, XOP_I32_ADD_K2, x->height);
    x->def_field = 2;
}

/* The fused form of op applied to the result of a shift by a constant
 * (xops.def), XOP_COUNT for none. */
static XOp xl_shifted(unsigned op, XOp shift)
{
    switch (shift) {
    case XOP_I32_SHL_K:
        return op == OPC_I32_ADD ? XOP_I32_ADD_SHL : op == OPC_I32_XOR ? XOP_I32_XOR_SHL
             : op == OPC_I32_OR ? XOP_I32_OR_SHL : XOP_COUNT;
    case XOP_I32_SHR_U_K:
        return op == OPC_I32_XOR ? XOP_I32_XOR_SHR_U : op == OPC_I32_OR ? XOP_I32_OR_SHR_U
             : XOP_COUNT;
    case XOP_I32_ROTL_K:
        return op == OPC_I32_XOR ? XOP_I32_XOR_ROTL : op == OPC_I32_ADD ? XOP_I32_ADD_ROTL
             : XOP_COUNT;
    case XOP_I32_ROTR_K:
        return op == OPC_I32_XOR ? XOP_I32_XOR_ROTR : op == OPC_I32_ADD ? XOP_I32_ADD_ROTR
             : XOP_COUNT;
    case XOP_I64_SHL_K:
        return op == OPC_I64_ADD ? XOP_I64_ADD_SHL : op == OPC_I64_XOR ? XOP_I64_XOR_SHL
             : op == OPC_I64_OR ? XOP_I64_OR_SHL : XOP_COUNT;
    case XOP_I64_SHR_U_K:
        return op == OPC_I64_XOR ? XOP_I64_XOR_SHR_U : op == OPC_I64_OR ? XOP_I64_OR_SHR_U
             : XOP_COUNT;
    default:
        return XOP_COUNT;
    }
}

/* i32 add, xor, and, or: the number of each in the I32_X_Y rows. */
static int xl_i32_bitop(unsigned op)
{
    switch (op) {
    case OPC_I32_ADD: return 0;
    case OPC_I32_XOR: return 1;
    case OPC_I32_AND: return 2;
    case OPC_I32_OR: return 3;
    default: return -1;
    }
}
_Static_assert(XOP_I32_OR_OR == XOP_I32_ADD_ADD + 15, "i32 pairs in order");

/* The fused form of f64 op Y applied to the result of f64 op X: rev when
 * that result is Y's right operand (xops.def F64_X_Y). */
static XOp xl_f64_pair(unsigned y, XOp x, bool rev)
{
    int row;
    switch (x) {
    case XOP_F64_MUL: row = 0; break;
    case XOP_F64_ADD: row = 1; break;
    case XOP_F64_SUB: row = 2; break;
    default: return XOP_COUNT;
    }
    int col;
    switch (y) {
    case OPC_F64_ADD: col = 0; break;
    case OPC_F64_SUB: col = rev ? 2 : 1; break;
    case OPC_F64_MUL: col = 3; break;
    default: return XOP_COUNT;
    }
    return (XOp)(XOP_F64_MUL_ADD + 4 * row + col);
}
_Static_assert(XOP_F64_SUB_MUL == XOP_F64_MUL_ADD + 11, "F64 pairs in order");
_Static_assert(XOP_F64_MEM_SUB_MUL == XOP_F64_MEM_SUB + 2, "F64 memory updates in order");

/*
 * Two operators in one instruction: op's operand at height `at` (the other
 * at `other`) is the fresh result of the last instruction, a shift by a
 * constant or an f64 operator; that instruction is taken back and its
 * operands go into the fused one.
 */
static bool xl_pair(Xl *x, unsigned op, uint32_t h, uint32_t at, uint32_t other)
{
    if (!xl_is_def(x, at) || x->vs[other].kind == VS_CONST) return false;
    /* the first is a shift d a i, an operator d a b or a load d a i: its a
     * and b (or i) */
    XOp fop = xl_shifted(op, x->def_op);
    bool load = x->def_op == XOP_F64_LOAD &&
                (op == OPC_F64_ADD || op == OPC_F64_SUB || op == OPC_F64_MUL);
    int yi = xl_i32_bitop(op), xi = xl_i32_bitop(x->def_op);
    XOp pair = xl_f64_pair(op, x->def_op, at != h);
    if (fop == XOP_COUNT && !load && (yi < 0 || xi < 0) && pair == XOP_COUNT) return false;
    uint32_t fa = xl_opnd(x, x->def_at, 1), fb = xl_opnd(x, x->def_at, 2);
    uint32_t c;
    if (fop != XOP_COUNT) {
        /* every fused operator commutes: the shifted operand may be either */
        c = fb & (op_info[op].params[0] == OT_I64 ? 63u : 31u); /* d a i */
        xl_rewind(x);
        uint32_t a = xl_src(x, other);
        xl_drop(x, 2);
        xl_begin(x, fop);
        xl_emit_dabc(x, xl_slot(x, h), a, fa, c);
        xl_def(x, fop, h);
        return true;
    }
    if (yi >= 0 && xi >= 0) {
        /* (a X b) Y c: all four commute, so either operand may be it */
        fop = (XOp)(XOP_I32_ADD_ADD + 4 * xi + yi);
        xl_rewind(x);
        c = xl_src(x, other);
        xl_drop(x, 2);
        xl_begin(x, fop);
        xl_emit_dabc(x, xl_slot(x, h), fa, fb, c);
        xl_def(x, fop, h);
        return true;
    }
    if (load) {
        /* the load becomes a memory operand (its offset fits 16 bits, or
         * it would be an F64_LOAD_W) */
        fop = op == OPC_F64_ADD ? XOP_F64_ADD_M : op == OPC_F64_MUL ? XOP_F64_MUL_M
              : at == h + 1 ? XOP_F64_SUB_M : XOP_F64_RSUB_M;
        uint64_t off = xl_offset_of(x, x->def_at);
        xl_rewind(x);
        c = xl_src(x, other);
        xl_drop(x, 2);
        xl_begin(x, fop);
        xl_set_offset(x, off);
        xl_emit_dabc(x, xl_slot(x, h), c, fa, fb);
        xl_def(x, fop, h);
        return true;
    }
    xl_rewind(x);
    c = xl_src(x, other);
    xl_drop(x, 2);
    xl_begin(x, pair);
    xl_emit_dabc(x, xl_slot(x, h), fa, fb, c);
    xl_def(x, pair, h);
    return true;
}

static void xl_binary(Xl *x, unsigned op)
{
    uint32_t h = x->height - 2;
    /* i32 operands are read as i32: a wrap before them can go */
    uint32_t (*src)(Xl *, uint32_t) = op_info[op].params[0] == OT_I32 ? xl_src_i32 : xl_src;
    XOp kop = xl_kform(op);
    int cmp = xl_cmp_num(op);
    if (kop != XOP_COUNT && xl_fits_k(op, &x->vs[h + 1])) {
        uint32_t a = src(x, h);
        uint32_t k = (uint32_t)x->vs[h + 1].k;
        xl_drop(x, 2);
        if (kop == XOP_I32_ADD_K && xl_last_is(x, XOP_I32_ADD_K)) {
            xl_add_k2(x, xl_slot(x, h), a, k);
            return;
        }
        xl_emit_kop(x, kop, xl_slot(x, h), a, k);
        xl_def(x, kop, h);
        return;
    }
    if (kop != XOP_COUNT && (xl_commutes(op) || cmp >= 0) && xl_fits_k(op, &x->vs[h])) {
        if (cmp >= 0) kop = xl_cmp_k(xl_cmp_mirror(cmp));
        uint32_t a = src(x, h + 1);
        uint32_t k = (uint32_t)x->vs[h].k;
        xl_drop(x, 2);
        xl_emit_kop(x, kop, xl_slot(x, h), a, k);
        xl_def(x, kop, h);
        return;
    }
    if ((op == OPC_I32_SUB || op == OPC_I64_SUB) && xl_fits_k(op, &x->vs[h])) {
        /* k - a */
        XOp rop = op == OPC_I32_SUB ? XOP_I32_RSUB_K : XOP_I64_RSUB_K;
        uint32_t a = src(x, h + 1);
        uint32_t k = (uint32_t)x->vs[h].k;
        xl_drop(x, 2);
        xl_begin(x, rop);
        xl_emit_dak(x, xl_slot(x, h), a, k);
        xl_def(x, rop, h);
        return;
    }
    XOp k64 = xl_k64form(op);
    if ((op == OPC_F64_SUB || op == OPC_F64_DIV) && x->vs[h].kind == VS_CONST) {
        /* k - a, k / a */
        XOp rop = op == OPC_F64_SUB ? XOP_F64_RSUB_K64 : XOP_F64_RDIV_K64;
        uint32_t a = xl_src(x, h + 1);
        uint64_t k = x->vs[h].k;
        xl_drop(x, 2);
        xl_begin(x, rop);
        xl_emit_da(x, xl_slot(x, h), a);
        xl_emit64(x, k);
        xl_def(x, rop, h);
        return;
    }
    if (k64 != XOP_COUNT && x->vs[h + 1].kind == VS_CONST) {
        uint32_t a = xl_src(x, h);
        uint64_t k = x->vs[h + 1].k;
        xl_drop(x, 2);
        xl_begin(x, k64);
        xl_emit_da(x, xl_slot(x, h), a);
        xl_emit64(x, k);
        xl_def(x, k64, h);
        return;
    }
    if (xl_pair(x, op, h, h + 1, h) || xl_pair(x, op, h, h, h + 1)) return;
    uint32_t a = src(x, h), b = src(x, h + 1);
    xl_drop(x, 2);
    xl_begin(x, (XOp)op);
    xl_emit_dab(x, xl_slot(x, h), a, b);
    xl_def(x, (XOp)op, h);
}

static void xl_unary(Xl *x, unsigned op)
{
    uint32_t h = x->height - 1;
    bool imm;
    int num;
    if ((op == OPC_I32_EQZ) && xl_is_def(x, h) &&
        (num = xl_cmp_of(x->def_op, &imm)) >= 0) {
        /* eqz of a comparison: the opposite comparison */
        int inv = xl_cmp_invert(num);
        XOp nop = imm ? xl_cmp_k(inv) : xl_cmp_op(inv);
        xl_set_handler(x, x->def_at, nop);
        x->def_op = nop;
        return;
    }
    uint32_t (*src)(Xl *, uint32_t) = op_info[op].params[0] == OT_I32 ? xl_src_i32 : xl_src;
    if (op == OPC_I32_EQZ || op == OPC_I64_EQZ) {
        /* eqz is == 0 (which can fuse into a branch) */
        uint32_t a = src(x, h);
        XOp kop = xl_cmp_k(xl_cmp_num(op == OPC_I32_EQZ ? OPC_I32_EQ : OPC_I64_EQ));
        xl_drop(x, 1);
        xl_begin(x, kop);
        xl_emit_dak(x, xl_slot(x, h), a, 0);
        xl_def(x, kop, h);
        return;
    }
    uint32_t a = src(x, h);
    xl_drop(x, 1);
    xl_begin(x, (XOp)op);
    xl_emit_da(x, xl_slot(x, h), a);
    xl_def(x, (XOp)op, h);
}

/* The _A form of a load or store (xops.def: _ADD, _ADDR, _IDX and _W
 * follow a load's, _K and _W a store's), XOP_COUNT for none. */
static XOp xl_memform(unsigned op)
{
    switch (op) {
#define XOP(name)
#define XOP_LOAD(c) case OPC_##c: return XOP_##c##_A;
#define XOP_STORE(c) case OPC_##c: return XOP_##c##_A;
#include "exec/xops.def"
#undef XOP
    default: return XOP_COUNT;
    }
}
_Static_assert(XOP_I32_LOAD_W == XOP_I32_LOAD_A + 4, "XOP_LOAD rows in order");
_Static_assert(XOP_I32_STORE_W == XOP_I32_STORE_A + 2, "XOP_STORE rows in order");

/* A constant address: the effective address is known, if it fits. */
static bool xl_abs_addr(const Xl *x, uint32_t h, uint32_t offset, uint32_t *ea)
{
    const XlVal *v = &x->vs[h];
    if (v->kind != VS_CONST || v->k + offset > UINT32_MAX) return false;
    *ea = (uint32_t)(v->k + offset);
    return true;
}

static void xl_load(Xl *x, unsigned op, uint32_t offset)
{
    uint32_t h = x->height - 1, ea;
    XOp mop = xl_memform(op);
    if (xl_abs_addr(x, h, offset, &ea)) {
        xl_drop(x, 1);
        xl_begin(x, mop);
        xl_emit_dk(x, xl_slot(x, h), ea);
        xl_def(x, mop, h);
        return;
    }
    if (offset == 0 && xl_is_def(x, h) && x->def_op == XOP_I32_ADD_K2) {
        /* the second add of a pair joins the load instead */
        XlAddK add = xl_add_k2_split(x);
        xl_drop(x, 1);
        xl_begin(x, mop + 1);
        xl_emit_dak(x, xl_slot(x, h), add.a, add.k);
        xl_def(x, mop + 1, h);
        return;
    }
    XOp def = x->def_op;
    bool addk = def == XOP_I32_ADD_K;
    if (xl_is_def(x, h) && ((offset == 0 && (addk || def == XOP_I32_ADD_SHL)) ||
                            (offset <= UINT16_MAX && def == XOP_I32_ADD))) {
        /* the address computation joins the load: d a k (_ADD), d a b and
         * the offset (_ADDR), or d a b c (_IDX) */
        uint32_t at = x->def_at, a = xl_opnd(x, at, 1);
        uint32_t b = addk ? xl_opnd32(x, at, 2) : xl_opnd(x, at, 2);
        uint32_t c = def == XOP_I32_ADD_SHL ? xl_opnd(x, at, 3) : offset;
        XOp fop = addk ? mop + 1 : def == XOP_I32_ADD ? mop + 2 : mop + 3;
        xl_rewind(x);
        xl_drop(x, 1);
        xl_begin(x, fop);
        if (addk) xl_emit_dak(x, xl_slot(x, h), a, b);
        else xl_emit_dabc(x, xl_slot(x, h), a, b, c);
        xl_def(x, fop, h);
        return;
    }
    uint32_t a = xl_src_i32(x, h);
    xl_drop(x, 1);
    if (offset > UINT16_MAX) {
        xl_begin(x, mop + 4);
        xl_emit_dak(x, xl_slot(x, h), a, offset);
        xl_def(x, mop + 4, h);
        return;
    }
    xl_begin(x, (XOp)op);
    xl_emit_dab(x, xl_slot(x, h), a, offset);
    xl_def(x, (XOp)op, h);
}

/*
 * "mem[p + off] += k" (a counter or a struct field bumped): the last two
 * instructions are the load of the same address into the value's slot and
 * the add of a small constant; all three become one.  Returns whether it
 * did that.
 */
static bool xl_inc_mem(Xl *x, unsigned op, uint32_t offset, uint32_t h)
{
    bool i64 = op == OPC_I64_STORE;
    if ((op != OPC_I32_STORE && !i64) || !xl_is_def(x, h + 1) || x->prev_at == XL_NONE ||
        x->def_op != (i64 ? XOP_I64_ADD_K : XOP_I32_ADD_K))
        return false;
    /* the add is d a k, the load d a i (a 16-bit offset) or d k (_A) */
    uint32_t slot = xl_slot(x, h + 1), ea = 0, ld = x->prev_at;
    uint32_t inc = xl_opnd32(x, x->def_at, 2);
    if (xl_opnd(x, x->def_at, 1) != slot || !xl_fits16(inc)) return false;
    bool abs = xl_abs_addr(x, h, offset, &ea);
    XOp lop = i64 ? (abs ? XOP_I64_LOAD_A : XOP_I64_LOAD) : (abs ? XOP_I32_LOAD_A : XOP_I32_LOAD);
    if (x->prev_op != lop || xl_opnd(x, ld, 0) != slot) return false;
    if (abs ? xl_opnd32(x, ld, 1) != ea
            : x->vs[h].kind == VS_CONST || xl_opnd(x, ld, 2) != offset ||
                  xl_opnd(x, ld, 1) != xl_src(x, h))
        return false;
    uint32_t base = abs ? 0 : xl_opnd(x, ld, 1);
    uint64_t off = xl_offset_of(x, x->prev_at); /* only the load can trap */
    xl_cut(x, x->prev_at);
    xl_label_here(x); /* nothing before may merge with this */
    xl_drop(x, 2);
    XOp iop = i64 ? (abs ? XOP_I64_INC_MEM_A : XOP_I64_INC_MEM)
                  : (abs ? XOP_I32_INC_MEM_A : XOP_I32_INC_MEM);
    xl_begin(x, iop);
    xl_set_offset(x, off);
    xl_emit16(x, (uint16_t)inc);
    if (abs) xl_emit32(x, ea); /* i k */
    else xl_emit_da(x, base, offset); /* i a c */
    return true;
}

static void xl_store(Xl *x, unsigned op, uint32_t offset)
{
    uint32_t h = x->height - 2, ea;
    if (xl_inc_mem(x, op, offset, h)) return;
    const XlVal *val = &x->vs[h + 1];
    bool wide = op == OPC_I64_STORE || op == OPC_F64_STORE;
    if (val->kind == VS_CONST && !xl_abs_addr(x, h, offset, &ea) && offset <= UINT16_MAX &&
        (wide ? (int64_t)val->k == (int16_t)val->k
              : (int32_t)(uint32_t)val->k == (int16_t)val->k)) {
        /* a small constant stored: the value rides in the instruction
         * (i a c), sign-extended from 16 bits to as many bytes as are
         * stored */
        uint32_t a = xl_src(x, h);
        uint16_t k = (uint16_t)val->k;
        xl_drop(x, 2);
        xl_begin(x, xl_memform(op) + 1);
        xl_emit_dab(x, k, a, offset);
        xl_nodef(x);
        return;
    }
    if (op == OPC_F64_STORE && offset <= UINT16_MAX && x->vs[h].kind != VS_CONST &&
        xl_is_def(x, h + 1) && (x->def_op == XOP_F64_ADD_M || x->def_op == XOP_F64_RSUB_M) &&
        xl_opnd(x, x->def_at, 2) == xl_src(x, h) && xl_opnd(x, x->def_at, 3) == offset) {
        /* mem[p + off] = mem[p + off] +/- v: updated in place, and with
         * v = a * b computed just before, the product joins too */
        uint32_t fa = xl_opnd(x, x->def_at, 1), fb = xl_opnd(x, x->def_at, 2);
        XOp sop = x->def_op == XOP_F64_ADD_M ? XOP_F64_MEM_ADD : XOP_F64_MEM_SUB;
        uint64_t off = xl_offset_of(x, x->def_at);
        xl_rewind(x);
        xl_drop(x, 2);
        if (xl_last_is(x, XOP_F64_MUL) && xl_opnd(x, x->last_at, 0) == fa &&
            fa == xl_slot(x, h + 1)) {
            /* the product's d a b */
            uint32_t ma = xl_opnd(x, x->last_at, 1), mb = xl_opnd(x, x->last_at, 2);
            xl_cut(x, x->last_at);
            x->last_at = XL_NONE;
            xl_begin(x, sop + 2);
            xl_set_offset(x, off);
            xl_emit_dabc(x, ma, fb, mb, offset);
            xl_nodef(x);
            return;
        }
        xl_begin(x, sop);
        xl_set_offset(x, off);
        xl_emit_dabc(x, fa, fb, 0, offset);
        xl_nodef(x);
        return;
    }
    if (op == OPC_F64_STORE && offset <= UINT16_MAX && x->vs[h].kind != VS_CONST &&
        xl_is_def(x, h + 1) &&
        (x->def_op == XOP_F64_ADD || x->def_op == XOP_F64_SUB || x->def_op == XOP_F64_MUL)) {
        /* the operator producing the value (d a b) joins the store */
        uint32_t fa = xl_opnd(x, x->def_at, 1), fb = xl_opnd(x, x->def_at, 2);
        XOp sop = x->def_op == XOP_F64_ADD ? XOP_F64_STORE_ADD
                  : x->def_op == XOP_F64_SUB ? XOP_F64_STORE_SUB : XOP_F64_STORE_MUL;
        xl_rewind(x);
        uint32_t a = xl_src(x, h);
        xl_drop(x, 2);
        xl_begin(x, sop);
        xl_emit_dabc(x, fa, a, fb, offset);
        xl_nodef(x);
        return;
    }
    uint32_t v = xl_src(x, h + 1);
    if (xl_abs_addr(x, h, offset, &ea)) {
        xl_drop(x, 2);
        xl_begin(x, xl_memform(op));
        xl_emit_dk(x, v, ea);
        xl_nodef(x);
        return;
    }
    uint32_t a = xl_src(x, h);
    xl_drop(x, 2);
    if (offset > UINT16_MAX) {
        xl_begin(x, xl_memform(op) + 2);
        xl_emit_dak(x, v, a, offset);
    } else {
        xl_begin(x, (XOp)op);
        xl_emit_dab(x, v, a, offset);
    }
    xl_nodef(x);
}

/* Rare instructions with n operands: flushed to consecutive slots, the
 * result (if any) written over the first.  Emits the first slot, a; the
 * caller adds the indices the layout has after it. */
static void xl_stacked(Xl *x, unsigned op, uint32_t n, uint32_t nres)
{
    uint32_t h = x->height - n;
    xl_flush(x, h);
    xl_drop(x, n);
    xl_begin(x, (XOp)op);
    xl_emit16(x, xl_slot(x, h));
    xl_push_temps(x, nres);
    xl_nodef(x);
}

/* An instruction with a result and no operand: d k (just d for
 * memory.size). */
static void xl_nullary(Xl *x, unsigned op, uint32_t k)
{
    uint32_t h = x->height;
    xl_begin(x, (XOp)op);
    xl_emit16(x, xl_slot(x, h));
    if (op != OPC_MEMORY_SIZE) xl_emit32(x, k);
    xl_def(x, (XOp)op, h);
}

/* A constant operand small enough for a 16-bit field (slot bits exact). */
static bool xl_small(const XlVal *v)
{
    return v->kind == VS_CONST && (int64_t)v->k == (int16_t)v->k;
}

static void xl_select(Xl *x)
{
    uint32_t h = x->height - 3;
    XOp op = XOP_SELECT;
    uint32_t a, b, c = xl_src(x, h + 2);
    if (xl_small(&x->vs[h + 1])) {
        op = XOP_SELECT_KB;
        a = xl_src(x, h);
        b = (uint16_t)x->vs[h + 1].k;
    } else if (xl_small(&x->vs[h])) {
        op = XOP_SELECT_KA;
        a = (uint16_t)x->vs[h].k;
        b = xl_src(x, h + 1);
    } else {
        a = xl_src(x, h);
        b = xl_src(x, h + 1);
    }
    xl_drop(x, 3);
    xl_begin(x, op);
    xl_emit_dabc(x, xl_slot(x, h), a, b, c);
    xl_def(x, op, h);
}

static void xl_tables(Xl *x, const Instr *in)
{
    uint32_t h;
    switch (in->op) {
    case OPC_TABLE_GET: {
        h = x->height - 1;
        uint32_t a = xl_src(x, h);
        xl_drop(x, 1);
        xl_begin(x, XOP_TABLE_GET);
        xl_emit_dak(x, xl_slot(x, h), a, in->imm.idx);
        xl_def(x, XOP_TABLE_GET, h);
        break;
    }
    case OPC_TABLE_SET: xl_stacked(x, in->op, 2, 0); xl_emit32(x, in->imm.idx); break;
    case OPC_TABLE_SIZE: xl_nullary(x, in->op, in->imm.idx); break;
    case OPC_TABLE_GROW: xl_stacked(x, in->op, 2, 1); xl_emit32(x, in->imm.idx); break;
    case OPC_TABLE_FILL: xl_stacked(x, in->op, 3, 0); xl_emit32(x, in->imm.idx); break;
    case OPC_TABLE_INIT: case OPC_TABLE_COPY:
        xl_stacked(x, in->op, 3, 0);
        xl_emit32(x, in->imm.two.a);
        xl_emit32(x, in->imm.two.b);
        break;
    default:
        assert(!"not a table instruction");
    }
}

/* Everything typed by opcodes.def: loads, stores, numeric operators. */
static void xl_plain(Xl *x, const Instr *in)
{
    const OpInfo *oi = &op_info[in->op];
    if (oi->memsize) {
        if (oi->result) xl_load(x, in->op, in->imm.mem.offset);
        else xl_store(x, in->op, in->imm.mem.offset);
        return;
    }
    switch (oi->imm) {
    case IMM_I32: xl_push(x, (XlVal){VS_CONST, 0, in->imm.i32}); return;
    case IMM_I64: xl_push(x, (XlVal){VS_CONST, 0, in->imm.i64}); return;
    case IMM_F32: xl_push(x, (XlVal){VS_CONST, 0, in->imm.f32}); return;
    case IMM_F64: xl_push(x, (XlVal){VS_CONST, 0, in->imm.f64}); return;
    default: break;
    }
    switch (in->op) {
    case OPC_MEMORY_SIZE: xl_nullary(x, in->op, 0); return;
    case OPC_MEMORY_FILL: case OPC_MEMORY_COPY: xl_stacked(x, in->op, 3, 0); return;
    case OPC_MEMORY_INIT:
        xl_stacked(x, in->op, 3, 0);
        xl_emit32(x, in->imm.two.a);
        return;
    default: break;
    }
    assert(oi->result && (oi->nparams == 1 || oi->nparams == 2));
    if (oi->nparams == 1) xl_unary(x, in->op);
    else xl_binary(x, in->op);
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
    case OPC_BR_IF: xl_br_if(x, in->imm.idx); break;
    case OPC_BR_TABLE: xl_br_table(x, in); x->dead = true; break;
    case OPC_RETURN: xl_return(x); x->dead = true; break;
    case OPC_UNREACHABLE:
        xl_begin(x, XOP_UNREACHABLE);
        x->dead = true;
        break;
    case OPC_CALL: case OPC_CALL_INDIRECT: xl_call(x, in); break;
    case OPC_DROP: xl_pop(x); break;
    case OPC_SELECT: case OPC_SELECT_T: xl_select(x); break;
    case OPC_LOCAL_GET: xl_push(x, (XlVal){VS_LOCAL, in->imm.idx, 0}); break;
    case OPC_LOCAL_SET: xl_set_local(x, in->imm.idx, false); break;
    case OPC_LOCAL_TEE: xl_set_local(x, in->imm.idx, true); break;
    case OPC_GLOBAL_GET: xl_nullary(x, in->op, in->imm.idx); break;
    case OPC_GLOBAL_SET: {
        uint32_t a = xl_src(x, x->height - 1);
        xl_pop(x);
        xl_begin(x, XOP_GLOBAL_SET);
        xl_emit16(x, a);
        xl_emit32(x, in->imm.idx);
        xl_nodef(x);
        break;
    }
    case OPC_REF_NULL: xl_push(x, (XlVal){VS_CONST, 0, 0}); break;
    case OPC_REF_IS_NULL: xl_unary(x, in->op); break;
    case OPC_REF_FUNC: xl_nullary(x, in->op, in->imm.idx); break;
    case OPC_ELEM_DROP: case OPC_DATA_DROP:
        xl_begin(x, (XOp)in->op);
        xl_emit32(x, in->imm.idx);
        break;
    case OPC_TABLE_GET: case OPC_TABLE_SET: case OPC_TABLE_SIZE: case OPC_TABLE_GROW:
    case OPC_TABLE_FILL: case OPC_TABLE_INIT: case OPC_TABLE_COPY:
        xl_tables(x, in);
        break;
    default:
        xl_plain(x, in);
    }
}

/* ---- functions ----------------------------------------------------------- */

static void xl_reset(Xl *x, const Func *f, bool far)
{
    x->far = far;
    x->overflow = false;
    const FuncType *t = &x->m->types[f->type_idx];
    x->n = x->nmap = x->nctl = x->npatch = x->nstarts = 0;
    x->height = x->max_height = 0;
    x->base = t->nparams + f->nlocals;
    x->lref = xl_reserve(x->lref, &x->lrefcap, (uint64_t)x->base + 1, sizeof *x->lref);
    memset(x->lref, 0, (size_t)x->base * sizeof *x->lref);
    x->lset = xl_reserve(x->lset, &x->lsetcap, (uint64_t)x->base + 1, sizeof *x->lset);
    memset(x->lset, 0, (size_t)x->base * sizeof *x->lset);
    x->nparams = t->nparams;
    x->dead = false;
    x->dead_depth = 0;
    xl_label_here(x);
    x->entry = true; /* the entry is the one label before which locals are 0 */
}

/*
 * Debug translation (Module.debug_stops): a stop before every instruction,
 * where a debugger may look at the frame.  Every pending operand goes to
 * its own slot first and nothing merges across the stop, so each wasm
 * local is in its slot, holding what the wasm program says it holds
 * there, and stepping meets every instruction in order.
 */
static void xl_debug_stop(Xl *x)
{
    xl_flush(x, 0);
    xl_label_here(x);
    xl_begin(x, XOP_DEBUG);
    xl_emit32(x, (uint32_t)x->offset);
    xl_label_here(x);
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
        if (x->m->debug_stops) xl_debug_stop(x);
        xl_instr(x, &in);
        if (x->n > XL_MAX_UNITS)
            return err_set(err, B8G_LIMIT, in.offset, "function too large to translate");
        if (x->overflow && !x->far) return B8G_OK; /* to be done again, far */
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
    xf->nunits = x->n;
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
 * (a one-byte br_table label becomes eight bytes), so without a module-wide
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

/* Slots are 16-bit operands: params + locals + operand stack must fit.
 * Checked before the body (locals alone may not fit) and after it. */
static b8g_status xl_check_frame(const Xl *x, const Func *f, b8g_error *err)
{
    if ((uint64_t)x->base + x->max_height > XL_MAX_SLOTS)
        return err_set(err, B8G_LIMIT, f->code_offset, "function frame too large");
    return B8G_OK;
}

/* Translates defined function i (index among the defined ones) into x's
 * scratch space. */
static b8g_status xl_scratch_translate(Xl *x, const Module *m, uint32_t i, b8g_error *err)
{
    const Func *f = &m->funcs[i];
    xl_reset(x, f, false);
    b8g_status st = xl_check_frame(x, f, err);
    if (!st) st = xl_body(x, f, err);
    if (!st && x->overflow) {
        /* a branch reaches further than an r holds: again, far */
        xl_reset(x, f, true);
        st = xl_body(x, f, err);
        if (!st && x->overflow)
            st = err_set(err, B8G_LIMIT, f->code_offset, "function too large to translate");
    }
    if (!st) st = xl_check_frame(x, f, err);
    return st;
}

/* Translates defined function i into Func.xl with x's scratch space,
 * counting its size into *used. */
static b8g_status xl_one(Xl *x, Module *m, uint32_t i, uint64_t *used, b8g_error *err)
{
    Func *f = &m->funcs[i];
    b8g_status st = xl_scratch_translate(x, m, i, err);
    if (st) return st;
    *used += (uint64_t)x->n * sizeof *x->code + (uint64_t)x->nmap * sizeof *x->map;
    uint64_t budget = xl_module_budget(m);
    if (*used > budget)
        return err_set(err, B8G_LIMIT, f->code_offset,
                       "translated code too large: over %llu MiB for a %zu-byte module",
                       (unsigned long long)(budget >> 20), m->len);
    __atomic_store_n(&f->xl, xl_finish(x, f, m->nimported_funcs + i), __ATOMIC_RELEASE);
    return B8G_OK;
}

static void xl_scratch_free(Xl *x)
{
    free(x->code);
    free(x->map);
    free(x->ctl);
    free(x->patch);
    free(x->vs);
    free(x->lref);
    free(x->lset);
    free(x->starts);
}

b8g_status xl_translate_module(Module *m, b8g_error *err)
{
    Xl x;
    memset(&x, 0, sizeof x);
    x.m = m;
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    b8g_status st = B8G_OK;
    uint64_t used = 0;
    uint32_t i;
    for (i = 0; i < ndefined && !st; i++) st = xl_one(&x, m, i, &used, err);
    if (st)
        for (uint32_t j = 0; j < ndefined; j++) {
            xl_free(m->funcs[j].xl);
            m->funcs[j].xl = NULL;
        }
    xl_scratch_free(&x);
    return st;
}

/* Translates defined function fidx of m (whose body was validated) again,
 * into a new XlFunc, with *starts (malloc'd, *nstarts entries) listing
 * the unit where each instruction starts: for storing the code in an
 * image (xlstore.c).  Fails only on the caps xl_one has. */
b8g_status xl_translate_starts(const Module *m, uint32_t fidx, XlFunc **out, uint32_t **starts,
                               uint32_t *nstarts, b8g_error *err)
{
    Xl x;
    memset(&x, 0, sizeof x);
    x.m = m;
    x.record = true;
    uint32_t i = fidx - m->nimported_funcs;
    b8g_status st = xl_scratch_translate(&x, m, i, err);
    if (!st) {
        *out = xl_finish(&x, &m->funcs[i], fidx);
        *starts = x.starts;
        *nstarts = x.nstarts;
        x.starts = NULL;
    }
    xl_scratch_free(&x);
    return st;
}

/* ---- lazy translation ------------------------------------------------------ */

/*
 * A lazy module (Module.lazy: images, whose modules are large and mostly
 * not run) starts each function as a stub: the frame of its params and
 * locals, and one LAZY instruction, which interp.c runs on the first
 * call; xl_ensure then validates and translates the body and publishes
 * it in Func.xl, and the caller's FuncInst takes it.  One lock for all
 * modules: each function passes here once.
 */
void xl_translate_lazy(Module *m)
{
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    for (uint32_t i = 0; i < ndefined; i++) {
        Func *f = &m->funcs[i];
        const FuncType *t = &m->types[f->type_idx];
        XlFunc *stub = xcalloc(1, sizeof *stub);
        stub->code = xcalloc(XL_HANDLER_UNITS, sizeof *stub->code);
        vm_set_handler(stub->code, XOP_LAZY);
        stub->nunits = XL_HANDLER_UNITS;
        stub->idx = m->nimported_funcs + i;
        stub->nparams = t->nparams;
        stub->nresults = t->nresults;
        stub->nlocals = f->nlocals;
        stub->frame_slots = t->nparams + f->nlocals;
        f->stub = stub;
        f->xl = stub;
    }
    m->lazy = true;
}

static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;

const XlFunc *xl_ensure(Module *m, uint32_t fidx, b8g_error *err)
{
    Func *f = &m->funcs[fidx - m->nimported_funcs];
    XlFunc *xf = __atomic_load_n(&f->xl, __ATOMIC_ACQUIRE);
    if (xf != f->stub) return xf;
    pthread_mutex_lock(&lazy_lock);
    b8g_status st = B8G_OK;
    if (__atomic_load_n(&f->xl, __ATOMIC_RELAXED) == f->stub) {
        /* stored code that does not fit together is translated instead */
        XlFunc *taken = f->stored ? xl_import(m, fidx, f->stored) : NULL;
        if (taken) {
            __atomic_store_n(&m->xl_taken, m->xl_taken + 1, __ATOMIC_RELAXED);
            m->xl_used += (uint64_t)taken->nunits * sizeof *taken->code +
                          (uint64_t)taken->nmap * sizeof *taken->map;
            __atomic_store_n(&f->xl, taken, __ATOMIC_RELEASE);
        } else {
            st = val_function(m, fidx, err);
            if (!st) {
                Xl x;
                memset(&x, 0, sizeof x);
                x.m = m;
                st = xl_one(&x, m, fidx - m->nimported_funcs, &m->xl_used, err);
                xl_scratch_free(&x);
            }
            if (!st) __atomic_store_n(&m->xl_translated, m->xl_translated + 1, __ATOMIC_RELAXED);
        }
    }
    pthread_mutex_unlock(&lazy_lock);
    return st ? NULL : __atomic_load_n(&f->xl, __ATOMIC_ACQUIRE);
}
