/*
 * decode.c - the module driver: header, section order and sizes, the checks
 * that span sections, and the small readers every section uses.
 *
 * Section ids and their required order (custom sections, id 0, may appear
 * anywhere and any number of times; the others at most once, in this order):
 *
 *   type 1, import 2, function 3, table 4, memory 5, global 6, export 7,
 *   start 8, element 9, datacount 12, code 10, data 11
 */
#include <stdlib.h>
#include <string.h>

#include "wasm/dec_internal.h"
#include "wasm/decode.h"

#define WASM_MAGIC "\0asm"
#define WASM_VERSION "\1\0\0\0"

b8g_status dec_count(Dec *d, uint32_t cap, const char *what, uint32_t *out)
{
    uint64_t at = rd_offset(&d->r);
    b8g_status st = rd_len(&d->r, out, d->err);
    if (st) return st;
    if (*out > cap)
        return err_set(d->err, B8G_LIMIT, at, "too many %s (limit %u)", what, cap);
    return B8G_OK;
}

b8g_status dec_name(Dec *d, Name *out)
{
    uint64_t at = rd_offset(&d->r);
    uint32_t n;
    const uint8_t *s;
    b8g_status st = dec_count(d, LIM_NAME_BYTES, "name bytes", &n);
    if (st) return st;
    st = rd_bytes(&d->r, n, &s, d->err);
    if (st) return st;
    if (!utf8_valid(s, n))
        return err_set(d->err, B8G_MALFORMED, at, "malformed UTF-8 encoding");
    out->str = xstrndup((const char *)s, n);
    out->len = n;
    return B8G_OK;
}

/* The limits flag is a LEB128 of one significant bit, hence the spec's
 * "integer too large" for 0x02 and "integer representation too long" for
 * 0x81 0x00. */
static b8g_status read_flag_bit(Dec *d, bool *out)
{
    uint64_t at = rd_offset(&d->r);
    uint8_t b;
    b8g_status st = rd_u8(&d->r, &b, d->err);
    if (st) return st;
    if ((b & 0x7f) > 1) return err_set(d->err, B8G_MALFORMED, at, "integer too large");
    if (b & 0x80)
        return err_set(d->err, B8G_MALFORMED, at, "integer representation too long");
    *out = b == 1;
    return B8G_OK;
}

b8g_status dec_limits(Dec *d, Limits *out)
{
    b8g_status st = read_flag_bit(d, &out->has_max);
    if (st) return st;
    st = rd_u32(&d->r, &out->min, d->err);
    if (st) return st;
    out->max = 0;
    if (!out->has_max) return B8G_OK;
    return rd_u32(&d->r, &out->max, d->err);
}

static uint64_t const_value(const Instr *ins)
{
    switch ((ImmKind)op_info[ins->op].imm) {
    case IMM_I32: return ins->imm.i32;
    case IMM_I64: return ins->imm.i64;
    case IMM_F32: return ins->imm.f32;
    case IMM_F64: return ins->imm.f64;
    case IMM_REFTYPE: return ins->imm.reftype;
    case IMM_FUNC: case IMM_GLOBAL: case IMM_LOCAL: case IMM_LABEL:
    case IMM_TABLE: case IMM_DATA: case IMM_ELEM:
        return ins->imm.idx;
    default: return 0;
    }
}

/*
 * A constant expression: instructions up to the `end` that closes it
 * (nested blocks are followed so their own `end`s do not stop us).  Which
 * instructions are constant is a validation question, so any well-encoded
 * sequence is accepted and summarised in out->op (see ConstExpr).
 */
b8g_status dec_const_expr(Dec *d, ConstExpr *out)
{
    Instr ins, first = {0};
    uint32_t n = 0;
    uint64_t depth = 0;
    out->offset = rd_offset(&d->r);
    for (;;) {
        b8g_status st = ins_read(&d->r, &ins, d->err);
        if (st) return st;
        if (ins.op == OPC_END) {
            if (depth == 0) break;
            depth--;
        } else if (ins.op == OPC_ELSE && depth == 0) {
            return err_set(d->err, B8G_MALFORMED, ins.offset, "END opcode expected");
        } else if (ins.op == OPC_BLOCK || ins.op == OPC_LOOP || ins.op == OPC_IF) {
            depth++;
        }
        if (n++ == 0) first = ins;
    }
    if (n == 0) {
        out->op = OPC_END;
        out->value = 0;
    } else if (n == 1) {
        out->op = first.op;
        out->value = const_value(&first);
    } else {
        out->op = OPC_COUNT;
        out->value = 0;
    }
    return B8G_OK;
}

static b8g_status read_header(Dec *d)
{
    const uint8_t *p;
    /* The reference reads each 4-byte word before judging it, so a short
     * input is "unexpected end" even if its first byte is already wrong. */
    b8g_status st = rd_bytes(&d->r, 4, &p, d->err);
    if (st) return st;
    if (memcmp(p, WASM_MAGIC, 4) != 0)
        return err_set(d->err, B8G_MALFORMED, 0, "magic header not detected");
    st = rd_bytes(&d->r, 4, &p, d->err);
    if (st) return st;
    if (memcmp(p, WASM_VERSION, 4) != 0)
        return err_set(d->err, B8G_MALFORMED, 4, "unknown binary version");
    return B8G_OK;
}

/* Position of each known section id in the required order; 0 = unknown. */
static const uint8_t section_rank[13] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7,
    [8] = 8, [9] = 9, [12] = 10, [10] = 11, [11] = 12,
};

static b8g_status decode_section(Dec *d, uint8_t id, uint32_t size)
{
    switch (id) {
    case 0: return dec_custom_section(d, size);
    case 1: return dec_type_section(d);
    case 2: return dec_import_section(d);
    case 3: return dec_function_section(d);
    case 4: return dec_table_section(d);
    case 5: return dec_memory_section(d);
    case 6: return dec_global_section(d);
    case 7: return dec_export_section(d);
    case 8: return dec_start_section(d);
    case 9: return dec_elem_section(d);
    case 10: return dec_code_section(d);
    case 11: return dec_data_section(d);
    default: return dec_datacount_section(d);
    }
}

static b8g_status read_sections(Dec *d)
{
    unsigned last_rank = 0;
    while (!rd_eof(&d->r)) {
        uint64_t at = rd_offset(&d->r);
        uint8_t id;
        b8g_status st = rd_u8(&d->r, &id, d->err);
        if (st) return st;
        if (id >= B8G_ARRAY_LEN(section_rank))
            return err_set(d->err, B8G_MALFORMED, at, "malformed section id");
        if (id != 0) {
            if (section_rank[id] <= last_rank)
                return err_set(d->err, B8G_MALFORMED, at,
                               "unexpected content after last section");
            last_rank = section_rank[id];
            d->m->section_offsets[id] = at;
        }
        uint32_t size;
        st = rd_len(&d->r, &size, d->err);
        if (st) return st;
        uint64_t start = rd_offset(&d->r);
        st = decode_section(d, id, size);
        if (st) return st;
        if (rd_offset(&d->r) != start + size)
            return err_set(d->err, B8G_MALFORMED, start, "section size mismatch");
    }
    return B8G_OK;
}

/* Agreement between sections, checked once all are read (as the reference
 * does, so an earlier structural error wins). */
static b8g_status check_counts(Dec *d)
{
    Module *m = d->m;
    uint64_t end = m->len;
    if (d->ncode != d->ndeclared)
        return err_set(d->err, B8G_MALFORMED, end,
                       "function and code section have inconsistent lengths");
    if (m->has_datacount && m->datacount != m->ndatas)
        return err_set(d->err, B8G_MALFORMED, end,
                       "data count and data section have inconsistent lengths");
    return B8G_OK;
}

b8g_status dec_module(const uint8_t *bytes, size_t len, Module **out,
                      b8g_error *err)
{
    *out = NULL;
    if (len > LIM_MODULE_BYTES)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "module too large (limit %u bytes)", LIM_MODULE_BYTES);
    Module *m = xcalloc(1, sizeof *m);
    m->bytes = xmalloc(len);
    if (len) memcpy(m->bytes, bytes, len);
    m->len = len;
    Dec d = {.m = m, .err = err};
    d.r.base = d.r.p = m->bytes;
    d.r.end = m->bytes + len;

    b8g_status st = read_header(&d);
    if (!st) st = read_sections(&d);
    if (!st) st = check_counts(&d);
    if (st) {
        mod_free(m);
        return st;
    }
    dec_finish_index_spaces(&d);
    *out = m;
    return B8G_OK;
}
