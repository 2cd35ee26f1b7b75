/*
 * refs.c - references in images: which functions may hold one in an
 * operand slot, and their position-independent form.
 */
#include "exec/xl.h"
#include "snap/snap.h"
#include "wasm/instr.h"
#include "wasm/opcodes.h"

static bool type_has_ref(const FuncType *t)
{
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
        if (vt_is_ref(t->types[i])) return true;
    return false;
}

static bool instr_makes_ref(const Module *m, const Instr *in)
{
    switch (in->op) {
    case OPC_REF_NULL: case OPC_REF_FUNC: case OPC_TABLE_GET: return true;
    case OPC_SELECT_T: return vt_is_ref(in->imm.select.type);
    case OPC_GLOBAL_GET: return in->imm.idx < m->nglobals && vt_is_ref(m->globals[in->imm.idx].type.type);
    case OPC_CALL: return in->imm.idx < m->nfuncs && type_has_ref(mod_func_type(m, in->imm.idx));
    case OPC_CALL_INDIRECT:
        return in->imm.ci.type_idx < m->ntypes && type_has_ref(&m->types[in->imm.ci.type_idx]);
    default: return false;
    }
}

bool snap_holds_refs(const Module *m, uint32_t func)
{
    if (func < m->nimported_funcs || func >= m->nfuncs) return true;
    const Func *f = &m->funcs[func - m->nimported_funcs];
    const FuncType *t = mod_func_type(m, func);
    if (type_has_ref(t)) return true;
    for (uint32_t i = 0; i < f->nlocals; i++)
        if (vt_is_ref(f->local_types[i])) return true;
    Reader r = {m->bytes, f->code, f->code + f->code_len};
    while (!rd_eof(&r)) {
        Instr in;
        /* the module was validated: a read cannot fail, but be safe */
        if (ins_read(&r, &in, NULL)) return true;
        if (instr_makes_ref(m, &in)) return true;
    }
    return false;
}

bool snap_ref_encode(const b8g_instance *inst, uint64_t ref, uint64_t *out)
{
    if (!ref) {
        *out = 0;
        return true;
    }
    /* a funcref is a FuncInst: its own, or an import's at its index */
    const FuncInst *f = (const FuncInst *)(uintptr_t)ref;
    uint32_t nimp = inst->mod->nimported_funcs;
    if (f->inst == inst && f->idx < inst->nfuncs && inst->funcs[f->idx] == f) {
        *out = (uint64_t)f->idx + 1;
        return true;
    }
    for (uint32_t i = 0; i < nimp; i++)
        if (inst->funcs[i] == f) {
            *out = (uint64_t)i + 1;
            return true;
        }
    return false;
}

bool snap_ref_decode(const b8g_instance *inst, uint64_t v, uint64_t *ref)
{
    if (v > inst->nfuncs) return false;
    *ref = v ? (uint64_t)(uintptr_t)inst->funcs[v - 1] : 0;
    return true;
}
