/*
 * restore.c - a parsed image back into a live instance (and its suspended
 * call).  img_parse proved the image well-formed; this checks it against
 * the module and the translated code (snap.h says why that is enough to
 * keep a crafted image from reaching the host), and builds nothing the
 * store keeps until everything is checked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec/frame.h"
#include "snap/snap.h"
#include "util/err.h"
#include "wasi/wasi.h"

B8G_PRINTF(2, 3)
static b8g_status bad(b8g_error *err, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "%s", msg);
}

/* ---- the module the image expects ---------------------------------------- */

static b8g_status check_imports(const Image *img, const Module *m, b8g_error *err)
{
    if (img->nimports != m->nimports)
        return bad(err, "the image records %u imports, the module has %u", img->nimports,
                   m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const ImgImport *a = &img->imports[i];
        /* as capture: state the image would overwrite must be its own */
        if (m->imports[i].kind != EXT_FUNC)
            return bad(err, "import %u is not a function: such modules cannot be restored", i);
        const Import *b = &m->imports[i];
        if (a->kind != b->kind || a->module.len != b->module.len || a->field.len != b->field.len ||
            memcmp(a->module.s, b->module.str, a->module.len) ||
            memcmp(a->field.s, b->field.str, a->field.len))
            return bad(err, "import %u differs from the module's", i);
    }
    return B8G_OK;
}

/* ---- memories, globals, tables, segments --------------------------------- */

static b8g_status memories(const Image *img, b8g_instance *inst, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (x->nmems != inst->nmems)
        return bad(err, "%u memories for a module with %u", x->nmems, inst->nmems);
    bool map = img->fd >= 0 && sysconf(_SC_PAGESIZE) == IMG_PAGE;
    for (uint32_t i = 0; i < x->nmems; i++) {
        const ImgMemory *im = &x->mems[i];
        Memory *m = inst->mems[i];
        if (im->pages < m->pages || (im->pages > m->pages && mem_grow(m, im->pages - m->pages) < 0))
            return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                           "memory %u: the image needs %u pages (the module or the store allows "
                           "%u to %u)", i, im->pages, m->pages, m->max_pages);
        for (uint32_t j = 0; j < im->nruns; j++) {
            const ImgRun *r = &im->runs[j];
            if (!map) {
                memcpy(m->base + r->addr, img->bytes + r->file_off, r->len);
                continue;
            }
            int e = mem_map_file_private(m, r->addr, r->len, img->fd, r->file_off);
            if (e) return err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot map memory %u: %s", i,
                                  strerror(e));
        }
    }
    return B8G_OK;
}

static uint64_t canonical(ValType t, uint64_t v)
{
    return t == VT_I32 || t == VT_F32 ? (uint32_t)v : v;
}

/* A typed slot from the image: references by index, numbers as bits. */
static bool typed_slot(const b8g_instance *inst, ValType t, uint64_t v, uint64_t *out)
{
    if (t == VT_FUNCREF) return snap_ref_decode(inst, v, out);
    if (t == VT_EXTERNREF) {
        *out = 0;
        return v == 0;
    }
    *out = canonical(t, v);
    return true;
}

static b8g_status globals(const Image *img, b8g_instance *inst, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (x->nglobals != inst->nglobals)
        return bad(err, "%u globals for a module with %u", x->nglobals, inst->nglobals);
    for (uint32_t i = 0; i < x->nglobals; i++) {
        GlobalInst *g = inst->globals[i];
        if (!typed_slot(inst, g->type, img_le(x->globals + 8 * (size_t)i, 8), &g->val))
            return bad(err, "global %u holds a reference to no function", i);
    }
    return B8G_OK;
}

static b8g_status tables(const Image *img, b8g_instance *inst, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (x->ntables != inst->ntables)
        return bad(err, "%u tables for a module with %u", x->ntables, inst->ntables);
    for (uint32_t i = 0; i < x->ntables; i++) {
        const ImgTable *it = &x->tables[i];
        Table *t = inst->tables[i];
        if (it->size < t->size || (it->size > t->size && table_grow(t, it->size - t->size, 0) < 0))
            return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                           "table %u: the image needs %u elements (the module or the store "
                           "allows %u to %u)", i, it->size, t->size, t->max);
        for (uint32_t j = 0; j < it->size; j++)
            if (!typed_slot(inst, t->type, img_le(it->elems + 4 * (size_t)j, 4), &t->elems[j]))
                return bad(err, "table %u element %u is no reference this module can hold", i, j);
    }
    return B8G_OK;
}

static b8g_status segments(const Image *img, b8g_instance *inst, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (x->nelems != inst->nelems || x->ndatas != inst->ndatas)
        return bad(err, "%u element and %u data segments for a module with %u and %u",
                   x->nelems, x->ndatas, inst->nelems, inst->ndatas);
    for (uint32_t i = 0; i < x->nelems; i++)
        if (x->elem_dropped[i]) inst->elem_len[i] = 0;
    for (uint32_t i = 0; i < x->ndatas; i++)
        if (x->data_dropped[i]) inst->data_len[i] = 0;
    return B8G_OK;
}

/* ---- descriptors ---------------------------------------------------------- */

static b8g_status handles(const Image *img, b8g_instance *inst, b8g_wasi *w, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (!x->nhandles) return B8G_OK;
    if (!w) return bad(err, "the image holds %u descriptors and no WASI context was given",
                       x->nhandles);
    WasiSnapFd *fds = xcalloc(x->nhandles, sizeof *fds);
    for (uint32_t i = 0; i < x->nhandles; i++) {
        const ImgHandle *h = &x->handles[i];
        fds[i] = (WasiSnapFd){.slot = h->fd, .how = h->kind, .filetype = h->filetype,
                              .fdflags = h->fdflags, .base = h->rights,
                              .inheriting = h->inheriting, .offset = h->offset,
                              .name = h->name.s, .path = h->path.s};
    }
    HandleTable *t = &inst->handles;
    if (t->max == 0) cap_table_init(t, 0);
    b8g_status st = wasi_snap_restore(t, w, fds, x->nhandles, err);
    free(fds); /* the strings belong to the image */
    return st;
}

/* ---- the suspended stack -------------------------------------------------- */

/* Where frame i continues, checked against the code: the innermost at an
 * instruction of the map, the others right after a call whose callee is
 * exactly the next frame's function (or one of its type, for
 * call_indirect). */
static b8g_status frame_check(const b8g_instance *inst, const ImgContext *x, uint32_t i,
                              uint32_t *pc_out, b8g_error *err)
{
    const Module *m = inst->mod;
    const ImgFrame *f = &x->frames[i];
    bool innermost = i + 1 == x->nframes;
    if (f->func < m->nimported_funcs || f->func >= m->nfuncs)
        return bad(err, "frame %u: function %u is not defined by the module", i, f->func);
    /* an image's module is lazy: the frame's function may not have run
     * in this process yet */
    b8g_error verr;
    const XlFunc *code = xl_ensure((Module *)m, f->func, &verr);
    if (!code)
        return bad(err, "frame %u: function %u does not translate: %s", i, f->func, verr.msg);
    uint32_t pc;
    if (!xl_pc_of_offset(code, f->offset, &pc))
        return bad(err, "frame %u: offset 0x%x is no stopping point of function %u", i,
                   f->offset, f->func);
    bool refs = snap_holds_refs(m, f->func);
    uint32_t base = code->nparams + code->nlocals;
    if (innermost) {
        if (f->nslots != code->frame_slots || refs)
            return bad(err, "frame %u: %u slots for function %u (needs %u%s)", i, f->nslots,
                       f->func, code->frame_slots, refs ? ", and handles references" : "");
        *pc_out = pc;
        return B8G_OK;
    }
    XlCall call;
    if (!xl_call_at(code, pc, &call))
        return bad(err, "frame %u: offset 0x%x of function %u is not a call", i, f->offset,
                   f->func);
    const ImgFrame *next = &x->frames[i + 1];
    if (next->func >= m->nfuncs) return bad(err, "frame %u: no function %u", i + 1, next->func);
    const FuncInst *callee = inst->funcs[next->func];
    bool fits = call.indirect ? call.index < m->ntypes &&
                                    callee->canon == inst->type_canon[call.index]
                              : call.index == next->func;
    if (!fits) return bad(err, "frame %u: its call cannot have called function %u", i, next->func);
    if (f->nslots != call.callee_slot || call.callee_slot < base || (refs && f->nslots != base))
        return bad(err, "frame %u: %u slots where its call needs %u%s", i, f->nslots,
                   call.callee_slot, refs ? " and no operands" : "");
    *pc_out = pc + call.len;
    return B8G_OK;
}

static b8g_status frame_slots(const b8g_instance *inst, const ImgFrame *f, uint64_t *fp,
                              uint32_t i, b8g_error *err)
{
    const Module *m = inst->mod;
    const FuncType *t = mod_func_type(m, f->func);
    const Func *fd = &m->funcs[f->func - m->nimported_funcs];
    for (uint32_t s = 0; s < f->nslots; s++) {
        uint64_t v = img_le(f->slots + 8 * (size_t)s, 8);
        if (s < t->nparams + fd->nlocals) {
            ValType vt = s < t->nparams ? t->types[s] : fd->local_types[s - t->nparams];
            if (!typed_slot(inst, vt, v, &v))
                return bad(err, "frame %u: local %u is no reference this module can hold", i, s);
        }
        fp[s] = v;
    }
    return B8G_OK;
}

static b8g_status stack(const Image *img, b8g_instance *inst, b8g_error *err)
{
    const ImgContext *x = &img->ctx;
    if (!x->nframes) return B8G_OK;
    b8g_store *s = inst->store;
    uint32_t *pcs = xcalloc(x->nframes, sizeof *pcs);
    b8g_status st = B8G_OK;
    for (uint32_t i = 0; i < x->nframes && !st; i++) st = frame_check(inst, x, i, &pcs[i], err);
    struct Thread *th = st ? NULL : store_thread(s);
    if (!st && !th) st = err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot allocate the stack");
    if (!st && (x->nframes >= (uint64_t)(th->frames_end - th->frames) ||
                x->total_slots > (uint64_t)(th->stack_end - th->stack)))
        st = err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                     "the suspended call needs %u frames and %llu slots: more than the "
                     "store's stack holds", x->nframes, (unsigned long long)x->total_slots);
    uint64_t *fp = th ? th->stack : NULL;
    for (uint32_t i = 0; i < x->nframes && !st; i++) {
        const ImgFrame *f = &x->frames[i];
        st = frame_slots(inst, f, fp, i, err);
        Frame *fr = &th->frames[i + 1];
        FuncInst *fn = inst->funcs[f->func];
        /* frame_check translated it: the function runs that code now */
        fn->code = __atomic_load_n(&inst->mod->funcs[f->func - inst->mod->nimported_funcs].xl,
                                   __ATOMIC_ACQUIRE);
        fr->fn = fn;
        fr->pc = fn->code->code + pcs[i];
        fr->fp = fp;
        fp += f->nslots;
    }
    free(pcs);
    if (st) return st;
    th->cur = &th->frames[x->nframes];
    th->sp = fp;
    th->suspended = true;
    s->suspended = true;
    s->susp_canon = th->frames[1].fn->canon;
    return B8G_OK;
}

static void fuel(const Image *img, b8g_store *s)
{
    const ImgContext *x = &img->ctx;
    if (x->flags & IMG_CTX_FUEL_UNLIMITED) {
        b8g_store_set_fuel(s, 0);
        return;
    }
    /* 0 is a real count here ("spent"), not the API's "unlimited" */
    uint64_t f = x->fuel < (uint64_t)INT64_MAX ? x->fuel : (uint64_t)INT64_MAX - 1;
    s->fuel_unlimited = false;
    s->fuel = f;
    if (s->thread) vm_set_fuel(s->thread, f);
}

b8g_status snap_restore(const Image *img, const b8g_module *bm, b8g_store *s, b8g_wasi *w,
                        b8g_instance **out, b8g_error *err)
{
    for (const b8g_instance *o = s->instances; o; o = o->next_in_store)
        if (o->mod) return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                                   "restore needs a store without module instances");
    if (s->suspended)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "a call is suspended in this store");
    if (w && w->store != s)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "the WASI context belongs to another store");
    b8g_status st = check_imports(img, bm->mod, err);
    if (st) return st;
    b8g_instance *inst;
    st = inst_instantiate_bare(s, bm, &inst, err);
    if (st) return st;
    st = memories(img, inst, err);
    if (!st) st = globals(img, inst, err);
    if (!st) st = tables(img, inst, err);
    if (!st) st = segments(img, inst, err);
    if (!st) st = handles(img, inst, w, err);
    if (!st) st = stack(img, inst, err);
    if (st) {
        inst_discard(inst);
        return st;
    }
    fuel(img, s);
    /* a copy of a context that read secrets still holds them */
    if (!img->rehashable) {
        inst->read_secrets = true;
        if (w) atomic_store(&w->secrets_used, true);
    }
    *out = inst;
    return B8G_OK;
}
