/*
 * ping.c - one side of the shared-region ping-pong: maps the region it
 * was given into its own memory, then `rounds` times writes a number
 * there, signals `ping` and waits for `pong`, checking that the other
 * side answered with the number plus one.  Prints the round-trip time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "b8g_abi.h"

#define WINDOW (64u << 10)

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int32_t b8g_main(int32_t region, int32_t ping, int32_t pong, int32_t rounds)
{
    volatile uint32_t *shared = aligned_alloc(WINDOW, WINDOW);
    if (!shared || b8g_region_map(region, (void *)shared, WINDOW) != 0) return 1;
    double t0 = now_us();
    for (int32_t i = 0; i < rounds; i++) {
        shared[0] = (uint32_t)i;
        if (b8g_event_signal(ping) != 0) return 2;
        if (b8g_wait(pong, B8G_S_SIGNALED, B8G_FOREVER) < 0) return 3;
        b8g_event_clear(pong);
        if (shared[1] != (uint32_t)i + 1) return 4;
    }
    double us = now_us() - t0;
    printf("ping: %d round trips through a shared region, %.2f us each\n", rounds,
           us / rounds);
    fflush(stdout); /* a reactor has no exit to flush it */
    return 0;
}
