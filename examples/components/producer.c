/*
 * producer.c - pipeline stage 1: writes `mib` MiB of pattern_word()s to
 * the stream it was given, then returns (its write end closes with it,
 * which the next stage sees as end-of-stream).
 */
#include "b8g_abi.h"
#include "common.h"

static uint64_t buf[CHUNK / 8];

int32_t b8g_main(int32_t out, int32_t mib)
{
    uint64_t words = (uint64_t)mib << 17, next = 0;
    while (next < words) {
        uint32_t n = 0;
        while (n < CHUNK / 8 && next < words) buf[n++] = pattern_word(next++);
        const uint8_t *p = (const uint8_t *)buf;
        uint32_t left = n * 8;
        while (left) {
            int32_t w = b8g_stream_write(out, p, left, 0);
            if (w < 0) return 1; /* the reader went away */
            p += w;
            left -= (uint32_t)w;
        }
    }
    return 0;
}
