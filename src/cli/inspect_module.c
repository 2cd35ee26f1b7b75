/*
 * inspect_module.c - `b8g inspect MODULE.wasm`: what a module holds and
 * which post-MVP proposals it uses, without instantiating it.
 *
 * Three sources, each used as far as it goes:
 *  - a scan of the section headers (id, size, a custom section's name)
 *    through the engine's bounds-checked Reader; it stops at the first
 *    header that does not fit, so it lists what it can of a file nothing
 *    else can read;
 *  - the engine's decoder (dec_module) for the index spaces, imports,
 *    exports and segments;
 *  - the engine's validator (val_module) for the verdict, and ins_read
 *    over every body for the instructions that reveal a proposal.
 * Unlike the rest of the CLI this file reaches past include/b8g.h into
 * wasm/: the public API loads a module or refuses it whole, and looking
 * into a module the engine refuses is what this command is for.  The exit status is the
 * one `b8g run` gives the same file (3 malformed, 4 invalid, 5 SIMD).
 *
 * Names come from whoever wrote the module: the human output escapes them
 * (put_text), the JSON writer by its own rules (json.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "util/err.h"
#include "util/reader.h"
#include "wasm/decode.h"
#include "wasm/instr.h"
#include "wasm/limits.h"
#include "wasm/validate.h"

#define WASM_MAGIC "\0asm"
#define SECTION_CUSTOM 0
#define SECTION_MEMORY 5
#define SECTION_IDS 13
/* A module may hold one of each known section and LIM_CUSTOMS custom
 * ones; a file claiming more is refused anyway, and the scan's list must
 * stay bounded whatever the file says. */
#define SCAN_MAX_SECTIONS (LIM_CUSTOMS + SECTION_IDS)
/* Limits flags beyond WebAssembly 2.0's "has a maximum" bit. */
#define LIMITS_SHARED 0x02
#define LIMITS_64 0x04

/* ---- the section scan -------------------------------------------------- */

typedef struct ScanSection {
    uint8_t id;
    bool truncated;       /* the declared size runs past the end of the file */
    uint32_t size;        /* of the contents, as declared */
    uint64_t offset;      /* of the id byte */
    const uint8_t *name;  /* custom sections: the name's bytes; NULL if unreadable */
    uint32_t name_len;
} ScanSection;

typedef struct Scan {
    ScanSection *secs;
    uint32_t n, cap;
    bool has_version;
    uint32_t version;
    int mem0_flags;       /* memory 0's limits flags in the memory section, or -1 */
    b8g_error stop;       /* why the scan ended before the end; code B8G_OK if not */
} Scan;

static void scan_add(Scan *s, const ScanSection *sec)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->secs = xrealloc(s->secs, (size_t)s->cap * sizeof *s->secs);
    }
    s->secs[s->n++] = *sec;
}

static b8g_status scan_header(Scan *s, Reader *r)
{
    const uint8_t *p;
    b8g_status st = rd_bytes(r, 4, &p, &s->stop);
    if (st) return st;
    if (memcmp(p, WASM_MAGIC, 4) != 0)
        return err_set(&s->stop, B8G_MALFORMED, 0, "magic header not detected");
    st = rd_bytes(r, 4, &p, &s->stop);
    if (st) return st;
    s->has_version = true;
    s->version = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    /* another version (a component, say) numbers its sections otherwise */
    if (s->version != 1) return err_set(&s->stop, B8G_MALFORMED, 4, "unknown binary version");
    return B8G_OK;
}

/* A custom section's name, read within its declared contents; one that
 * does not fit stays unreadable and the decoder says why. */
static void scan_custom_name(Reader contents, ScanSection *sec)
{
    uint32_t n;
    const uint8_t *p;
    if (rd_u32(&contents, &n, NULL) || rd_bytes(&contents, n, &p, NULL)) return;
    sec->name = p;
    sec->name_len = n;
}

/* The decoder stops at a shared or 64-bit memory's flags (malformed in
 * 2.0), so the scan keeps memory 0's to name the proposal it needs. */
static void scan_memory_flags(Scan *s, Reader contents)
{
    uint32_t n;
    uint8_t flags;
    if (s->mem0_flags >= 0 || rd_u32(&contents, &n, NULL) || n == 0 ||
        rd_u8(&contents, &flags, NULL))
        return;
    s->mem0_flags = flags;
}

static b8g_status scan_section(Scan *s, Reader *r)
{
    ScanSection sec = {.offset = rd_offset(r)};
    b8g_status st = rd_u8(r, &sec.id, &s->stop);
    if (!st) st = rd_u32(r, &sec.size, &s->stop);
    if (st) return st;
    if (s->n >= SCAN_MAX_SECTIONS)
        return err_set(&s->stop, B8G_LIMIT, sec.offset, "more than %u sections",
                       SCAN_MAX_SECTIONS);
    if (sec.size > rd_left(r)) {
        size_t left = rd_left(r);
        sec.truncated = true;
        scan_add(s, &sec);
        return err_set(&s->stop, B8G_MALFORMED, sec.offset,
                       "section runs past the end of the file (%" PRIu32
                       " bytes declared, %zu left)", sec.size, left);
    }
    Reader contents;
    rd_sub(r, sec.size, &contents, NULL);
    if (sec.id == SECTION_CUSTOM) scan_custom_name(contents, &sec);
    if (sec.id == SECTION_MEMORY) scan_memory_flags(s, contents);
    scan_add(s, &sec);
    return B8G_OK;
}

static void scan_module(Scan *s, const uint8_t *bytes, size_t len)
{
    memset(s, 0, sizeof *s);
    s->mem0_flags = -1;
    Reader r = {.base = bytes, .p = bytes, .end = bytes + len};
    if (scan_header(s, &r)) return;
    while (!rd_eof(&r))
        if (scan_section(s, &r)) return;
}

static bool custom_named(const ScanSection *sec, const char *name)
{
    size_t n = strlen(name);
    return sec->id == SECTION_CUSTOM && sec->name && sec->name_len == n &&
           memcmp(sec->name, name, n) == 0;
}

static bool is_dwarf(const ScanSection *sec)
{
    return sec->id == SECTION_CUSTOM && sec->name && sec->name_len > 7 &&
           memcmp(sec->name, ".debug_", 7) == 0;
}

static bool scan_has_custom(const Scan *s, const char *name)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (custom_named(&s->secs[i], name)) return true;
    return false;
}

static bool scan_has_dwarf(const Scan *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (is_dwarf(&s->secs[i])) return true;
    return false;
}

/* ---- what the module is: decoded, validated, features ------------------- */

typedef enum Feature {
    FEAT_MULTI_VALUE,
    FEAT_BULK_MEMORY,
    FEAT_REFERENCE_TYPES,
    FEAT_SIMD,
    FEAT_SIGN_EXT,
    FEAT_SAT_CONV,
    FEAT_MUTABLE_GLOBALS,
    FEAT_THREADS,
    FEAT_MEMORY64,
    FEAT_COUNT
} Feature;

static const char *const feature_names[FEAT_COUNT] = {
    [FEAT_MULTI_VALUE] = "multi-value",
    [FEAT_BULK_MEMORY] = "bulk-memory",
    [FEAT_REFERENCE_TYPES] = "reference-types",
    [FEAT_SIMD] = "simd",
    [FEAT_SIGN_EXT] = "sign-extension",
    [FEAT_SAT_CONV] = "nontrapping-float-to-int",
    [FEAT_MUTABLE_GLOBALS] = "mutable-globals",
    [FEAT_THREADS] = "threads",
    [FEAT_MEMORY64] = "memory64",
};

typedef struct Report {
    const char *path;
    const uint8_t *bytes;
    size_t len;
    Scan scan;
    Module *m;                 /* NULL: the module does not decode */
    b8g_error verdict;         /* code B8G_OK: valid */
    bool used[FEAT_COUNT];
    char why[FEAT_COUNT][80];  /* the first use seen; never holds a name */
} Report;

B8G_PRINTF(3, 4)
static void feature(Report *rp, Feature f, const char *fmt, ...)
{
    if (rp->used[f]) return;
    rp->used[f] = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rp->why[f], sizeof rp->why[f], fmt, ap);
    va_end(ap);
}

static const char *valtype_name(ValType t)
{
    switch (t) {
    case VT_I32: return "i32";
    case VT_I64: return "i64";
    case VT_F32: return "f32";
    case VT_F64: return "f64";
    case VT_V128: return "v128";
    case VT_FUNCREF: return "funcref";
    case VT_EXTERNREF: return "externref";
    }
    return "?";
}

/* The engine refuses SIMD when it meets it: a v128 type or the 0xfd
 * prefix, at the offset it reports. */
static void simd_at(Report *rp, uint64_t off)
{
    bool op = off < rp->len && rp->bytes[off] == 0xfd;
    feature(rp, FEAT_SIMD, "%s at 0x%" PRIx64, op ? "a SIMD instruction" : "v128", off);
}

static void features_of_types(Report *rp)
{
    const Module *m = rp->m;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const FuncType *t = &m->types[i];
        if (t->nresults > 1)
            feature(rp, FEAT_MULTI_VALUE, "type %" PRIu32 " has %" PRIu32 " results", i,
                    t->nresults);
        for (uint32_t k = 0; k < t->nparams + t->nresults; k++)
            if (vt_is_ref(t->types[k]))
                feature(rp, FEAT_REFERENCE_TYPES, "type %" PRIu32 " passes %s", i,
                        valtype_name(t->types[k]));
    }
}

static void features_of_globals(Report *rp)
{
    const Module *m = rp->m;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == EXT_GLOBAL && m->imports[i].desc.global.mut)
            feature(rp, FEAT_MUTABLE_GLOBALS, "import %" PRIu32 " is a mutable global", i);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const Export *e = &m->exports[i];
        if (e->kind == EXT_GLOBAL && e->idx < m->nglobals && m->globals[e->idx].type.mut)
            feature(rp, FEAT_MUTABLE_GLOBALS, "export %" PRIu32 " is a mutable global", i);
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (vt_is_ref(m->globals[i].type.type))
            feature(rp, FEAT_REFERENCE_TYPES, "global %" PRIu32 " is a %s", i,
                    valtype_name(m->globals[i].type.type));
}

static void features_of_tables(Report *rp)
{
    const Module *m = rp->m;
    if (m->ntables > 1) feature(rp, FEAT_REFERENCE_TYPES, "%" PRIu32 " tables", m->ntables);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (m->tables[i].elem == VT_EXTERNREF)
            feature(rp, FEAT_REFERENCE_TYPES, "table %" PRIu32 " holds externref", i);
}

static void features_of_segments(Report *rp)
{
    const Module *m = rp->m;
    if (m->has_datacount) feature(rp, FEAT_BULK_MEMORY, "a data count section");
    for (uint32_t i = 0; i < m->ndatas; i++)
        if (m->datas[i].mode == SEG_PASSIVE)
            feature(rp, FEAT_BULK_MEMORY, "data segment %" PRIu32 " is passive", i);
    for (uint32_t i = 0; i < m->nelems; i++) {
        const ElemSeg *e = &m->elems[i];
        if (e->mode == SEG_PASSIVE)
            feature(rp, FEAT_BULK_MEMORY, "element segment %" PRIu32 " is passive", i);
        if (e->mode == SEG_DECLARATIVE)
            feature(rp, FEAT_REFERENCE_TYPES, "element segment %" PRIu32 " is declarative", i);
        if (e->type == VT_EXTERNREF)
            feature(rp, FEAT_REFERENCE_TYPES, "element segment %" PRIu32 " holds externref", i);
        if (e->mode == SEG_ACTIVE && e->table != 0)
            feature(rp, FEAT_REFERENCE_TYPES, "element segment %" PRIu32 " fills table %" PRIu32,
                    i, e->table);
    }
}

/* The proposal an instruction belongs to by its opcode alone, or -1 for
 * the MVP's. */
static int op_feature(uint16_t op)
{
    switch (op) {
    case OPC_I32_EXTEND8_S: case OPC_I32_EXTEND16_S: case OPC_I64_EXTEND8_S:
    case OPC_I64_EXTEND16_S: case OPC_I64_EXTEND32_S:
        return FEAT_SIGN_EXT;
    case OPC_I32_TRUNC_SAT_F32_S: case OPC_I32_TRUNC_SAT_F32_U: case OPC_I32_TRUNC_SAT_F64_S:
    case OPC_I32_TRUNC_SAT_F64_U: case OPC_I64_TRUNC_SAT_F32_S: case OPC_I64_TRUNC_SAT_F32_U:
    case OPC_I64_TRUNC_SAT_F64_S: case OPC_I64_TRUNC_SAT_F64_U:
        return FEAT_SAT_CONV;
    case OPC_MEMORY_INIT: case OPC_DATA_DROP: case OPC_MEMORY_COPY: case OPC_MEMORY_FILL:
    case OPC_TABLE_INIT: case OPC_ELEM_DROP: case OPC_TABLE_COPY:
        return FEAT_BULK_MEMORY;
    case OPC_REF_NULL: case OPC_REF_IS_NULL: case OPC_REF_FUNC: case OPC_SELECT_T:
    case OPC_TABLE_GET: case OPC_TABLE_SET: case OPC_TABLE_GROW: case OPC_TABLE_SIZE:
    case OPC_TABLE_FILL:
        return FEAT_REFERENCE_TYPES;
    default:
        return -1;
    }
}

/* Immediates that reach past the MVP: a block typed by index (several
 * values in or out), a reference-typed block, a second table. */
static void features_of_immediates(Report *rp, const Instr *ins)
{
    const char *text = op_info[ins->op].text;
    if (ins->op == OPC_BLOCK || ins->op == OPC_LOOP || ins->op == OPC_IF) {
        if (ins->imm.block.kind == BT_TYPEIDX)
            feature(rp, FEAT_MULTI_VALUE, "%s typed by an index at 0x%" PRIx64, text,
                    ins->offset);
        else if (ins->imm.block.kind == BT_VAL && vt_is_ref(ins->imm.block.val))
            feature(rp, FEAT_REFERENCE_TYPES, "%s of %s at 0x%" PRIx64, text,
                    valtype_name(ins->imm.block.val), ins->offset);
    } else if (ins->op == OPC_CALL_INDIRECT && ins->imm.ci.table != 0) {
        feature(rp, FEAT_REFERENCE_TYPES, "call_indirect through table %" PRIu32 " at 0x%" PRIx64,
                ins->imm.ci.table, ins->offset);
    }
}

static void features_of_locals(Report *rp, const Func *f, uint32_t funcidx)
{
    for (uint32_t k = 0; k < f->nlocals; k++)
        if (vt_is_ref(f->local_types[k]))
            feature(rp, FEAT_REFERENCE_TYPES, "function %" PRIu32 " has a %s local", funcidx,
                    valtype_name(f->local_types[k]));
}

/* Reads a body instruction by instruction, as the validator does; where
 * one cannot be read the rest of the body cannot either (the verdict says
 * why), but a refused prefix still tells which proposal it belongs to. */
static void features_of_body(Report *rp, const Func *f)
{
    Reader r = {.base = rp->m->bytes, .p = f->code, .end = f->code + f->code_len};
    while (!rd_eof(&r)) {
        uint64_t at = rd_offset(&r);
        Instr ins;
        b8g_error e;
        b8g_status st = ins_read(&r, &ins, &e);
        if (st == B8G_UNSUPPORTED) simd_at(rp, e.offset);
        else if (st && e.offset == at && rp->m->bytes[at] == 0xfe)
            feature(rp, FEAT_THREADS, "an atomic instruction at 0x%" PRIx64, at);
        if (st) return;
        int feat = op_feature(ins.op);
        if (feat >= 0)
            feature(rp, (Feature)feat, "%s at 0x%" PRIx64, op_info[ins.op].text, ins.offset);
        features_of_immediates(rp, &ins);
    }
}

static void features_of_code(Report *rp)
{
    const Module *m = rp->m;
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++) {
        features_of_locals(rp, &m->funcs[i], m->nimported_funcs + i);
        features_of_body(rp, &m->funcs[i]);
    }
}

static void features_of_memory_flags(Report *rp)
{
    int flags = rp->scan.mem0_flags;
    if (flags < 0) return;
    if (flags & LIMITS_SHARED)
        feature(rp, FEAT_THREADS, "memory 0 is shared (limits flags 0x%02x)", (unsigned)flags);
    if (flags & LIMITS_64)
        feature(rp, FEAT_MEMORY64, "memory 0 is 64-bit (limits flags 0x%02x)", (unsigned)flags);
}

/* Decodes and validates; every feature the module shows is noted on the
 * way, and whatever fails first is the verdict. */
static void judge(Report *rp)
{
    features_of_memory_flags(rp);
    b8g_status st = dec_module(rp->bytes, rp->len, &rp->m, &rp->verdict);
    if (st == B8G_UNSUPPORTED) simd_at(rp, rp->verdict.offset);
    if (st) return;
    features_of_types(rp);
    features_of_globals(rp);
    features_of_tables(rp);
    features_of_segments(rp);
    features_of_code(rp);
    if (val_module(rp->m, &rp->verdict) == B8G_OK) err_clear(&rp->verdict);
}

/* ---- human output ------------------------------------------------------- */

static const char *const section_names[SECTION_IDS] = {
    "custom", "type", "import", "function", "table", "memory", "global",
    "export", "start", "element", "code", "data", "datacount",
};

static const char *section_name(uint8_t id)
{
    return id < SECTION_IDS ? section_names[id] : "unknown";
}

static const char *const kind_names[] = {"func", "table", "memory", "global"};

static const char *kind_name(ExternKind k)
{
    return (unsigned)k < B8G_ARRAY_LEN(kind_names) ? kind_names[k] : "?";
}

/* Names print as the image inspector prints them (control characters as
 * \xNN), and more strictly: a name is length-delimited and may hold NUL,
 * it prints between quotes so `"` and `\` are escaped, and a byte that is
 * not UTF-8 (only possible where the decoder refuses the module) shows as
 * \xNN too. */
static void put_text(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t len = jw_utf8_len(s + i, n - i);
        bool c1 = len == 2 && s[i] == 0xc2 && s[i + 1] <= 0x9f;
        bool c0 = len == 1 && (s[i] < 0x20 || s[i] == 0x7f);
        if (len == 0 || c0 || c1) {
            size_t k = len ? len : 1;
            for (size_t j = 0; j < k; j++) printf("\\x%02x", s[i + j]);
            i += k;
            continue;
        }
        if (len == 1 && (s[i] == '"' || s[i] == '\\')) putchar('\\');
        fwrite(s + i, 1, len, stdout);
        i += len;
    }
}

static void put_quoted(const uint8_t *s, size_t n)
{
    putchar('"');
    put_text(s, n);
    putchar('"');
}

static void put_name(const Name *nm)
{
    put_quoted((const uint8_t *)nm->str, nm->len);
}

static void put_custom_name(const ScanSection *sec)
{
    if (sec->name) put_quoted(sec->name, sec->name_len);
    else fputs("(name unreadable)", stdout);
}

static void put_types(const ValType *t, uint32_t n)
{
    putchar('(');
    for (uint32_t i = 0; i < n; i++) printf("%s%s", i ? " " : "", valtype_name(t[i]));
    putchar(')');
}

static void put_functype(const Module *m, uint32_t idx)
{
    printf("type %" PRIu32, idx);
    if (idx >= m->ntypes) return; /* the verdict names the bad index */
    const FuncType *t = &m->types[idx];
    fputs(": ", stdout);
    put_types(ft_params(t), t->nparams);
    fputs(" -> ", stdout);
    put_types(ft_results(t), t->nresults);
}

static void put_limits(const Limits *l, const char *unit)
{
    printf("min %" PRIu32, l->min);
    if (l->has_max) printf(", max %" PRIu32, l->max);
    else fputs(", no max", stdout);
    printf(" (%s)", unit);
}

static void print_sections(const Scan *s)
{
    printf("sections: %" PRIu32 "\n", s->n);
    if (s->n) printf("  %3s  %-10s %10s %10s\n", "id", "name", "offset", "size");
    for (uint32_t i = 0; i < s->n; i++) {
        const ScanSection *sec = &s->secs[i];
        char off[24];
        snprintf(off, sizeof off, "0x%" PRIx64, sec->offset);
        printf("  %3u  %-10s %10s %10" PRIu32, sec->id, section_name(sec->id), off, sec->size);
        if (sec->id == SECTION_CUSTOM) {
            fputs("  ", stdout);
            put_custom_name(sec);
        }
        if (sec->truncated) fputs("  (truncated)", stdout);
        putchar('\n');
    }
    if (s->stop.code)
        printf("scan stopped at offset 0x%" PRIx64 ": %s\n", s->stop.offset, s->stop.msg);
}

static void print_types(const Module *m)
{
    printf("types: %" PRIu32 "\n", m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        printf("  %" PRIu32 ": ", i);
        put_types(ft_params(&m->types[i]), m->types[i].nparams);
        fputs(" -> ", stdout);
        put_types(ft_results(&m->types[i]), m->types[i].nresults);
        putchar('\n');
    }
}

static void put_import_desc(const Module *m, const Import *im)
{
    switch (im->kind) {
    case EXT_FUNC: put_functype(m, im->desc.type_idx); break;
    case EXT_TABLE:
        printf("%s ", valtype_name(im->desc.table.elem));
        put_limits(&im->desc.table.lim, "elements");
        break;
    case EXT_MEMORY: put_limits(&im->desc.mem, "pages"); break;
    case EXT_GLOBAL:
        printf("%s %s", im->desc.global.mut ? "mut" : "const", valtype_name(im->desc.global.type));
        break;
    }
}

/* Imports come first in each index space, in import order. */
static void print_imports(const Module *m)
{
    uint32_t next[4] = {0};
    printf("imports: %" PRIu32 "\n", m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const Import *im = &m->imports[i];
        printf("  %-7s %4" PRIu32 "  ", kind_name(im->kind), next[im->kind & 3]++);
        put_name(&im->module);
        putchar(' ');
        put_name(&im->field);
        fputs("  ", stdout);
        put_import_desc(m, im);
        putchar('\n');
    }
}

static void print_spaces(const Module *m)
{
    printf("functions: %" PRIu32 " (%" PRIu32 " imported, %" PRIu32 " defined)\n", m->nfuncs,
           m->nimported_funcs, m->nfuncs - m->nimported_funcs);
    printf("tables: %" PRIu32 "\n", m->ntables);
    for (uint32_t i = 0; i < m->ntables; i++) {
        printf("  %" PRIu32 ": %s ", i, valtype_name(m->tables[i].elem));
        put_limits(&m->tables[i].lim, "elements");
        puts(i < m->nimported_tables ? ", imported" : "");
    }
    printf("memories: %" PRIu32 "\n", m->nmems);
    for (uint32_t i = 0; i < m->nmems; i++) {
        printf("  %" PRIu32 ": ", i);
        put_limits(&m->mems[i], "pages");
        puts(i < m->nimported_mems ? ", imported" : "");
    }
    printf("globals: %" PRIu32 "\n", m->nglobals);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const GlobalType *g = &m->globals[i].type;
        printf("  %" PRIu32 ": %s %s%s\n", i, g->mut ? "mut" : "const", valtype_name(g->type),
               i < m->nimported_globals ? ", imported" : "");
    }
}

static void print_exports_segments(const Module *m)
{
    printf("exports: %" PRIu32 "\n", m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const Export *e = &m->exports[i];
        printf("  %-7s %4" PRIu32 "  ", kind_name(e->kind), e->idx);
        put_name(&e->name);
        putchar('\n');
    }
    printf("data segments: %" PRIu32 "\n", m->ndatas);
    printf("element segments: %" PRIu32 "\n", m->nelems);
    if (m->has_start) printf("start: function %" PRIu32 "\n", m->start);
    else puts("start: none");
    if (m->has_datacount) printf("data count: %" PRIu32 "\n", m->datacount);
    else puts("data count: none");
}

static void print_customs(const Scan *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++) n += s->secs[i].id == SECTION_CUSTOM;
    printf("custom sections: %" PRIu32 "\n", n);
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->secs[i].id != SECTION_CUSTOM) continue;
        fputs("  ", stdout);
        put_custom_name(&s->secs[i]);
        printf(" %" PRIu32 " bytes\n", s->secs[i].size);
    }
}

/* The name section's contents come from the decoder, which drops a
 * malformed one; a module it refuses shows only that there is one. */
static void print_names(const Report *rp)
{
    if (!scan_has_custom(&rp->scan, "name")) {
        puts("name section: no");
        return;
    }
    if (!rp->m) {
        puts("name section: yes");
        return;
    }
    const NameSection *ns = &rp->m->names;
    printf("name section: yes (%" PRIu32 " function name%s)\n", ns->nfuncs,
           ns->nfuncs == 1 ? "" : "s");
    if (ns->module.str) {
        fputs("module name: ", stdout);
        put_name(&ns->module);
        putchar('\n');
    }
}

static void print_debug(const Scan *s)
{
    if (!scan_has_dwarf(s)) {
        puts("debug info: no");
    } else {
        fputs("debug info: yes (", stdout);
        const char *sep = "";
        for (uint32_t i = 0; i < s->n; i++) {
            if (!is_dwarf(&s->secs[i])) continue;
            fputs(sep, stdout);
            put_text(s->secs[i].name, s->secs[i].name_len);
            sep = ", ";
        }
        puts(")");
    }
    printf("source map: %s\n", scan_has_custom(s, "sourceMappingURL") ? "yes" : "no");
    printf("external debug info: %s\n",
           scan_has_custom(s, "external_debug_info") ? "yes" : "no");
}

static void print_features(const Report *rp)
{
    uint32_t n = 0;
    for (int f = 0; f < FEAT_COUNT; f++) n += rp->used[f];
    if (n == 0) {
        puts("features used: none beyond the MVP");
        return;
    }
    printf("features used: %" PRIu32 "\n", n);
    for (int f = 0; f < FEAT_COUNT; f++)
        if (rp->used[f]) printf("  %-26s %s\n", feature_names[f], rp->why[f]);
}

static void print_verdict(const b8g_error *e)
{
    char buf[512];
    fputs("validation: ", stdout);
    if (e->code == B8G_OK) fputs("valid", stdout);
    else cli_put_safe(stdout, b8g_error_format(e, buf, sizeof buf));
    putchar('\n');
}

static void print_human(const Report *rp)
{
    fputs("module: ", stdout);
    cli_put_safe(stdout, rp->path);
    printf("\nfile size: %zu bytes\n", rp->len);
    if (rp->scan.has_version) printf("version: %" PRIu32 "\n", rp->scan.version);
    print_sections(&rp->scan);
    if (rp->m) {
        print_types(rp->m);
        print_imports(rp->m);
        print_spaces(rp->m);
        print_exports_segments(rp->m);
    }
    print_customs(&rp->scan);
    print_names(rp);
    print_debug(&rp->scan);
    print_features(rp);
    print_verdict(&rp->verdict);
}

/* ---- JSON output (its shape: docs/cli.md) ------------------------------- */

static void json_name(JsonWriter *w, const char *key, const Name *nm)
{
    jw_key(w, key);
    jw_string(w, nm->str, nm->len);
}

static void json_custom_name(JsonWriter *w, const char *key, const ScanSection *sec)
{
    jw_key(w, key);
    if (sec->name) jw_string(w, (const char *)sec->name, sec->name_len);
    else jw_null(w);
}

static void json_limits(JsonWriter *w, const Limits *l)
{
    jw_field_uint(w, "min", l->min);
    if (l->has_max) jw_field_uint(w, "max", l->max);
    else jw_field_null(w, "max");
}

static void json_valtypes(JsonWriter *w, const char *key, const ValType *t, uint32_t n)
{
    jw_key(w, key);
    jw_array_begin(w);
    for (uint32_t i = 0; i < n; i++) jw_cstr(w, valtype_name(t[i]));
    jw_array_end(w);
}

static void json_sections(JsonWriter *w, const Scan *s)
{
    jw_key(w, "sections");
    jw_array_begin(w);
    for (uint32_t i = 0; i < s->n; i++) {
        const ScanSection *sec = &s->secs[i];
        jw_object_begin_flat(w);
        jw_field_uint(w, "id", sec->id);
        jw_field_cstr(w, "name", section_name(sec->id));
        if (sec->id == SECTION_CUSTOM) json_custom_name(w, "custom_name", sec);
        jw_field_uint(w, "offset", sec->offset);
        jw_field_uint(w, "size", sec->size);
        if (sec->truncated) jw_field_bool(w, "truncated", true);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "scan_error");
    if (!s->stop.code) {
        jw_null(w);
        return;
    }
    jw_object_begin_flat(w);
    jw_field_cstr(w, "message", s->stop.msg);
    jw_field_uint(w, "offset", s->stop.offset);
    jw_object_end(w);
}

static void json_types(JsonWriter *w, const Module *m)
{
    jw_key(w, "types");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        jw_object_begin_flat(w);
        json_valtypes(w, "params", ft_params(&m->types[i]), m->types[i].nparams);
        json_valtypes(w, "results", ft_results(&m->types[i]), m->types[i].nresults);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_global_type(JsonWriter *w, const GlobalType *g)
{
    jw_field_cstr(w, "type", valtype_name(g->type));
    jw_field_bool(w, "mutable", g->mut);
}

/* WebAssembly 2.0 limits have neither flag; the fields are there so that
 * a reader need not know that (a module with either does not decode, and
 * shows under "features" instead). */
static void json_memory_flags(JsonWriter *w)
{
    jw_field_bool(w, "memory64", false);
    jw_field_bool(w, "shared", false);
}

static void json_import_desc(JsonWriter *w, const Import *im)
{
    switch (im->kind) {
    case EXT_FUNC: jw_field_uint(w, "type", im->desc.type_idx); break;
    case EXT_TABLE:
        jw_field_cstr(w, "element", valtype_name(im->desc.table.elem));
        json_limits(w, &im->desc.table.lim);
        break;
    case EXT_MEMORY:
        json_limits(w, &im->desc.mem);
        json_memory_flags(w);
        break;
    case EXT_GLOBAL: json_global_type(w, &im->desc.global); break;
    }
}

static void json_imports(JsonWriter *w, const Module *m)
{
    uint32_t next[4] = {0};
    jw_key(w, "imports");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const Import *im = &m->imports[i];
        jw_object_begin_flat(w);
        json_name(w, "module", &im->module);
        json_name(w, "name", &im->field);
        jw_field_cstr(w, "kind", kind_name(im->kind));
        jw_field_uint(w, "index", next[im->kind & 3]++);
        json_import_desc(w, im);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_index_entry(JsonWriter *w, uint32_t i, bool imported)
{
    jw_object_begin_flat(w);
    jw_field_uint(w, "index", i);
    jw_field_bool(w, "imported", imported);
}

static void json_tables_memories(JsonWriter *w, const Module *m)
{
    jw_key(w, "tables");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->ntables; i++) {
        json_index_entry(w, i, i < m->nimported_tables);
        jw_field_cstr(w, "element", valtype_name(m->tables[i].elem));
        json_limits(w, &m->tables[i].lim);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "memories");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->nmems; i++) {
        json_index_entry(w, i, i < m->nimported_mems);
        json_limits(w, &m->mems[i]);
        json_memory_flags(w);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_functions(JsonWriter *w, const Module *m)
{
    jw_key(w, "functions");
    jw_object_begin_flat(w);
    jw_field_uint(w, "imported", m->nimported_funcs);
    jw_field_uint(w, "defined", m->nfuncs - m->nimported_funcs);
    jw_field_uint(w, "total", m->nfuncs);
    jw_object_end(w);
}

static void json_globals(JsonWriter *w, const Module *m)
{
    jw_key(w, "globals");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        json_index_entry(w, i, i < m->nimported_globals);
        json_global_type(w, &m->globals[i].type);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_exports_segments(JsonWriter *w, const Module *m)
{
    jw_key(w, "exports");
    jw_array_begin(w);
    for (uint32_t i = 0; i < m->nexports; i++) {
        jw_object_begin_flat(w);
        json_name(w, "name", &m->exports[i].name);
        jw_field_cstr(w, "kind", kind_name(m->exports[i].kind));
        jw_field_uint(w, "index", m->exports[i].idx);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_field_uint(w, "data_segments", m->ndatas);
    jw_field_uint(w, "element_segments", m->nelems);
    if (m->has_start) jw_field_uint(w, "start", m->start);
    else jw_field_null(w, "start");
    if (m->has_datacount) jw_field_uint(w, "data_count", m->datacount);
    else jw_field_null(w, "data_count");
}

static void json_customs(JsonWriter *w, const Scan *s)
{
    jw_key(w, "custom_sections");
    jw_array_begin(w);
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->secs[i].id != SECTION_CUSTOM) continue;
        jw_object_begin_flat(w);
        json_custom_name(w, "name", &s->secs[i]);
        jw_field_uint(w, "offset", s->secs[i].offset);
        jw_field_uint(w, "size", s->secs[i].size);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_names(JsonWriter *w, const Report *rp)
{
    jw_key(w, "name_section");
    jw_object_begin_flat(w);
    bool present = scan_has_custom(&rp->scan, "name");
    jw_field_bool(w, "present", present);
    const NameSection *ns = present && rp->m ? &rp->m->names : NULL;
    if (ns && ns->module.str) json_name(w, "module", &ns->module);
    else jw_field_null(w, "module");
    if (ns) jw_field_uint(w, "function_names", ns->nfuncs);
    else jw_field_null(w, "function_names");
    jw_object_end(w);
}

static void json_debug(JsonWriter *w, const Scan *s)
{
    jw_key(w, "debug_info");
    jw_object_begin(w);
    jw_field_bool(w, "dwarf", scan_has_dwarf(s));
    jw_key(w, "dwarf_sections");
    jw_array_begin_flat(w);
    for (uint32_t i = 0; i < s->n; i++)
        if (is_dwarf(&s->secs[i]))
            jw_string(w, (const char *)s->secs[i].name, s->secs[i].name_len);
    jw_array_end(w);
    jw_field_bool(w, "source_mapping_url", scan_has_custom(s, "sourceMappingURL"));
    jw_field_bool(w, "external_debug_info", scan_has_custom(s, "external_debug_info"));
    jw_object_end(w);
}

static void json_features(JsonWriter *w, const Report *rp)
{
    jw_key(w, "features");
    jw_array_begin(w);
    for (int f = 0; f < FEAT_COUNT; f++) {
        if (!rp->used[f]) continue;
        jw_object_begin_flat(w);
        jw_field_cstr(w, "name", feature_names[f]);
        jw_field_cstr(w, "evidence", rp->why[f]);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_verdict(JsonWriter *w, const b8g_error *e)
{
    jw_key(w, "validation");
    jw_object_begin(w);
    jw_field_bool(w, "valid", e->code == B8G_OK);
    if (e->code != B8G_OK) {
        jw_field_cstr(w, "status", b8g_status_name(e->code));
        jw_field_cstr(w, "message", e->msg);
        if (e->offset != B8G_NO_OFFSET) jw_field_uint(w, "offset", e->offset);
        else jw_field_null(w, "offset");
        if (e->func != B8G_NO_FUNC) jw_field_uint(w, "function", e->func);
        else jw_field_null(w, "function");
    }
    jw_field_uint(w, "exit_code", (uint64_t)b8g_status_exit_code(e->code));
    jw_object_end(w);
}

static void print_json(const Report *rp)
{
    JsonWriter w;
    jw_init(&w, stdout);
    jw_object_begin(&w);
    jw_field_cstr(&w, "file", rp->path);
    jw_field_cstr(&w, "kind", "module");
    jw_field_uint(&w, "size", rp->len);
    if (rp->scan.has_version) jw_field_uint(&w, "version", rp->scan.version);
    else jw_field_null(&w, "version");
    json_sections(&w, &rp->scan);
    jw_field_bool(&w, "decoded", rp->m != NULL);
    if (rp->m) {
        json_types(&w, rp->m);
        json_imports(&w, rp->m);
        json_functions(&w, rp->m);
        json_tables_memories(&w, rp->m);
        json_globals(&w, rp->m);
        json_exports_segments(&w, rp->m);
    }
    json_customs(&w, &rp->scan);
    json_names(&w, rp);
    json_debug(&w, &rp->scan);
    json_features(&w, rp);
    json_verdict(&w, &rp->verdict);
    jw_object_end(&w);
    jw_finish(&w);
}

int cli_inspect_module(const char *path, const uint8_t *bytes, size_t len, bool json)
{
    Report *rp = cli_calloc(1, sizeof *rp);
    rp->path = path;
    rp->bytes = bytes;
    rp->len = len;
    scan_module(&rp->scan, bytes, len);
    judge(rp);
    if (json) print_json(rp);
    else print_human(rp);
    b8g_error verdict = rp->verdict;
    free(rp->scan.secs);
    mod_free(rp->m);
    free(rp);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(B8G_IO, "cannot write to standard output");
    return verdict.code ? cli_report(&verdict) : 0;
}
