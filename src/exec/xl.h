/*
 * xl.h - translated code: cells, the XOp numbering and XlFunc.
 *
 * A translated function is an array of 8-byte cells run as register code
 * over the frame's slots (frame.h): every value the wasm operand stack
 * would hold lives in a slot whose index the translator knows statically
 * (params and locals first, then one slot per operand-stack height), so an
 * instruction names its operands and its result by slot index instead of
 * pushing and popping.  Each instruction is a handler cell followed by one
 * operand cell and, for a few, more cells:
 *
 *   handler cell   the handler's label address (computed goto), or its
 *                  XOp number when built with -DB8G_NO_COMPUTED_GOTO
 *   operand cell   r  = {d, a, b, c}: 16-bit slot indices (d the result)
 *                  rk = {d, a} slots and a 32-bit k (immediate, memory
 *                       offset, index or branch distance)
 *
 * Layouts by instruction (wasm opcodes keep their XOp number):
 *
 *   unary, binary, compare   r: d = op(a) / op(a, b); *_K forms (xops.def)
 *                            rk: d = op(a, k)
 *   SELECT                   r: d = c ? a : b
 *   loads                    rk: d = mem[a + k]
 *   stores                   rk: mem[a + k] = d
 *   COPY                     r: d = a (local.get/set/tee become slots)
 *   GLOBAL_GET / GLOBAL_SET  rk: d = global k / global k = a
 *   BR                       rk: k = rel (also BR_LOOP)
 *   BR_<cmp>[_K][_LOOP]      rk: branch when d <cmp> a (a: slot or imm16)
 *   BR_TABLE                 rk: a = index slot, k = count; then count + 1
 *                            entries rk: k = rel, d = first target slot,
 *                            a = arity | XL_BR_LOOP; the carried
 *                            values start at the header's d
 *   RETURN / RETURN1         results already in slots 0..n-1 (no operand
 *                            cell) / r: a moved to slot 0
 *   CALL, CALL_IMPORT        rk: a = the callee's fp (first argument slot),
 *                            k = funcidx; results land at a
 *   CALL_INDIRECT            rk: a = callee fp, d = index slot, k =
 *                            typeidx; next cell: tableidx
 *   MEMORY_SIZE / GROW       r: d = size / d = grow(a)
 *   MEMORY_FILL/COPY/INIT, TABLE_SET/FILL/COPY/INIT, TABLE_GROW
 *                            rk: a = first of the operands in consecutive
 *                            slots a, a+1, a+2 (a result goes to a), k =
 *                            index; TABLE_COPY/INIT: next cell the second
 *   TABLE_GET / TABLE_SIZE   rk: d = table k [a] / d = size of table k
 *   REF_FUNC                 rk: d = function k
 *   ELEM_DROP, DATA_DROP     rk: k = index
 *   CONST32 / CONST64        rk: d = k / r: d, next cell the value
 *   UNREACHABLE              no operand cell
 *
 * Fused instructions (two or three wasm instructions in one: compare and
 * branch, address arithmetic and load, operator pairs, ...) are listed
 * with their layouts in xops.def.
 *
 * Branch distances are relative (`rel` cells from the start of the
 * branching instruction), so the code contains no absolute address except
 * handler labels, which a loader can rebuild from the XOp numbers.  Slot
 * indices are 16 bits: a function whose frame needs more slots is refused
 * with B8G_LIMIT (XL_MAX_SLOTS).
 */
#ifndef B8G_EXEC_XL_H
#define B8G_EXEC_XL_H

#include "exec/exec.h"
#include "wasm/opcodes.h"

/* Every wasm opcode keeps its Opcode number; internal ops follow. */
typedef enum XOp {
#define OP(name, pfx, code, imm, p1, p2, p3, r, msz, text) XOP_##name,
#include "wasm/opcodes.def"
#undef OP
#define XOP(name) XOP_##name,
#include "exec/xops.def"
#undef XOP
    XOP_COUNT
} XOp;

typedef union Cell {
    const void *label;   /* handler address (computed-goto build) */
    uint64_t op;         /* XOp (switch build) */
    uint64_t u64;
    uint32_t u32;
    struct { uint32_t a, b; } two;          /* pairs of indices */
    struct { uint16_t d, a, b, c; } r;      /* slot operands */
    struct { uint16_t d, a; uint32_t k; } rk; /* two slots, an immediate */
} Cell;

_Static_assert(sizeof(Cell) == 8, "cells are 8 bytes");

#define XL_BR_LOOP 0x8000u /* br_table entry, in a: the target is a loop */
/* Slots a frame may have: indices must fit the 16-bit operand fields. */
#define XL_MAX_SLOTS 65535u

/* Module offset of the instruction starting at cell `pc` (sorted by pc). */
typedef struct XlPcMap {
    uint32_t pc;
    uint32_t offset;
} XlPcMap;

struct XlFunc {
    Cell *code;
    uint32_t ncells;
    uint32_t idx;          /* function index in its module */
    uint32_t nparams;
    uint32_t nresults;
    uint32_t nlocals;      /* declared locals, zeroed on entry */
    uint32_t max_height;   /* operand stack high-water mark, in slots */
    uint32_t frame_slots;  /* nparams + nlocals + max_height */
    XlPcMap *map;          /* instructions that can trap, call or suspend */
    uint32_t nmap;
};

/* Cap on one function's cells: keeps every rel within int32. */
#define XL_MAX_CELLS (1u << 28)

/* The handler cell for an XOp (interp.c). */
Cell vm_handler(XOp op);

#endif
