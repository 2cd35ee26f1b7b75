/*
 * thread.c - the engine-managed stack and the ways into it: vm_call,
 * vm_resume, vm_abort, fuel and interrupts (layout: frame.h).
 */
#include <stdlib.h>
#include <string.h>

#include "exec/frame.h"
#include "rt/guard.h"
#include "util/err.h"

#define VM_DEFAULT_STACK ((size_t)8 << 20)
#define VM_MIN_STACK B8G_MIN_STACK_BYTES
#define VM_MAX_STACK ((size_t)1 << 30)

/*
 * Nested runs (host function -> vm_call -> ... ) each cost a few KiB of the
 * *host's* C stack (vm_run's jump buffer, the host function's frame), which
 * the engine stack's bound does not cover: a guest bouncing through a
 * callback import would otherwise overflow the C stack.  64 levels of
 * host-guest-host ping-pong is far beyond any real callback pattern.
 */
#define VM_MAX_DEPTH 64

Thread *vm_thread_new(size_t stack_bytes)
{
    if (!stack_bytes) stack_bytes = VM_DEFAULT_STACK;
    if (stack_bytes < VM_MIN_STACK) stack_bytes = VM_MIN_STACK;
    if (stack_bytes > VM_MAX_STACK) return NULL;
    /* Faults in guest memory must become traps before any code runs. */
    guard_install();
    /* An eighth for frames: a wasm frame needs at least one Frame and
     * usually a few slots, so both run out at similar depths. */
    size_t nframes = stack_bytes / 8 / sizeof(Frame);
    size_t nslots = (stack_bytes - nframes * sizeof(Frame)) / sizeof(uint64_t);
    /* A size the embedder chose may simply not fit: report, don't abort. */
    void *region = malloc(nframes * sizeof(Frame) + nslots * sizeof(uint64_t));
    if (!region) return NULL;
    Thread *th = xcalloc(1, sizeof *th);
    th->region = region;
    th->frames = th->region;
    th->frames_end = th->frames + nframes;
    th->stack = (uint64_t *)(void *)th->frames_end;
    th->stack_end = th->stack + nslots;
    th->cur = th->frames;
    th->sp = th->stack;
    th->chunk = VM_CHUNK;
    atomic_init(&th->interrupt, 0);
    atomic_init(&th->cancelled, 0);
    vm_set_fuel(th, UINT64_MAX);
    return th;
}

void vm_thread_free(Thread *th)
{
    if (!th) return;
    free(th->region);
    free(th);
}

/* "Unlimited" is a count no run can reach; the flag only tells the safe
 * point to refill instead of stopping, and vm_fuel to say so. */
void vm_set_fuel(Thread *th, uint64_t fuel)
{
    th->unlimited = fuel >= (uint64_t)INT64_MAX;
    th->fuel = th->unlimited ? INT64_MAX : (int64_t)fuel;
    th->budget = 0;
}

uint64_t vm_fuel(const Thread *th)
{
    if (th->unlimited) return UINT64_MAX;
    return th->fuel > 0 ? (uint64_t)th->fuel : 0;
}

void vm_interrupt(Thread *th)
{
    atomic_store_explicit(&th->interrupt, 1, memory_order_relaxed);
}

void vm_cancel(Thread *th)
{
    atomic_store(&th->cancelled, 1);
    atomic_store(&th->interrupt, 1);
}

bool vm_interrupt_pending(Thread *th)
{
    return atomic_load_explicit(&th->interrupt, memory_order_relaxed) != 0;
}

bool vm_suspended(const Thread *th)
{
    return th->suspended;
}

/* Drops every frame from `base` up, leaving the stacks as before them. */
static void vm_unwind(Thread *th, Frame *base)
{
    th->cur = base - 1;
    th->sp = base->fp;
}

/* One run from `base`; delivers results or unwinds, unless suspended. */
static b8g_status vm_enter(Thread *th, Frame *base, uint64_t *slots, b8g_error *err)
{
    th->depth++;
    b8g_status st = vm_run(th, base, err);
    th->depth--;
    if (st == B8G_SUSPENDED) {
        th->suspended = true;
        return st;
    }
    if (st == B8G_OK)
        memcpy(slots, base->fp, (size_t)base->fn->code->nresults * sizeof *slots);
    vm_unwind(th, base);
    return st;
}

/* A host function called directly by the embedder (or a nested call). */
static b8g_status vm_call_host(Thread *th, FuncInst *f, uint64_t *slots, b8g_error *err)
{
    /* Counted as a run so that whatever the host calls back into cannot
     * suspend under the host's C frame. */
    th->depth++;
    b8g_status st = vm_host_call(f, NULL, slots, err);
    th->depth--;
    if (st && err->nframes == 0) vm_backtrace(th, err, VM_PC_RETURN);
    return st;
}

b8g_status vm_call(Thread *th, FuncInst *f, uint64_t *slots, b8g_error *err)
{
    b8g_error scratch;
    if (!err) err = &scratch;
    if (th->suspended && th->depth == 0)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "a call is suspended: resume or abort it first");
    /* A stale interrupt must not stop a call that started after it; a
     * cancellation stops every call. */
    if (th->depth == 0) atomic_store(&th->interrupt, atomic_load(&th->cancelled));
    if (th->depth >= VM_MAX_DEPTH)
        return vm_trap(th, B8G_TRAP_STACK_EXHAUSTED, VM_PC_RETURN, err);
    if (f->host) return vm_call_host(th, f, slots, err);
    const XlFunc *x = f->code;
    uint64_t *fp = th->sp;
    if (x->frame_slots > (size_t)(th->stack_end - fp) || th->cur + 1 >= th->frames_end)
        return vm_trap(th, B8G_TRAP_STACK_EXHAUSTED, VM_PC_RETURN, err);
    memcpy(fp, slots, (size_t)x->nparams * sizeof *fp);
    memset(fp + x->nparams, 0, (size_t)x->nlocals * sizeof *fp);
    Frame *fr = ++th->cur;
    fr->fn = f;
    fr->fp = fp;
    fr->pc = x->code;
    th->sp = fp + x->nparams + x->nlocals;
    return vm_enter(th, fr, slots, err);
}

b8g_status vm_resume(Thread *th, uint64_t *slots, b8g_error *err)
{
    b8g_error scratch;
    if (!err) err = &scratch;
    if (!th->suspended || th->depth != 0)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "no suspended call to resume");
    th->suspended = false;
    return vm_enter(th, &th->frames[1], slots, err);
}

void vm_abort(Thread *th)
{
    if (!th->suspended || th->depth != 0) return;
    th->suspended = false;
    vm_unwind(th, &th->frames[1]);
}
