/*
 * consumer.c - pipeline stage 3: reads to end-of-stream, checks every word
 * against what the producer and transformer must have made of it, and
 * prints the count and checksum.  Returns 0 only if all `mib` MiB arrived
 * intact and in order.
 */
#include <stdio.h>

#include "b8g_abi.h"
#include "common.h"

static uint64_t buf[CHUNK / 8];

int32_t b8g_main(int32_t in, int32_t mib)
{
    uint64_t words = 0, sum = 0, bad = 0;
    uint32_t carry = 0; /* bytes of a partial word at the start of buf */
    for (;;) {
        int32_t r = b8g_stream_read(in, (uint8_t *)buf + carry, CHUNK - carry, 0);
        if (r < 0) return 3;
        if (r == 0) break;
        uint32_t have = carry + (uint32_t)r, whole = have / 8;
        for (uint32_t i = 0; i < whole; i++, words++) {
            if ((buf[i] ^ TRANSFORM_KEY) != pattern_word(words)) bad++;
            sum = mix(sum, buf[i]);
        }
        carry = have % 8;
        if (carry) __builtin_memmove(buf, (uint8_t *)buf + whole * 8, carry);
    }
    printf("consumer: %llu MiB, checksum %016llx, %llu bad words\n",
           (unsigned long long)(words >> 17), (unsigned long long)sum,
           (unsigned long long)bad);
    fflush(stdout); /* a reactor has no exit to flush it */
    return words == (uint64_t)mib << 17 && !carry && !bad ? 0 : 1;
}
