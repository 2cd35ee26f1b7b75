/*
 * opcodes.c - tables built from opcodes.def.
 */
#include "wasm/opcodes.h"

#define NP(a, b, c) ((OT_##a != 0) + (OT_##b != 0) + (OT_##c != 0))

const OpInfo op_info[OPC_COUNT] = {
#define OP(name, pfx, code_, imm_, p1, p2, p3, r, msz, text_)                  \
    [OPC_##name] = {.text = text_,                                             \
                    .prefix = pfx,                                             \
                    .code = code_,                                             \
                    .imm = IMM_##imm_,                                         \
                    .params = {OT_##p1, OT_##p2, OT_##p3},                     \
                    .result = OT_##r,                                          \
                    .memsize = msz,                                            \
                    .nparams = NP(p1, p2, p3)},
#include "wasm/opcodes.def"
#undef OP
};

/*
 * Opcode by encoding: one row per prefix in use (none, and 0xfc), holding
 * OPC + 1 so that the zero the other entries get means "no such opcode".
 * A table, not a switch: ins_read looks up every instruction that the
 * validator and the translator read, and a switch over two sparse ranges
 * compiled to a search that cost 15% of loading a large module.
 */
static const uint16_t op_by_code[2][256] = {
#define OP(name, pfx, code_, imm, p1, p2, p3, r, msz, text)                    \
    [(pfx) != 0][code_] = OPC_##name + 1,
#include "wasm/opcodes.def"
#undef OP
};

uint16_t op_lookup(uint8_t prefix, uint32_t code)
{
    if (code > 0xff || (prefix != 0 && prefix != 0xfc /* misc */)) return OPC_INVALID;
    uint16_t v = op_by_code[prefix != 0][code];
    return v ? (uint16_t)(v - 1) : OPC_INVALID;
}
