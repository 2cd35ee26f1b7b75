/*
 * tasks.c - the host's side of running components: waiting on objects,
 * starting and stopping tasks, and the canonical entry
 * b8g_main(shared, private, callback) (include/b8g.h).
 *
 * A host that starts a component as a task stays free: the task runs on
 * the process's task threads, and the host blocks only where it chooses,
 * in b8g_wait, on the callback channel and the task object together.
 */
#include <stdio.h>
#include <string.h>

#include "cap/abi.h"
#include "util/err.h"

/* The signal bits of the API are the kernel's own. */
_Static_assert(B8G_SIGNAL_READABLE == CAP_SIGNAL_READABLE &&
                   B8G_SIGNAL_WRITABLE == CAP_SIGNAL_WRITABLE &&
                   B8G_SIGNAL_PEER_CLOSED == CAP_SIGNAL_PEER_CLOSED &&
                   B8G_SIGNAL_SIGNALED == CAP_SIGNAL_SIGNALED,
               "signal bits");
_Static_assert(B8G_WAIT_MAX == CAP_WAIT_MAX, "wait-set size");
_Static_assert(B8G_TASK_RUNNING == (int)CAP_TASK_RUNNING &&
                   B8G_TASK_RETURNED == (int)CAP_TASK_RETURNED &&
                   B8G_TASK_TRAPPED == (int)CAP_TASK_TRAPPED &&
                   B8G_TASK_CANCELLED == (int)CAP_TASK_CANCELLED &&
                   B8G_TASK_FAILED == (int)CAP_TASK_FAILED,
               "task states");

b8g_status b8g_wait(b8g_wait_item *items, uint32_t n, uint64_t timeout_ns, b8g_error *err)
{
    if (!items || n == 0 || n > B8G_WAIT_MAX)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "wait: between 1 and %u items", B8G_WAIT_MAX);
    CapWaitItem w[CAP_WAIT_MAX];
    for (uint32_t i = 0; i < n; i++) {
        CapObject *o = (CapObject *)items[i].object;
        CapSignals *sig = o ? cap_object_signals(o) : NULL;
        if (!sig)
            return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                           "wait: item %u is not an object that can be waited on", i);
        if (items[i].signals & ~CAP_SIGNALS_ALL)
            return err_set(err, B8G_ARG, B8G_NO_OFFSET, "wait: item %u asks for unknown signals", i);
        w[i] = (CapWaitItem){sig, items[i].signals, 0};
    }
    /* The host's references keep every object alive for the wait: they
     * are the caller's to release, and it is blocked here. */
    CapErr rc = cap_wait_many(w, n, timeout_ns, NULL);
    for (uint32_t i = 0; i < n; i++) items[i].observed = w[i].observed;
    if (rc == CAP_ETIMEDOUT) return err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "wait: timed out");
    if (rc) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "wait: invalid argument (error %d)", (int)rc);
    return B8G_OK;
}

b8g_status b8g_task_start(b8g_module *m, const char *entry, b8g_object *const *args,
                          const uint32_t *rights, uint32_t nargs, const b8g_config *cfg,
                          b8g_object **task, b8g_error *err)
{
    if (!m || !entry || !task || (nargs && (!args || !rights)))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "task start: NULL argument");
    *task = NULL;
    size_t len = strlen(entry);
    if (len == 0 || len > CAP_TASK_ENTRY_MAX)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "task start: an entry name of 1 to %u bytes",
                       CAP_TASK_ENTRY_MAX);
    if (nargs > CAP_MSG_MAX_HANDLES)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "task start: at most %u arguments",
                       CAP_MSG_MAX_HANDLES);
    CapMsgHandle h[CAP_MSG_MAX_HANDLES];
    for (uint32_t i = 0; i < nargs; i++) {
        CapObject *o = (CapObject *)args[i];
        if (!o || !abi_kind_rights(o->kind))
            return err_set(err, B8G_ARG, B8G_NO_OFFSET, "task start: argument %u is not a b8g object", i);
        h[i] = abi_host_handle(o, rights[i]);
    }
    CapModule *cm;
    CapErr rc = cap_module_new(m, &cm);
    if (rc) return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "task start: out of memory");
    b8g_config defaults = {0};
    /* The task owns what it is given; the host keeps its own references. */
    for (uint32_t i = 0; i < nargs; i++) cap_ref(h[i].obj);
    CapTask *t;
    rc = cap_task_spawn(cm, entry, len, h, nargs, cfg ? cfg : &defaults, &t);
    cap_unref(&cm->base);
    if (rc) {
        for (uint32_t i = 0; i < nargs; i++) cap_unref(h[i].obj);
        if (rc == CAP_ELIMIT)
            return err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "task start: %u tasks are running already",
                           CAP_TASK_MAX_THREADS);
        return err_set(err, rc == CAP_ENOMEM ? B8G_NOMEM : B8G_ARG, B8G_NO_OFFSET,
                       "task start: cannot start \"%s\" (error %d)", entry, (int)rc);
    }
    *task = (b8g_object *)t; /* a task starts with its CapObject */
    return B8G_OK;
}

b8g_task_state b8g_task_result(b8g_object *task, int32_t *value, b8g_error *why)
{
    int32_t v = B8G_ARG;
    CapObject *o = (CapObject *)task;
    b8g_task_state s = B8G_TASK_FAILED;
    b8g_error e = {.code = B8G_ARG, .offset = B8G_NO_OFFSET, .func = B8G_NO_FUNC};
    snprintf(e.msg, sizeof e.msg, "not a task");
    if (o && o->kind == CAP_KIND_TASK) {
        s = (b8g_task_state)cap_task_result((CapTask *)o, &v);
        cap_task_error((CapTask *)o, &e);
        if (s != B8G_TASK_TRAPPED && s != B8G_TASK_FAILED) e.code = B8G_OK;
    }
    if (value) *value = v;
    if (why) *why = e;
    return s;
}

void b8g_task_cancel(b8g_object *task)
{
    CapObject *o = (CapObject *)task;
    if (o && o->kind == CAP_KIND_TASK) cap_task_cancel((CapTask *)o);
}

b8g_status b8g_main_start(b8g_module *m, b8g_object *shared, uint32_t shared_rights,
                          uint64_t private_size, const b8g_config *cfg, b8g_object **task,
                          b8g_object **callback, b8g_error *err)
{
    if (!m || !shared || !task || !callback)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_main: NULL argument");
    *task = *callback = NULL;
    if (((CapObject *)shared)->kind != CAP_KIND_REGION)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_main: the shared object is not a region");
    b8g_object *priv, *ours, *theirs;
    b8g_status st = b8g_region_new(private_size, &priv, err);
    if (st) return st;
    if ((st = b8g_channel_new(&ours, &theirs, err))) {
        b8g_object_release(priv);
        return st;
    }
    b8g_object *args[3] = {shared, priv, theirs};
    uint32_t rights[3] = {shared_rights, B8G_RIGHTS_ALL, B8G_RIGHTS_ALL};
    st = b8g_task_start(m, "b8g_main", args, rights, 3, cfg, task, err);
    /* The task holds the private region and its end now: nobody else may. */
    b8g_object_release(priv);
    b8g_object_release(theirs);
    if (st) {
        b8g_object_release(ours);
        return st;
    }
    *callback = ours;
    return B8G_OK;
}
