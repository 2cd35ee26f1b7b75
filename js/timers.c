/*
 * js/timers.c - timers on a virtual clock, queueMicrotask, unhandled
 * rejections, and the loop that runs them after the script.
 *
 * The clock is virtual: nothing ever sleeps.  When the script and every
 * promise job it queued are done, the clock jumps to the earliest timer,
 * which runs, then the jobs it queued, and so on until no timer is left.
 * Timers run in order of due time, then of scheduling (a setInterval
 * rescheduled after it runs counts as scheduled then), which is the order
 * node runs them in whenever that order does not depend on real time.
 * Delays are node's: a delay that is not a number in [1, 2^31 - 1] is 1.
 * Date.now() stays the real clock.
 *
 * A rejection without a handler is remembered until a handler is added;
 * whatever is still unhandled once the jobs of the script or of a timer
 * have all run is fatal, as in node.
 */
#include "driver.h"

#include <stdint.h>
#include <stdlib.h>

#define TIMEOUT_MAX 2147483647.0 /* node's: larger delays become 1 */

typedef struct Timer {
    int64_t id;      /* what setTimeout/setInterval returned */
    double when;     /* due time on the virtual clock, ms */
    uint64_t seq;    /* scheduling order, breaks ties of `when` */
    double interval; /* ms between runs for setInterval, < 0 for setTimeout */
    JSValue func;
    int argc;
    JSValue *argv;
} Timer;

typedef struct Rejection {
    JSValue promise;
    JSValue reason;
} Rejection;

static Timer *timers;
static size_t n_timers, cap_timers;
static int64_t last_id;
static uint64_t last_seq;
static double now_ms;
/* The timer being run (taken off the list while it runs) and whether its
 * callback cleared it, which stops an interval. */
static int64_t running_id;
static bool running_cleared;

static Rejection *rejections;
static size_t n_rejections, cap_rejections;

/* Grows *arr (of elem bytes each) so that one more fits; false if out of
 * memory. */
static bool reserve(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t want = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, want * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = want;
    return true;
}

static void free_timer(Timer *t)
{
    JS_FreeValue(js_ctx, t->func);
    for (int i = 0; i < t->argc; i++)
        JS_FreeValue(js_ctx, t->argv[i]);
    free(t->argv);
}

static bool push_timer(const Timer *t)
{
    if (!reserve((void **)&timers, &cap_timers, n_timers, sizeof *timers))
        return false;
    timers[n_timers++] = *t;
    return true;
}

/* Takes the earliest timer off the list; false if there is none.  A scan:
 * scripts keep few timers pending at once. */
static bool pop_timer(Timer *out)
{
    if (n_timers == 0)
        return false;
    size_t best = 0;
    for (size_t i = 1; i < n_timers; i++)
        if (timers[i].when < timers[best].when ||
            (timers[i].when == timers[best].when && timers[i].seq < timers[best].seq))
            best = i;
    *out = timers[best];
    timers[best] = timers[--n_timers];
    return true;
}

/* setTimeout(fn, delay, ...args) and setInterval (magic 1). */
static JSValue js_set_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                            int magic)
{
    (void)this_val;
    if (argc < 1 || !JS_IsFunction(ctx, argv[0]))
        return JS_ThrowTypeError(ctx, "The \"callback\" argument must be of type function");
    double delay = 1;
    if (argc > 1 && JS_ToFloat64(ctx, &delay, argv[1]))
        return JS_EXCEPTION;
    if (!(delay >= 1 && delay <= TIMEOUT_MAX))
        delay = 1;
    Timer t = {
        .id = ++last_id,
        .when = now_ms + delay,
        .seq = ++last_seq,
        .interval = magic ? delay : -1,
        .func = JS_DupValue(ctx, argv[0]),
        .argc = argc > 2 ? argc - 2 : 0,
    };
    if (t.argc) {
        t.argv = malloc(sizeof *t.argv * (size_t)t.argc);
        if (!t.argv) {
            JS_FreeValue(ctx, t.func);
            return JS_ThrowOutOfMemory(ctx);
        }
        for (int i = 0; i < t.argc; i++)
            t.argv[i] = JS_DupValue(ctx, argv[i + 2]);
    }
    if (!push_timer(&t)) {
        free_timer(&t);
        return JS_ThrowOutOfMemory(ctx);
    }
    return JS_NewInt64(ctx, t.id);
}

/* clearTimeout(id) and clearInterval(id): either clears either kind, and
 * anything that is not a pending timer's id is ignored, as in node. */
static JSValue js_clear_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsNumber(argv[0]))
        return JS_UNDEFINED;
    double d;
    if (JS_ToFloat64(ctx, &d, argv[0]))
        return JS_EXCEPTION;
    int64_t id = (int64_t)d;
    if ((double)id != d)
        return JS_UNDEFINED;
    if (id == running_id)
        running_cleared = true;
    for (size_t i = 0; i < n_timers; i++)
        if (timers[i].id == id) {
            free_timer(&timers[i]);
            timers[i] = timers[--n_timers];
            break;
        }
    return JS_UNDEFINED;
}

static JSValue call_job(JSContext *ctx, int argc, JSValueConst *argv)
{
    (void)argc;
    return JS_Call(ctx, argv[0], JS_UNDEFINED, 0, NULL);
}

static JSValue js_queue_microtask(JSContext *ctx, JSValueConst this_val, int argc,
                                  JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsFunction(ctx, argv[0]))
        return JS_ThrowTypeError(ctx, "The \"callback\" argument must be of type function");
    if (JS_EnqueueJob(ctx, call_job, 1, argv) < 0)
        return JS_EXCEPTION;
    return JS_UNDEFINED;
}

static const JSCFunctionListEntry timer_funcs[] = {
    JS_CFUNC_MAGIC_DEF("setTimeout", 2, js_set_timer, 0),
    JS_CFUNC_MAGIC_DEF("setInterval", 2, js_set_timer, 1),
    JS_CFUNC_DEF("clearTimeout", 1, js_clear_timer),
    JS_CFUNC_DEF("clearInterval", 1, js_clear_timer),
    JS_CFUNC_DEF("queueMicrotask", 1, js_queue_microtask),
};

int js_timers_install(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyFunctionList(ctx, global, timer_funcs,
                               (int)(sizeof timer_funcs / sizeof *timer_funcs));
    JS_FreeValue(ctx, global);
    return 0;
}

void js_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                        JS_BOOL is_handled, void *opaque)
{
    (void)opaque;
    if (is_handled) {
        for (size_t i = 0; i < n_rejections; i++)
            if (JS_VALUE_GET_PTR(rejections[i].promise) == JS_VALUE_GET_PTR(promise)) {
                JS_FreeValue(ctx, rejections[i].promise);
                JS_FreeValue(ctx, rejections[i].reason);
                /* keep the order: the first one left is the one reported */
                for (size_t j = i + 1; j < n_rejections; j++)
                    rejections[j - 1] = rejections[j];
                n_rejections--;
                return;
            }
        return;
    }
    if (!reserve((void **)&rejections, &cap_rejections, n_rejections, sizeof *rejections))
        return; /* out of memory: the rejection goes unreported */
    rejections[n_rejections++] = (Rejection){JS_DupValue(ctx, promise), JS_DupValue(ctx, reason)};
}

/* Runs every pending promise job and microtask; false if one threw. */
static bool drain_jobs(void)
{
    for (;;) {
        JSContext *ctx;
        int r = JS_ExecutePendingJob(js_rt, &ctx);
        if (r == 0)
            return true;
        if (r < 0) {
            JSValue exc = JS_GetException(ctx);
            js_report(exc, "Uncaught ");
            JS_FreeValue(ctx, exc);
            return false;
        }
    }
}

/* Runs T (taken off the list) and reschedules it if it is an interval
 * still wanted; false if it threw. */
static bool run_timer(Timer *t)
{
    now_ms = t->when;
    running_id = t->id;
    running_cleared = false;
    JSValue r = JS_Call(js_ctx, t->func, JS_UNDEFINED, t->argc, (JSValueConst *)t->argv);
    running_id = 0;
    if (JS_IsException(r)) {
        free_timer(t);
        JSValue exc = JS_GetException(js_ctx);
        js_report(exc, "Uncaught ");
        JS_FreeValue(js_ctx, exc);
        return false;
    }
    JS_FreeValue(js_ctx, r);
    if (t->interval < 0 || running_cleared) {
        free_timer(t);
        return true;
    }
    t->when = now_ms + t->interval;
    t->seq = ++last_seq;
    if (!push_timer(t)) {
        free_timer(t);
        JS_ThrowOutOfMemory(js_ctx);
        JSValue exc = JS_GetException(js_ctx);
        js_report(exc, "Uncaught ");
        JS_FreeValue(js_ctx, exc);
        return false;
    }
    return true;
}

bool js_run_loop(void)
{
    for (;;) {
        if (!drain_jobs())
            return false;
        if (n_rejections > 0) {
            js_report(rejections[0].reason, "Uncaught (in promise) ");
            return false;
        }
        Timer t;
        if (!pop_timer(&t))
            return true;
        if (!run_timer(&t))
            return false;
    }
}
