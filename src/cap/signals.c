/*
 * signals.c - object signals and the wait-set (object.h, "signals and
 * waiting").
 *
 * Each waitable object embeds a CapSignals: its asserted signals and a
 * list of waiters.  A wait (cap_wait_many) owns one context - a mutex, a
 * condition variable and a "fired" flag - and hangs one node per item on
 * the items' lists.  An update that makes a node's mask match marks its
 * context fired and wakes it; the waiter then re-reads every item's state
 * itself, so a wake-up is only a hint and spurious ones are harmless.
 *
 * Lock order: an object's signals lock, then a waiter context's lock.  A
 * waiter never holds two signals locks at once (it registers and
 * unregisters item by item), so no two waits can deadlock whatever order
 * their item lists come in.  Streams and channels update their signals
 * while holding their own state lock (see stream.c), which thus comes
 * first of all; nothing here ever takes one.
 */
#include <time.h>
#include <unistd.h>

#include "cap/object.h"

struct WaitCtx {
    pthread_mutex_t lock;
    pthread_cond_t cond;    /* CLOCK_MONOTONIC */
    bool fired;             /* an update matched since the waiter last looked */
};

struct CapWaitNode {
    CapWaitNode *prev, *next;
    struct WaitCtx *ctx;
    uint32_t mask;
};

/* A cancellable wait sleeps at most this long before polling its cancel. */
#define SLICE_NS 10000000ull

/* Before sleeping, a wait looks again for up to this long: a peer on
 * another core usually answers within a few microseconds (a ping-pong over
 * regions and events), and waking a sleeping thread costs about as much
 * as the whole exchange.  Never on one CPU, where the peer cannot run
 * while we spin.  Adaptive per thread: a thread whose waits keep lasting
 * longer than that (a pipeline stage waiting for a busy peer) halves its
 * spin each time, down to none, so it does not burn a core the peer
 * needs; one wait short enough for a spin to have caught gives it back. */
#define SPIN_NS 20000ull
#define SPIN_MIN_NS 1000ull

static __thread uint64_t spin_ns = SPIN_NS;

/* After a wait that took `took` ns: what the next spin should be. */
static void spin_learn(uint64_t took)
{
    if (took <= SPIN_NS) spin_ns = SPIN_NS;
    else spin_ns = spin_ns / 2 < SPIN_MIN_NS ? 0 : spin_ns / 2;
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Asked once when the library is loaded: the answer needs a system call
 * (sched_getaffinity) that a confined process may no longer make. */
static bool several_cpus;

__attribute__((constructor)) static void count_cpus(void)
{
    several_cpus = sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

void cap_signals_init(CapSignals *s, uint32_t initial)
{
    pthread_mutex_init(&s->lock, NULL);
    s->state = initial;
    s->waiters = NULL;
}

void cap_signals_destroy(CapSignals *s)
{
    /* Waiters hold a reference to the object, so none can be left. */
    pthread_mutex_destroy(&s->lock);
}

uint32_t cap_signals_get(CapSignals *s)
{
    pthread_mutex_lock(&s->lock);
    uint32_t v = s->state;
    pthread_mutex_unlock(&s->lock);
    return v;
}

void cap_signals_update(CapSignals *s, uint32_t clear, uint32_t set)
{
    pthread_mutex_lock(&s->lock);
    uint32_t old = s->state;
    s->state = (old & ~clear) | set;
    /* A waiter looks at every state after hanging its nodes, so only a
     * change can tell it something it has not seen. */
    if (s->state != old) {
        for (CapWaitNode *n = s->waiters; n; n = n->next) {
            if (!(s->state & n->mask)) continue;
            pthread_mutex_lock(&n->ctx->lock);
            n->ctx->fired = true;
            pthread_cond_signal(&n->ctx->cond);
            pthread_mutex_unlock(&n->ctx->lock);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Fills every item's observed; true if any matches. */
static bool look(CapWaitItem *items, uint32_t n)
{
    bool any = false;
    for (uint32_t i = 0; i < n; i++) {
        items[i].observed = cap_signals_get(items[i].sig);
        if (items[i].observed & items[i].mask) any = true;
    }
    return any;
}

static void enlist(CapSignals *s, CapWaitNode *node)
{
    pthread_mutex_lock(&s->lock);
    node->prev = NULL;
    node->next = s->waiters;
    if (s->waiters) s->waiters->prev = node;
    s->waiters = node;
    pthread_mutex_unlock(&s->lock);
}

/* After this no updater can reach node's context any more: they touch it
 * only under s->lock. */
static void delist(CapSignals *s, CapWaitNode *node)
{
    pthread_mutex_lock(&s->lock);
    if (node->prev) node->prev->next = node->next;
    else s->waiters = node->next;
    if (node->next) node->next->prev = node->prev;
    pthread_mutex_unlock(&s->lock);
}

static bool is_cancelled(const CapCancel *cancel)
{
    return cancel && cancel->cancelled && cancel->cancelled(cancel->arg);
}

CapErr cap_wait_many(CapWaitItem *items, uint32_t n, uint64_t timeout_ns,
                     const CapCancel *cancel)
{
    if (n == 0 || n > CAP_WAIT_MAX || !items) return CAP_EINVAL;
    if (look(items, n)) return CAP_OK;
    if (timeout_ns == 0) return CAP_ETIMEDOUT;
    if (is_cancelled(cancel)) return CAP_EINTR;

    bool forever = timeout_ns == UINT64_MAX;
    uint64_t start = now_ns();
    uint64_t deadline = forever || timeout_ns > UINT64_MAX - start ? UINT64_MAX
                                                                   : start + timeout_ns;
    if (several_cpus && spin_ns) {
        uint64_t spin_until = deadline - start > spin_ns ? start + spin_ns : deadline;
        for (uint32_t i = 1;; i++) {
            for (int k = 0; k < 16; k++) cpu_relax();
            if (look(items, n)) {
                spin_learn(now_ns() - start);
                return CAP_OK;
            }
            /* The clock only every few rounds: it costs more than a look. */
            if (i % 8 == 0 && now_ns() >= spin_until) break;
        }
        if (now_ns() >= deadline) {
            look(items, n);
            return CAP_ETIMEDOUT;
        }
    }

    struct WaitCtx ctx = {.fired = false};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&ctx.cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&ctx.lock, NULL);

    /* Every item gets a node, matching or not: from here on any change
     * that makes a mask match fires the context, and each look below sees
     * at least the states at registration, so no update is missed. */
    CapWaitNode nodes[CAP_WAIT_MAX];
    for (uint32_t i = 0; i < n; i++) {
        nodes[i] = (CapWaitNode){.ctx = &ctx, .mask = items[i].mask};
        enlist(items[i].sig, &nodes[i]);
    }

    CapErr rc;
    for (;;) {
        /* observed is always the snapshot of the last look: the matching
         * one on CAP_OK, so at least one item shows its match. */
        if (look(items, n)) {
            rc = CAP_OK;
            break;
        }
        if (is_cancelled(cancel)) {
            rc = CAP_EINTR;
            break;
        }
        uint64_t now = now_ns();
        if (now >= deadline) {
            rc = CAP_ETIMEDOUT;
            break;
        }
        /* Without a cancel to poll there is no reason to wake early. */
        uint64_t until = deadline;
        if (cancel && deadline - now > SLICE_NS) until = now + SLICE_NS;
        pthread_mutex_lock(&ctx.lock);
        if (!ctx.fired) {
            if (until == UINT64_MAX) {
                pthread_cond_wait(&ctx.cond, &ctx.lock);
            } else {
                struct timespec ts = {.tv_sec = (time_t)(until / 1000000000ull),
                                      .tv_nsec = (long)(until % 1000000000ull)};
                pthread_cond_timedwait(&ctx.cond, &ctx.lock, &ts);
            }
        }
        ctx.fired = false;
        pthread_mutex_unlock(&ctx.lock);
    }

    for (uint32_t i = 0; i < n; i++) delist(items[i].sig, &nodes[i]);
    if (several_cpus && rc == CAP_OK) spin_learn(now_ns() - start);
    pthread_mutex_destroy(&ctx.lock);
    pthread_cond_destroy(&ctx.cond);
    return rc;
}
