/*
 * abbrev.c - a unit's abbreviation table (.debug_abbrev): for each code,
 * the DIE's tag, whether it has children, and its attributes and forms.
 */
#include <stdlib.h>

#include "debug/dwarf.h"
#include "util/sort.h"

void dw_abbrevs_free(DwAbbrevs *a)
{
    free(a->v);
    free(a->specs);
    *a = (DwAbbrevs){.offset = DW_ABSENT};
}

/* Room for one more of *n entries of `elem` bytes.  Every abbreviation and
 * attribute takes at least one byte of the section, so the counts are
 * bounded by its size. */
static bool room(void **v, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap) return true;
    if (*cap >= UINT32_MAX / 2) return false;
    uint32_t want = *cap ? *cap * 2 : 32;
    void *p = realloc(*v, (size_t)want * elem);
    if (!p) return false;
    *v = p;
    *cap = want;
    return true;
}

static uint32_t narrow(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

static int cmp_code(const void *x, const void *y)
{
    const DwAbbrev *a = x, *b = y;
    return a->code < b->code ? -1 : a->code > b->code;
}

enum { FORM_IMPLICIT_CONST = 0x21 };

/* One declaration's attribute specifications, up to their (0, 0) end. */
static bool read_specs(DwCursor *c, DwAbbrevs *a, uint32_t *cap, DwBudget *b)
{
    for (;;) {
        const uint8_t *at = c->p;
        uint64_t name = dc_uleb(c), form = dc_uleb(c);
        int64_t implicit = form == FORM_IMPLICIT_CONST ? dc_sleb(c) : 0;
        if (c->bad || !dw_spend(b, (uint64_t)(c->p - at))) return false;
        if (name == 0 && form == 0) return true;
        if (!room((void **)&a->specs, a->nspecs, cap, sizeof *a->specs)) return false;
        a->specs[a->nspecs++] = (DwAttrSpec){narrow(name), narrow(form), implicit};
    }
}

bool dw_abbrevs_load(DwSlice sec, uint64_t off, DwBudget *b, DwAbbrevs *a)
{
    if (a->offset == off && a->v) return true;
    dw_abbrevs_free(a);
    DwCursor c = dc_at(sec, off);
    uint32_t cap = 0, cap_specs = 0;
    bool sorted = true;
    for (;;) {
        const uint8_t *at = c.p;
        uint64_t code = dc_uleb(&c);
        if (c.bad || code == 0) break;
        uint64_t tag = dc_uleb(&c);
        uint8_t children = dc_u8(&c);
        if (c.bad || !dw_spend(b, (uint64_t)(c.p - at))) break;
        if (!room((void **)&a->v, a->n, &cap, sizeof *a->v)) break;
        DwAbbrev *e = &a->v[a->n];
        *e = (DwAbbrev){code, narrow(tag), children != 0, a->nspecs, 0};
        if (!read_specs(&c, a, &cap_specs, b)) break;
        e->nattrs = a->nspecs - e->first;
        if (a->n && a->v[a->n - 1].code >= code) sorted = false;
        a->n++;
    }
    /* A table cut short keeps its complete entries: DIEs using the others
     * end their unit's walk. */
    if (!a->n) {
        dw_abbrevs_free(a);
        return false;
    }
    if (!sorted) util_sort(a->v, a->n, sizeof *a->v, cmp_code);
    a->offset = off;
    return true;
}

const DwAbbrev *dw_abbrev(const DwAbbrevs *a, uint64_t code)
{
    /* Producers number codes 1, 2, ...: try the direct slot first. */
    if (code >= 1 && code <= a->n && a->v[code - 1].code == code)
        return &a->v[code - 1];
    uint32_t lo = 0, hi = a->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a->v[mid].code < code) lo = mid + 1;
        else hi = mid;
    }
    return lo < a->n && a->v[lo].code == code ? &a->v[lo] : NULL;
}
