/*
 * decode_test.c - the binary decoder: every section, the spec's malformed
 * cases (wording and offsets), LEB128 limits, hostile counts, truncation.
 *
 * Fixtures are small hand-written byte arrays; each section is written as
 * id, size, content so the sizes can be checked by eye.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "wasm/decode.h"
#include "wasm/limits.h"
#include "wasm/opcodes.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* A section whose size byte is computed (contents under 128 bytes). */
#define SEC(id, ...) id, (uint8_t)sizeof((uint8_t[]){__VA_ARGS__}), __VA_ARGS__

static Module *decode_ok(const uint8_t *b, size_t n)
{
    Module *m = NULL;
    b8g_error e;
    b8g_status st = dec_module(b, n, &m, &e);
    if (st) print_error("unexpected failure: %s at %llu\n", e.msg, (unsigned long long)e.offset);
    assert_int_equal(st, B8G_OK);
    assert_non_null(m);
    return m;
}

/* Decoding fails with `code` and a message starting with `msg`. */
static b8g_error decode_fail(const uint8_t *b, size_t n, b8g_status code, const char *msg)
{
    Module *m = (Module *)1;
    b8g_error e;
    b8g_status st = dec_module(b, n, &m, &e);
    if (st != code || strncmp(e.msg, msg, strlen(msg)) != 0)
        print_error("got %d \"%s\", want %d \"%s\"\n", st, e.msg, code, msg);
    assert_int_equal(st, code);
    assert_int_equal(e.code, code);
    assert_null(m);
    assert_true(strncmp(e.msg, msg, strlen(msg)) == 0);
    return e;
}

#define OK(...)                                                                \
    ({                                                                         \
        static const uint8_t b_[] = {__VA_ARGS__};                             \
        decode_ok(b_, sizeof b_);                                              \
    })
#define FAIL(code, msg, ...)                                                   \
    ({                                                                         \
        static const uint8_t b_[] = {__VA_ARGS__};                             \
        decode_fail(b_, sizeof b_, code, msg);                                 \
    })
#define MALFORMED(msg, ...) FAIL(B8G_MALFORMED, msg, __VA_ARGS__)

/* ---- header and section framing ------------------------------------------ */

static void test_empty_module(void **state)
{
    (void)state;
    Module *m = OK(HDR);
    assert_int_equal(m->ntypes, 0);
    assert_int_equal(m->nfuncs, 0);
    assert_int_equal(m->len, 8);
    assert_false(m->has_start);
    mod_free(m);
}

static void test_header(void **state)
{
    (void)state;
    decode_fail((const uint8_t *)"", 0, B8G_MALFORMED, "unexpected end");
    MALFORMED("unexpected end", 0x01);
    MALFORMED("unexpected end", 0x00, 0x61, 0x73);
    MALFORMED("magic header not detected", 0x61, 0x73, 0x6d, 0x00);
    MALFORMED("magic header not detected", 0xef, 0xbb, 0xbf, 0x00, 0x61, 0x73, 0x6d, 0x01);
    MALFORMED("unexpected end", 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00);
    b8g_error e = MALFORMED("unknown binary version", 0x00, 0x61, 0x73, 0x6d, 0x0d, 0, 0, 0);
    assert_int_equal(e.offset, 4);
}

static void test_section_ids_and_order(void **state)
{
    (void)state;
    b8g_error e = MALFORMED("malformed section id", HDR, 0x0d, 0x00);
    assert_int_equal(e.offset, 8);
    MALFORMED("malformed section id", HDR, 0x80, 0x00, 0x01, 0x00);
    /* function before type */
    MALFORMED("unexpected content after last section", HDR, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00);
    /* two start sections */
    MALFORMED("unexpected content after last section", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
              0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x04, 0x01,
              0x02, 0x00, 0x0b);
    /* datacount goes between element and code, not after code */
    Module *m = OK(HDR, 0x09, 0x01, 0x00, 0x0c, 0x01, 0x00, 0x0a, 0x01, 0x00);
    assert_true(m->has_datacount);
    mod_free(m);
    MALFORMED("unexpected content after last section", HDR, 0x0a, 0x01, 0x00, 0x0c, 0x01, 0x00);
    /* custom sections anywhere, repeatedly */
    m = OK(HDR, 0x00, 0x02, 0x01, 'a', 0x01, 0x01, 0x00, 0x00, 0x02, 0x01, 'b', 0x00, 0x01,
           0x00);
    assert_int_equal(m->ncustoms, 3);
    assert_string_equal(m->customs[2].name.str, "");
    mod_free(m);
}

static void test_section_sizes(void **state)
{
    (void)state;
    /* one type declared, two given */
    b8g_error e = MALFORMED("section size mismatch", HDR, 0x01, 0x07, 0x01, 0x60, 0x00, 0x00,
                            0x60, 0x00, 0x00);
    assert_int_equal(e.offset, 10);
    /* size larger than the input */
    MALFORMED("length out of bounds", HDR, 0x01, 0x07, 0x02, 0x60, 0x00, 0x00);
    /* two imports declared, one given: runs out of input */
    MALFORMED("unexpected end of section or function", HDR, 0x02, 0x06, 0x02, 0x01, 'm',
              0x01, 'f', 0x02, 0x00, 0x00);
    /* concatenated modules: the second header reads as a custom section */
    MALFORMED("length out of bounds", HDR, HDR);
}

/* ---- types, imports and index spaces ------------------------------------- */

static void test_type_section(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x01, 0x02, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d, 0x60, 0x00, 0x02,
                            0x70, 0x6f));
    assert_int_equal(m->ntypes, 2);
    assert_int_equal(m->types[0].nparams, 2);
    assert_int_equal(m->types[0].nresults, 1);
    assert_int_equal(ft_params(&m->types[0])[1], VT_I64);
    assert_int_equal(ft_results(&m->types[0])[0], VT_F32);
    assert_int_equal(m->types[1].nparams, 0);
    assert_int_equal(ft_results(&m->types[1])[0], VT_FUNCREF);
    assert_int_equal(ft_results(&m->types[1])[1], VT_EXTERNREF);
    mod_free(m);
    MALFORMED("malformed function type", HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00);
    MALFORMED("integer representation too long", HDR, 0x01, 0x05, 0x01, 0xe0, 0x7f, 0x00, 0x00);
    MALFORMED("malformed value type", HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x40, 0x00);
}

static void test_simd_type_unsupported(void **state)
{
    (void)state;
    b8g_error e = FAIL(B8G_UNSUPPORTED, "simd128", HDR, 0x01, 0x05, 0x01,
                       0x60, 0x01, 0x7b, 0x00);
    assert_non_null(strstr(e.msg, "simd128"));
    assert_int_equal(e.offset, 13);
}

static void test_imports_and_index_spaces(void **state)
{
    (void)state;
    Module *m = OK(HDR,
        SEC(0x01, 0x01, 0x60, 0x00, 0x00),                        /* type () -> () */
        SEC(0x02, 0x04,                                           /* 4 imports */
            0x01, 'm', 0x01, 'f', 0x00, 0x00,                     /* func type 0 */
            0x01, 'm', 0x01, 't', 0x01, 0x70, 0x01, 0x01, 0x02,   /* table funcref 1..2 */
            0x01, 'm', 0x01, 'M', 0x02, 0x00, 0x03,               /* memory 3 */
            0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01),              /* global mut i64 */
        SEC(0x03, 0x01, 0x00),                                    /* one defined func */
        SEC(0x04, 0x01, 0x6f, 0x00, 0x05),                        /* table externref 5 */
        SEC(0x06, 0x01, 0x7f, 0x00, 0x41, 0x07, 0x0b),            /* global i32 = 7 */
        SEC(0x0a, 0x01, 0x02, 0x00, 0x0b));
    assert_int_equal(m->nimports, 4);
    assert_string_equal(m->imports[0].module.str, "m");
    assert_string_equal(m->imports[2].field.str, "M");
    assert_int_equal(m->nimported_funcs, 1);
    assert_int_equal(m->nfuncs, 2);
    assert_int_equal(m->func_types[0], 0);
    assert_int_equal(m->func_types[1], 0);
    assert_int_equal(m->ntables, 2);
    assert_int_equal(m->tables[0].elem, VT_FUNCREF);
    assert_true(m->tables[0].lim.has_max);
    assert_int_equal(m->tables[0].lim.max, 2);
    assert_int_equal(m->tables[1].elem, VT_EXTERNREF);
    assert_int_equal(m->tables[1].lim.min, 5);
    assert_int_equal(m->nmems, 1);
    assert_int_equal(m->nimported_mems, 1);
    assert_int_equal(m->mems[0].min, 3);
    assert_int_equal(m->nglobals, 2);
    assert_true(m->globals[0].type.mut);
    assert_int_equal(m->globals[0].type.type, VT_I64);
    assert_int_equal(m->globals[1].init.op, OPC_I32_CONST);
    assert_int_equal(m->globals[1].init.value, 7);
    mod_free(m);
}

static void test_import_errors(void **state)
{
    (void)state;
    MALFORMED("malformed import kind", HDR, 0x02, 0x04, 0x01, 0x00, 0x00, 0x04);
    MALFORMED("malformed import kind", HDR, 0x02, 0x05, 0x01, 0x00, 0x00, 0x80, 0x00);
    MALFORMED("malformed UTF-8 encoding", HDR, 0x02, 0x07, 0x01, 0x01, 0xff, 0x00, 0x00, 0x00,
              0x00);
    MALFORMED("malformed mutability", HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x03, 0x7f, 0x02);
    MALFORMED("malformed reference type", HDR, 0x02, 0x07, 0x01, 0x00, 0x00, 0x01, 0x7f, 0x00,
              0x00);
}

static void test_limits_flags(void **state)
{
    (void)state;
    MALFORMED("integer too large", HDR, 0x05, 0x02, 0x01, 0x02);
    MALFORMED("integer representation too long", HDR, 0x05, 0x05, 0x01, 0x81, 0x00, 0x00, 0x00);
    MALFORMED("integer too large", HDR, 0x04, 0x03, 0x01, 0x70, 0x02);
    Module *m = OK(HDR, 0x05, 0x04, 0x01, 0x01, 0x02, 0x03);
    assert_true(m->mems[0].has_max);
    assert_int_equal(m->mems[0].min, 2);
    assert_int_equal(m->mems[0].max, 3);
    mod_free(m);
}

/* ---- LEB128 edge cases ----------------------------------------------------- */

static void test_leb_unsigned(void **state)
{
    (void)state;
    /* memory minimum 2, non-minimal but within 5 bytes */
    Module *m = OK(HDR, 0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x00);
    assert_int_equal(m->mems[0].min, 2);
    mod_free(m);
    /* the full 32 bits */
    m = OK(HDR, 0x05, 0x07, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f);
    assert_int_equal(m->mems[0].min, UINT32_MAX);
    mod_free(m);
    MALFORMED("integer representation too long", HDR, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80,
              0x80, 0x80, 0x00);
    MALFORMED("integer too large", HDR, 0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x10);
    MALFORMED("integer too large", HDR, 0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x40);
}

#define GLOBAL_I32(...) HDR, 0x06, 0x0a, 0x01, 0x7f, 0x00, 0x41, __VA_ARGS__, 0x0b
#define GLOBAL_I64(...) HDR, 0x06, 0x0f, 0x01, 0x7e, 0x00, 0x42, __VA_ARGS__, 0x0b

static void test_leb_signed(void **state)
{
    (void)state;
    Module *m = OK(GLOBAL_I32(0xff, 0xff, 0xff, 0xff, 0x7f)); /* -1, 5 bytes */
    assert_int_equal((uint32_t)m->globals[0].init.value, UINT32_MAX);
    mod_free(m);
    m = OK(GLOBAL_I32(0x80, 0x80, 0x80, 0x80, 0x78)); /* INT32_MIN */
    assert_int_equal((uint32_t)m->globals[0].init.value, 0x80000000u);
    mod_free(m);
    MALFORMED("integer too large", GLOBAL_I32(0x80, 0x80, 0x80, 0x80, 0x70));
    MALFORMED("integer too large", GLOBAL_I32(0xff, 0xff, 0xff, 0xff, 0x0f));
    MALFORMED("integer too large", GLOBAL_I32(0xff, 0xff, 0xff, 0xff, 0x4f));
    MALFORMED("integer representation too long", HDR, 0x06, 0x0b, 0x01, 0x7f, 0x00, 0x41,
              0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
    m = OK(GLOBAL_I64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f));
    assert_int_equal(m->globals[0].init.value, 0x8000000000000000ull);
    mod_free(m);
    MALFORMED("integer too large", GLOBAL_I64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                              0x80, 0x7e));
    MALFORMED("integer too large", GLOBAL_I64(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0x01));
}

/* ---- constant expressions -------------------------------------------------- */

static void test_const_expr_forms(void **state)
{
    (void)state;
    /* f32 bits, ref.null extern, global.get 0 (not checked here), empty,
     * two instructions, a nested block */
    Module *m = OK(HDR, SEC(0x06, 0x06,
        0x7d, 0x00, 0x43, 0x00, 0x00, 0xc0, 0x7f, 0x0b,
        0x6f, 0x00, 0xd0, 0x6f, 0x0b,
        0x7f, 0x00, 0x23, 0x00, 0x0b,
        0x7f, 0x00, 0x0b,
        0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b,
        0x7f, 0x00, 0x02, 0x40, 0x0b, 0x0b));
    assert_int_equal(m->globals[0].init.op, OPC_F32_CONST);
    assert_int_equal(m->globals[0].init.value, 0x7fc00000u);
    assert_int_equal(m->globals[0].init.offset, 13);
    assert_int_equal(m->globals[1].init.op, OPC_REF_NULL);
    assert_int_equal(m->globals[1].init.value, VT_EXTERNREF);
    assert_int_equal(m->globals[2].init.op, OPC_GLOBAL_GET);
    assert_int_equal(m->globals[3].init.op, OPC_END);
    assert_int_equal(m->globals[4].init.op, OPC_COUNT);
    assert_int_equal(m->globals[5].init.op, OPC_COUNT);
    mod_free(m);
    MALFORMED("illegal opcode", HDR, 0x06, 0x05, 0x01, 0x7f, 0x00, 0x06, 0x0b);
    MALFORMED("END opcode expected", HDR, 0x06, 0x05, 0x01, 0x7f, 0x00, 0x05, 0x0b);
    MALFORMED("unexpected end", HDR, 0x06, 0x05, 0x01, 0x7f, 0x00, 0x41, 0x00);
}

/* ---- exports, start -------------------------------------------------------- */

static void test_exports_and_start(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x01, 0x01, 0x60, 0x00, 0x00), SEC(0x03, 0x01, 0x00),
                   SEC(0x07, 0x02, 0x01, 'f', 0x00, 0x00, 0x04, 'm', 'e', 'm', 0x00, 0x02,
                       0x00),
                   SEC(0x08, 0x00), SEC(0x0a, 0x01, 0x02, 0x00, 0x0b));
    assert_int_equal(m->nexports, 2);
    assert_string_equal(m->exports[0].name.str, "f");
    assert_int_equal(m->exports[0].kind, EXT_FUNC);
    assert_int_equal(m->exports[1].name.len, 4);
    assert_int_equal(m->exports[1].name.str[3], 0);
    assert_int_equal(m->exports[1].kind, EXT_MEMORY);
    assert_true(m->has_start);
    assert_int_equal(m->start, 0);
    mod_free(m);
    MALFORMED("malformed export kind", HDR, 0x07, 0x05, 0x01, 0x01, 'f', 0x04, 0x00);
    /* two declared, one given: the next section's id reads as a name length */
    MALFORMED("length out of bounds", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02,
              0x00, 0x00, 0x07, 0x06, 0x02, 0x02, 'f', '1', 0x00, 0x00, 0x0a, 0x07, 0x02,
              0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
}

/* ---- code section ---------------------------------------------------------- */

static void test_code_section(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x01, 0x01, 0x60, 0x00, 0x00), SEC(0x03, 0x01, 0x00),
                   SEC(0x0a, 0x01, 0x0b, 0x03, 0x00, 0x7f, 0x02, 0x7e, 0x01, 0x6f,
                       0x41, 0x00, 0x1a, 0x0b));
    Func *f = &m->funcs[0];
    assert_int_equal(f->nlocals, 3);
    assert_int_equal(f->local_types[0], VT_I64);
    assert_int_equal(f->local_types[1], VT_I64);
    assert_int_equal(f->local_types[2], VT_EXTERNREF);
    assert_int_equal(f->body_offset, 21);
    assert_int_equal(f->code_offset, 29);
    assert_int_equal(f->code_len, 4);
    assert_ptr_equal(f->code, m->bytes + 29);
    assert_int_equal(f->code[3], 0x0b);
    mod_free(m);
}

static void test_code_errors(void **state)
{
    (void)state;
    MALFORMED("function and code section have inconsistent lengths", HDR, 0x01, 0x04, 0x01,
              0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00);
    MALFORMED("function and code section have inconsistent lengths", HDR, 0x0a, 0x04, 0x01,
              0x02, 0x00, 0x0b);
    MALFORMED("function and code section have inconsistent lengths", HDR, 0x01, 0x04, 0x01,
              0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b,
              0x02, 0x00, 0x0b);
    /* local counts summing to 2^32 or more */
    MALFORMED("too many locals", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
              0x00, 0x0a, 0x0c, 0x01, 0x0a, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02,
              0x7e, 0x0b);
    MALFORMED("integer too large", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
              0x00, 0x0a, 0x0c, 0x01, 0x0a, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7f, 0x02,
              0x7e, 0x0b);
    /* within the spec but over the engine's cap: refused before allocating */
    FAIL(B8G_LIMIT, "too many locals", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
         0x01, 0x00, 0x0a, 0x0a, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x07, 0x7f, 0x0b);
    /* locals running past the body's size */
    MALFORMED("section size mismatch", HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
              0x01, 0x00, 0x0a, 0x05, 0x01, 0x01, 0x01, 0x01, 0x7f);
}

/* Element segments cost host memory per instance even when empty: their
 * number is capped like data segments'. */
static void test_elem_segment_cap(void **state)
{
    (void)state;
    for (uint32_t count = LIM_ELEM_SEGMENTS; count <= LIM_ELEM_SEGMENTS + 1; count++) {
        size_t body = 3 + (size_t)count * 3; /* count LEB (3 bytes) + segments */
        uint8_t *b = malloc(8 + 1 + 5 + body);
        size_t n = 0;
        static const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
        memcpy(b, hdr, 8);
        n = 8;
        b[n++] = 0x09; /* element section */
        for (uint64_t v = body, i = 0; i < 5; i++, v >>= 7) b[n++] = (uint8_t)((v & 0x7f) | (i < 4 ? 0x80 : 0));
        for (uint64_t v = count, i = 0; i < 3; i++, v >>= 7) b[n++] = (uint8_t)((v & 0x7f) | (i < 2 ? 0x80 : 0));
        for (uint32_t i = 0; i < count; i++) {
            b[n++] = 0x01; /* passive, elemkind */
            b[n++] = 0x00; /* funcref */
            b[n++] = 0x00; /* no items */
        }
        if (count == LIM_ELEM_SEGMENTS) {
            Module *m;
            b8g_error e;
            assert_int_equal(dec_module(b, n, &m, &e), B8G_OK);
            assert_int_equal(m->nelems, LIM_ELEM_SEGMENTS);
            mod_free(m);
        } else {
            decode_fail(b, n, B8G_LIMIT, "too many element segments");
        }
        free(b);
    }
}

/* Many functions each declaring the per-function maximum of locals would
 * expand to far more than the module's size: the module-wide cap stops it. */
static void test_total_locals_cap(void **state)
{
    (void)state;
    enum { NF = LIM_TOTAL_LOCALS / LIM_LOCALS + 1 };
    static uint8_t b[8 + 16 + (NF * 8) + 64];
    size_t n = 0;
    const uint8_t head[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
    memcpy(b, head, sizeof head);
    n = sizeof head;
    /* function section: NF entries of type 0 (NF < 2^14, two-byte count) */
    uint32_t fsize = 2 + NF;
    b[n++] = 0x03;
    b[n++] = (uint8_t)(0x80 | (fsize & 0x7f));
    b[n++] = (uint8_t)(fsize >> 7);
    b[n++] = (uint8_t)(0x80 | (NF & 0x7f));
    b[n++] = (uint8_t)(NF >> 7);
    memset(b + n, 0, NF);
    n += NF;
    /* code section: each body = size 6: 1 run of LIM_LOCALS i32, end */
    uint32_t csize = 2 + NF * 7;
    b[n++] = 0x0a;
    b[n++] = (uint8_t)(0x80 | (csize & 0x7f));
    b[n++] = (uint8_t)(0x80 | ((csize >> 7) & 0x7f));
    b[n++] = (uint8_t)(csize >> 14);
    b[n++] = (uint8_t)(0x80 | (NF & 0x7f));
    b[n++] = (uint8_t)(NF >> 7);
    for (uint32_t i = 0; i < NF; i++) {
        const uint8_t body[] = {0x06, 0x01, (uint8_t)(0x80 | (LIM_LOCALS & 0x7f)),
                                (uint8_t)(0x80 | ((LIM_LOCALS >> 7) & 0x7f)),
                                (uint8_t)(LIM_LOCALS >> 14), 0x7f, 0x0b};
        memcpy(b + n, body, sizeof body);
        n += sizeof body;
    }
    assert_true(n <= sizeof b);
    decode_fail(b, n, B8G_LIMIT, "too many locals in module");
}

/* ---- element and data segments -------------------------------------------- */

static void test_elem_encodings(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x01, 0x01, 0x60, 0x00, 0x00), SEC(0x03, 0x01, 0x00),
        SEC(0x04, 0x02, 0x70, 0x00, 0x01, 0x6f, 0x00, 0x01),
        SEC(0x09, 0x08,
        0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,                   /* 0: active t0, funcs */
        0x01, 0x00, 0x02, 0x00, 0x00,                         /* 1: passive, kind, funcs */
        0x02, 0x00, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x00,       /* 2: active t0 explicit */
        0x03, 0x00, 0x01, 0x00,                               /* 3: declarative */
        0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x00, 0x0b,       /* 4: active t0, exprs */
        0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,                   /* 5: passive externref */
        0x06, 0x01, 0x41, 0x00, 0x0b, 0x6f, 0x00,             /* 6: active t1, no items */
        0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b),                  /* 7: declarative exprs */
        SEC(0x0a, 0x01, 0x02, 0x00, 0x0b));
    assert_int_equal(m->nelems, 8);
    ElemSeg *e = m->elems;
    assert_int_equal(e[0].mode, SEG_ACTIVE);
    assert_int_equal(e[0].table, 0);
    assert_int_equal(e[0].offset.op, OPC_I32_CONST);
    assert_int_equal(e[0].count, 1);
    assert_int_equal(e[0].items[0].op, OPC_REF_FUNC);
    assert_int_equal(e[0].type, VT_FUNCREF);
    assert_int_equal(e[1].mode, SEG_PASSIVE);
    assert_int_equal(e[1].count, 2);
    assert_int_equal(e[2].mode, SEG_ACTIVE);
    assert_int_equal(e[2].offset.value, 1);
    assert_int_equal(e[3].mode, SEG_DECLARATIVE);
    assert_int_equal(e[4].items[0].op, OPC_REF_FUNC);
    assert_int_equal(e[4].items[0].value, 0);
    assert_int_equal(e[5].mode, SEG_PASSIVE);
    assert_int_equal(e[5].type, VT_EXTERNREF);
    assert_int_equal(e[5].items[0].op, OPC_REF_NULL);
    assert_int_equal(e[6].table, 1);
    assert_int_equal(e[6].count, 0);
    assert_int_equal(e[7].mode, SEG_DECLARATIVE);
    mod_free(m);
    MALFORMED("malformed elements segment kind", HDR, 0x09, 0x03, 0x01, 0x08, 0x00);
    MALFORMED("malformed element kind", HDR, 0x09, 0x04, 0x01, 0x01, 0x01, 0x00);
    MALFORMED("malformed reference type", HDR, 0x09, 0x07, 0x01, 0x05, 0x7f, 0x01, 0xd2, 0x00,
              0x0b);
    MALFORMED("illegal opcode", HDR, 0x09, 0x07, 0x01, 0x05, 0x70, 0x01, 0xf3, 0x00, 0x0b);
}

static void test_data_segments(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x05, 0x01, 0x00, 0x01), SEC(0x0c, 0x03),
        SEC(0x0b, 0x03,
            0x00, 0x41, 0x01, 0x0b, 0x02, 'h', 'i',
            0x01, 0x01, 'x',
            0x02, 0x00, 0x41, 0x02, 0x0b, 0x00));
    assert_int_equal(m->ndatas, 3);
    assert_true(m->has_datacount);
    assert_int_equal(m->datacount, 3);
    assert_int_equal(m->datas[0].mode, SEG_ACTIVE);
    assert_int_equal(m->datas[0].len, 2);
    assert_memory_equal(m->datas[0].bytes, "hi", 2);
    assert_int_equal(m->datas[1].mode, SEG_PASSIVE);
    assert_int_equal(m->datas[1].bytes[0], 'x');
    assert_int_equal(m->datas[2].mem, 0);
    assert_int_equal(m->datas[2].offset.value, 2);
    assert_int_equal(m->datas[2].len, 0);
    mod_free(m);
    MALFORMED("malformed data segment kind", HDR, 0x0b, 0x03, 0x01, 0x03, 0x00);
    MALFORMED("data count and data section have inconsistent lengths", HDR, 0x0c, 0x01, 0x03,
              0x0b, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00);
    MALFORMED("data count and data section have inconsistent lengths", HDR, 0x0c, 0x01, 0x01);
    MALFORMED("unexpected end of section or function", HDR, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0b,
              0x0c, 0x01, 0x00, 0x41, 0x03, 0x0b, 0x07, 'a', 'b', 'c', 'd', 'e', 'f');
}

/* ---- hostile counts and truncation --------------------------------------- */

static void test_huge_counts(void **state)
{
    (void)state;
    /* counts far beyond the input are refused before anything is sized */
    MALFORMED("length out of bounds", HDR, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f);
    MALFORMED("length out of bounds", HDR, 0x09, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f);
    MALFORMED("length out of bounds", HDR, 0x0a, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f);
    MALFORMED("length out of bounds", HDR, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f);
}

/* A module touching most sections; truncated anywhere, decoding either fails
 * as malformed with an offset inside the input, or (cut exactly between
 * sections whose absence is legal) succeeds. */
static const uint8_t rich[] = {
    HDR,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                   /* type */
    0x02, 0x0a, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x00, /* import */
    0x03, 0x02, 0x01, 0x00,                                     /* function */
    0x04, 0x04, 0x01, 0x70, 0x00, 0x01,                         /* table */
    0x05, 0x03, 0x01, 0x00, 0x01,                               /* memory */
    0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x2a, 0x0b,             /* global */
    0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,                    /* export */
    0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,       /* elem */
    0x0c, 0x01, 0x01,                                           /* datacount */
    0x0a, 0x09, 0x01, 0x07, 0x01, 0x01, 0x7e, 0x41, 0x05, 0x0b, 0x00, /* code */
    0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 'z',        /* data */
    0x00, 0x0e, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x07, 0x01, 0x00, 0x04, 'm', 'a', 'i', 'n',
};

static void test_rich_module(void **state)
{
    (void)state;
    Module *m = decode_ok(rich, sizeof rich);
    assert_int_equal(m->nfuncs, 1);
    assert_int_equal(m->nglobals, 2);
    assert_int_equal(m->globals[1].init.value, 42);
    assert_string_equal(mod_func_name(m, 0), "main");
    assert_int_equal(m->funcs[0].nlocals, 1);
    mod_free(m);
}

static void test_truncation_everywhere(void **state)
{
    (void)state;
    /* prefix lengths that end between sections and leave a valid module:
     * after the header, the type and the import section (a function
     * section without code is not), and before the final custom section */
    const size_t ok_cuts[] = {8, 15, 27, sizeof rich - 16};
    for (size_t len = 0; len < sizeof rich; len++) {
        Module *m = NULL;
        b8g_error e;
        b8g_status st = dec_module(rich, len, &m, &e);
        bool ok_cut = false;
        for (size_t k = 0; k < B8G_ARRAY_LEN(ok_cuts); k++) ok_cut |= ok_cuts[k] == len;
        if (ok_cut) {
            assert_int_equal(st, B8G_OK);
            mod_free(m);
            continue;
        }
        if (st != B8G_MALFORMED) print_error("cut at %zu: status %d\n", len, st);
        assert_int_equal(st, B8G_MALFORMED);
        assert_null(m);
        assert_true(e.offset <= len);
    }
}

/* Every single-byte corruption of the rich module decodes or fails cleanly
 * (run under the sanitizers this is the crash/leak check). */
static void test_byte_flips(void **state)
{
    (void)state;
    uint8_t b[sizeof rich];
    const uint8_t vals[] = {0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xff};
    for (size_t i = 8; i < sizeof rich; i++) {
        for (size_t v = 0; v < sizeof vals; v++) {
            memcpy(b, rich, sizeof rich);
            b[i] = vals[v];
            Module *m = NULL;
            b8g_error e;
            b8g_status st = dec_module(b, sizeof b, &m, &e);
            if (st == B8G_OK) mod_free(m);
            else assert_true(e.offset <= sizeof b || e.offset == B8G_NO_OFFSET);
        }
    }
}

/* ---- names ---------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    Module *m = OK(HDR, SEC(0x00, 0x04, 'n', 'a', 'm', 'e',
        SEC(0x00, 0x02, 'm', 'd'),                                    /* module name */
        SEC(0x01, 0x02, 0x00, 0x02, 'f', '0', 0x05, 0x02, 'f', '5'),  /* funcs 0, 5 */
        SEC(0x02, 0x00)));                                            /* locals: skipped */
    assert_string_equal(m->names.module.str, "md");
    assert_int_equal(m->names.nfuncs, 2);
    assert_string_equal(mod_func_name(m, 0), "f0");
    assert_string_equal(mod_func_name(m, 5), "f5");
    assert_null(mod_func_name(m, 3));
    assert_null(mod_func_name(m, 6));
    assert_int_equal(m->ncustoms, 1);
    assert_int_equal(m->customs[0].len, 19);
    assert_int_equal(m->customs[0].offset, 15);
    mod_free(m);
}

static void test_bad_names_are_dropped(void **state)
{
    (void)state;
    /* unsorted function names */
    Module *m = OK(HDR, SEC(0x00, 0x04, 'n', 'a', 'm', 'e',
        SEC(0x01, 0x02, 0x05, 0x01, 'a', 0x01, 0x01, 'b')));
    assert_int_equal(m->names.nfuncs, 0);
    assert_null(mod_func_name(m, 5));
    assert_int_equal(m->ncustoms, 1);
    mod_free(m);
    /* truncated subsection, invalid UTF-8 in a name */
    m = OK(HDR, SEC(0x00, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x05, 0x01));
    assert_null(m->names.module.str);
    mod_free(m);
    m = OK(HDR, SEC(0x00, 0x04, 'n', 'a', 'm', 'e', SEC(0x00, 0x01, 0xc0)));
    assert_null(m->names.module.str);
    mod_free(m);
}

static void test_custom_sections(void **state)
{
    (void)state;
    MALFORMED("malformed UTF-8 encoding", HDR, 0x00, 0x02, 0x01, 0x80);
    MALFORMED("unexpected end", HDR, 0x00);
    MALFORMED("unexpected end", HDR, 0x00, 0x00);
    /* the name is longer than the section */
    MALFORMED("unexpected end", HDR, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x07, 0x00, 0x00);
    MALFORMED("length out of bounds", HDR, 0x00, 0x05, 0x01, 'a', 0x00);
    Module *m = OK(HDR, 0x00, 0x05, 0x02, 'h', 'i', 0x01, 0x02);
    assert_string_equal(m->customs[0].name.str, "hi");
    assert_int_equal(m->customs[0].len, 2);
    assert_int_equal(m->customs[0].data[1], 0x02);
    mod_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_module),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_section_ids_and_order),
        cmocka_unit_test(test_section_sizes),
        cmocka_unit_test(test_type_section),
        cmocka_unit_test(test_simd_type_unsupported),
        cmocka_unit_test(test_imports_and_index_spaces),
        cmocka_unit_test(test_import_errors),
        cmocka_unit_test(test_limits_flags),
        cmocka_unit_test(test_leb_unsigned),
        cmocka_unit_test(test_leb_signed),
        cmocka_unit_test(test_const_expr_forms),
        cmocka_unit_test(test_exports_and_start),
        cmocka_unit_test(test_code_section),
        cmocka_unit_test(test_code_errors),
        cmocka_unit_test(test_total_locals_cap),
        cmocka_unit_test(test_elem_segment_cap),
        cmocka_unit_test(test_elem_encodings),
        cmocka_unit_test(test_data_segments),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_rich_module),
        cmocka_unit_test(test_truncation_everywhere),
        cmocka_unit_test(test_byte_flips),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_bad_names_are_dropped),
        cmocka_unit_test(test_custom_sections),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
