/*
 * buf.c - bounded JSON text for trace records (buf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace/buf.h"

TraceBuf tb_init(char *p, size_t cap)
{
    TraceBuf b = {p, cap, 0, false};
    if (cap) p[0] = 0;
    return b;
}

void tb_put(TraceBuf *b, const char *s, size_t n)
{
    if (b->len < b->cap) {
        size_t room = b->cap - 1 - b->len;
        size_t k = n < room ? n : room;
        memcpy(b->p + b->len, s, k);
        b->p[b->len + k] = 0;
    }
    b->len += n;
}

void tb_puts(TraceBuf *b, const char *s)
{
    tb_put(b, s, strlen(s));
}

void tb_printf(TraceBuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* Only numbers go through here; a longer text would be a bug, and
     * is cut rather than overrun. */
    if (n < 0) return;
    tb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void tb_open(TraceBuf *b, char c)
{
    tb_put(b, &c, 1);
    b->comma = false;
}

void tb_close(TraceBuf *b, char c)
{
    tb_put(b, &c, 1);
    b->comma = true;
}

void tb_elem(TraceBuf *b)
{
    if (b->comma) tb_put(b, ",", 1);
    b->comma = true;
}

void tb_key2(TraceBuf *b, const char *key, const char *suffix)
{
    tb_elem(b);
    tb_put(b, "\"", 1);
    tb_puts(b, key);
    tb_puts(b, suffix);
    tb_put(b, "\":", 2);
}

void tb_key(TraceBuf *b, const char *key)
{
    tb_key2(b, key, "");
}

void tb_u64(TraceBuf *b, uint64_t v)
{
    tb_printf(b, "%llu", (unsigned long long)v);
}

void tb_i64(TraceBuf *b, int64_t v)
{
    tb_printf(b, "%lld", (long long)v);
}

void tb_hex(TraceBuf *b, uint64_t v)
{
    tb_printf(b, "\"0x%llx\"", (unsigned long long)v);
}

size_t tb_utf8_len(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;      /* overlong */
        else if (c == 0xed) hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;      /* overlong */
        else if (c == 0xf4) hi = 0x8f; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return len;
}

/* Characters JSON allows raw but that terminals or JavaScript act on. */
static bool escape_anyway(const uint8_t *s, size_t len)
{
    if (len == 2) return s[0] == 0xc2 && s[1] <= 0x9f;              /* C1 */
    return len == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9);
}

void tb_escape(TraceBuf *b, const uint8_t *s, size_t n)
{
    size_t run = 0; /* bytes before s[i] still to be copied as they are */
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t len = tb_utf8_len(s + i, n - i);
        const char *esc = NULL;
        char tmp[8];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\x5c";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            esc = tmp;
        } else if (len == 0) {
            snprintf(tmp, sizeof tmp, "\\\\x%02x", c);
            esc = tmp;
            len = 1;
        } else if (escape_anyway(s + i, len)) {
            unsigned cp = len == 2 ? s[i + 1] : 0x2000u | (s[i + 2] & 0x3fu);
            snprintf(tmp, sizeof tmp, "\\u%04x", cp);
            esc = tmp;
        }
        if (!esc) {
            run += len;
            i += len;
            continue;
        }
        tb_put(b, (const char *)s + i - run, run);
        run = 0;
        tb_puts(b, esc);
        i += len ? len : 1;
    }
    tb_put(b, (const char *)s + n - run, run);
}

void tb_string(TraceBuf *b, const uint8_t *s, size_t n, size_t shown)
{
    tb_put(b, "\"", 1);
    tb_escape(b, s, n < shown ? n : shown);
    if (n > shown) tb_puts(b, "\xe2\x80\xa6"); /* … */
    tb_put(b, "\"", 1);
}

void tb_cstr(TraceBuf *b, const char *s)
{
    size_t n = strlen(s);
    tb_string(b, (const uint8_t *)s, n, n);
}
