/*
 * interp.c - the dispatch loop over translated code (xl.h, frame.h).
 *
 * vm_run opens the guard scope and calls vm_loop, which keeps the machine
 * state in locals the compiler can hold in registers: pc (current cell),
 * fp (param 0 of the current frame, which every operand is relative to),
 * the current instance and its memory base.  Everything that must survive a
 * trap, a suspension or a guard-page fault is written to the Thread at
 * the few points that change it: calls, returns, safe points, host calls.
 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "exec/bulk.h"
#include "exec/frame.h"
#include "exec/num.h"
#include "exec/xlstore.h"
#include "prof/profile.h"
#include "rt/guard.h"
#include "rt/store.h"
#include "util/err.h"
#include "util/sort.h"

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
 * Fuel is taken in chunks (frame.h): a safe point only decrements the
 * budget, and the interrupt flag is looked at when a chunk runs out, so an
 * interrupt stops the guest within VM_CHUNK safe points.
 */
static inline void vm_budget_take(Thread *th)
{
    int64_t n = th->fuel < th->chunk ? th->fuel : th->chunk;
    if (n < 0) n = 0;
    th->fuel -= n;
    th->budget = n;
    th->taken = n;
}

/* Gives the unused chunk back: fuel is exact whenever no run is looping.
 * A profiler is told what the chunk's used part went to. */
static inline void vm_budget_fold(Thread *th)
{
    if (B8G_UNLIKELY(th->prof != NULL)) prof_tick(th->prof, th, th->taken - th->budget);
    th->fuel += th->budget;
    th->budget = 0;
    th->taken = 0;
}

/*
 * Safe-point slow path, when the budget ran out: the decrement that brought
 * us here is undone (the instruction runs again), an interrupt is consumed,
 * and the next chunk taken, unlimited fuel refilled.  Returns the reason to
 * stop, or NONE to go on.
 */
B8G_COLD static b8g_trap_kind vm_safe_point(Thread *th)
{
    th->budget = 0;
    /* The whole chunk ran, under the stack as it is now: a sample. */
    if (th->prof) prof_tick(th->prof, th, th->taken);
    th->taken = 0;
    /* A nested run leaves the flag set: the interrupt is meant for the
     * whole call, so the outer runs must stop too, even if the host
     * function in between shrugs off the inner trap. */
    if (th->depth > 1) {
        if (atomic_load_explicit(&th->interrupt, memory_order_relaxed))
            return B8G_TRAP_INTERRUPTED;
    } else if (atomic_exchange(&th->interrupt, atomic_load(&th->cancelled))) {
        return B8G_TRAP_INTERRUPTED;
    }
    if (th->fuel <= 0) {
        if (!th->unlimited) return B8G_TRAP_OUT_OF_FUEL;
        th->fuel = INT64_MAX;
    }
    vm_budget_take(th);
    return B8G_TRAP_NONE;
}

#if defined(B8G_PROFILE) && defined(B8G_NO_COMPUTED_GOTO)
/*
 * Measuring builds only (-DB8G_PROFILE with switch dispatch): counts of
 * every instruction and of every pair of consecutive ones, printed to
 * stderr at exit - the data for choosing fused forms.
 */
#include <stdio.h>
#include <stdlib.h>

static uint64_t vm_prof_ops[XOP_COUNT];
static uint64_t vm_prof_pairs[XOP_COUNT][XOP_COUNT];
static unsigned vm_prof_prev;

static const char *vm_prof_name(unsigned op)
{
    static const char *const xnames[] = {
#define XOP(name) #name,
#include "exec/xops.def"
#undef XOP
    };
    return op < OPC_COUNT ? op_info[op].text : xnames[op - OPC_COUNT];
}

static void vm_prof_count(unsigned op)
{
    vm_prof_ops[op]++;
    vm_prof_pairs[vm_prof_prev][op]++;
    vm_prof_prev = op;
}

__attribute__((destructor)) static void vm_prof_dump(void)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < XOP_COUNT; i++) total += vm_prof_ops[i];
    if (!total) return;
    fprintf(stderr, "profile: %llu instructions\n", (unsigned long long)total);
    for (int round = 0; round < 2; round++)
        for (int top = 0; top < 40; top++) {
            uint64_t best = 0;
            unsigned bi = 0, bj = 0;
            for (unsigned i = 0; i < XOP_COUNT; i++)
                for (unsigned j = 0; j < (round ? XOP_COUNT : 1u); j++) {
                    uint64_t c = round ? vm_prof_pairs[i][j] : vm_prof_ops[i];
                    if (c > best) best = c, bi = i, bj = j;
                }
            if (!best) break;
            if (round) {
                fprintf(stderr, "pair %5.2f%% %s ; %s\n", 100.0 * best / total,
                        vm_prof_name(bi), vm_prof_name(bj));
                vm_prof_pairs[bi][bj] = 0;
            } else {
                fprintf(stderr, "op   %5.2f%% %s\n", 100.0 * best / total, vm_prof_name(bi));
                vm_prof_ops[bi] = 0;
            }
        }
}
#else
#define vm_prof_count(op) ((void)0)
#endif

#ifndef B8G_NO_COMPUTED_GOTO
/* The handler label that starts the instruction at pc (units are only
 * 2-byte aligned; this is still the one load of `jmp *(pc)`). */
static inline const void *vm_label_at(const XlUnit *pc)
{
    const void *l;
    memcpy(&l, pc, sizeof l);
    return l;
}
#endif

/* One past the slots of a frame: what a stopped run leaves in use. */
static inline uint64_t *vm_frame_top(const Frame *f)
{
    return f->fp + f->fn->code->frame_slots;
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
    const XlUnit *pc = frame->pc;
    uint64_t *fp = frame->fp;
    b8g_instance *inst = frame->fn->inst;
    uint8_t *membase = vm_use_instance(inst, gs);
    FuncInst *callee;
    const XlUnit *next_pc; /* a call's return point */
    uint64_t *const stack_end = th->stack_end;
    Frame *const frames_end = th->frames_end;
    b8g_trap_kind tk;

/* ---- the machine's vocabulary ------------------------------------------ */

/* Dispatch: a handler ends by jumping to the handler of the next
 * instruction, whose label address starts it (one indirect jump). */
#ifndef B8G_NO_COMPUTED_GOTO
#define CASE(name) L_##name:
#define NEXT() goto *vm_label_at(pc)
#elif defined(B8G_PROFILE)
#define CASE(name) case XOP_##name:
#define NEXT() do { vm_prof_count(pc[0]); goto dispatch; } while (0)
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

/* Operands (xl.h): unit i after the handler, the slot it names, the
 * immediates starting there, and the length of an instruction with n
 * operand units (pc += LEN(n) steps over it). */
#define U(i) pc[XL_HANDLER_UNITS + (i)]
#define SLOT(i) fp[U(i)]
#define IMM16(i) ((int16_t)U(i))
#define IMM32(i) xl_get32(pc + XL_HANDLER_UNITS + (i))
#define IMM64(i) xl_get64(pc + XL_HANDLER_UNITS + (i))
#define LEN(n) XL_LEN(n)
/* The commonest layouts: d a b c, d a k, and d a r for the conditional
 * branches (r their 16-bit distance). */
#define RD SLOT(0)
#define RA SLOT(1)
#define RB SLOT(2)
#define RC SLOT(3)
#define K32 IMM32(2)
#define REL IMM16(2)
/* Operand i of a STACKED instruction: consecutive slots from a (unit 0). */
#define RS(i) fp[U(0) + (i)]

/* Traps report the instruction pc points at, so handlers trap before
 * advancing pc. */
#define TRAP(kind)                                                             \
    do {                                                                       \
        tk = B8G_TRAP_##kind;                                                  \
        goto trap;                                                             \
    } while (0)

/* Back-edges and calls: one decrement, before the instruction changes
 * anything, so a stop here can simply re-run it. */
#ifndef B8G_BENCH_UNMETERED
#define SAFE_POINT()                                                           \
    do {                                                                       \
        if (B8G_UNLIKELY(--th->budget < 0)) goto safe_point;                   \
    } while (0)
#else
/* Measuring builds only (bench/yardstick.sh FUEL_COST=1): no safe points,
 * so the cost of metering shows against a build that has none.  Such a
 * build has no fuel and cannot be interrupted. */
#define SAFE_POINT()                                                           \
    do {                                                                       \
        if (0) goto safe_point;                                                \
    } while (0)
#endif

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

/* Families: each instantiated per type below with the name spelled whole.
 * Unary is d a, binary d a b; the _K forms take the right operand from the
 * instruction (d a k, an i64 one sign-extended from 32 bits; _K64: d a
 * k64). */
#define UNARY(NAME, T, GET, PUT, EXPR)                                         \
    CASE(NAME) {                                                               \
        T a = GET(RA);                                                         \
        RD = PUT(EXPR);                                                        \
        pc += LEN(2);                                                          \
        NEXT();                                                                \
    }
#define BINARY(NAME, T, GET, PUT, EXPR)                                        \
    CASE(NAME) {                                                               \
        T a = GET(RA), b = GET(RB);                                            \
        RD = PUT(EXPR);                                                        \
        pc += LEN(3);                                                          \
        NEXT();                                                                \
    }
#define BINARY_IMM(CNAME, T, GET, PUT, EXPR, IMM, N)                          \
    CASE(CNAME) {                                                              \
        T a = GET(RA), b = (T)(IMM);                                           \
        RD = PUT(EXPR);                                                        \
        pc += LEN(N);                                                          \
        NEXT();                                                                \
    }
#define BINARY_K(NAME, T, GET, PUT, EXPR)                                      \
    BINARY_IMM(NAME##_K, T, GET, PUT, EXPR, (int32_t)K32, 4)
/* XOP_SHIFTK: d a i, the count */
#define BINARY_KI(NAME, T, GET, PUT, EXPR)                                     \
    BINARY_IMM(NAME##_K, T, GET, PUT, EXPR, U(2), 3)
#define BINARY_KF32(NAME, PUT, EXPR)                                           \
    CASE(NAME##_K) {                                                           \
        float a = F32(RA), b = F32(K32);                                       \
        RD = PUT(EXPR);                                                        \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }
#define BINARY_K64(NAME, T, GET, PUT, EXPR)                                    \
    CASE(NAME##_K64) {                                                         \
        T a = GET(RA), b = GET(IMM64(2));                                      \
        RD = PUT(EXPR);                                                        \
        pc += LEN(6);                                                          \
        NEXT();                                                                \
    }
/* A latch's sum is written back only once its safe point has passed, so a
 * stop there runs the instruction again from the old value.  d a r k (k
 * added, N = 5) or d a r s (slot s added, N = 4). */
#define LATCH(T, GET, PUT, INC, RHS, EXPR, N)                                  \
    do {                                                                       \
        T a = GET(RD) + (INC), b = (RHS);                                      \
        if (EXPR) {                                                            \
            SAFE_POINT();                                                      \
            RD = PUT(a);                                                       \
            pc += REL;                                                         \
        } else {                                                               \
            RD = PUT(a);                                                       \
            pc += LEN(N);                                                      \
        }                                                                      \
        NEXT();                                                                \
    } while (0)
/* The same where the sum goes to another slot, j (read by neither side):
 * d a r s k, s += k. */
#define LATCH_X(T, GET, PUT, RHS, EXPR)                                        \
    do {                                                                       \
        T j = GET(SLOT(3)) + (T)(int32_t)IMM32(4);                             \
        T a = GET(RD), b = (RHS);                                              \
        if (EXPR) {                                                            \
            SAFE_POINT();                                                      \
            SLOT(3) = PUT(j);                                                  \
            pc += REL;                                                         \
        } else {                                                               \
            SLOT(3) = PUT(j);                                                  \
            pc += LEN(6);                                                      \
        }                                                                      \
        NEXT();                                                                \
    } while (0)
#define PUT_uint32_t S_I32
#define PUT_uint64_t S_I64
/* Compare-and-branch, d a r: d <op> a (a slot, or a 16-bit immediate in
 * _K); the _LOOP forms are back-edges. */
#define CMP_BRANCH(NAME, T, GET, EXPR)                                         \
    CASE(BR_##NAME) {                                                          \
        T a = GET(RD), b = GET(RA);                                            \
        pc += (EXPR) ? REL : LEN(3);                                           \
        NEXT();                                                                \
    }                                                                          \
    CASE(BR_##NAME##_K) {                                                      \
        T a = GET(RD), b = (T)IMM16(1);                                        \
        pc += (EXPR) ? REL : LEN(3);                                           \
        NEXT();                                                                \
    }                                                                          \
    CASE(BR_##NAME##_LOOP) {                                                   \
        T a = GET(RD), b = GET(RA);                                            \
        if (EXPR) {                                                            \
            SAFE_POINT();                                                      \
            pc += REL;                                                         \
        } else {                                                               \
            pc += LEN(3);                                                      \
        }                                                                      \
        NEXT();                                                                \
    }                                                                          \
    CASE(BR_##NAME##_K_LOOP) {                                                 \
        T a = GET(RD), b = (T)IMM16(1);                                        \
        if (EXPR) {                                                            \
            SAFE_POINT();                                                      \
            pc += REL;                                                         \
        } else {                                                               \
            pc += LEN(3);                                                      \
        }                                                                      \
        NEXT();                                                                \
    }                                                                          \
    CASE(BR_##NAME##_INC) {                                                    \
        LATCH(T, GET, PUT_##T, (T)(int32_t)IMM32(3), GET(RA), EXPR, 5);        \
    }                                                                          \
    CASE(BR_##NAME##_K_INC) {                                                  \
        LATCH(T, GET, PUT_##T, (T)(int32_t)IMM32(3), (T)IMM16(1), EXPR, 5);    \
    }                                                                          \
    CASE(BR_##NAME##_INCR) {                                                   \
        LATCH(T, GET, PUT_##T, GET(SLOT(3)), GET(RA), EXPR, 4);                \
    }                                                                          \
    CASE(BR_##NAME##_K_INCR) {                                                 \
        LATCH(T, GET, PUT_##T, GET(SLOT(3)), (T)IMM16(1), EXPR, 4);            \
    }                                                                          \
    CASE(BR_##NAME##_ADDX) {                                                   \
        LATCH_X(T, GET, PUT_##T, GET(RA), EXPR);                               \
    }                                                                          \
    CASE(BR_##NAME##_K_ADDX) {                                                 \
        LATCH_X(T, GET, PUT_##T, (T)IMM16(1), EXPR);                           \
    }
#define UN_I32(NAME, EXPR) UNARY(NAME, uint32_t, I32, S_I32, EXPR)
#define UN_I64(NAME, EXPR) UNARY(NAME, uint64_t, I64, S_I64, EXPR)
#define UN_F32(NAME, EXPR) UNARY(NAME, float, F32, S_F32, EXPR)
#define UN_F64(NAME, EXPR) UNARY(NAME, double, F64, S_F64, EXPR)
#define BIN_I32(NAME, EXPR) BINARY(NAME, uint32_t, I32, S_I32, EXPR)
#define BIN_I64(NAME, EXPR) BINARY(NAME, uint64_t, I64, S_I64, EXPR)
#define BIN_F32(NAME, EXPR)                                                    \
    BINARY(NAME, float, F32, S_F32, EXPR)                                      \
    BINARY_KF32(NAME, S_F32, EXPR)
#define BIN_F64(NAME, EXPR)                                                    \
    BINARY(NAME, double, F64, S_F64, EXPR)                                     \
    BINARY_K64(NAME, double, F64, S_F64, EXPR)
#define BINK_I32(NAME, EXPR)                                                   \
    BINARY(NAME, uint32_t, I32, S_I32, EXPR)                                   \
    BINARY_K(NAME, uint32_t, I32, S_I32, EXPR)
#define BINK_I64(NAME, EXPR)                                                   \
    BINARY(NAME, uint64_t, I64, S_I64, EXPR)                                   \
    BINARY_K(NAME, uint64_t, I64, S_I64, EXPR)                                 \
    BINARY_K64(NAME, uint64_t, I64, S_I64, EXPR)
#define SHIFT_I32(NAME, EXPR)                                                  \
    BINARY(NAME, uint32_t, I32, S_I32, EXPR)                                   \
    BINARY_KI(NAME, uint32_t, I32, S_I32, EXPR)
#define SHIFT_I64(NAME, EXPR)                                                  \
    BINARY(NAME, uint64_t, I64, S_I64, EXPR)                                   \
    BINARY_KI(NAME, uint64_t, I64, S_I64, EXPR)                                \
    BINARY_K64(NAME, uint64_t, I64, S_I64, EXPR)
#define CMP_I32(NAME, EXPR)                                                    \
    BINARY(NAME, uint32_t, I32, S_I32, EXPR)                                   \
    BINARY_K(NAME, uint32_t, I32, S_I32, EXPR)                                 \
    CMP_BRANCH(NAME, uint32_t, I32, EXPR)
#define CMP_I64(NAME, EXPR)                                                    \
    BINARY(NAME, uint64_t, I64, S_I32, EXPR)                                   \
    BINARY_K(NAME, uint64_t, I64, S_I32, EXPR)                                 \
    CMP_BRANCH(NAME, uint64_t, I64, EXPR)
#define CMP_F32(NAME, EXPR)                                                    \
    BINARY(NAME, float, F32, S_I32, EXPR)                                      \
    BINARY_KF32(NAME, S_I32, EXPR)
#define CMP_F64(NAME, EXPR)                                                    \
    BINARY(NAME, double, F64, S_I32, EXPR)                                     \
    BINARY_K64(NAME, double, F64, S_I32, EXPR)
/* Conversions: operand of type T read by GET, result written by PUT. */
#define CONVERT(NAME, T, GET, PUT, EXPR) UNARY(NAME, T, GET, PUT, EXPR)

/* Division: zero traps; OVERFLOW handles INT_MIN / -1 before the
 * hardware divide (which would fault on it). */
#define DIVIDE(NAME, T, GET, PUT, OVERFLOW, EXPR)                              \
    CASE(NAME) {                                                               \
        T a = (T)GET(RA), b = (T)GET(RB);                                      \
        if (b == 0) TRAP(INT_DIV_ZERO);                                        \
        OVERFLOW;                                                              \
        RD = PUT(EXPR);                                                        \
        pc += LEN(3);                                                          \
        NEXT();                                                                \
    }

/* Trapping float -> int: FN (num.h) says which trap, if any. */
#define TRUNC(NAME, GET, IT, PUT, FN)                                          \
    CASE(NAME) {                                                               \
        IT r_;                                                                 \
        b8g_trap_kind k_ = FN(GET(RA), &r_);                                   \
        if (k_) {                                                              \
            tk = k_;                                                           \
            goto trap;                                                         \
        }                                                                      \
        RD = PUT(r_);                                                          \
        pc += LEN(2);                                                          \
        NEXT();                                                                \
    }

/* Loads: CT is the C type of the access (its signedness extends).  The
 * forms of xops.def differ only in the address and their length N. */
#define LOAD_AT(NAME, CT, PUT, EA, N)                                          \
    CASE(NAME) {                                                               \
        uint64_t ea = (EA);                                                    \
        CHECK_MEM(ea, sizeof(CT));                                             \
        CT v;                                                                  \
        memcpy(&v, membase + ea, sizeof v);                                    \
        RD = PUT(v);                                                           \
        pc += LEN(N);                                                          \
        NEXT();                                                                \
    }
#define LOAD(NAME, CT, PUT)                                                    \
    LOAD_AT(NAME, CT, PUT, (uint64_t)I32(RA) + U(2), 3)                        \
    LOAD_AT(NAME##_A, CT, PUT, (uint64_t)IMM32(1), 3)                          \
    LOAD_AT(NAME##_ADD, CT, PUT, (uint64_t)(uint32_t)(RA + K32), 4)            \
    LOAD_AT(NAME##_ADDR, CT, PUT, (uint64_t)(uint32_t)(RA + RB) + U(3), 4)     \
    LOAD_AT(NAME##_IDX, CT, PUT, (uint64_t)(uint32_t)(RA + (RB << U(3))), 4)   \
    LOAD_AT(NAME##_W, CT, PUT, (uint64_t)I32(RA) + K32, 4)
/* Stores: the low sizeof(CT) bytes of slot d (little-endian host). */
#define STORE_AT(NAME, CT, EA, VAL, N)                                         \
    CASE(NAME) {                                                               \
        uint64_t ea = (EA);                                                    \
        CHECK_MEM(ea, sizeof(CT));                                             \
        CT v = (CT)(VAL);                                                      \
        memcpy(membase + ea, &v, sizeof v);                                    \
        pc += LEN(N);                                                          \
        NEXT();                                                                \
    }
#define STORE(NAME, CT)                                                        \
    STORE_AT(NAME, CT, (uint64_t)I32(RA) + U(2), RD, 3)                        \
    STORE_AT(NAME##_A, CT, (uint64_t)IMM32(1), RD, 3)                          \
    STORE_AT(NAME##_K, CT, (uint64_t)I32(RA) + U(2), IMM16(0), 3)              \
    STORE_AT(NAME##_W, CT, (uint64_t)I32(RA) + K32, RD, 4)

/* d = a OP (b SHIFT c): c is the shift count, already masked. */
#define SHIFTED(NAME, T, GET, PUT, EXPR)                                       \
    CASE(NAME) {                                                               \
        T a = GET(RA), b = GET(RB);                                            \
        unsigned c = U(3);                                                     \
        RD = PUT(EXPR);                                                        \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }

/* d = (a X b) Y c for Y in add, xor, and, or. */
#define I32_PAIR(NAME, X, Y)                                                   \
    CASE(NAME) {                                                               \
        RD = S_I32((I32(RA) X I32(RB)) Y I32(RC));                             \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }
#define I32_PAIRS(XN, X)                                                       \
    I32_PAIR(I32_##XN##_ADD, X, +)                                             \
    I32_PAIR(I32_##XN##_XOR, X, ^)                                             \
    I32_PAIR(I32_##XN##_AND, X, &)                                             \
    I32_PAIR(I32_##XN##_OR, X, |)

/* Keeps the compiler from contracting two f64 operations into one fused
 * multiply-add (each wasm operation rounds on its own). */
#if defined(__x86_64__)
#define FP_ROUNDED(v) __asm__("" : "+x"(v))
#elif defined(__aarch64__)
#define FP_ROUNDED(v) __asm__("" : "+w"(v))
#else
#define FP_ROUNDED(v) __asm__("" : "+m"(v))
#endif
/* a * b rounded on its own, before the caller adds or subtracts it. */
#define F64_PRODUCT(a, b)                                                      \
    ({                                                                         \
        double p_ = (a) * (b);                                                 \
        FP_ROUNDED(p_);                                                        \
        p_;                                                                    \
    })

/* d = (a X b) Y c, or c Y (a X b) when REV. */
#define F64_PAIR(NAME, X, Y, REV)                                              \
    CASE(NAME) {                                                               \
        double t = F64(RA) X F64(RB), c = F64(RC);                             \
        FP_ROUNDED(t);                                                         \
        RD = S_F64(REV ? c Y t : t Y c);                                       \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }

/* f64 operators with a memory operand (xops.def). */
#define F64_MEM(NAME, EXPR)                                                    \
    CASE(NAME) {                                                               \
        uint64_t ea = (uint64_t)I32(RB) + U(3);                                \
        CHECK_MEM(ea, 8);                                                      \
        uint64_t bits;                                                         \
        memcpy(&bits, membase + ea, 8);                                        \
        double a = F64(RA), m = F64(bits);                                     \
        RD = S_F64(EXPR);                                                      \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }
#define F64_STORE_OP(NAME, OP)                                                 \
    CASE(NAME) {                                                               \
        uint64_t ea = (uint64_t)I32(RA) + U(3);                                \
        CHECK_MEM(ea, 8);                                                      \
        uint64_t bits = S_F64(F64(RD) OP F64(RB));                             \
        memcpy(membase + ea, &bits, 8);                                        \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }

/* mem[(u32)a + c] updated from its old value m and slot d. */
#define F64_MEM_OP(NAME, EXPR)                                                 \
    CASE(NAME) {                                                               \
        uint64_t ea = (uint64_t)I32(RA) + U(3), bits;                          \
        CHECK_MEM(ea, 8);                                                      \
        memcpy(&bits, membase + ea, 8);                                        \
        double m = F64(bits);                                                  \
        bits = S_F64(EXPR);                                                    \
        memcpy(membase + ea, &bits, 8);                                        \
        pc += LEN(4);                                                          \
        NEXT();                                                                \
    }

/* mem[EA] += i (unit 0) */
#define INC_MEM(NAME, CT, EA)                                                  \
    CASE(NAME) {                                                               \
        uint64_t ea = (EA);                                                    \
        CHECK_MEM(ea, sizeof(CT));                                             \
        CT v;                                                                  \
        memcpy(&v, membase + ea, sizeof v);                                    \
        v += (CT)IMM16(0);                                                     \
        memcpy(membase + ea, &v, sizeof v);                                    \
        pc += LEN(3);                                                          \
        NEXT();                                                                \
    }

/* Bulk operations run out of line (bulk.c) and return a trap kind. */
#define BULK(CALL)                                                             \
    do {                                                                       \
        tk = CALL;                                                             \
        if (tk) goto trap;                                                     \
    } while (0)

/* ---- the loop ----------------------------------------------------------- */

#ifndef B8G_NO_COMPUTED_GOTO
    NEXT();
#else
dispatch:
    switch ((XOp)pc[0]) {
#endif

    /* control */
    CASE(UNREACHABLE) TRAP(UNREACHABLE);
    /* stack-machine forms the translator turns into slots and branches */
    CASE(NOP) CASE(BLOCK) CASE(LOOP) CASE(ELSE) CASE(END) CASE(SELECT_T)
    CASE(IF) CASE(BR_IF) CASE(DROP) CASE(LOCAL_GET) CASE(LOCAL_SET)
    CASE(LOCAL_TEE) CASE(REF_NULL) CASE(I32_CONST) CASE(I64_CONST)
    CASE(F32_CONST) CASE(F64_CONST) CASE(I32_EQZ) CASE(I64_EQZ)
    CASE(I32_REINTERPRET_F32) CASE(I64_REINTERPRET_F64)
    CASE(F32_REINTERPRET_I32) CASE(F64_REINTERPRET_I64) {
        assert(!"never emitted by the translator");
        TRAP(UNREACHABLE);
    }
    CASE(BR) {
        pc += IMM16(0);
        NEXT();
    }
    CASE(BR_LOOP) {
        SAFE_POINT();
        pc += IMM16(0);
        NEXT();
    }
    CASE(BR_W) {
        pc += (int32_t)IMM32(0);
        NEXT();
    }
    CASE(BR_LOOP_W) {
        SAFE_POINT();
        pc += (int32_t)IMM32(0);
        NEXT();
    }
    CASE(BR_TABLE) {
        /* entries rel d a, four units each, after the d a k header */
        uint32_t n = K32, i = I32(RA);
        const XlUnit *e = pc + LEN(4) + 4 * (i < n ? i : n);
        uint32_t arity = e[3] & ~XL_BR_LOOP;
        if (e[3] & XL_BR_LOOP) SAFE_POINT();
        uint64_t *dst = fp + e[2];
        const uint64_t *src = &RD;
        for (uint32_t j = 0; j < arity; j++) dst[j] = src[j];
        pc += (int32_t)xl_get32(e);
        NEXT();
    }
    CASE(RETURN1) {
        fp[0] = SLOT(0);
        goto do_return;
    }
    CASE(RETURN) {
        goto do_return;
    }
    /* calls: unit 0 is the callee's fp (a), which the shared tails read */
    CASE(CALL) {
        /* a function defined by the running module: the same instance */
        SAFE_POINT();
        callee = inst->funcs[IMM32(1)];
        next_pc = pc + LEN(3);
        goto call_same;
    }
    CASE(CALL_IMPORT) {
        SAFE_POINT();
        callee = inst->funcs[IMM32(1)];
        next_pc = pc + LEN(3);
        if (callee->host) goto call_host;
        goto call_wasm;
    }
    CASE(CALL_INDIRECT) {
        SAFE_POINT();
        const Table *t = inst->tables[IMM32(4)];
        uint32_t i = I32(SLOT(1));
        if (i >= t->size) TRAP(UNDEFINED_ELEMENT);
        callee = (FuncInst *)(uintptr_t)t->elems[i];
        if (!callee) TRAP(UNINIT_ELEMENT);
        if (callee->canon != inst->type_canon[IMM32(2)]) TRAP(INDIRECT_MISMATCH);
        next_pc = pc + LEN(6);
        if (callee->host) goto call_host;
        goto call_wasm;
    }

    CASE(LAZY) {
        /* The first call of a lazy module's function: its frame (params,
         * zeroed locals) is set up by the stub; now its body is validated
         * and translated, and this instance's function takes the code. */
        frame->pc = pc;
        th->sp = vm_frame_top(frame);
        const XlFunc *x = xl_ensure((Module *)inst->mod, frame->fn->idx, err);
        if (B8G_UNLIKELY(!x)) {
            if (err) {
                err->code = B8G_TRAP;
                err->trap = B8G_TRAP_INVALID_CODE;
            }
            vm_backtrace(th, err, VM_PC_UNKNOWN);
            return B8G_TRAP;
        }
        if (B8G_UNLIKELY(x->frame_slots > (size_t)(stack_end - fp))) TRAP(STACK_EXHAUSTED);
        __atomic_store_n(&((FuncInst *)frame->fn)->code, x, __ATOMIC_RELEASE);
        pc = x->code;
        NEXT();
    }
    CASE(DEBUG) {
        /* Only debug-translated code has these (translate.c).  The frame
         * is written back as for a host call, so the debugger sees every
         * frame, and may end the call. */
        if (inst->store->debugger) {
            frame->pc = pc;
            th->sp = vm_frame_top(frame);
            vm_budget_fold(th);
            guard_current = gs->prev;
            tk = vm_debug_stop(th, IMM32(0), B8G_TRAP_NONE);
            guard_current = gs;
            if (tk != B8G_TRAP_NONE) goto trap;
        }
        pc += LEN(2);
        NEXT();
    }

    /* parametric, variables */
    CASE(SELECT) {
        RD = I32(RC) ? RA : RB;
        pc += LEN(4);
        NEXT();
    }
    CASE(SELECT_KA) {
        RD = I32(RC) ? (uint64_t)(int64_t)IMM16(1) : RB;
        pc += LEN(4);
        NEXT();
    }
    CASE(SELECT_KB) {
        RD = I32(RC) ? RA : (uint64_t)(int64_t)IMM16(2);
        pc += LEN(4);
        NEXT();
    }
    CASE(I32_RSUB_K) {
        RD = S_I32(K32 - I32(RA));
        pc += LEN(4);
        NEXT();
    }
    CASE(I64_RSUB_K) {
        RD = S_I64((uint64_t)(int64_t)(int32_t)K32 - I64(RA));
        pc += LEN(4);
        NEXT();
    }
    CASE(F64_RSUB_K64) {
        RD = S_F64(F64(IMM64(2)) - F64(RA));
        pc += LEN(6);
        NEXT();
    }
    CASE(F64_RDIV_K64) {
        RD = S_F64(F64(IMM64(2)) / F64(RA));
        pc += LEN(6);
        NEXT();
    }
    CASE(COPY) {
        RD = RA;
        pc += LEN(2);
        NEXT();
    }
    CASE(COPY2) {
        RD = RA;
        RB = RC;
        pc += LEN(4);
        NEXT();
    }
    CASE(COPY3) {
        RD = RA;
        RB = RC;
        SLOT(4) = SLOT(5);
        pc += LEN(6);
        NEXT();
    }
    CASE(COPY4) {
        RD = RA;
        RB = RC;
        SLOT(4) = SLOT(5);
        SLOT(6) = SLOT(7);
        pc += LEN(8);
        NEXT();
    }
    CASE(I32_ADD_K2) {
        RD = S_I32(I32(RA) + IMM32(4));
        RB = S_I32(I32(RC) + IMM32(6));
        pc += LEN(8);
        NEXT();
    }
    CASE(CONST16) {
        RD = S_I32((int32_t)IMM16(1));
        pc += LEN(2);
        NEXT();
    }
    CASE(CONST32) {
        RD = IMM32(1);
        pc += LEN(3);
        NEXT();
    }
    CASE(CONST64) {
        RD = IMM64(1);
        pc += LEN(5);
        NEXT();
    }
    CASE(GLOBAL_GET) {
        RD = inst->globals[IMM32(1)]->val;
        pc += LEN(3);
        NEXT();
    }
    CASE(GLOBAL_SET) {
        inst->globals[IMM32(1)]->val = SLOT(0);
        pc += LEN(3);
        NEXT();
    }

    /* references and tables (the stacked ones: a k, a k k) */
    CASE(REF_IS_NULL) {
        RD = RA == 0;
        pc += LEN(2);
        NEXT();
    }
    CASE(REF_FUNC) {
        RD = (uint64_t)(uintptr_t)inst->funcs[IMM32(1)];
        pc += LEN(3);
        NEXT();
    }
    CASE(TABLE_GET) {
        const Table *t = inst->tables[K32];
        uint32_t i = I32(RA);
        if (i >= t->size) TRAP(TABLE_OOB);
        RD = t->elems[i];
        pc += LEN(4);
        NEXT();
    }
    CASE(TABLE_SET) {
        Table *t = inst->tables[IMM32(1)];
        uint32_t i = I32(RS(0));
        if (i >= t->size) TRAP(TABLE_OOB);
        t->elems[i] = RS(1);
        pc += LEN(3);
        NEXT();
    }
    CASE(TABLE_SIZE) {
        RD = S_I32(inst->tables[IMM32(1)]->size);
        pc += LEN(3);
        NEXT();
    }
    CASE(TABLE_GROW) {
        int64_t old = table_grow(inst->tables[IMM32(1)], I32(RS(1)), RS(0));
        RS(0) = S_I32(old);
        pc += LEN(3);
        NEXT();
    }
    CASE(TABLE_FILL) {
        BULK(vm_table_fill(inst->tables[IMM32(1)], I32(RS(0)), RS(1), I32(RS(2))));
        pc += LEN(3);
        NEXT();
    }
    CASE(TABLE_COPY) {
        BULK(vm_table_copy(inst->tables[IMM32(1)], inst->tables[IMM32(3)],
                           I32(RS(0)), I32(RS(1)), I32(RS(2))));
        pc += LEN(5);
        NEXT();
    }
    CASE(TABLE_INIT) {
        BULK(vm_table_init(inst, IMM32(1), inst->tables[IMM32(3)],
                           I32(RS(0)), I32(RS(1)), I32(RS(2))));
        pc += LEN(5);
        NEXT();
    }
    CASE(ELEM_DROP) {
        inst->elem_len[IMM32(0)] = 0;
        pc += LEN(2);
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
        RD = S_I32(inst->mem0->pages);
        pc += LEN(1);
        NEXT();
    }
    CASE(MEMORY_GROW) {
        /* the base never moves (rt/memory.h), so membase stays valid */
        RD = S_I32(mem_grow(inst->mem0, I32(RA)));
        pc += LEN(2);
        NEXT();
    }
    CASE(MEMORY_FILL) {
        BULK(vm_memory_fill(inst->mem0, I32(RS(0)), I32(RS(1)), I32(RS(2))));
        pc += LEN(1);
        NEXT();
    }
    CASE(MEMORY_COPY) {
        BULK(vm_memory_copy(inst->mem0, I32(RS(0)), I32(RS(1)), I32(RS(2))));
        pc += LEN(1);
        NEXT();
    }
    CASE(MEMORY_INIT) {
        BULK(vm_memory_init(inst, IMM32(1), I32(RS(0)), I32(RS(1)), I32(RS(2))));
        pc += LEN(3);
        NEXT();
    }
    CASE(DATA_DROP) {
        inst->data_len[IMM32(0)] = 0;
        pc += LEN(2);
        NEXT();
    }

    /* i32 (eqz is translated as == 0) */
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
    BINK_I32(I32_ADD, a + b)
    BINK_I32(I32_SUB, a - b)
    BINK_I32(I32_MUL, a * b)
    DIVIDE(I32_DIV_S, int32_t, I32, S_I32,
           if (a == INT32_MIN && b == -1) TRAP(INT_OVERFLOW), a / b)
    DIVIDE(I32_DIV_U, uint32_t, I32, S_I32, (void)0, a / b)
    DIVIDE(I32_REM_S, int32_t, I32, S_I32, (void)0, b == -1 ? 0 : a % b)
    DIVIDE(I32_REM_U, uint32_t, I32, S_I32, (void)0, a % b)
    BINK_I32(I32_AND, a & b)
    BINK_I32(I32_OR, a | b)
    BINK_I32(I32_XOR, a ^ b)
    SHIFT_I32(I32_SHL, a << (b & 31))
    SHIFT_I32(I32_SHR_S, num_shr_s32(a, b))
    SHIFT_I32(I32_SHR_U, a >> (b & 31))
    SHIFT_I32(I32_ROTL, num_rotl32(a, b))
    SHIFT_I32(I32_ROTR, num_rotr32(a, b))

    /* i64 */
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
    BINK_I64(I64_ADD, a + b)
    BINK_I64(I64_SUB, a - b)
    BINK_I64(I64_MUL, a * b)
    DIVIDE(I64_DIV_S, int64_t, I64, S_I64,
           if (a == INT64_MIN && b == -1) TRAP(INT_OVERFLOW), a / b)
    DIVIDE(I64_DIV_U, uint64_t, I64, S_I64, (void)0, a / b)
    DIVIDE(I64_REM_S, int64_t, I64, S_I64, (void)0, b == -1 ? 0 : a % b)
    DIVIDE(I64_REM_U, uint64_t, I64, S_I64, (void)0, a % b)
    BINK_I64(I64_AND, a & b)
    BINK_I64(I64_OR, a | b)
    BINK_I64(I64_XOR, a ^ b)
    SHIFT_I64(I64_SHL, a << (b & 63))
    SHIFT_I64(I64_SHR_S, num_shr_s64(a, b))
    SHIFT_I64(I64_SHR_U, a >> (b & 63))
    SHIFT_I64(I64_ROTL, num_rotl64(a, b))
    SHIFT_I64(I64_ROTR, num_rotr64(a, b))

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

    /* fused pairs (xops.def) */
    SHIFTED(I32_ADD_SHL, uint32_t, I32, S_I32, a + (b << c))
    SHIFTED(I32_XOR_SHL, uint32_t, I32, S_I32, a ^ (b << c))
    SHIFTED(I32_XOR_SHR_U, uint32_t, I32, S_I32, a ^ (b >> c))
    SHIFTED(I32_OR_SHL, uint32_t, I32, S_I32, a | (b << c))
    SHIFTED(I32_OR_SHR_U, uint32_t, I32, S_I32, a | (b >> c))
    SHIFTED(I64_ADD_SHL, uint64_t, I64, S_I64, a + (b << c))
    SHIFTED(I64_XOR_SHL, uint64_t, I64, S_I64, a ^ (b << c))
    SHIFTED(I64_XOR_SHR_U, uint64_t, I64, S_I64, a ^ (b >> c))
    SHIFTED(I64_OR_SHL, uint64_t, I64, S_I64, a | (b << c))
    SHIFTED(I64_OR_SHR_U, uint64_t, I64, S_I64, a | (b >> c))
    SHIFTED(I32_XOR_ROTL, uint32_t, I32, S_I32, a ^ num_rotl32(b, c))
    SHIFTED(I32_XOR_ROTR, uint32_t, I32, S_I32, a ^ num_rotr32(b, c))
    SHIFTED(I32_ADD_ROTL, uint32_t, I32, S_I32, a + num_rotl32(b, c))
    SHIFTED(I32_ADD_ROTR, uint32_t, I32, S_I32, a + num_rotr32(b, c))
    I32_PAIRS(ADD, +)
    I32_PAIRS(XOR, ^)
    I32_PAIRS(AND, &)
    I32_PAIRS(OR, |)
    F64_PAIR(F64_MUL_ADD, *, +, 0)
    F64_PAIR(F64_MUL_SUB, *, -, 0)
    F64_PAIR(F64_MUL_RSUB, *, -, 1)
    F64_PAIR(F64_MUL_MUL, *, *, 0)
    F64_PAIR(F64_ADD_ADD, +, +, 0)
    F64_PAIR(F64_ADD_SUB, +, -, 0)
    F64_PAIR(F64_ADD_RSUB, +, -, 1)
    F64_PAIR(F64_ADD_MUL, +, *, 0)
    F64_PAIR(F64_SUB_ADD, -, +, 0)
    F64_PAIR(F64_SUB_SUB, -, -, 0)
    F64_PAIR(F64_SUB_RSUB, -, -, 1)
    F64_PAIR(F64_SUB_MUL, -, *, 0)
    F64_MEM(F64_ADD_M, a + m)
    F64_MEM(F64_SUB_M, a - m)
    F64_MEM(F64_RSUB_M, m - a)
    F64_MEM(F64_MUL_M, a * m)
    F64_STORE_OP(F64_STORE_ADD, +)
    F64_STORE_OP(F64_STORE_SUB, -)
    F64_STORE_OP(F64_STORE_MUL, *)
    F64_MEM_OP(F64_MEM_ADD, F64(RD) + m)
    F64_MEM_OP(F64_MEM_SUB, m - F64(RD))
    F64_MEM_OP(F64_MEM_ADD_MUL, F64_PRODUCT(F64(RD), F64(RB)) + m)
    F64_MEM_OP(F64_MEM_SUB_MUL, m - F64_PRODUCT(F64(RD), F64(RB)))
    INC_MEM(I32_INC_MEM, uint32_t, (uint64_t)I32(RA) + U(2))
    INC_MEM(I32_INC_MEM_A, uint32_t, (uint64_t)IMM32(1))
    INC_MEM(I64_INC_MEM, uint64_t, (uint64_t)I32(RA) + U(2))
    INC_MEM(I64_INC_MEM_A, uint64_t, (uint64_t)IMM32(1))

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

/* the callee's params are the caller's argument slots: its frame starts
 * there (fp + a), and its results come back to the same place */
call_wasm:
    if (callee->inst != inst) SET_INSTANCE(callee->inst);
call_same: {
    const XlFunc *x = callee->code;
    uint64_t *nfp = fp + U(0);
    if (B8G_UNLIKELY(x->frame_slots > (size_t)(stack_end - nfp) || frame + 1 >= frames_end))
        TRAP(STACK_EXHAUSTED);
    frame->pc = next_pc;
    frame++;
    frame->fn = callee;
    frame->fp = nfp;
    th->cur = frame;
    atomic_signal_fence(memory_order_seq_cst);
    fp = nfp;
    /* most functions have a few locals: a loop, kept from turning back
     * into a memset call by the empty asm */
    if (x->nlocals) {
        uint64_t *l = fp + x->nparams, *e = l + x->nlocals;
        do {
            *l = 0;
            __asm__("" : : "r"(l));
        } while (++l < e);
    }
    pc = x->code;
    NEXT();
}

/* a host function may re-enter the engine: it gets the stack above its
 * argument slots, and faults in its own code are not ours to catch */
call_host: {
    const FuncType *t = callee->type;
    uint64_t *args = fp + U(0);
    frame->pc = next_pc;
    th->sp = args + (t->nparams > t->nresults ? t->nparams : t->nresults);
    vm_budget_fold(th); /* the host sees exact fuel; the next safe point
                           takes a new chunk */
    guard_current = gs->prev;
    b8g_status st = vm_host_call(callee, inst, args, err);
    guard_current = gs;
    if (B8G_UNLIKELY(st)) {
        frame->pc = pc;
        th->sp = vm_frame_top(frame);
        if (err->nframes == 0) vm_backtrace(th, err, VM_PC_EXACT);
        return st;
    }
    pc = next_pc;
    NEXT();
}

/* results are in fp[0..n): the caller's argument slots */
do_return:
    if (frame == base) goto finished;
    frame--;
    th->cur = frame;
    atomic_signal_fence(memory_order_seq_cst);
    fp = frame->fp;
    pc = frame->pc;
    if (frame->fn->inst != inst) SET_INSTANCE(frame->fn->inst);
    NEXT();

safe_point:
    tk = vm_safe_point(th);
    if (tk == B8G_TRAP_NONE) NEXT(); /* runs the instruction again */
    frame->pc = pc;
    th->sp = vm_frame_top(frame);
    return vm_stop(th, tk, err);

trap:
    frame->pc = pc;
    th->sp = vm_frame_top(frame);
    if (B8G_UNLIKELY(inst->store->debugger != NULL) && inst->mod && inst->mod->debug_stops) {
        /* the debugger sees the frames before they go */
        guard_current = gs->prev;
        vm_debug_stop(th, xl_code_offset(frame->fn->code, (uint32_t)(pc - frame->fn->code->code)),
                      tk);
        guard_current = gs;
    }
    return vm_trap(th, tk, VM_PC_EXACT, err);

finished:
    th->sp = fp + frame->fn->code->nresults;
    return B8G_OK;

#undef CASE
#undef NEXT
}

#ifndef B8G_NO_COMPUTED_GOTO
static const void *const *vm_labels(void)
{
    /* every caller stores the same pointer: the race is benign */
    static const void *const *labels;
    const void *const *l = __atomic_load_n(&labels, __ATOMIC_RELAXED);
    if (!l) {
        vm_loop(NULL, NULL, NULL, NULL, &l);
        __atomic_store_n(&labels, l, __ATOMIC_RELAXED);
    }
    return l;
}
#endif

void vm_set_handler(XlUnit *at, XOp op)
{
#ifndef B8G_NO_COMPUTED_GOTO
    const void *const *l = vm_labels();
    _Static_assert(sizeof l[op] == XL_HANDLER_UNITS * sizeof *at, "a label fills the handler");
    memcpy(at, &l[op], sizeof l[op]);
#else
    at[0] = (XlUnit)op;
#endif
}

#ifndef B8G_NO_COMPUTED_GOTO
/* Handlers sorted by address, to name the XOp of a handler (images store
 * code with XOp numbers: xlstore.h).  Two XOps whose handlers a compiler
 * placed at one address run the same code, so either name will do. */
typedef struct VmHandlerOp {
    uintptr_t label;
    XOp op;
} VmHandlerOp;

static VmHandlerOp vm_by_label[XOP_COUNT];
static pthread_once_t vm_by_label_once = PTHREAD_ONCE_INIT;

static int vm_label_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const VmHandlerOp *)a)->label, y = ((const VmHandlerOp *)b)->label;
    return (x > y) - (x < y);
}

static void vm_by_label_init(void)
{
    const void *const *l = vm_labels();
    for (int op = 0; op < XOP_COUNT; op++) vm_by_label[op] = (VmHandlerOp){(uintptr_t)l[op], (XOp)op};
    util_sort(vm_by_label, XOP_COUNT, sizeof *vm_by_label, vm_label_cmp);
}

XOp vm_handler_op(const XlUnit *at)
{
    pthread_once(&vm_by_label_once, vm_by_label_init);
    uintptr_t h;
    memcpy(&h, at, sizeof h);
    size_t lo = 0, hi = XOP_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vm_by_label[mid].label < h) lo = mid + 1;
        else hi = mid;
    }
    return lo < XOP_COUNT && vm_by_label[lo].label == h ? vm_by_label[lo].op : XOP_COUNT;
}
#else
XOp vm_handler_op(const XlUnit *at)
{
    return at[0] < XOP_COUNT ? (XOp)at[0] : XOP_COUNT;
}
#endif

#if VM_GUARD_PAGES && !defined(B8G_NO_COMPUTED_GOTO)
/* Whether op reads or writes linear memory (plain or fused). */
static bool vm_op_accesses_memory(XOp op)
{
    static const char *const names[XOP_COUNT] = {
#define OP(name, pfx, code, imm, p1, p2, p3, r, msz, text) [XOP_##name] = #name,
#include "wasm/opcodes.def"
#undef OP
#define XOP(name) [XOP_##name] = #name,
#include "exec/xops.def"
#undef XOP
    };
    return names[op] && (strstr(names[op], "LOAD") || strstr(names[op], "STORE"));
}

/* The op whose handler holds host address ip: the one with the nearest
 * label at or below it (XOP_COUNT if none). */
static XOp vm_op_at_ip(const void *const *labels, uintptr_t ip)
{
    XOp best = XOP_COUNT;
    uintptr_t at = 0;
    for (int op = 0; op < XOP_COUNT; op++) {
        uintptr_t l = (uintptr_t)labels[op];
        if (l && l <= ip && l >= at) {
            at = l;
            best = (XOp)op;
        }
    }
    return best;
}

static bool vm_handler_is(const XlUnit *at, const void *label)
{
    const void *h;
    memcpy(&h, at, sizeof h);
    return h == label;
}

/* Whether the instruction at unit i of x touches memory (and, if op is
 * known, is that op). */
static bool vm_memory_insn_at(const XlFunc *x, uint32_t i, const void *const *labels, XOp op)
{
    if (op != XOP_COUNT) return vm_op_accesses_memory(op) && vm_handler_is(x->code + i, labels[op]);
    for (int o = 0; o < XOP_COUNT; o++)
        if (vm_op_accesses_memory((XOp)o) && vm_handler_is(x->code + i, labels[o])) return true;
    return false;
}

/*
 * A guard-page fault loses the interpreter's pc, but the handler saved the
 * registers, and the loop keeps pc - or, once a handler has advanced it,
 * the next instruction's - in one of them.  A register pointing into the
 * faulting function's code names the instruction there or the trapping
 * one just before it (the pc map lists every instruction that can trap);
 * of those, the ones that touch memory are candidates.  If they disagree,
 * the one whose handler holds the host instruction that faulted (the
 * nearest label below it - a guess, as a compiler may lay handlers out in
 * any order) decides.  Sets the frame's pc; false when none fits or it
 * stays ambiguous.
 */
#define VM_FAULT_CANDIDATES 8

static bool vm_fault_pc(Thread *th, const GuardScope *gs)
{
    Frame *f = th->cur;
    if (f <= th->frames || !f->fn->code) return false;
    const XlFunc *x = f->fn->code;
    const void *const *labels = vm_labels();
    uintptr_t lo = (uintptr_t)x->code, hi = (uintptr_t)(x->code + x->nunits);
    uint32_t cand[VM_FAULT_CANDIDATES], n = 0;
    for (uint32_t r = 0; r < gs->nregs; r++) {
        uintptr_t v = gs->regs[r];
        if (v < lo || v > hi || (v - lo) % sizeof(XlUnit)) continue;
        uint32_t i = (uint32_t)((v - lo) / sizeof(XlUnit));
        uint32_t k = 0, end = x->nmap; /* first map entry at or after i */
        while (k < end) {
            uint32_t mid = k + (end - k) / 2;
            if (x->map[mid].pc < i) k = mid + 1;
            else end = mid;
        }
        uint32_t near[2], nn = 0;
        if (k < x->nmap && x->map[k].pc == i) near[nn++] = i;
        if (k > 0) near[nn++] = x->map[k - 1].pc;
        for (uint32_t c = 0; c < nn; c++) {
            if (!vm_memory_insn_at(x, near[c], labels, XOP_COUNT)) continue;
            bool known = false;
            for (uint32_t j = 0; j < n; j++) known |= cand[j] == near[c];
            if (!known && n < VM_FAULT_CANDIDATES) cand[n++] = near[c];
        }
    }
    uint32_t found = n == 1 ? cand[0] : UINT32_MAX;
    if (n > 1) {
        XOp op = vm_op_at_ip(labels, gs->ip);
        for (uint32_t j = 0; op != XOP_COUNT && j < n; j++) {
            if (!vm_memory_insn_at(x, cand[j], labels, op)) continue;
            if (found != UINT32_MAX) return false;
            found = cand[j];
        }
    }
    if (found == UINT32_MAX) return false;
    f->pc = x->code + found;
    return true;
}
#endif

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
        vm_budget_fold(th);
#ifndef B8G_NO_COMPUTED_GOTO
        if (vm_fault_pc(th, &gs)) return vm_trap(th, B8G_TRAP_MEM_OOB, VM_PC_EXACT, err);
#endif
        return vm_trap(th, B8G_TRAP_MEM_OOB, VM_PC_UNKNOWN, err);
    }
#endif
    guard_current = &gs;
    vm_budget_fold(th); /* a nested run: the outer chunk goes back first */
    vm_budget_take(th);
    b8g_status st = vm_loop(th, base, &gs, err, NULL);
    guard_current = gs.prev;
    vm_budget_fold(th);
    return st;
}
