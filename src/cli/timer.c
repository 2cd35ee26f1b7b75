/*
 * timer.c - the --timeout watchdog.
 *
 * A thread sleeps on a condition variable until the deadline (monotonic
 * clock, so changing the wall clock cannot stretch it), then interrupts the
 * store.  It keeps interrupting every few milliseconds until stopped: an
 * interrupt that lands between two calls (say after instantiation, before
 * the invoked function starts) must not let the next call run forever.
 *
 * Each interrupt also sends TIMER_SIGNAL to the thread running the guest.
 * Its handler does nothing and is installed without SA_RESTART, so a host
 * call blocked in the kernel (a write to a full pipe, say) returns EINTR
 * and sees the interrupt; WASI's own waits poll in short slices anyway.
 * SIGURG is ignored by default, so a stray one can do no harm.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

#define TIMER_REPEAT_MS 5
#define TIMER_SIGNAL SIGURG

struct CliTimer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    b8g_store *store;
    pthread_t guest;    /* the thread that runs the guest */
    struct timespec deadline;
    bool done;  /* set by cli_timer_stop */
    bool fired; /* the deadline passed */
};

static void add_ms(struct timespec *t, uint64_t ms)
{
    uint64_t ns = (uint64_t)t->tv_nsec + (ms % 1000) * 1000000u;
    t->tv_sec += (time_t)(ms / 1000 + ns / 1000000000u);
    t->tv_nsec = (long)(ns % 1000000000u);
}

static void *timer_main(void *arg)
{
    CliTimer *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->done) {
        int rc = pthread_cond_timedwait(&t->cv, &t->mu, &t->deadline);
        if (rc == ETIMEDOUT && !t->done) {
            t->fired = true;
            b8g_store_interrupt(t->store);
            pthread_kill(t->guest, TIMER_SIGNAL);
            clock_gettime(CLOCK_MONOTONIC, &t->deadline);
            add_ms(&t->deadline, TIMER_REPEAT_MS);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void timer_signal_handler(int sig)
{
    (void)sig;
}

CliTimer *cli_timer_start(b8g_store *s, uint64_t ms)
{
    CliTimer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = timer_signal_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(TIMER_SIGNAL, &sa, NULL);
    t->store = s;
    t->guest = pthread_self();
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&t->mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t->deadline);
    add_ms(&t->deadline, ms);
    if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    return t;
}

bool cli_timer_stop(CliTimer *t)
{
    if (!t) return false;
    pthread_mutex_lock(&t->mu);
    t->done = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    bool fired = t->fired;
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
    return fired;
}
