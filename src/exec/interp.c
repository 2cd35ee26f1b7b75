/*
 * interp.c - the dispatch loop over translated code (xl.h, frame.h).
 *
 * vm_run opens the guard scope and calls vm_loop, which keeps the machine
 * state in locals the compiler can hold in registers: pc (current cell),
 * sp (one past the top operand), fp (param 0 of the current frame), the
 * current instance and its memory base.  Everything that must survive a
 * trap, a suspension or a guard-page fault is written to the Thread at
 * the few points that change it: calls, returns, safe points, host calls.
 */
#include <assert.h>
#include <stdatomic.h>
#include <string.h>

#include "exec/bulk.h"
#include "exec/frame.h"
#include "exec/num.h"
#include "rt/guard.h"
#include "util/err.h"

#if !defined(__GNUC__) && !defined(B8G_NO_COMPUTED_GOTO)
#define B8G_NO_COMPUTED_GOTO 1
#endif

#if defined(B8G_BOUNDS_CHECK) && B8G_BOUNDS_CHECK
#define VM_GUARD_PAGES 0
#else
#define VM_GUARD_PAGES 1
#endif

/*
 * The running instance changed: load its memory base and publish the
 * memory's reservation to the fault handler, which only turns faults in
 * [lo, hi) into traps.  The fence keeps the compiler from moving these
 * stores after the accesses they protect.
 */
static inline uint8_t *vm_use_instance(const b8g_instance *inst, GuardScope *gs)
{
    const Memory *m = inst->mem0;
    gs->lo = m ? m->base : NULL;
    gs->hi = m ? m->base + m->reserved : NULL;
    atomic_signal_fence(memory_order_seq_cst);
    return m ? m->base : NULL;
}

/*
 * Safe-point slow path: the decrement that brought us here is undone (the
 * instruction runs again), unlimited fuel is refilled, an interrupt is
 * consumed.  Returns the reason to stop, or NONE to go on.
 */
B8G_COLD static b8g_trap_kind vm_safe_point(Thread *th)
{
    th->fuel++;
    /* A nested run leaves the flag set: the interrupt is meant for the
     * whole call, so the outer runs must stop too, even if the host
     * function in between shrugs off the inner trap. */
    if (th->depth > 1) {
        if (atomic_load_explicit(&th->interrupt, memory_order_relaxed))
            return B8G_TRAP_INTERRUPTED;
    } else if (atomic_exchange_explicit(&th->interrupt, 0, memory_order_relaxed)) {
        return B8G_TRAP_INTERRUPTED;
    }
    if (th->fuel > 0) return B8G_TRAP_NONE;
    if (!th->unlimited) return B8G_TRAP_OUT_OF_FUEL;
    th->fuel = INT64_MAX;
    return B8G_TRAP_NONE;
}

B8G_NOINLINE static b8g_status vm_loop(Thread *th, Frame *base, GuardScope *gs,
                                       b8g_error *err,
                                       const void *const **labels_out)
{
#ifndef B8G_NO_COMPUTED_GOTO
    /* Handler addresses by XOp, for the translator (vm_handler). */
    static const void *const labels[XOP_COUNT] = {
#define OP(name, pfx, code, imm, p1, p2, p3, r, msz, text) [XOP_##name] = &&L_##name,
#include "wasm/opcodes.def"
#undef OP
#define XOP(name) [XOP_##name] = &&L_##name,
#include "exec/xops.def"
#undef XOP
    };
    if (!th) {
        *labels_out = labels;
        return B8G_OK;
    }
#else
    (void)labels_out;
#endif

    Frame *frame = th->cur;
    const Cell *pc = frame->pc;
    uint64_t *fp = frame->fp;
    uint64_t *sp = th->sp;
    b8g_instance *inst = frame->fn->inst;
    uint8_t *membase = vm_use_instance(inst, gs);
    FuncInst *callee;
    b8g_trap_kind tk;

/* ---- the machine's vocabulary ------------------------------------------ */

/* Dispatch: a handler ends by jumping to the handler of the next cell. */
#ifndef B8G_NO_COMPUTED_GOTO
#define CASE(name) L_##name:
#define NEXT() goto *pc->label
#else
#define CASE(name) case XOP_##name:
#define NEXT() goto dispatch
#endif

/* Slots as typed values: i32 lives zero-extended, floats as bits. */
#define I32(s) ((uint32_t)(s))
#define I64(s) ((uint64_t)(s))
#define F32(s) f32_of(s)
#define F64(s) f64_of(s)
#define S_I32(v) ((uint64_t)(uint32_t)(v))
#define S_I64(v) ((uint64_t)(v))
#define S_F32(v) slot_of_f32(v)
#define S_F64(v) slot_of_f64(v)

/* Immediate cell i as an index. */
#define IMM(i) ((uint32_t)pc[i].u64)

/* Traps report the instruction pc points at, so handlers trap before
 * advancing pc. */
#define TRAP(kind)                                                             \
    do {                                                                       \
        tk = B8G_TRAP_##kind;                                                  \
        goto trap;                                                             \
    } while (0)

/* Back-edges and calls: one decrement and one load, before the
 * instruction changes anything, so a stop here can simply re-run it. */
#define SAFE_POINT()                                                           \
    do {                                                                       \
        if (B8G_UNLIKELY(--th->fuel < 0 ||                                     \
                         atomic_load_explicit(&th->interrupt,                 \
                                              memory_order_relaxed)))          \
            goto safe_point;                                                   \
    } while (0)

/* A branch carrying `arity` values over `drop` discarded slots. */
#define MOVE(mv)                                                               \
    do {                                                                       \
        uint32_t arity_ = (mv).arity;                                          \
        uint64_t *dst_ = sp - arity_ - (mv).drop;                              \
        const uint64_t *src_ = sp - arity_;                                    \
        for (uint32_t i_ = 0; i_ < arity_; i_++) dst_[i_] = src_[i_];          \
        sp = dst_ + arity_;                                                    \
    } while (0)

#define SET_INSTANCE(i)                                                        \
    do {                                                                       \
        inst = (i);                                                            \
        membase = vm_use_instance(inst, gs);                                   \
    } while (0)

/* Effective address of a load/store: no check with guard pages (the
 * reservation faults, see rt/memory.h), an explicit one otherwise. */
#if VM_GUARD_PAGES
#define CHECK_MEM(ea, n) ((void)0)
#else
#define CHECK_MEM(ea, n)                                                       \
    do {                                                                       \
        if (B8G_UNLIKELY((ea) + (n) > inst->mem0->size)) TRAP(MEM_OOB);        \
    } while (0)
#endif

/* Families: each instantiated per type below with the name spelled whole. */
#define UNARY(NAME, T, GET, PUT, EXPR)                                         \
    CASE(NAME) {                                                               \
        T a = GET(sp[-1]);                                                     \
        sp[-1] = PUT(EXPR);                                                    \
        pc += 1;                                                               \
        NEXT();                                                                \
    }
#define BINARY(NAME, T, GET, PUT, EXPR)                                        \
    CASE(NAME) {                                                               \
        T a = GET(sp[-2]), b = GET(sp[-1]);                                    \
        sp[-2] = PUT(EXPR);                                                    \
        sp -= 1;                                                               \
        pc += 1;                                                               \
        NEXT();                                                                \
    }
#define UN_I32(NAME, EXPR) UNARY(NAME, uint32_t, I32, S_I32, EXPR)
#define UN_I64(NAME, EXPR) UNARY(NAME, uint64_t, I64, S_I64, EXPR)
#define UN_F32(NAME, EXPR) UNARY(NAME, float, F32, S_F32, EXPR)
#define UN_F64(NAME, EXPR) UNARY(NAME, double, F64, S_F64, EXPR)
#define BIN_I32(NAME, EXPR) BINARY(NAME, uint32_t, I32, S_I32, EXPR)
#define BIN_I64(NAME, EXPR) BINARY(NAME, uint64_t, I64, S_I64, EXPR)
#define BIN_F32(NAME, EXPR) BINARY(NAME, float, F32, S_F32, EXPR)
#define BIN_F64(NAME, EXPR) BINARY(NAME, double, F64, S_F64, EXPR)
#define CMP_I32(NAME, EXPR) BINARY(NAME, uint32_t, I32, S_I32, EXPR)
#define CMP_I64(NAME, EXPR) BINARY(NAME, uint64_t, I64, S_I32, EXPR)
#define CMP_F32(NAME, EXPR) BINARY(NAME, float, F32, S_I32, EXPR)
#define CMP_F64(NAME, EXPR) BINARY(NAME, double, F64, S_I32, EXPR)
/* Conversions: operand of type T read by GET, result written by PUT. */
#define CONVERT(NAME, T, GET, PUT, EXPR) UNARY(NAME, T, GET, PUT, EXPR)

/* Division: zero traps; OVERFLOW handles INT_MIN / -1 before the
 * hardware divide (which would fault on it). */
#define DIVIDE(NAME, T, GET, PUT, OVERFLOW, EXPR)                              \
    CASE(NAME) {                                                               \
        T a = (T)GET(sp[-2]), b = (T)GET(sp[-1]);                              \
        if (b == 0) TRAP(INT_DIV_ZERO);                                        \
        OVERFLOW;                                                              \
        sp[-2] = PUT(EXPR);                                                    \
        sp -= 1;                                                               \
        pc += 1;                                                               \
        NEXT();                                                                \
    }

/* Trapping float -> int: FN (num.h) says which trap, if any. */
#define TRUNC(NAME, GET, IT, PUT, FN)                                          \
    CASE(NAME) {                                                               \
        IT r_;                                                                 \
        b8g_trap_kind k_ = FN(GET(sp[-1]), &r_);                               \
        if (k_) {                                                              \
            tk = k_;                                                           \
            goto trap;                                                         \
        }                                                                      \
        sp[-1] = PUT(r_);                                                      \
        pc += 1;                                                               \
        NEXT();                                                                \
    }

/* Loads: CT is the C type of the access (its signedness extends). */
#define LOAD(NAME, CT, PUT)                                                    \
    CASE(NAME) {                                                               \
        uint64_t ea = (uint64_t)I32(sp[-1]) + pc[1].u64;                       \
        CHECK_MEM(ea, sizeof(CT));                                             \
        CT v;                                                                  \
        memcpy(&v, membase + ea, sizeof v);                                    \
        sp[-1] = PUT(v);                                                       \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
/* Stores: the low sizeof(CT) bytes of the slot (little-endian host). */
#define STORE(NAME, CT)                                                        \
    CASE(NAME) {                                                               \
        uint64_t ea = (uint64_t)I32(sp[-2]) + pc[1].u64;                       \
        CHECK_MEM(ea, sizeof(CT));                                             \
        CT v = (CT)sp[-1];                                                     \
        memcpy(membase + ea, &v, sizeof v);                                    \
        sp -= 2;                                                               \
        pc += 2;                                                               \
        NEXT();                                                                \
    }

/* Bulk operations run out of line (bulk.c) and return a trap kind. */
#define BULK(CALL, NPOP)                                                       \
    do {                                                                       \
        tk = CALL;                                                             \
        if (tk) goto trap;                                                     \
        sp -= NPOP;                                                            \
    } while (0)

/* ---- the loop ----------------------------------------------------------- */

#ifndef B8G_NO_COMPUTED_GOTO
    NEXT();
#else
dispatch:
    switch ((XOp)pc->op) {
#endif

    /* control */
    CASE(UNREACHABLE) TRAP(UNREACHABLE);
    CASE(NOP) CASE(BLOCK) CASE(LOOP) CASE(ELSE) CASE(END) CASE(SELECT_T) {
        assert(!"never emitted by the translator");
        TRAP(UNREACHABLE);
    }
    CASE(IF) {
        if (I32(*--sp)) pc += 2;
        else pc += pc[1].br.rel;
        NEXT();
    }
    CASE(BR) {
        pc += pc[1].br.rel;
        NEXT();
    }
    CASE(BR_IF) {
        if (I32(*--sp)) pc += pc[1].br.rel;
        else pc += 2;
        NEXT();
    }
    CASE(BR_MOVE) {
        MOVE(pc[2].mv);
        pc += pc[1].br.rel;
        NEXT();
    }
    CASE(BR_LOOP) {
        SAFE_POINT();
        pc += pc[1].br.rel;
        NEXT();
    }
    CASE(BR_LOOP_MOVE) {
        SAFE_POINT();
        MOVE(pc[2].mv);
        pc += pc[1].br.rel;
        NEXT();
    }
    CASE(BR_IF_LOOP) {
        if (I32(sp[-1])) {
            SAFE_POINT();
            sp -= 1;
            pc += pc[1].br.rel;
        } else {
            sp -= 1;
            pc += 2;
        }
        NEXT();
    }
    CASE(BR_TABLE) {
        uint32_t n = IMM(1), i = I32(sp[-1]);
        const Cell *e = pc + 2 + 2 * (size_t)(i < n ? i : n);
        if (e[0].br.flags & XL_BR_LOOP) SAFE_POINT();
        sp -= 1;
        MOVE(e[1].mv);
        pc += e[0].br.rel;
        NEXT();
    }
    CASE(RETURN) {
        uint32_t n = IMM(1);
        const uint64_t *src = sp - n;
        for (uint32_t i = 0; i < n; i++) fp[i] = src[i];
        sp = fp + n;
        if (frame == base) goto finished;
        frame--;
        th->cur = frame;
        atomic_signal_fence(memory_order_seq_cst);
        fp = frame->fp;
        pc = frame->pc;
        if (frame->fn->inst != inst) SET_INSTANCE(frame->fn->inst);
        NEXT();
    }
    CASE(CALL) {
        SAFE_POINT();
        callee = inst->funcs[IMM(1)];
        goto call_wasm;
    }
    CASE(CALL_IMPORT) {
        SAFE_POINT();
        callee = inst->funcs[IMM(1)];
        if (callee->host) goto call_host;
        goto call_wasm;
    }
    CASE(CALL_INDIRECT) {
        SAFE_POINT();
        const Table *t = inst->tables[pc[1].two.b];
        uint32_t i = I32(sp[-1]);
        if (i >= t->size) TRAP(UNDEFINED_ELEMENT);
        callee = (FuncInst *)(uintptr_t)t->elems[i];
        if (!callee) TRAP(UNINIT_ELEMENT);
        if (callee->canon != inst->type_canon[pc[1].two.a]) TRAP(INDIRECT_MISMATCH);
        sp -= 1;
        if (callee->host) goto call_host;
        goto call_wasm;
    }

    /* parametric, variables */
    CASE(DROP) {
        sp -= 1;
        pc += 1;
        NEXT();
    }
    CASE(SELECT) {
        if (!I32(sp[-1])) sp[-3] = sp[-2];
        sp -= 2;
        pc += 1;
        NEXT();
    }
    CASE(LOCAL_GET) {
        *sp++ = fp[IMM(1)];
        pc += 2;
        NEXT();
    }
    CASE(LOCAL_SET) {
        fp[IMM(1)] = *--sp;
        pc += 2;
        NEXT();
    }
    CASE(LOCAL_TEE) {
        fp[IMM(1)] = sp[-1];
        pc += 2;
        NEXT();
    }
    CASE(GLOBAL_GET) {
        *sp++ = inst->globals[IMM(1)]->val;
        pc += 2;
        NEXT();
    }
    CASE(GLOBAL_SET) {
        inst->globals[IMM(1)]->val = *--sp;
        pc += 2;
        NEXT();
    }

    /* references and tables */
    CASE(REF_NULL) {
        *sp++ = 0;
        pc += 1;
        NEXT();
    }
    CASE(REF_IS_NULL) {
        sp[-1] = sp[-1] == 0;
        pc += 1;
        NEXT();
    }
    CASE(REF_FUNC) {
        *sp++ = (uint64_t)(uintptr_t)inst->funcs[IMM(1)];
        pc += 2;
        NEXT();
    }
    CASE(TABLE_GET) {
        const Table *t = inst->tables[IMM(1)];
        uint32_t i = I32(sp[-1]);
        if (i >= t->size) TRAP(TABLE_OOB);
        sp[-1] = t->elems[i];
        pc += 2;
        NEXT();
    }
    CASE(TABLE_SET) {
        Table *t = inst->tables[IMM(1)];
        uint32_t i = I32(sp[-2]);
        if (i >= t->size) TRAP(TABLE_OOB);
        t->elems[i] = sp[-1];
        sp -= 2;
        pc += 2;
        NEXT();
    }
    CASE(TABLE_SIZE) {
        *sp++ = S_I32(inst->tables[IMM(1)]->size);
        pc += 2;
        NEXT();
    }
    CASE(TABLE_GROW) {
        int64_t old = table_grow(inst->tables[IMM(1)], I32(sp[-1]), sp[-2]);
        sp[-2] = S_I32(old);
        sp -= 1;
        pc += 2;
        NEXT();
    }
    CASE(TABLE_FILL) {
        BULK(vm_table_fill(inst->tables[IMM(1)], I32(sp[-3]), sp[-2], I32(sp[-1])), 3);
        pc += 2;
        NEXT();
    }
    CASE(TABLE_COPY) {
        BULK(vm_table_copy(inst->tables[pc[1].two.a], inst->tables[pc[1].two.b],
                           I32(sp[-3]), I32(sp[-2]), I32(sp[-1])), 3);
        pc += 2;
        NEXT();
    }
    CASE(TABLE_INIT) {
        BULK(vm_table_init(inst, pc[1].two.a, inst->tables[pc[1].two.b],
                           I32(sp[-3]), I32(sp[-2]), I32(sp[-1])), 3);
        pc += 2;
        NEXT();
    }
    CASE(ELEM_DROP) {
        inst->elem_len[IMM(1)] = 0;
        pc += 2;
        NEXT();
    }

    /* memory */
    LOAD(I32_LOAD, uint32_t, S_I32)
    LOAD(I64_LOAD, uint64_t, S_I64)
    LOAD(F32_LOAD, uint32_t, S_I32)
    LOAD(F64_LOAD, uint64_t, S_I64)
    LOAD(I32_LOAD8_S, int8_t, S_I32)
    LOAD(I32_LOAD8_U, uint8_t, S_I32)
    LOAD(I32_LOAD16_S, int16_t, S_I32)
    LOAD(I32_LOAD16_U, uint16_t, S_I32)
    LOAD(I64_LOAD8_S, int8_t, S_I64)
    LOAD(I64_LOAD8_U, uint8_t, S_I64)
    LOAD(I64_LOAD16_S, int16_t, S_I64)
    LOAD(I64_LOAD16_U, uint16_t, S_I64)
    LOAD(I64_LOAD32_S, int32_t, S_I64)
    LOAD(I64_LOAD32_U, uint32_t, S_I64)
    STORE(I32_STORE, uint32_t)
    STORE(I64_STORE, uint64_t)
    STORE(F32_STORE, uint32_t)
    STORE(F64_STORE, uint64_t)
    STORE(I32_STORE8, uint8_t)
    STORE(I32_STORE16, uint16_t)
    STORE(I64_STORE8, uint8_t)
    STORE(I64_STORE16, uint16_t)
    STORE(I64_STORE32, uint32_t)
    CASE(MEMORY_SIZE) {
        *sp++ = S_I32(inst->mem0->pages);
        pc += 1;
        NEXT();
    }
    CASE(MEMORY_GROW) {
        /* the base never moves (rt/memory.h), so membase stays valid */
        sp[-1] = S_I32(mem_grow(inst->mem0, I32(sp[-1])));
        pc += 1;
        NEXT();
    }
    CASE(MEMORY_FILL) {
        BULK(vm_memory_fill(inst->mem0, I32(sp[-3]), I32(sp[-2]), I32(sp[-1])), 3);
        pc += 1;
        NEXT();
    }
    CASE(MEMORY_COPY) {
        BULK(vm_memory_copy(inst->mem0, I32(sp[-3]), I32(sp[-2]), I32(sp[-1])), 3);
        pc += 1;
        NEXT();
    }
    CASE(MEMORY_INIT) {
        BULK(vm_memory_init(inst, IMM(1), I32(sp[-3]), I32(sp[-2]), I32(sp[-1])), 3);
        pc += 2;
        NEXT();
    }
    CASE(DATA_DROP) {
        inst->data_len[IMM(1)] = 0;
        pc += 2;
        NEXT();
    }

    /* constants: the translator stored the slot value itself */
    CASE(I32_CONST) CASE(I64_CONST) CASE(F32_CONST) CASE(F64_CONST) {
        *sp++ = pc[1].u64;
        pc += 2;
        NEXT();
    }

    /* i32 */
    UN_I32(I32_EQZ, a == 0)
    CMP_I32(I32_EQ, a == b)
    CMP_I32(I32_NE, a != b)
    CMP_I32(I32_LT_S, (int32_t)a < (int32_t)b)
    CMP_I32(I32_LT_U, a < b)
    CMP_I32(I32_GT_S, (int32_t)a > (int32_t)b)
    CMP_I32(I32_GT_U, a > b)
    CMP_I32(I32_LE_S, (int32_t)a <= (int32_t)b)
    CMP_I32(I32_LE_U, a <= b)
    CMP_I32(I32_GE_S, (int32_t)a >= (int32_t)b)
    CMP_I32(I32_GE_U, a >= b)
    UN_I32(I32_CLZ, num_clz32(a))
    UN_I32(I32_CTZ, num_ctz32(a))
    UN_I32(I32_POPCNT, (uint32_t)__builtin_popcount(a))
    BIN_I32(I32_ADD, a + b)
    BIN_I32(I32_SUB, a - b)
    BIN_I32(I32_MUL, a * b)
    DIVIDE(I32_DIV_S, int32_t, I32, S_I32,
           if (a == INT32_MIN && b == -1) TRAP(INT_OVERFLOW), a / b)
    DIVIDE(I32_DIV_U, uint32_t, I32, S_I32, (void)0, a / b)
    DIVIDE(I32_REM_S, int32_t, I32, S_I32, (void)0, b == -1 ? 0 : a % b)
    DIVIDE(I32_REM_U, uint32_t, I32, S_I32, (void)0, a % b)
    BIN_I32(I32_AND, a & b)
    BIN_I32(I32_OR, a | b)
    BIN_I32(I32_XOR, a ^ b)
    BIN_I32(I32_SHL, a << (b & 31))
    BIN_I32(I32_SHR_S, num_shr_s32(a, b))
    BIN_I32(I32_SHR_U, a >> (b & 31))
    BIN_I32(I32_ROTL, num_rotl32(a, b))
    BIN_I32(I32_ROTR, num_rotr32(a, b))

    /* i64 */
    UNARY(I64_EQZ, uint64_t, I64, S_I32, a == 0)
    CMP_I64(I64_EQ, a == b)
    CMP_I64(I64_NE, a != b)
    CMP_I64(I64_LT_S, (int64_t)a < (int64_t)b)
    CMP_I64(I64_LT_U, a < b)
    CMP_I64(I64_GT_S, (int64_t)a > (int64_t)b)
    CMP_I64(I64_GT_U, a > b)
    CMP_I64(I64_LE_S, (int64_t)a <= (int64_t)b)
    CMP_I64(I64_LE_U, a <= b)
    CMP_I64(I64_GE_S, (int64_t)a >= (int64_t)b)
    CMP_I64(I64_GE_U, a >= b)
    UN_I64(I64_CLZ, num_clz64(a))
    UN_I64(I64_CTZ, num_ctz64(a))
    UN_I64(I64_POPCNT, (uint64_t)__builtin_popcountll(a))
    BIN_I64(I64_ADD, a + b)
    BIN_I64(I64_SUB, a - b)
    BIN_I64(I64_MUL, a * b)
    DIVIDE(I64_DIV_S, int64_t, I64, S_I64,
           if (a == INT64_MIN && b == -1) TRAP(INT_OVERFLOW), a / b)
    DIVIDE(I64_DIV_U, uint64_t, I64, S_I64, (void)0, a / b)
    DIVIDE(I64_REM_S, int64_t, I64, S_I64, (void)0, b == -1 ? 0 : a % b)
    DIVIDE(I64_REM_U, uint64_t, I64, S_I64, (void)0, a % b)
    BIN_I64(I64_AND, a & b)
    BIN_I64(I64_OR, a | b)
    BIN_I64(I64_XOR, a ^ b)
    BIN_I64(I64_SHL, a << (b & 63))
    BIN_I64(I64_SHR_S, num_shr_s64(a, b))
    BIN_I64(I64_SHR_U, a >> (b & 63))
    BIN_I64(I64_ROTL, num_rotl64(a, b))
    BIN_I64(I64_ROTR, num_rotr64(a, b))

    /* f32: sign operations on the bits, never through the FPU */
    CMP_F32(F32_EQ, a == b)
    CMP_F32(F32_NE, a != b)
    CMP_F32(F32_LT, a < b)
    CMP_F32(F32_GT, a > b)
    CMP_F32(F32_LE, a <= b)
    CMP_F32(F32_GE, a >= b)
    UN_I32(F32_ABS, a & ~NUM_F32_SIGN)
    UN_I32(F32_NEG, a ^ NUM_F32_SIGN)
    UN_F32(F32_CEIL, num_f32_ceil(a))
    UN_F32(F32_FLOOR, num_f32_floor(a))
    UN_F32(F32_TRUNC, num_f32_trunc(a))
    UN_F32(F32_NEAREST, num_f32_nearest(a))
    UN_F32(F32_SQRT, sqrtf(a))
    BIN_F32(F32_ADD, a + b)
    BIN_F32(F32_SUB, a - b)
    BIN_F32(F32_MUL, a * b)
    BIN_F32(F32_DIV, a / b)
    BIN_F32(F32_MIN, num_f32_min(a, b))
    BIN_F32(F32_MAX, num_f32_max(a, b))
    BIN_I32(F32_COPYSIGN, (a & ~NUM_F32_SIGN) | (b & NUM_F32_SIGN))

    /* f64 */
    CMP_F64(F64_EQ, a == b)
    CMP_F64(F64_NE, a != b)
    CMP_F64(F64_LT, a < b)
    CMP_F64(F64_GT, a > b)
    CMP_F64(F64_LE, a <= b)
    CMP_F64(F64_GE, a >= b)
    UN_I64(F64_ABS, a & ~NUM_F64_SIGN)
    UN_I64(F64_NEG, a ^ NUM_F64_SIGN)
    UN_F64(F64_CEIL, num_f64_ceil(a))
    UN_F64(F64_FLOOR, num_f64_floor(a))
    UN_F64(F64_TRUNC, num_f64_trunc(a))
    UN_F64(F64_NEAREST, num_f64_nearest(a))
    UN_F64(F64_SQRT, sqrt(a))
    BIN_F64(F64_ADD, a + b)
    BIN_F64(F64_SUB, a - b)
    BIN_F64(F64_MUL, a * b)
    BIN_F64(F64_DIV, a / b)
    BIN_F64(F64_MIN, num_f64_min(a, b))
    BIN_F64(F64_MAX, num_f64_max(a, b))
    BIN_I64(F64_COPYSIGN, (a & ~NUM_F64_SIGN) | (b & NUM_F64_SIGN))

    /* conversions */
    CONVERT(I32_WRAP_I64, uint64_t, I64, S_I32, a)
    TRUNC(I32_TRUNC_F32_S, F32, int32_t, S_I32, num_i32_trunc_f32_s)
    TRUNC(I32_TRUNC_F32_U, F32, uint32_t, S_I32, num_i32_trunc_f32_u)
    TRUNC(I32_TRUNC_F64_S, F64, int32_t, S_I32, num_i32_trunc_f64_s)
    TRUNC(I32_TRUNC_F64_U, F64, uint32_t, S_I32, num_i32_trunc_f64_u)
    CONVERT(I64_EXTEND_I32_S, uint32_t, I32, S_I64, (int64_t)(int32_t)a)
    CONVERT(I64_EXTEND_I32_U, uint32_t, I32, S_I64, a)
    TRUNC(I64_TRUNC_F32_S, F32, int64_t, S_I64, num_i64_trunc_f32_s)
    TRUNC(I64_TRUNC_F32_U, F32, uint64_t, S_I64, num_i64_trunc_f32_u)
    TRUNC(I64_TRUNC_F64_S, F64, int64_t, S_I64, num_i64_trunc_f64_s)
    TRUNC(I64_TRUNC_F64_U, F64, uint64_t, S_I64, num_i64_trunc_f64_u)
    CONVERT(F32_CONVERT_I32_S, uint32_t, I32, S_F32, (float)(int32_t)a)
    CONVERT(F32_CONVERT_I32_U, uint32_t, I32, S_F32, (float)a)
    CONVERT(F32_CONVERT_I64_S, uint64_t, I64, S_F32, (float)(int64_t)a)
    CONVERT(F32_CONVERT_I64_U, uint64_t, I64, S_F32, (float)a)
    CONVERT(F32_DEMOTE_F64, double, F64, S_F32, (float)a)
    CONVERT(F64_CONVERT_I32_S, uint32_t, I32, S_F64, (double)(int32_t)a)
    CONVERT(F64_CONVERT_I32_U, uint32_t, I32, S_F64, (double)a)
    CONVERT(F64_CONVERT_I64_S, uint64_t, I64, S_F64, (double)(int64_t)a)
    CONVERT(F64_CONVERT_I64_U, uint64_t, I64, S_F64, (double)a)
    CONVERT(F64_PROMOTE_F32, float, F32, S_F64, (double)a)
    /* slots already hold the bits: reinterpretation changes nothing */
    CASE(I32_REINTERPRET_F32) CASE(I64_REINTERPRET_F64)
    CASE(F32_REINTERPRET_I32) CASE(F64_REINTERPRET_I64) {
        pc += 1;
        NEXT();
    }
    UN_I32(I32_EXTEND8_S, (int32_t)(int8_t)a)
    UN_I32(I32_EXTEND16_S, (int32_t)(int16_t)a)
    UN_I64(I64_EXTEND8_S, (int64_t)(int8_t)a)
    UN_I64(I64_EXTEND16_S, (int64_t)(int16_t)a)
    UN_I64(I64_EXTEND32_S, (int64_t)(int32_t)a)
    CONVERT(I32_TRUNC_SAT_F32_S, float, F32, S_I32, num_i32_trunc_sat_f32_s(a))
    CONVERT(I32_TRUNC_SAT_F32_U, float, F32, S_I32, num_i32_trunc_sat_f32_u(a))
    CONVERT(I32_TRUNC_SAT_F64_S, double, F64, S_I32, num_i32_trunc_sat_f64_s(a))
    CONVERT(I32_TRUNC_SAT_F64_U, double, F64, S_I32, num_i32_trunc_sat_f64_u(a))
    CONVERT(I64_TRUNC_SAT_F32_S, float, F32, S_I64, num_i64_trunc_sat_f32_s(a))
    CONVERT(I64_TRUNC_SAT_F32_U, float, F32, S_I64, num_i64_trunc_sat_f32_u(a))
    CONVERT(I64_TRUNC_SAT_F64_S, double, F64, S_I64, num_i64_trunc_sat_f64_s(a))
    CONVERT(I64_TRUNC_SAT_F64_U, double, F64, S_I64, num_i64_trunc_sat_f64_u(a))

#ifdef B8G_NO_COMPUTED_GOTO
    default:
        assert(!"bad handler number");
        TRAP(UNREACHABLE);
    }
#endif

/* ---- shared tails -------------------------------------------------------- */

/* callee's params are the top operands; they become its frame in place */
call_wasm: {
    const XlFunc *x = callee->code;
    uint64_t *nfp = sp - x->nparams;
    if (B8G_UNLIKELY(x->frame_slots > (size_t)(th->stack_end - nfp) ||
                     frame + 1 >= th->frames_end))
        TRAP(STACK_EXHAUSTED);
    frame->pc = pc + 2; /* every call instruction is two cells */
    frame++;
    frame->fn = callee;
    frame->fp = nfp;
    th->cur = frame;
    atomic_signal_fence(memory_order_seq_cst);
    fp = nfp;
    sp = nfp + x->nparams;
    for (uint32_t i = x->nlocals; i; i--) *sp++ = 0;
    pc = x->code;
    if (callee->inst != inst) SET_INSTANCE(callee->inst);
    NEXT();
}

/* a host function may re-enter the engine: it gets the stack above its
 * argument slots, and faults in its own code are not ours to catch */
call_host: {
    const FuncType *t = callee->type;
    uint64_t *args = sp - t->nparams;
    frame->pc = pc + 2;
    th->sp = args + (t->nparams > t->nresults ? t->nparams : t->nresults);
    guard_current = gs->prev;
    b8g_status st = vm_host_call(callee, inst, args, err);
    guard_current = gs;
    if (B8G_UNLIKELY(st)) {
        frame->pc = pc;
        th->sp = sp;
        if (err->nframes == 0) vm_backtrace(th, err, VM_PC_EXACT);
        return st;
    }
    sp = args + t->nresults;
    pc += 2;
    NEXT();
}

safe_point:
    tk = vm_safe_point(th);
    if (tk == B8G_TRAP_NONE) NEXT(); /* runs the instruction again */
    frame->pc = pc;
    th->sp = sp;
    return vm_stop(th, tk, err);

trap:
    frame->pc = pc;
    th->sp = sp;
    return vm_trap(th, tk, VM_PC_EXACT, err);

finished:
    th->sp = sp;
    return B8G_OK;

#undef CASE
#undef NEXT
}

Cell vm_handler(XOp op)
{
    Cell c = {.u64 = 0};
#ifndef B8G_NO_COMPUTED_GOTO
    /* every caller stores the same pointer: the race is benign */
    static const void *const *labels;
    const void *const *l = __atomic_load_n(&labels, __ATOMIC_RELAXED);
    if (!l) {
        vm_loop(NULL, NULL, NULL, NULL, &l);
        __atomic_store_n(&labels, l, __ATOMIC_RELAXED);
    }
    c.label = l[op];
#else
    c.op = op;
#endif
    return c;
}

/*
 * The guard scope lives here, outside the loop, so that nothing the loop
 * keeps in registers is needed after a fault: the handler's siglongjmp
 * lands in this frame, and the trap is rebuilt from the Thread (frames are
 * stored at every call and return; the faulting pc itself is lost).
 */
b8g_status vm_run(Thread *th, Frame *base, b8g_error *err)
{
    GuardScope gs;
    gs.prev = guard_current;
    gs.lo = gs.hi = NULL;
#if VM_GUARD_PAGES
    if (sigsetjmp(gs.jb, 0)) {
        guard_current = gs.prev;
        return vm_trap(th, B8G_TRAP_MEM_OOB, VM_PC_UNKNOWN, err);
    }
#endif
    guard_current = &gs;
    b8g_status st = vm_loop(th, base, &gs, err, NULL);
    guard_current = gs.prev;
    return st;
}
