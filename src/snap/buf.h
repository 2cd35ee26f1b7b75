/*
 * buf.h - a growable byte buffer with little-endian appends, for writing
 * images (capture.c).
 */
#ifndef B8G_SNAP_BUF_H
#define B8G_SNAP_BUF_H

#include <stdlib.h>
#include <string.h>

#include "util/common.h"

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
} Buf;

static inline uint8_t *buf_grow(Buf *b, size_t more)
{
    if (more > b->cap - b->n) {
        size_t c = b->cap ? b->cap : 4096;
        while (c - b->n < more) c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
    uint8_t *at = b->p + b->n;
    b->n += more;
    return at;
}

static inline void buf_le(Buf *b, uint64_t v, int n)
{
    uint8_t *at = buf_grow(b, (size_t)n);
    for (int i = 0; i < n; i++) at[i] = (uint8_t)(v >> (8 * i));
}

static inline void buf_u8(Buf *b, uint8_t v) { buf_le(b, v, 1); }
static inline void buf_u16(Buf *b, uint16_t v) { buf_le(b, v, 2); }
static inline void buf_u32(Buf *b, uint32_t v) { buf_le(b, v, 4); }
static inline void buf_u64(Buf *b, uint64_t v) { buf_le(b, v, 8); }

static inline void buf_put(Buf *b, const void *src, size_t n)
{
    if (n) memcpy(buf_grow(b, n), src, n);
}

static inline void buf_str(Buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    buf_u32(b, (uint32_t)n);
    buf_put(b, s, n);
}

/* Zero bytes up to the next multiple of `align` of b->n + base. */
static inline void buf_align(Buf *b, uint64_t base, uint64_t align)
{
    uint64_t at = base + b->n, pad = (align - at % align) % align;
    memset(buf_grow(b, (size_t)pad), 0, (size_t)pad);
}

static inline void buf_set_le(Buf *b, size_t at, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) b->p[at + i] = (uint8_t)(v >> (8 * i));
}

#endif
