/*
 * instance.c - instantiation and linking, as the WebAssembly 2.0 spec's
 * "instantiate" defines it:
 *
 *   1. resolve every import against the store's registered instances and
 *      check its type (B8G_LINK);
 *   2. allocate the defined functions, tables, memories and globals, and
 *      evaluate global initialisers and element segment items;
 *   3. in segment order, table.init + elem.drop every active element
 *      segment (declarative ones are only dropped), then memory.init +
 *      data.drop every active data segment; a bounds failure traps;
 *   4. run the start function.
 *
 * A trap in 3 or 4 fails instantiation, but what was already written stays
 * written: an imported table may now hold references to this instance's
 * functions, which therefore must stay alive - so such an instance is kept
 * (unreachable except through those references) until the store is freed.
 * An instance that fails in 1 or 2 wrote nothing outside itself and is
 * freed at once.
 */
#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cap/link.h"
#include "exec/exec.h"
#include "rt/store.h"
#include "util/err.h"
#include "wasm/opcodes.h"

/* ---- values ------------------------------------------------------------- */

uint64_t inst_slot_from_val(const b8g_val *v)
{
    switch (v->type) {
    case B8G_I32: return (uint32_t)v->of.i32;
    case B8G_I64: return (uint64_t)v->of.i64;
    case B8G_F32: return v->of.f32;
    case B8G_F64: return v->of.f64;
    case B8G_FUNCREF:
    case B8G_EXTERNREF: return (uint64_t)(uintptr_t)v->of.ref;
    default: return 0;
    }
}

b8g_val inst_val_from_slot(ValType t, uint64_t slot)
{
    b8g_val v;
    memset(&v, 0, sizeof v);
    v.type = (b8g_valtype)t;
    switch (t) {
    case VT_I32: v.of.i32 = (int32_t)(uint32_t)slot; break;
    case VT_I64: v.of.i64 = (int64_t)slot; break;
    case VT_F32: v.of.f32 = (uint32_t)slot; break;
    case VT_F64: v.of.f64 = slot; break;
    default: v.of.ref = (void *)(uintptr_t)slot; break;
    }
    return v;
}

/* ---- exports ------------------------------------------------------------ */

static void *inst_object(b8g_instance *inst, ExternKind kind, uint32_t idx)
{
    switch (kind) {
    case EXT_FUNC: return inst->funcs[idx];
    case EXT_TABLE: return inst->tables[idx];
    case EXT_MEMORY: return inst->mems[idx];
    case EXT_GLOBAL: return inst->globals[idx];
    }
    return NULL;
}

static uint32_t inst_name_hash(const char *name, uint32_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (uint32_t i = 0; i < len; i++) h = (h ^ (uint8_t)name[i]) * 16777619u;
    return h;
}

/* Builds the export name index at a load factor of at most 1/2.  Export
 * names are unique (the validator checks), so insertion never compares. */
static void inst_index_exports(b8g_instance *inst)
{
    const Module *m = inst->mod;
    uint32_t nslots = 16;
    while (nslots < 2 * (uint64_t)m->nexports) nslots *= 2;
    inst->export_index = xcalloc(nslots, sizeof *inst->export_index);
    inst->export_mask = nslots - 1;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const Name *n = &m->exports[i].name;
        uint32_t k = inst_name_hash(n->str, n->len) & inst->export_mask;
        while (inst->export_index[k]) k = (k + 1) & inst->export_mask;
        inst->export_index[k] = i + 1;
    }
}

static const Export *inst_module_export(b8g_instance *inst, const char *name,
                                        uint32_t len)
{
    const Module *m = inst->mod;
    if (!inst->export_index) inst_index_exports(inst);
    uint32_t k = inst_name_hash(name, len) & inst->export_mask;
    for (; inst->export_index[k]; k = (k + 1) & inst->export_mask) {
        const Export *e = &m->exports[inst->export_index[k] - 1];
        if (e->name.len == len && memcmp(e->name.str, name, len) == 0) return e;
    }
    return NULL;
}

bool inst_find_export(b8g_instance *inst, const char *name, uint32_t len,
                      ExternKind *kind, void **obj)
{
    if (!inst->mod) {
        /* Host instances are the embedder's, few and small: a scan. */
        for (uint32_t i = 0; i < inst->nhost_exports; i++) {
            const HostExport *e = &inst->host_exports[i];
            if (e->name.len == len && memcmp(e->name.str, name, len) == 0) {
                *kind = e->kind;
                *obj = e->obj;
                return true;
            }
        }
        return false;
    }
    const Export *e = inst_module_export(inst, name, len);
    if (!e) return false;
    *kind = e->kind;
    *obj = inst_object(inst, e->kind, e->idx);
    return true;
}

/* ---- constant expressions ------------------------------------------------ */

/* The validator proved the expression well-typed and its indices in range
 * (global.get names an earlier global, already initialised). */
static uint64_t inst_eval_const(const b8g_instance *inst, const ConstExpr *e)
{
    switch (e->op) {
    case OPC_I32_CONST:
    case OPC_F32_CONST: return (uint32_t)e->value;
    case OPC_I64_CONST:
    case OPC_F64_CONST: return e->value;
    case OPC_REF_NULL: return 0;
    case OPC_REF_FUNC: return (uint64_t)(uintptr_t)inst->funcs[e->value];
    case OPC_GLOBAL_GET: return inst->globals[e->value]->val;
    default: assert(!"constant expression not validated"); return 0;
    }
}

/* ---- step 1: imports ----------------------------------------------------- */

static b8g_status inst_link_fail(b8g_error *err, const Import *im, const char *why)
{
    return err_set(err, B8G_LINK, im->offset, "%s \"%s\".\"%s\"", why,
                   im->module.str, im->field.str);
}

/* Limits subtyping: the object's current size is at least the import's
 * min, and if the import declares a max the object has one no larger. */
static bool inst_limits_match(uint32_t size, bool has_max, uint32_t max,
                              const Limits *want)
{
    if (size < want->min) return false;
    return !want->has_max || (has_max && max <= want->max);
}

static bool inst_import_matches(const b8g_instance *inst, const Import *im, void *obj)
{
    switch (im->kind) {
    case EXT_FUNC:
        return ((FuncInst *)obj)->canon == inst->type_canon[im->desc.type_idx];
    case EXT_TABLE: {
        const Table *t = obj;
        return t->type == im->desc.table.elem &&
               inst_limits_match(t->size, t->has_max, t->decl_max, &im->desc.table.lim);
    }
    case EXT_MEMORY: {
        const Memory *mm = obj;
        return inst_limits_match(mm->pages, mm->has_max, mm->decl_max, &im->desc.mem);
    }
    case EXT_GLOBAL: {
        const GlobalInst *g = obj;
        return g->type == im->desc.global.type && g->mut == im->desc.global.mut;
    }
    }
    return false;
}

static b8g_status inst_link_imports(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const Import *im = &m->imports[i];
        b8g_instance *from = store_lookup(inst->store, im->module.str, im->module.len);
        ExternKind kind;
        void *obj;
        if (!from || !inst_find_export(from, im->field.str, im->field.len, &kind, &obj))
            return inst_link_fail(err, im, "unknown import");
        if (kind != im->kind || !inst_import_matches(inst, im, obj))
            return inst_link_fail(err, im, "incompatible import type");
        switch (kind) {
        case EXT_FUNC: inst->funcs[nf++] = obj; break;
        case EXT_TABLE: inst->tables[nt++] = obj; break;
        case EXT_MEMORY: inst->mems[nm++] = obj; break;
        case EXT_GLOBAL: inst->globals[ng++] = obj; break;
        }
    }
    return B8G_OK;
}

/* ---- step 2: allocation -------------------------------------------------- */

static void inst_alloc_arrays(b8g_instance *inst)
{
    const Module *m = inst->mod;
    inst->nfuncs = m->nfuncs;
    inst->funcs = xcalloc(m->nfuncs, sizeof *inst->funcs);
    inst->ntables = m->ntables;
    inst->tables = xcalloc(m->ntables, sizeof *inst->tables);
    inst->nmems = m->nmems;
    inst->mems = xcalloc(m->nmems, sizeof *inst->mems);
    inst->nglobals = m->nglobals;
    inst->globals = xcalloc(m->nglobals, sizeof *inst->globals);
    inst->type_canon = xcalloc(m->ntypes, sizeof *inst->type_canon);
    for (uint32_t i = 0; i < m->ntypes; i++)
        inst->type_canon[i] = store_canon_type(inst->store, &m->types[i]);
    inst->nelems = m->nelems;
    inst->elem_refs = xcalloc(m->nelems, sizeof *inst->elem_refs);
    inst->elem_len = xcalloc(m->nelems, sizeof *inst->elem_len);
    inst->ndatas = m->ndatas;
    inst->data_len = xcalloc(m->ndatas, sizeof *inst->data_len);
}

/* Defined functions are one block, pointed at from funcs[nimported..]. */
static void inst_alloc_funcs(b8g_instance *inst)
{
    const Module *m = inst->mod;
    uint32_t ndef = m->nfuncs - m->nimported_funcs;
    if (!ndef) return;
    FuncInst *block = xcalloc(ndef, sizeof *block);
    for (uint32_t i = 0; i < ndef; i++) {
        const Func *fn = &m->funcs[i];
        FuncInst *fi = &block[i];
        fi->canon = inst->type_canon[fn->type_idx];
        fi->type = &m->types[fn->type_idx];
        fi->inst = inst;
        fi->idx = m->nimported_funcs + i;
        fi->code = __atomic_load_n(&fn->xl, __ATOMIC_ACQUIRE); /* lazy: may be its stub */
        inst->funcs[m->nimported_funcs + i] = fi;
    }
}

static b8g_status inst_alloc_tables(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
        const TableType *tt = &m->tables[i];
        b8g_status st = store_new_table(inst->store, &inst->tables[i], tt->elem,
                                        tt->lim.min, tt->lim.max, tt->lim.has_max, err);
        if (st) return st;
    }
    return B8G_OK;
}

static b8g_status inst_alloc_mems(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    for (uint32_t i = m->nimported_mems; i < m->nmems; i++) {
        const Limits *l = &m->mems[i];
        Memory *mem = xcalloc(1, sizeof *mem);
        b8g_status st = mem_init(mem, l->min, l->max, l->has_max,
                                 store_max_pages(inst->store), err);
        if (st) {
            free(mem);
            return st;
        }
        inst->mems[i] = mem;
    }
    inst->mem0 = m->nmems ? inst->mems[0] : NULL;
    return B8G_OK;
}

/* Defined globals are one block; initialisers run in order, so a
 * global.get sees only globals already set (the validator allows only
 * imported ones in 2.0). */
static void inst_alloc_globals(b8g_instance *inst)
{
    const Module *m = inst->mod;
    uint32_t ndef = m->nglobals - m->nimported_globals;
    if (!ndef) return;
    GlobalInst *block = xcalloc(ndef, sizeof *block);
    for (uint32_t i = 0; i < ndef; i++) {
        const Global *g = &m->globals[m->nimported_globals + i];
        block[i].type = g->type.type;
        block[i].mut = g->type.mut;
        inst->globals[m->nimported_globals + i] = &block[i];
        block[i].val = inst_eval_const(inst, &g->init);
    }
}

static void inst_eval_segments(b8g_instance *inst)
{
    const Module *m = inst->mod;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const ElemSeg *seg = &m->elems[i];
        inst->elem_refs[i] = seg->count ? xcalloc(seg->count, sizeof **inst->elem_refs) : NULL;
        for (uint32_t k = 0; k < seg->count; k++)
            inst->elem_refs[i][k] = inst_eval_const(inst, &seg->items[k]);
        inst->elem_len[i] = seg->count;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) inst->data_len[i] = m->datas[i].len;
}

/* ---- step 3: segment initialisation -------------------------------------- */

static void inst_drop_elem(b8g_instance *inst, uint32_t i)
{
    free(inst->elem_refs[i]);
    inst->elem_refs[i] = NULL;
    inst->elem_len[i] = 0;
}

static b8g_status inst_trap_at(b8g_error *err, b8g_trap_kind kind, uint64_t off)
{
    b8g_status st = err_trap(err, kind);
    if (err) err->offset = off;
    return st;
}

static b8g_status inst_init_elems(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const ElemSeg *seg = &m->elems[i];
        if (seg->mode == SEG_PASSIVE) continue;
        if (seg->mode == SEG_ACTIVE) {
            uint32_t off = (uint32_t)inst_eval_const(inst, &seg->offset);
            Table *t = inst->tables[seg->table];
            uint32_t n = inst->elem_len[i];
            if ((uint64_t)off + n > t->size)
                return inst_trap_at(err, B8G_TRAP_TABLE_OOB, seg->offset_in_module);
            if (n) memcpy(t->elems + off, inst->elem_refs[i], (size_t)n * sizeof *t->elems);
        }
        inst_drop_elem(inst, i);
    }
    return B8G_OK;
}

static b8g_status inst_init_datas(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const DataSeg *seg = &m->datas[i];
        if (seg->mode != SEG_ACTIVE) continue;
        uint32_t off = (uint32_t)inst_eval_const(inst, &seg->offset);
        Memory *mem = inst->mems[seg->mem];
        if (!mem_in_bounds(mem, off, seg->len))
            return inst_trap_at(err, B8G_TRAP_MEM_OOB, seg->offset_in_module);
        if (seg->len) memcpy(mem->base + off, seg->bytes, seg->len);
        inst->data_len[i] = 0;
    }
    return B8G_OK;
}

/* ---- step 4: start -------------------------------------------------------- */

static b8g_status inst_run_start(b8g_instance *inst, b8g_error *err)
{
    const Module *m = inst->mod;
    if (!m->has_start) return B8G_OK;
    b8g_store *s = inst->store;
    struct Thread *th = store_thread(s);
    if (!th)
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot allocate the engine stack");
    uint64_t slot[1] = {0}; /* start is [] -> [] */
    b8g_status st = vm_call(th, inst->funcs[m->start], slot, err);
    if (st == B8G_SUSPENDED) {
        /* Instantiation cannot be resumed (no instance is returned to
         * resume into): running out of fuel or being interrupted in the
         * start function fails it like a trap, with the same kind. */
        vm_abort(th);
        err->code = B8G_TRAP;
        st = B8G_TRAP;
    }
    return st;
}

/* ---- the whole ----------------------------------------------------------- */

static b8g_status inst_build(b8g_instance *inst, b8g_error *err)
{
    inst_alloc_arrays(inst);
    b8g_status st = inst_link_imports(inst, err);
    if (st) return st;
    inst_alloc_funcs(inst);
    st = inst_alloc_tables(inst, err);
    if (st) return st;
    st = inst_alloc_mems(inst, err);
    if (st) return st;
    inst_alloc_globals(inst);
    inst_eval_segments(inst);
    return B8G_OK;
}

/* Instance ids: process-wide, since tasks instantiate on their own
 * threads and a trace must tell every instance apart. */
static atomic_uint_fast64_t next_instance_id = 1;

uint64_t b8g_instance_id(const b8g_instance *inst)
{
    return inst ? inst->id : 0;
}

/* Linked and allocated, segments evaluated (so passive ones can still be
 * used), nothing initialised or run: b8g_instantiate goes on from here,
 * a snapshot restore supplies memory, tables and globals as they were. */
b8g_status inst_instantiate_bare(b8g_store *s, const b8g_module *bm,
                                 b8g_instance **out, b8g_error *err)
{
    b8g_instance *inst = xcalloc(1, sizeof *inst);
    inst->mod = bm->mod;
    store_add_instance(s, inst);
    b8g_status st = inst_build(inst, err);
    if (st) {
        /* Nothing outside the instance can point into it yet. */
        s->instances = inst->next_in_store;
        inst_free(inst);
        return st;
    }
    /* From here on the instance's functions may escape into imported
     * tables, so it lives as long as the store, and so does its module. */
    inst->id = atomic_fetch_add(&next_instance_id, 1);
    api_module_ref((b8g_module *)bm);
    store_hold_module(s, (b8g_module *)bm);
    *out = inst;
    return B8G_OK;
}

b8g_status b8g_instantiate(b8g_store *s, const b8g_module *bm,
                           b8g_instance **out, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (out) *out = NULL;
    if (!s || !bm || !out)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_instantiate");
    if (bm->mod->has_start && s->suspended)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "a call is suspended in this store: resume or abort it first");
    b8g_instance *inst;
    b8g_status st = inst_instantiate_bare(s, bm, &inst, err);
    if (!st) st = inst_init_elems(inst, err);
    if (!st) st = inst_init_datas(inst, err);
    if (!st) st = inst_run_start(inst, err);
    if (st) return st;
    *out = inst;
    return B8G_OK;
}

void inst_discard(b8g_instance *inst)
{
    b8g_store *s = inst->store;
    b8g_instance **p = &s->instances;
    while (*p && *p != inst) p = &(*p)->next_in_store;
    if (*p) *p = inst->next_in_store;
    inst_free(inst);
}

void inst_free(b8g_instance *inst)
{
    cap_link_forget(inst); /* first: its key must name nothing once it starts to go */
    const Module *m = inst->mod;
    if (!m) {
        host_release(inst);
    } else {
        if (inst->funcs && m->nfuncs > m->nimported_funcs)
            free(inst->funcs[m->nimported_funcs]);
        for (uint32_t i = m->nimported_tables; inst->tables && i < m->ntables; i++)
            if (inst->tables[i]) { table_release(inst->tables[i]); free(inst->tables[i]); }
        for (uint32_t i = m->nimported_mems; inst->mems && i < m->nmems; i++)
            if (inst->mems[i]) { mem_release(inst->mems[i]); free(inst->mems[i]); }
        if (inst->globals && m->nglobals > m->nimported_globals)
            free(inst->globals[m->nimported_globals]);
        for (uint32_t i = 0; inst->elem_refs && i < inst->nelems; i++) free(inst->elem_refs[i]);
    }
    free(inst->funcs);
    free(inst->tables);
    free(inst->mems);
    free(inst->globals);
    free(inst->type_canon);
    free(inst->elem_refs);
    free(inst->elem_len);
    free(inst->data_len);
    free(inst->export_index);
    cap_table_release(&inst->handles);
    free(inst);
}
