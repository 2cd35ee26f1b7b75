/*
 * dec_sections.c - the declaration sections: type, import, function,
 * table, memory, global, export and start, and the index spaces they build.
 *
 * Imports come first in every index space.  The import section precedes
 * all the sections that define functions, tables, memories and globals, so
 * when one of those is read the imported part of its space is already known
 * and the whole space is allocated at once; a space whose section is absent
 * is filled from the imports at the end (dec_finish_index_spaces).
 */
#include <stdlib.h>

#include "wasm/dec_internal.h"

/* What is left of a cap once `used` entries came from imports. */
static uint32_t cap_left(uint32_t cap, uint32_t used)
{
    return used >= cap ? 0 : cap - used;
}

static b8g_status read_mutability(Dec *d, bool *out)
{
    uint64_t at = rd_offset(&d->r);
    uint8_t b;
    b8g_status st = rd_u8(&d->r, &b, d->err);
    if (st) return st;
    if (b > 1) return err_set(d->err, B8G_MALFORMED, at, "malformed mutability");
    *out = b == 1;
    return B8G_OK;
}

static b8g_status read_global_type(Dec *d, GlobalType *out)
{
    b8g_status st = ins_read_valtype(&d->r, &out->type, d->err);
    if (st) return st;
    return read_mutability(d, &out->mut);
}

static b8g_status read_table_type(Dec *d, TableType *out)
{
    b8g_status st = ins_read_reftype(&d->r, &out->elem, d->err);
    if (st) return st;
    return dec_limits(d, &out->lim);
}

/* ---- index spaces ------------------------------------------------------- */

static void alloc_func_space(Module *m, uint32_t ndefined)
{
    m->nfuncs = m->nimported_funcs + ndefined;
    m->func_types = xcalloc(m->nfuncs, sizeof *m->func_types);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_FUNC) m->func_types[k++] = m->imports[i].desc.type_idx;
}

static void alloc_table_space(Module *m, uint32_t ndefined)
{
    m->ntables = m->nimported_tables + ndefined;
    m->tables = xcalloc(m->ntables, sizeof *m->tables);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_TABLE) m->tables[k++] = m->imports[i].desc.table;
}

static void alloc_mem_space(Module *m, uint32_t ndefined)
{
    m->nmems = m->nimported_mems + ndefined;
    m->mems = xcalloc(m->nmems, sizeof *m->mems);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_MEMORY) m->mems[k++] = m->imports[i].desc.mem;
}

static void alloc_global_space(Module *m, uint32_t ndefined)
{
    m->nglobals = m->nimported_globals + ndefined;
    m->globals = xcalloc(m->nglobals, sizeof *m->globals);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_GLOBAL) m->globals[k++].type = m->imports[i].desc.global;
}

void dec_finish_index_spaces(Dec *d)
{
    Module *m = d->m;
    if (!m->func_types) alloc_func_space(m, 0);
    if (!m->tables) alloc_table_space(m, 0);
    if (!m->mems) alloc_mem_space(m, 0);
    if (!m->globals) alloc_global_space(m, 0);
}

/* ---- type section ------------------------------------------------------- */

static b8g_status read_func_type(Dec *d, FuncType *ft)
{
    uint64_t at = rd_offset(&d->r);
    uint8_t form;
    b8g_status st = rd_u8(&d->r, &form, d->err);
    if (st) return st;
    /* the form is an s7 LEB128 like every type code (see instr.c) */
    if (form & 0x80)
        return err_set(d->err, B8G_MALFORMED, at, "integer representation too long");
    if (form != 0x60) return err_set(d->err, B8G_MALFORMED, at, "malformed function type");
    uint32_t np, nr;
    st = dec_count(d, LIM_PARAMS, "parameters", &np);
    if (st) return st;
    ft->types = xmalloc(np);
    ft->nparams = np;
    for (uint32_t i = 0; i < np; i++) {
        st = ins_read_valtype(&d->r, &ft->types[i], d->err);
        if (st) return st;
    }
    st = dec_count(d, LIM_RESULTS, "results", &nr);
    if (st) return st;
    ft->types = xrealloc(ft->types, (size_t)np + nr);
    ft->nresults = nr;
    for (uint32_t i = 0; i < nr; i++) {
        st = ins_read_valtype(&d->r, &ft->types[np + i], d->err);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status dec_type_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_TYPES, "types", &n);
    if (st) return st;
    m->types = xcalloc(n, sizeof *m->types);
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++) {
        st = read_func_type(d, &m->types[i]);
        if (st) return st;
    }
    return B8G_OK;
}

/* ---- import section ----------------------------------------------------- */

static b8g_status read_import_desc(Dec *d, Import *im)
{
    Module *m = d->m;
    uint64_t at = rd_offset(&d->r);
    uint8_t kind;
    b8g_status st = rd_u8(&d->r, &kind, d->err);
    if (st) return st;
    switch (kind) {
    case EXT_FUNC:
        im->kind = EXT_FUNC;
        m->nimported_funcs++;
        return rd_u32(&d->r, &im->desc.type_idx, d->err);
    case EXT_TABLE:
        im->kind = EXT_TABLE;
        m->nimported_tables++;
        return read_table_type(d, &im->desc.table);
    case EXT_MEMORY:
        im->kind = EXT_MEMORY;
        m->nimported_mems++;
        return dec_limits(d, &im->desc.mem);
    case EXT_GLOBAL:
        im->kind = EXT_GLOBAL;
        m->nimported_globals++;
        return read_global_type(d, &im->desc.global);
    default:
        return err_set(d->err, B8G_MALFORMED, at, "malformed import kind");
    }
}

b8g_status dec_import_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_IMPORTS, "imports", &n);
    if (st) return st;
    m->imports = xcalloc(n, sizeof *m->imports);
    m->nimports = n;
    for (uint32_t i = 0; i < n; i++) {
        Import *im = &m->imports[i];
        im->offset = rd_offset(&d->r);
        im->kind = EXT_FUNC;
        st = dec_name(d, &im->module);
        if (!st) st = dec_name(d, &im->field);
        if (!st) st = read_import_desc(d, im);
        if (st) return st;
    }
    return B8G_OK;
}

/* ---- function, table, memory, global sections --------------------------- */

b8g_status dec_function_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, cap_left(LIM_FUNCS, m->nimported_funcs), "functions", &n);
    if (st) return st;
    alloc_func_space(m, n);
    m->funcs = xcalloc(n, sizeof *m->funcs);
    d->ndeclared = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *t = &m->func_types[m->nimported_funcs + i];
        st = rd_u32(&d->r, t, d->err);
        if (st) return st;
        m->funcs[i].type_idx = *t;
    }
    return B8G_OK;
}

b8g_status dec_table_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, cap_left(LIM_TABLES, m->nimported_tables), "tables", &n);
    if (st) return st;
    alloc_table_space(m, n);
    for (uint32_t i = 0; i < n; i++) {
        st = read_table_type(d, &m->tables[m->nimported_tables + i]);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status dec_memory_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, cap_left(LIM_MEMORIES, m->nimported_mems), "memories", &n);
    if (st) return st;
    alloc_mem_space(m, n);
    for (uint32_t i = 0; i < n; i++) {
        st = dec_limits(d, &m->mems[m->nimported_mems + i]);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status dec_global_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, cap_left(LIM_GLOBALS, m->nimported_globals), "globals", &n);
    if (st) return st;
    alloc_global_space(m, n);
    for (uint32_t i = 0; i < n; i++) {
        Global *g = &m->globals[m->nimported_globals + i];
        st = read_global_type(d, &g->type);
        if (!st) st = dec_const_expr(d, &g->init);
        if (st) return st;
    }
    return B8G_OK;
}

/* ---- export and start sections ------------------------------------------ */

b8g_status dec_export_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_EXPORTS, "exports", &n);
    if (st) return st;
    m->exports = xcalloc(n, sizeof *m->exports);
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        Export *ex = &m->exports[i];
        ex->offset = rd_offset(&d->r);
        st = dec_name(d, &ex->name);
        if (st) return st;
        uint64_t at = rd_offset(&d->r);
        uint8_t kind;
        st = rd_u8(&d->r, &kind, d->err);
        if (st) return st;
        if (kind > EXT_GLOBAL)
            return err_set(d->err, B8G_MALFORMED, at, "malformed export kind");
        ex->kind = (ExternKind)kind;
        st = rd_u32(&d->r, &ex->idx, d->err);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status dec_start_section(Dec *d)
{
    d->m->has_start = true;
    return rd_u32(&d->r, &d->m->start, d->err);
}
