/*
 * module.c - loading modules and querying them (b8g_module_*).
 *
 * Loading is the pipeline decode -> validate -> translate; the first
 * failure is the error the caller sees, and nothing half-built escapes.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "debug/debug.h"
#include "exec/exec.h"
#include "util/err.h"
#include "wasm/decode.h"
#include "wasm/limits.h"
#include "wasm/validate.h"

static b8g_status module_load(const uint8_t *bytes, size_t len, bool debug_stops, bool lazy,
                              b8g_module **out, b8g_error *err)
{
    if (out) *out = NULL;
    if (!out || (!bytes && len))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_module_load");
    if (len > LIM_MODULE_BYTES)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "module too large: %zu bytes (limit %u)", len, LIM_MODULE_BYTES);
    static const uint8_t empty[1];
    Module *m = NULL;
    b8g_status st = dec_module(bytes ? bytes : empty, len, &m, err);
    if (lazy) {
        if (!st) st = val_module_decls(m, err);
        if (!st) xl_translate_lazy(m);
    } else {
        if (!st) st = val_module(m, err);
        if (!st) {
            m->debug_stops = debug_stops;
            st = xl_translate_module(m, err);
        }
    }
    if (st) {
        if (m) mod_free(m);
        return st;
    }
    b8g_module *bm = xcalloc(1, sizeof *bm);
    bm->mod = m;
    bm->refs = 1;
    m->owner = bm;
    *out = bm;
    return B8G_OK;
}

b8g_status b8g_module_load(const uint8_t *bytes, size_t len, b8g_module **out,
                           b8g_error *err)
{
    return module_load(bytes, len, false, false, out, err);
}

b8g_status b8g_module_load_debug(const uint8_t *bytes, size_t len, b8g_module **out,
                                 b8g_error *err)
{
    return module_load(bytes, len, true, false, out, err);
}

b8g_status b8g_module_load_lazy(const uint8_t *bytes, size_t len, b8g_module **out,
                                b8g_error *err)
{
    return module_load(bytes, len, false, true, out, err);
}

void b8g_module_code_stats(const b8g_module *m, b8g_code_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!m) return;
    const Module *mod = m->mod;
    out->lazy = mod->lazy;
    out->functions = mod->nfuncs - mod->nimported_funcs;
    out->translated = __atomic_load_n(&mod->xl_translated, __ATOMIC_RELAXED);
    out->taken = __atomic_load_n(&mod->xl_taken, __ATOMIC_RELAXED);
}

void api_module_ref(b8g_module *m)
{
    __atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
}

void b8g_module_free(b8g_module *m)
{
    if (!m) return;
    if (__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    dbg_release(m->mod);
    mod_free(m->mod);
    free(m);
}

uint32_t b8g_module_export_count(const b8g_module *m)
{
    return m ? m->mod->nexports : 0;
}

const char *b8g_module_export_name(const b8g_module *m, uint32_t i,
                                   b8g_extern_kind *kind)
{
    if (!m || i >= m->mod->nexports) return NULL;
    const Export *e = &m->mod->exports[i];
    if (kind) *kind = (b8g_extern_kind)e->kind;
    return e->name.str;
}

uint32_t b8g_module_custom_count(const b8g_module *m)
{
    return m ? m->mod->ncustoms : 0;
}

const uint8_t *b8g_module_custom(const b8g_module *m, uint32_t i,
                                 const char **name, size_t *len)
{
    if (!m || i >= m->mod->ncustoms) return NULL;
    const CustomSection *c = &m->mod->customs[i];
    if (name) *name = c->name.str;
    if (len) *len = c->len;
    return c->data;
}

uint32_t b8g_module_source(const b8g_module *m, uint64_t code_offset,
                           b8g_source_loc *out, uint32_t cap)
{
    if (!m || (!out && cap)) return 0;
    return dbg_source(dbg_module(m->mod), code_offset, out, cap);
}

uint32_t b8g_module_line_offsets(const b8g_module *m, const char *file, uint32_t line,
                                 uint64_t *out, uint32_t cap, const char **path)
{
    if (path) *path = NULL;
    if (!m || (!out && cap)) return 0;
    return dbg_line_offsets(dbg_module(m->mod), file, line, out, cap, path);
}

bool b8g_module_has_debug_info(const b8g_module *m)
{
    return m && dbg_usable(dbg_module(m->mod));
}

uint32_t b8g_module_import_count(const b8g_module *m)
{
    return m ? m->mod->nimports : 0;
}

b8g_status b8g_module_import(const b8g_module *m, uint32_t i,
                             b8g_import_info *out)
{
    if (!m || !out || i >= m->mod->nimports) return B8G_ARG;
    const Import *im = &m->mod->imports[i];
    *out = (b8g_import_info){
        .module = im->module.str,
        .module_len = im->module.len,
        .field = im->field.str,
        .field_len = im->field.len,
        .kind = (b8g_extern_kind)im->kind,
    };
    switch (im->kind) {
    case EXT_FUNC:
        break;
    case EXT_TABLE:
        out->type = (b8g_valtype)im->desc.table.elem;
        out->min = im->desc.table.lim.min;
        out->max = im->desc.table.lim.max;
        out->has_max = im->desc.table.lim.has_max;
        break;
    case EXT_MEMORY:
        out->min = im->desc.mem.min;
        out->max = im->desc.mem.max;
        out->has_max = im->desc.mem.has_max;
        break;
    case EXT_GLOBAL:
        out->type = (b8g_valtype)im->desc.global.type;
        out->mutable_ = im->desc.global.mut;
        break;
    }
    return B8G_OK;
}

size_t b8g_module_import_sig(const b8g_module *m, uint32_t i, char *buf,
                             size_t n)
{
    if (!m || i >= m->mod->nimports || m->mod->imports[i].kind != EXT_FUNC)
        return 0;
    const FuncType *ft = &m->mod->types[m->mod->imports[i].desc.type_idx];
    size_t need = (size_t)ft->nparams + ft->nresults + 1;
    for (size_t k = 0, w = 0; k < need; k++, w++) {
        char c = ':';
        if (k != ft->nparams) {
            c = mod_sig_letter(ft->types[k < ft->nparams ? k : k - 1]);
            if (!c) return 0;
        }
        if (buf && w + 1 < n) buf[w] = c;
    }
    if (buf && n) buf[need < n ? need : n - 1] = '\0';
    return need;
}
