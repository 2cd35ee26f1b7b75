/*
 * object.c - process-wide counts of live capability objects, and which
 * objects can be waited on (object.h).
 */
#include <stdatomic.h>

#include "cap/object.h"

static atomic_uint_fast64_t live[CAP_KIND_COUNT];

uint64_t cap_objects_live(CapKind k)
{
    return k < CAP_KIND_COUNT ? atomic_load(&live[k]) : 0;
}

void cap_object_created(CapKind k)
{
    if (k < CAP_KIND_COUNT) atomic_fetch_add(&live[k], 1);
}

void cap_object_destroyed(CapKind k)
{
    if (k < CAP_KIND_COUNT) atomic_fetch_sub(&live[k], 1);
}

CapSignals *cap_object_signals(CapObject *o)
{
    switch ((CapKind)o->kind) {
    case CAP_KIND_EVENT: return &((CapEvent *)o)->sig;
    case CAP_KIND_STREAM_READ:
    case CAP_KIND_STREAM_WRITE: return cap_stream_signals((CapStreamEnd *)o);
    case CAP_KIND_CHANNEL: return cap_channel_signals((CapChannelEnd *)o);
    case CAP_KIND_TASK: return cap_task_signals((CapTask *)o);
    case CAP_KIND_TIMER: return cap_timer_signals((CapTimer *)o);
    default: return NULL;
    }
}
