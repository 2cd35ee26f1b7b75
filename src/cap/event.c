/*
 * event.c - events: an object whose only state is the SIGNALED signal,
 * set and cleared by whoever holds the right (object.h).
 */
#include <stdlib.h>

#include "cap/object.h"

static void event_destroy(CapObject *o)
{
    CapEvent *e = (CapEvent *)o;
    cap_signals_destroy(&e->sig);
    free(e);
    cap_object_destroyed(CAP_KIND_EVENT);
}

CapEvent *cap_event_new(void)
{
    /* Not xcalloc: a guest may create events, and the host running out is
     * an error to return to it, not a reason to abort. */
    CapEvent *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    atomic_init(&e->base.refs, 1);
    e->base.kind = CAP_KIND_EVENT;
    e->base.destroy = event_destroy;
    cap_signals_init(&e->sig, 0);
    cap_object_created(CAP_KIND_EVENT);
    return e;
}

void cap_event_signal(CapEvent *e)
{
    cap_signals_update(&e->sig, 0, CAP_SIGNAL_SIGNALED);
}

void cap_event_clear(CapEvent *e)
{
    cap_signals_update(&e->sig, CAP_SIGNAL_SIGNALED, 0);
}
