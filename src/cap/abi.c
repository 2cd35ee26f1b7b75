/*
 * abi.c - the import module "b8g": registration, the checks every call
 * makes, and the calls on handles themselves, WASI files and directories
 * as handles, events and waits (abi_io.c has regions, streams and
 * channels; docs/abi.md the contract).
 */
#include <string.h>

#include "cap/abi.h"
#include "util/err.h"
#include "wasi/wasi.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
/* i32 results are zero-extended in their slot. */
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), B8G_OK)
#define RETERR(e) RET(-(int32_t)(e))

static bool store_cancelled(void *arg)
{
    return b8g_store_interrupt_pending(arg);
}

bool abi_begin(b8g_hostcall *call, AbiCall *a)
{
    memset(a, 0, sizeof *a);
    if (!call || !call->caller) return false;
    a->call = call;
    a->t = &call->caller->handles;
    if (a->t->max == 0) cap_table_init(a->t, 0);
    a->mem = call->caller->mem0;
    a->cancel.cancelled = store_cancelled;
    a->cancel.arg = call->store;
    return true;
}

uint32_t abi_kind_rights(CapKind k)
{
    const uint32_t common = CAP_RIGHT_DUP | CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT;
    switch (k) {
    case CAP_KIND_EVENT: return common | CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL;
    case CAP_KIND_STREAM_READ: return common | CAP_RIGHT_READ | CAP_RIGHT_WAIT;
    case CAP_KIND_STREAM_WRITE: return common | CAP_RIGHT_WRITE | CAP_RIGHT_WAIT;
    case CAP_KIND_CHANNEL: return common | CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_WAIT;
    case CAP_KIND_REGION: return common | CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_MAP;
    case CAP_KIND_MODULE: return common | CAP_RIGHT_CALL;
    case CAP_KIND_TASK: return common | CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL;
    case CAP_KIND_TIMER: return common | CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL;
    /* Files and directories travel; stdio and sockets are not the ABI's. */
    default: return cap_wasi_generic_rights(k);
    }
}

static bool abi_kind(CapKind k)
{
    return abi_kind_rights(k) != 0;
}

CapErr abi_get(AbiCall *a, uint32_t h, CapKind kind, uint32_t need, HandleEntry **e,
               uint32_t *slot)
{
    uint32_t s;
    HandleEntry *x = cap_lookup(a->t, h, &s);
    if (!x || !abi_kind(x->obj->kind)) return CAP_EBADH;
    if (kind != CAP_KIND_COUNT && x->obj->kind != kind) return CAP_EKIND;
    if ((x->rights & need) != need) return CAP_ERIGHTS;
    *e = x;
    if (slot) *slot = s;
    return CAP_OK;
}

uint8_t *abi_span(AbiCall *a, uint32_t ptr, uint64_t len)
{
    if (!a->mem || !mem_in_bounds(a->mem, ptr, len)) return NULL;
    return a->mem->base + ptr;
}

/* The one way the ABI and the host put a handle into a table: generic
 * rights masked to the kind's, WASI rights to the object's bound. */
static b8g_status insert_masked(HandleTable *t, const CapMsgHandle *h, uint32_t *slot,
                                b8g_error *err)
{
    uint64_t base = h->wasi_base, inheriting = h->wasi_inheriting;
    wasi_rights_bound(h->obj, &base, &inheriting);
    return cap_insert(t, h->obj, h->rights & abi_kind_rights((CapKind)h->obj->kind), base,
                      inheriting, slot, err);
}

int64_t abi_insert_held(AbiCall *a, const CapMsgHandle *h)
{
    uint32_t slot;
    b8g_error err;
    if (insert_masked(a->t, h, &slot, &err)) return -(int64_t)CAP_ELIMIT;
    return cap_handle_value(a->t, slot);
}

int64_t abi_insert(AbiCall *a, CapObject *obj, uint32_t rights)
{
    return abi_insert_held(a, &(CapMsgHandle){.obj = obj, .rights = rights});
}

CapMsgHandle abi_entry_handle(const HandleEntry *e, uint32_t rights)
{
    return (CapMsgHandle){e->obj, rights, e->wasi_base, e->wasi_inheriting};
}

CapMsgHandle abi_host_handle(CapObject *o, uint32_t rights)
{
    CapMsgHandle h = {o, rights & abi_kind_rights((CapKind)o->kind), UINT64_MAX, UINT64_MAX};
    wasi_rights_bound(o, &h.wasi_base, &h.wasi_inheriting);
    return h;
}

b8g_status abi_grant(b8g_instance *inst, const CapMsgHandle *h, uint32_t *handle,
                     b8g_error *err)
{
    HandleTable *t = &inst->handles;
    if (t->max == 0) cap_table_init(t, 0);
    uint32_t slot;
    b8g_status st = insert_masked(t, h, &slot, err);
    if (st) return st;
    *handle = cap_handle_value(t, slot);
    return B8G_OK;
}

b8g_status abi_interrupted(AbiCall *a, b8g_error *err)
{
    (void)a;
    return err_trap(err, B8G_TRAP_INTERRUPTED);
}

/* ---- handles ---------------------------------------------------------------- */

/* (h) -> 0 */
static b8g_status handle_close(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    uint32_t slot;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, 0, &e, &slot);
    if (rc) return RETERR(rc);
    cap_close(a.t, slot);
    return RET(0);
}

/* (h, rights) -> new handle with `rights`, which must be a subset of h's;
 * needs DUP. */
static b8g_status handle_dup(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, CAP_RIGHT_DUP, &e, NULL);
    if (rc) return RETERR(rc);
    if (ARG(1) & ~e->rights) return RETERR(CAP_ERIGHTS);
    CapMsgHandle h = abi_entry_handle(e, ARG(1)); /* WASI rights kept as they are */
    return RET(abi_insert_held(&a, &h));
}

/* (h, rights) -> a new handle with `rights` (a subset) in place of h,
 * which is closed; no right needed, as nothing is gained.  h is left
 * untouched if the new handle cannot be made. */
static b8g_status handle_replace(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    uint32_t slot;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, 0, &e, &slot);
    if (rc) return RETERR(rc);
    if (ARG(1) & ~e->rights) return RETERR(CAP_ERIGHTS);
    CapMsgHandle held = abi_entry_handle(e, ARG(1));
    int64_t h = abi_insert_held(&a, &held);
    if (h >= 0) cap_close(a.t, slot); /* e may have moved: use the slot */
    return RET(h);
}

/* (h) -> its rights */
static b8g_status handle_rights(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, 0, &e, NULL);
    return rc ? RETERR(rc) : RET(e->rights);
}

/* The number handle_kind answers (docs/abi.md): the ABI's own kinds from
 * 1 in CapKind order, then files and directories, which came later. */
#define ABI_KIND_FILE 9
#define ABI_KIND_DIR 10
_Static_assert(CAP_KIND_TIMER - CAP_KIND_EVENT + 1 == ABI_KIND_FILE - 1,
               "a new ABI kind needs its own number after the directory's");

static int32_t kind_number(CapKind k)
{
    switch (k) {
    case CAP_KIND_FILE: return ABI_KIND_FILE;
    case CAP_KIND_DIR: return ABI_KIND_DIR;
    default: return (int32_t)(k - CAP_KIND_EVENT) + 1;
    }
}

/* (h) -> its object's kind; needs INSPECT. */
static b8g_status handle_kind(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, CAP_RIGHT_INSPECT, &e, NULL);
    return rc ? RETERR(rc) : RET(kind_number((CapKind)e->obj->kind));
}

/* ---- files and directories ---------------------------------------------------- */

/*
 * A WASI file or directory is one table entry with two names: its fd (the
 * slot) and a handle value.  Converting needs no right, since it names
 * the same entry with the same rights and gains nothing.  Stdio streams
 * and sockets have no handle name (-EKIND), so they never leave.
 */
static bool file_kind(const CapObject *o)
{
    return o->kind == CAP_KIND_FILE || o->kind == CAP_KIND_DIR;
}

/* (fd) -> the handle value naming WASI descriptor fd */
static b8g_status fd_handle(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    HandleEntry *e = cap_slot(a.t, ARG(0));
    if (!e) return RETERR(CAP_EBADH);
    if (!file_kind(e->obj)) return RETERR(CAP_EKIND);
    return RET(cap_handle_value(a.t, ARG(0)));
}

/* (h) -> the WASI descriptor number of file or directory handle h */
static b8g_status handle_fd(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    uint32_t slot;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, 0, &e, &slot);
    if (rc) return RETERR(rc);
    return file_kind(e->obj) ? RET(slot) : RETERR(CAP_EKIND);
}

/* ---- events ----------------------------------------------------------------- */

/* () -> a new event's handle, with every right */
static b8g_status event_create(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapEvent *ev = cap_event_new();
    if (!ev) return RETERR(CAP_ENOMEM);
    int64_t h = abi_insert(&a, &ev->base, CAP_RIGHTS_ALL);
    cap_unref(&ev->base);
    return RET(h);
}

static b8g_status event_set(b8g_hostcall *call, uint64_t *slots, bool on)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_EVENT, CAP_RIGHT_SIGNAL, &e, NULL);
    if (rc) return RETERR(rc);
    CapEvent *ev = (CapEvent *)e->obj;
    if (on) cap_event_signal(ev);
    else cap_event_clear(ev);
    return RET(0);
}

/* (h) -> 0; needs SIGNAL */
static b8g_status event_signal(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return event_set(call, slots, true);
}

static b8g_status event_clear(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return event_set(call, slots, false);
}

/* ---- waiting ---------------------------------------------------------------- */

#define WAIT_ITEM_SIZE 12u /* handle u32, mask u32, observed u32 */

/*
 * (items, n, timeout_ns i64) -> how many items are ready, >= 1;
 * -TIMEDOUT when the deadline passed first.  Every item's observed
 * signals are written back either way.  Needs WAIT on every handle;
 * timeout -1 waits forever, 0 only looks.
 */
static b8g_status wait_many(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    uint32_t n = ARG(1);
    if (n == 0 || n > CAP_WAIT_MAX) return RETERR(CAP_EINVAL);
    uint8_t *p = abi_span(&a, ARG(0), (uint64_t)n * WAIT_ITEM_SIZE);
    if (!p) return RETERR(CAP_EFAULT);
    CapWaitItem items[CAP_WAIT_MAX];
    CapObject *held[CAP_WAIT_MAX];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h, mask;
        memcpy(&h, p + i * WAIT_ITEM_SIZE, 4);
        memcpy(&mask, p + i * WAIT_ITEM_SIZE + 4, 4);
        HandleEntry *e;
        CapErr rc = abi_get(&a, h, CAP_KIND_COUNT, CAP_RIGHT_WAIT, &e, NULL);
        if (rc) return RETERR(rc);
        CapSignals *sig = cap_object_signals(e->obj);
        if (!sig) return RETERR(CAP_EKIND);
        if (mask & ~CAP_SIGNALS_ALL) return RETERR(CAP_EINVAL);
        items[i] = (CapWaitItem){sig, mask, 0};
        held[i] = e->obj;
    }
    int64_t t = (int64_t)ARG64(2);
    uint64_t timeout = t < 0 ? UINT64_MAX : (uint64_t)t;
    /* Our own references: the host may revoke a handle meanwhile. */
    for (uint32_t i = 0; i < n; i++) cap_ref(held[i]);
    CapErr rc = cap_wait_many(items, n, timeout, &a.cancel);
    for (uint32_t i = 0; i < n; i++) cap_unref(held[i]);
    if (rc == CAP_EINTR) return abi_interrupted(&a, err);
    uint32_t ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(p + i * WAIT_ITEM_SIZE + 8, &items[i].observed, 4);
        if (items[i].observed & items[i].mask) ready++;
    }
    if (rc) return RETERR(rc);
    return RET(ready);
}

/* (h, mask, timeout_ns i64) -> the signals observed; -TIMEDOUT */
static b8g_status wait_one(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_COUNT, CAP_RIGHT_WAIT, &e, NULL);
    if (rc) return RETERR(rc);
    CapSignals *sig = cap_object_signals(e->obj);
    if (!sig) return RETERR(CAP_EKIND);
    if (ARG(1) & ~CAP_SIGNALS_ALL) return RETERR(CAP_EINVAL);
    CapWaitItem item = {sig, ARG(1), 0};
    int64_t t = (int64_t)ARG64(2);
    CapObject *held = e->obj;
    cap_ref(held);
    rc = cap_wait_many(&item, 1, t < 0 ? UINT64_MAX : (uint64_t)t, &a.cancel);
    cap_unref(held);
    if (rc == CAP_EINTR) return abi_interrupted(&a, err);
    return rc ? RETERR(rc) : RET(item.observed);
}

const AbiFuncDef abi_core_funcs[] = {
    {"handle_close", "i:i", handle_close},
    {"handle_dup", "ii:i", handle_dup},
    {"handle_replace", "ii:i", handle_replace},
    {"handle_rights", "i:i", handle_rights},
    {"handle_kind", "i:i", handle_kind},
    {"fd_handle", "i:i", fd_handle},
    {"handle_fd", "i:i", handle_fd},
    {"event_create", ":i", event_create},
    {"event_signal", "i:i", event_signal},
    {"event_clear", "i:i", event_clear},
    {"wait", "iiI:i", wait_one},
    {"wait_many", "iiI:i", wait_many},
};
const uint32_t abi_core_count = B8G_ARRAY_LEN(abi_core_funcs);

b8g_status b8g_caps_register(b8g_store *s, b8g_error *err)
{
    b8g_instance *h = b8g_host_instance_new(s);
    if (!h) return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot create the b8g module");
    const struct {
        const AbiFuncDef *defs;
        uint32_t n;
    } tables[] = {{abi_core_funcs, abi_core_count},
                  {abi_io_funcs, abi_io_count},
                  {abi_link_funcs, abi_link_count},
                  {abi_task_funcs, abi_task_count},
                  {abi_timer_funcs, abi_timer_count}};
    for (size_t t = 0; t < B8G_ARRAY_LEN(tables); t++)
        for (uint32_t i = 0; i < tables[t].n; i++)
            if (b8g_host_func(h, tables[t].defs[i].name, tables[t].defs[i].sig,
                              tables[t].defs[i].fn, NULL))
                return err_set(err, B8G_ARG, B8G_NO_OFFSET, "cannot define b8g.%s",
                               tables[t].defs[i].name);
    if (b8g_register(s, ABI_MODULE, h))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "cannot register the b8g module");
    return B8G_OK;
}
