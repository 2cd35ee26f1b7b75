/*
 * channel.c - channels: two endpoints exchanging messages of bytes and
 * handles, one bounded queue per direction (object.h, "channel").
 *
 * As with streams, the endpoints share a core holding both queues, which
 * endpoints are open and both endpoints' signals; the core outlives
 * whichever endpoint goes first.  Signals are updated under the core lock
 * for the same reason as in stream.c (they must change in the order the
 * state does); lock order: core, then signals, then a waiter's context.
 *
 * Handles in flight.  A queued message owns references to the objects it
 * carries.  When an endpoint goes, the messages queued *to* it can never
 * be read, so they are freed and their references dropped - outside the
 * core lock, since dropping one may destroy anything, including another
 * channel endpoint whose own queue then drops more.  That chain can be as
 * long as the guest cares to build it (channel inside channel inside ...),
 * so it is not followed by recursion: a thread-local list collects the
 * messages to drop, and only the outermost drop on a thread works through
 * it, however deep the nesting.
 *
 * Cycles.  A reference held in a queue keeps its object alive until that
 * queue is drained or its endpoint goes.  An endpoint queued to itself
 * would thus never go: writing endpoint B through its peer A puts B in
 * B's own queue.  Writing A through A is no leak but keeps A alive, and
 * B from ever seeing PEER_CLOSED, until B goes.  So neither endpoint of a
 * channel may travel over that channel (CAP_EINVAL; Zircon forbids the
 * second).  Longer cycles are not caught - endpoint D of a second
 * channel C-D sent through A (into B's queue) while B is sent through C
 * (into D's queue) - and keep every object in them alive after the last
 * table handle to them closes: references are counted, not traced.
 * Avoiding them is the embedder's and the guest's business: one cycle
 * holds no more than its queues, but a guest can build any number of
 * them, so memory it leaks this way is bounded only by the store's life.
 */
#include <stdlib.h>
#include <string.h>

#include "cap/object.h"

typedef struct Msg {
    struct Msg *next;
    uint32_t nbytes, nhandles;
    CapMsgHandle *handles;    /* nhandles, then nbytes of data, follow */
    uint8_t *bytes;
} Msg;

typedef struct MsgQueue {
    Msg *head, *tail;
    uint32_t count;
} MsgQueue;

typedef struct ChanCore {
    pthread_mutex_t lock;     /* guards q and open */
    MsgQueue q[2];            /* q[i]: messages waiting for endpoint i */
    bool open[2];
    CapSignals sig[2];
} ChanCore;

struct CapChannelEnd {
    CapObject base;
    ChanCore *core;
    int side;
};

/* Both endpoints' signals from the state; under c->lock. */
static void chan_sync(ChanCore *c)
{
    for (int i = 0; i < 2; i++) {
        uint32_t s = 0;
        if (c->q[i].count) s |= CAP_SIGNAL_READABLE;
        if (c->open[!i] && c->q[!i].count < CAP_CHANNEL_MAX_QUEUED) s |= CAP_SIGNAL_WRITABLE;
        if (!c->open[!i]) s |= CAP_SIGNAL_PEER_CLOSED;
        cap_signals_update(&c->sig[i], CAP_SIGNALS_ALL & ~s, s);
    }
}

static _Thread_local Msg *to_drop;   /* messages whose references go next */
static _Thread_local bool dropping;  /* an outer call is working through it */

/* Frees a list of messages and drops the references they carry. */
static void drop_messages(Msg *list)
{
    if (!list) return;
    Msg *tail = list;
    while (tail->next) tail = tail->next;
    tail->next = to_drop;
    to_drop = list;
    if (dropping) return;
    dropping = true;
    while (to_drop) {
        Msg *m = to_drop;
        to_drop = m->next;
        for (uint32_t i = 0; i < m->nhandles; i++) cap_unref(m->handles[i].obj);
        free(m);
    }
    dropping = false;
}

static void chan_destroy(CapObject *o)
{
    CapChannelEnd *e = (CapChannelEnd *)o;
    ChanCore *c = e->core;
    pthread_mutex_lock(&c->lock);
    c->open[e->side] = false;
    Msg *orphans = c->q[e->side].head;
    c->q[e->side] = (MsgQueue){0};
    chan_sync(c);
    bool last = !c->open[!e->side];
    pthread_mutex_unlock(&c->lock);
    if (last) {
        cap_signals_destroy(&c->sig[0]);
        cap_signals_destroy(&c->sig[1]);
        pthread_mutex_destroy(&c->lock);
        free(c);
    }
    free(e);
    cap_object_destroyed(CAP_KIND_CHANNEL);
    drop_messages(orphans);
}

CapErr cap_channel_new(CapChannelEnd **a, CapChannelEnd **b)
{
    *a = *b = NULL;
    ChanCore *c = calloc(1, sizeof *c);
    CapChannelEnd *e[2] = {calloc(1, sizeof *e[0]), calloc(1, sizeof *e[1])};
    if (!c || !e[0] || !e[1]) {
        free(c);
        free(e[0]);
        free(e[1]);
        return CAP_ENOMEM;
    }
    pthread_mutex_init(&c->lock, NULL);
    for (int i = 0; i < 2; i++) {
        c->open[i] = true;
        cap_signals_init(&c->sig[i], CAP_SIGNAL_WRITABLE);
        atomic_init(&e[i]->base.refs, 1);
        e[i]->base.kind = CAP_KIND_CHANNEL;
        e[i]->base.destroy = chan_destroy;
        e[i]->core = c;
        e[i]->side = i;
        cap_object_created(CAP_KIND_CHANNEL);
    }
    *a = e[0];
    *b = e[1];
    return CAP_OK;
}

CapSignals *cap_channel_signals(CapChannelEnd *c)
{
    return &c->core->sig[c->side];
}

static CapErr wait_for(CapChannelEnd *e, uint32_t mask, const CapCancel *cancel)
{
    CapWaitItem item = {.sig = cap_channel_signals(e), .mask = mask};
    return cap_wait_many(&item, 1, UINT64_MAX, cancel);
}

CapErr cap_channel_write(CapChannelEnd *c, const uint8_t *bytes, size_t nbytes,
                         const CapMsgHandle *handles, uint32_t nhandles, bool block,
                         const CapCancel *cancel)
{
    if (nbytes > CAP_MSG_MAX_BYTES || nhandles > CAP_MSG_MAX_HANDLES) return CAP_ELIMIT;
    if ((nbytes && !bytes) || (nhandles && !handles)) return CAP_EINVAL;
    for (uint32_t i = 0; i < nhandles; i++) {
        CapObject *o = handles[i].obj;
        if (!o) return CAP_EINVAL;
        /* Either endpoint of this channel: see "Cycles" above.  o is a
         * live reference, so reading its core is safe. */
        if (o->kind == CAP_KIND_CHANNEL && ((CapChannelEnd *)o)->core == c->core)
            return CAP_EINVAL;
    }
    Msg *m = malloc(sizeof *m + nhandles * sizeof(CapMsgHandle) + nbytes);
    if (!m) return CAP_ENOMEM;
    m->next = NULL;
    m->nbytes = (uint32_t)nbytes;
    m->nhandles = nhandles;
    m->handles = (CapMsgHandle *)(m + 1);
    m->bytes = (uint8_t *)(m->handles + nhandles);
    if (nhandles) memcpy(m->handles, handles, nhandles * sizeof *handles);
    if (nbytes) memcpy(m->bytes, bytes, nbytes);

    ChanCore *core = c->core;
    int peer = !c->side;
    for (;;) {
        pthread_mutex_lock(&core->lock);
        if (!core->open[peer]) {
            pthread_mutex_unlock(&core->lock);
            free(m); /* the references stay the caller's */
            return CAP_ECLOSED;
        }
        MsgQueue *q = &core->q[peer];
        if (q->count < CAP_CHANNEL_MAX_QUEUED) {
            if (q->tail) q->tail->next = m;
            else q->head = m;
            q->tail = m;
            q->count++;
            chan_sync(core);
            pthread_mutex_unlock(&core->lock);
            return CAP_OK;
        }
        pthread_mutex_unlock(&core->lock);
        CapErr rc = block ? wait_for(c, CAP_SIGNAL_WRITABLE | CAP_SIGNAL_PEER_CLOSED, cancel)
                          : CAP_EAGAIN;
        if (rc) {
            free(m);
            return rc;
        }
    }
}

CapErr cap_channel_read(CapChannelEnd *c, uint8_t *buf, size_t cap, size_t *nbytes,
                        CapMsgHandle *handles, uint32_t cap_handles, uint32_t *nhandles,
                        bool block, const CapCancel *cancel)
{
    *nbytes = 0;
    *nhandles = 0;
    ChanCore *core = c->core;
    MsgQueue *q = &core->q[c->side];
    for (;;) {
        pthread_mutex_lock(&core->lock);
        Msg *m = q->head;
        if (m) {
            if (m->nbytes > cap || m->nhandles > cap_handles) {
                /* Stays queued: the caller learns what to make room for. */
                *nbytes = m->nbytes;
                *nhandles = m->nhandles;
                pthread_mutex_unlock(&core->lock);
                return CAP_ELIMIT;
            }
            q->head = m->next;
            if (!q->head) q->tail = NULL;
            q->count--;
            chan_sync(core);
            pthread_mutex_unlock(&core->lock);
            if (m->nbytes) memcpy(buf, m->bytes, m->nbytes);
            if (m->nhandles) memcpy(handles, m->handles, m->nhandles * sizeof *handles);
            *nbytes = m->nbytes;
            *nhandles = m->nhandles;
            free(m);
            return CAP_OK;
        }
        bool closed = !core->open[!c->side];
        pthread_mutex_unlock(&core->lock);
        if (closed) return CAP_ECLOSED;
        if (!block) return CAP_EAGAIN;
        CapErr rc = wait_for(c, CAP_SIGNAL_READABLE | CAP_SIGNAL_PEER_CLOSED, cancel);
        if (rc) return rc;
    }
}
