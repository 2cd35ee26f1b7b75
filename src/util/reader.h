/*
 * reader.h - bounds-checked reading of the wasm binary encoding.
 *
 * A Reader walks [p, end) of a buffer whose first byte is `base`; offsets in
 * errors are p - base, i.e. byte offsets into the module.  Every read checks
 * the bound first, so no input can make the decoder read past end.  LEB128
 * readers enforce the spec's limits: at most ceil(N/7) bytes, and the unused
 * bits of the last byte must be zero (unsigned) or a sign extension (signed).
 */
#ifndef B8G_UTIL_READER_H
#define B8G_UTIL_READER_H

#include "b8g.h"
#include "util/common.h"

typedef struct Reader {
    const uint8_t *base; /* start of the whole module: offsets count from it */
    const uint8_t *p;    /* next byte */
    const uint8_t *end;  /* one past the last readable byte */
} Reader;

static inline uint64_t rd_offset(const Reader *r) { return (uint64_t)(r->p - r->base); }
static inline size_t rd_left(const Reader *r) { return (size_t)(r->end - r->p); }
static inline bool rd_eof(const Reader *r) { return r->p >= r->end; }

/* A sub-reader over the next n bytes (which must exist); advances r. */
b8g_status rd_sub(Reader *r, size_t n, Reader *sub, b8g_error *err);
b8g_status rd_u8(Reader *r, uint8_t *out, b8g_error *err);
b8g_status rd_bytes(Reader *r, size_t n, const uint8_t **out, b8g_error *err);
b8g_status rd_u32(Reader *r, uint32_t *out, b8g_error *err); /* unsigned LEB128 */
b8g_status rd_s32(Reader *r, int32_t *out, b8g_error *err);  /* signed LEB128 */
b8g_status rd_s33(Reader *r, int64_t *out, b8g_error *err);  /* block types */
b8g_status rd_s64(Reader *r, int64_t *out, b8g_error *err);
b8g_status rd_f32(Reader *r, uint32_t *bits, b8g_error *err);
b8g_status rd_f64(Reader *r, uint64_t *bits, b8g_error *err);
/*
 * A length or element count (u32).  It may not exceed the bytes left counted
 * from the prefix's own first byte ("length out of bounds"): that bounds
 * every allocation sized by it by the input size, and counting from the
 * prefix is where the reference interpreter draws the line, so the spec
 * tests' expected messages come out for the same inputs.
 */
b8g_status rd_len(Reader *r, uint32_t *out, b8g_error *err);
/* A length-prefixed UTF-8 name; *out points into the buffer (not NUL-terminated). */
b8g_status rd_name(Reader *r, const uint8_t **out, uint32_t *len, b8g_error *err);

/* True if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool utf8_valid(const uint8_t *s, size_t n);

#endif
