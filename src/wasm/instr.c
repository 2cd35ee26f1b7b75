/*
 * instr.c - reading one instruction: the opcode and its immediates.
 *
 * Only the encoding is checked here (malformed errors); whether an index
 * exists or a type fits is the validator's question.  The immediate layout
 * of every opcode comes from the IMM column of opcodes.def, so adding an
 * instruction never means touching this file unless it brings a new
 * immediate kind.
 */
#include <inttypes.h>

#include "util/err.h"
#include "wasm/instr.h"
#include "wasm/limits.h"

#define SIMD_PREFIX 0xfd
#define MISC_PREFIX 0xfc

static b8g_status unsupported_simd(uint64_t at, b8g_error *err)
{
    return err_set(err, B8G_UNSUPPORTED, at, "simd128");
}

/* Type codes are one-byte signed LEB128 numbers (s7) in the spec's grammar,
 * so a byte with the continuation bit set is an over-long encoding rather
 * than an unknown type. */
static b8g_status type_code_too_long(uint8_t b, uint64_t at, b8g_error *err)
{
    if (!(b & 0x80)) return B8G_OK;
    return err_set(err, B8G_MALFORMED, at, "integer representation too long");
}

b8g_status ins_read_valtype(Reader *r, ValType *out, b8g_error *err)
{
    uint64_t at = rd_offset(r);
    uint8_t b;
    b8g_status st = rd_u8(r, &b, err);
    if (st) return st;
    st = type_code_too_long(b, at, err);
    if (st) return st;
    switch (b) {
    case VT_I32: case VT_I64: case VT_F32: case VT_F64:
    case VT_FUNCREF: case VT_EXTERNREF:
        *out = b;
        return B8G_OK;
    case VT_V128:
        return unsupported_simd(at, err);
    default:
        return err_set(err, B8G_MALFORMED, at, "malformed value type");
    }
}

b8g_status ins_read_reftype(Reader *r, ValType *out, b8g_error *err)
{
    uint64_t at = rd_offset(r);
    uint8_t b;
    b8g_status st = rd_u8(r, &b, err);
    if (st) return st;
    st = type_code_too_long(b, at, err);
    if (st) return st;
    if (b != VT_FUNCREF && b != VT_EXTERNREF)
        return err_set(err, B8G_MALFORMED, at, "malformed reference type");
    *out = b;
    return B8G_OK;
}

/* Reserved memory-index bytes: a single 0x00 byte, not a LEB128 zero (the
 * spec tests reject "\80\00"), since multi-memory will give them meaning. */
static b8g_status read_zero_byte(Reader *r, b8g_error *err)
{
    uint64_t at = rd_offset(r);
    uint8_t b;
    b8g_status st = rd_u8(r, &b, err);
    if (st) return st;
    if (b != 0) return err_set(err, B8G_MALFORMED, at, "zero byte expected");
    return B8G_OK;
}

/*
 * Block type: 0x40 (empty), a value type (one byte of the form 0b01xxxxxx),
 * or else a non-negative s33 type index.  A negative index wraps to a huge
 * one, which the validator reports as an unknown type, as the reference
 * interpreter does.
 */
static b8g_status read_blocktype(Reader *r, Instr *ins, b8g_error *err)
{
    if (rd_eof(r)) {
        uint8_t dummy;
        return rd_u8(r, &dummy, err);
    }
    uint8_t b = *r->p;
    if (b == 0x40) {
        r->p++;
        ins->imm.block.kind = BT_EMPTY;
        return B8G_OK;
    }
    if ((b & 0xc0) == 0x40) {
        ins->imm.block.kind = BT_VAL;
        return ins_read_valtype(r, &ins->imm.block.val, err);
    }
    int64_t idx;
    b8g_status st = rd_s33(r, &idx, err);
    if (st) return st;
    ins->imm.block.kind = BT_TYPEIDX;
    ins->imm.block.type_idx = (uint32_t)idx;
    return B8G_OK;
}

/* br_table: the labels stay in the module bytes (read again through
 * ins_br_table_label), so a long table costs no allocation here; reading
 * them once now proves their encoding. */
static b8g_status read_br_table(Reader *r, Instr *ins, b8g_error *err)
{
    uint64_t at = rd_offset(r);
    uint32_t n, label;
    b8g_status st = rd_len(r, &n, err);
    if (st) return st;
    if (n > LIM_BR_TABLE)
        return err_set(err, B8G_LIMIT, at, "too many br_table labels (limit %u)",
                       LIM_BR_TABLE);
    ins->imm.br_table.count = n;
    ins->imm.br_table.labels = r->p;
    for (uint32_t i = 0; i < n; i++) {
        st = rd_u32(r, &label, err);
        if (st) return st;
    }
    return rd_u32(r, &ins->imm.br_table.default_label, err);
}

/* select t*: 2.0 allows exactly one type, but the count is an encoding-level
 * vector; the validator reports a count other than 1 ("invalid result
 * arity"), so keep the count and the first type. */
static b8g_status read_select_types(Reader *r, Instr *ins, b8g_error *err)
{
    uint32_t n;
    b8g_status st = rd_len(r, &n, err);
    if (st) return st;
    ins->imm.select.count = n;
    ins->imm.select.type = 0;
    for (uint32_t i = 0; i < n; i++) {
        ValType t;
        st = ins_read_valtype(r, &t, err);
        if (st) return st;
        if (i == 0) ins->imm.select.type = t;
    }
    return B8G_OK;
}

static b8g_status read_two_indices(Reader *r, Instr *ins, b8g_error *err)
{
    b8g_status st = rd_u32(r, &ins->imm.two.a, err);
    if (st) return st;
    return rd_u32(r, &ins->imm.two.b, err);
}

static b8g_status read_immediates(Reader *r, Instr *ins, b8g_error *err)
{
    b8g_status st;
    int32_t s32;
    int64_t s64;
    switch ((ImmKind)op_info[ins->op].imm) {
    case IMM_NONE:
        return B8G_OK;
    case IMM_BLOCKTYPE:
        return read_blocktype(r, ins, err);
    case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
    case IMM_TABLE: case IMM_DATA: case IMM_ELEM:
        return rd_u32(r, &ins->imm.idx, err);
    case IMM_BR_TABLE:
        return read_br_table(r, ins, err);
    case IMM_CALL_INDIRECT:
        st = rd_u32(r, &ins->imm.ci.type_idx, err);
        if (st) return st;
        return rd_u32(r, &ins->imm.ci.table, err);
    case IMM_SELECT_T:
        return read_select_types(r, ins, err);
    case IMM_MEMARG:
        st = rd_u32(r, &ins->imm.mem.align, err);
        if (st) return st;
        return rd_u32(r, &ins->imm.mem.offset, err);
    case IMM_MEMIDX:
        return read_zero_byte(r, err);
    case IMM_I32:
        st = rd_s32(r, &s32, err);
        ins->imm.i32 = (uint32_t)s32;
        return st;
    case IMM_I64:
        st = rd_s64(r, &s64, err);
        ins->imm.i64 = (uint64_t)s64;
        return st;
    case IMM_F32:
        return rd_f32(r, &ins->imm.f32, err);
    case IMM_F64:
        return rd_f64(r, &ins->imm.f64, err);
    case IMM_REFTYPE:
        return ins_read_reftype(r, &ins->imm.reftype, err);
    case IMM_MEMORY_INIT:
        st = rd_u32(r, &ins->imm.two.a, err);
        ins->imm.two.b = 0;
        if (st) return st;
        return read_zero_byte(r, err);
    case IMM_MEMORY_COPY:
        st = read_zero_byte(r, err);
        if (st) return st;
        return read_zero_byte(r, err);
    case IMM_TABLE_INIT: case IMM_TABLE_COPY:
        return read_two_indices(r, ins, err);
    }
    return err_set(err, B8G_MALFORMED, ins->offset, "illegal opcode"); /* unreachable */
}

static b8g_status read_opcode(Reader *r, Instr *ins, b8g_error *err)
{
    uint8_t b;
    b8g_status st = rd_u8(r, &b, err);
    if (st) return st;
    if (b == SIMD_PREFIX) return unsupported_simd(ins->offset, err);
    if (b != MISC_PREFIX) {
        ins->op = op_lookup(0, b);
        if (ins->op == OPC_INVALID)
            return err_set(err, B8G_MALFORMED, ins->offset, "illegal opcode %02x", b);
        return B8G_OK;
    }
    uint32_t sub;
    st = rd_u32(r, &sub, err);
    if (st) return st;
    ins->op = op_lookup(MISC_PREFIX, sub);
    if (ins->op == OPC_INVALID)
        return err_set(err, B8G_MALFORMED, ins->offset, "illegal opcode fc %02" PRIx32, sub);
    return B8G_OK;
}

b8g_status ins_read(Reader *r, Instr *out, b8g_error *err)
{
    out->offset = rd_offset(r);
    b8g_status st = read_opcode(r, out, err);
    if (st) return st;
    return read_immediates(r, out, err);
}

uint32_t ins_br_table_label(const uint8_t **it)
{
    const uint8_t *p = *it;
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        v |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *it = p;
    return v;
}
