/*
 * module.c - freeing a module, and looking up its names.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "exec/exec.h"
#include "wasm/module.h"

static void free_funcs(Module *m)
{
    /* funcs is allocated together with nfuncs (function section), so the
     * count is right even when decoding stopped halfway */
    uint32_t n = m->funcs ? m->nfuncs - m->nimported_funcs : 0;
    for (uint32_t i = 0; i < n; i++) {
        free(m->funcs[i].local_types);
        if (m->funcs[i].xl != m->funcs[i].stub) xl_free(m->funcs[i].xl);
        xl_free(m->funcs[i].stub);
    }
    free(m->funcs);
    free(m->func_types);
}

static void free_imports_exports(Module *m)
{
    for (uint32_t i = 0; i < m->nimports; i++) {
        free(m->imports[i].module.str);
        free(m->imports[i].field.str);
    }
    free(m->imports);
    for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name.str);
    free(m->exports);
}

static void free_customs_and_names(Module *m)
{
    for (uint32_t i = 0; i < m->ncustoms; i++) free(m->customs[i].name.str);
    free(m->customs);
    free(m->names.module.str);
    for (uint32_t i = 0; i < m->names.nfuncs; i++) free(m->names.funcs[i].name.str);
    free(m->names.funcs);
}

static void free_stored(Module *m)
{
    free(m->stored);
    if (m->stored_mapped) munmap(m->stored_mem, m->stored_len);
    else free(m->stored_mem);
}

void mod_free(Module *m)
{
    if (!m) return;
    free_stored(m);
    for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
    free(m->types);
    free_imports_exports(m);
    free_funcs(m);
    free(m->tables);
    free(m->mems);
    free(m->globals);
    for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
    free(m->elems);
    free(m->datas);
    free_customs_and_names(m);
    free(m->func_declared);
    free(m->bytes);
    free(m);
}

const char *mod_func_label(const Module *m, uint32_t idx)
{
    const char *name = mod_func_name(m, idx);
    for (uint32_t i = 0; !name && i < m->nexports; i++)
        if (m->exports[i].kind == EXT_FUNC && m->exports[i].idx == idx)
            name = m->exports[i].name.str;
    return name;
}

const char *mod_func_name(const Module *m, uint32_t idx)
{
    const NameEntry *e = m->names.funcs;
    uint32_t lo = 0, hi = m->names.nfuncs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (e[mid].idx == idx) return e[mid].name.str;
        if (e[mid].idx < idx) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

char mod_sig_letter(ValType t)
{
    switch (t) {
    case VT_I32: return 'i';
    case VT_I64: return 'I';
    case VT_F32: return 'f';
    case VT_F64: return 'F';
    case VT_FUNCREF: return 'r';
    case VT_EXTERNREF: return 'e';
    default: return 0;
    }
}
