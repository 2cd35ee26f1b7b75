/*
 * dwbuild.h - DWARF bytes for the unit tests (debug_test.c, vars_test.c):
 * little-endian and LEB128 numbers, strings, units whose length is filled
 * in at their end, abbreviation declarations, custom sections, and where
 * DWARF address 0 lies in a module.  Include it after mbuild.h.
 */
#ifndef B8G_TESTS_DWBUILD_H
#define B8G_TESTS_DWBUILD_H

#include "mbuild.h"

static inline void le(Bytes *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) b_byte(b, (uint8_t)(v >> (8 * i)));
}

static inline void uleb(Bytes *b, uint64_t v)
{
    do {
        uint8_t x = v & 0x7f;
        v >>= 7;
        b_byte(b, x | (v ? 0x80 : 0));
    } while (v);
}

static inline void sleb(Bytes *b, int64_t v)
{
    for (;;) {
        uint8_t x = v & 0x7f;
        v >>= 7;
        bool done = (v == 0 && !(x & 0x40)) || (v == -1 && (x & 0x40));
        b_byte(b, x | (done ? 0 : 0x80));
        if (done) return;
    }
}

static inline void cstr(Bytes *b, const char *s) { b_put(b, s, strlen(s) + 1); }

/* A 32-bit unit_length placeholder, and filling it in at the unit's end. */
static inline size_t unit_begin(Bytes *b)
{
    size_t at = b->n;
    le(b, 0, 4);
    return at;
}

static inline void unit_end(Bytes *b, size_t at)
{
    uint32_t len = (uint32_t)(b->n - at - 4);
    for (int i = 0; i < 4; i++) b->p[at + i] = (uint8_t)(len >> (8 * i));
}

/* An abbreviation declaration: code, tag, children, (attribute, form)
 * pairs. */
static inline void abbrev(Bytes *b, unsigned code, unsigned tag, bool children,
                          const unsigned *pairs, size_t npairs)
{
    uleb(b, code);
    uleb(b, tag);
    b_byte(b, children);
    for (size_t i = 0; i < npairs; i++) uleb(b, pairs[i]);
    b_byte(b, 0);
    b_byte(b, 0);
}
#define ABBREV(b, code, tag, ch, ...)                                          \
    abbrev((b), (code), (tag), (ch), (const unsigned[]){__VA_ARGS__},          \
           sizeof((const unsigned[]){__VA_ARGS__}) / sizeof(unsigned))

/* Appends custom section `name` holding data[0..n) to a module. */
static inline void b_custom(Bytes *out, const char *name, const void *data, size_t n)
{
    Bytes sec = {0};
    b_u32(&sec, (uint32_t)strlen(name));
    b_put(&sec, name, strlen(name));
    b_put(&sec, data, n);
    b_byte(out, 0);
    b_u32(out, (uint32_t)sec.n);
    b_put(out, sec.p, sec.n);
    free(sec.p);
}

/* Damage for the hostile tests: a xorshift generator, deterministic from
 * its seed, and one byte of b overwritten in one of four ways. */
static inline uint32_t rnd_next(uint64_t *state, uint32_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state % n);
}

static inline void mutate_byte(Bytes *b, uint64_t *state)
{
    if (!b->n) return;
    uint8_t *p = &b->p[rnd_next(state, (uint32_t)b->n)];
    switch (rnd_next(state, 4)) {
    case 0: *p ^= (uint8_t)(1u << rnd_next(state, 8)); break;
    case 1: *p = 0xff; break;
    case 2: *p = 0; break;
    default: *p = (uint8_t)rnd_next(state, 256); break;
    }
}

/* Module offset of DWARF address 0: the byte after the code section's
 * size, found the slow way so the tests do not share the engine's code. */
static inline uint64_t module_code_start(const uint8_t *b, size_t len)
{
    size_t i = 8;
    uint64_t start = 0;
    while (i < len) {
        uint8_t id = b[i++];
        uint32_t size = 0;
        for (int shift = 0;; shift += 7) {
            uint8_t x = b[i++];
            size |= (uint32_t)(x & 0x7f) << shift;
            if (!(x & 0x80)) break;
        }
        if (id == 10) start = i;
        i += size;
    }
    assert_true(start > 0);
    return start;
}

#endif
