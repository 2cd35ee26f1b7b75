/*
 * trace.c - the record of one traced host call (trace.h), the tracer
 * setting and the record's JSON line (b8g.h, docs/trace.md).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rt/store.h"
#include "trace/trace.h"
#include "util/err.h"

uint64_t trace_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void b8g_store_set_tracer(b8g_store *s, b8g_trace_fn fn, void *arg)
{
    if (!s) return;
    s->tracer = fn;
    s->tracer_arg = fn ? arg : NULL;
    s->trace_epoch_ns = trace_now_ns();
}

/* v128 has no letter: '?' keeps the signature's shape. */
static char letter_or_mark(ValType t)
{
    char c = mod_sig_letter(t);
    return c ? c : '?';
}

/* The signature in b8g_host_func notation, as trace_find matches it. */
static void make_sig(TraceFrame *f, const FuncType *t)
{
    size_t n = (size_t)t->nparams + t->nresults;
    f->sig = n + 2 <= sizeof f->sig_small ? f->sig_small : xmalloc(n + 2);
    char *p = f->sig;
    for (uint32_t i = 0; i < t->nparams; i++) *p++ = letter_or_mark(t->types[i]);
    *p++ = ':';
    for (uint32_t i = 0; i < t->nresults; i++) *p++ = letter_or_mark(t->types[t->nparams + i]);
    *p = 0;
}

/* What the caller's memory and handles are now (memory can grow during
 * a call, and handles come and go). */
static TraceView caller_view(b8g_instance *caller)
{
    TraceView v = {NULL, 0, NULL};
    if (!caller) return v;
    if (caller->mem0) {
        v.base = caller->mem0->base;
        v.size = caller->mem0->size;
    }
    v.handles = &caller->handles;
    return v;
}

/* Text that did not fit is dropped whole: half an object is not JSON. */
static const char *fitted(const TraceBuf *b)
{
    return tb_fits(b) ? b->p : "{\"truncated\":true}";
}

void trace_begin(TraceFrame *f, const FuncInst *fn, b8g_instance *caller,
                 const uint64_t *args)
{
    const FuncType *t = fn->type;
    const b8g_instance *host = fn->inst;
    f->store = host->store;
    f->caller = caller;
    make_sig(f, t);
    f->args = t->nparams <= TRACE_SMALL ? f->args_small
                                        : xmalloc((size_t)t->nparams * sizeof *f->args);
    if (t->nparams) memcpy(f->args, args, (size_t)t->nparams * sizeof *f->args);
    const char *module = host->host_module ? host->host_module : "";
    const char *name = fn->host_name ? fn->host_name : "";
    f->def = trace_find(module, name, f->sig, &f->family);

    TraceView v = caller_view(caller);
    TraceBuf b = tb_init(f->args_json, sizeof f->args_json);
    trace_describe_args(f->def, f->sig, &v, f->args, &b);

    f->c = (b8g_trace_call){
        .epoch_ns = f->store->trace_epoch_ns,
        .instance = b8g_instance_id(caller),
        .module = module,
        .name = name,
        .sig = f->sig,
        .nargs = t->nparams,
        .nresults = t->nresults,
        .args = f->args,
        .args_json = fitted(&b),
    };
    /* Last, so decoding is not counted as the call's time. */
    f->c.start_ns = trace_now_ns();
}

void trace_end(TraceFrame *f, b8g_status st, const uint64_t *slots, const b8g_error *err)
{
    f->c.end_ns = trace_now_ns();
    TraceView v = caller_view(f->caller);
    TraceOutcome o = {st, err, slots};
    TraceBuf b = tb_init(f->ret_json, sizeof f->ret_json);
    f->c.failed = trace_describe_result(f->def, f->family, f->sig, &v, f->args, &o,
                                        f->result, sizeof f->result, &b);
    f->c.status = st;
    f->c.error = st ? err : NULL;
    f->c.results = st ? NULL : slots;
    f->c.result = f->result;
    f->c.ret_json = fitted(&b);
    /* The tracer as it is now: one that was turned off during the call
     * (its argument may be gone) is not called. */
    b8g_store *s = f->store;
    if (s->tracer) s->tracer(s->tracer_arg, &f->c);
    if (f->args != f->args_small) free(f->args);
    if (f->sig != f->sig_small) free(f->sig);
}

/* ---- the JSON line --------------------------------------------------- */

size_t b8g_trace_json(const b8g_trace_call *c, char *buf, size_t cap)
{
    TraceBuf b = tb_init(buf, cap);
    const char *module = c->module ? c->module : "";
    const char *name = c->name ? c->name : "";
    uint64_t t = c->start_ns >= c->epoch_ns ? c->start_ns - c->epoch_ns : 0;
    uint64_t dur = c->end_ns >= c->start_ns ? c->end_ns - c->start_ns : 0;
    tb_printf(&b, "{\"t\":%llu,\"inst\":%llu,\"fn\":\"", (unsigned long long)t,
              (unsigned long long)c->instance);
    if (module[0]) {
        tb_escape(&b, (const uint8_t *)module, strlen(module));
        tb_puts(&b, ".");
    }
    tb_escape(&b, (const uint8_t *)name, strlen(name));
    /* args_json and ret_json are the engine's own JSON; the result text
     * may carry a host's message, so it is escaped. */
    tb_puts(&b, "\",\"args\":");
    tb_puts(&b, c->args_json ? c->args_json : "{}");
    tb_puts(&b, ",\"result\":");
    tb_cstr(&b, c->result ? c->result : "ok");
    tb_puts(&b, ",\"ret\":");
    tb_puts(&b, c->ret_json ? c->ret_json : "{}");
    tb_printf(&b, ",\"dur_ns\":%llu}", (unsigned long long)dur);
    return b.len;
}
