/*
 * opcodes.h - instruction enum and tables generated from opcodes.def.
 */
#ifndef B8G_WASM_OPCODES_H
#define B8G_WASM_OPCODES_H

#include "util/common.h"

/* Immediate kinds (the IMM column of opcodes.def). */
typedef enum ImmKind {
    IMM_NONE,
    IMM_BLOCKTYPE,     /* block, loop, if */
    IMM_LABEL,         /* br, br_if */
    IMM_BR_TABLE,      /* vec(label) label */
    IMM_FUNC,          /* call, ref.func */
    IMM_CALL_INDIRECT, /* typeidx tableidx */
    IMM_SELECT_T,      /* vec(valtype), length 1 in 2.0 */
    IMM_LOCAL,
    IMM_GLOBAL,
    IMM_TABLE,         /* table.get/set/grow/size/fill */
    IMM_MEMARG,        /* align offset */
    IMM_MEMIDX,        /* memory.size/grow/fill: reserved 0x00 byte */
    IMM_I32,
    IMM_I64,
    IMM_F32,
    IMM_F64,
    IMM_REFTYPE,       /* ref.null */
    IMM_MEMORY_INIT,   /* dataidx 0x00 */
    IMM_DATA,          /* data.drop */
    IMM_MEMORY_COPY,   /* 0x00 0x00 */
    IMM_TABLE_INIT,    /* elemidx tableidx */
    IMM_ELEM,          /* elem.drop */
    IMM_TABLE_COPY,    /* dst src */
} ImmKind;

typedef enum Opcode {
#define OP(name, pfx, code, imm, p1, p2, p3, r, msz, text) OPC_##name,
#include "wasm/opcodes.def"
#undef OP
    OPC_COUNT,
    OPC_INVALID = 0xffff
} Opcode;

/* Type codes used in the P/RESULT columns: __ means none. */
enum { OT___ = 0, OT_I32 = 0x7f, OT_I64 = 0x7e, OT_F32 = 0x7d, OT_F64 = 0x7c };

typedef struct OpInfo {
    const char *text;   /* "i32.add" */
    uint8_t prefix;     /* 0 or 0xfc */
    uint8_t code;
    uint8_t imm;        /* ImmKind */
    uint8_t params[3];  /* OT_x, 0 = none */
    uint8_t result;     /* OT_x, 0 = none */
    uint8_t memsize;    /* loads/stores: access bytes */
    uint8_t nparams;
} OpInfo;

extern const OpInfo op_info[OPC_COUNT];
/* The opcode for a single byte (prefix 0) or for the u32 after a 0xfc
 * prefix; OPC_INVALID if there is none. */
uint16_t op_lookup(uint8_t prefix, uint32_t code);

#endif
