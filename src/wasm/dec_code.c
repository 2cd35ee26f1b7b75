/*
 * dec_code.c - the code section: for each body its size, its locals
 * expanded to one type per local, and the range of its instructions.
 *
 * The instructions themselves are read by the validator (through
 * ins_read), which walks every body anyway; decoding them here too would
 * only read each body twice.
 */
#include <stdlib.h>

#include "wasm/dec_internal.h"

/*
 * Reads the local runs (count, type).  With fill == NULL it only checks
 * them and sums the counts; with fill it stores the expanded types.  Two
 * passes, so the total is checked before anything is allocated: a run says
 * "4 billion i32" in five bytes.
 */
static b8g_status read_local_runs(Dec *d, uint32_t nruns, ValType *fill, uint64_t *total)
{
    *total = 0;
    for (uint32_t i = 0; i < nruns; i++) {
        uint32_t count;
        ValType t;
        b8g_status st = rd_u32(&d->r, &count, d->err);
        if (st) return st;
        st = ins_read_valtype(&d->r, &t, d->err);
        if (st) return st;
        if (fill) {
            for (uint32_t k = 0; k < count; k++) fill[*total + k] = t;
        }
        *total += count;
    }
    return B8G_OK;
}

static b8g_status read_locals(Dec *d, Func *f)
{
    uint64_t at = rd_offset(&d->r);
    uint32_t nruns;
    uint64_t total;
    b8g_status st = rd_len(&d->r, &nruns, d->err);
    if (st) return st;
    const uint8_t *runs = d->r.p;
    st = read_local_runs(d, nruns, NULL, &total);
    if (st) return st;
    if (total > UINT32_MAX)
        return err_set(d->err, B8G_MALFORMED, at, "too many locals");
    if (total > LIM_LOCALS)
        return err_set(d->err, B8G_LIMIT, at, "too many locals (limit %u)", LIM_LOCALS);
    if (d->total_locals + total > LIM_TOTAL_LOCALS)
        return err_set(d->err, B8G_LIMIT, at, "too many locals in module (limit %u)",
                       LIM_TOTAL_LOCALS);
    d->total_locals += total;
    f->nlocals = (uint32_t)total;
    f->local_types = total ? xmalloc(total) : NULL;
    d->r.p = runs;
    return read_local_runs(d, nruns, f->local_types, &total);
}

static b8g_status read_body(Dec *d, Func *f)
{
    f->body_offset = rd_offset(&d->r);
    uint32_t size;
    b8g_status st = rd_len(&d->r, &size, d->err);
    if (st) return st;
    if (size > LIM_FUNC_BYTES)
        return err_set(d->err, B8G_LIMIT, f->body_offset,
                       "function body too large (limit %u bytes)", LIM_FUNC_BYTES);
    uint64_t start = rd_offset(&d->r);
    /* rd_len allows up to the prefix's own length past the end */
    if (size > rd_left(&d->r))
        return err_set(d->err, B8G_MALFORMED, d->m->len,
                       "unexpected end of section or function");
    const uint8_t *end = d->r.p + size;
    st = read_locals(d, f);
    if (st) return st;
    if (d->r.p > end)
        return err_set(d->err, B8G_MALFORMED, start, "section size mismatch");
    f->code = d->r.p;
    f->code_len = (uint32_t)(end - d->r.p);
    f->code_offset = rd_offset(&d->r);
    d->r.p = end;
    return B8G_OK;
}

b8g_status dec_code_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_FUNCS, "function bodies", &n);
    if (st) return st;
    d->ncode = n;
    for (uint32_t i = 0; i < n; i++) {
        /* Bodies beyond the function section's count are still read, so
         * errors inside them come first, as in the reference; the count
         * mismatch is reported after all sections. */
        Func scratch = {0};
        Func *f = i < d->ndeclared ? &m->funcs[i] : &scratch;
        st = read_body(d, f);
        free(scratch.local_types);
        if (st) return st;
    }
    return B8G_OK;
}
