/* pollsub.h - building poll_oneoff subscriptions and printing events, for
 * poll.c and pollfd.c. */
#ifndef POLLSUB_H
#define POLLSUB_H

#include "guest.h"

#define MS 1000000ull

static inline __wasi_timestamp_t now(void)
{
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t)) printf("clock_time_get failed\n");
    return t;
}

static inline __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_timestamp_t t,
                                              __wasi_subclockflags_t flags)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = t;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = flags;
    return s;
}

static inline __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type,
                                           __wasi_fd_t fd)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd; /* fd_write has the same layout */
    return s;
}

static inline const char *etype(__wasi_eventtype_t t)
{
    return t == __WASI_EVENTTYPE_CLOCK ? "clock" : t == __WASI_EVENTTYPE_FD_READ ? "fd_read" : "fd_write";
}

static inline void print_events(const __wasi_event_t *ev, __wasi_size_t n)
{
    printf("  events: %u\n", (unsigned)n);
    for (__wasi_size_t i = 0; i < n; i++)
        printf("  userdata %llu %s error %s\n", (unsigned long long)ev[i].userdata,
               etype(ev[i].type), errname(ev[i].error));
}

#endif
