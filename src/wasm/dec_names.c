/*
 * dec_names.c - custom sections, and the "name" custom section.
 *
 * Every custom section is kept (name + payload pointing into the module's
 * copy of the bytes).  Only the custom section's own name is checked: the
 * spec does not validate payloads, so a broken "name" section must not fail
 * the module - its names are simply dropped.  Of several "name" sections
 * only the first is read.
 *
 * Name section layout: subsections (id u8, size u32, content) in increasing
 * id order, each at most once; id 0 holds the module name, id 1 a name map
 * (vec of (funcidx, name), funcidx strictly increasing).  Others are skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "wasm/dec_internal.h"

#define NAME_SUB_MODULE 0
#define NAME_SUB_FUNCS 1

/* Reading is lenient: no error message is kept, only success or not. */
static bool read_name_copy(Reader *r, Name *out)
{
    const uint8_t *s;
    uint32_t n;
    if (rd_name(r, &s, &n, NULL) || n > LIM_NAME_BYTES) return false;
    out->str = xstrndup((const char *)s, n);
    out->len = n;
    return true;
}

static bool read_func_names(Module *m, Reader *r)
{
    uint32_t n;
    if (rd_len(r, &n, NULL) || n > LIM_FUNCS) return false;
    m->names.funcs = xcalloc(n, sizeof *m->names.funcs);
    m->names.nfuncs = n;
    for (uint32_t i = 0; i < n; i++) {
        NameEntry *e = &m->names.funcs[i];
        if (rd_u32(r, &e->idx, NULL)) return false;
        /* sorted and unique is what lets mod_func_name binary-search */
        if (i > 0 && e->idx <= m->names.funcs[i - 1].idx) return false;
        if (!read_name_copy(r, &e->name)) return false;
    }
    return true;
}

static bool read_name_subsections(Module *m, Reader *r)
{
    int last_id = -1;
    while (!rd_eof(r)) {
        uint8_t id;
        uint32_t size;
        Reader sub;
        if (rd_u8(r, &id, NULL) || rd_u32(r, &size, NULL)) return false;
        if (rd_sub(r, size, &sub, NULL)) return false;
        if ((int)id <= last_id) return false;
        last_id = id;
        bool ok = true;
        if (id == NAME_SUB_MODULE) ok = read_name_copy(&sub, &m->names.module);
        else if (id == NAME_SUB_FUNCS) ok = read_func_names(m, &sub);
        else continue;
        if (!ok || !rd_eof(&sub)) return false;
    }
    return true;
}

static void drop_names(Module *m)
{
    free(m->names.module.str);
    for (uint32_t i = 0; i < m->names.nfuncs; i++) free(m->names.funcs[i].name.str);
    free(m->names.funcs);
    memset(&m->names, 0, sizeof m->names);
}

void dec_names(Module *m, const uint8_t *data, size_t len)
{
    Reader r = {.base = m->bytes, .p = data, .end = data + len};
    if (!read_name_subsections(m, &r)) drop_names(m);
}

static void append_custom(Dec *d, const CustomSection *cs)
{
    Module *m = d->m;
    if (m->ncustoms == d->customs_cap) {
        d->customs_cap = d->customs_cap ? d->customs_cap * 2 : 4;
        m->customs = xrealloc(m->customs, (size_t)d->customs_cap * sizeof *m->customs);
    }
    m->customs[m->ncustoms++] = *cs;
}

b8g_status dec_custom_section(Dec *d, uint32_t size)
{
    Module *m = d->m;
    uint64_t start = rd_offset(&d->r);
    CustomSection cs = {0};
    b8g_status st = dec_name(d, &cs.name);
    if (st) return st;
    uint64_t used = rd_offset(&d->r) - start;
    /* a name longer than the section, or a size that (within rd_len's
     * slack) runs past the input, both leave the payload short */
    if (used > size || size - used > rd_left(&d->r)) {
        free(cs.name.str);
        return err_set(d->err, B8G_MALFORMED, rd_offset(&d->r),
                       "unexpected end of section or function");
    }
    if (m->ncustoms >= LIM_CUSTOMS) {
        free(cs.name.str);
        return err_set(d->err, B8G_LIMIT, start, "too many custom sections (limit %u)",
                       LIM_CUSTOMS);
    }
    cs.data = d->r.p;
    cs.len = (size_t)(size - used);
    cs.offset = rd_offset(&d->r);
    d->r.p += cs.len;
    append_custom(d, &cs);
    if (!d->names_seen && cs.name.len == 4 && memcmp(cs.name.str, "name", 4) == 0) {
        d->names_seen = true;
        dec_names(m, cs.data, cs.len);
    }
    return B8G_OK;
}
