/* clock.c - clock_res_get and clock_time_get for all four clocks: each has
 * a resolution between 1 ns and 1 s, realtime is after 2020, monotonic
 * never goes back, CPU time grows with work; an unknown clock is EINVAL.
 * Also random_get (sizes 0, 64 and 1 MiB) and sched_yield. */
#include <stdlib.h>
#include <time.h>

#include "guest.h"

static const char *names[] = {"realtime", "monotonic", "process_cputime", "thread_cputime"};

static void clocks(void)
{
    for (__wasi_clockid_t id = 0; id < 4; id++) {
        __wasi_timestamp_t res = 0, t = 0;
        char what[64];
        snprintf(what, sizeof what, "%s res_get", names[id]);
        SHOW(what, __wasi_clock_res_get(id, &res));
        FACT("  resolution in (0, 1 s]", res > 0 && res <= 1000000000ull);
        snprintf(what, sizeof what, "%s time_get", names[id]);
        SHOW(what, __wasi_clock_time_get(id, 1, &t));
    }
    __wasi_timestamp_t t = 0, r;
    SHOW("clock 4 res_get", __wasi_clock_res_get(4, &r));
    SHOW("clock 99 time_get", __wasi_clock_time_get(99, 1, &t));

    SHOW("realtime", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t));
    FACT("  after 2020", t > 1577836800ull * 1000000000ull);
    time_t now = time(NULL);
    FACT("  libc time() agrees within 5 s", llabs((long long)(t / 1000000000ull) - (long long)now) <= 5);

    __wasi_timestamp_t prev = 0;
    int monotonic = 1;
    for (int i = 0; i < 1000; i++) {
        if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t)) monotonic = 0;
        if (t < prev) monotonic = 0;
        prev = t;
    }
    FACT("monotonic never goes back", monotonic);

    __wasi_timestamp_t c0 = 0, c1 = 0, th0 = 0, th1 = 0;
    SHOW("process cputime", __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &c0));
    SHOW("thread cputime", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &th0));
    volatile uint64_t x = 1;
    __wasi_timestamp_t m0 = 0, m1 = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &m0);
    do {
        for (int i = 0; i < 1000000; i++) x = x * 6364136223846793005ull + 1;
        (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &m1);
    } while (m1 - m0 < 30000000ull);
    SHOW("process cputime", __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &c1));
    SHOW("thread cputime", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &th1));
    FACT("  process cputime grew with 30 ms of work", c1 > c0);
    FACT("  thread cputime grew with 30 ms of work", th1 > th0);
    struct timespec ts;
    SHOWP("libc clock_gettime CLOCK_MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &ts) != 0);
    SHOWP("libc clock_getres CLOCK_REALTIME", clock_getres(CLOCK_REALTIME, &ts) != 0);
}

static void randomness(void)
{
    uint8_t a[64], b[64];
    SHOW("random_get 0 bytes", __wasi_random_get(a, 0));
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    SHOW("random_get 64 bytes", __wasi_random_get(a, sizeof a));
    SHOW("random_get 64 bytes", __wasi_random_get(b, sizeof b));
    FACT("  the two differ", memcmp(a, b, sizeof a) != 0);
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++) zeros += a[i] == 0;
    FACT("  not all zero", zeros < 32);
    uint8_t *big = malloc(1 << 20);
    memset(big, 0, 1 << 20);
    SHOW("random_get 1 MiB", __wasi_random_get(big, 1 << 20));
    size_t nz = 0;
    for (size_t i = (1 << 20) - 4096; i < (1 << 20); i++) nz += big[i] != 0;
    FACT("  its last 4 KiB were written", nz > 3000);
    SHOW("sched_yield", __wasi_sched_yield());
}

int main(void)
{
    clocks();
    randomness();
    return 0;
}
