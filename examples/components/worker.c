/*
 * worker.c - a component with the canonical entry
 * b8g_main(shared, private, callback), started by a host program
 * (examples/host.c, b8g_main_start).
 *
 * The host puts a text in the shared region: a u32 length, then the bytes.
 * The worker maps the region, counts lines, words and each byte value in
 * a table it keeps in its private region (mapped too: nobody else can see
 * it), and reports on the callback channel: "progress N" after every
 * 64 KiB, then "done LINES WORDS BYTES TOP" (TOP: the commonest letter)
 * and returns 0.  A text that does not fit the region ends it with 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g_abi.h"

#define WINDOW (64u << 10)

static int report(int32_t callback, const char *text)
{
    return b8g_channel_write(callback, text, (uint32_t)strlen(text), NULL, 0, 0);
}

/* Maps the first `len` bytes of region h at a fresh window-aligned
 * address of this component's memory; NULL if it cannot. */
static void *map(int32_t h, uint32_t len)
{
    void *at = aligned_alloc(WINDOW, len);
    if (!at || b8g_region_map(h, at, len) != 0) return NULL;
    return at;
}

int32_t b8g_main(int32_t shared, int32_t private_, int32_t callback)
{
    int64_t size = b8g_region_size(shared);
    if (size < (int64_t)WINDOW || size > (int64_t)(64u << 20)) return 1;
    const uint8_t *text = map(shared, (uint32_t)size);
    uint32_t *counts = map(private_, WINDOW);
    if (!text || !counts) return 1;
    uint32_t len;
    memcpy(&len, text, 4);
    if (len > (uint64_t)size - 4) return 1;
    text += 4;

    uint32_t lines = 0, words = 0;
    int in_word = 0;
    char msg[64];
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = text[i];
        counts[c]++;
        if (c == '\n') lines++;
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) words++;
        in_word = !space;
        if ((i + 1) % WINDOW == 0) {
            snprintf(msg, sizeof msg, "progress %u", i + 1);
            if (report(callback, msg) != 0) return 2;
        }
    }
    int top = 'a';
    for (int c = 'a'; c <= 'z'; c++)
        if (counts[c] + counts[c - 'a' + 'A'] > counts[top] + counts[top - 'a' + 'A']) top = c;
    snprintf(msg, sizeof msg, "done %u %u %u %c", lines, words, len, top);
    return report(callback, msg) != 0 ? 2 : 0;
}
