/*
 * pong.c - the other side of the ping-pong: maps the same region, and for
 * each `ping` answers in the region with the number it finds plus one,
 * then signals `pong`.
 */
#include <stdlib.h>

#include "b8g_abi.h"

#define WINDOW (64u << 10)

int32_t b8g_main(int32_t region, int32_t ping, int32_t pong, int32_t rounds)
{
    volatile uint32_t *shared = aligned_alloc(WINDOW, WINDOW);
    if (!shared || b8g_region_map(region, (void *)shared, WINDOW) != 0) return 1;
    for (int32_t i = 0; i < rounds; i++) {
        if (b8g_wait(ping, B8G_S_SIGNALED, B8G_FOREVER) < 0) return 3;
        b8g_event_clear(ping);
        shared[1] = shared[0] + 1;
        if (b8g_event_signal(pong) != 0) return 2;
    }
    return 0;
}
