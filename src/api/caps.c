/*
 * caps.c - the embedding API of capabilities: the host makes objects,
 * grants them to instances, takes them back, and uses them itself
 * (include/b8g.h; the guest side is cap/abi.c).
 *
 * A b8g_object is a CapObject: the host's handle on it is one counted
 * reference, like a table entry's.
 */
#include "cap/abi.h"
#include "util/err.h"

static CapObject *obj_of(b8g_object *o)
{
    return (CapObject *)o;
}

static b8g_status cap_status(CapErr rc, const char *what, b8g_error *err)
{
    switch (rc) {
    case CAP_OK: return B8G_OK;
    case CAP_EAGAIN:
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "%s: would block", what);
    case CAP_ENOMEM:
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "%s: out of memory", what);
    case CAP_ECLOSED:
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "%s: the other end is closed", what);
    case CAP_ELIMIT:
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "%s: limit exceeded", what);
    default:
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "%s: invalid argument (error %d)", what,
                       (int)rc);
    }
}

static b8g_status need_kind(b8g_object *o, CapKind k, const char *what, b8g_error *err)
{
    if (!o || obj_of(o)->kind != k)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "%s: not an object of the right kind", what);
    return B8G_OK;
}

b8g_status b8g_event_new(b8g_object **out, b8g_error *err)
{
    CapEvent *e = cap_event_new();
    if (!e) return cap_status(CAP_ENOMEM, "event", err);
    *out = (b8g_object *)&e->base;
    return B8G_OK;
}

b8g_status b8g_stream_new(uint32_t capacity, b8g_object **reader, b8g_object **writer,
                          b8g_error *err)
{
    CapStreamEnd *r, *w;
    CapErr rc = cap_stream_new(capacity, &r, &w);
    if (rc) return cap_status(rc, "stream", err);
    *reader = (b8g_object *)r;
    *writer = (b8g_object *)w;
    return B8G_OK;
}

b8g_status b8g_channel_new(b8g_object **a, b8g_object **b, b8g_error *err)
{
    CapChannelEnd *x, *y;
    CapErr rc = cap_channel_new(&x, &y);
    if (rc) return cap_status(rc, "channel", err);
    *a = (b8g_object *)x;
    *b = (b8g_object *)y;
    return B8G_OK;
}

b8g_status b8g_region_new(uint64_t size, b8g_object **out, b8g_error *err)
{
    CapRegion *r;
    CapErr rc = cap_region_new(size, &r);
    if (rc) return cap_status(rc, "region", err);
    *out = (b8g_object *)&r->base;
    return B8G_OK;
}

b8g_status b8g_timer_new(b8g_object **out, b8g_error *err)
{
    CapTimer *t = cap_timer_new();
    if (!t) return cap_status(CAP_ENOMEM, "timer", err);
    *out = (b8g_object *)t;
    return B8G_OK;
}

b8g_status b8g_module_object(b8g_module *m, b8g_object **out, b8g_error *err)
{
    if (!m || !out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "module object: NULL argument");
    CapModule *cm;
    CapErr rc = cap_module_new(m, &cm);
    if (rc) return cap_status(rc, "module object", err);
    *out = (b8g_object *)&cm->base;
    return B8G_OK;
}

void b8g_object_release(b8g_object *o)
{
    if (o) cap_unref(obj_of(o));
}

b8g_status b8g_grant(b8g_instance *inst, b8g_object *o, uint32_t rights, uint32_t *handle,
                     b8g_error *err)
{
    if (!inst || !o || !handle) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "grant: NULL argument");
    if (!abi_kind_rights(obj_of(o)->kind))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "grant: not a b8g object");
    /* A file or directory comes with the WASI rights it was opened with. */
    CapMsgHandle h = abi_host_handle(obj_of(o), rights);
    return abi_grant(inst, &h, handle, err);
}

b8g_status b8g_revoke(b8g_instance *inst, uint32_t handle, b8g_error *err)
{
    uint32_t slot;
    if (!inst || inst->handles.max == 0 || !cap_lookup(&inst->handles, handle, &slot) ||
        !abi_kind_rights(inst->handles.e[slot].obj->kind))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "revoke: no such handle");
    cap_close(&inst->handles, slot);
    return B8G_OK;
}

b8g_status b8g_region_read(b8g_object *r, uint64_t off, void *buf, size_t len, b8g_error *err)
{
    if (need_kind(r, CAP_KIND_REGION, "region read", err)) return B8G_ARG;
    return cap_status(cap_region_read((CapRegion *)r, off, buf, len), "region read", err);
}

b8g_status b8g_region_write(b8g_object *r, uint64_t off, const void *buf, size_t len,
                            b8g_error *err)
{
    if (need_kind(r, CAP_KIND_REGION, "region write", err)) return B8G_ARG;
    return cap_status(cap_region_write((CapRegion *)r, off, buf, len), "region write", err);
}

b8g_status b8g_stream_read(b8g_object *reader, void *buf, size_t len, size_t *done,
                           b8g_error *err)
{
    if (need_kind(reader, CAP_KIND_STREAM_READ, "stream read", err)) return B8G_ARG;
    return cap_status(cap_stream_read((CapStreamEnd *)reader, buf, len, false, NULL, done),
                      "stream read", err);
}

b8g_status b8g_stream_write(b8g_object *writer, const void *buf, size_t len, size_t *done,
                            b8g_error *err)
{
    if (need_kind(writer, CAP_KIND_STREAM_WRITE, "stream write", err)) return B8G_ARG;
    return cap_status(cap_stream_write((CapStreamEnd *)writer, buf, len, false, NULL, done),
                      "stream write", err);
}

b8g_status b8g_channel_write(b8g_object *end, const void *bytes, size_t nbytes,
                             b8g_object *const *objects, uint32_t nobjects, b8g_error *err)
{
    if (need_kind(end, CAP_KIND_CHANNEL, "channel write", err)) return B8G_ARG;
    if (nobjects > CAP_MSG_MAX_HANDLES || (nobjects && !objects) || (nbytes && !bytes))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "channel write: bad arguments");
    CapMsgHandle msg[CAP_MSG_MAX_HANDLES];
    for (uint32_t i = 0; i < nobjects; i++) {
        CapObject *o = obj_of(objects[i]);
        uint32_t rights = o ? abi_kind_rights((CapKind)o->kind) : 0;
        if (!rights) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "channel write: object %u is not a b8g object", i);
        msg[i] = abi_host_handle(o, rights);
    }
    return cap_status(cap_channel_write((CapChannelEnd *)end, bytes, nbytes, msg, nobjects,
                                        false, NULL),
                      "channel write", err);
}

b8g_status b8g_channel_read(b8g_object *end, void *buf, size_t cap, size_t *nbytes,
                            b8g_object **objects, uint32_t cap_objects, uint32_t *nobjects,
                            b8g_error *err)
{
    if (need_kind(end, CAP_KIND_CHANNEL, "channel read", err)) return B8G_ARG;
    if (!nbytes || !nobjects || (cap_objects && !objects) || (cap && !buf))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "channel read: bad arguments");
    CapMsgHandle msg[CAP_MSG_MAX_HANDLES];
    if (cap_objects > CAP_MSG_MAX_HANDLES) cap_objects = CAP_MSG_MAX_HANDLES;
    CapErr rc = cap_channel_read((CapChannelEnd *)end, buf, cap, nbytes, msg, cap_objects,
                                 nobjects, false, NULL);
    if (rc) return cap_status(rc, "channel read", err);
    for (uint32_t i = 0; i < *nobjects; i++) objects[i] = (b8g_object *)msg[i].obj;
    return B8G_OK;
}

b8g_status b8g_event_signal(b8g_object *e, b8g_error *err)
{
    if (need_kind(e, CAP_KIND_EVENT, "event signal", err)) return B8G_ARG;
    cap_event_signal((CapEvent *)e);
    return B8G_OK;
}

b8g_status b8g_timer_set(b8g_object *timer, uint64_t delay_ns, uint64_t period_ns,
                         b8g_error *err)
{
    if (need_kind(timer, CAP_KIND_TIMER, "timer set", err)) return B8G_ARG;
    /* The guest's bounds: a delay is a positive i64 there. */
    if (delay_ns == 0 || delay_ns > INT64_MAX)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "timer set: bad delay");
    return cap_status(cap_timer_set((CapTimer *)timer, cap_monotonic_ns() + delay_ns, period_ns),
                      "timer set", err);
}

b8g_status b8g_timer_cancel(b8g_object *timer, b8g_error *err)
{
    if (need_kind(timer, CAP_KIND_TIMER, "timer cancel", err)) return B8G_ARG;
    cap_timer_cancel((CapTimer *)timer);
    return B8G_OK;
}
