/*
 * trap.c - turning a stopped Thread into a b8g_error: backtraces, traps
 * and suspensions.  Cold by nature: nothing here runs on the hot path.
 */
#include "exec/frame.h"
#include "util/err.h"

static uint64_t vm_frame_offset(const Frame *f, VmTopPc how)
{
    const XlFunc *x = f->fn->code;
    if (how == VM_PC_UNKNOWN) return B8G_NO_OFFSET;
    uint32_t i = (uint32_t)(f->pc - x->code);
    /* a return point is the unit after the call: step back into it */
    if (how == VM_PC_RETURN) i--;
    return xl_code_offset(x, i);
}

void vm_backtrace(const Thread *th, b8g_error *err, VmTopPc top)
{
    if (!err) return;
    uint32_t n = 0;
    for (const Frame *f = th->cur; f > th->frames && n < B8G_MAX_BACKTRACE; f--) {
        const FuncInst *fn = f->fn;
        const Module *m = fn->inst->mod;
        b8g_frame_info *fi = &err->frames[n++];
        fi->func = fn->idx;
        fi->code_offset = vm_frame_offset(f, f == th->cur ? top : VM_PC_RETURN);
        fi->func_name = m ? mod_func_label(m, fn->idx) : NULL;
        fi->module_name = m ? m->names.module.str : NULL;
        fi->module = m ? m->owner : NULL;
    }
    err->nframes = n;
    if (n) {
        err->func = err->frames[0].func;
        err->offset = err->frames[0].code_offset;
    }
}

b8g_status vm_trap(const Thread *th, b8g_trap_kind kind, VmTopPc top,
                   b8g_error *err)
{
    err_trap(err, kind);
    vm_backtrace(th, err, top);
    return B8G_TRAP;
}

/*
 * Only the outermost run may pause: a nested run sits under a host
 * function's C frame, which cannot be saved, so there the same event ends
 * the inner call as a trap of the same kind.
 */
b8g_status vm_stop(const Thread *th, b8g_trap_kind kind, b8g_error *err)
{
    if (th->depth > 1) return vm_trap(th, kind, VM_PC_EXACT, err);
    const Frame *f = th->cur;
    err_set(err, B8G_SUSPENDED, vm_frame_offset(f, VM_PC_EXACT), "%s",
            b8g_trap_name(kind));
    if (err) {
        err->trap = kind;
        /* where it stopped: the embedder may report it (a limit) or resume */
        vm_backtrace(th, err, VM_PC_EXACT);
    }
    return B8G_SUSPENDED;
}
