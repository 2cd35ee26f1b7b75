/*
 * trace.h - recording one host call for the store's tracer.
 *
 * exec/hostcall.c takes this path only when the store has a tracer:
 * trace_begin copies and decodes the arguments (the call overwrites its
 * slots with results, and may close the fd it names), the host function
 * runs, trace_end decodes its results and outputs and hands the record
 * to the tracer.  The frame lives on the C stack of that one call, so
 * nested calls (a host function calling back into wasm that calls the
 * host again) each have their own; the frame is large, which is why the
 * untraced path never touches one.
 */
#ifndef B8G_TRACE_TRACE_H
#define B8G_TRACE_TRACE_H

#include "rt/instance.h"
#include "trace/describe.h"

/* Room for decoded text: the worst case of two paths (TRACE_PATH_SHOWN
 * bytes each, at most 6 characters per byte escaped) and the other
 * members fits; anything longer is replaced (trace.c). */
#define TRACE_ARGS_CAP 4096
#define TRACE_RET_CAP 2048
/* Parameters and results kept in the frame; more are allocated. */
#define TRACE_SMALL 16

typedef struct TraceFrame {
    b8g_trace_call c;
    b8g_store *store;
    b8g_instance *caller;
    const TraceFunc *def;
    TraceFamily family;
    uint64_t args_small[TRACE_SMALL];
    uint64_t *args;          /* the arguments as given */
    char sig_small[2 * TRACE_SMALL + 2];
    char *sig;
    char args_json[TRACE_ARGS_CAP];
    char ret_json[TRACE_RET_CAP];
    char result[288];        /* "trap: " and a b8g_error message */
} TraceFrame;

void trace_begin(TraceFrame *f, const FuncInst *fn, b8g_instance *caller,
                 const uint64_t *args);
/* st and err as the call ended; slots hold its results when st is OK. */
void trace_end(TraceFrame *f, b8g_status st, const uint64_t *slots, const b8g_error *err);

/* CLOCK_MONOTONIC in ns. */
uint64_t trace_now_ns(void);

#endif
