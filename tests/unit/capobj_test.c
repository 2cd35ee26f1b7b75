/*
 * capobj_test.c - the component ABI's kernel objects (cap/object.h):
 * signals and wait-sets, events, streams, channels and timers, used from
 * several threads.  Every test checks that the live object counts end where they
 * started, so a leaked or doubly freed object fails it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cap/object.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct Live {
    uint64_t n[CAP_KIND_COUNT];
} Live;

static Live live_now(void)
{
    Live l;
    for (int k = 0; k < CAP_KIND_COUNT; k++) l.n[k] = cap_objects_live((CapKind)k);
    return l;
}

static void assert_live(const Live *before)
{
    for (int k = 0; k < CAP_KIND_COUNT; k++)
        assert_int_equal(cap_objects_live((CapKind)k), before->n[k]);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {}
}

#define MS 1000000ull

static bool flag_cancelled(void *arg)
{
    return atomic_load((atomic_bool *)arg);
}

static void unref(void *o)
{
    cap_unref((CapObject *)o);
}

static pthread_t spawn(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fn, arg), 0);
    return t;
}

/* ---- events and waiting ------------------------------------------------- */

static void test_event_signal_clear(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *e = cap_event_new();
    assert_non_null(e);
    assert_int_equal(e->base.kind, CAP_KIND_EVENT);
    assert_int_equal(atomic_load(&e->base.refs), 1);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), before.n[CAP_KIND_EVENT] + 1);

    CapWaitItem it = {&e->sig, CAP_SIGNAL_SIGNALED, 0xdead};
    assert_int_equal(cap_wait_many(&it, 1, 0, NULL), CAP_ETIMEDOUT);
    assert_int_equal(it.observed, 0);
    cap_event_signal(e);
    assert_int_equal(cap_signals_get(&e->sig), CAP_SIGNAL_SIGNALED);
    it.observed = 0;
    assert_int_equal(cap_wait_many(&it, 1, 0, NULL), CAP_OK);
    assert_int_equal(it.observed, CAP_SIGNAL_SIGNALED);
    /* Level-triggered: it stays set until cleared. */
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, NULL), CAP_OK);
    cap_event_signal(e);
    assert_int_equal(cap_signals_get(&e->sig), CAP_SIGNAL_SIGNALED);
    cap_event_clear(e);
    assert_int_equal(cap_signals_get(&e->sig), 0);

    /* A 20 ms timeout really waits 20 ms, and not forever. */
    uint64_t t0 = now_ns();
    assert_int_equal(cap_wait_many(&it, 1, 20 * MS, NULL), CAP_ETIMEDOUT);
    uint64_t took = now_ns() - t0;
    assert_true(took >= 20 * MS);
    assert_true(took < 2000 * MS);
    assert_int_equal(it.observed, 0);

    /* A mask that names nothing asserted never ends the wait. */
    cap_event_signal(e);
    CapWaitItem other = {&e->sig, CAP_SIGNAL_READABLE, 0};
    assert_int_equal(cap_wait_many(&other, 1, 5 * MS, NULL), CAP_ETIMEDOUT);
    assert_int_equal(other.observed, CAP_SIGNAL_SIGNALED);

    cap_unref(&e->base);
    assert_live(&before);
}

static void test_wait_bad_args(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *e = cap_event_new();
    CapWaitItem items[CAP_WAIT_MAX + 1];
    for (uint32_t i = 0; i <= CAP_WAIT_MAX; i++)
        items[i] = (CapWaitItem){&e->sig, CAP_SIGNAL_SIGNALED, 0};
    assert_int_equal(cap_wait_many(items, 0, 0, NULL), CAP_EINVAL);
    assert_int_equal(cap_wait_many(items, CAP_WAIT_MAX + 1, 0, NULL), CAP_EINVAL);
    /* The maximum, all on one object, is fine. */
    cap_event_signal(e);
    assert_int_equal(cap_wait_many(items, CAP_WAIT_MAX, UINT64_MAX, NULL), CAP_OK);
    for (uint32_t i = 0; i < CAP_WAIT_MAX; i++)
        assert_int_equal(items[i].observed, CAP_SIGNAL_SIGNALED);
    cap_unref(&e->base);
    assert_live(&before);
}

typedef struct Delayed {
    CapEvent *e;
    unsigned ms;
} Delayed;

static void *signal_later(void *arg)
{
    Delayed *d = arg;
    sleep_ms(d->ms);
    cap_event_signal(d->e);
    return NULL;
}

static void test_event_wakes_sleeper(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *e = cap_event_new();
    Delayed d = {e, 30};
    uint64_t t0 = now_ns();
    pthread_t t = spawn(signal_later, &d);
    CapWaitItem it = {&e->sig, CAP_SIGNAL_SIGNALED, 0};
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, NULL), CAP_OK);
    assert_true(now_ns() - t0 >= 25 * MS);
    assert_int_equal(it.observed, CAP_SIGNAL_SIGNALED);
    pthread_join(t, NULL);
    cap_unref(&e->base);
    assert_live(&before);
}

/* Several threads waiting on one event all wake. */
static void *wait_forever(void *arg)
{
    CapWaitItem it = {&((CapEvent *)arg)->sig, CAP_SIGNAL_SIGNALED, 0};
    return (void *)(intptr_t)cap_wait_many(&it, 1, UINT64_MAX, NULL);
}

static void test_event_wakes_all(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *e = cap_event_new();
    pthread_t t[4];
    for (int i = 0; i < 4; i++) t[i] = spawn(wait_forever, e);
    sleep_ms(20);
    cap_event_signal(e);
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_int_equal((intptr_t)rc, CAP_OK);
    }
    cap_unref(&e->base);
    assert_live(&before);
}

static void test_wait_many_right_one(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *ev[3];
    for (int i = 0; i < 3; i++) ev[i] = cap_event_new();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(0, &r, &w), CAP_OK);
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);

    CapWaitItem items[5] = {
        {&ev[0]->sig, CAP_SIGNAL_SIGNALED, 0},
        {&ev[1]->sig, CAP_SIGNAL_SIGNALED, 0},
        {&ev[2]->sig, CAP_SIGNAL_SIGNALED, 0},
        {cap_stream_signals(r), CAP_SIGNAL_READABLE, 0},
        {cap_channel_signals(b), CAP_SIGNAL_READABLE, 0},
    };
    /* Nothing ready: every observed is filled all the same. */
    assert_int_equal(cap_wait_many(items, 5, 0, NULL), CAP_ETIMEDOUT);
    for (int i = 0; i < 4; i++) assert_int_equal(items[i].observed, 0);
    assert_int_equal(items[4].observed, CAP_SIGNAL_WRITABLE);

    Delayed d = {ev[1], 20};
    pthread_t t = spawn(signal_later, &d);
    assert_int_equal(cap_wait_many(items, 5, 5000 * MS, NULL), CAP_OK);
    pthread_join(t, NULL);
    assert_int_equal(items[0].observed, 0);
    assert_int_equal(items[1].observed, CAP_SIGNAL_SIGNALED);
    assert_int_equal(items[2].observed, 0);
    assert_int_equal(items[3].observed, 0);

    /* Then the channel, then the stream. */
    cap_event_clear(ev[1]);
    assert_int_equal(cap_channel_write(a, (const uint8_t *)"x", 1, NULL, 0, false, NULL), CAP_OK);
    assert_int_equal(cap_wait_many(items, 5, 5000 * MS, NULL), CAP_OK);
    assert_int_equal(items[1].observed, 0);
    assert_int_equal(items[3].observed, 0);
    assert_int_equal(items[4].observed, CAP_SIGNAL_READABLE | CAP_SIGNAL_WRITABLE);
    items[4].mask = CAP_SIGNAL_PEER_CLOSED;
    size_t done;
    assert_int_equal(cap_stream_write(w, (const uint8_t *)"y", 1, false, NULL, &done), CAP_OK);
    assert_int_equal(cap_wait_many(items, 5, 5000 * MS, NULL), CAP_OK);
    assert_int_equal(items[3].observed, CAP_SIGNAL_READABLE);
    assert_int_equal(items[4].observed & CAP_SIGNAL_PEER_CLOSED, 0);

    for (int i = 0; i < 3; i++) unref(ev[i]);
    unref(r);
    unref(w);
    unref(a);
    unref(b);
    assert_live(&before);
}

typedef struct Canceller {
    atomic_bool *flag;
    unsigned ms;
} Canceller;

static void *cancel_later(void *arg)
{
    Canceller *c = arg;
    sleep_ms(c->ms);
    atomic_store(c->flag, true);
    return NULL;
}

static void test_wait_cancel(void **state)
{
    (void)state;
    Live before = live_now();
    CapEvent *e = cap_event_new();
    atomic_bool flag = false;
    CapCancel cancel = {flag_cancelled, &flag};
    CapWaitItem it = {&e->sig, CAP_SIGNAL_SIGNALED, 0};

    /* Not cancelled: a timeout still ends it. */
    assert_int_equal(cap_wait_many(&it, 1, 15 * MS, &cancel), CAP_ETIMEDOUT);

    Canceller c = {&flag, 30};
    uint64_t t0 = now_ns();
    pthread_t t = spawn(cancel_later, &c);
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, &cancel), CAP_EINTR);
    uint64_t took = now_ns() - t0;
    pthread_join(t, NULL);
    assert_true(took >= 25 * MS);
    assert_true(took < 2000 * MS); /* polled in slices, not slept through */

    /* Already cancelled: no waiting at all - unless something is ready. */
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, &cancel), CAP_EINTR);
    cap_event_signal(e);
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, &cancel), CAP_OK);

    /* Blocking stream and channel operations give up the same way. */
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(16, &r, &w), CAP_OK);
    uint8_t buf[32] = {0};
    size_t done = 99;
    assert_int_equal(cap_stream_read(r, buf, sizeof buf, true, &cancel, &done), CAP_EINTR);
    assert_int_equal(done, 0);
    assert_int_equal(cap_stream_write(w, buf, 32, true, &cancel, &done), CAP_OK);
    assert_int_equal(done, 16); /* room for 16: no need to block */
    assert_int_equal(cap_stream_write(w, buf, 32, true, &cancel, &done), CAP_EINTR);
    assert_int_equal(done, 0);
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    size_t nb;
    uint32_t nh;
    assert_int_equal(cap_channel_read(a, buf, sizeof buf, &nb, NULL, 0, &nh, true, &cancel),
                     CAP_EINTR);
    for (uint32_t i = 0; i < CAP_CHANNEL_MAX_QUEUED; i++)
        assert_int_equal(cap_channel_write(a, buf, 1, NULL, 0, true, &cancel), CAP_OK);
    assert_int_equal(cap_channel_write(a, buf, 1, NULL, 0, true, &cancel), CAP_EINTR);

    unref(r);
    unref(w);
    unref(a);
    unref(b);
    unref(e);
    assert_live(&before);
}

/* ---- streams ------------------------------------------------------------------ */

static void test_stream_basics(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(CAP_STREAM_MAX_CAPACITY + 1, &r, &w), CAP_ELIMIT);
    assert_null(r);
    assert_null(w);
    assert_live(&before);

    /* 0: the default capacity, exactly. */
    assert_int_equal(cap_stream_new(0, &r, &w), CAP_OK);
    assert_int_equal(((CapObject *)r)->kind, CAP_KIND_STREAM_READ);
    assert_int_equal(((CapObject *)w)->kind, CAP_KIND_STREAM_WRITE);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), before.n[CAP_KIND_STREAM_READ] + 1);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_WRITE),
                     before.n[CAP_KIND_STREAM_WRITE] + 1);
    assert_int_equal(cap_signals_get(cap_stream_signals(r)), 0);
    assert_int_equal(cap_signals_get(cap_stream_signals(w)), CAP_SIGNAL_WRITABLE);
    size_t big = CAP_STREAM_DEFAULT_CAPACITY + 100, done;
    uint8_t *buf = calloc(1, big);
    assert_int_equal(cap_stream_write(w, buf, big, false, NULL, &done), CAP_OK);
    assert_int_equal(done, CAP_STREAM_DEFAULT_CAPACITY);
    assert_int_equal(cap_signals_get(cap_stream_signals(w)), 0);
    assert_int_equal(cap_signals_get(cap_stream_signals(r)), CAP_SIGNAL_READABLE);
    assert_int_equal(cap_stream_write(w, buf, 1, false, NULL, &done), CAP_EAGAIN);
    assert_int_equal(done, 0);
    /* An end of the wrong kind is refused. */
    assert_int_equal(cap_stream_read(w, buf, 1, false, NULL, &done), CAP_EKIND);
    assert_int_equal(cap_stream_write(r, buf, 1, false, NULL, &done), CAP_EKIND);
    free(buf);
    unref(r);
    unref(w);
    assert_live(&before);

    /* The largest capacity is allowed. */
    assert_int_equal(cap_stream_new(CAP_STREAM_MAX_CAPACITY, &r, &w), CAP_OK);
    unref(w);
    unref(r);
    assert_live(&before);
}

/* Odd sizes over a small ring: data comes out in order across the wrap. */
static void test_stream_wrap(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(7, &r, &w), CAP_OK);
    uint8_t next_in = 0, next_out = 0;
    for (int round = 0; round < 200; round++) {
        uint8_t buf[16];
        size_t want = (size_t)(round % 5) + 1, done;
        for (size_t i = 0; i < want; i++) buf[i] = (uint8_t)(next_in + i);
        assert_int_equal(cap_stream_write(w, buf, want, false, NULL, &done), CAP_OK);
        next_in = (uint8_t)(next_in + done);
        size_t get = (size_t)(round % 3) + 1;
        assert_int_equal(cap_stream_read(r, buf, get, false, NULL, &done), CAP_OK);
        assert_true(done > 0 && done <= get);
        for (size_t i = 0; i < done; i++) assert_int_equal(buf[i], (uint8_t)(next_out + i));
        next_out = (uint8_t)(next_out + done);
    }
    unref(r);
    unref(w);
    assert_live(&before);
}

typedef struct BlockedWrite {
    CapStreamEnd *w;
    const uint8_t *buf;
    size_t len, done;
    CapErr rc;
    atomic_bool finished;
} BlockedWrite;

static void *blocked_write(void *arg)
{
    BlockedWrite *b = arg;
    b->rc = cap_stream_write(b->w, b->buf, b->len, true, NULL, &b->done);
    atomic_store(&b->finished, true);
    return NULL;
}

static void test_stream_backpressure(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(4096, &r, &w), CAP_OK);
    static uint8_t src[4096 + 1000], dst[4096 + 1000];
    for (size_t i = 0; i < sizeof src; i++) src[i] = (uint8_t)(i * 7 + 3);
    size_t done;
    assert_int_equal(cap_stream_write(w, src, 4096, true, NULL, &done), CAP_OK);
    assert_int_equal(done, 4096);
    assert_int_equal(cap_stream_write(w, src + 4096, 1000, false, NULL, &done), CAP_EAGAIN);

    BlockedWrite b = {.w = w, .buf = src + 4096, .len = 1000, .finished = false};
    pthread_t t = spawn(blocked_write, &b);
    sleep_ms(40);
    assert_false(atomic_load(&b.finished)); /* full: the writer waits */
    assert_int_equal(cap_stream_read(r, dst, 300, true, NULL, &done), CAP_OK);
    assert_int_equal(done, 300);
    pthread_join(t, NULL);
    assert_int_equal(b.rc, CAP_OK);
    /* It went on once room appeared, moving no more than fitted. */
    assert_true(b.done >= 1 && b.done <= 300);

    /* Everything written comes out, in order. */
    size_t got = 300;
    while (got < 4096 + b.done) {
        assert_int_equal(cap_stream_read(r, dst + got, sizeof dst - got, false, NULL, &done),
                         CAP_OK);
        assert_true(done > 0);
        got += done;
    }
    assert_int_equal(got, 4096 + b.done);
    assert_memory_equal(dst, src, got);
    assert_int_equal(cap_stream_read(r, dst, 1, false, NULL, &done), CAP_EAGAIN);
    unref(r);
    unref(w);
    assert_live(&before);
}

typedef struct BlockedRead {
    CapStreamEnd *r;
    uint8_t buf[64];
    size_t done;
    CapErr rc;
} BlockedRead;

static void *blocked_read(void *arg)
{
    BlockedRead *b = arg;
    b->rc = cap_stream_read(b->r, b->buf, sizeof b->buf, true, NULL, &b->done);
    return NULL;
}

static void test_stream_eos(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(64, &r, &w), CAP_OK);
    size_t done;
    assert_int_equal(cap_stream_write(w, (const uint8_t *)"hello", 5, false, NULL, &done), CAP_OK);
    unref(w);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_WRITE), before.n[CAP_KIND_STREAM_WRITE]);
    assert_int_equal(cap_signals_get(cap_stream_signals(r)),
                     CAP_SIGNAL_READABLE | CAP_SIGNAL_PEER_CLOSED);
    /* Buffered data first, then end-of-stream, as often as asked. */
    uint8_t buf[16];
    assert_int_equal(cap_stream_read(r, buf, sizeof buf, false, NULL, &done), CAP_OK);
    assert_int_equal(done, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(cap_signals_get(cap_stream_signals(r)),
                     CAP_SIGNAL_READABLE | CAP_SIGNAL_PEER_CLOSED);
    for (int i = 0; i < 3; i++) {
        done = 99;
        assert_int_equal(cap_stream_read(r, buf, sizeof buf, i & 1, NULL, &done), CAP_OK);
        assert_int_equal(done, 0);
    }
    unref(r);
    assert_live(&before);

    /* A reader already blocked wakes at end-of-stream. */
    assert_int_equal(cap_stream_new(64, &r, &w), CAP_OK);
    BlockedRead b = {.r = r};
    pthread_t t = spawn(blocked_read, &b);
    sleep_ms(20);
    assert_int_equal(cap_stream_write(w, (const uint8_t *)"ab", 2, false, NULL, &done), CAP_OK);
    pthread_join(t, NULL);
    assert_int_equal(b.rc, CAP_OK);
    assert_int_equal(b.done, 2);
    assert_memory_equal(b.buf, "ab", 2);
    t = spawn(blocked_read, &b);
    sleep_ms(20);
    unref(w);
    pthread_join(t, NULL);
    assert_int_equal(b.rc, CAP_OK);
    assert_int_equal(b.done, 0);
    unref(r);
    assert_live(&before);
}

static void test_stream_reader_closed(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(8, &r, &w), CAP_OK);
    size_t done = 99;
    unref(r);
    assert_int_equal(cap_signals_get(cap_stream_signals(w)), CAP_SIGNAL_PEER_CLOSED);
    assert_int_equal(cap_stream_write(w, (const uint8_t *)"x", 1, false, NULL, &done), CAP_ECLOSED);
    assert_int_equal(done, 0);
    assert_int_equal(cap_stream_write(w, (const uint8_t *)"x", 1, true, NULL, &done), CAP_ECLOSED);
    unref(w);
    assert_live(&before);

    /* A writer blocked on a full stream learns when the reader goes. */
    assert_int_equal(cap_stream_new(8, &r, &w), CAP_OK);
    static const uint8_t src[16];
    assert_int_equal(cap_stream_write(w, src, 16, false, NULL, &done), CAP_OK);
    assert_int_equal(done, 8);
    BlockedWrite b = {.w = w, .buf = src, .len = 16, .finished = false};
    pthread_t t = spawn(blocked_write, &b);
    sleep_ms(20);
    assert_false(atomic_load(&b.finished));
    unref(r);
    pthread_join(t, NULL);
    assert_int_equal(b.rc, CAP_ECLOSED);
    assert_int_equal(b.done, 0);
    unref(w);
    assert_live(&before);
}

/* 64 MiB through a 64 KiB stream in uneven pieces, checksummed. */
#define BULK_BYTES (64ull << 20)

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

typedef struct Bulk {
    CapStreamEnd *end;
    uint64_t sum, bytes;
    CapErr rc;
} Bulk;

static void *bulk_produce(void *arg)
{
    Bulk *b = arg;
    static uint8_t chunk[100003];
    uint64_t x = 0x9e3779b97f4a7c15ull, h = 0xcbf29ce484222325ull, sent = 0;
    while (sent < BULK_BYTES) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = 1 + (size_t)(x % sizeof chunk);
        if (n > BULK_BYTES - sent) n = (size_t)(BULK_BYTES - sent);
        for (size_t i = 0; i < n; i++) chunk[i] = (uint8_t)(x >> (i % 56) ^ i);
        h = fnv(h, chunk, n);
        for (size_t off = 0; off < n;) {
            size_t done;
            b->rc = cap_stream_write(b->end, chunk + off, n - off, true, NULL, &done);
            if (b->rc) return NULL;
            off += done;
        }
        sent += n;
    }
    b->sum = h;
    b->bytes = sent;
    cap_unref((CapObject *)b->end); /* end-of-stream for the reader */
    return NULL;
}

static void test_stream_bulk(void **state)
{
    (void)state;
    Live before = live_now();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(0, &r, &w), CAP_OK);
    Bulk prod = {.end = w};
    pthread_t t = spawn(bulk_produce, &prod);
    static uint8_t buf[70001];
    uint64_t h = 0xcbf29ce484222325ull, got = 0, x = 12345;
    for (;;) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t want = 1 + (size_t)(x % sizeof buf), done;
        assert_int_equal(cap_stream_read(r, buf, want, true, NULL, &done), CAP_OK);
        if (done == 0) break;
        assert_true(done <= want);
        h = fnv(h, buf, done);
        got += done;
    }
    pthread_join(t, NULL);
    assert_int_equal(prod.rc, CAP_OK);
    assert_int_equal(prod.bytes, BULK_BYTES);
    assert_int_equal(got, BULK_BYTES);
    assert_int_equal(h, prod.sum);
    unref(r);
    assert_live(&before);
}

/* ---- channels ----------------------------------------------------------------- */

static void test_channel_roundtrip(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    assert_int_equal(((CapObject *)a)->kind, CAP_KIND_CHANNEL);
    assert_int_equal(cap_objects_live(CAP_KIND_CHANNEL), before.n[CAP_KIND_CHANNEL] + 2);
    assert_int_equal(cap_signals_get(cap_channel_signals(a)), CAP_SIGNAL_WRITABLE);

    CapEvent *e1 = cap_event_new(), *e2 = cap_event_new();
    CapStreamEnd *r, *w;
    assert_int_equal(cap_stream_new(0, &r, &w), CAP_OK);
    CapMsgHandle out[3] = {{&e1->base, CAP_RIGHT_WAIT, 0, 0},
                           {(CapObject *)r, CAP_RIGHT_READ | CAP_RIGHT_TRANSFER, 0, 0},
                           {&e2->base, CAP_RIGHTS_ALL, 0, 0}};
    assert_int_equal(cap_channel_write(a, (const uint8_t *)"ping", 4, out, 3, false, NULL), CAP_OK);
    /* The channel owns those references now; our own go. */
    assert_int_equal(cap_signals_get(cap_channel_signals(b)),
                     CAP_SIGNAL_READABLE | CAP_SIGNAL_WRITABLE);
    assert_int_equal(cap_signals_get(cap_channel_signals(a)), CAP_SIGNAL_WRITABLE);

    uint8_t buf[16];
    size_t nb = 99;
    uint32_t nh = 99;
    CapMsgHandle in[CAP_MSG_MAX_HANDLES];
    assert_int_equal(cap_channel_read(a, buf, sizeof buf, &nb, in, 8, &nh, false, NULL),
                     CAP_EAGAIN);
    assert_int_equal(nb, 0);
    assert_int_equal(nh, 0);
    assert_int_equal(cap_channel_read(b, buf, sizeof buf, &nb, in, 8, &nh, false, NULL), CAP_OK);
    assert_int_equal(nb, 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(nh, 3);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(in[i].obj, out[i].obj);
        assert_int_equal(in[i].rights, out[i].rights);
    }
    assert_int_equal(cap_signals_get(cap_channel_signals(b)), CAP_SIGNAL_WRITABLE);

    /* The other way, with no bytes and only a handle. */
    assert_int_equal(cap_channel_write(b, NULL, 0, in, 1, true, NULL), CAP_OK);
    assert_int_equal(cap_channel_read(a, NULL, 0, &nb, in + 3, 1, &nh, true, NULL), CAP_OK);
    assert_int_equal(nb, 0);
    assert_int_equal(nh, 1);
    assert_ptr_equal(in[3].obj, &e1->base);
    /* An empty message is a message too. */
    assert_int_equal(cap_channel_write(a, NULL, 0, NULL, 0, false, NULL), CAP_OK);
    assert_int_equal(cap_channel_read(b, NULL, 0, &nb, NULL, 0, &nh, false, NULL), CAP_OK);
    assert_int_equal(nb + nh, 0);
    assert_int_equal(cap_channel_read(b, NULL, 0, &nb, NULL, 0, &nh, false, NULL), CAP_EAGAIN);

    for (int i = 1; i < 4; i++) cap_unref(in[i].obj);
    unref(w);
    unref(a);
    unref(b);
    assert_live(&before);
}

static void test_channel_limits(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    uint8_t *big = calloc(1, CAP_MSG_MAX_BYTES + 1);
    for (size_t i = 0; i <= CAP_MSG_MAX_BYTES; i++) big[i] = (uint8_t)(i * 31);
    CapEvent *e = cap_event_new();
    CapMsgHandle hs[CAP_MSG_MAX_HANDLES + 1];
    for (uint32_t i = 0; i <= CAP_MSG_MAX_HANDLES; i++) {
        cap_ref(&e->base);
        hs[i] = (CapMsgHandle){&e->base, i, 0, 0};
    }
    assert_int_equal(cap_channel_write(a, big, CAP_MSG_MAX_BYTES + 1, NULL, 0, false, NULL),
                     CAP_ELIMIT);
    assert_int_equal(cap_channel_write(a, big, 1, hs, CAP_MSG_MAX_HANDLES + 1, false, NULL),
                     CAP_ELIMIT);
    assert_int_equal(cap_signals_get(cap_channel_signals(b)), CAP_SIGNAL_WRITABLE);
    /* The largest message goes through, references and all. */
    assert_int_equal(cap_channel_write(a, big, CAP_MSG_MAX_BYTES, hs, CAP_MSG_MAX_HANDLES, false,
                                       NULL),
                     CAP_OK);
    assert_int_equal(atomic_load(&e->base.refs), CAP_MSG_MAX_HANDLES + 2);

    /* Too small a buffer, or too few handle slots: told what it takes,
     * and the message stays. */
    uint8_t *in = malloc(CAP_MSG_MAX_BYTES);
    CapMsgHandle got[CAP_MSG_MAX_HANDLES];
    size_t nb;
    uint32_t nh;
    assert_int_equal(cap_channel_read(b, in, 100, &nb, got, CAP_MSG_MAX_HANDLES, &nh, false,
                                      NULL),
                     CAP_ELIMIT);
    assert_int_equal(nb, CAP_MSG_MAX_BYTES);
    assert_int_equal(nh, CAP_MSG_MAX_HANDLES);
    assert_int_equal(cap_channel_read(b, in, CAP_MSG_MAX_BYTES, &nb, got, 3, &nh, false, NULL),
                     CAP_ELIMIT);
    assert_int_equal(nb, CAP_MSG_MAX_BYTES);
    assert_int_equal(nh, CAP_MSG_MAX_HANDLES);
    assert_int_equal(cap_signals_get(cap_channel_signals(b)),
                     CAP_SIGNAL_READABLE | CAP_SIGNAL_WRITABLE);
    assert_int_equal(cap_channel_read(b, in, CAP_MSG_MAX_BYTES, &nb, got, CAP_MSG_MAX_HANDLES,
                                      &nh, false, NULL),
                     CAP_OK);
    assert_int_equal(nb, CAP_MSG_MAX_BYTES);
    assert_memory_equal(in, big, CAP_MSG_MAX_BYTES);
    assert_int_equal(nh, CAP_MSG_MAX_HANDLES);
    for (uint32_t i = 0; i < nh; i++) {
        assert_int_equal(got[i].rights, i);
        cap_unref(got[i].obj);
    }
    cap_unref(hs[CAP_MSG_MAX_HANDLES].obj);
    assert_int_equal(atomic_load(&e->base.refs), 1);
    free(in);
    free(big);
    unref(e);
    unref(a);
    unref(b);
    assert_live(&before);
}

typedef struct BlockedSend {
    CapChannelEnd *c;
    CapErr rc;
    atomic_bool finished;
} BlockedSend;

static void *blocked_send(void *arg)
{
    BlockedSend *s = arg;
    s->rc = cap_channel_write(s->c, (const uint8_t *)"late", 4, NULL, 0, true, NULL);
    atomic_store(&s->finished, true);
    return NULL;
}

static void test_channel_queue_full(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    for (uint32_t i = 0; i < CAP_CHANNEL_MAX_QUEUED; i++)
        assert_int_equal(cap_channel_write(a, (const uint8_t *)&i, 4, NULL, 0, false, NULL),
                         CAP_OK);
    assert_int_equal(cap_channel_write(a, (const uint8_t *)"x", 1, NULL, 0, false, NULL),
                     CAP_EAGAIN);
    assert_int_equal(cap_signals_get(cap_channel_signals(a)), 0);
    /* The other direction is independent. */
    assert_int_equal(cap_channel_write(b, (const uint8_t *)"y", 1, NULL, 0, false, NULL), CAP_OK);

    BlockedSend s = {.c = a, .finished = false};
    pthread_t t = spawn(blocked_send, &s);
    sleep_ms(30);
    assert_false(atomic_load(&s.finished));
    uint32_t v;
    size_t nb;
    uint32_t nh;
    assert_int_equal(cap_channel_read(b, (uint8_t *)&v, 4, &nb, NULL, 0, &nh, false, NULL), CAP_OK);
    assert_int_equal(v, 0);
    pthread_join(t, NULL);
    assert_int_equal(s.rc, CAP_OK);
    /* Order kept: 1 .. MAX-1, then the late one. */
    uint8_t buf[8];
    for (uint32_t i = 1; i < CAP_CHANNEL_MAX_QUEUED; i++) {
        assert_int_equal(cap_channel_read(b, buf, sizeof buf, &nb, NULL, 0, &nh, false, NULL),
                         CAP_OK);
        memcpy(&v, buf, 4);
        assert_int_equal(v, i);
    }
    assert_int_equal(cap_channel_read(b, buf, sizeof buf, &nb, NULL, 0, &nh, false, NULL), CAP_OK);
    assert_int_equal(nb, 4);
    assert_memory_equal(buf, "late", 4);
    unref(a);
    unref(b);
    assert_live(&before);
}

static void test_channel_inflight_freed(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    for (int i = 0; i < 5; i++) {
        CapEvent *e = cap_event_new();
        CapStreamEnd *r, *w;
        assert_int_equal(cap_stream_new(0, &r, &w), CAP_OK);
        CapMsgHandle hs[3] = {{&e->base, 0, 0, 0}, {(CapObject *)r, 0, 0, 0}, {(CapObject *)w, 0, 0, 0}};
        assert_int_equal(cap_channel_write(a, (const uint8_t *)"m", 1, hs, 3, false, NULL), CAP_OK);
    }
    /* Only the queue holds them now. */
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), before.n[CAP_KIND_EVENT] + 5);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), before.n[CAP_KIND_STREAM_READ] + 5);
    /* A message into b's other direction stays with a when b goes. */
    CapEvent *kept = cap_event_new();
    cap_ref(&kept->base);
    CapMsgHandle k = {&kept->base, 0, 0, 0};
    assert_int_equal(cap_channel_write(b, NULL, 0, &k, 1, false, NULL), CAP_OK);

    unref(b);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), before.n[CAP_KIND_EVENT] + 1);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), before.n[CAP_KIND_STREAM_READ]);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_WRITE), before.n[CAP_KIND_STREAM_WRITE]);
    assert_int_equal(cap_objects_live(CAP_KIND_CHANNEL), before.n[CAP_KIND_CHANNEL] + 1);
    assert_int_equal(cap_signals_get(cap_channel_signals(a)),
                     CAP_SIGNAL_READABLE | CAP_SIGNAL_PEER_CLOSED);

    /* A write to a closed peer fails and leaves the references alone. */
    CapEvent *e = cap_event_new();
    CapMsgHandle h = {&e->base, 0, 0, 0};
    assert_int_equal(cap_channel_write(a, (const uint8_t *)"z", 1, &h, 1, true, NULL), CAP_ECLOSED);
    assert_int_equal(atomic_load(&e->base.refs), 1);
    unref(e);

    /* What is still queued to a can be read; then ECLOSED. */
    size_t nb;
    uint32_t nh;
    CapMsgHandle got;
    assert_int_equal(cap_channel_read(a, NULL, 0, &nb, &got, 1, &nh, false, NULL), CAP_OK);
    assert_int_equal(nh, 1);
    assert_ptr_equal(got.obj, &kept->base);
    cap_unref(got.obj);
    assert_int_equal(cap_channel_read(a, NULL, 0, &nb, &got, 1, &nh, false, NULL), CAP_ECLOSED);
    assert_int_equal(cap_channel_read(a, NULL, 0, &nb, &got, 1, &nh, true, NULL), CAP_ECLOSED);
    assert_int_equal(atomic_load(&kept->base.refs), 1);
    unref(kept);
    unref(a);
    assert_live(&before);
}

static void test_channel_self_send(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b, *c, *d;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    assert_int_equal(cap_channel_new(&c, &d), CAP_OK);
    CapMsgHandle self = {(CapObject *)a, CAP_RIGHTS_ALL, 0, 0};
    CapMsgHandle peer = {(CapObject *)b, CAP_RIGHTS_ALL, 0, 0};
    assert_int_equal(cap_channel_write(a, NULL, 0, &self, 1, false, NULL), CAP_EINVAL);
    assert_int_equal(cap_channel_write(a, NULL, 0, &peer, 1, false, NULL), CAP_EINVAL);
    assert_int_equal(cap_channel_write(b, NULL, 0, &self, 1, false, NULL), CAP_EINVAL);
    CapMsgHandle none = {NULL, 0, 0, 0};
    assert_int_equal(cap_channel_write(a, NULL, 0, &none, 1, false, NULL), CAP_EINVAL);
    assert_int_equal(cap_channel_write(a, NULL, 1, NULL, 0, false, NULL), CAP_EINVAL);
    assert_int_equal(cap_signals_get(cap_channel_signals(b)), CAP_SIGNAL_WRITABLE);
    assert_int_equal(atomic_load(&((CapObject *)a)->refs), 1);
    assert_int_equal(atomic_load(&((CapObject *)b)->refs), 1);

    /* Another channel's endpoint may travel; when the receiver goes
     * unread, it is dropped and its peer sees PEER_CLOSED. */
    CapMsgHandle other = {(CapObject *)c, CAP_RIGHTS_ALL, 0, 0};
    assert_int_equal(cap_channel_write(a, NULL, 0, &other, 1, false, NULL), CAP_OK);
    assert_int_equal(cap_signals_get(cap_channel_signals(d)), CAP_SIGNAL_WRITABLE);
    unref(b);
    assert_int_equal(cap_signals_get(cap_channel_signals(d)), CAP_SIGNAL_PEER_CLOSED);
    unref(d);
    unref(a);
    assert_live(&before);
}

typedef struct BlockedRecv {
    CapChannelEnd *c;
    CapErr rc;
} BlockedRecv;

static void *blocked_recv(void *arg)
{
    BlockedRecv *r = arg;
    size_t nb;
    uint32_t nh;
    uint8_t buf[4];
    r->rc = cap_channel_read(r->c, buf, sizeof buf, &nb, NULL, 0, &nh, true, NULL);
    return NULL;
}

static void test_channel_peer_closed(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    BlockedRecv r = {.c = b, .rc = CAP_OK};
    pthread_t t = spawn(blocked_recv, &r);
    sleep_ms(20);
    unref(a);
    pthread_join(t, NULL);
    assert_int_equal(r.rc, CAP_ECLOSED);
    assert_int_equal(cap_signals_get(cap_channel_signals(b)), CAP_SIGNAL_PEER_CLOSED);
    assert_int_equal(cap_channel_write(b, (const uint8_t *)"x", 1, NULL, 0, false, NULL),
                     CAP_ECLOSED);
    unref(b);
    assert_live(&before);

    /* A writer blocked on a full queue learns when the reader goes. */
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    for (uint32_t i = 0; i < CAP_CHANNEL_MAX_QUEUED; i++)
        assert_int_equal(cap_channel_write(a, NULL, 0, NULL, 0, false, NULL), CAP_OK);
    BlockedSend s = {.c = a, .finished = false};
    t = spawn(blocked_send, &s);
    sleep_ms(20);
    assert_false(atomic_load(&s.finished));
    unref(b);
    pthread_join(t, NULL);
    assert_int_equal(s.rc, CAP_ECLOSED);
    unref(a);
    assert_live(&before);
}

/* A long chain of channels, each queued in the next: releasing the head
 * frees them all, iteratively - on a thread with a 256 KiB stack, which
 * following the chain by recursion would overflow many times over. */
enum { CHAIN_DEPTH = 50000 };

static void *build_and_drop_chain(void *arg)
{
    (void)arg;
    CapChannelEnd *held = NULL;
    for (int i = 0; i < CHAIN_DEPTH; i++) {
        CapChannelEnd *a, *b;
        if (cap_channel_new(&a, &b) != CAP_OK) return (void *)1;
        if (held) {
            CapMsgHandle h = {(CapObject *)held, 0, 0, 0};
            if (cap_channel_write(a, NULL, 0, &h, 1, false, NULL) != CAP_OK) return (void *)2;
        }
        unref(a);
        held = b;
    }
    if (cap_objects_live(CAP_KIND_CHANNEL) < CHAIN_DEPTH) return (void *)3;
    unref(held);
    return NULL;
}

static void test_channel_deep_chain(void **state)
{
    (void)state;
    Live before = live_now();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    pthread_t t;
    assert_int_equal(pthread_create(&t, &attr, build_and_drop_chain, NULL), 0);
    pthread_attr_destroy(&attr);
    void *rc;
    pthread_join(t, &rc);
    assert_null(rc);
    assert_live(&before);
}

/* Two threads ping-pong numbered messages with handles. */
#define PINGS 20000

static void *pong(void *arg)
{
    CapChannelEnd *c = arg;
    for (uint32_t i = 0; i < PINGS; i++) {
        uint32_t v;
        size_t nb;
        uint32_t nh;
        CapMsgHandle h;
        if (cap_channel_read(c, (uint8_t *)&v, 4, &nb, &h, 1, &nh, true, NULL) != CAP_OK ||
            v != i || nb != 4 || nh != 1)
            return (void *)1;
        v = ~v;
        if (cap_channel_write(c, (const uint8_t *)&v, 4, &h, 1, true, NULL) != CAP_OK)
            return (void *)2;
    }
    return NULL;
}

static void test_channel_threaded(void **state)
{
    (void)state;
    Live before = live_now();
    CapChannelEnd *a, *b;
    assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
    CapEvent *e = cap_event_new();
    pthread_t t = spawn(pong, b);
    CapMsgHandle h = {&e->base, CAP_RIGHT_WAIT, 0, 0};
    for (uint32_t i = 0; i < PINGS; i++) {
        assert_int_equal(cap_channel_write(a, (const uint8_t *)&i, 4, &h, 1, true, NULL), CAP_OK);
        uint32_t v, nh;
        size_t nb;
        assert_int_equal(cap_channel_read(a, (uint8_t *)&v, 4, &nb, &h, 1, &nh, true, NULL),
                         CAP_OK);
        assert_int_equal(v, ~i);
        assert_ptr_equal(h.obj, &e->base);
    }
    void *rc;
    pthread_join(t, &rc);
    assert_null(rc);
    assert_int_equal(atomic_load(&e->base.refs), 1);
    unref(e);
    unref(a);
    unref(b);
    assert_live(&before);
}

/* Both ends closed from two threads at once, many times: the shared core
 * is freed exactly once (ASan/TSan would see otherwise). */
static void *unref_thread(void *arg)
{
    cap_unref(arg);
    return NULL;
}

static void test_concurrent_close(void **state)
{
    (void)state;
    Live before = live_now();
    for (int i = 0; i < 300; i++) {
        CapChannelEnd *a, *b;
        assert_int_equal(cap_channel_new(&a, &b), CAP_OK);
        CapStreamEnd *r, *w;
        assert_int_equal(cap_stream_new(16, &r, &w), CAP_OK);
        CapMsgHandle h = {(CapObject *)w, 0, 0, 0};
        assert_int_equal(cap_channel_write(a, NULL, 0, &h, 1, false, NULL), CAP_OK);
        pthread_t t1 = spawn(unref_thread, a), t2 = spawn(unref_thread, b);
        unref(r);
        pthread_join(t1, NULL);
        pthread_join(t2, NULL);
    }
    assert_live(&before);
}

/* ---- timers ---------------------------------------------------------------- */

static CapWaitItem timer_item(CapTimer *t)
{
    return (CapWaitItem){cap_timer_signals(t), CAP_SIGNAL_SIGNALED, 0};
}

/* A one-shot timer is SIGNALED at its deadline, never before, and stays
 * so until acked; it does not fire again. */
static void test_timer_one_shot(void **state)
{
    (void)state;
    Live before = live_now();
    uint32_t armed0 = cap_timers_armed();
    CapTimer *t = cap_timer_new();
    assert_non_null(t);
    assert_int_equal(((CapObject *)t)->kind, CAP_KIND_TIMER);
    CapWaitItem it = timer_item(t);
    /* Unarmed: nothing comes. */
    assert_int_equal(cap_wait_many(&it, 1, 20 * MS, NULL), CAP_ETIMEDOUT);
    assert_int_equal(cap_timer_ack(t), 0);

    uint64_t deadline = cap_monotonic_ns() + 50 * MS;
    assert_int_equal(cap_timer_set(t, deadline, 0), CAP_OK);
    assert_int_equal(cap_timers_armed(), armed0 + 1);
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, NULL), CAP_OK);
    uint64_t seen = cap_monotonic_ns();
    assert_true(seen >= deadline);
    assert_true(seen - deadline < 2000 * MS);
    assert_int_equal(it.observed, CAP_SIGNAL_SIGNALED);
    assert_int_equal(cap_timers_armed(), armed0); /* a one-shot disarms */
    /* Still asserted a while later: only an ack clears it. */
    sleep_ms(10);
    assert_int_equal(cap_signals_get(cap_timer_signals(t)), CAP_SIGNAL_SIGNALED);
    assert_int_equal(cap_timer_ack(t), 1);
    assert_int_equal(cap_signals_get(cap_timer_signals(t)), 0);
    assert_int_equal(cap_timer_ack(t), 0);
    assert_int_equal(cap_wait_many(&it, 1, 60 * MS, NULL), CAP_ETIMEDOUT);

    /* A deadline already past expires at once. */
    assert_int_equal(cap_timer_set(t, 0, 0), CAP_OK);
    assert_int_equal(cap_wait_many(&it, 1, 2000 * MS, NULL), CAP_OK);
    assert_int_equal(cap_timer_ack(t), 1);

    /* A long deadline is not reached by a short wait. */
    assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + 5000 * MS, 0), CAP_OK);
    assert_int_equal(cap_wait_many(&it, 1, 20 * MS, NULL), CAP_ETIMEDOUT);
    cap_unref((CapObject *)t); /* armed: destroy disarms it */
    assert_int_equal(cap_timers_armed(), armed0);
    assert_live(&before);
}

/* Cancel and re-set replace what was armed, signal and count included. */
static void test_timer_cancel_and_reset(void **state)
{
    (void)state;
    Live before = live_now();
    uint32_t armed0 = cap_timers_armed();
    CapTimer *t = cap_timer_new();
    CapWaitItem it = timer_item(t);
    assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + 30 * MS, 0), CAP_OK);
    cap_timer_cancel(t);
    assert_int_equal(cap_timers_armed(), armed0);
    assert_int_equal(cap_wait_many(&it, 1, 100 * MS, NULL), CAP_ETIMEDOUT);
    assert_int_equal(cap_timer_ack(t), 0);

    /* Re-set for later: the earlier deadline no longer counts. */
    assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + 20 * MS, 0), CAP_OK);
    uint64_t later = cap_monotonic_ns() + 150 * MS;
    assert_int_equal(cap_timer_set(t, later, 0), CAP_OK);
    assert_int_equal(cap_timers_armed(), armed0 + 1);
    assert_int_equal(cap_wait_many(&it, 1, UINT64_MAX, NULL), CAP_OK);
    assert_true(cap_monotonic_ns() >= later);

    /* Set and cancel clear what had fired. */
    assert_int_equal(cap_signals_get(cap_timer_signals(t)), CAP_SIGNAL_SIGNALED);
    assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + 5000 * MS, 0), CAP_OK);
    assert_int_equal(cap_signals_get(cap_timer_signals(t)), 0);
    assert_int_equal(cap_timer_ack(t), 0);
    assert_int_equal(cap_timer_set(t, 0, 0), CAP_OK);
    assert_int_equal(cap_wait_many(&it, 1, 2000 * MS, NULL), CAP_OK);
    cap_timer_cancel(t);
    assert_int_equal(cap_signals_get(cap_timer_signals(t)), 0);
    assert_int_equal(cap_timer_ack(t), 0);

    /* Periods below the minimum are refused and change nothing. */
    assert_int_equal(cap_timer_set(t, 0, 1), CAP_EINVAL);
    assert_int_equal(cap_timer_set(t, 0, CAP_TIMER_MIN_PERIOD_NS - 1), CAP_EINVAL);
    assert_int_equal(cap_timers_armed(), armed0);
    cap_unref((CapObject *)t);
    assert_live(&before);
}

/* A periodic timer expires every period; ack counts what passed, periods
 * missed unacked included, and it stays armed. */
static void test_timer_periodic(void **state)
{
    (void)state;
    Live before = live_now();
    uint32_t armed0 = cap_timers_armed();
    CapTimer *t = cap_timer_new();
    CapWaitItem it = timer_item(t);
    const uint64_t period = 10 * MS;
    uint64_t t0 = cap_monotonic_ns();
    assert_int_equal(cap_timer_set(t, t0 + period, period), CAP_OK);
    uint64_t total = 0;
    int wakes = 0;
    while (total < 5) {
        assert_int_equal(cap_wait_many(&it, 1, 2000 * MS, NULL), CAP_OK);
        uint64_t n = cap_timer_ack(t);
        assert_true(n >= 1);
        total += n;
        wakes++;
    }
    /* The 5th expiry is 5 periods after the set, not earlier. */
    uint64_t took = cap_monotonic_ns() - t0;
    assert_true(took >= 5 * period);
    assert_true(total <= took / period);
    assert_true(wakes >= 1);
    assert_int_equal(cap_timers_armed(), armed0 + 1);

    /* Unacked for 100 ms: every period counts, once the service has run
     * after them (the next expiry proves it did). */
    t0 = cap_monotonic_ns();
    assert_int_equal(cap_timer_set(t, t0 + period, period), CAP_OK);
    sleep_ms(100);
    uint64_t n1 = cap_timer_ack(t);
    assert_int_equal(cap_wait_many(&it, 1, 2000 * MS, NULL), CAP_OK);
    uint64_t n2 = cap_timer_ack(t);
    took = cap_monotonic_ns() - t0;
    assert_true(n2 >= 1);
    assert_true(n1 + n2 >= 10);
    assert_true(n1 + n2 <= took / period);

    cap_timer_cancel(t);
    assert_int_equal(cap_timers_armed(), armed0);
    assert_int_equal(cap_wait_many(&it, 1, 50 * MS, NULL), CAP_ETIMEDOUT);
    cap_unref((CapObject *)t);
    assert_live(&before);
}

/* A timer waited on with other objects: whichever comes first. */
static void test_timer_wait_many(void **state)
{
    (void)state;
    Live before = live_now();
    CapTimer *t = cap_timer_new();
    CapEvent *e = cap_event_new();
    CapWaitItem items[2] = {{&e->sig, CAP_SIGNAL_SIGNALED, 0}, timer_item(t)};
    uint64_t deadline = cap_monotonic_ns() + 30 * MS;
    assert_int_equal(cap_timer_set(t, deadline, 0), CAP_OK);
    assert_int_equal(cap_wait_many(items, 2, UINT64_MAX, NULL), CAP_OK);
    assert_true(cap_monotonic_ns() >= deadline);
    assert_int_equal(items[0].observed, 0);
    assert_int_equal(items[1].observed, CAP_SIGNAL_SIGNALED);
    /* The event first, the timer far away. */
    assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + 5000 * MS, 0), CAP_OK);
    Delayed d = {e, 20};
    pthread_t th = spawn(signal_later, &d);
    assert_int_equal(cap_wait_many(items, 2, UINT64_MAX, NULL), CAP_OK);
    pthread_join(th, NULL);
    assert_int_equal(items[0].observed, CAP_SIGNAL_SIGNALED);
    assert_int_equal(items[1].observed, 0);
    cap_unref(&e->base);
    cap_unref((CapObject *)t);
    assert_live(&before);
}

/* Timers freed while armed, while firing, and while another thread waits
 * on them with its own reference: nothing is touched after it is freed
 * (ASan, TSan) and the counts come back. */
static void *wait_ack_unref(void *arg)
{
    CapTimer *t = arg;
    CapWaitItem it = timer_item(t);
    for (int i = 0; i < 3; i++) {
        if (cap_wait_many(&it, 1, 2000 * MS, NULL) != CAP_OK) return (void *)1;
        cap_timer_ack(t);
    }
    cap_unref((CapObject *)t);
    return NULL;
}

static void test_timer_destroy_armed(void **state)
{
    (void)state;
    Live before = live_now();
    uint32_t armed0 = cap_timers_armed();
    for (int round = 0; round < 20; round++) {
        CapTimer *ts[32];
        uint64_t now = cap_monotonic_ns();
        for (int i = 0; i < 32; i++) {
            ts[i] = cap_timer_new();
            /* Deadlines now, in a moment, and far away; some periodic. */
            uint64_t at = i % 3 == 0 ? now : i % 3 == 1 ? now + (uint64_t)(i % 5) * MS
                                                         : now + 3600000 * MS;
            assert_int_equal(cap_timer_set(ts[i], at, i % 2 ? CAP_TIMER_MIN_PERIOD_NS : 0),
                             CAP_OK);
        }
        if (round % 2) sleep_ms(2);
        for (int i = 0; i < 32; i++) cap_unref((CapObject *)ts[i]);
    }
    assert_int_equal(cap_timers_armed(), armed0);

    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        CapTimer *t = cap_timer_new();
        assert_int_equal(cap_timer_set(t, cap_monotonic_ns() + MS, CAP_TIMER_MIN_PERIOD_NS),
                         CAP_OK);
        cap_ref((CapObject *)t); /* the waiter's */
        th[i] = spawn(wait_ack_unref, t);
        cap_unref((CapObject *)t); /* ours goes while it is armed and waited on */
    }
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        assert_null(rc);
    }
    assert_int_equal(cap_timers_armed(), armed0);
    assert_live(&before);
}

/* At most CAP_TIMER_MAX_ARMED armed at once; unarmed ones are not
 * counted, and the room comes back as they go. */
static void test_timer_limit(void **state)
{
    (void)state;
    Live before = live_now();
    uint32_t armed0 = cap_timers_armed();
    uint32_t n = CAP_TIMER_MAX_ARMED - armed0;
    CapTimer **ts = calloc(n, sizeof *ts);
    assert_non_null(ts);
    uint64_t far = cap_monotonic_ns() + 3600000 * MS;
    for (uint32_t i = 0; i < n; i++) {
        ts[i] = cap_timer_new();
        assert_non_null(ts[i]);
        assert_int_equal(cap_timer_set(ts[i], far + i % 1000, 0), CAP_OK);
    }
    assert_int_equal(cap_timers_armed(), CAP_TIMER_MAX_ARMED);
    CapTimer *extra = cap_timer_new();
    assert_int_equal(cap_timer_set(extra, far, 0), CAP_ELIMIT);
    /* Re-setting one already armed needs no room. */
    assert_int_equal(cap_timer_set(ts[0], far + 1, 0), CAP_OK);
    cap_timer_cancel(ts[n - 1]);
    assert_int_equal(cap_timer_set(extra, 0, 0), CAP_OK);
    CapWaitItem it = timer_item(extra);
    assert_int_equal(cap_wait_many(&it, 1, 2000 * MS, NULL), CAP_OK);
    for (uint32_t i = 0; i < n; i++) cap_unref((CapObject *)ts[i]);
    cap_unref((CapObject *)extra);
    free(ts);
    assert_int_equal(cap_timers_armed(), armed0);
    assert_live(&before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_signal_clear),
        cmocka_unit_test(test_wait_bad_args),
        cmocka_unit_test(test_event_wakes_sleeper),
        cmocka_unit_test(test_event_wakes_all),
        cmocka_unit_test(test_wait_many_right_one),
        cmocka_unit_test(test_wait_cancel),
        cmocka_unit_test(test_stream_basics),
        cmocka_unit_test(test_stream_wrap),
        cmocka_unit_test(test_stream_backpressure),
        cmocka_unit_test(test_stream_eos),
        cmocka_unit_test(test_stream_reader_closed),
        cmocka_unit_test(test_stream_bulk),
        cmocka_unit_test(test_channel_roundtrip),
        cmocka_unit_test(test_channel_limits),
        cmocka_unit_test(test_channel_queue_full),
        cmocka_unit_test(test_channel_inflight_freed),
        cmocka_unit_test(test_channel_self_send),
        cmocka_unit_test(test_channel_peer_closed),
        cmocka_unit_test(test_channel_deep_chain),
        cmocka_unit_test(test_channel_threaded),
        cmocka_unit_test(test_concurrent_close),
        cmocka_unit_test(test_timer_one_shot),
        cmocka_unit_test(test_timer_cancel_and_reset),
        cmocka_unit_test(test_timer_periodic),
        cmocka_unit_test(test_timer_wait_many),
        cmocka_unit_test(test_timer_destroy_armed),
        cmocka_unit_test(test_timer_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
