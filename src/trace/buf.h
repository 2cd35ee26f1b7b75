/*
 * buf.h - bounded JSON text for trace records.
 *
 * A TraceBuf writes into a fixed buffer and never past it: `len` counts
 * every byte the text needs, so len >= cap says it was cut (the caller
 * then replaces it; see trace.c) and b8g_trace_json can answer like
 * snprintf.  The text is NUL-terminated whenever cap > 0.
 *
 * Guest bytes become JSON strings through tb_string, whose encoding
 * docs/trace.md defines: valid UTF-8 is kept, except control characters
 * (C0, DEL, C1) and U+2028/U+2029, which become JSON escapes; a byte that
 * is not part of valid UTF-8, and a backslash, become the four characters
 * \xHH.  So the decoded string tells every byte apart, and each record
 * stays one line of valid UTF-8 whatever the guest wrote.
 */
#ifndef B8G_TRACE_BUF_H
#define B8G_TRACE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "util/common.h"

typedef struct TraceBuf {
    char *p;
    size_t cap;
    size_t len;    /* bytes the text needs; > cap - 1 when it was cut */
    bool comma;    /* a member was written since the last '{' or '[' */
} TraceBuf;

/* An empty text in p[0..cap). */
TraceBuf tb_init(char *p, size_t cap);
/* False if the text did not fit (it was cut somewhere). */
static inline bool tb_fits(const TraceBuf *b) { return b->len < b->cap; }

void tb_put(TraceBuf *b, const char *s, size_t n);
void tb_puts(TraceBuf *b, const char *s);
B8G_PRINTF(2, 3)
void tb_printf(TraceBuf *b, const char *fmt, ...);

/* '{' / '[' and their ends; members and elements get their commas. */
void tb_open(TraceBuf *b, char c);
void tb_close(TraceBuf *b, char c);
/* Starts member `key` (an engine literal: written as is) of an object. */
void tb_key(TraceBuf *b, const char *key);
/* The same for key + suffix ("fd" "_kind"). */
void tb_key2(TraceBuf *b, const char *key, const char *suffix);
/* Starts an element of an array. */
void tb_elem(TraceBuf *b);

void tb_u64(TraceBuf *b, uint64_t v);
void tb_i64(TraceBuf *b, int64_t v);
void tb_hex(TraceBuf *b, uint64_t v);   /* as the string "0x..." */
/* s[0..n) as a JSON string, escaped as above; at most `shown` bytes of
 * it, followed by "…" when n is larger. */
void tb_string(TraceBuf *b, const uint8_t *s, size_t n, size_t shown);
/* The inside of such a string: s[0..n) escaped, without quotes. */
void tb_escape(TraceBuf *b, const uint8_t *s, size_t n);
/* A C string of the engine or the embedder, escaped the same way. */
void tb_cstr(TraceBuf *b, const char *s);

/* Length of the valid UTF-8 sequence at s[0..n) (1-4), or 0 if s does
 * not start one (overlong forms, surrogates and code points past
 * U+10FFFF are not valid). */
size_t tb_utf8_len(const uint8_t *s, size_t n);

#endif
