/*
 * debug.c - finding a module's DWARF sections and its code section, and
 * reading them once per module (debug.h).
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "debug/debug.h"
#include "debug/dwarf.h"

static const struct {
    const char *name;
    size_t slot;
} dwarf_sections[] = {
    {".debug_info", offsetof(DwSections, info)},
    {".debug_abbrev", offsetof(DwSections, abbrev)},
    {".debug_line", offsetof(DwSections, line)},
    {".debug_str", offsetof(DwSections, str)},
    {".debug_line_str", offsetof(DwSections, line_str)},
    {".debug_ranges", offsetof(DwSections, ranges)},
    {".debug_rnglists", offsetof(DwSections, rnglists)},
    {".debug_addr", offsetof(DwSections, addr)},
    {".debug_str_offsets", offsetof(DwSections, str_offsets)},
};

/* The sections by name (the first of each, should one repeat) and their
 * total size. */
static uint64_t find_sections(const Module *m, DwSections *s)
{
    memset(s, 0, sizeof *s);
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        const CustomSection *c = &m->customs[i];
        for (size_t k = 0; k < B8G_ARRAY_LEN(dwarf_sections); k++) {
            DwSlice *to = (DwSlice *)((char *)s + dwarf_sections[k].slot);
            if (to->p || strcmp(c->name.str, dwarf_sections[k].name) != 0) continue;
            *to = (DwSlice){c->data, c->len};
            total += c->len;
        }
    }
    return total;
}

/* DWARF addresses count from the code section's contents (its function
 * count), just past the section's size field. */
static bool code_section(const Module *m, uint64_t *start, uint32_t *size)
{
    uint64_t at = m->section_offsets[10];
    if (!at || at + 1 >= m->len) return false;
    DwCursor c = {m->bytes + at + 1, m->bytes + m->len, false};
    uint64_t len = dc_uleb(&c);
    if (c.bad || len > dc_left(&c) || len > UINT32_MAX) return false;
    *start = (uint64_t)(c.p - m->bytes);
    *size = (uint32_t)len;
    return true;
}

static DebugInfo *read_debug_info(const Module *m)
{
    uint64_t start = 0;
    uint32_t size = 0;
    DwSections s;
    if (!code_section(m, &start, &size)) return dbg_new(0, 0);
    DebugInfo *d = dbg_new(start, size);
    uint64_t total = find_sections(m, &s);
    /* A few passes over the DWARF is all well-formed input needs (table.h,
     * dwarf.h); the slack covers small modules. */
    DwBudget b = {8 * total + (1u << 20)};
    if (s.info.p) dw_read_info(&s, d, &b);
    dbg_finish(d);
    return d;
}

/* One lock for all modules: reading happens once per module and is cold. */
static pthread_mutex_t read_lock = PTHREAD_MUTEX_INITIALIZER;

const DebugInfo *dbg_module(Module *m)
{
    DebugInfo *d = __atomic_load_n(&m->debug, __ATOMIC_ACQUIRE);
    if (d) return d;
    pthread_mutex_lock(&read_lock);
    d = __atomic_load_n(&m->debug, __ATOMIC_RELAXED);
    if (!d) {
        d = read_debug_info(m);
        __atomic_store_n(&m->debug, d, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&read_lock);
    return d;
}

uint32_t dbg_source(const DebugInfo *d, uint64_t code_offset,
                    b8g_source_loc *out, uint32_t cap)
{
    if (!d || code_offset < d->code_start ||
        code_offset - d->code_start >= d->code_size)
        return 0;
    return dbg_locate(d, (uint32_t)(code_offset - d->code_start), out, cap);
}

bool dbg_usable(const DebugInfo *d)
{
    return dbg_has_info(d);
}

void dbg_release(Module *m)
{
    dbg_free(m->debug);
    m->debug = NULL;
}

/* Does path name `file`: equal, or ending in "/file"? */
static bool path_matches(const char *path, const char *file)
{
    size_t lp = strlen(path), lf = strlen(file);
    if (lf > lp) return false;
    if (strcmp(path + lp - lf, file) != 0) return false;
    return lf == lp || path[lp - lf - 1] == '/';
}

uint32_t dbg_line_offsets(const DebugInfo *d, const char *file, uint32_t line,
                          uint64_t *out, uint32_t cap, const char **path)
{
    uint32_t n = 0;
    if (path) *path = NULL;
    if (!d || !file || !line) return 0;
    for (uint32_t i = 0; i < d->nlines; i++) {
        const DbgLine *l = &d->lines[i];
        if (l->line != line || l->file == DBG_NONE) continue;
        const char *p = d->pool + l->file;
        if (!path_matches(p, file)) continue;
        if (path && !*path) *path = p;
        if (n < cap) out[n] = d->code_start + l->lo;
        n++;
    }
    return n;
}
