/*
 * hostcall.c - calling host functions.
 *
 * A host function reads its arguments from the slots and writes its
 * results over them (b8g.h).  Whatever it returns other than B8G_OK ends
 * the call as a trap: its kind is HOST unless the host named one (e.g. a
 * nested call that trapped passes its own error through), and the message
 * is the kind's text unless the host wrote one.
 *
 * Every call from wasm to the host passes here, so this is where a
 * store's tracer sees them (trace/trace.h).  Without one the cost is a
 * single test of the store's tracer pointer; the traced path, with its
 * large frame, is out of line.
 */
#include <stdio.h>

#include "exec/frame.h"
#include "rt/store.h"
#include "trace/trace.h"
#include "util/err.h"

static inline b8g_status host_run(const FuncInst *fn, b8g_hostcall *hc, uint64_t *args,
                                  b8g_error *err)
{
    err_clear(err);
    b8g_status st = fn->host(hc, args, err);
    if (st == B8G_OK) return B8G_OK;
    err->code = B8G_TRAP;
    if (err->trap == B8G_TRAP_NONE || err->trap >= B8G_TRAP_COUNT) err->trap = B8G_TRAP_HOST;
    if (!err->msg[0]) snprintf(err->msg, sizeof err->msg, "%s", b8g_trap_name(err->trap));
    return B8G_TRAP;
}

static B8G_COLD b8g_status host_run_traced(const FuncInst *fn, b8g_hostcall *hc,
                                           uint64_t *args, b8g_error *err)
{
    TraceFrame tf;
    trace_begin(&tf, fn, hc->caller, args);
    b8g_status st = host_run(fn, hc, args, err);
    trace_end(&tf, st, args, err);
    return st;
}

b8g_status vm_host_call(const FuncInst *fn, b8g_instance *caller,
                        uint64_t *args, b8g_error *err)
{
    /* A host function always belongs to a host instance (b8g_host_func). */
    b8g_hostcall hc = {fn->inst->store, caller, fn->user};
    if (B8G_UNLIKELY(hc.store->tracer != NULL)) return host_run_traced(fn, &hc, args, err);
    return host_run(fn, &hc, args, err);
}
