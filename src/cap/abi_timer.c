/*
 * abi_timer.c - the import module "b8g", part four: timers (docs/abi.md,
 * "Timers").
 *
 * A guest gives delays, never absolute times: it has no clock of the
 * host's to name one with, and a relative delay means the same whatever
 * the host's monotonic clock reads.  Setting and cancelling need SIGNAL
 * (they change what every holder sees), acknowledging needs WAIT (it is
 * how a waiter consumes what it waited for).
 */
#include "cap/abi.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), B8G_OK)
#define RETERR(e) RET(-(int32_t)(e))

/* () -> a new, unarmed timer's handle, with every right */
static b8g_status abi_timer_create(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapTimer *t = cap_timer_new();
    if (!t) return RETERR(CAP_ENOMEM);
    CapObject *o = (CapObject *)t;
    int64_t h = abi_insert(&a, o, CAP_RIGHTS_ALL);
    cap_unref(o);
    return RET(h);
}

/* The timer h names, with every right of `need`. */
static CapErr timer_of(b8g_hostcall *call, uint32_t h, uint32_t need, CapTimer **t)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return CAP_EBADH;
    CapErr rc = abi_get(&a, h, CAP_KIND_TIMER, need, &e, NULL);
    if (!rc) *t = (CapTimer *)e->obj;
    return rc;
}

/* (h, delay_ns i64, period_ns i64) -> 0: expires delay_ns from now, then
 * every period_ns (0: once).  Needs SIGNAL.  -EINVAL for a delay <= 0 or
 * a period < 0 or below the minimum; -ELIMIT when the process has its
 * most timers armed. */
static b8g_status abi_timer_set(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    CapTimer *t;
    CapErr rc = timer_of(call, ARG(0), CAP_RIGHT_SIGNAL, &t);
    if (rc) return RETERR(rc);
    int64_t delay = (int64_t)ARG64(1), period = (int64_t)ARG64(2);
    if (delay <= 0 || period < 0) return RETERR(CAP_EINVAL);
    /* now + a positive i64 cannot overflow a u64 clock that started at
     * boot. */
    rc = cap_timer_set(t, cap_monotonic_ns() + (uint64_t)delay, (uint64_t)period);
    return rc ? RETERR(rc) : RET(0);
}

/* (h) -> 0: disarms, clears SIGNALED.  Needs SIGNAL. */
static b8g_status abi_timer_cancel(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    CapTimer *t;
    CapErr rc = timer_of(call, ARG(0), CAP_RIGHT_SIGNAL, &t);
    if (rc) return RETERR(rc);
    cap_timer_cancel(t);
    return RET(0);
}

/* (h) -> expirations since the last set, cancel or ack (at most
 * INT32_MAX), and clears SIGNALED.  Needs WAIT. */
static b8g_status abi_timer_ack(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    CapTimer *t;
    CapErr rc = timer_of(call, ARG(0), CAP_RIGHT_WAIT, &t);
    if (rc) return RETERR(rc);
    uint64_t n = cap_timer_ack(t);
    return RET(n > INT32_MAX ? INT32_MAX : (int32_t)n);
}

const AbiFuncDef abi_timer_funcs[] = {
    {"timer_create", ":i", abi_timer_create},
    {"timer_set", "iII:i", abi_timer_set},
    {"timer_cancel", "i:i", abi_timer_cancel},
    {"timer_ack", "i:i", abi_timer_ack},
};
const uint32_t abi_timer_count = B8G_ARRAY_LEN(abi_timer_funcs);
