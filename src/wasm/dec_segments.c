/*
 * dec_segments.c - element, data count and data sections.
 *
 * An element segment's flags (0-7) are three bits:
 *   bit 0  0: active            1: passive (bit 1 = 0) or declarative (bit 1 = 1)
 *   bit 1  for active segments: an explicit table index follows
 *   bit 2  0: items are function indices, after an element kind (0x00 = funcref)
 *          1: items are constant expressions, after a reference type
 * Flags 0 and 4 (active, table 0) carry neither kind nor type: funcref.
 * A data segment's flags are 0 (active, memory 0), 1 (passive) or 2 (active,
 * explicit memory index).
 */
#include "wasm/dec_internal.h"

#define ELEM_PASSIVE_OR_DECL 1u
#define ELEM_EXPLICIT_TABLE 2u
#define ELEM_EXPRS 4u

static b8g_status read_elem_kind(Dec *d, ValType *out)
{
    uint64_t at = rd_offset(&d->r);
    uint8_t b;
    b8g_status st = rd_u8(&d->r, &b, d->err);
    if (st) return st;
    if (b != 0x00) return err_set(d->err, B8G_MALFORMED, at, "malformed element kind");
    *out = VT_FUNCREF;
    return B8G_OK;
}

static b8g_status read_elem_items(Dec *d, ElemSeg *e, bool exprs)
{
    uint32_t n;
    b8g_status st = dec_count(d, LIM_TABLE_ELEMS, "segment elements", &n);
    if (st) return st;
    e->items = n ? xcalloc(n, sizeof *e->items) : NULL;
    e->count = n;
    for (uint32_t i = 0; i < n; i++) {
        ConstExpr *it = &e->items[i];
        if (exprs) {
            st = dec_const_expr(d, it);
        } else {
            uint32_t idx;
            it->offset = rd_offset(&d->r);
            it->op = OPC_REF_FUNC;
            st = rd_u32(&d->r, &idx, d->err);
            it->value = idx;
        }
        if (st) return st;
    }
    return B8G_OK;
}

static b8g_status read_elem(Dec *d, ElemSeg *e)
{
    e->offset_in_module = rd_offset(&d->r);
    uint32_t flags;
    b8g_status st = rd_u32(&d->r, &flags, d->err);
    if (st) return st;
    if (flags > 7)
        return err_set(d->err, B8G_MALFORMED, e->offset_in_module,
                       "malformed elements segment kind");
    e->type = VT_FUNCREF;
    if (flags & ELEM_PASSIVE_OR_DECL) {
        e->mode = (flags & ELEM_EXPLICIT_TABLE) ? SEG_DECLARATIVE : SEG_PASSIVE;
    } else {
        e->mode = SEG_ACTIVE;
        if (flags & ELEM_EXPLICIT_TABLE) st = rd_u32(&d->r, &e->table, d->err);
        if (!st) st = dec_const_expr(d, &e->offset);
        if (st) return st;
    }
    bool exprs = flags & ELEM_EXPRS;
    if (flags & (ELEM_PASSIVE_OR_DECL | ELEM_EXPLICIT_TABLE)) {
        st = exprs ? ins_read_reftype(&d->r, &e->type, d->err) : read_elem_kind(d, &e->type);
        if (st) return st;
    }
    return read_elem_items(d, e, exprs);
}

b8g_status dec_elem_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_ELEM_SEGMENTS, "element segments", &n);
    if (st) return st;
    m->elems = xcalloc(n, sizeof *m->elems);
    m->nelems = n;
    for (uint32_t i = 0; i < n; i++) {
        st = read_elem(d, &m->elems[i]);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status dec_datacount_section(Dec *d)
{
    d->m->has_datacount = true;
    return rd_u32(&d->r, &d->m->datacount, d->err);
}

static b8g_status read_data(Dec *d, DataSeg *s)
{
    s->offset_in_module = rd_offset(&d->r);
    uint32_t flags, len;
    b8g_status st = rd_u32(&d->r, &flags, d->err);
    if (st) return st;
    switch (flags) {
    case 0:
        s->mode = SEG_ACTIVE;
        st = dec_const_expr(d, &s->offset);
        break;
    case 1:
        s->mode = SEG_PASSIVE;
        break;
    case 2:
        s->mode = SEG_ACTIVE;
        st = rd_u32(&d->r, &s->mem, d->err);
        if (!st) st = dec_const_expr(d, &s->offset);
        break;
    default:
        return err_set(d->err, B8G_MALFORMED, s->offset_in_module,
                       "malformed data segment kind");
    }
    if (st) return st;
    st = rd_len(&d->r, &len, d->err);
    if (st) return st;
    s->len = len;
    return rd_bytes(&d->r, len, &s->bytes, d->err);
}

b8g_status dec_data_section(Dec *d)
{
    Module *m = d->m;
    uint32_t n;
    b8g_status st = dec_count(d, LIM_DATA_SEGMENTS, "data segments", &n);
    if (st) return st;
    m->datas = xcalloc(n, sizeof *m->datas);
    m->ndatas = n;
    for (uint32_t i = 0; i < n; i++) {
        st = read_data(d, &m->datas[i]);
        if (st) return st;
    }
    return B8G_OK;
}
