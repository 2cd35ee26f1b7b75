/*
 * mbuild.h - a builder of binary modules for the unit tests: type, import,
 * function, table, memory, global, export, start, element, data count,
 * code and data sections from byte arrays, assembled in the order the
 * format requires.  Include it after <cmocka.h>; its functions are static
 * inline because each test uses only some of them.
 */
#ifndef B8G_TESTS_MBUILD_H
#define B8G_TESTS_MBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A byte array and its length, for BYTES(0x20, 0x00, ...) arguments. */
#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

typedef struct Bytes {
    uint8_t *p;
    size_t n, cap;
} Bytes;

static inline void b_put(Bytes *b, const void *src, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 16;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static inline void b_byte(Bytes *b, uint8_t x) { b_put(b, &x, 1); }

static inline void b_u32(Bytes *b, uint32_t v)
{
    do {
        uint8_t x = v & 0x7f;
        v >>= 7;
        b_byte(b, x | (v ? 0x80 : 0));
    } while (v);
}

enum { SEC_TYPE = 1, SEC_IMPORT, SEC_FUNC, SEC_TABLE, SEC_MEM, SEC_GLOBAL,
       SEC_EXPORT, SEC_START, SEC_ELEM, SEC_CODE, SEC_DATA, SEC_DATACOUNT };

/* Entries per section; vector sections get their count at build time. */
typedef struct Mb {
    Bytes sec[13];
    uint32_t count[13];
    bool present[13];
} Mb;

static inline void mb_entry(Mb *mb, int sec, const void *bytes, size_t n)
{
    b_put(&mb->sec[sec], bytes, n);
    mb->count[sec]++;
    mb->present[sec] = true;
}

static inline uint8_t vt_code(char c)
{
    switch (c) {
    case 'i': return 0x7f;
    case 'I': return 0x7e;
    case 'f': return 0x7d;
    case 'F': return 0x7c;
    case 'r': return 0x70;
    case 'e': return 0x6f;
    default: fail_msg("bad type letter %c", c); return 0;
    }
}

/* Adds a function type; params/results spelled with the letters above. */
static inline uint32_t mb_type(Mb *mb, const char *params, const char *results)
{
    Bytes e = {0};
    b_byte(&e, 0x60);
    b_u32(&e, (uint32_t)strlen(params));
    for (const char *c = params; *c; c++) b_byte(&e, vt_code(*c));
    b_u32(&e, (uint32_t)strlen(results));
    for (const char *c = results; *c; c++) b_byte(&e, vt_code(*c));
    mb_entry(mb, SEC_TYPE, e.p, e.n);
    free(e.p);
    return mb->count[SEC_TYPE] - 1;
}

/* Adds a defined function: one local per letter of `locals`. */
static inline void mb_func(Mb *mb, uint32_t type, const char *locals,
                    const uint8_t *body, size_t len)
{
    Bytes f = {0}, code = {0};
    b_u32(&f, type);
    mb_entry(mb, SEC_FUNC, f.p, f.n);
    b_u32(&code, (uint32_t)strlen(locals));
    for (const char *c = locals; *c; c++) {
        b_u32(&code, 1);
        b_byte(&code, vt_code(*c));
    }
    b_put(&code, body, len);
    Bytes sized = {0};
    b_u32(&sized, (uint32_t)code.n);
    b_put(&sized, code.p, code.n);
    mb_entry(mb, SEC_CODE, sized.p, sized.n);
    free(f.p);
    free(code.p);
    free(sized.p);
}

static inline void mb_import(Mb *mb, const char *field, const uint8_t *desc, size_t n)
{
    Bytes e = {0};
    b_u32(&e, 1);
    b_byte(&e, 'm');
    b_u32(&e, (uint32_t)strlen(field));
    b_put(&e, field, strlen(field));
    b_put(&e, desc, n);
    mb_entry(mb, SEC_IMPORT, e.p, e.n);
    free(e.p);
}

static inline void mb_export(Mb *mb, const char *name, uint8_t kind, uint32_t idx)
{
    Bytes e = {0};
    b_u32(&e, (uint32_t)strlen(name));
    b_put(&e, name, strlen(name));
    b_byte(&e, kind);
    b_u32(&e, idx);
    mb_entry(mb, SEC_EXPORT, e.p, e.n);
    free(e.p);
}

static inline void mb_limits_entry(Mb *mb, int sec, int reftype, uint32_t min,
                            bool has_max, uint32_t max)
{
    Bytes e = {0};
    if (reftype) b_byte(&e, (uint8_t)reftype);
    b_byte(&e, has_max);
    b_u32(&e, min);
    if (has_max) b_u32(&e, max);
    mb_entry(mb, sec, e.p, e.n);
    free(e.p);
}

static inline void mb_table(Mb *mb, char elem, uint32_t min, bool has_max, uint32_t max)
{
    mb_limits_entry(mb, SEC_TABLE, vt_code(elem), min, has_max, max);
}

static inline void mb_memory(Mb *mb, uint32_t min, bool has_max, uint32_t max)
{
    mb_limits_entry(mb, SEC_MEM, 0, min, has_max, max);
}

static inline void mb_start(Mb *mb, uint32_t idx)
{
    mb->sec[SEC_START].n = 0;
    b_u32(&mb->sec[SEC_START], idx);
    mb->present[SEC_START] = true;
}

static inline void mb_datacount(Mb *mb, uint32_t n)
{
    mb->sec[SEC_DATACOUNT].n = 0;
    b_u32(&mb->sec[SEC_DATACOUNT], n);
    mb->present[SEC_DATACOUNT] = true;
}

/* The binary, sections in the order the format requires. */
static inline uint8_t *mb_build(Mb *mb, size_t *len)
{
    static const int order[] = {SEC_TYPE, SEC_IMPORT, SEC_FUNC, SEC_TABLE,
                                SEC_MEM, SEC_GLOBAL, SEC_EXPORT, SEC_START,
                                SEC_ELEM, SEC_DATACOUNT, SEC_CODE, SEC_DATA};
    Bytes out = {0};
    b_put(&out, "\0asm\1\0\0\0", 8);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int s = order[i];
        if (!mb->present[s]) continue;
        Bytes content = {0};
        if (s != SEC_START && s != SEC_DATACOUNT) b_u32(&content, mb->count[s]);
        b_put(&content, mb->sec[s].p, mb->sec[s].n);
        b_byte(&out, (uint8_t)s);
        b_u32(&out, (uint32_t)content.n);
        b_put(&out, content.p, content.n);
        free(content.p);
    }
    *len = out.n;
    return out.p;
}

static inline void mb_free(Mb *mb)
{
    for (int i = 0; i < 13; i++) free(mb->sec[i].p);
    memset(mb, 0, sizeof *mb);
}

#endif
