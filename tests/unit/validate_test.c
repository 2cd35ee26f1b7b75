/*
 * validate_test.c - the validator: module-level rules and function bodies.
 *
 * Each test assembles a small binary module with the builder of mbuild.h,
 * runs dec_module and val_module on it, and checks the status and the
 * start of the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wasm/decode.h"
#include "wasm/limits.h"
#include "wasm/validate.h"

#include "mbuild.h"

/* Decodes and validates; the status, and the error in *err. */
static b8g_status mb_load(Mb *mb, b8g_error *err, Module **keep)
{
    size_t len;
    uint8_t *bytes = mb_build(mb, &len);
    Module *m = NULL;
    b8g_status st = dec_module(bytes, len, &m, err);
    if (!st) st = val_module(m, err);
    free(bytes);
    mb_free(mb);
    if (keep && !st) *keep = m;
    else mod_free(m);
    return st;
}

/* Expects status want and, unless NULL, a message starting with msg. */
static void expect(Mb *mb, b8g_status want, const char *msg)
{
    b8g_error err = {0};
    b8g_status st = mb_load(mb, &err, NULL);
    if (st != want)
        fail_msg("status %s, want %s (%s)", b8g_status_name(st),
                 b8g_status_name(want), st ? err.msg : "no error");
    if (msg && strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("message \"%s\", want \"%s...\"", err.msg, msg);
}

/* Module features for the one-function tests below. */
enum { F_MEM = 1, F_TABLE = 2, F_EXPORT = 4 };

/* One function of type params -> results with the given body. */
static void expect_body(const char *params, const char *results, const char *locals,
                        int features, const uint8_t *body, size_t len,
                        b8g_status want, const char *msg)
{
    Mb mb = {0};
    mb_type(&mb, params, results);
    if (features & F_TABLE) mb_table(&mb, 'r', 1, false, 0);
    if (features & F_MEM) mb_memory(&mb, 1, false, 0);
    if (features & F_EXPORT) mb_export(&mb, "f", 0, 0);
    mb_func(&mb, 0, locals, body, len);
    expect(&mb, want, msg);
}

#define VALID(params, results, locals, features, ...)                          \
    expect_body(params, results, locals, features, BYTES(__VA_ARGS__), B8G_OK, NULL)
#define INVALID(params, results, locals, features, msg, ...)                    \
    expect_body(params, results, locals, features, BYTES(__VA_ARGS__), B8G_INVALID, msg)

/* ---- valid bodies -------------------------------------------------------- */

static void test_valid_basic(void **state)
{
    (void)state;
    VALID("ii", "i", "", 0, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b); /* add */
    VALID("", "", "iF", 0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x21, 0x01,
          0x20, 0x00, 0x22, 0x00, 0x1a, 0x0b);                 /* locals */
    VALID("i", "i", "", 0, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41,
          0x02, 0x0b, 0x0b);                                    /* if/else */
    VALID("", "i", "", 0, 0x41, 0x07, 0x0f, 0x0b);              /* return */
    VALID("", "", "", F_MEM, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x41, 0x00,
          0x42, 0x05, 0x37, 0x03, 0x08, 0x3f, 0x00, 0x40, 0x00, 0x1a, 0x0b);
    VALID("", "", "", F_TABLE, 0x41, 0x00, 0x25, 0x00, 0x1a, 0xfc, 0x10, 0x00,
          0x1a, 0xd0, 0x70, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x1a, 0x0b);
    /* typed select on references */
    VALID("", "", "", 0, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01, 0x1c, 0x01, 0x70,
          0x1a, 0x0b);
    /* call itself and call_indirect through the table */
    VALID("i", "i", "", F_TABLE, 0x20, 0x00, 0x10, 0x00, 0x41, 0x00, 0x11,
          0x00, 0x00, 0x0b);
}

static void test_valid_multi_value(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_type(&mb, "", "");
    uint32_t two = mb_type(&mb, "", "iI");
    uint32_t inc = mb_type(&mb, "i", "i");
    mb_func(&mb, 0, "", BYTES(0x02, (uint8_t)two, 0x41, 0x01, 0x42, 0x02, 0x0b,
                              0x1a, 0x1a,                         /* block ()->(i32 i64) */
                              0x41, 0x01, 0x02, (uint8_t)inc, 0x41, 0x02, 0x6a,
                              0x0b, 0x1a,                         /* block (i32)->(i32) */
                              0x41, 0x01, 0x03, (uint8_t)inc, 0x0b, 0x1a, /* loop */
                              0x0b));
    expect(&mb, B8G_OK, NULL);
    /* a function returning two values, called */
    mb_type(&mb, "", "iI");
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x41, 0x01, 0x42, 0x02, 0x0b));
    mb_func(&mb, 1, "", BYTES(0x10, 0x00, 0x1a, 0x1a, 0x0b));
    expect(&mb, B8G_OK, NULL);
}

static void test_valid_unreachable(void **state)
{
    (void)state;
    VALID("", "", "", 0, 0x00, 0x6a, 0x1a, 0x0b);       /* unreachable i32.add drop */
    VALID("", "i", "", 0, 0x00, 0x0b);                   /* no value needed */
    VALID("", "", "", 0, 0x00, 0x1b, 0x1a, 0x0b);       /* select of unknowns */
    VALID("", "", "", 0, 0x00, 0xd1, 0x1a, 0x0b);       /* ref.is_null of unknown */
    VALID("", "i", "", 0, 0x41, 0x00, 0x0c, 0x00, 0x6a, 0x0b); /* br, i32.add */
    VALID("", "", "", 0, 0x02, 0x7f, 0x00, 0x0b, 0x1a, 0x0b); /* block result */
}

static void test_valid_br_table(void **state)
{
    (void)state;
    VALID("i", "i", "", 0, 0x02, 0x7f, 0x02, 0x7f, 0x41, 0x07, 0x20, 0x00,
          0x0e, 0x02, 0x00, 0x01, 0x01, 0x0b, 0x0b, 0x0b);
    /* In unreachable code each label is checked against the polymorphic
     * stack on its own: an i32 label and an f32 label of the same arity. */
    VALID("", "", "", 0, 0x02, 0x7f, 0x02, 0x7d, 0x00, 0x0e, 0x01, 0x00, 0x01,
          0x0b, 0x1a, 0x41, 0x00, 0x0b, 0x1a, 0x0b);
    /* a loop label takes the loop's params (none) */
    VALID("i", "", "", 0, 0x03, 0x40, 0x20, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b,
          0x0b);
}

static void test_valid_refs_and_bulk(void **state)
{
    (void)state;
    VALID("", "", "", F_EXPORT, 0xd2, 0x00, 0x1a, 0x0b); /* exported: declared */
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_memory(&mb, 1, false, 0);
    mb_datacount(&mb, 1);
    mb_entry(&mb, SEC_DATA, BYTES(0x01, 0x01, 0xaa)); /* passive */
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x08,
                              0x00, 0x00, 0xfc, 0x09, 0x00, 0x0b));
    expect(&mb, B8G_OK, NULL);
    /* a global initialiser and an element segment declare functions */
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x70, 0x00, 0xd2, 0x00, 0x0b));
    mb_entry(&mb, SEC_ELEM, BYTES(0x03, 0x00, 0x01, 0x01)); /* declarative */
    mb_func(&mb, 0, "", BYTES(0xd2, 0x00, 0x1a, 0xd2, 0x01, 0x1a, 0x0b));
    mb_func(&mb, 0, "", BYTES(0x0b));
    Module *m = NULL;
    b8g_error err;
    assert_int_equal(mb_load(&mb, &err, &m), B8G_OK);
    assert_true(m->func_declared[0]);
    assert_true(m->func_declared[1]);
    mod_free(m);
}

/* ---- invalid bodies ------------------------------------------------------- */

static void test_type_mismatch(void **state)
{
    (void)state;
    INVALID("", "", "", 0, "type mismatch in i32.add: expected i32, got f64",
            0x41, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a, 0x1a, 0x0b);
    INVALID("", "", "", 0, "type mismatch in i32.add: expected i32, got nothing",
            0x6a, 0x0b);
    INVALID("", "", "", 0, "type mismatch in end", 0x41, 0x00, 0x0b);
    INVALID("", "i", "", 0, "type mismatch in end", 0x0b);
    INVALID("", "i", "", 0, "type mismatch in return", 0x42, 0x00, 0x0f, 0x0b);
    /* an operand below the block's height is out of reach */
    INVALID("", "", "", 0, "type mismatch in drop", 0x41, 0x00, 0x02, 0x40,
            0x1a, 0x0b, 0x0b);
    /* if without else must map its params to its results */
    INVALID("i", "i", "", 0, "type mismatch in end", 0x20, 0x00, 0x04, 0x7f,
            0x41, 0x01, 0x0b, 0x0b);
    INVALID("", "", "", 0, "type mismatch in if", 0x04, 0x40, 0x0b, 0x0b);
    INVALID("", "", "", 0, "type mismatch in ref.is_null", 0x41, 0x00, 0xd1,
            0x1a, 0x0b);
    INVALID("", "", "", 0, "type mismatch in select", 0xd0, 0x70, 0xd0, 0x70,
            0x41, 0x01, 0x1b, 0x1a, 0x0b);
    INVALID("", "", "", 0, "type mismatch in select", 0x41, 0x00, 0x42, 0x00,
            0x41, 0x01, 0x1b, 0x1a, 0x0b);
    INVALID("", "", "", 0, "invalid result arity", 0x41, 0x00, 0x41, 0x00,
            0x41, 0x01, 0x1c, 0x02, 0x7f, 0x7f, 0x1a, 0x0b);
    /* unreachable only makes the current frame polymorphic */
    INVALID("", "", "", 0, "type mismatch in i32.add", 0x00, 0x02, 0x40, 0x6a,
            0x1a, 0x0b, 0x0b);
}

static void test_branches(void **state)
{
    (void)state;
    INVALID("", "", "", 0, "unknown label 1", 0x0c, 0x01, 0x0b);
    INVALID("", "", "", 0, "unknown label 5", 0x41, 0x00, 0x0d, 0x05, 0x0b);
    INVALID("", "", "", 0, "unknown label 3", 0x41, 0x00, 0x0e, 0x01, 0x03,
            0x00, 0x0b);
    INVALID("", "i", "", 0, "type mismatch in br", 0x42, 0x00, 0x0c, 0x00, 0x0b);
    /* arity differs between a label and the default */
    INVALID("", "", "", 0, "type mismatch in br_table", 0x02, 0x7f, 0x02, 0x40,
            0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x41, 0x00, 0x0b, 0x1a, 0x0b);
    /* reachable: i32 operand for an f32 label */
    INVALID("", "", "", 0, "type mismatch in br_table", 0x02, 0x7f, 0x02, 0x7d,
            0x41, 0x00, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x1a, 0x41, 0x00,
            0x0b, 0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown type 9", 0x02, 0x09, 0x0b, 0x0b);
}

static void test_indices(void **state)
{
    (void)state;
    INVALID("", "", "", 0, "unknown local 5", 0x20, 0x05, 0x1a, 0x0b);
    INVALID("i", "", "f", 0, "unknown local 2", 0x41, 0x00, 0x21, 0x02, 0x0b);
    INVALID("", "", "", 0, "unknown global 0", 0x23, 0x00, 0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown function 5", 0x10, 0x05, 0x0b);
    INVALID("", "", "", 0, "unknown function 5", 0xd2, 0x05, 0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown table 0", 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b);
    INVALID("", "", "", F_TABLE, "unknown type 9", 0x41, 0x00, 0x11, 0x09, 0x00,
            0x0b);
    INVALID("", "", "", 0, "unknown table 0", 0x41, 0x00, 0x25, 0x00, 0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown memory 0", 0x41, 0x00, 0x28, 0x02, 0x00,
            0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown memory 0", 0x3f, 0x00, 0x1a, 0x0b);
    INVALID("", "", "", 0, "unknown memory 0", 0x41, 0x00, 0x41, 0x00, 0x41,
            0x00, 0xfc, 0x0a, 0x00, 0x00, 0x0b);
    INVALID("", "", "", F_MEM, "alignment must not be larger than natural",
            0x41, 0x00, 0x28, 0x03, 0x00, 0x1a, 0x0b);
    INVALID("", "", "", F_MEM, "alignment must not be larger than natural",
            0x41, 0x00, 0x41, 0x00, 0x3a, 0x01, 0x00, 0x0b);
    INVALID("", "", "", 0, "undeclared function reference", 0xd2, 0x00, 0x1a,
            0x0b);
    INVALID("", "", "", 0, "unknown elem segment 2", 0xfc, 0x0d, 0x02, 0x0b);
}

static void test_globals_in_bodies(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x41, 0x00, 0x0b));
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x24, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "global is immutable");
    mb_type(&mb, "", "");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7e, 0x01, 0x42, 0x00, 0x0b));
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x24, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in global.set: expected i64, got i32");
    mb_type(&mb, "", "");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7e, 0x01, 0x42, 0x00, 0x0b));
    mb_func(&mb, 0, "", BYTES(0x42, 0x00, 0x24, 0x00, 0x23, 0x00, 0x1a, 0x0b));
    expect(&mb, B8G_OK, NULL);
}

static void test_tables_and_segments(void **state)
{
    (void)state;
    Mb mb = {0};
    /* call_indirect needs a funcref table */
    mb_type(&mb, "", "");
    mb_table(&mb, 'e', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x11, 0x00, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in call_indirect");
    /* table.init: funcref segment into an externref table */
    mb_type(&mb, "", "");
    mb_table(&mb, 'e', 1, false, 0);
    mb_entry(&mb, SEC_ELEM, BYTES(0x01, 0x00, 0x00)); /* passive funcref, empty */
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c,
                              0x00, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in table.init");
    /* table.copy between tables of different types */
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_table(&mb, 'e', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e,
                              0x00, 0x01, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in table.copy");
    /* table.set of the wrong reference type */
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0xd0, 0x6f, 0x26, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in table.set: expected funcref, got externref");
    /* table.init with a segment index past the segments */
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c,
                              0x04, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "unknown elem segment 4");
}

static void test_data_segments(void **state)
{
    (void)state;
    Mb mb = {0};
    /* memory.init and data.drop need the data count section (malformed) */
    mb_type(&mb, "", "");
    mb_memory(&mb, 1, false, 0);
    mb_entry(&mb, SEC_DATA, BYTES(0x01, 0x01, 0xaa));
    mb_func(&mb, 0, "", BYTES(0xfc, 0x09, 0x00, 0x0b));
    expect(&mb, B8G_MALFORMED, "data count section required");
    mb_type(&mb, "", "");
    mb_memory(&mb, 1, false, 0);
    mb_datacount(&mb, 1);
    mb_entry(&mb, SEC_DATA, BYTES(0x01, 0x01, 0xaa));
    mb_func(&mb, 0, "", BYTES(0xfc, 0x09, 0x03, 0x0b));
    expect(&mb, B8G_INVALID, "unknown data segment 3");
    /* without any data segment the index is simply unknown */
    INVALID("", "", "", F_MEM, "unknown data segment 0", 0xfc, 0x09, 0x00, 0x0b);
    INVALID("", "", "", 0, "unknown memory 0", 0x41, 0x00, 0x41, 0x00, 0x41,
            0x00, 0xfc, 0x08, 0x01, 0x00, 0x0b);
}

static void test_malformed_bodies(void **state)
{
    (void)state;
    expect_body("", "", "", 0, BYTES(0x41, 0x00, 0x1a), B8G_MALFORMED,
                "END opcode expected");
    expect_body("", "", "", 0, BYTES(0x02, 0x40, 0x0b), B8G_MALFORMED,
                "END opcode expected");
    expect_body("", "", "", 0, BYTES(0x0b, 0x01), B8G_MALFORMED,
                "section size mismatch");
    expect_body("", "", "", 0, BYTES(0x05, 0x0b), B8G_MALFORMED,
                "END opcode expected");
    expect_body("", "", "", 0, BYTES(0xff, 0x0b), B8G_MALFORMED, "illegal opcode");
    /* malformed wins over invalid, whichever comes first */
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x6a, 0x0b));
    mb_func(&mb, 0, "", BYTES(0x01, 0xff, 0x0b));
    expect(&mb, B8G_MALFORMED, "illegal opcode");
    mb_type(&mb, "", "");
    mb_export(&mb, "x", 0, 7);
    mb_func(&mb, 0, "", BYTES(0x01));
    expect(&mb, B8G_MALFORMED, "END opcode expected");
}

static void test_error_location(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_func(&mb, 0, "", BYTES(0x01, 0x01, 0x6a, 0x0b));
    size_t len;
    uint8_t *bytes = mb_build(&mb, &len);
    mb_free(&mb);
    Module *m = NULL;
    b8g_error err;
    assert_int_equal(dec_module(bytes, len, &m, &err), B8G_OK);
    assert_int_equal(val_module(m, &err), B8G_INVALID);
    assert_int_equal(err.func, 1);
    /* the i32.add is the second-to-last byte of the module */
    assert_int_equal(err.offset, len - 2);
    assert_int_equal(bytes[err.offset], 0x6a);
    mod_free(m);
    free(bytes);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    uint32_t depth = LIM_BLOCK_DEPTH + 1;
    size_t len = (size_t)depth * 3 + 1;
    uint8_t *body = malloc(len);
    assert_non_null(body);
    for (uint32_t i = 0; i < depth; i++) {
        body[2 * i] = 0x02;
        body[2 * i + 1] = 0x40;
    }
    memset(body + 2 * (size_t)depth, 0x0b, (size_t)depth + 1);
    expect_body("", "", "", 0, body, len, B8G_LIMIT, NULL);
    expect_body("", "", "", 0, body + 2, len - 3, B8G_OK, NULL);
    free(body);
}

/* ---- module-level rules -------------------------------------------------- */

static void test_module_limits(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_memory(&mb, 65537, false, 0);
    expect(&mb, B8G_INVALID, "memory size must be at most 65536 pages (4GiB)");
    mb_memory(&mb, 0, true, 65537);
    expect(&mb, B8G_INVALID, "memory size must be at most 65536 pages (4GiB)");
    mb_memory(&mb, 2, true, 1);
    expect(&mb, B8G_INVALID, "size minimum must not be greater than maximum");
    mb_memory(&mb, 1, false, 0);
    mb_memory(&mb, 1, false, 0);
    expect(&mb, B8G_INVALID, "multiple memories");
    mb_import(&mb, "mem", BYTES(0x02, 0x00, 0x01));
    mb_memory(&mb, 1, false, 0);
    expect(&mb, B8G_INVALID, "multiple memories");
    mb_import(&mb, "mem", BYTES(0x02, 0x01, 0x02, 0x01));
    expect(&mb, B8G_INVALID, "size minimum must not be greater than maximum");
    mb_table(&mb, 'r', 2, true, 1);
    expect(&mb, B8G_INVALID, "size minimum must not be greater than maximum");
    mb_table(&mb, 'r', 0, true, 0xffffffffu);
    mb_table(&mb, 'e', 0xffffffffu, false, 0);
    mb_memory(&mb, 65536, true, 65536);
    expect(&mb, B8G_OK, NULL);
    mb_import(&mb, "f", BYTES(0x00, 0x03));
    expect(&mb, B8G_INVALID, "unknown type 3");
}

static void test_global_initialisers(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x42, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch in global 0: expected i32, got i64");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x01, 0x0b));
    expect(&mb, B8G_INVALID, "constant expression required");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b));
    expect(&mb, B8G_INVALID, "constant expression required");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch");
    /* global.get may only read imported globals ... */
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x41, 0x00, 0x0b));
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x23, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "unknown global 0");
    /* ... that are immutable */
    mb_import(&mb, "g", BYTES(0x03, 0x7f, 0x01));
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x23, 0x00, 0x0b));
    expect(&mb, B8G_INVALID, "constant expression required");
    mb_import(&mb, "g", BYTES(0x03, 0x7f, 0x00));
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x00, 0x23, 0x00, 0x0b));
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x6f, 0x00, 0xd0, 0x6f, 0x0b));
    expect(&mb, B8G_OK, NULL);
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x70, 0x00, 0xd2, 0x03, 0x0b));
    expect(&mb, B8G_INVALID, "unknown function 3");
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x6f, 0x00, 0xd0, 0x70, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch");
}

static void test_exports_and_start(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_memory(&mb, 1, false, 0);
    mb_export(&mb, "a", 0, 0);
    mb_export(&mb, "b", 2, 0);
    mb_export(&mb, "a", 2, 0);
    expect(&mb, B8G_INVALID, "duplicate export name");
    mb_export(&mb, "a", 0, 0);
    expect(&mb, B8G_INVALID, "unknown function 0");
    mb_export(&mb, "t", 1, 0);
    expect(&mb, B8G_INVALID, "unknown table 0");
    mb_export(&mb, "m", 2, 0);
    expect(&mb, B8G_INVALID, "unknown memory 0");
    mb_export(&mb, "g", 3, 1);
    expect(&mb, B8G_INVALID, "unknown global 1");
    mb_start(&mb, 0);
    expect(&mb, B8G_INVALID, "unknown function 0");
    mb_type(&mb, "i", "");
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_start(&mb, 0);
    expect(&mb, B8G_INVALID, "start function");
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_start(&mb, 0);
    mb_export(&mb, "", 0, 0);
    mb_export(&mb, "\x01", 0, 0);
    expect(&mb, B8G_OK, NULL);
}

static void test_segments(void **state)
{
    (void)state;
    Mb mb = {0};
    mb_type(&mb, "", "");
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_entry(&mb, SEC_ELEM, BYTES(0x00, 0x41, 0x00, 0x0b, 0x01, 0x00));
    expect(&mb, B8G_INVALID, "unknown table 0");
    mb_type(&mb, "", "");
    mb_table(&mb, 'e', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_entry(&mb, SEC_ELEM, BYTES(0x00, 0x41, 0x00, 0x0b, 0x01, 0x00));
    expect(&mb, B8G_INVALID, "type mismatch");
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_entry(&mb, SEC_ELEM, BYTES(0x00, 0x42, 0x00, 0x0b, 0x01, 0x00));
    expect(&mb, B8G_INVALID, "type mismatch in elem segment 0: expected i32, got i64");
    mb_type(&mb, "", "");
    mb_table(&mb, 'r', 1, false, 0);
    mb_func(&mb, 0, "", BYTES(0x0b));
    mb_entry(&mb, SEC_ELEM, BYTES(0x00, 0x41, 0x00, 0x0b, 0x01, 0x04));
    expect(&mb, B8G_INVALID, "unknown function 4");
    /* passive externref segment (flags 5) holding a funcref expression */
    mb_entry(&mb, SEC_ELEM, BYTES(0x05, 0x6f, 0x01, 0xd0, 0x70, 0x0b));
    expect(&mb, B8G_INVALID, "type mismatch");
    mb_entry(&mb, SEC_DATA, BYTES(0x00, 0x41, 0x00, 0x0b, 0x01, 0xaa));
    expect(&mb, B8G_INVALID, "unknown memory 0");
    mb_memory(&mb, 1, false, 0);
    mb_entry(&mb, SEC_DATA, BYTES(0x00, 0x43, 0, 0, 0, 0, 0x0b, 0x01, 0xaa));
    expect(&mb, B8G_INVALID, "type mismatch in data segment 0: expected i32, got f32");
    mb_memory(&mb, 1, false, 0);
    mb_entry(&mb, SEC_DATA, BYTES(0x00, 0x41, 0x00, 0x0b, 0x01, 0xaa));
    mb_entry(&mb, SEC_DATA, BYTES(0x01, 0x00));
    expect(&mb, B8G_OK, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_basic),
        cmocka_unit_test(test_valid_multi_value),
        cmocka_unit_test(test_valid_unreachable),
        cmocka_unit_test(test_valid_br_table),
        cmocka_unit_test(test_valid_refs_and_bulk),
        cmocka_unit_test(test_type_mismatch),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_indices),
        cmocka_unit_test(test_globals_in_bodies),
        cmocka_unit_test(test_tables_and_segments),
        cmocka_unit_test(test_data_segments),
        cmocka_unit_test(test_malformed_bodies),
        cmocka_unit_test(test_error_location),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_module_limits),
        cmocka_unit_test(test_global_initialisers),
        cmocka_unit_test(test_exports_and_start),
        cmocka_unit_test(test_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
