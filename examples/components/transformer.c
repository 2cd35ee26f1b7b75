/*
 * transformer.c - pipeline stage 2: reads words from one stream, XORs
 * each with TRANSFORM_KEY and writes them to the next, until end-of-stream.
 */
#include "b8g_abi.h"
#include "common.h"

static uint64_t buf[CHUNK / 8];

/* Reads exactly len bytes unless the stream ends first; returns how many. */
static uint32_t read_full(int32_t in, uint8_t *p, uint32_t len)
{
    uint32_t got = 0;
    while (got < len) {
        int32_t r = b8g_stream_read(in, p + got, len - got, 0);
        if (r <= 0) break;
        got += (uint32_t)r;
    }
    return got;
}

int32_t b8g_main(int32_t in, int32_t out)
{
    for (;;) {
        uint32_t got = read_full(in, (uint8_t *)buf, CHUNK);
        if (got % 8) return 2; /* the producer writes whole words */
        for (uint32_t i = 0; i < got / 8; i++) buf[i] ^= TRANSFORM_KEY;
        const uint8_t *p = (const uint8_t *)buf;
        while (got) {
            int32_t w = b8g_stream_write(out, p, got, 0);
            if (w < 0) return 1;
            p += w;
            got -= (uint32_t)w;
        }
        if (p == (const uint8_t *)buf) return 0; /* nothing read: end */
    }
}
