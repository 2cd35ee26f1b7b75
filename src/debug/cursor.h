/*
 * cursor.h - bounds-checked reading of DWARF's little-endian encodings.
 *
 * A DwCursor walks [p, end) of one section (or a part of one).  Every read
 * checks the bound first; a read that does not fit sets `bad`, returns 0
 * and leaves p where it was.  `bad` is sticky, so a parser may read a whole
 * header and test once; every loop that consumes bytes must also stop on
 * `bad`, since a bad cursor no longer advances.  Nothing in a DWARF section
 * is trusted: a malformed one only ever ends in "no source info".
 */
#ifndef B8G_DEBUG_CURSOR_H
#define B8G_DEBUG_CURSOR_H

#include <string.h>

#include "util/common.h"

/* One section's bytes; p is NULL when the module has no such section. */
typedef struct DwSlice {
    const uint8_t *p;
    size_t len;
} DwSlice;

typedef struct DwCursor {
    const uint8_t *p, *end;
    bool bad;
} DwCursor;

/* A cursor at byte `off` of s: bad if s has no such byte (off == len is
 * allowed and gives an empty cursor). */
static inline DwCursor dc_at(DwSlice s, uint64_t off)
{
    if (!s.p || off > s.len) return (DwCursor){NULL, NULL, true};
    return (DwCursor){s.p + off, s.p + s.len, false};
}

static inline size_t dc_left(const DwCursor *c)
{
    return c->bad ? 0 : (size_t)(c->end - c->p);
}

static inline bool dc_more(const DwCursor *c) { return !c->bad && c->p < c->end; }

static inline bool dc_need(DwCursor *c, uint64_t n)
{
    if (c->bad || n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        return false;
    }
    return true;
}

static inline void dc_skip(DwCursor *c, uint64_t n)
{
    if (dc_need(c, n)) c->p += n;
}

/* A little-endian unsigned integer of n bytes (1..8). */
static inline uint64_t dc_uint(DwCursor *c, unsigned n)
{
    if (n == 0 || n > 8 || !dc_need(c, n)) {
        c->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

static inline uint8_t dc_u8(DwCursor *c) { return (uint8_t)dc_uint(c, 1); }
static inline uint16_t dc_u16(DwCursor *c) { return (uint16_t)dc_uint(c, 2); }
static inline uint32_t dc_u32(DwCursor *c) { return (uint32_t)dc_uint(c, 4); }
static inline uint64_t dc_u64(DwCursor *c) { return dc_uint(c, 8); }

/* LEB128.  Bits beyond 64 are dropped rather than refused: producers pad,
 * and a wrong large value is caught by the range checks of its use. */
static inline uint64_t dc_uleb(DwCursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; dc_need(c, 1); shift += 7) {
        uint8_t b = *c->p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    return 0;
}

static inline int64_t dc_sleb(DwCursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; dc_need(c, 1);) {
        uint8_t b = *c->p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
            return (int64_t)v;
        }
    }
    return 0;
}

/* A NUL-terminated string whose NUL lies before end; it stays in the
 * section's bytes (the module's copy), so it lives as long as the module. */
static inline const char *dc_str(DwCursor *c)
{
    if (c->bad) return NULL;
    const uint8_t *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
    if (!nul) {
        c->bad = true;
        return NULL;
    }
    const char *s = (const char *)c->p;
    c->p = nul + 1;
    return s;
}

/* The string at byte `off` of section s, or NULL. */
static inline const char *dw_str_at(DwSlice s, uint64_t off)
{
    DwCursor c = dc_at(s, off);
    return dc_str(&c);
}

/*
 * An initial length (DWARF's unit_length): 32-bit, or 0xffffffff then a
 * 64-bit length.  Sets *is64 and returns a cursor over exactly the unit's
 * remaining bytes, advancing c past the unit; bad if it does not fit.
 */
static inline DwCursor dc_unit(DwCursor *c, bool *is64)
{
    uint64_t len = dc_u32(c);
    *is64 = len == 0xffffffffu;
    if (*is64) len = dc_u64(c);
    else if (len >= 0xfffffff0u) c->bad = true; /* reserved values */
    DwCursor u = {c->p, c->p, true};
    if (!dc_need(c, len)) return u;
    u = (DwCursor){c->p, c->p + len, false};
    c->p += len;
    return u;
}

/* A section offset of the unit's format: 4 or 8 bytes. */
static inline uint64_t dc_offset(DwCursor *c, bool is64)
{
    return dc_uint(c, is64 ? 8 : 4);
}

#endif
