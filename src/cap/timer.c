/*
 * timer.c - timers: objects whose SIGNALED signal the clock asserts
 * (object.h, "timer"; docs/abi.md, "Timers").
 *
 * One process-wide service keeps every armed timer in a binary min-heap
 * ordered by deadline, under one mutex (`svc.lock`), and one thread
 * sleeps on a CLOCK_MONOTONIC condition variable until the earliest
 * deadline.  A timer is in the heap exactly while it is armed, and its
 * `slot` says where, so setting, cancelling and destroying it move or
 * remove it in O(log n) without a search.
 *
 * The heap does not hold references: closing a timer's last handle frees
 * it even while armed.  Its destroy takes it out of the heap under
 * svc.lock first, and the service thread touches timers only under that
 * lock and only while they are in the heap, so it can never reach one
 * being freed.
 *
 * Lock order: svc.lock, then a timer's signals lock, then a waiter's lock
 * (signals.c).  Expiry asserts SIGNALED while holding svc.lock on purpose:
 * a set, cancel or ack also updates the signal under svc.lock, so an
 * expiry the thread decided on can never land after a set that re-armed
 * the timer for later.  This cannot invert: nothing takes svc.lock while
 * holding a signals or waiter lock (signals.c never calls out), and the
 * only other lock ever held when svc.lock is taken is whatever state lock
 * a caller of cap_unref holds, which the service never takes.
 *
 * The thread is started when a timer is armed and none is running, and
 * ends after IDLE_NS with nothing armed; it is detached, so it never
 * keeps the process alive and nothing is left to join at exit.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "cap/object.h"

#define IDLE_NS (10ull * 1000000000ull)
#define NOT_ARMED UINT32_MAX

struct CapTimer {
    CapObject base;          /* first: handles point at it */
    CapSignals sig;
    /* The rest is guarded by svc.lock. */
    uint32_t slot;           /* index in svc.heap, NOT_ARMED when not in it */
    uint64_t deadline;       /* CLOCK_MONOTONIC ns of the next expiry */
    uint64_t period;         /* 0: one-shot */
    uint64_t expirations;    /* since the last set, cancel or ack */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* CLOCK_MONOTONIC; made by init_once */
    CapTimer **heap;
    uint32_t n, cap;
    bool running;            /* a service thread exists */
} svc = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
    /* A monotonic clock: deadlines must not move when the wall clock is
     * set. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&svc.wake, &attr);
    pthread_condattr_destroy(&attr);
}

uint64_t cap_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* ---- the heap (svc.lock held) ---------------------------------------------- */

static void put(uint32_t i, CapTimer *t)
{
    svc.heap[i] = t;
    t->slot = i;
}

static void sift_up(uint32_t i)
{
    CapTimer *t = svc.heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (svc.heap[p]->deadline <= t->deadline) break;
        put(i, svc.heap[p]);
        i = p;
    }
    put(i, t);
}

static void sift_down(uint32_t i)
{
    CapTimer *t = svc.heap[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= svc.n) break;
        if (c + 1 < svc.n && svc.heap[c + 1]->deadline < svc.heap[c]->deadline) c++;
        if (t->deadline <= svc.heap[c]->deadline) break;
        put(i, svc.heap[c]);
        i = c;
    }
    put(i, t);
}

/* After t's deadline changed in place. */
static void fix(CapTimer *t)
{
    sift_up(t->slot);
    sift_down(t->slot);
}

static void heap_remove(CapTimer *t)
{
    uint32_t i = t->slot;
    t->slot = NOT_ARMED;
    svc.n--;
    if (i == svc.n) return;
    put(i, svc.heap[svc.n]);
    fix(svc.heap[i]);
}

static CapErr heap_insert(CapTimer *t)
{
    if (svc.n == CAP_TIMER_MAX_ARMED) return CAP_ELIMIT;
    if (svc.n == svc.cap) {
        /* Grown on demand and never past the limit: a guest arming timers
         * makes the host allocate, so failure is an error, not an abort. */
        uint32_t cap = svc.cap ? svc.cap * 2 : 64;
        if (cap > CAP_TIMER_MAX_ARMED) cap = CAP_TIMER_MAX_ARMED;
        CapTimer **h = realloc(svc.heap, cap * sizeof *h);
        if (!h) return CAP_ENOMEM;
        svc.heap = h;
        svc.cap = cap;
    }
    put(svc.n++, t);
    sift_up(t->slot);
    return CAP_OK;
}

/* ---- the service thread -------------------------------------------------------- */

/* The heap's earliest timer expired at `now`: count it, assert SIGNALED,
 * and re-arm a periodic one for its next period after now (periods that
 * passed unseen count as expirations too, but are not fired one by one:
 * a late thread does not burst). */
static void expire(CapTimer *t, uint64_t now)
{
    uint64_t n = 1;
    if (t->period) {
        uint64_t missed = (now - t->deadline) / t->period;
        n += missed;
        /* deadline + missed * period <= now, so only the last step can
         * overflow; a saturated deadline never comes. */
        t->deadline = add_sat(t->deadline + missed * t->period, t->period);
        sift_down(t->slot);
    } else {
        heap_remove(t);
    }
    t->expirations = add_sat(t->expirations, n);
    cap_signals_update(&t->sig, 0, CAP_SIGNAL_SIGNALED);
}

static void sleep_until(uint64_t until)
{
    struct timespec ts = {.tv_sec = (time_t)(until / 1000000000ull),
                          .tv_nsec = (long)(until % 1000000000ull)};
    pthread_cond_timedwait(&svc.wake, &svc.lock, &ts);
}

static void *service(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&svc.lock);
    uint64_t idle_since = cap_monotonic_ns();
    for (;;) {
        uint64_t now = cap_monotonic_ns();
        while (svc.n > 0 && svc.heap[0]->deadline <= now) expire(svc.heap[0], now);
        if (svc.n > 0) {
            sleep_until(svc.heap[0]->deadline);
            idle_since = 0;
            continue;
        }
        if (idle_since == 0) idle_since = now;
        /* Cleared under the lock it is tested under: an arm that finds
         * running false starts a new thread. */
        if (now - idle_since >= IDLE_NS) break;
        sleep_until(idle_since + IDLE_NS);
    }
    svc.running = false;
    if (svc.cap) {
        free(svc.heap);
        svc.heap = NULL;
        svc.cap = 0;
    }
    pthread_mutex_unlock(&svc.lock);
    return NULL;
}

/* Arms t (svc.lock held); starts the thread if there is none. */
static CapErr arm(CapTimer *t)
{
    if (!svc.running) {
        pthread_attr_t attr;
        pthread_t th;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int rc = pthread_create(&th, &attr, service, NULL);
        pthread_attr_destroy(&attr);
        if (rc) return CAP_ENOMEM;
        svc.running = true;
    }
    CapErr rc = t->slot == NOT_ARMED ? heap_insert(t) : (fix(t), CAP_OK);
    /* The thread may be asleep until a later deadline. */
    if (!rc && t->slot == 0) pthread_cond_signal(&svc.wake);
    return rc;
}

/* ---- the timer object ------------------------------------------------------------ */

static void timer_destroy(CapObject *o)
{
    CapTimer *t = (CapTimer *)o;
    pthread_mutex_lock(&svc.lock);
    if (t->slot != NOT_ARMED) heap_remove(t);
    pthread_mutex_unlock(&svc.lock);
    cap_signals_destroy(&t->sig);
    free(t);
    cap_object_destroyed(CAP_KIND_TIMER);
}

CapTimer *cap_timer_new(void)
{
    pthread_once(&once, init_once);
    /* Not xcalloc: guests create timers; running out is their error. */
    CapTimer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    atomic_init(&t->base.refs, 1);
    t->base.kind = CAP_KIND_TIMER;
    t->base.destroy = timer_destroy;
    cap_signals_init(&t->sig, 0);
    t->slot = NOT_ARMED;
    cap_object_created(CAP_KIND_TIMER);
    return t;
}

CapErr cap_timer_set(CapTimer *t, uint64_t deadline_ns, uint64_t period_ns)
{
    if (period_ns != 0 && period_ns < CAP_TIMER_MIN_PERIOD_NS) return CAP_EINVAL;
    pthread_mutex_lock(&svc.lock);
    uint64_t old_deadline = t->deadline, old_period = t->period;
    t->deadline = deadline_ns;
    t->period = period_ns;
    CapErr rc = arm(t);
    if (rc) {
        /* Only an unarmed timer can fail (the thread exists while any is
         * armed, and re-positioning cannot fail): it stays as it was. */
        t->deadline = old_deadline;
        t->period = old_period;
    } else {
        t->expirations = 0;
        cap_signals_update(&t->sig, CAP_SIGNAL_SIGNALED, 0);
    }
    pthread_mutex_unlock(&svc.lock);
    return rc;
}

void cap_timer_cancel(CapTimer *t)
{
    pthread_mutex_lock(&svc.lock);
    if (t->slot != NOT_ARMED) heap_remove(t);
    t->expirations = 0;
    cap_signals_update(&t->sig, CAP_SIGNAL_SIGNALED, 0);
    pthread_mutex_unlock(&svc.lock);
}

uint64_t cap_timer_ack(CapTimer *t)
{
    pthread_mutex_lock(&svc.lock);
    uint64_t n = t->expirations;
    t->expirations = 0;
    cap_signals_update(&t->sig, CAP_SIGNAL_SIGNALED, 0);
    pthread_mutex_unlock(&svc.lock);
    return n;
}

CapSignals *cap_timer_signals(CapTimer *t)
{
    return &t->sig;
}

uint32_t cap_timers_armed(void)
{
    pthread_mutex_lock(&svc.lock);
    uint32_t n = svc.n;
    pthread_mutex_unlock(&svc.lock);
    return n;
}
