/*
 * frame.h - the engine-managed stack: Thread and Frame.
 *
 * A Thread owns one allocation of `stack_bytes`, split in two stacks that
 * grow upwards:
 *
 *   frames[1 .. cur]       one Frame per active wasm function, outermost
 *                          first; `cur` points at the innermost, and at
 *                          the unused sentinel frames[0] when none runs
 *   stack[...]             the value stack of 64-bit slots (i32 zero-
 *                          extended, f32/f64 as bits, refs as pointers)
 *
 * Each frame's slots on the value stack:
 *
 *      fp -> | param 0 .. param n-1 | local 0 .. local m-1 | operands ... |
 *
 * fp points at param 0; params, then the declared locals (zeroed on entry),
 * then the operand stack, which never grows beyond XlFunc.max_height slots,
 * so a call needs fp + XlFunc.frame_slots <= stack_end.  A call passes its
 * arguments in place: the caller's top nparams operands become the callee's
 * params, and on return the results are moved down to fp[0..nresults),
 * where the caller finds them in the slots its arguments occupied.
 *
 * Frame.pc is "where this frame continues": for every frame below the
 * innermost, the unit after its call instruction (the return point); for
 * the innermost, only meaningful while the thread is suspended, where it is
 * the safe-point instruction itself (re-executed on resume).  Its index in
 * the function's code is pc - fn->code->code, and the offset of the wasm
 * instruction is xl_code_offset(code, index) (index - 1 for return points).
 *
 * Runs: vm_call and vm_resume each start one run of the dispatch loop; a
 * host function may call vm_call again, which starts a nested run on top of
 * the same stacks (above the host's argument slots, `sp`), and ends it with
 * the stacks as it found them.  Only the outermost run (depth 1) may
 * suspend.
 *
 * A suspended Thread holds exactly:
 *   - frames[1 .. cur]: fn (FuncInst: instance + function index), pc (the
 *     safe-point instruction for cur, return points below), fp;
 *   - the value stack [stack, sp): every frame's params, locals and
 *     operands, nothing above sp matters;
 *   - fuel and the `unlimited` flag (budget is 0: a run folds its unused
 *     chunk back into fuel whenever it leaves the loop).
 * Pointers convert to position-independent form trivially: fp - stack,
 * sp - stack, pc - fn->code->code, and fn as (instance, fn->idx).  The
 * result types of the call are those of frames[1].fn.
 */
#ifndef B8G_EXEC_FRAME_H
#define B8G_EXEC_FRAME_H

#include <stdatomic.h>

#include "exec/xl.h"

typedef struct Frame {
    const FuncInst *fn;  /* wasm function running here (never a host one) */
    const XlUnit *pc;    /* where it continues (see above) */
    uint64_t *fp;        /* param 0 */
} Frame;

struct Thread {
    uint64_t *stack;      /* value stack */
    uint64_t *stack_end;
    Frame *frames;        /* frame stack */
    Frame *frames_end;
    Frame *cur;           /* innermost frame; frames (sentinel) when none */
    uint64_t *sp;         /* first free slot, kept while no run is in the
                             loop (idle, suspended, inside a host call) */
    int64_t fuel;         /* safe points left, less the budget below */
    int64_t budget;       /* safe points left in the running chunk: taken
                             from fuel by a run, given back when it leaves
                             the loop (0 outside runs) */
    bool unlimited;       /* fuel is refilled instead of running out */
    bool suspended;       /* the outermost run stopped at a safe point */
    uint32_t depth;       /* runs in progress (nested through host calls) */
    int64_t chunk;        /* safe points a run takes from fuel at a time:
                             VM_CHUNK, fewer while profiled */
    int64_t taken;        /* the running chunk's size when it was taken */
    struct Profiler *prof; /* counts what runs here, or NULL (prof/) */
    atomic_int interrupt; /* set by vm_interrupt, cleared when seen */
    atomic_int cancelled; /* vm_cancel: every later call is interrupted too */
    void *region;         /* the allocation holding both stacks */
};

/* Safe points per chunk of fuel (interp.c): the interrupt flag and the
 * profiler are looked at once per chunk. */
#define VM_CHUNK 1024

/* Runs th from its innermost frame until `base` returns (B8G_OK, results
 * at base->fp), a trap (err filled, frames left for the caller to drop) or
 * a suspension (state kept as described above).  interp.c. */
b8g_status vm_run(Thread *th, Frame *base, b8g_error *err);

/* What the innermost frame's pc means when a backtrace is taken. */
typedef enum VmTopPc {
    VM_PC_EXACT,   /* the trapping instruction itself */
    VM_PC_RETURN,  /* a return point (the frame is inside a host call) */
    VM_PC_UNKNOWN, /* lost (memory fault caught by the guard handler) */
} VmTopPc;

/* Backtrace of th's frames into err, innermost first (trap.c). */
void vm_backtrace(const Thread *th, b8g_error *err, VmTopPc top);
/* Fills err for a trap of `kind` with th's backtrace; returns B8G_TRAP. */
b8g_status vm_trap(const Thread *th, b8g_trap_kind kind, VmTopPc top,
                   b8g_error *err);
/* Stops at a safe point: a suspension at depth 1, else a trap (trap.c). */
b8g_status vm_stop(const Thread *th, b8g_trap_kind kind, b8g_error *err);
/* A debug stop before the instruction at module offset `offset` of th's
 * innermost frame, or at the trap `trap` it raised (else NONE): calls its
 * store's debugger (api/debugger.c); returns NONE to go on, or the trap
 * that ends the call. */
b8g_trap_kind vm_debug_stop(Thread *th, uint64_t offset, b8g_trap_kind trap);
/* Calls a host function with its arguments in args; any failure becomes a
 * B8G_TRAP whose kind is HOST unless the host chose one (hostcall.c). */
b8g_status vm_host_call(const FuncInst *fn, b8g_instance *caller,
                        uint64_t *args, b8g_error *err);

#endif
