/*
 * module.h - a decoded WebAssembly module.
 *
 * Invariants:
 *  - The Module owns a private copy of the binary (`bytes`); every pointer to
 *    code or data below points into that copy, so a Module is valid as long as
 *    it lives and never depends on the caller's buffer.
 *  - Index spaces include imports first, as the spec defines them:
 *    func_types[0..nfuncs) covers imported and defined functions, and
 *    funcs[i] describes defined function nimported_funcs + i.  The same holds
 *    for tables, mems and globals (imported entries carry no initialiser).
 *  - Names (Name) are NUL-terminated copies, valid UTF-8 (checked by the
 *    decoder); `len` excludes the NUL and names may contain NUL bytes.
 *  - After dec_module() the module is well-formed; after val_module() it is
 *    valid and `translated` code may be produced; nothing mutates it after,
 *    except `debug`, set once on first use (debug/debug.h).
 */
#ifndef B8G_WASM_MODULE_H
#define B8G_WASM_MODULE_H

#include "b8g.h"
#include "util/common.h"

typedef uint8_t ValType; /* one of the b8g_valtype codes */

#define VT_I32 ((ValType)0x7f)
#define VT_I64 ((ValType)0x7e)
#define VT_F32 ((ValType)0x7d)
#define VT_F64 ((ValType)0x7c)
#define VT_V128 ((ValType)0x7b)
#define VT_FUNCREF ((ValType)0x70)
#define VT_EXTERNREF ((ValType)0x6f)

static inline bool vt_is_ref(ValType t) { return t == VT_FUNCREF || t == VT_EXTERNREF; }

typedef struct Name {
    char *str;    /* NUL-terminated copy */
    uint32_t len; /* bytes, excluding the NUL */
} Name;

typedef struct FuncType {
    uint32_t nparams;
    uint32_t nresults;
    ValType *types; /* params, then results */
} FuncType;

static inline const ValType *ft_params(const FuncType *t) { return t->types; }
static inline const ValType *ft_results(const FuncType *t) { return t->types + t->nparams; }

typedef struct Limits {
    uint32_t min;
    uint32_t max;
    bool has_max;
} Limits;

typedef struct TableType {
    ValType elem; /* VT_FUNCREF or VT_EXTERNREF */
    Limits lim;
} TableType;

typedef struct GlobalType {
    ValType type;
    bool mut;
} GlobalType;

typedef enum ExternKind {
    EXT_FUNC = 0,
    EXT_TABLE = 1,
    EXT_MEMORY = 2,
    EXT_GLOBAL = 3,
} ExternKind;

/*
 * A constant expression.  In WebAssembly 2.0 a valid one is a single
 * instruction followed by `end`; the decoder stores that instruction.
 * `op` is OPC_I32_CONST, OPC_I64_CONST, OPC_F32_CONST, OPC_F64_CONST,
 * OPC_REF_NULL (value = reftype), OPC_REF_FUNC (value = funcidx) or
 * OPC_GLOBAL_GET (value = globalidx).
 *
 * Which instructions are constant is a validation rule, so the decoder
 * accepts any well-encoded instruction sequence up to the matching `end`
 * (malformed encodings are still malformed) and records what it saw:
 *   - exactly one instruction: that op, value = its immediate (constant
 *     bits, index or reftype; 0 if it has none) - the validator rejects a
 *     non-constant op ("constant expression required");
 *   - no instruction (`end` alone): op = OPC_END - the validator reports
 *     "type mismatch" (the expression leaves no value);
 *   - several instructions: op = OPC_COUNT - the validator reports
 *     "constant expression required".
 * Element segment items given as function indices are stored as
 * OPC_REF_FUNC with value = funcidx.
 */
typedef struct ConstExpr {
    uint16_t op;
    uint64_t value;  /* constant bits, or index, or reftype */
    uint64_t offset; /* byte offset of the expression in the module */
} ConstExpr;

typedef struct Import {
    Name module;
    Name field;
    ExternKind kind;
    union {
        uint32_t type_idx; /* EXT_FUNC */
        TableType table;
        Limits mem;
        GlobalType global;
    } desc;
    uint64_t offset;
} Import;

typedef struct Export {
    Name name;
    ExternKind kind;
    uint32_t idx;
    uint64_t offset; /* of the export's entry in the module */
} Export;

/* A defined function's body. */
typedef struct Func {
    uint32_t type_idx;
    uint32_t nlocals;        /* declared locals, excluding params */
    ValType *local_types;    /* nlocals entries */
    const uint8_t *code;     /* the expression: first instruction .. final end */
    uint32_t code_len;
    uint64_t code_offset;    /* offset of `code` in the module */
    uint64_t body_offset;    /* offset of the body (its size field) */
    struct XlFunc *xl;       /* translated body (exec/), owned by the module;
                                in a lazy module its stub until the first
                                call translates it (read atomically) */
    struct XlFunc *stub;     /* lazy modules: the stub (xl_translate_lazy) */
    const struct XlStored *stored; /* lazy modules: code from a trusted
                                      image, taken instead of translating */
} Func;

typedef struct Global {
    GlobalType type;
    ConstExpr init; /* defined globals only */
} Global;

typedef enum SegMode {
    SEG_ACTIVE,
    SEG_PASSIVE,
    SEG_DECLARATIVE,
} SegMode;

typedef struct ElemSeg {
    SegMode mode;
    ValType type;       /* VT_FUNCREF or VT_EXTERNREF */
    uint32_t table;     /* active only */
    ConstExpr offset;   /* active only */
    uint32_t count;
    ConstExpr *items;   /* count entries: ref.func / ref.null / global.get */
    uint64_t offset_in_module;
} ElemSeg;

typedef struct DataSeg {
    SegMode mode;        /* SEG_ACTIVE or SEG_PASSIVE */
    uint32_t mem;        /* active only */
    ConstExpr offset;    /* active only */
    const uint8_t *bytes;
    uint32_t len;
    uint64_t offset_in_module;
} DataSeg;

typedef struct CustomSection {
    Name name;
    const uint8_t *data; /* payload after the name */
    size_t len;
    uint64_t offset;     /* of the payload */
} CustomSection;

/* Names from the "name" custom section (all optional). */
typedef struct NameEntry {
    uint32_t idx;
    Name name;
} NameEntry;

typedef struct NameSection {
    Name module;             /* str NULL if absent */
    NameEntry *funcs;        /* sorted by idx, unique */
    uint32_t nfuncs;
} NameSection;

typedef struct Module {
    uint8_t *bytes;          /* owned copy of the binary */
    size_t len;

    FuncType *types;
    uint32_t ntypes;

    Import *imports;
    uint32_t nimports;
    uint32_t nimported_funcs, nimported_tables, nimported_mems, nimported_globals;

    uint32_t nfuncs;         /* imported + defined */
    uint32_t *func_types;    /* type index of every function */
    Func *funcs;             /* defined functions: nfuncs - nimported_funcs */

    uint32_t ntables;
    TableType *tables;       /* imported + defined */
    uint32_t nmems;
    Limits *mems;            /* imported + defined */
    uint32_t nglobals;
    Global *globals;         /* imported + defined */

    Export *exports;
    uint32_t nexports;

    bool has_start;
    uint32_t start;

    ElemSeg *elems;
    uint32_t nelems;
    DataSeg *datas;
    uint32_t ndatas;
    bool has_datacount;
    uint32_t datacount;

    /* Byte offset of each known section's id byte (index = section id),
     * 0 when absent: module-level errors point at their section. */
    uint64_t section_offsets[13];

    CustomSection *customs;
    uint32_t ncustoms;
    NameSection names;

    /* Set by the validator: functions referenced outside function bodies
     * (exports, element segments, global initialisers), i.e. C.refs. */
    bool *func_declared;     /* nfuncs entries */

    /* The b8g_module that wraps this Module (set by b8g_module_load, NULL
     * for a Module used on its own), so a backtrace frame can name it. */
    struct b8g_module *owner;
    /* Translated with a debugger stop before every instruction
     * (b8g_module_load_debug; exec/translate.c). */
    bool debug_stops;
    /* Bodies are validated and translated on their first call
     * (xl_translate_lazy); xl_used counts their translated size. */
    bool lazy;
    uint64_t xl_used;
    /* Stored code handed over by a trusted image (exec/xlstore.h): the
     * records Func.stored points to, and the bytes they point into, both
     * owned by the module (stored_mem mapped when stored_mapped). */
    struct XlStored *stored;
    void *stored_mem;
    size_t stored_len;
    bool stored_mapped;
    /* Lazy functions made ready so far: translated, or taken from stored
     * code (written under xl_ensure's lock, read atomically). */
    uint32_t xl_translated, xl_taken;
    /* Source locations from the DWARF sections, read on first use and
     * owned (debug/debug.h); NULL until then. */
    struct DebugInfo *debug;
} Module;

static inline const FuncType *mod_func_type(const Module *m, uint32_t funcidx)
{
    return &m->types[m->func_types[funcidx]];
}

/* Frees a module and everything it owns (safe on partially built ones). */
void mod_free(Module *m);
/* The name of function idx from the name section, or NULL. */
const char *mod_func_name(const Module *m, uint32_t idx);
/* What to call function idx in messages: its name-section name, else the
 * name of an export of it, else NULL.  Linear in the exports: cold paths
 * only (backtraces). */
const char *mod_func_label(const Module *m, uint32_t idx);
/* The letter of t in b8g_host_func signatures ("ii:i"), or 0 (v128 has
 * none). */
char mod_sig_letter(ValType t);

#endif
