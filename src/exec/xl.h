/*
 * xl.h - translated code: cells, the XOp numbering and XlFunc.
 *
 * A translated function is an array of 8-byte cells.  Each instruction is
 * one handler cell followed by its immediates:
 *
 *   handler cell   the handler's label address (computed goto), or its
 *                  XOp number when built with -DB8G_NO_COMPUTED_GOTO
 *   immediates     as listed below; a handler reads pc[1], pc[2], ... and
 *                  then advances pc past them
 *
 * Immediates of the wasm instructions that are emitted (others, such as
 * block/loop/end/nop, leave no trace in the code):
 *
 *   IF, BR, BR_IF            rel (IF jumps when the condition is zero,
 *                            BR_IF when it is not; neither moves values)
 *   BR_TABLE                 count, then count + 1 entries of two cells:
 *                            {rel, XL_BR_LOOP flag}, {arity, drop}
 *   RETURN                   nresults
 *   CALL                     funcidx (a defined function: always wasm code)
 *   CALL_INDIRECT            {typeidx, tableidx}
 *   LOCAL_*, GLOBAL_*        index
 *   TABLE_GET/SET/SIZE/GROW/FILL, ELEM_DROP, DATA_DROP, REF_FUNC   index
 *   TABLE_INIT               {elemidx, tableidx}
 *   TABLE_COPY               {dst, src}
 *   MEMORY_INIT              dataidx
 *   loads and stores         the static offset (u64)
 *   *_CONST                  the value bits
 *   SELECT_T is emitted as SELECT; everything else has no immediate.
 *
 * Internal instructions are listed in xops.def.  Branch distances are
 * relative (`rel` cells from the start of the branching instruction), so
 * the code contains no absolute address except handler labels, which a
 * loader can rebuild from the XOp numbers.
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
    struct { int32_t rel; uint32_t flags; } br; /* branch target */
    struct { uint32_t arity, drop; } mv;    /* values kept / discarded */
} Cell;

_Static_assert(sizeof(Cell) == 8, "cells are 8 bytes");

#define XL_BR_LOOP 1u /* br_table entry flag: the target is a loop */

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
