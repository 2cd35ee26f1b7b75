/*
 * host.c - host instances: functions, globals, memories and tables that the
 * embedder creates and modules import (b8g_host_*).
 *
 * A host instance has no Module; its exports are the HostExport list, and
 * it owns every object on it.  A host function's FuncInst, FuncType and
 * type array are one allocation, freed together.
 */
#include <stdlib.h>
#include <string.h>

#include "rt/store.h"
#include "util/err.h"
#include "wasm/limits.h"

typedef struct HostFunc {
    FuncInst fi;
    FuncType ft;
    ValType types[];
} HostFunc;

b8g_instance *b8g_host_instance_new(b8g_store *s)
{
    if (!s) return NULL;
    b8g_instance *h = xcalloc(1, sizeof *h);
    store_add_instance(s, h);
    return h;
}

static bool host_has_export(const b8g_instance *h, const char *name, size_t len)
{
    for (uint32_t i = 0; i < h->nhost_exports; i++)
        if (h->host_exports[i].name.len == len &&
            memcmp(h->host_exports[i].name.str, name, len) == 0)
            return true;
    return false;
}

/* Checks the name is new; a duplicate would make the import ambiguous. */
static b8g_status host_check(const b8g_instance *h, const char *name)
{
    if (!h || h->mod || !name) return B8G_ARG;
    size_t len = strlen(name);
    if (len > LIM_NAME_BYTES || host_has_export(h, name, len)) return B8G_ARG;
    return B8G_OK;
}

static void host_add(b8g_instance *h, const char *name, ExternKind kind, void *obj)
{
    uint32_t n = h->nhost_exports;
    /* Grow at powers of two. */
    if ((n & (n - 1)) == 0)
        h->host_exports = xrealloc(h->host_exports,
                                   (n ? 2 * (size_t)n : 1) * sizeof *h->host_exports);
    size_t len = strlen(name);
    h->host_exports[n] = (HostExport){{xstrndup(name, len), (uint32_t)len}, kind, obj};
    h->nhost_exports = n + 1;
}

static bool host_sig_type(char c, ValType *out)
{
    switch (c) {
    case 'i': *out = VT_I32; return true;
    case 'I': *out = VT_I64; return true;
    case 'f': *out = VT_F32; return true;
    case 'F': *out = VT_F64; return true;
    case 'r': *out = VT_FUNCREF; return true;
    case 'e': *out = VT_EXTERNREF; return true;
    default: return false;
    }
}

/* Parses "PARAMS:RESULTS" into a HostFunc, or NULL if malformed. */
static HostFunc *host_parse_sig(const char *sig)
{
    const char *colon = strchr(sig, ':');
    if (!colon || strchr(colon + 1, ':')) return NULL;
    size_t np = (size_t)(colon - sig), nr = strlen(colon + 1);
    if (np > LIM_PARAMS || nr > LIM_RESULTS) return NULL;
    HostFunc *hf = xcalloc(1, sizeof *hf + np + nr);
    for (size_t i = 0; i < np + nr; i++) {
        char c = i < np ? sig[i] : colon[1 + i - np];
        if (!host_sig_type(c, &hf->types[i])) {
            free(hf);
            return NULL;
        }
    }
    hf->ft = (FuncType){(uint32_t)np, (uint32_t)nr, hf->types};
    return hf;
}

b8g_status b8g_host_func(b8g_instance *h, const char *name, const char *sig,
                         b8g_host_fn fn, void *user)
{
    if (host_check(h, name) || !sig || !fn) return B8G_ARG;
    HostFunc *hf = host_parse_sig(sig);
    if (!hf) return B8G_ARG;
    hf->fi.canon = store_canon_type(h->store, &hf->ft);
    hf->fi.type = &hf->ft;
    hf->fi.inst = h;
    hf->fi.idx = h->nhost_exports;
    hf->fi.host = fn;
    hf->fi.user = user;
    host_add(h, name, EXT_FUNC, &hf->fi);
    hf->fi.host_name = h->host_exports[h->nhost_exports - 1].name.str;
    return B8G_OK;
}

b8g_status b8g_host_global(b8g_instance *h, const char *name, b8g_val v,
                           bool mutable_)
{
    if (host_check(h, name)) return B8G_ARG;
    switch (v.type) {
    case B8G_I32: case B8G_I64: case B8G_F32: case B8G_F64:
    case B8G_FUNCREF: case B8G_EXTERNREF:
        break;
    default:
        return B8G_ARG; /* v128 is not supported */
    }
    /* Stores share nothing: a function of another store may not enter. */
    if (v.type == B8G_FUNCREF && v.of.ref &&
        ((const FuncInst *)v.of.ref)->inst->store != h->store)
        return B8G_ARG;
    GlobalInst *g = xcalloc(1, sizeof *g);
    g->val = inst_slot_from_val(&v);
    g->type = (ValType)v.type;
    g->mut = mutable_;
    host_add(h, name, EXT_GLOBAL, g);
    return B8G_OK;
}

b8g_status b8g_host_memory(b8g_instance *h, const char *name,
                           uint32_t min_pages, uint32_t max_pages, bool has_max)
{
    if (host_check(h, name)) return B8G_ARG;
    if (min_pages > WASM_MAX_PAGES) return B8G_ARG;
    if (has_max && (max_pages < min_pages || max_pages > WASM_MAX_PAGES)) return B8G_ARG;
    Memory *m = xcalloc(1, sizeof *m);
    b8g_status st = mem_init(m, min_pages, max_pages, has_max,
                             store_max_pages(h->store), NULL);
    if (st) {
        free(m);
        return st;
    }
    host_add(h, name, EXT_MEMORY, m);
    return B8G_OK;
}

b8g_status b8g_host_table(b8g_instance *h, const char *name, b8g_valtype elem,
                          uint32_t min, uint32_t max, bool has_max)
{
    if (host_check(h, name)) return B8G_ARG;
    if (elem != B8G_FUNCREF && elem != B8G_EXTERNREF) return B8G_ARG;
    if (has_max && max < min) return B8G_ARG;
    Table *t;
    b8g_status st = store_new_table(h->store, &t, (ValType)elem, min, max, has_max, NULL);
    if (st) return st;
    host_add(h, name, EXT_TABLE, t);
    return B8G_OK;
}

void host_release(b8g_instance *h)
{
    for (uint32_t i = 0; i < h->nhost_exports; i++) {
        HostExport *e = &h->host_exports[i];
        switch (e->kind) {
        case EXT_FUNC: free(e->obj); break; /* the HostFunc block */
        case EXT_TABLE: table_release(e->obj); free(e->obj); break;
        case EXT_MEMORY: mem_release(e->obj); free(e->obj); break;
        case EXT_GLOBAL: free(e->obj); break;
        }
        free(e->name.str);
    }
    free(h->host_exports);
    h->host_exports = NULL;
    h->nhost_exports = 0;
}
