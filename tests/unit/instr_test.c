/*
 * instr_test.c - reading single instructions: every immediate kind, the
 * reserved zero bytes, prefixes, SIMD, illegal opcodes and truncation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "wasm/instr.h"

typedef struct Bytes {
    const uint8_t *p;
    size_t n;
} Bytes;

static Reader reader_of(Bytes b)
{
    Reader r = {.base = b.p, .p = b.p, .end = b.p + b.n};
    return r;
}

/* Reads one instruction that must consume all of `b`. */
static Instr read_one(Bytes b)
{
    Reader r = reader_of(b);
    Instr ins;
    b8g_error e;
    b8g_status st = ins_read(&r, &ins, &e);
    if (st) print_error("ins_read: %s\n", e.msg);
    assert_int_equal(st, B8G_OK);
    assert_true(rd_eof(&r));
    assert_int_equal(ins.offset, 0);
    return ins;
}

static b8g_error read_fail(Bytes b, b8g_status code, const char *msg)
{
    Reader r = reader_of(b);
    Instr ins;
    b8g_error e;
    b8g_status st = ins_read(&r, &ins, &e);
    if (st != code || strncmp(e.msg, msg, strlen(msg)) != 0)
        print_error("got %d \"%s\", want %d \"%s\"\n", st, e.msg, code, msg);
    assert_int_equal(st, code);
    assert_true(strncmp(e.msg, msg, strlen(msg)) == 0);
    return e;
}

#define B(...) ((Bytes){(const uint8_t[]){__VA_ARGS__}, sizeof((uint8_t[]){__VA_ARGS__})})
#define ONE(...) read_one(B(__VA_ARGS__))
#define BAD(msg, ...) read_fail(B(__VA_ARGS__), B8G_MALFORMED, msg)

static void test_simple_ops(void **state)
{
    (void)state;
    assert_int_equal(ONE(0x00).op, OPC_UNREACHABLE);
    assert_int_equal(ONE(0x6a).op, OPC_I32_ADD);
    assert_int_equal(ONE(0x0b).op, OPC_END);
    assert_int_equal(ONE(0x05).op, OPC_ELSE);
    assert_int_equal(ONE(0xc4).op, OPC_I64_EXTEND32_S);
    assert_int_equal(ONE(0x1b).op, OPC_SELECT);
}

static void test_block_types(void **state)
{
    (void)state;
    Instr i = ONE(0x02, 0x40);
    assert_int_equal(i.op, OPC_BLOCK);
    assert_int_equal(i.imm.block.kind, BT_EMPTY);
    i = ONE(0x03, 0x7e);
    assert_int_equal(i.op, OPC_LOOP);
    assert_int_equal(i.imm.block.kind, BT_VAL);
    assert_int_equal(i.imm.block.val, VT_I64);
    i = ONE(0x04, 0x6f);
    assert_int_equal(i.imm.block.val, VT_EXTERNREF);
    i = ONE(0x02, 0x05);
    assert_int_equal(i.imm.block.kind, BT_TYPEIDX);
    assert_int_equal(i.imm.block.type_idx, 5);
    /* a type index needing several bytes (s33: 200 = 0xc8 0x01) */
    i = ONE(0x02, 0xc8, 0x01);
    assert_int_equal(i.imm.block.type_idx, 200);
    read_fail(B(0x02, 0x7b), B8G_UNSUPPORTED, "simd128");
    BAD("malformed value type", 0x02, 0x41);
    BAD("unexpected end", 0x02);
}

static void test_indices_and_memarg(void **state)
{
    (void)state;
    Instr i = ONE(0x10, 0xff, 0xff, 0xff, 0xff, 0x0f);
    assert_int_equal(i.op, OPC_CALL);
    assert_int_equal(i.imm.idx, UINT32_MAX);
    i = ONE(0x11, 0x03, 0x02);
    assert_int_equal(i.op, OPC_CALL_INDIRECT);
    assert_int_equal(i.imm.ci.type_idx, 3);
    assert_int_equal(i.imm.ci.table, 2);
    i = ONE(0x28, 0x02, 0x80, 0x01);
    assert_int_equal(i.op, OPC_I32_LOAD);
    assert_int_equal(i.imm.mem.align, 2);
    assert_int_equal(i.imm.mem.offset, 128);
    assert_int_equal(ONE(0x20, 0x07).imm.idx, 7);
    assert_int_equal(ONE(0x25, 0x01).op, OPC_TABLE_GET);
    BAD("integer representation too long", 0x28, 0x02, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00);
    BAD("integer too large", 0x28, 0x82, 0x80, 0x80, 0x80, 0x10, 0x00);
}

static void test_constants(void **state)
{
    (void)state;
    assert_int_equal(ONE(0x41, 0x7f).imm.i32, UINT32_MAX);
    assert_int_equal(ONE(0x41, 0x80, 0x01).imm.i32, 128);
    assert_int_equal(ONE(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).imm.i64,
                     0x8000000000000000ull);
    assert_int_equal(ONE(0x43, 0x00, 0x00, 0x80, 0x3f).imm.f32, 0x3f800000u);
    assert_int_equal(ONE(0x44, 1, 2, 3, 4, 5, 6, 7, 8).imm.f64, 0x0807060504030201ull);
    BAD("integer too large", 0x41, 0x80, 0x80, 0x80, 0x80, 0x70);
    BAD("integer representation too long", 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    BAD("unexpected end", 0x43, 0x00, 0x00, 0x80);
    BAD("unexpected end", 0x42, 0x80);
}

static void test_reserved_zero_bytes(void **state)
{
    (void)state;
    assert_int_equal(ONE(0x3f, 0x00).op, OPC_MEMORY_SIZE);
    assert_int_equal(ONE(0x40, 0x00).op, OPC_MEMORY_GROW);
    BAD("zero byte expected", 0x40, 0x01);
    /* a long LEB128 zero is not the reserved byte */
    BAD("zero byte expected", 0x3f, 0x80, 0x00);
    assert_int_equal(ONE(0xfc, 0x0a, 0x00, 0x00).op, OPC_MEMORY_COPY);
    BAD("zero byte expected", 0xfc, 0x0a, 0x00, 0x01);
    assert_int_equal(ONE(0xfc, 0x0b, 0x00).op, OPC_MEMORY_FILL);
    Instr i = ONE(0xfc, 0x08, 0x03, 0x00);
    assert_int_equal(i.op, OPC_MEMORY_INIT);
    assert_int_equal(i.imm.two.a, 3);
    BAD("zero byte expected", 0xfc, 0x08, 0x03, 0x01);
}

static void test_misc_prefix(void **state)
{
    (void)state;
    assert_int_equal(ONE(0xfc, 0x00).op, OPC_I32_TRUNC_SAT_F32_S);
    /* the sub-opcode is a u32 LEB128: 0x07 spelled in two bytes */
    assert_int_equal(ONE(0xfc, 0x87, 0x00).op, OPC_I64_TRUNC_SAT_F64_U);
    Instr i = ONE(0xfc, 0x0c, 0x04, 0x01);
    assert_int_equal(i.op, OPC_TABLE_INIT);
    assert_int_equal(i.imm.two.a, 4); /* elem */
    assert_int_equal(i.imm.two.b, 1); /* table */
    i = ONE(0xfc, 0x0e, 0x02, 0x03);
    assert_int_equal(i.op, OPC_TABLE_COPY);
    assert_int_equal(i.imm.two.a, 2); /* dst */
    assert_int_equal(i.imm.two.b, 3); /* src */
    assert_int_equal(ONE(0xfc, 0x09, 0x05).imm.idx, 5);
    assert_int_equal(ONE(0xfc, 0x0d, 0x06).imm.idx, 6);
    assert_int_equal(ONE(0xfc, 0x11, 0x00).op, OPC_TABLE_FILL);
    BAD("illegal opcode", 0xfc, 0x12);
    BAD("illegal opcode", 0xfc, 0x80, 0x02);
    BAD("integer too large", 0xfc, 0xff, 0xff, 0xff, 0xff, 0x7f);
}

static void test_select_and_refs(void **state)
{
    (void)state;
    Instr i = ONE(0x1c, 0x01, 0x7d);
    assert_int_equal(i.op, OPC_SELECT_T);
    assert_int_equal(i.imm.select.count, 1);
    assert_int_equal(i.imm.select.type, VT_F32);
    i = ONE(0x1c, 0x02, 0x7f, 0x7e);
    assert_int_equal(i.imm.select.count, 2);
    assert_int_equal(i.imm.select.type, VT_I32);
    assert_int_equal(ONE(0x1c, 0x00).imm.select.count, 0);
    BAD("length out of bounds", 0x1c, 0x05, 0x7f);
    assert_int_equal(ONE(0xd0, 0x70).imm.reftype, VT_FUNCREF);
    BAD("malformed reference type", 0xd0, 0x7f);
    BAD("integer representation too long", 0xd0, 0xf0, 0x7f);
    assert_int_equal(ONE(0xd2, 0x09).imm.idx, 9);
}

static void test_br_table(void **state)
{
    (void)state;
    Instr i = ONE(0x0e, 0x03, 0x00, 0x81, 0x01, 0x02, 0x07);
    assert_int_equal(i.op, OPC_BR_TABLE);
    assert_int_equal(i.imm.br_table.count, 3);
    assert_int_equal(i.imm.br_table.default_label, 7);
    const uint8_t *it = i.imm.br_table.labels;
    assert_int_equal(ins_br_table_label(&it), 0);
    assert_int_equal(ins_br_table_label(&it), 129);
    assert_int_equal(ins_br_table_label(&it), 2);
    assert_int_equal(ONE(0x0e, 0x00, 0x02).imm.br_table.count, 0);
    BAD("unexpected end", 0x0e, 0x01, 0x00);
    /* a count larger than the bytes left is refused before any label */
    BAD("length out of bounds", 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
}

static void test_illegal_and_simd(void **state)
{
    (void)state;
    b8g_error e = BAD("illegal opcode 06", 0x06);
    assert_int_equal(e.offset, 0);
    BAD("illegal opcode ff", 0xff);
    BAD("illegal opcode 27", 0x27);
    e = read_fail(B(0xfd, 0x0c), B8G_UNSUPPORTED, "simd128");
    assert_non_null(strstr(e.msg, "simd128"));
    char text[300];
    assert_string_equal(b8g_error_format(&e, text, sizeof text),
                        "unsupported feature: simd128 at offset 0x0");
    BAD("unexpected end", 0x10);
}

/* Offsets are counted from the reader's base, i.e. the module start. */
static void test_offsets(void **state)
{
    (void)state;
    const uint8_t code[] = {0x41, 0x01, 0x41, 0x02, 0x6a, 0x06};
    Reader r = {.base = code, .p = code, .end = code + sizeof code};
    Instr ins;
    b8g_error e;
    const uint64_t want[] = {0, 2, 4};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(ins_read(&r, &ins, &e), B8G_OK);
        assert_int_equal(ins.offset, want[k]);
    }
    assert_int_equal(ins_read(&r, &ins, &e), B8G_MALFORMED);
    assert_int_equal(e.offset, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_ops),
        cmocka_unit_test(test_block_types),
        cmocka_unit_test(test_indices_and_memarg),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_reserved_zero_bytes),
        cmocka_unit_test(test_misc_prefix),
        cmocka_unit_test(test_select_and_refs),
        cmocka_unit_test(test_br_table),
        cmocka_unit_test(test_illegal_and_simd),
        cmocka_unit_test(test_offsets),
    };
    return cmocka_run_group_tests_name("instr", tests, NULL, NULL);
}
