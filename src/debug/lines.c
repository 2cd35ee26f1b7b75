/*
 * lines.c - line tables (.debug_line, DWARF 2-5): the header's directory
 * and file lists, and the line number program, run as DWARF's state
 * machine; each row's location holds from its address up to the next
 * row's, so consecutive rows become the ranges of table.h.
 */
#include <stdlib.h>
#include <string.h>

#include "debug/dwarf.h"

enum {
    LNS_COPY = 1, LNS_ADVANCE_PC, LNS_ADVANCE_LINE, LNS_SET_FILE,
    LNS_SET_COLUMN, LNS_NEGATE_STMT, LNS_SET_BASIC_BLOCK, LNS_CONST_ADD_PC,
    LNS_FIXED_ADVANCE_PC, LNS_SET_PROLOGUE_END, LNS_SET_EPILOGUE_BEGIN,
    LNS_SET_ISA,
};
enum { LNE_END_SEQUENCE = 1, LNE_SET_ADDRESS = 2 };
enum { LNCT_PATH = 1, LNCT_DIRECTORY_INDEX = 2 };

void dw_lines_close(DwLines *l)
{
    free(l->dirs);
    free(l->files);
    l->dirs = NULL;
    l->files = NULL;
    l->ndirs = l->nfiles = 0;
}

/* ---- DWARF 2-4 headers: NUL-terminated lists ---- */

static bool push_dir(DwLines *l, const char *s, uint32_t *cap)
{
    if (l->ndirs == *cap) {
        uint32_t want = *cap ? *cap * 2 : 16;
        const char **p = realloc(l->dirs, want * sizeof *p);
        if (!p) return false;
        l->dirs = p;
        *cap = want;
    }
    l->dirs[l->ndirs++] = s;
    return true;
}

static bool push_file(DwLines *l, const char *name, uint64_t dir, uint32_t *cap)
{
    if (l->nfiles == *cap) {
        uint32_t want = *cap ? *cap * 2 : 16;
        DwFile *p = realloc(l->files, want * sizeof *p);
        if (!p) return false;
        l->files = p;
        *cap = want;
    }
    l->files[l->nfiles++] = (DwFile){name, dir, DBG_NONE, false};
    return true;
}

/* Every directory and file entry takes at least two bytes, so the lists
 * grow no longer than the header is. */
static bool read_lists_v4(DwCursor *h, DwLines *l)
{
    uint32_t cap = 0;
    for (;;) {
        const char *dir = dc_str(h);
        if (!dir) return false;
        if (!*dir) break;
        if (!push_dir(l, dir, &cap)) return false;
    }
    cap = 0;
    for (;;) {
        const char *name = dc_str(h);
        if (!name) return false;
        if (!*name) return true;
        uint64_t dir = dc_uleb(h);
        dc_uleb(h); /* modification time */
        dc_uleb(h); /* length */
        if (h->bad || !push_file(l, name, dir, &cap)) return false;
    }
}

/* ---- DWARF 5 headers: self-described entry formats ---- */

typedef struct EntryFormat {
    uint8_t n;
    uint64_t type[255], form[255];
} EntryFormat;

static bool read_format(DwCursor *h, EntryFormat *f)
{
    f->n = dc_u8(h);
    bool has_path = false;
    for (unsigned i = 0; i < f->n; i++) {
        f->type[i] = dc_uleb(h);
        f->form[i] = dc_uleb(h);
        has_path |= f->type[i] == LNCT_PATH;
    }
    /* An entry without a path names nothing; requiring one also makes
     * every entry take at least a byte, so its count is bounded. */
    return !h->bad && has_path;
}

/* One directory or file entry: its path and directory index. */
static bool read_entry(DwCursor *h, const EntryFormat *f, const DwUnit *u,
                       const char **path, uint64_t *dir)
{
    *path = NULL;
    *dir = 0;
    for (unsigned i = 0; i < f->n; i++) {
        DwValue v;
        if (!dw_form(h, f->form[i], 0, u, &v)) return false;
        if (f->type[i] == LNCT_PATH) *path = dw_value_str(u, &v);
        else if (f->type[i] == LNCT_DIRECTORY_INDEX && v.cls == DWV_CONST) *dir = v.u;
    }
    return true;
}

static bool read_lists_v5(DwCursor *h, DwLines *l, const DwUnit *u)
{
    EntryFormat f;
    if (!read_format(h, &f)) return false;
    uint64_t n = dc_uleb(h);
    if (h->bad || n > dc_left(h)) return false;
    l->dirs = calloc(n ? n : 1, sizeof *l->dirs);
    if (!l->dirs) return false;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t unused;
        if (!read_entry(h, &f, u, &l->dirs[i], &unused)) return false;
        l->ndirs++;
    }
    if (!read_format(h, &f)) return false;
    n = dc_uleb(h);
    if (h->bad || n > dc_left(h)) return false;
    l->files = calloc(n ? n : 1, sizeof *l->files);
    if (!l->files) return false;
    for (uint64_t i = 0; i < n; i++) {
        DwFile *file = &l->files[i];
        *file = (DwFile){NULL, 0, DBG_NONE, false};
        if (!read_entry(h, &f, u, &file->name, &file->dir)) return false;
        l->nfiles++;
    }
    return true;
}

bool dw_lines_open(const DwUnit *cu, uint64_t off, const char *comp_dir,
                   DebugInfo *d, DwBudget *b, DwLines *l)
{
    *l = (DwLines){.d = d, .b = b, .comp_dir = comp_dir};
    DwCursor c = dc_at(cu->sec->line, off);
    DwUnit u = *cu; /* the table's own offset and address sizes */
    DwCursor t = dc_unit(&c, &u.is64);
    l->version = dc_u16(&t);
    l->addr_size = cu->addr_size;
    if (l->version >= 5) {
        l->addr_size = u.addr_size = dc_u8(&t);
        dc_u8(&t); /* segment selector size */
    }
    uint64_t hlen = dc_offset(&t, u.is64);
    if (t.bad || l->version < 2 || l->version > 5 || hlen > dc_left(&t) ||
        l->addr_size < 1 || l->addr_size > 8 || !dw_spend(b, hlen))
        return false;
    DwCursor h = {t.p, t.p + hlen, false};
    l->prog = (DwCursor){t.p + hlen, t.end, false};
    l->min_inst = dc_u8(&h);
    uint8_t max_ops = l->version >= 4 ? dc_u8(&h) : 1;
    dc_u8(&h); /* default_is_stmt */
    l->line_base = (int8_t)dc_u8(&h);
    l->line_range = dc_u8(&h);
    l->opcode_base = dc_u8(&h);
    l->std_lens = h.p;
    dc_skip(&h, l->opcode_base ? l->opcode_base - 1u : 0);
    /* max_ops > 1 is VLIW's op_index, which no wasm producer uses */
    if (h.bad || l->line_range == 0 || l->opcode_base == 0 || max_ops > 1)
        return false;
    bool ok = l->version >= 5 ? read_lists_v5(&h, l, &u) : read_lists_v4(&h, l);
    if (!ok) dw_lines_close(l);
    return ok;
}

static bool is_absolute(const char *s) { return s && s[0] == '/'; }

uint32_t dw_lines_file(DwLines *l, uint64_t index)
{
    /* DWARF 5 counts files from 0, earlier versions from 1 */
    if (l->version < 5 && index-- == 0) return DBG_NONE;
    if (index >= l->nfiles) return DBG_NONE;
    DwFile *f = &l->files[index];
    if (f->composed) return f->path;
    f->composed = true;
    const char *dir = NULL, *base = l->comp_dir;
    if (l->version >= 5) {
        if (l->ndirs) base = l->dirs[0];
        if (f->dir > 0 && f->dir < l->ndirs) dir = l->dirs[f->dir];
    } else if (f->dir > 0 && f->dir <= l->ndirs) {
        dir = l->dirs[f->dir - 1];
    }
    const char *parts[3] = {base, dir, f->name};
    unsigned first = is_absolute(f->name) ? 2 : is_absolute(dir) ? 1 : 0;
    uint64_t work = 0;
    for (unsigned i = first; i < 3; i++) work += parts[i] ? strlen(parts[i]) : 0;
    if (!f->name || !dw_spend(l->b, work)) return DBG_NONE;
    f->path = dbg_add_path(l->d, parts + first, 3 - first);
    return f->path;
}

/* The state machine's registers that a row records. */
typedef struct Row {
    uint64_t addr, file, line, col;
} Row;

typedef struct Machine {
    DwLines *l;
    Row prev;        /* the last row of the current sequence */
    bool in_seq;     /* prev is valid */
    bool dead;       /* the sequence starts at address 0 (table.h) */
} Machine;

static bool emit(Machine *m, const Row *r, bool end_seq)
{
    bool ok = true;
    if (!m->in_seq) {
        m->dead = r->addr == 0;
    } else if (!m->dead && r->addr > m->prev.addr) {
        uint32_t file = dw_lines_file(m->l, m->prev.file);
        ok = dbg_add_line(m->l->d, m->prev.addr, r->addr, file, m->prev.line,
                          m->prev.col);
    }
    m->prev = *r;
    m->in_seq = !end_seq;
    return ok;
}

/* An extended opcode (after its 0 byte): true if it ends the sequence. */
static bool extended(DwCursor *c, Row *r)
{
    uint64_t len = dc_uleb(c);
    if (!dc_need(c, len) || len == 0) {
        c->bad = true;
        return false;
    }
    DwCursor e = {c->p, c->p + len, false};
    c->p += len;
    uint8_t op = dc_u8(&e);
    if (op == LNE_SET_ADDRESS) r->addr = dc_uint(&e, (unsigned)(len - 1 <= 8 ? len - 1 : 0));
    c->bad |= e.bad;
    return op == LNE_END_SEQUENCE;
}

/* A standard opcode; true if it appends a row. */
static bool standard(DwCursor *c, const DwLines *l, uint8_t op, Row *r)
{
    switch (op) {
    case LNS_COPY: return true;
    case LNS_ADVANCE_PC: r->addr += dc_uleb(c) * l->min_inst; break;
    case LNS_ADVANCE_LINE: r->line += (uint64_t)dc_sleb(c); break;
    case LNS_SET_FILE: r->file = dc_uleb(c); break;
    case LNS_SET_COLUMN: r->col = dc_uleb(c); break;
    case LNS_NEGATE_STMT: case LNS_SET_BASIC_BLOCK:
    case LNS_SET_PROLOGUE_END: case LNS_SET_EPILOGUE_BEGIN:
        break;
    case LNS_CONST_ADD_PC:
        r->addr += (uint64_t)((255u - l->opcode_base) / l->line_range) * l->min_inst;
        break;
    case LNS_FIXED_ADVANCE_PC: r->addr += dc_u16(c); break;
    default:
        /* unknown to us: the header says how many LEB128 operands it has */
        for (unsigned i = 0; i < l->std_lens[op - 1] && !c->bad; i++) dc_uleb(c);
        break;
    }
    return false;
}

void dw_lines_run(DwLines *l)
{
    const Row start = {0, 1, 1, 0};
    Row r = start;
    Machine m = {.l = l};
    DwCursor c = l->prog;
    while (dc_more(&c)) {
        const uint8_t *at = c.p;
        uint8_t op = dc_u8(&c);
        bool row = false, end = false;
        if (op >= l->opcode_base) {
            unsigned adj = op - l->opcode_base;
            r.addr += (uint64_t)(adj / l->line_range) * l->min_inst;
            r.line += (uint64_t)(int64_t)(l->line_base + (int)(adj % l->line_range));
            row = true;
        } else if (op == 0) {
            row = end = extended(&c, &r);
        } else {
            row = standard(&c, l, op, &r);
        }
        if (c.bad || !dw_spend(l->b, (uint64_t)(c.p - at))) return;
        if (row && !emit(&m, &r, end)) return;
        if (end) r = start;
    }
}
