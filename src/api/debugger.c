/*
 * debugger.c - the embedder's side of debug stops (b8g_store_set_debugger,
 * b8g_debug_*) and the function and global queries a debugger needs.
 *
 * A stop (exec/interp.c, DEBUG) has written the innermost frame's pc and
 * the stack top back to the Thread, as a host call does, so the frames
 * and their slots can be read here as they are.  The stop lives on the C
 * stack of vm_debug_stop and dies with the debugger's call.
 *
 * Source variables come from the module's DWARF tables (debug/vars.h);
 * this file only tells them how to read the stopped frame's locals, its
 * instance's globals and memory.
 */
#include <stdlib.h>

#include "api/api.h"
#include "debug/debug.h"
#include "debug/vars.h"
#include "exec/frame.h"
#include "rt/store.h"

struct b8g_debug_stop {
    const Thread *th;
    uint64_t offset; /* of the instruction about to run */
    uint32_t depth;
    b8g_trap_kind trap; /* NONE: an ordinary stop */
};

b8g_trap_kind vm_debug_stop(Thread *th, uint64_t offset, b8g_trap_kind trap)
{
    b8g_store *s = th->cur->fn->inst->store;
    b8g_debug_stop stop = {th, offset, (uint32_t)(th->cur - th->frames), trap};
    return s->debugger(s->debugger_arg, &stop) ? B8G_TRAP_NONE : B8G_TRAP_INTERRUPTED;
}

b8g_trap_kind b8g_debug_trap(const b8g_debug_stop *stop)
{
    return stop ? stop->trap : B8G_TRAP_NONE;
}

void b8g_store_set_debugger(b8g_store *s, b8g_debug_fn fn, void *arg)
{
    if (!s) return;
    s->debugger = fn;
    s->debugger_arg = fn ? arg : NULL;
}

uint32_t b8g_debug_depth(const b8g_debug_stop *stop)
{
    return stop ? stop->depth : 0;
}

static const Frame *stop_frame(const b8g_debug_stop *stop, uint32_t i)
{
    return stop && i < stop->depth ? stop->th->cur - i : NULL;
}

bool b8g_debug_frame(const b8g_debug_stop *stop, uint32_t i, b8g_frame_info *out)
{
    const Frame *f = stop_frame(stop, i);
    if (!f || !out) return false;
    const FuncInst *fn = f->fn;
    const Module *m = fn->inst->mod;
    out->func = fn->idx;
    /* frames below the innermost continue after their call: step back
     * into it, as a backtrace does */
    out->code_offset = i == 0 ? stop->offset
                              : xl_code_offset(fn->code, (uint32_t)(f->pc - fn->code->code) - 1);
    out->func_name = mod_func_label(m, fn->idx);
    out->module_name = m->names.module.str;
    out->module = m->owner;
    return true;
}

b8g_instance *b8g_debug_instance(const b8g_debug_stop *stop, uint32_t i)
{
    const Frame *f = stop_frame(stop, i);
    return f ? f->fn->inst : NULL;
}

uint32_t b8g_debug_local_count(const b8g_debug_stop *stop, uint32_t i, uint32_t *nparams)
{
    const Frame *f = stop_frame(stop, i);
    if (nparams) *nparams = f ? f->fn->code->nparams : 0;
    return f ? f->fn->code->nparams + f->fn->code->nlocals : 0;
}

bool b8g_debug_local(const b8g_debug_stop *stop, uint32_t i, uint32_t local, b8g_val *out)
{
    const Frame *f = stop_frame(stop, i);
    if (!f || !out) return false;
    const XlFunc *x = f->fn->code;
    if (local >= x->nparams + x->nlocals) return false;
    const Module *m = f->fn->inst->mod;
    ValType t = local < x->nparams
        ? ft_params(f->fn->type)[local]
        : m->funcs[f->fn->idx - m->nimported_funcs].local_types[local - x->nparams];
    *out = inst_val_from_slot(t, f->fp[local]);
    return true;
}

/* ---- source variables ---------------------------------------------------- */

/* The DWARF tables of frame i's module and the offset to look up there. */
static const struct DebugInfo *frame_debug(const b8g_debug_stop *stop, uint32_t i,
                                           uint64_t *offset)
{
    b8g_frame_info fr;
    if (!b8g_debug_frame(stop, i, &fr) || !fr.module) return NULL;
    *offset = fr.code_offset;
    return dbg_module(fr.module->mod);
}

uint32_t b8g_debug_variables(const b8g_debug_stop *stop, uint32_t i, b8g_source_var *out,
                             uint32_t cap)
{
    uint64_t off;
    const struct DebugInfo *d = frame_debug(stop, i, &off);
    if (!d || (!out && cap)) return 0;
    uint32_t count = dbg_scope_vars(d, off, NULL, 0);
    uint32_t n = count < cap ? count : cap;
    uint32_t *ids = n ? malloc(n * sizeof *ids) : NULL;
    if (n && !ids) return 0;
    dbg_scope_vars(d, off, ids, n);
    for (uint32_t k = 0; k < n; k++) {
        DbgVarInfo v = dbg_var_info(d, ids[k]);
        out[k] = (b8g_source_var){.name = v.name, .param = v.param, .global = v.global,
                                  .scope = v.depth, .id = ids[k]};
        dbg_var_type(d, ids[k], out[k].type, sizeof out[k].type);
    }
    free(ids);
    return count;
}

typedef struct FrameView {
    const b8g_debug_stop *stop;
    uint32_t frame;
} FrameView;

static bool val_bits(const b8g_val *v, uint64_t *bits, unsigned *size)
{
    switch (v->type) {
    case B8G_I32: *bits = (uint32_t)v->of.i32; *size = 4; return true;
    case B8G_I64: *bits = (uint64_t)v->of.i64; *size = 8; return true;
    case B8G_F32: *bits = v->of.f32; *size = 4; return true;
    case B8G_F64: *bits = v->of.f64; *size = 8; return true;
    default: return false; /* references have no bytes a C variable could hold */
    }
}

static bool view_local(const void *arg, uint32_t index, uint64_t *bits, unsigned *size)
{
    const FrameView *fv = arg;
    b8g_val v;
    return b8g_debug_local(fv->stop, fv->frame, index, &v) && val_bits(&v, bits, size);
}

static bool view_global(const void *arg, uint32_t index, uint64_t *bits, unsigned *size)
{
    const FrameView *fv = arg;
    b8g_val v;
    return b8g_instance_global(b8g_debug_instance(fv->stop, fv->frame), index, &v, NULL) &&
           val_bits(&v, bits, size);
}

const char *b8g_debug_variable_format(const b8g_debug_stop *stop, uint32_t i,
                                      const b8g_source_var *var, char *buf, size_t cap)
{
    uint64_t off;
    if (!buf || !cap) return buf;
    buf[0] = '\0';
    const struct DebugInfo *d = frame_debug(stop, i, &off);
    if (!d || !var || !dbg_var_in_scope(d, off, var->id)) return buf;
    FrameView arg = {stop, i};
    DbgFrameView view = {.arg = &arg, .local = view_local, .global = view_global};
    view.mem = b8g_instance_memory(b8g_debug_instance(stop, i), &view.mem_size);
    return dbg_var_format(d, var->id, &view, buf, cap);
}

/* ---- globals and functions ------------------------------------------------ */

uint32_t b8g_instance_global_count(const b8g_instance *inst)
{
    return inst ? inst->nglobals : 0;
}

bool b8g_instance_global(const b8g_instance *inst, uint32_t i, b8g_val *out, bool *mutable_)
{
    if (!inst || i >= inst->nglobals || !out) return false;
    const GlobalInst *g = inst->globals[i];
    *out = inst_val_from_slot(g->type, g->val);
    if (mutable_) *mutable_ = g->mut;
    return true;
}

uint32_t b8g_module_func_count(const b8g_module *m)
{
    return m ? m->mod->nfuncs : 0;
}

const char *b8g_module_func_name(const b8g_module *m, uint32_t func)
{
    return m && func < m->mod->nfuncs ? mod_func_label(m->mod, func) : NULL;
}

uint64_t b8g_module_func_offset(const b8g_module *m, uint32_t func)
{
    if (!m || func < m->mod->nimported_funcs || func >= m->mod->nfuncs) return B8G_NO_OFFSET;
    return m->mod->funcs[func - m->mod->nimported_funcs].code_offset;
}

uint32_t b8g_module_func_at(const b8g_module *m, uint64_t code_offset)
{
    if (!m) return B8G_NO_FUNC;
    const Module *mod = m->mod;
    uint32_t lo = 0, hi = mod->nfuncs - mod->nimported_funcs;
    /* bodies lie in the code section in index order */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const Func *f = &mod->funcs[mid];
        if (code_offset < f->body_offset) hi = mid;
        else if (code_offset >= f->code_offset + f->code_len) lo = mid + 1;
        else return mod->nimported_funcs + mid;
    }
    return B8G_NO_FUNC;
}
