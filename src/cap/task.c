/*
 * task.c - modules as objects, and tasks: component instances started by
 * another component, each on a thread of its own (object.h).
 *
 * A task is two objects.  CapTask is what handles point at; TaskRun is
 * the running part, shared by the CapTask and the thread running it, and
 * freed when both are done with it.  When the last handle goes, CapTask's
 * destroy cancels the run, so a task never outlives every holder of its
 * handle: cancelling cancels the task's store (b8g_store_cancel, sticky,
 * so no later call escapes it), which stops running wasm at its next safe
 * point and a blocked ABI call within a wait slice; the thread then frees
 * the store and with it every handle the task held.
 *
 * Threads come from a small pool: an idle one is reused, a new one is
 * started up to CAP_TASK_MAX_THREADS, and beyond that spawning fails
 * rather than queueing (a queued task could wait for ever on one that
 * waits for it).  Idle threads end after POOL_IDLE_SECONDS.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cap/abi.h"
#include "util/err.h"

#define POOL_IDLE_SECONDS 10

/* ---- modules -------------------------------------------------------------- */

void api_module_ref(b8g_module *m); /* api/module.c */

static void module_destroy(CapObject *o)
{
    CapModule *m = (CapModule *)o;
    b8g_module_free(m->module);
    free(m);
    cap_object_destroyed(CAP_KIND_MODULE);
}

CapErr cap_module_new(b8g_module *mod, CapModule **out)
{
    CapModule *m = calloc(1, sizeof *m);
    if (!m) return CAP_ENOMEM;
    atomic_init(&m->base.refs, 1);
    m->base.kind = CAP_KIND_MODULE;
    m->base.destroy = module_destroy;
    api_module_ref(mod);
    m->module = mod;
    cap_object_created(CAP_KIND_MODULE);
    *out = m;
    return CAP_OK;
}

/* ---- the run --------------------------------------------------------------- */

typedef struct TaskRun {
    atomic_uint refs;          /* the CapTask and the thread */
    pthread_mutex_t lock;      /* guards store, cancelled, state, value */
    CapSignals sig;
    b8g_module *module;
    char entry[CAP_TASK_ENTRY_MAX + 1];
    CapMsgHandle handles[CAP_MSG_MAX_HANDLES];
    uint32_t nhandles;
    b8g_config cfg;
    b8g_store *store;          /* while it exists */
    b8g_wasi *wasi;            /* freed after the store */
    bool cancelled;
    CapTaskState state;
    int32_t value;
    b8g_error why;             /* how a TRAPPED or FAILED task ended */
} TaskRun;

struct CapTask {
    CapObject base;
    TaskRun *run;
};

static atomic_uint running;

uint32_t cap_tasks_running(void)
{
    return atomic_load(&running);
}

static void run_unref(TaskRun *r)
{
    if (atomic_fetch_sub(&r->refs, 1) != 1) return;
    for (uint32_t i = 0; i < r->nhandles; i++) cap_unref(r->handles[i].obj);
    b8g_module_free(r->module);
    cap_signals_destroy(&r->sig);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static void finish(TaskRun *r, CapTaskState state, int32_t value)
{
    pthread_mutex_lock(&r->lock);
    if (r->cancelled && state != CAP_TASK_RETURNED) state = CAP_TASK_CANCELLED;
    r->state = state;
    r->value = value;
    pthread_mutex_unlock(&r->lock);
    cap_signals_update(&r->sig, 0, CAP_SIGNAL_SIGNALED);
}

/* Grants the run's handles to inst as the entry point's arguments, each
 * with the rights it was moved with (WASI ones included). */
static b8g_status grant_args(TaskRun *r, b8g_instance *inst, b8g_val *args, b8g_error *err)
{
    for (uint32_t i = 0; i < r->nhandles; i++) {
        uint32_t h;
        b8g_status st = abi_grant(inst, &r->handles[i], &h, err);
        if (st) return st;
        args[i] = (b8g_val){.type = B8G_I32, .of.i32 = (int32_t)h};
    }
    /* The instance's table holds them now; the run lets go. */
    for (uint32_t i = 0; i < r->nhandles; i++) cap_unref(r->handles[i].obj);
    r->nhandles = 0;
    return B8G_OK;
}

static b8g_status start(TaskRun *r, b8g_store *s, b8g_instance **inst, b8g_val *args,
                        uint32_t *nresults, b8g_error *err)
{
    b8g_wasi_config wc = {.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
    uint32_t nargs = r->nhandles;
    b8g_status st = b8g_caps_register(s, err);
    /* A WASI context with nothing in it: wasi-libc programs link, and
     * reach nothing through it. */
    if (!st) st = b8g_wasi_new(s, &wc, &r->wasi, err);
    if (!st) st = b8g_instantiate(s, r->module, inst, err);
    if (!st) st = grant_args(r, *inst, args, err);
    uint32_t np = 0, nr = 0;
    const b8g_valtype *pt = NULL, *rt = NULL;
    if (!st && b8g_export_func(*inst, r->entry, &np, &pt, &nr, &rt))
        st = err_set(err, B8G_LINK, B8G_NO_OFFSET, "the task's entry point is not exported");
    bool fits = np == nargs && nr <= 1 && (nr == 0 || rt[0] == B8G_I32);
    for (uint32_t i = 0; fits && i < np; i++) fits = pt[i] == B8G_I32;
    if (!st && !fits)
        st = err_set(err, B8G_LINK, B8G_NO_OFFSET, "the task's entry point has the wrong type");
    *nresults = nr;
    return st;
}

/* How a call that did not return ended. */
static void finish_failed(TaskRun *r, b8g_status st, const b8g_error *err)
{
    /* Read only once SIGNALED is seen, which finish() publishes under the
     * lock after this; the frames' names are the module's, which the run
     * holds as long as the task object. */
    pthread_mutex_lock(&r->lock);
    r->why = *err;
    /* Nobody can resume it: a limit that suspended it ended it. */
    if (st == B8G_SUSPENDED) r->why.code = B8G_LIMIT;
    pthread_mutex_unlock(&r->lock);
    /* A task is not resumed: running out of fuel or being interrupted
     * (a suspension, for a top-level call) ends it like a trap. */
    if (st == B8G_TRAP || st == B8G_SUSPENDED)
        finish(r, CAP_TASK_TRAPPED,
               err->trap != B8G_TRAP_NONE ? (int32_t)err->trap : (int32_t)B8G_TRAP_INTERRUPTED);
    else
        finish(r, CAP_TASK_FAILED, (int32_t)st);
}

static void *task_main(void *arg)
{
    TaskRun *r = arg;
    b8g_store *s = b8g_store_new(&r->cfg);
    if (!s) {
        finish(r, CAP_TASK_FAILED, B8G_NOMEM);
        return NULL;
    }
    pthread_mutex_lock(&r->lock);
    r->store = s;
    if (r->cancelled) b8g_store_cancel(s);
    pthread_mutex_unlock(&r->lock);
    uint32_t nargs = r->nhandles, nres = 0;
    b8g_instance *inst = NULL;
    b8g_val args[CAP_MSG_MAX_HANDLES], res = {0};
    b8g_error err;
    b8g_status st = start(r, s, &inst, args, &nres, &err);
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    if (!st && b8g_export_func(inst, "_initialize", &np, &pt, &nr, &rt) == B8G_OK)
        st = b8g_call(inst, "_initialize", NULL, 0, NULL, 0, &err);
    if (!st) st = b8g_call(inst, r->entry, args, nargs, &res, nres, &err);
    if (st == B8G_SUSPENDED) b8g_abort(s);
    if (st) finish_failed(r, st, &err);
    else finish(r, CAP_TASK_RETURNED, nres ? res.of.i32 : 0);
    pthread_mutex_lock(&r->lock);
    r->store = NULL;
    pthread_mutex_unlock(&r->lock);
    b8g_store_free(s); /* every handle the task held goes here */
    b8g_wasi_free(r->wasi);
    r->wasi = NULL;
    return NULL;
}

/* ---- the pool ---------------------------------------------------------------- */

typedef struct Pool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    TaskRun *next;      /* handed to one idle thread */
    uint32_t threads, idle;
} Pool;

static Pool pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0};

static void run_task(TaskRun *r)
{
    task_main(r);
    run_unref(r);
    atomic_fetch_sub(&running, 1);
}

static void *pool_thread(void *arg)
{
    run_task(arg);
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        pool.idle++;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += POOL_IDLE_SECONDS;
        int rc = 0;
        while (!pool.next && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&pool.work, &pool.lock, &until);
        pool.idle--;
        if (!pool.next) break;
        TaskRun *r = pool.next;
        pool.next = NULL;
        pthread_mutex_unlock(&pool.lock);
        run_task(r);
        pthread_mutex_lock(&pool.lock);
    }
    pool.threads--;
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

/* Hands r to an idle thread or a new one; false when at the cap. */
static bool pool_submit(TaskRun *r)
{
    pthread_mutex_lock(&pool.lock);
    bool ok = true;
    if (pool.idle > 0 && !pool.next) {
        pool.next = r;
        pthread_cond_signal(&pool.work);
    } else if (pool.threads < CAP_TASK_MAX_THREADS) {
        pthread_attr_t attr;
        pthread_t th;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&th, &attr, pool_thread, r) == 0;
        pthread_attr_destroy(&attr);
        if (ok) pool.threads++;
    } else {
        ok = false;
    }
    pthread_mutex_unlock(&pool.lock);
    return ok;
}

/* ---- the task object ------------------------------------------------------------ */

static void task_destroy(CapObject *o)
{
    CapTask *t = (CapTask *)o;
    cap_task_cancel(t);
    run_unref(t->run);
    free(t);
    cap_object_destroyed(CAP_KIND_TASK);
}

CapErr cap_task_spawn(CapModule *m, const char *entry, size_t entry_len,
                      const CapMsgHandle *handles, uint32_t nhandles, const b8g_config *cfg,
                      CapTask **out)
{
    if (entry_len == 0 || entry_len > CAP_TASK_ENTRY_MAX || memchr(entry, 0, entry_len) ||
        nhandles > CAP_MSG_MAX_HANDLES)
        return CAP_EINVAL;
    if (atomic_fetch_add(&running, 1) >= CAP_TASK_MAX_THREADS) {
        atomic_fetch_sub(&running, 1);
        return CAP_ELIMIT;
    }
    TaskRun *r = calloc(1, sizeof *r);
    CapTask *t = calloc(1, sizeof *t);
    if (!r || !t) {
        free(r);
        free(t);
        atomic_fetch_sub(&running, 1);
        return CAP_ENOMEM;
    }
    atomic_init(&r->refs, 2); /* the task object and the thread */
    pthread_mutex_init(&r->lock, NULL);
    cap_signals_init(&r->sig, 0);
    api_module_ref(m->module);
    r->module = m->module;
    memcpy(r->entry, entry, entry_len);
    memcpy(r->handles, handles, nhandles * sizeof *handles);
    r->nhandles = nhandles;
    r->cfg = *cfg;
    atomic_init(&t->base.refs, 1);
    t->base.kind = CAP_KIND_TASK;
    t->base.destroy = task_destroy;
    t->run = r;
    if (!pool_submit(r)) {
        r->nhandles = 0; /* they stay the caller's */
        atomic_store(&r->refs, 1);
        run_unref(r);
        free(t);
        atomic_fetch_sub(&running, 1);
        return CAP_ELIMIT;
    }
    cap_object_created(CAP_KIND_TASK);
    *out = t;
    return CAP_OK;
}

void cap_task_error(CapTask *t, b8g_error *out)
{
    TaskRun *r = t->run;
    pthread_mutex_lock(&r->lock);
    *out = r->why;
    pthread_mutex_unlock(&r->lock);
}

void cap_task_cancel(CapTask *t)
{
    TaskRun *r = t->run;
    pthread_mutex_lock(&r->lock);
    r->cancelled = true;
    if (r->store) b8g_store_cancel(r->store);
    pthread_mutex_unlock(&r->lock);
}

CapTaskState cap_task_result(CapTask *t, int32_t *value)
{
    TaskRun *r = t->run;
    pthread_mutex_lock(&r->lock);
    CapTaskState s = r->state;
    *value = r->value;
    pthread_mutex_unlock(&r->lock);
    return s;
}

CapSignals *cap_task_signals(CapTask *t)
{
    return &t->run->sig;
}
