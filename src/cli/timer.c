/*
 * timer.c - the --timeout watchdog.
 *
 * A thread sleeps on a condition variable until the deadline (monotonic
 * clock, so changing the wall clock cannot stretch it), then interrupts the
 * store.  It keeps interrupting every few milliseconds until stopped: an
 * interrupt that lands between two calls (say after instantiation, before
 * the invoked function starts) must not let the next call run forever.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"

#define TIMER_REPEAT_MS 5

struct CliTimer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    b8g_store *store;
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
            clock_gettime(CLOCK_MONOTONIC, &t->deadline);
            add_ms(&t->deadline, TIMER_REPEAT_MS);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

CliTimer *cli_timer_start(b8g_store *s, uint64_t ms)
{
    CliTimer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->store = s;
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
