/*
 * xl.h - translated code: code units, the XOp numbering and XlFunc.
 *
 * A translated function is an array of 16-bit code units run as register
 * code over the frame's slots (frame.h): every value the wasm operand stack
 * would hold lives in a slot whose index the translator knows statically
 * (params and locals first, then one slot per operand-stack height), so an
 * instruction names its operands and its result by slot index instead of
 * pushing and popping.  Each instruction is a handler followed by as many
 * operand units as its layout needs:
 *
 *   handler   the handler's label address, XL_HANDLER_UNITS units
 *             (computed goto), or its XOp number in one unit when built
 *             with -DB8G_NO_COMPUTED_GOTO
 *   operands  in the order the layout lists them:
 *               d a b c ...  one unit each: a slot index (d the result),
 *                            or where a row says so a 16-bit immediate
 *               i            one unit: a 16-bit immediate
 *               r            one unit: a branch distance, in units from
 *                            the start of the branching instruction
 *               k            two units: a 32-bit immediate (constant,
 *                            index, absolute address or memory offset)
 *               rel          two units: a branch distance, as r
 *               k64          four units: a 64-bit constant
 *
 * Why this shape (host instructions counted with bench/icount.sh):
 *   - The handler stays a full label address so that dispatch is one
 *     indirect jump through the code (`jmp *(pc)`).  A 4-byte handler word
 *     needs one more instruction per wasm instruction to index a label
 *     table (+7% on fib, +10% on sieve) or two to add an offset to a base
 *     label (+14%, +20%); the operands are where the bytes can go.
 *   - A field is 16 bits wherever the host loads it into a register
 *     anyway (slots, memory offsets, shift counts, branch distances,
 *     small constants), where narrowing costs nothing.  The k of the _K
 *     operators stays 32 bits: `sub 12(pc), %eax` folds that load into
 *     the operation, and a 16-bit one takes an instruction of its own
 *     (+1.8% on fib when tried).
 *   - A field too small for a value has a wider form: loads and stores
 *     with offsets past 16 bits take _W forms, and a function with a
 *     branch longer than an r reaches is translated again in far mode,
 *     with 32-bit branches (translate.c).
 * Units are only 2-byte aligned, so wider fields are read and written
 * through xl_get32/xl_get64 (memcpy, one load on the hosts we run on).
 *
 * Layouts by instruction (wasm opcodes keep their XOp number):
 *
 *   unary, binary, compare   d a / d a b: d = op(a) / op(a, b); *_K forms
 *                            (xops.def) d a k: d = op(a, k)
 *   SELECT                   d a b c: d = c ? a : b
 *   loads                    d a i: d = mem[a + i] (offsets past 16 bits
 *                            take the _W form, d a k)
 *   stores                   d a i: mem[a + i] = d (_W: d a k)
 *   COPY                     d a: d = a (local.get/set/tee become slots)
 *   GLOBAL_GET / GLOBAL_SET  d k: d = global k / a k: global k = a
 *   BR                       r (also BR_LOOP; BR_W and BR_LOOP_W: rel)
 *   BR_<cmp>[_K][_LOOP]      d a r: branch when d <cmp> a (a: slot, or
 *                            i in the _K forms)
 *   BR_TABLE                 d a k: a = index slot, k = count; then count
 *                            + 1 entries rel d a: d = first target slot,
 *                            a = arity | XL_BR_LOOP; the carried values
 *                            start at the header's d
 *   RETURN / RETURN1         results already in slots 0..n-1 (no
 *                            operands) / a: moved to slot 0
 *   CALL, CALL_IMPORT        a k: a = the callee's fp (first argument
 *                            slot), k = funcidx; results land at a
 *   CALL_INDIRECT            a s k k: a = callee fp, s = the index slot,
 *                            then typeidx and tableidx
 *   MEMORY_SIZE / GROW       d / d a: d = size / d = grow(a)
 *   MEMORY_FILL/COPY         a: the operands in consecutive slots a, a+1,
 *                            a+2
 *   MEMORY_INIT, TABLE_SET/FILL/GROW
 *                            a k: the same, k = index (TABLE_GROW's
 *                            result goes to a)
 *   TABLE_COPY/INIT          a k k: two indices
 *   TABLE_GET / TABLE_SIZE   d a k: d = table k [a] / d k: d = size of k
 *   REF_FUNC                 d k: d = function k
 *   ELEM_DROP, DATA_DROP     k: the index
 *   CONST16/CONST32/CONST64  d i / d k / d k64: d = the constant
 *   UNREACHABLE              no operands
 *
 * Fused instructions (two or three wasm instructions in one: compare and
 * branch, address arithmetic and load, operator pairs, ...) are listed
 * with their layouts in xops.def.
 *
 * Branch distances are relative, so the code contains no absolute address
 * except handler labels, which a loader can rebuild from the XOp numbers.
 * Slot indices are 16 bits: a function whose frame needs more slots is
 * refused with B8G_LIMIT (XL_MAX_SLOTS).
 */
#ifndef B8G_EXEC_XL_H
#define B8G_EXEC_XL_H

#include <string.h>

#include "exec/exec.h"
#include "wasm/opcodes.h"

#if !defined(__GNUC__) && !defined(B8G_NO_COMPUTED_GOTO)
#define B8G_NO_COMPUTED_GOTO 1
#endif

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

_Static_assert(XOP_COUNT <= UINT16_MAX, "an XOp fits one unit");

typedef uint16_t XlUnit;

/* Units taken by a handler, and the length of an instruction with n
 * operand units. */
#ifndef B8G_NO_COMPUTED_GOTO
#define XL_HANDLER_UNITS ((int)(sizeof(void *) / sizeof(XlUnit)))
#else
#define XL_HANDLER_UNITS 1
#endif
#define XL_LEN(n) (XL_HANDLER_UNITS + (n))

/* Fields wider than a unit sit at any even address. */
static inline uint32_t xl_get32(const XlUnit *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t xl_get64(const XlUnit *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void xl_put32(XlUnit *p, uint32_t v) { memcpy(p, &v, sizeof v); }
static inline void xl_put64(XlUnit *p, uint64_t v) { memcpy(p, &v, sizeof v); }

#define XL_BR_LOOP 0x8000u /* br_table entry, in a: the target is a loop */
/* Slots a frame may have: indices must fit the 16-bit operand fields. */
#define XL_MAX_SLOTS 65535u

/* Module offset of the instruction starting at unit `pc` (sorted by pc). */
typedef struct XlPcMap {
    uint32_t pc;
    uint32_t offset;
} XlPcMap;

struct XlFunc {
    XlUnit *code;
    uint32_t nunits;
    uint32_t idx;          /* function index in its module */
    uint32_t nparams;
    uint32_t nresults;
    uint32_t nlocals;      /* declared locals, zeroed on entry */
    uint32_t max_height;   /* operand stack high-water mark, in slots */
    uint32_t frame_slots;  /* nparams + nlocals + max_height */
    XlPcMap *map;          /* instructions that can trap, call or suspend */
    uint32_t nmap;
};

/* Cap on one function's units: keeps every rel within int32. */
#define XL_MAX_UNITS (1u << 28)

/*
 * Snapshots name a position in translated code by the module offset of
 * its instruction (xlfunc.c), which does not depend on how handlers are
 * encoded.  xl_offset_exact: the offset of the map entry starting exactly
 * at pc_index (false if none does).  xl_pc_of_offset: the first map entry
 * with that offset.  xl_call_at: whether a call instruction starts at
 * pc_index, and its fields.
 */
typedef struct XlCall {
    bool indirect;        /* CALL_INDIRECT: index is the type index */
    uint32_t callee_slot; /* the callee's fp, in slots from the caller's */
    uint32_t index;       /* function index (CALL, CALL_IMPORT) */
    uint32_t len;         /* units: the return point is pc_index + len */
} XlCall;
bool xl_offset_exact(const XlFunc *f, uint32_t pc_index, uint32_t *offset);
bool xl_pc_of_offset(const XlFunc *f, uint32_t offset, uint32_t *pc_index);
bool xl_call_at(const XlFunc *f, uint32_t pc_index, XlCall *out);

/* Writes the handler of op at `at` (XL_HANDLER_UNITS units; interp.c). */
void vm_set_handler(XlUnit *at, XOp op);

#endif
