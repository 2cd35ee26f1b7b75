/*
 * capture.c - an instance (and its suspended call, if any) as image bytes
 * (layout: image.h).  Capture reads the instance and never changes it.
 */
#include <string.h>

#include "exec/frame.h"
#include "snap/snap.h"
#include "util/err.h"
#include "wasi/wasi.h"

static b8g_status unsupported(b8g_error *err, const char *what)
{
    return err_set(err, B8G_UNSUPPORTED, B8G_NO_OFFSET, "cannot capture: %s", what);
}

/* ---- what can be captured ------------------------------------------------ */

static b8g_status check_store(b8g_instance *inst, b8g_error *err)
{
    if (!inst || !inst->mod)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_snapshot needs a module instance");
    for (const b8g_instance *o = inst->store->instances; o; o = o->next_in_store)
        if (o != inst && o->mod)
            return unsupported(err, "the store holds more than one module instance");
    const Module *m = inst->mod;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind != EXT_FUNC)
            return unsupported(err, "the module imports a table, memory or global");
    const struct Thread *th = inst->store->thread;
    if (th && th->depth)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "cannot capture while a call is running");
    return B8G_OK;
}

/* ---- sections ------------------------------------------------------------ */

static void startup(Buf *b, const b8g_instance *inst, const WasiSnapFd *fds, uint32_t nfds,
                    uint64_t module_hash, size_t code_len)
{
    const Module *m = inst->mod;
    buf_u32(b, 1);
    buf_u64(b, 0);
    buf_u64(b, m->len);
    buf_u64(b, module_hash);
    buf_u64(b, 0); /* the code data's offset (IMG_STARTUP_CODE): set by assemble */
    buf_u64(b, code_len);
    buf_u32(b, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        buf_u32(b, 0);
        buf_u8(b, (uint8_t)m->imports[i].kind);
        buf_str(b, m->imports[i].module.str);
        buf_str(b, m->imports[i].field.str);
    }
    buf_u32(b, 0); /* context 0 runs module 0 */
    buf_u32(b, nfds);
    for (uint32_t i = 0; i < nfds; i++) {
        buf_u32(b, fds[i].slot);
        buf_u8(b, fds[i].how);
        buf_u8(b, fds[i].filetype);
        buf_u16(b, 0);
        buf_u64(b, fds[i].base);
        buf_u64(b, fds[i].inheriting);
        buf_str(b, fds[i].name);
        buf_str(b, fds[i].path);
    }
}

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)(const void *)p;
    for (size_t i = 0; i < IMG_PAGE / 8; i++)
        if (w[i]) return false;
    return true;
}

/* Runs of non-zero pages: records now, their file offsets patched once
 * the context's place in the file is known (PageRef). */
typedef struct PageRef {
    size_t patch;         /* where the run's file offset goes in ctx */
    const uint8_t *src;
    uint64_t len;
} PageRef;

typedef struct Pages {
    PageRef *r;
    uint32_t n, cap;
} Pages;

static void memory(Buf *b, const Memory *mem, Pages *pg)
{
    buf_u32(b, mem->pages);
    size_t count_at = b->n;
    buf_u32(b, 0);
    uint32_t nruns = 0;
    for (uint64_t a = 0; a < mem->size;) {
        if (page_is_zero(mem->base + a)) {
            a += IMG_PAGE;
            continue;
        }
        uint64_t start = a;
        while (a < mem->size && !page_is_zero(mem->base + a)) a += IMG_PAGE;
        buf_u64(b, start);
        buf_u64(b, a - start);
        if (pg->n == pg->cap) {
            pg->cap = pg->cap ? pg->cap * 2 : 16;
            pg->r = xrealloc(pg->r, pg->cap * sizeof *pg->r);
        }
        pg->r[pg->n++] = (PageRef){b->n, mem->base + start, a - start};
        buf_u64(b, 0);
        nruns++;
    }
    buf_set_le(b, count_at, nruns, 4);
}

static b8g_status globals_tables(Buf *b, const b8g_instance *inst, b8g_error *err)
{
    buf_u32(b, inst->nglobals);
    for (uint32_t i = 0; i < inst->nglobals; i++) {
        const GlobalInst *g = inst->globals[i];
        uint64_t v = g->val;
        if (g->type == VT_EXTERNREF && v) return unsupported(err, "a global holds an externref");
        if (g->type == VT_FUNCREF && !snap_ref_encode(inst, g->val, &v))
            return unsupported(err, "a global holds a function of another instance");
        buf_u64(b, v);
    }
    buf_u32(b, inst->ntables);
    for (uint32_t i = 0; i < inst->ntables; i++) {
        const Table *t = inst->tables[i];
        buf_u32(b, t->size);
        for (uint32_t j = 0; j < t->size; j++) {
            uint64_t v = 0;
            if (t->type == VT_EXTERNREF ? t->elems[j] != 0
                                        : !snap_ref_encode(inst, t->elems[j], &v) || v > UINT32_MAX)
                return unsupported(err, "a table holds an externref or another instance's function");
            buf_u32(b, (uint32_t)v);
        }
    }
    buf_u32(b, inst->nelems);
    for (uint32_t i = 0; i < inst->nelems; i++) buf_u8(b, inst->elem_len[i] == 0);
    buf_u32(b, inst->ndatas);
    for (uint32_t i = 0; i < inst->ndatas; i++) buf_u8(b, inst->data_len[i] == 0);
    return B8G_OK;
}

/* ---- the suspended stack ------------------------------------------------- */

/* The module offset naming frame f's position, checked to lead back to
 * exactly that position (restore looks it up the other way). */
static b8g_status frame_position(const Frame *f, bool innermost, uint32_t *offset,
                                 uint32_t *callee_slot, b8g_error *err)
{
    const XlFunc *x = f->fn->code;
    uint32_t pc = (uint32_t)(f->pc - x->code), at = pc, back;
    if (!innermost) {
        /* a return point: the call is the last map entry before it */
        uint32_t lo = 0, hi = x->nmap;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (x->map[mid].pc < pc) lo = mid + 1;
            else hi = mid;
        }
        XlCall call;
        if (!lo || !xl_call_at(x, at = x->map[lo - 1].pc, &call) || at + call.len != pc)
            return unsupported(err, "a frame does not stand at a call");
        *callee_slot = call.callee_slot;
    }
    if (!xl_offset_exact(x, at, offset) || !xl_pc_of_offset(x, *offset, &back) || back != at)
        return unsupported(err, "a frame's position has no unique module offset");
    return B8G_OK;
}

static b8g_status frame_slots(Buf *b, const b8g_instance *inst, const Frame *f, uint32_t n,
                              b8g_error *err)
{
    const Module *m = inst->mod;
    const FuncType *t = mod_func_type(m, f->fn->idx);
    const Func *fd = &m->funcs[f->fn->idx - m->nimported_funcs];
    buf_u32(b, n);
    for (uint32_t i = 0; i < n; i++) {
        ValType vt = i < t->nparams ? t->types[i]
                     : i < t->nparams + fd->nlocals ? fd->local_types[i - t->nparams] : VT_I64;
        uint64_t v = f->fp[i];
        if (vt == VT_EXTERNREF && v) return unsupported(err, "a local holds an externref");
        if (vt == VT_FUNCREF && !snap_ref_encode(inst, f->fp[i], &v))
            return unsupported(err, "a local holds a function of another instance");
        buf_u64(b, v);
    }
    return B8G_OK;
}

static b8g_status stack(Buf *b, const b8g_instance *inst, b8g_error *err)
{
    const b8g_store *s = inst->store;
    if (!s->suspended) {
        buf_u32(b, 0);
        return B8G_OK;
    }
    const struct Thread *th = s->thread;
    uint32_t n = (uint32_t)(th->cur - th->frames);
    if (th->frames[1].fp != th->stack) return unsupported(err, "the call did not start idle");
    buf_u32(b, n);
    for (uint32_t i = 1; i <= n; i++) {
        const Frame *f = &th->frames[i];
        bool innermost = i == n;
        if (f->fn->inst != inst) return unsupported(err, "a frame runs another instance");
        uint32_t offset, callee = 0;
        b8g_status st = frame_position(f, innermost, &offset, &callee, err);
        if (st) return st;
        const XlFunc *x = f->fn->code;
        uint32_t nslots = innermost ? x->frame_slots : callee;
        if (!innermost && f[1].fp != f->fp + callee) return unsupported(err, "frames do not nest");
        if (snap_holds_refs(inst->mod, f->fn->idx) &&
            (innermost || callee != x->nparams + x->nlocals))
            return unsupported(err, "a function that handles references holds operands on the "
                                    "stack (see docs/image-format.md)");
        buf_u32(b, f->fn->idx);
        buf_u32(b, offset);
        buf_u8(b, innermost ? IMG_FRAME_AT : IMG_FRAME_RETURN);
        buf_le(b, 0, 3);
        st = frame_slots(b, inst, f, nslots, err);
        if (st) return st;
    }
    return B8G_OK;
}

static void strings(Buf *b, char *const *v, uint32_t n)
{
    buf_u32(b, n);
    for (uint32_t i = 0; i < n; i++) buf_str(b, v[i]);
}

static b8g_status context(Buf *b, const b8g_instance *inst, const b8g_wasi *w,
                          const WasiSnapFd *fds, uint32_t nfds, Pages *pg, b8g_error *err)
{
    const b8g_store *s = inst->store;
    uint64_t fuel = b8g_store_fuel(s);
    buf_u32(b, (s->suspended ? IMG_CTX_SUSPENDED : 0) |
                   (fuel == UINT64_MAX ? IMG_CTX_FUEL_UNLIMITED : 0));
    buf_u32(b, 0);
    buf_u64(b, fuel == UINT64_MAX ? 0 : fuel);
    strings(b, w ? w->argv : NULL, w ? w->argc : 0);
    strings(b, w ? w->env : NULL, w ? w->envc : 0);
    buf_u32(b, inst->nmems);
    for (uint32_t i = 0; i < inst->nmems; i++) memory(b, inst->mems[i], pg);
    b8g_status st = globals_tables(b, inst, err);
    if (st) return st;
    buf_u32(b, nfds);
    for (uint32_t i = 0; i < nfds; i++) {
        buf_u16(b, fds[i].fdflags);
        buf_u16(b, 0);
        buf_u64(b, fds[i].offset);
    }
    return stack(b, inst, err);
}

/* ---- the whole ----------------------------------------------------------- */

static void assemble(Buf *out, const b8g_instance *inst, bool rehashable, uint64_t hash,
                     const Buf *st, const Buf *code, Buf *cx, const Pages *pg)
{
    const Module *m = inst->mod;
    size_t base = out->n;
    uint8_t *h = buf_grow(out, IMG_HEADER_LEN(1));
    memset(h, 0, IMG_HEADER_LEN(1));
    memcpy(h, IMG_MAGIC, IMG_MAGIC_LEN);
    uint64_t st_off = IMG_HEADER_LEN(1), ro_off = st_off + st->n, cx_off = ro_off + m->len;
    /* page data goes after the records, each run page-aligned in the file */
    buf_align(cx, cx_off, IMG_PAGE);
    for (uint32_t i = 0; i < pg->n; i++) {
        buf_set_le(cx, pg->r[i].patch, cx_off + cx->n, 8);
        buf_put(cx, pg->r[i].src, pg->r[i].len);
    }
    buf_set_le(out, base + IMG_OFF_NCTX, 1, 8);
    buf_set_le(out, base + IMG_OFF_REHASH, rehashable, 8);
    char version[IMG_VERSION_LEN + 1];
    img_version(version, hash);
    memcpy(out->p + base + IMG_OFF_VERSION, version, IMG_VERSION_LEN);
    buf_set_le(out, base + IMG_OFF_STARTUP, st_off, 8);
    buf_set_le(out, base + IMG_OFF_STARTUP + 8, st->n, 8);
    buf_set_le(out, base + IMG_OFF_RO, ro_off, 8);
    buf_set_le(out, base + IMG_OFF_RO + 8, m->len, 8);
    buf_set_le(out, base + IMG_OFF_CTX, cx_off, 8);
    buf_set_le(out, base + IMG_OFF_CTX + 8, cx->n, 8);
    buf_put(out, st->p, st->n);
    buf_put(out, m->bytes, m->len);
    buf_put(out, cx->p, cx->n); /* it ends on a page boundary */
    size_t covered = out->n - base;
    if (code->n) {
        buf_set_le(out, base + st_off + IMG_STARTUP_CODE, covered, 8);
        buf_put(out, code->p, code->n);
    }
    buf_set_le(out, base + IMG_OFF_CHECKSUM, img_checksum(out->p + base, covered), 8);
}

b8g_status snap_capture(b8g_instance *inst, const b8g_wasi *w, bool code, Buf *out,
                        b8g_error *err)
{
    b8g_status st = check_store(inst, err);
    if (st) return st;
    WasiSnapFd *fds = NULL;
    uint32_t nfds = 0;
    st = wasi_snap_capture(&inst->handles, w, &fds, &nfds, err);
    if (st) return st;
    bool rehashable = !__atomic_load_n(&inst->read_secrets, __ATOMIC_RELAXED) &&
                      !__atomic_load_n(&inst->link_registered, __ATOMIC_ACQUIRE);
    uint64_t hash = img_hash(inst->mod->bytes, inst->mod->len);
    Buf sb = {0}, cb = {0}, kb = {0};
    Pages pg = {0};
    if (code) st = snap_code_capture(inst->mod, &kb, err);
    if (!st) {
        startup(&sb, inst, fds, nfds, hash, kb.n);
        st = context(&cb, inst, w, fds, nfds, &pg, err);
    }
    if (!st) assemble(out, inst, rehashable, hash, &sb, &kb, &cb, &pg);
    free(sb.p);
    free(cb.p);
    free(kb.p);
    free(pg.r);
    wasi_snap_free(fds, nfds);
    return st;
}
