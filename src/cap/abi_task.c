/*
 * abi_task.c - the import module "b8g", part three: tasks (docs/abi.md).
 *
 * A component holding a module handle with CALL can start it as a task,
 * moving handles to it as the entry point's arguments.  A task never gets
 * more than its parent has: it inherits the parent store's memory, stack
 * and table caps, and when the parent runs on fuel the task's fuel is
 * taken out of the parent's (so spawning cannot multiply a budget).
 */
#include <string.h>

#include "cap/abi.h"
#include "rt/store.h"
#include "util/err.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), B8G_OK)
#define RETERR(e) RET(-(int32_t)(e))

/* The limits of a task started by the caller, or an error. */
static CapErr task_limits(AbiCall *a, uint64_t fuel, b8g_config *cfg)
{
    b8g_store *s = a->call->store;
    *cfg = s->cfg;
    uint64_t left = b8g_store_fuel(s);
    if (left == UINT64_MAX) { /* the parent is not metered */
        cfg->fuel = fuel;
        return CAP_OK;
    }
    /* Part of the parent's fuel, never all of it: 0 would mean unlimited. */
    if (fuel == 0 || fuel >= left) return CAP_ELIMIT;
    b8g_store_set_fuel(s, left - fuel);
    cfg->fuel = fuel;
    return CAP_OK;
}

/*
 * (module, entry, entry_len, handles, nhandles, fuel i64) -> task handle.
 * Needs CALL on the module and TRANSFER on every handle, which leave the
 * caller's table once the task is started (and stay if it is not).  The
 * entry point takes one i32 per handle and returns nothing or an i32.
 * fuel 0: unlimited, allowed only to an unmetered parent.
 */
static b8g_status task_spawn(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_MODULE, CAP_RIGHT_CALL, &e, NULL);
    if (rc) return RETERR(rc);
    CapModule *m = (CapModule *)e->obj;
    uint32_t len = ARG(2), nh = ARG(4);
    if (len == 0 || len > CAP_TASK_ENTRY_MAX || nh > CAP_MSG_MAX_HANDLES)
        return RETERR(CAP_EINVAL);
    uint8_t *name = abi_span(&a, ARG(1), len);
    uint8_t *hp = abi_span(&a, ARG(3), (uint64_t)nh * 4);
    if (!name || !hp) return RETERR(CAP_EFAULT);
    CapMsgHandle moved[CAP_MSG_MAX_HANDLES];
    uint32_t slot_of[CAP_MSG_MAX_HANDLES];
    for (uint32_t i = 0; i < nh; i++) {
        uint32_t h;
        memcpy(&h, hp + 4 * i, 4);
        HandleEntry *x;
        if ((rc = abi_get(&a, h, CAP_KIND_COUNT, CAP_RIGHT_TRANSFER, &x, &slot_of[i])))
            return RETERR(rc);
        for (uint32_t j = 0; j < i; j++)
            if (slot_of[j] == slot_of[i]) return RETERR(CAP_EINVAL);
        moved[i] = abi_entry_handle(x, x->rights);
    }
    if (a.t->max == a.t->live) return RETERR(CAP_ELIMIT); /* no room for the task handle */
    b8g_config cfg;
    uint64_t fuel_before = b8g_store_fuel(call->store);
    if ((rc = task_limits(&a, ARG64(5), &cfg))) return RETERR(rc);
    /* The task gets references of its own, so nothing it does can free an
     * object our table still names; ours go once it has started. */
    for (uint32_t i = 0; i < nh; i++) cap_ref(moved[i].obj);
    CapTask *t;
    rc = cap_task_spawn(m, (const char *)name, len, moved, nh, &cfg, &t);
    if (rc) {
        for (uint32_t i = 0; i < nh; i++) cap_unref(moved[i].obj);
        if (fuel_before != UINT64_MAX) b8g_store_set_fuel(call->store, fuel_before);
        return RETERR(rc);
    }
    for (uint32_t i = 0; i < nh; i++) cap_close(a.t, slot_of[i]);
    CapObject *o = (CapObject *)t; /* a task starts with its CapObject */
    int64_t h = abi_insert(&a, o, CAP_RIGHTS_ALL);
    cap_unref(o);
    return RET(h);
}

/* (task, out) -> 0, out = {state u32, value i32}; -AGAIN while it runs.
 * Needs INSPECT. */
static b8g_status task_result(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_TASK, CAP_RIGHT_INSPECT, &e, NULL);
    if (rc) return RETERR(rc);
    uint8_t *out = abi_span(&a, ARG(1), 8);
    if (!out) return RETERR(CAP_EFAULT);
    int32_t value;
    CapTaskState state = cap_task_result((CapTask *)e->obj, &value);
    if (state == CAP_TASK_RUNNING) return RETERR(CAP_EAGAIN);
    uint32_t st = (uint32_t)state;
    memcpy(out, &st, 4);
    memcpy(out + 4, &value, 4);
    return RET(0);
}

/* (task) -> 0: stops it; needs SIGNAL.  Its end is seen as usual. */
static b8g_status task_cancel(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_TASK, CAP_RIGHT_SIGNAL, &e, NULL);
    if (rc) return RETERR(rc);
    cap_task_cancel((CapTask *)e->obj);
    return RET(0);
}

const AbiFuncDef abi_task_funcs[] = {
    {"task_spawn", "iiiiiI:i", task_spawn},
    {"task_result", "ii:i", task_result},
    {"task_cancel", "i:i", task_cancel},
};
const uint32_t abi_task_count = B8G_ARRAY_LEN(abi_task_funcs);
