/*
 * call.c - calling exported functions from the embedder, suspending and
 * resuming, and reading exported globals and memory.
 *
 * Everything the embedder passes is checked here (names, counts, types)
 * before the interpreter sees it, so the interpreter can trust that
 * arguments match the function's signature.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "exec/exec.h"
#include "rt/store.h"
#include "util/err.h"

/* Arguments and results share one slot array; this many fit on the C
 * stack, longer signatures use the heap. */
#define CALL_STACK_SLOTS 16

static b8g_status api_find_export_n(b8g_instance *inst, const char *name,
                                    size_t len, ExternKind want, void **obj,
                                    b8g_error *err)
{
    if (!inst || !name)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null instance or export name");
    int shown = len > 64 ? 64 : (int)len;
    ExternKind kind;
    if (len > UINT32_MAX || !inst_find_export(inst, name, (uint32_t)len, &kind, obj))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "unknown export \"%.*s\"",
                       shown, name);
    if (kind != want) {
        static const char *const kinds[] = {"function", "table", "memory", "global"};
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "export \"%.*s\" is not a %s",
                       shown, name, kinds[want]);
    }
    return B8G_OK;
}

static b8g_status api_find_export(b8g_instance *inst, const char *name,
                                  ExternKind want, void **obj, b8g_error *err)
{
    return api_find_export_n(inst, name, name ? strlen(name) : 0, want, obj, err);
}

b8g_status b8g_lookup_func(b8g_instance *inst, const char *name, size_t name_len,
                           b8g_func **out, b8g_error *err)
{
    void *obj = NULL;
    b8g_status st = api_find_export_n(inst, name, name_len, EXT_FUNC, &obj, err);
    if (out) *out = st ? NULL : (b8g_func *)obj;
    return st;
}

void b8g_func_signature(const b8g_func *fn, uint32_t *nparams,
                        const b8g_valtype **params, uint32_t *nresults,
                        const b8g_valtype **results)
{
    const FuncInst *f = (const FuncInst *)fn;
    const CanonType *c = store_canon(f->inst->store, f->canon);
    if (nparams) *nparams = c->ft.nparams;
    if (params) *params = c->api_types;
    if (nresults) *nresults = c->ft.nresults;
    if (results) *results = c->api_types + c->ft.nparams;
}

b8g_status b8g_export_func(b8g_instance *inst, const char *name,
                           uint32_t *nparams, const b8g_valtype **params,
                           uint32_t *nresults, const b8g_valtype **results)
{
    void *obj;
    b8g_status st = api_find_export(inst, name, EXT_FUNC, &obj, NULL);
    if (st) return st;
    b8g_func_signature(obj, nparams, params, nresults, results);
    return B8G_OK;
}

static b8g_status api_check_args(const b8g_store *s, const FuncType *t,
                                 const char *name, const b8g_val *args,
                                 uint32_t nargs, const b8g_val *results,
                                 uint32_t nresults, b8g_error *err)
{
    if (nargs != t->nparams || (nargs && !args))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "\"%s\" takes %u arguments, got %u", name, t->nparams, nargs);
    for (uint32_t i = 0; i < nargs; i++) {
        b8g_valtype want = (b8g_valtype)ft_params(t)[i];
        if (args[i].type != want)
            return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                           "\"%s\" argument %u: expected %s, got %s", name, i,
                           b8g_valtype_name(want), b8g_valtype_name(args[i].type));
        /* A function of another store would run on this store's stack
         * against its own instance: stores share nothing. */
        if (want == B8G_FUNCREF && args[i].of.ref &&
            ((const FuncInst *)args[i].of.ref)->inst->store != s)
            return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                           "\"%s\" argument %u: function of another store",
                           name, i);
    }
    if (t->nresults && !results)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "\"%s\" returns %u values, results is NULL", name,
                       t->nresults);
    if (nresults < t->nresults)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "\"%s\" returns %u values, room for %u", name,
                       t->nresults, nresults);
    return B8G_OK;
}

static void api_unmarshal(const FuncType *t, const uint64_t *slots, b8g_val *results)
{
    for (uint32_t i = 0; i < t->nresults; i++)
        results[i] = inst_val_from_slot(ft_results(t)[i], slots[i]);
}

/* Runs the interpreter (call or resume) with a slot array big enough for
 * the signature, and types the results. */
static b8g_status api_run(b8g_store *s, FuncInst *f, const FuncType *t,
                          const b8g_val *args, b8g_val *results, b8g_error *err)
{
    struct Thread *th = store_thread(s);
    if (!th)
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot allocate the engine stack");
    uint64_t local[CALL_STACK_SLOTS];
    uint32_t n = t->nparams > t->nresults ? t->nparams : t->nresults;
    uint64_t *slots = n <= CALL_STACK_SLOTS ? local : xmalloc((size_t)n * sizeof *slots);
    for (uint32_t i = 0; args && i < t->nparams; i++) slots[i] = inst_slot_from_val(&args[i]);
    b8g_status st = f ? vm_call(th, f, slots, err) : vm_resume(th, slots, err);
    if (st == B8G_OK) api_unmarshal(t, slots, results);
    if (slots != local) free(slots);
    return st;
}

b8g_status b8g_call(b8g_instance *inst, const char *name, const b8g_val *args,
                    uint32_t nargs, b8g_val *results, uint32_t nresults,
                    b8g_error *err)
{
    b8g_error local; /* the interpreter always gets somewhere to write */
    if (!err) err = &local;
    void *obj;
    b8g_status st = api_find_export(inst, name, EXT_FUNC, &obj, err);
    if (st) return st;
    return b8g_call_func(obj, args, nargs, results, nresults, err);
}

b8g_status b8g_call_func(b8g_func *fn, const b8g_val *args, uint32_t nargs,
                         b8g_val *results, uint32_t nresults, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!fn) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null function");
    FuncInst *f = (FuncInst *)fn;
    b8g_store *s = f->inst->store;
    const char *name = "function";
    b8g_status st = api_check_args(s, f->type, name, args, nargs, results,
                                   nresults, err);
    if (st) return st;
    if (s->suspended)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "a call is suspended in this store: resume or abort it first");
    st = api_run(s, f, f->type, args, results, err);
    if (st == B8G_SUSPENDED) {
        s->suspended = true;
        s->susp_canon = f->canon;
    }
    return st;
}

b8g_status b8g_resume(b8g_store *s, b8g_val *results, uint32_t nresults,
                      b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!s || !s->suspended)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "no call is suspended");
    const FuncType *t = &store_canon(s, s->susp_canon)->ft;
    if (nresults < t->nresults || (t->nresults && !results))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "the suspended call returns %u values, room for %u",
                       t->nresults, nresults);
    b8g_status st = api_run(s, NULL, t, NULL, results, err);
    if (st != B8G_SUSPENDED) s->suspended = false;
    return st;
}

void b8g_abort(b8g_store *s)
{
    if (!s || !s->suspended) return;
    vm_abort(s->thread);
    s->suspended = false;
}

bool b8g_suspended(const b8g_store *s)
{
    return s && s->suspended;
}

uint32_t b8g_suspended_results(const b8g_store *s, const b8g_valtype **types)
{
    if (!b8g_suspended(s)) {
        if (types) *types = NULL;
        return 0;
    }
    const CanonType *c = store_canon(s, s->susp_canon);
    if (types) *types = c->api_types + c->ft.nparams;
    return c->ft.nresults;
}

b8g_status b8g_export_global(b8g_instance *inst, const char *name, b8g_val *out)
{
    void *obj;
    b8g_status st = api_find_export(inst, name, EXT_GLOBAL, &obj, NULL);
    if (st) return st;
    if (!out) return B8G_ARG;
    const GlobalInst *g = obj;
    *out = inst_val_from_slot(g->type, g->val);
    return B8G_OK;
}

/* Memory 0 of a module instance; for a host instance, its first memory. */
static Memory *api_instance_mem(const b8g_instance *inst)
{
    if (inst->mod) return inst->mem0;
    for (uint32_t i = 0; i < inst->nhost_exports; i++)
        if (inst->host_exports[i].kind == EXT_MEMORY) return inst->host_exports[i].obj;
    return NULL;
}

uint8_t *b8g_instance_memory(b8g_instance *inst, uint64_t *size)
{
    Memory *m = inst ? api_instance_mem(inst) : NULL;
    if (size) *size = m ? m->size : 0;
    return m ? m->base : NULL;
}
