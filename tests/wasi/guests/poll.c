/* poll.c - poll_oneoff with relative clock subscriptions (one, the
 * earliest of several, zero), sleeping through wasi-libc, and sched_yield;
 * durations are measured with the monotonic clock and printed as
 * relations.  Node's timers may wake a fraction of a millisecond early,
 * so the "at least" lines are not compared with it.  Absolute clocks and descriptors are in pollfd.c, which Node
 * cannot run. */
#include <time.h>
#include <unistd.h>

#include "pollsub.h"

static void clocks(void)
{
    __wasi_subscription_t in[4];
    __wasi_event_t ev[4];
    __wasi_size_t n = 0;

    in[0] = clock_sub(1, 50 * MS, 0);
    __wasi_timestamp_t t0 = now();
    SHOW("relative 50 ms", __wasi_poll_oneoff(in, ev, 1, &n));
    __wasi_timestamp_t dt = now() - t0;
    print_events(ev, n);
    FACT("!   slept at least 50 ms", dt >= 50 * MS);
    FACT("  and less than 1 s", dt < 1000 * MS);

    in[0] = clock_sub(1, 400 * MS, 0);
    in[1] = clock_sub(2, 20 * MS, 0);
    t0 = now();
    SHOW("400 ms and 20 ms", __wasi_poll_oneoff(in, ev, 2, &n));
    dt = now() - t0;
    print_events(ev, n);
    FACT("  woke before 400 ms", dt < 400 * MS);

    in[0] = clock_sub(3, 0, 0);
    SHOW("zero timeout", __wasi_poll_oneoff(in, ev, 1, &n));
    print_events(ev, n);
}

static void sleeps(void)
{
    __wasi_timestamp_t t0 = now();
    SHOWP("usleep 20 ms", usleep(20000) != 0);
    FACT("!   at least 20 ms", now() - t0 >= 20 * MS);
    t0 = now();
    struct timespec ts = {0, 30 * 1000000};
    SHOWP("nanosleep 30 ms", nanosleep(&ts, NULL) != 0);
    FACT("!   at least 30 ms", now() - t0 >= 30 * MS);
    SHOWP("sleep 0", sleep(0) != 0);
    SHOW("sched_yield", __wasi_sched_yield());
}

int main(void)
{
    clocks();
    sleeps();
    return 0;
}
