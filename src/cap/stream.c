/*
 * stream.c - streams: a bounded byte ring with a read end and a write end
 * (object.h, "stream").
 *
 * The two ends are separate objects (so each has its own rights and can
 * travel on its own) over one shared core: the ring, which ends are still
 * open, and both ends' signals.  The signals live in the core, not in the
 * ends, because closing one end must update the other's, and the core is
 * the one thing both are sure to keep alive; it goes when both ends have.
 *
 * Signals track the core's state exactly and are updated under the core's
 * lock, so they change in the same order as the state does (updating
 * after unlocking would let two racing updates land out of order and
 * leave, say, READABLE clear over a full ring).  That nests a signals lock
 * in the core lock; it is safe because nothing takes a core lock while
 * holding a signals lock: waiters take only signals and wait-context
 * locks.
 */
#include <stdlib.h>
#include <string.h>

#include "cap/object.h"

enum { READ_END, WRITE_END };

typedef struct StreamCore {
    pthread_mutex_t lock;     /* guards everything below but sig */
    uint8_t *buf;
    size_t cap;
    size_t head;              /* where the next read starts */
    size_t len;               /* bytes buffered */
    bool open[2];             /* [READ_END], [WRITE_END] */
    CapSignals sig[2];
} StreamCore;

struct CapStreamEnd {
    CapObject base;
    StreamCore *core;
    int side;
};

/* Brings both ends' signals in line with the state; under c->lock. */
static void stream_sync(StreamCore *c)
{
    uint32_t r = 0, w = 0;
    if (c->len > 0 || !c->open[WRITE_END]) r |= CAP_SIGNAL_READABLE; /* data or EOS */
    if (!c->open[WRITE_END]) r |= CAP_SIGNAL_PEER_CLOSED;
    if (c->open[READ_END] && c->len < c->cap) w |= CAP_SIGNAL_WRITABLE;
    if (!c->open[READ_END]) w |= CAP_SIGNAL_PEER_CLOSED;
    cap_signals_update(&c->sig[READ_END], CAP_SIGNALS_ALL & ~r, r);
    cap_signals_update(&c->sig[WRITE_END], CAP_SIGNALS_ALL & ~w, w);
}

static void stream_destroy(CapObject *o)
{
    CapStreamEnd *e = (CapStreamEnd *)o;
    StreamCore *c = e->core;
    pthread_mutex_lock(&c->lock);
    c->open[e->side] = false;
    stream_sync(c);
    bool last = !c->open[!e->side];
    pthread_mutex_unlock(&c->lock);
    if (last) {
        cap_signals_destroy(&c->sig[READ_END]);
        cap_signals_destroy(&c->sig[WRITE_END]);
        pthread_mutex_destroy(&c->lock);
        free(c->buf);
        free(c);
    }
    CapKind kind = (CapKind)e->base.kind;
    free(e);
    cap_object_destroyed(kind);
}

static CapStreamEnd *end_new(StreamCore *c, int side)
{
    CapStreamEnd *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    atomic_init(&e->base.refs, 1);
    e->base.kind = side == READ_END ? CAP_KIND_STREAM_READ : CAP_KIND_STREAM_WRITE;
    e->base.destroy = stream_destroy;
    e->core = c;
    e->side = side;
    return e;
}

CapErr cap_stream_new(uint32_t capacity, CapStreamEnd **reader, CapStreamEnd **writer)
{
    *reader = *writer = NULL;
    if (capacity == 0) capacity = CAP_STREAM_DEFAULT_CAPACITY;
    if (capacity > CAP_STREAM_MAX_CAPACITY) return CAP_ELIMIT;
    /* Not xmalloc: the capacity is the guest's choice, and the host
     * running short of it is an error for the guest, not an abort. */
    StreamCore *c = calloc(1, sizeof *c);
    uint8_t *buf = malloc(capacity);
    CapStreamEnd *r = c ? end_new(c, READ_END) : NULL;
    CapStreamEnd *w = c ? end_new(c, WRITE_END) : NULL;
    if (!c || !buf || !r || !w) {
        free(c);
        free(buf);
        free(r);
        free(w);
        return CAP_ENOMEM;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->buf = buf;
    c->cap = capacity;
    c->open[READ_END] = c->open[WRITE_END] = true;
    cap_signals_init(&c->sig[READ_END], 0);
    cap_signals_init(&c->sig[WRITE_END], CAP_SIGNAL_WRITABLE);
    cap_object_created(CAP_KIND_STREAM_READ);
    cap_object_created(CAP_KIND_STREAM_WRITE);
    *reader = r;
    *writer = w;
    return CAP_OK;
}

CapSignals *cap_stream_signals(CapStreamEnd *end)
{
    return &end->core->sig[end->side];
}

/* Blocks until one of mask is asserted on the end (or cancel). */
static CapErr wait_for(CapStreamEnd *e, uint32_t mask, const CapCancel *cancel)
{
    CapWaitItem item = {.sig = cap_stream_signals(e), .mask = mask};
    return cap_wait_many(&item, 1, UINT64_MAX, cancel);
}

/* Moves n <= c->len bytes out of the ring. */
static void ring_take(StreamCore *c, uint8_t *dst, size_t n)
{
    size_t first = c->cap - c->head < n ? c->cap - c->head : n;
    memcpy(dst, c->buf + c->head, first);
    memcpy(dst + first, c->buf, n - first);
    c->head = (c->head + n) % c->cap;
    c->len -= n;
}

/* Moves n <= c->cap - c->len bytes into the ring. */
static void ring_put(StreamCore *c, const uint8_t *src, size_t n)
{
    size_t tail = (c->head + c->len) % c->cap;
    size_t first = c->cap - tail < n ? c->cap - tail : n;
    memcpy(c->buf + tail, src, first);
    memcpy(c->buf, src + first, n - first);
    c->len += n;
}

CapErr cap_stream_read(CapStreamEnd *r, uint8_t *buf, size_t len, bool block,
                       const CapCancel *cancel, size_t *done)
{
    *done = 0;
    if (r->side != READ_END) return CAP_EKIND;
    if (len == 0) return CAP_OK;
    StreamCore *c = r->core;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        if (c->len > 0) {
            size_t n = len < c->len ? len : c->len;
            ring_take(c, buf, n);
            stream_sync(c);
            pthread_mutex_unlock(&c->lock);
            *done = n;
            return CAP_OK;
        }
        bool eos = !c->open[WRITE_END];
        pthread_mutex_unlock(&c->lock);
        if (eos) return CAP_OK;          /* drained and no writer: end of stream */
        if (!block) return CAP_EAGAIN;
        CapErr rc = wait_for(r, CAP_SIGNAL_READABLE | CAP_SIGNAL_PEER_CLOSED, cancel);
        if (rc) return rc;
    }
}

CapErr cap_stream_write(CapStreamEnd *w, const uint8_t *buf, size_t len, bool block,
                        const CapCancel *cancel, size_t *done)
{
    *done = 0;
    if (w->side != WRITE_END) return CAP_EKIND;
    StreamCore *c = w->core;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        if (!c->open[READ_END]) {
            pthread_mutex_unlock(&c->lock);
            return CAP_ECLOSED;
        }
        size_t room = c->cap - c->len;
        if (len == 0) {
            pthread_mutex_unlock(&c->lock);
            return CAP_OK;
        }
        if (room > 0) {
            size_t n = len < room ? len : room;
            ring_put(c, buf, n);
            stream_sync(c);
            pthread_mutex_unlock(&c->lock);
            *done = n;
            return CAP_OK;
        }
        pthread_mutex_unlock(&c->lock);
        if (!block) return CAP_EAGAIN;
        CapErr rc = wait_for(w, CAP_SIGNAL_WRITABLE | CAP_SIGNAL_PEER_CLOSED, cancel);
        if (rc) return rc;
    }
}
