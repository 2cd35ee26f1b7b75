/*
 * instr.h - reading one instruction (opcode + immediates) from a body.
 *
 * Shared by the validator and the translator so the two can never disagree
 * about the encoding.  ins_read checks only the encoding (malformed errors:
 * unknown opcode, bad LEB128, non-zero reserved bytes, SIMD rejected as
 * unsupported); whether indices exist and types fit is the validator's job.
 */
#ifndef B8G_WASM_INSTR_H
#define B8G_WASM_INSTR_H

#include "util/reader.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"

/* Block type: empty, one value type, or a type index (multi-value). */
typedef enum BlockTypeKind { BT_EMPTY, BT_VAL, BT_TYPEIDX } BlockTypeKind;

typedef struct Instr {
    uint16_t op;     /* Opcode */
    uint64_t offset; /* byte offset of the opcode in the module */
    union {
        struct { uint8_t kind; ValType val; uint32_t type_idx; } block;
        uint32_t idx;                          /* label/func/local/global/table/data/elem */
        struct { uint32_t align; uint32_t offset; } mem; /* align is log2 */
        struct { uint32_t type_idx; uint32_t table; } ci;
        struct { uint32_t a; uint32_t b; } two; /* table.init: elem, table;
                                                   table.copy: dst, src;
                                                   memory.init: data, 0 */
        struct { uint32_t count; ValType type; } select;  /* select t* */
        struct {
            uint32_t count;           /* labels before the default */
            const uint8_t *labels;    /* re-read with ins_br_table_label */
            uint32_t default_label;
        } br_table;
        uint32_t i32;
        uint64_t i64;
        uint32_t f32; /* bits */
        uint64_t f64; /* bits */
        ValType reftype;
    } imm;
} Instr;

b8g_status ins_read(Reader *r, Instr *out, b8g_error *err);

/* Iterates br_table labels: start with `it` = ins.imm.br_table.labels. The
 * encoding was checked by ins_read, so this cannot fail. */
uint32_t ins_br_table_label(const uint8_t **it);

/* Reads a value type byte; malformed if not a 2.0 value type (v128 is
 * reported as unsupported). */
b8g_status ins_read_valtype(Reader *r, ValType *out, b8g_error *err);
b8g_status ins_read_reftype(Reader *r, ValType *out, b8g_error *err);

#endif
