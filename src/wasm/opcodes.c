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

uint16_t op_lookup(uint8_t prefix, uint32_t code)
{
    if (code > 0xff) return OPC_INVALID;
    switch ((uint32_t)prefix << 8 | code) {
#define OP(name, pfx, code_, imm, p1, p2, p3, r, msz, text)                    \
    case (uint32_t)(pfx) << 8 | (code_): return OPC_##name;
#include "wasm/opcodes.def"
#undef OP
    default: return OPC_INVALID;
    }
}
