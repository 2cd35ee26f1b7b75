/*
 * exec.h - translating validated functions and running them.
 *
 * The translator turns each function body once, at load, into threaded
 * code (XlFunc).  The interpreter runs it on an engine-managed stack
 * (Thread) - wasm calls never recurse in C, so deep guest recursion ends in
 * a clean "call stack exhausted" trap, and a paused call is plain data.
 *
 * Safe points are loop back-edges and calls: there the interpreter checks
 * fuel and the interrupt flag, and may stop with B8G_SUSPENDED leaving the
 * Thread so that vm_resume continues from exactly that instruction.
 */
#ifndef B8G_EXEC_EXEC_H
#define B8G_EXEC_EXEC_H

#include "b8g.h"
#include "rt/instance.h"
#include "wasm/module.h"

typedef struct XlFunc XlFunc;
typedef struct Thread Thread;

/* Translates every defined function of a validated module (fills
 * Func.xl).  Fails only on resource caps (B8G_LIMIT). */
b8g_status xl_translate_module(Module *m, b8g_error *err);
/* Instead: stubs that translate each function on its first call, after
 * validating its body (the module-level rules must have been checked). */
void xl_translate_lazy(Module *m);
/* The translated code of function fidx of m, validating and translating
 * it now if it is lazy and not yet done; NULL with err filled when its
 * body is invalid or too large.  Thread-safe. */
const XlFunc *xl_ensure(Module *m, uint32_t fidx, b8g_error *err);
void xl_free(XlFunc *f);
/* Module byte offset of the instruction at code position `pc_index` of f. */
uint64_t xl_code_offset(const XlFunc *f, uint32_t pc_index);

/* stack_bytes bounds values + frames together (0: default 8 MiB). */
Thread *vm_thread_new(size_t stack_bytes);
void vm_thread_free(Thread *th);
/* Fuel: INT64_MAX-ish means unlimited. */
void vm_set_fuel(Thread *th, uint64_t fuel);
uint64_t vm_fuel(const Thread *th);
void vm_interrupt(Thread *th); /* async-safe, thread-safe */
void vm_cancel(Thread *th);    /* thread-safe; sticky: see b8g_store_cancel */
bool vm_interrupt_pending(Thread *th);

/*
 * Calls f with slots[0..nparams) as arguments; on B8G_OK the results are in
 * slots[0..nresults) (slots must hold max(nparams, nresults)).  On B8G_TRAP
 * err holds kind, message and backtrace and the thread is idle again.  On
 * B8G_SUSPENDED the call is paused; vm_resume(th, slots, err) continues it
 * and delivers results the same way, vm_abort drops it.
 * Re-entrant: a host function may call vm_call again (that inner call
 * cannot suspend; fuel exhaustion there is reported as a trap).
 */
b8g_status vm_call(Thread *th, FuncInst *f, uint64_t *slots, b8g_error *err);
b8g_status vm_resume(Thread *th, uint64_t *slots, b8g_error *err);
void vm_abort(Thread *th);
bool vm_suspended(const Thread *th);

#endif
