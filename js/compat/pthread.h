/*
 * js/compat/pthread.h - the little of <pthread.h> QuickJS's Atomics need,
 * for a single-threaded wasm32-wasi guest.
 *
 * wasi-libc (non-threaded sysroot) has no <pthread.h>, and with
 * --sysroot=/usr the compiler would otherwise find the host's glibc one
 * and fail on its bits/ headers.  QuickJS includes it for Atomics.wait and
 * Atomics.notify only.  The driver never lets the runtime block
 * (JS_SetCanBlock is left false, so Atomics.wait throws "cannot block in
 * this thread", as on a browser's main thread), so no wait is ever reached;
 * the functions still do what a lone thread would see: locks always
 * succeed, a timed wait sleeps until its deadline and times out, and an
 * untimed wait, which nothing could ever end, traps instead of hanging.
 */
#ifndef B8G_JS_COMPAT_PTHREAD_H
#define B8G_JS_COMPAT_PTHREAD_H

#include <errno.h>
#include <time.h>

typedef struct { int unused; } pthread_mutex_t;
typedef struct { int unused; } pthread_mutexattr_t;
typedef struct { int unused; } pthread_cond_t;
typedef struct { int unused; } pthread_condattr_t;

#define PTHREAD_MUTEX_INITIALIZER { 0 }

static inline int pthread_mutex_lock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}

static inline int pthread_mutex_unlock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}

static inline int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    (void)c;
    (void)a;
    return 0;
}

static inline int pthread_cond_destroy(pthread_cond_t *c)
{
    (void)c;
    return 0;
}

static inline int pthread_cond_signal(pthread_cond_t *c)
{
    (void)c;
    return 0;
}

static inline int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    (void)c;
    (void)m;
    __builtin_trap(); /* no other thread exists to signal it */
}

static inline int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                         const struct timespec *deadline)
{
    (void)c;
    (void)m;
    clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, deadline, NULL);
    return ETIMEDOUT;
}

#endif
