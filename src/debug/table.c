/*
 * table.c - building a module's source-location tables and looking
 * addresses up in them (table.h has the layout and its invariants).
 */
#include <stdlib.h>
#include <string.h>

#include "debug/table.h"
#include "util/sort.h"

DebugInfo *dbg_new(uint64_t code_start, uint32_t code_size)
{
    DebugInfo *d = xcalloc(1, sizeof *d);
    d->code_start = code_start;
    d->code_size = code_size;
    return d;
}

void dbg_free(DebugInfo *d)
{
    if (!d) return;
    free(d->lines);
    free(d->scopes);
    free(d->funcs);
    free(d->inls);
    free(d->names);
    free(d->pool);
    free(d->vars);
    free(d->globals);
    free(d->blocks);
    free(d->branges);
    free(d->types);
    free(d->fields);
    free(d);
}

bool dbg_grow(bool *full, void **v, uint32_t n, uint32_t *cap, size_t elem,
              uint32_t max)
{
    if (*full) return false;
    if (n < *cap) return true;
    uint32_t want = *cap ? *cap * 2 : 64;
    if (want > max) want = max;
    void *p = n < want ? realloc(*v, (size_t)want * elem) : NULL;
    if (!p) {
        *full = true;
        return false;
    }
    *v = p;
    *cap = want;
    return true;
}

#define GROW(d, arr, n, cap, max) \
    dbg_grow(&(d)->full, (void **)&(d)->arr, (d)->n, &(d)->cap, sizeof *(d)->arr, (max))

/* True if [lo, hi) is non-empty code, after address 0 (table.h). */
static bool in_code(const DebugInfo *d, uint64_t lo, uint64_t hi)
{
    return lo > 0 && lo < hi && hi <= d->code_size;
}

static uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? 0 : (uint32_t)v; }

bool dbg_add_line(DebugInfo *d, uint64_t lo, uint64_t hi, uint32_t file,
                  uint64_t line, uint64_t col)
{
    if (!in_code(d, lo, hi)) return !d->full;
    if (!GROW(d, lines, nlines, cap_lines, DBG_MAX_LINES)) return false;
    d->lines[d->nlines++] = (DbgLine){(uint32_t)lo, (uint32_t)hi, file,
                                      clamp32(line), clamp32(col)};
    return true;
}

uint32_t dbg_add_scope(DebugInfo *d, const DbgScope *s)
{
    if (s->depth >= DBG_MAX_DEPTH) return DBG_NONE;
    if (!GROW(d, scopes, nscopes, cap_scopes, DBG_MAX_SCOPES)) return DBG_NONE;
    uint32_t i = d->nscopes++;
    d->scopes[i] = *s;
    if (s->parent == DBG_NONE) d->scopes[i].top = i;
    d->scopes[i].block = DBG_NONE;
    return i;
}

bool dbg_add_range(DebugInfo *d, uint32_t scope, uint64_t lo, uint64_t hi)
{
    if (scope >= d->nscopes) return !d->full;
    if (!in_code(d, lo, hi)) return !d->full;
    const DbgScope *s = &d->scopes[scope];
    DbgRange r = {(uint32_t)lo, (uint32_t)hi, scope, s->top};
    if (s->parent == DBG_NONE) {
        if (!GROW(d, funcs, nfuncs, cap_funcs, DBG_MAX_RANGES)) return false;
        d->funcs[d->nfuncs++] = r;
    } else {
        if (!GROW(d, inls, ninls, cap_inls, DBG_MAX_RANGES)) return false;
        d->inls[d->ninls++] = r;
    }
    return true;
}

bool dbg_add_name(DebugInfo *d, uint64_t die, const char *name, uint64_t ref)
{
    if (!name && ref == DBG_NO_DIE) return !d->full;
    if (!GROW(d, names, nnames, cap_names, DBG_MAX_NAMES)) return false;
    d->names[d->nnames++] = (DbgName){die, name, ref};
    return true;
}

/*
 * Writing a path: every byte goes through out_char, which counts it and
 * stores it unless it is among the first `skip`, so one pass measures a
 * path and a second writes it whole, or, when it is too long, "..." and
 * its end (where the file name is).
 */
typedef struct PathOut {
    char *buf;   /* NULL: only count */
    size_t n;    /* bytes produced so far, stored or not */
    size_t skip; /* 0, or how many leading bytes "..." replaces */
} PathOut;

static void out_char(PathOut *o, char c)
{
    if (o->buf && o->n >= o->skip) o->buf[o->n - o->skip + (o->skip ? 3 : 0)] = c;
    o->n++;
}

/* The parts joined by '/', without empty or "." components; only the
 * first part may start the path at the root. */
static void out_path(PathOut *o, const char *const *parts, unsigned n)
{
    bool started = false;
    for (unsigned i = 0; i < n; i++) {
        const char *s = parts[i];
        if (!s || !*s) continue;
        if (o->n == 0 && *s == '/') out_char(o, '/');
        while (*s) {
            const char *e = strchr(s, '/');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len && !(len == 1 && *s == '.')) {
                if (started) out_char(o, '/');
                for (size_t k = 0; k < len; k++) out_char(o, s[k]);
                started = true;
            }
            s += len + (e != NULL);
        }
    }
}

uint32_t dbg_add_path(DebugInfo *d, const char *const *parts, unsigned n)
{
    PathOut measure = {NULL, 0, 0};
    out_path(&measure, parts, n);
    size_t len = measure.n, skip = 0;
    if (len == 0) return DBG_NONE;
    if (len > DBG_MAX_PATH - 1) {
        skip = len - (DBG_MAX_PATH - 1 - 3);
        len = DBG_MAX_PATH - 1;
    }
    if (d->full || len + 1 > DBG_MAX_POOL - d->pool_len) {
        d->full = true;
        return DBG_NONE;
    }
    if (d->pool_len + len + 1 > d->pool_cap) {
        size_t want = (size_t)d->pool_cap * 2 + len + 1 + 256;
        if (want > DBG_MAX_POOL) want = DBG_MAX_POOL;
        char *p = realloc(d->pool, want);
        if (!p) {
            d->full = true;
            return DBG_NONE;
        }
        d->pool = p;
        d->pool_cap = (uint32_t)want;
    }
    uint32_t off = d->pool_len;
    char *dst = d->pool + off;
    if (skip) memcpy(dst, "...", 3);
    PathOut write = {dst, 0, skip};
    out_path(&write, parts, n);
    dst[len] = '\0';
    d->pool_len += (uint32_t)len + 1;
    return off;
}

static int cmp_range_lo(const void *a, const void *b)
{
    const DbgRange *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return x->scope < y->scope ? -1 : x->scope > y->scope;
}

static int cmp_range_top(const void *a, const void *b)
{
    const DbgRange *x = a, *y = b;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    return cmp_range_lo(a, b);
}

static int cmp_line(const void *a, const void *b)
{
    const DbgLine *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static int cmp_name(const void *a, const void *b)
{
    const DbgName *x = a, *y = b;
    return x->die < y->die ? -1 : x->die > y->die;
}

static const DbgName *find_name(const DebugInfo *d, uint64_t die)
{
    uint32_t lo = 0, hi = d->nnames;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->names[mid].die < die) lo = mid + 1;
        else hi = mid;
    }
    return lo < d->nnames && d->names[lo].die == die ? &d->names[lo] : NULL;
}

/* A concrete function names itself through its abstract origin, which may
 * name itself through a declaration: a few hops, bounded against cycles. */
static const char *resolve_name(const DebugInfo *d, uint64_t ref)
{
    for (int hop = 0; hop < 8 && ref != DBG_NO_DIE; hop++) {
        const DbgName *n = find_name(d, ref);
        if (!n) return NULL;
        if (n->name) return n->name;
        ref = n->ref;
    }
    return NULL;
}

void dbg_finish(DebugInfo *d)
{
    util_sort(d->lines, d->nlines, sizeof *d->lines, cmp_line);
    util_sort(d->funcs, d->nfuncs, sizeof *d->funcs, cmp_range_lo);
    util_sort(d->inls, d->ninls, sizeof *d->inls, cmp_range_top);
    util_sort(d->names, d->nnames, sizeof *d->names, cmp_name);
    for (uint32_t i = 0; i < d->nscopes; i++)
        if (!d->scopes[i].name) d->scopes[i].name = resolve_name(d, d->scopes[i].ref);
    free(d->names);
    d->names = NULL;
    d->nnames = d->cap_names = 0;
    dbg_vars_finish(d);
}

/* The entry of a sorted range array with the greatest lo <= addr whose
 * range holds addr, or NULL.  Overlapping entries (possible only in
 * malformed DWARF) may hide one another; each answer is still one that the
 * DWARF gives. */
#define FIND_LAST_LE(arr, n, addr, out)                                       \
    do {                                                                       \
        uint32_t lo_ = 0, hi_ = (n);                                           \
        while (lo_ < hi_) {                                                    \
            uint32_t mid_ = lo_ + (hi_ - lo_) / 2;                             \
            if ((arr)[mid_].lo <= (addr)) lo_ = mid_ + 1;                      \
            else hi_ = mid_;                                                   \
        }                                                                      \
        (out) = lo_ && (addr) < (arr)[lo_ - 1].hi ? &(arr)[lo_ - 1] : NULL;    \
    } while (0)

uint32_t dbg_func_at(const DebugInfo *d, uint32_t addr)
{
    const DbgRange *fn;
    FIND_LAST_LE(d->funcs, d->nfuncs, addr, fn);
    return fn ? fn->top : DBG_NONE;
}

/* The deepest inlined call of function `top` whose range holds addr. */
static uint32_t innermost(const DebugInfo *d, uint32_t top, uint32_t addr)
{
    uint32_t lo = 0, hi = d->ninls;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->inls[mid].top < top) lo = mid + 1;
        else hi = mid;
    }
    uint32_t best = top;
    for (uint32_t i = lo; i < d->ninls && d->inls[i].top == top; i++) {
        const DbgRange *r = &d->inls[i];
        if (r->lo > addr) break;
        if (addr < r->hi && d->scopes[r->scope].depth > d->scopes[best].depth)
            best = r->scope;
    }
    return best;
}

static const char *pool_str(const DebugInfo *d, uint32_t off)
{
    return off < d->pool_len ? d->pool + off : NULL;
}

uint32_t dbg_locate(const DebugInfo *d, uint32_t addr, b8g_source_loc *out,
                    uint32_t cap)
{
    if (!d) return 0;
    const DbgLine *ln;
    const DbgRange *fn;
    FIND_LAST_LE(d->lines, d->nlines, addr, ln);
    FIND_LAST_LE(d->funcs, d->nfuncs, addr, fn);
    if (!ln && !fn) return 0;
    b8g_source_loc here = {
        .file = ln ? pool_str(d, ln->file) : NULL,
        .line = ln ? ln->line : 0,
        .column = ln ? ln->col : 0,
    };
    if (!fn) {
        if (cap) out[0] = here;
        return 1;
    }
    /* Walk out from the innermost inlined call: each scope's location is
     * where the code is in it; its parent's is the line of that call. */
    uint32_t n = 0;
    for (uint32_t s = innermost(d, fn->top, addr); s != DBG_NONE;
         s = d->scopes[s].parent) {
        const DbgScope *sc = &d->scopes[s];
        here.function = sc->name;
        here.inlined = sc->parent != DBG_NONE;
        if (n < cap) out[n] = here;
        n++;
        here.file = pool_str(d, sc->call_file);
        here.line = sc->call_line;
        here.column = sc->call_col;
    }
    return n;
}
