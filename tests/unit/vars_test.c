/*
 * vars_test.c - C source variables at debug stops (b8g_debug_variables,
 * b8g_debug_variable_format) from hand-made DWARF 4: every location kind
 * (DW_OP_fbreg on a frame-base local, DW_OP_WASM_location of a local or a
 * global, DW_OP_addr), every kind of type, lexical-block scopes, the order
 * of the list; and hostile DWARF - truncated and malformed location
 * expressions, type chains that loop, a huge array count, locations and
 * pointers outside the memory, blocks nested deeper than the cap, and
 * every section cut and mutated - which only ever gives fewer variables
 * or "<...>" values, bounded, never a crash (this test also runs under
 * ASan).
 *
 * The code of "f" (param i32) (local i32), by DWARF address:
 *   0 function count, 1 body size, 2-4 locals,
 *   5 i32.const 64, 8 local.set 1 (the frame base), 10 nop, 11 nop,
 *   12 local.get 0, 14 end.
 * The lexical block covers [10, 11).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"
#include "dwbuild.h"

enum {
    F_LO = 5, STOP_ENTRY = 5, STOP_BLOCK = 10, STOP_AFTER = 11, F_HI = 15,
    FRAME = 64,  /* the frame base the code sets */
    ARG = 7,     /* f's argument */
};

enum {
    TAG_ARRAY = 0x01, TAG_ENUM = 0x04, TAG_PARAM = 0x05, TAG_LEXICAL = 0x0b,
    TAG_MEMBER = 0x0d, TAG_POINTER = 0x0f, TAG_CU = 0x11, TAG_STRUCT = 0x13,
    TAG_SUBROUTINE = 0x15, TAG_TYPEDEF = 0x16, TAG_VARARGS = 0x18,
    TAG_SUBRANGE = 0x21, TAG_BASE = 0x24, TAG_CONST = 0x26,
    TAG_ENUMERATOR = 0x28, TAG_SUBPROGRAM = 0x2e, TAG_VARIABLE = 0x34,
    AT_LOCATION = 0x02, AT_NAME = 0x03, AT_BYTE_SIZE = 0x0b,
    AT_BIT_OFFSET = 0x0c, AT_BIT_SIZE = 0x0d, AT_LOW_PC = 0x11,
    AT_HIGH_PC = 0x12, AT_CONST_VALUE = 0x1c, AT_UPPER_BOUND = 0x2f,
    AT_COUNT = 0x37, AT_MEMBER_LOC = 0x38, AT_ENCODING = 0x3e,
    AT_FRAME_BASE = 0x40, AT_TYPE = 0x49,
    FORM_ADDR = 0x01, FORM_DATA4 = 0x06, FORM_DATA8 = 0x07,
    FORM_STRING = 0x08, FORM_DATA1 = 0x0b, FORM_SDATA = 0x0d,
    FORM_REF4 = 0x13, FORM_SEC_OFFSET = 0x17, FORM_EXPRLOC = 0x18,
    ATE_FLOAT = 0x04, ATE_SIGNED = 0x05, ATE_SIGNED_CHAR = 0x06,
    ATE_UNSIGNED = 0x07,
    OP_ADDR = 0x03, OP_DEREF = 0x06, OP_FBREG = 0x91, OP_STACK_VALUE = 0x9f,
    OP_WASM = 0xed,
};

/* Abbreviation codes. */
enum {
    A_CU = 1, A_FUNC, A_PARAM, A_VAR, A_LEXICAL, A_BASE, A_POINTER, A_STRUCT,
    A_MEMBER, A_ARRAY, A_COUNT, A_ENUM, A_ENUMERATOR, A_TYPEDEF, A_CONST,
    A_BITS, A_VAR_LIST, A_VAR_NOLOC, A_UPPER, A_SUBROUTINE, A_TYPE_PARAM,
    A_VARARGS, A_LEXICAL_NEST,
};

static void abbrevs(Bytes *ab)
{
    ABBREV(ab, A_CU, TAG_CU, true, AT_NAME, FORM_STRING);
    ABBREV(ab, A_FUNC, TAG_SUBPROGRAM, true, AT_NAME, FORM_STRING, AT_LOW_PC, FORM_ADDR,
           AT_HIGH_PC, FORM_DATA4, AT_FRAME_BASE, FORM_EXPRLOC);
    ABBREV(ab, A_PARAM, TAG_PARAM, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_LOCATION, FORM_EXPRLOC);
    ABBREV(ab, A_VAR, TAG_VARIABLE, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_LOCATION, FORM_EXPRLOC);
    ABBREV(ab, A_LEXICAL, TAG_LEXICAL, true, AT_LOW_PC, FORM_ADDR, AT_HIGH_PC, FORM_DATA4);
    ABBREV(ab, A_BASE, TAG_BASE, false, AT_NAME, FORM_STRING, AT_ENCODING, FORM_DATA1,
           AT_BYTE_SIZE, FORM_DATA1);
    ABBREV(ab, A_POINTER, TAG_POINTER, false, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_STRUCT, TAG_STRUCT, true, AT_NAME, FORM_STRING, AT_BYTE_SIZE, FORM_DATA1);
    ABBREV(ab, A_MEMBER, TAG_MEMBER, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_MEMBER_LOC, FORM_DATA1);
    ABBREV(ab, A_ARRAY, TAG_ARRAY, true, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_COUNT, TAG_SUBRANGE, false, AT_COUNT, FORM_DATA8);
    ABBREV(ab, A_ENUM, TAG_ENUM, true, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_BYTE_SIZE, FORM_DATA1);
    ABBREV(ab, A_ENUMERATOR, TAG_ENUMERATOR, false, AT_NAME, FORM_STRING,
           AT_CONST_VALUE, FORM_SDATA);
    ABBREV(ab, A_TYPEDEF, TAG_TYPEDEF, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_CONST, TAG_CONST, false, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_BITS, TAG_MEMBER, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_BYTE_SIZE, FORM_DATA1, AT_BIT_SIZE, FORM_DATA1, AT_BIT_OFFSET, FORM_DATA1,
           AT_MEMBER_LOC, FORM_DATA1);
    ABBREV(ab, A_VAR_LIST, TAG_VARIABLE, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4,
           AT_LOCATION, FORM_SEC_OFFSET);
    ABBREV(ab, A_VAR_NOLOC, TAG_VARIABLE, false, AT_NAME, FORM_STRING, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_UPPER, TAG_SUBRANGE, false, AT_UPPER_BOUND, FORM_DATA8);
    ABBREV(ab, A_SUBROUTINE, TAG_SUBROUTINE, true, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_TYPE_PARAM, TAG_PARAM, false, AT_TYPE, FORM_REF4);
    ABBREV(ab, A_VARARGS, TAG_VARARGS, false, AT_NAME, FORM_STRING);
    ABBREV(ab, A_LEXICAL_NEST, TAG_LEXICAL, true, AT_NAME, FORM_STRING);
    b_byte(ab, 0);
}

/* ---- writing DIEs ------------------------------------------------------- */

typedef struct Unit {
    Bytes *in;
    size_t start; /* of the unit: refs count from here */
} Unit;

static uint32_t here(const Unit *u) { return (uint32_t)(u->in->n - u->start); }

static void patch_ref(Unit *u, uint32_t at, uint32_t ref)
{
    for (int i = 0; i < 4; i++) u->in->p[u->start + at + i] = (uint8_t)(ref >> (8 * i));
}

static void expr(Bytes *in, const uint8_t *e, size_t n)
{
    uleb(in, n);
    b_put(in, e, n);
}

static void fbreg(Bytes *in, int64_t off)
{
    Bytes e = {0};
    b_byte(&e, OP_FBREG);
    sleb(&e, off);
    expr(in, e.p, e.n);
    free(e.p);
}

static uint32_t base_type(Unit *u, const char *name, unsigned enc, unsigned size)
{
    uint32_t at = here(u);
    uleb(u->in, A_BASE);
    cstr(u->in, name);
    b_byte(u->in, (uint8_t)enc);
    b_byte(u->in, (uint8_t)size);
    return at;
}

static uint32_t ref_type(Unit *u, unsigned code, uint32_t to)
{
    uint32_t at = here(u);
    uleb(u->in, code);
    le(u->in, to, 4);
    return at;
}

static uint32_t array(Unit *u, uint32_t elem, unsigned code, uint64_t n)
{
    uint32_t at = ref_type(u, A_ARRAY, elem);
    uleb(u->in, code);
    le(u->in, n, 8);
    b_byte(u->in, 0);
    return at;
}

static void var_head(Unit *u, unsigned code, const char *name, uint32_t type)
{
    uleb(u->in, code);
    cstr(u->in, name);
    le(u->in, type, 4);
}

static void var_fbreg(Unit *u, const char *name, uint32_t type, int64_t off)
{
    var_head(u, A_VAR, name, type);
    fbreg(u->in, off);
}

static void var_expr(Unit *u, const char *name, uint32_t type, const uint8_t *e, size_t n)
{
    var_head(u, A_VAR, name, type);
    expr(u->in, e, n);
}
#define VAR_EXPR(u, name, type, ...) var_expr((u), (name), (type), BYTES(__VA_ARGS__))

/* The types every variant uses. */
typedef struct Types {
    uint32_t i, u, ch, dbl, cptr, point, arr3, color, flags, loop, self, huge,
        none, fp, cconst, parr, m23;
} Types;

static void struct_types(Unit *u, Types *t)
{
    t->point = here(u);
    uleb(u->in, A_STRUCT); cstr(u->in, "point"); b_byte(u->in, 8);
    uleb(u->in, A_MEMBER); cstr(u->in, "x"); le(u->in, t->i, 4); b_byte(u->in, 0);
    uleb(u->in, A_MEMBER); cstr(u->in, "y"); le(u->in, t->i, 4); b_byte(u->in, 4);
    b_byte(u->in, 0);
    /* struct flags { unsigned a : 3; int b : 5; }, DWARF 4 style: bit
     * offsets from the storage unit's most significant bit */
    t->flags = here(u);
    uleb(u->in, A_STRUCT); cstr(u->in, "flags"); b_byte(u->in, 4);
    uleb(u->in, A_BITS); cstr(u->in, "a"); le(u->in, t->u, 4);
    b_byte(u->in, 4); b_byte(u->in, 3); b_byte(u->in, 29); b_byte(u->in, 0);
    uleb(u->in, A_BITS); cstr(u->in, "b"); le(u->in, t->i, 4);
    b_byte(u->in, 4); b_byte(u->in, 5); b_byte(u->in, 24); b_byte(u->in, 0);
    b_byte(u->in, 0);
    t->color = here(u);
    uleb(u->in, A_ENUM); cstr(u->in, "color"); le(u->in, t->u, 4); b_byte(u->in, 4);
    uleb(u->in, A_ENUMERATOR); cstr(u->in, "RED"); sleb(u->in, 0);
    uleb(u->in, A_ENUMERATOR); cstr(u->in, "GREEN"); sleb(u->in, 5);
    b_byte(u->in, 0);
}

static void hostile_types(Unit *u, Types *t)
{
    /* typedef loop -> const -> typedef loop: a chain that never ends */
    t->loop = here(u);
    var_head(u, A_TYPEDEF, "loop", 0);
    uint32_t cst = ref_type(u, A_CONST, t->loop);
    patch_ref(u, t->loop + 1 + 5, cst);
    /* a pointer to itself */
    t->self = ref_type(u, A_POINTER, 0);
    patch_ref(u, t->self + 1, t->self);
    /* 2^62 ints, and an upper bound below the lower */
    t->huge = array(u, t->i, A_COUNT, (uint64_t)1 << 62);
    t->none = array(u, t->i, A_UPPER, UINT64_MAX);
}

static void spelled_types(Unit *u, Types *t)
{
    /* int (*)(int, ...) */
    uint32_t fn = ref_type(u, A_SUBROUTINE, t->i);
    ref_type(u, A_TYPE_PARAM, t->i);
    uleb(u->in, A_VARARGS); cstr(u->in, "");
    b_byte(u->in, 0);
    t->fp = ref_type(u, A_POINTER, fn);
    /* char *const */
    t->cconst = ref_type(u, A_CONST, t->cptr);
    /* int (*)[3] */
    t->parr = ref_type(u, A_POINTER, t->arr3);
    /* int [2][3] */
    t->m23 = ref_type(u, A_ARRAY, t->i);
    uleb(u->in, A_COUNT); le(u->in, 2, 8);
    uleb(u->in, A_COUNT); le(u->in, 3, 8);
    b_byte(u->in, 0);
}

static void types(Unit *u, Types *t)
{
    t->i = base_type(u, "int", ATE_SIGNED, 4);
    t->u = base_type(u, "unsigned int", ATE_UNSIGNED, 4);
    t->ch = base_type(u, "char", ATE_SIGNED_CHAR, 1);
    t->dbl = base_type(u, "double", ATE_FLOAT, 8);
    t->cptr = ref_type(u, A_POINTER, t->ch);
    t->arr3 = array(u, t->i, A_COUNT, 3);
    struct_types(u, t);
    hostile_types(u, t);
    spelled_types(u, t);
}

/* f's variables, by frame offset: see the data written by module(). */
static void locals(Unit *u, const Types *t)
{
    var_fbreg(u, "x", t->i, 0);
    var_fbreg(u, "s", t->cptr, 4);
    var_fbreg(u, "pt", t->point, 8);
    var_fbreg(u, "arr", t->arr3, 16);
    var_fbreg(u, "e", t->color, 28);
    var_fbreg(u, "fl", t->flags, 32);
    var_fbreg(u, "d", t->dbl, 36);
    var_fbreg(u, "far", t->cptr, 44);
    var_fbreg(u, "huge", t->huge, 16);
    var_fbreg(u, "none", t->none, 16);
    var_fbreg(u, "loop", t->loop, 0);
    var_fbreg(u, "self", t->self, 0);
    var_fbreg(u, "fp", t->fp, 0);
    var_fbreg(u, "cc", t->cconst, 4);
    var_fbreg(u, "pa", t->parr, 0);
    var_fbreg(u, "m", t->m23, 16);
    VAR_EXPR(u, "outside", t->i, OP_ADDR, 0x00, 0x00, 0xff, 0x7f);
    VAR_EXPR(u, "edge", t->point, OP_ADDR, 0xfe, 0xff, 0x00, 0x00);
    VAR_EXPR(u, "wg", t->i, OP_WASM, 1, 0, OP_STACK_VALUE);
    VAR_EXPR(u, "wg3", t->i, OP_WASM, 3, 0, 0, 0, 0, OP_STACK_VALUE);
    VAR_EXPR(u, "badlocal", t->i, OP_WASM, 0, 99, OP_STACK_VALUE);
    VAR_EXPR(u, "cut_fbreg", t->i, OP_FBREG);
    VAR_EXPR(u, "cut_wasm", t->i, OP_WASM, 0);
    VAR_EXPR(u, "cut_addr", t->i, OP_ADDR, 0x00, 0x01);
    VAR_EXPR(u, "deref", t->i, OP_FBREG, 0, OP_DEREF);
    var_head(u, A_VAR_LIST, "list", t->i);
    le(u->in, 0, 4);
    var_head(u, A_VAR_NOLOC, "gone", t->i);
}

typedef struct Dwarf {
    Bytes info, abbrev;
} Dwarf;

/* The DWARF of f; `nest` lexical blocks nested in its block (0: none). */
static Dwarf dwarf(int nest)
{
    Dwarf dw = {0};
    abbrevs(&dw.abbrev);
    Bytes *in = &dw.info;
    size_t unit = unit_begin(in);
    le(in, 4, 2);
    le(in, 0, 4);
    b_byte(in, 4);
    Unit u = {in, unit};
    Types t;
    uleb(in, A_CU); cstr(in, "t.c");
    types(&u, &t);
    VAR_EXPR(&u, "g", t.i, OP_ADDR, 0x00, 0x01, 0x00, 0x00);
    VAR_EXPR(&u, "dropped", t.i, OP_ADDR, 0xff, 0xff, 0xff, 0xff);
    uleb(in, A_FUNC); cstr(in, "f"); le(in, F_LO, 4); le(in, F_HI - F_LO, 4);
    expr(in, BYTES(OP_WASM, 0, 1, OP_STACK_VALUE));
    var_head(&u, A_PARAM, "n", t.i);
    expr(in, BYTES(OP_WASM, 0, 0, OP_STACK_VALUE));
    locals(&u, &t);
    uleb(in, A_LEXICAL); le(in, STOP_BLOCK, 4); le(in, STOP_AFTER - STOP_BLOCK, 4);
    var_fbreg(&u, "inner", t.i, 0);
    for (int i = 0; i < nest; i++) {
        uleb(in, A_LEXICAL_NEST); cstr(in, "");
        var_fbreg(&u, "deep", t.i, 0);
    }
    for (int i = 0; i < nest; i++) b_byte(in, 0);
    b_byte(in, 0); /* the block */
    b_byte(in, 0); /* f */
    b_byte(in, 0); /* the unit */
    unit_end(in, unit);
    return dw;
}

static void dwarf_free(Dwarf *dw)
{
    free(dw->info.p);
    free(dw->abbrev.p);
}

/* ---- the module ---------------------------------------------------------- */

static void data(Mb *mb, uint32_t at, const void *bytes, size_t n)
{
    Bytes e = {0};
    b_byte(&e, 0);
    b_byte(&e, 0x41);
    sleb(&e, at);
    b_byte(&e, 0x0b);
    b_u32(&e, (uint32_t)n);
    b_put(&e, bytes, n);
    mb_entry(mb, SEC_DATA, e.p, e.n);
    free(e.p);
}

/* The frame at FRAME: x, s, pt, arr, e, fl, d, far (see locals()). */
static void frame_data(Mb *mb)
{
    uint8_t f[48] = {0};
    int32_t ints[] = {14, 0x200, 1, -2, 7, 8, 9, 5};
    size_t at[] = {0, 4, 8, 12, 16, 20, 24, 28};
    for (size_t i = 0; i < 8; i++) memcpy(f + at[i], &ints[i], 4);
    f[32] = 5 | (uint8_t)((-3 & 0x1f) << 3); /* a = 5, b = -3 */
    double d = 1.5;
    memcpy(f + 36, &d, 8);
    uint32_t far = 0xfffc;
    memcpy(f + 44, &far, 4);
    data(mb, FRAME, f, sizeof f);
    data(mb, 0x100, BYTES(42, 0, 0, 0));
    data(mb, 0x200, "hello\n", 7);
    data(mb, 0xfffc, "abcd", 4); /* no NUL before the memory ends */
}

static uint8_t *module(const Dwarf *dw, size_t *len)
{
    Mb mb = {0};
    uint32_t t = mb_type(&mb, "i", "i");
    mb_func(&mb, t, "i", BYTES(0x41, 0xc0, 0x00, 0x21, 0x01, 0x01, 0x01, 0x20, 0x00, 0x0b));
    mb_memory(&mb, 1, false, 0);
    mb_entry(&mb, SEC_GLOBAL, BYTES(0x7f, 0x01, 0x41, 0xd2, 0x09, 0x0b)); /* 1234 */
    mb_export(&mb, "f", 0, 0);
    frame_data(&mb);
    Bytes out = {0};
    size_t n;
    uint8_t *base = mb_build(&mb, &n);
    b_put(&out, base, n);
    free(base);
    mb_free(&mb);
    if (dw->info.p) b_custom(&out, ".debug_info", dw->info.p, dw->info.n);
    if (dw->abbrev.p) b_custom(&out, ".debug_abbrev", dw->abbrev.p, dw->abbrev.n);
    *len = out.n;
    return out.p;
}

/* ---- running f and looking at its stops -------------------------------- */

#define MAX_VARS 64
#define VALUE_CAP 256

/* What one stop showed; the names copied, as the module goes first. */
typedef struct Seen {
    uint32_t n;                  /* b8g_debug_variables' count */
    b8g_source_var var[MAX_VARS];
    char name[MAX_VARS][32];
    char value[MAX_VARS][VALUE_CAP];
} Seen;

typedef struct Run {
    uint64_t code_start;
    Seen at[3];                  /* STOP_ENTRY, STOP_BLOCK, STOP_AFTER */
    b8g_source_var block_var;    /* "inner", from STOP_BLOCK */
    bool have_block_var;
    char stale[8];               /* it formatted at STOP_AFTER */
} Run;

static int stop_slot(const Run *r, uint64_t off)
{
    static const uint32_t stops[3] = {STOP_ENTRY, STOP_BLOCK, STOP_AFTER};
    for (int i = 0; i < 3; i++)
        if (off == r->code_start + stops[i]) return i;
    return -1;
}

static void look(Run *r, const b8g_debug_stop *stop, Seen *s)
{
    s->n = b8g_debug_variables(stop, 0, s->var, MAX_VARS);
    assert_true(s->n < 10000);
    for (uint32_t i = 0; i < s->n && i < MAX_VARS; i++) {
        const b8g_source_var *v = &s->var[i];
        assert_non_null(v->name);
        assert_true(strlen(v->type) < sizeof v->type);
        memset(s->value[i], 'x', VALUE_CAP);
        b8g_debug_variable_format(stop, 0, v, s->value[i], VALUE_CAP);
        assert_true(strlen(s->value[i]) < VALUE_CAP);
        if (strcmp(v->name, "inner") == 0 && !r->have_block_var) {
            r->block_var = *v;
            r->have_block_var = true;
        }
        snprintf(s->name[i], sizeof s->name[i], "%s", v->name);
        s->var[i].name = s->name[i];
    }
}

static bool on_stop(void *arg, const b8g_debug_stop *stop)
{
    Run *r = arg;
    b8g_frame_info fr;
    assert_true(b8g_debug_frame(stop, 0, &fr));
    int slot = stop_slot(r, fr.code_offset);
    if (slot >= 0) look(r, stop, &r->at[slot]);
    if (slot == 2 && r->have_block_var)
        b8g_debug_variable_format(stop, 0, &r->block_var, r->stale, sizeof r->stale);
    return true;
}

static void run(const Dwarf *dw, Run *r)
{
    size_t len;
    uint8_t *bytes = module(dw, &len);
    memset(r, 0, sizeof *r);
    strcpy(r->stale, "unset");
    r->code_start = module_code_start(bytes, len);
    b8g_module *m = NULL;
    b8g_error err;
    b8g_status st = b8g_module_load_debug(bytes, len, &m, &err);
    free(bytes);
    if (st) fail_msg("load: %s", err.msg);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    b8g_store_set_debugger(s, on_stop, r);
    b8g_val a = {.type = B8G_I32, .of.i32 = ARG}, res;
    assert_int_equal(b8g_call(inst, "f", &a, 1, &res, 1, &err), B8G_OK);
    assert_int_equal(res.of.i32, ARG);
    b8g_store_free(s);
    b8g_module_free(m);
}

/* The variable named name in s, or NULL. */
static const b8g_source_var *find(const Seen *s, const char *name, const char **value)
{
    for (uint32_t i = 0; i < s->n && i < MAX_VARS; i++)
        if (strcmp(s->var[i].name, name) == 0) {
            if (value) *value = s->value[i];
            return &s->var[i];
        }
    return NULL;
}

static void expect(const Seen *s, const char *name, const char *type, const char *value)
{
    const char *got = NULL;
    const b8g_source_var *v = find(s, name, &got);
    if (!v || !got) fail_msg("no variable %s", name);
    if (strcmp(v->type, type) != 0) fail_msg("%s: type \"%s\", expected \"%s\"", name, v->type, type);
    if (strcmp(got, value) != 0) fail_msg("%s: \"%s\", expected \"%s\"", name, got, value);
}

/* ---- the tests ------------------------------------------------------------ */

static void test_values(void **state)
{
    (void)state;
    Dwarf dw = dwarf(0);
    Run r;
    run(&dw, &r);
    const Seen *s = &r.at[1];
    expect(s, "n", "int", "7");
    expect(s, "x", "int", "14");
    expect(s, "s", "char *", "0x200 \"hello\\n\"");
    expect(s, "pt", "struct point", "{x = 1, y = -2}");
    expect(s, "arr", "int [3]", "{7, 8, 9}");
    expect(s, "e", "enum color", "GREEN (5)");
    expect(s, "fl", "struct flags", "{a = 5, b = -3}");
    expect(s, "d", "double", "1.5");
    expect(s, "far", "char *", "0xfffc \"abcd\" <cannot read 0x10000>");
    expect(s, "g", "int", "42");
    expect(s, "wg", "int", "1234");
    expect(s, "wg3", "int", "1234");
    expect(s, "inner", "int", "14");
    /* types spelled as C declares them */
    expect(s, "cc", "char *const", "0x200 \"hello\\n\"");
    expect(s, "fp", "int (*)(int, ...)", "0xe");
    expect(s, "pa", "int (*)[3]", "0xe");
    expect(s, "m", "int [2][3]", "{{...}, {...}}");
    b8g_source_var *n = (b8g_source_var *)find(s, "n", NULL);
    assert_true(n->param && !n->global && n->scope == 1);
    const b8g_source_var *g = find(s, "g", NULL);
    assert_true(!g->param && g->global && g->scope == 0);
    assert_int_equal(find(s, "inner", NULL)->scope, 2);
    assert_int_equal(find(s, "x", NULL)->scope, 1);
    dwarf_free(&dw);
}

/* What cannot be read or evaluated says so, within bounds. */
static void test_unreadable(void **state)
{
    (void)state;
    Dwarf dw = dwarf(0);
    Run r;
    run(&dw, &r);
    const Seen *s = &r.at[1];
    expect(s, "outside", "int", "<cannot read 0x7fff0000>");
    expect(s, "edge", "struct point", "{x = <cannot read 0xfffe>, y = <cannot read 0x10002>}");
    expect(s, "badlocal", "int", "<cannot read local 99>");
    expect(s, "cut_fbreg", "int", "<unsupported location>");
    expect(s, "cut_wasm", "int", "<unsupported location>");
    expect(s, "cut_addr", "int", "<unsupported location>");
    expect(s, "deref", "int", "<unsupported location>");
    expect(s, "list", "int", "<unsupported location>");
    expect(s, "gone", "int", "<optimized out>");
    /* 2^62 elements: the first ten read (arr, e, fl, d and far), no more */
    expect(s, "huge", "int [4611686018427387904]",
           "{7, 8, 9, 5, 237, 0, 1073217536, 65532, 0, 0, ...}");
    expect(s, "none", "int [0]", "{}");
    /* a type chain that loops: a bounded name, no value */
    expect(s, "loop", "loop", "<unknown type>");
    const char *self;
    const b8g_source_var *v = find(s, "self", &self);
    assert_non_null(v);
    assert_string_equal(v->type, "? ****************");
    assert_string_equal(self, "0xe");
    /* a linker's tombstone address: dropped, not listed */
    assert_null(find(s, "dropped", NULL));
    dwarf_free(&dw);
}

/* Which variables each stop sees, and in what order. */
static void test_scopes(void **state)
{
    (void)state;
    Dwarf dw = dwarf(0);
    Run r;
    run(&dw, &r);
    const Seen *block = &r.at[1], *after = &r.at[2], *entry = &r.at[0];
    assert_int_equal(block->n, after->n + 1);
    assert_null(find(after, "inner", NULL));
    /* params, the innermost block's locals, the function's, file scope */
    assert_string_equal(block->var[0].name, "n");
    assert_string_equal(block->var[1].name, "inner");
    assert_string_equal(block->var[2].name, "x");
    assert_string_equal(block->var[block->n - 1].name, "g");
    /* a variable of one stop is not one of another */
    assert_true(r.have_block_var);
    assert_string_equal(r.stale, "");
    /* before the frame base is set */
    expect(entry, "x", "int", "<frame not set up yet>");
    expect(entry, "n", "int", "7");
    expect(entry, "g", "int", "42");
    dwarf_free(&dw);
}

typedef struct Edges {
    uint64_t code_start;
    bool done;
} Edges;

static bool edge_stop(void *arg, const b8g_debug_stop *stop)
{
    Edges *e = arg;
    b8g_frame_info fr;
    b8g_debug_frame(stop, 0, &fr);
    if (fr.code_offset != e->code_start + STOP_BLOCK) return true;
    b8g_source_var v[2];
    uint32_t n = b8g_debug_variables(stop, 0, NULL, 0);
    assert_true(n > 2);
    memset(v, 0, sizeof v);
    assert_int_equal(b8g_debug_variables(stop, 0, v, 1), n);
    assert_string_equal(v[0].name, "n");
    assert_null(v[1].name); /* untouched */
    assert_int_equal(b8g_debug_variables(stop, 0, NULL, 5), 0);
    assert_int_equal(b8g_debug_variables(stop, 1, v, 2), 0); /* no frame 1 */
    assert_int_equal(b8g_debug_variables(NULL, 0, v, 2), 0);
    char buf[8];
    assert_string_equal(b8g_debug_variable_format(stop, 0, &v[0], buf, sizeof buf), "7");
    assert_string_equal(b8g_debug_variable_format(stop, 1, &v[0], buf, sizeof buf), "");
    assert_null(b8g_debug_variable_format(stop, 0, &v[0], NULL, 8));
    b8g_source_var bad = v[0];
    bad.id = UINT32_MAX;
    assert_string_equal(b8g_debug_variable_format(stop, 0, &bad, buf, sizeof buf), "");
    assert_string_equal(b8g_debug_variable_format(stop, 0, NULL, buf, sizeof buf), "");
    /* a value cut to the buffer, with "..." */
    b8g_debug_variables(stop, 0, v, 2);
    for (uint32_t i = 0; i < n; i++) {
        b8g_source_var all[MAX_VARS];
        b8g_debug_variables(stop, 0, all, MAX_VARS);
        if (strcmp(all[i].name, "s") != 0) continue;
        assert_string_equal(b8g_debug_variable_format(stop, 0, &all[i], buf, sizeof buf), "0x20...");
        buf[0] = 'x';
        b8g_debug_variable_format(stop, 0, &all[i], buf, 1);
        assert_string_equal(buf, "");
    }
    e->done = true;
    return true;
}

static void test_api_edges(void **state)
{
    (void)state;
    Dwarf dw = dwarf(0);
    size_t len;
    uint8_t *bytes = module(&dw, &len);
    Edges e = {module_code_start(bytes, len), false};
    b8g_module *m;
    b8g_error err;
    assert_int_equal(b8g_module_load_debug(bytes, len, &m, &err), B8G_OK);
    free(bytes);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    b8g_store_set_debugger(s, edge_stop, &e);
    b8g_val a = {.type = B8G_I32, .of.i32 = ARG}, res;
    assert_int_equal(b8g_call(inst, "f", &a, 1, &res, 1, &err), B8G_OK);
    assert_true(e.done);
    b8g_store_free(s);
    b8g_module_free(m);
    dwarf_free(&dw);
}

/* Blocks nested past the cap: the variables of the deeper ones are not
 * seen, the others are. */
static void test_deep_blocks(void **state)
{
    (void)state;
    Dwarf dw = dwarf(3000);
    Run r;
    run(&dw, &r);
    const Seen *s = &r.at[1];
    assert_non_null(find(s, "inner", NULL));
    uint32_t deep = 0;
    for (uint32_t i = 0; i < s->n && i < MAX_VARS; i++) deep += strcmp(s->var[i].name, "deep") == 0;
    assert_true(deep > 0 && deep < 64);
    dwarf_free(&dw);
}

/* Every cut of .debug_info and .debug_abbrev; and of the unit inside
 * .debug_info, its length saying so, which cuts DIEs and expressions
 * anywhere: the variables before the cut are seen, those after are not. */
static void test_truncated(void **state)
{
    (void)state;
    Dwarf dw = dwarf(2);
    Bytes *secs[2] = {&dw.info, &dw.abbrev};
    for (int k = 0; k < 2; k++) {
        size_t full = secs[k]->n;
        for (size_t n = 0; n < full; n++) {
            secs[k]->n = n;
            Run r;
            run(&dw, &r);
        }
        secs[k]->n = full;
    }
    Run whole;
    run(&dw, &whole);
    uint32_t full = (uint32_t)dw.info.n, fewer = 0, last = 0;
    for (uint32_t n = 11; n < full; n++) {
        dw.info.n = n;
        unit_end(&dw.info, 0);
        Run r;
        run(&dw, &r);
        assert_true(r.at[1].n <= whole.at[1].n);
        assert_true(r.at[1].n >= last || r.at[1].n == 0);
        fewer += r.at[1].n < whole.at[1].n;
        last = r.at[1].n;
    }
    assert_true(fewer > 0 && last > 0);
    dw.info.n = full;
    dwarf_free(&dw);
}

static uint64_t rng_state = 0x2545f4914f6cdd1du;

/* Random bytes of both sections overwritten, a few at a time. */
static void test_mutated(void **state)
{
    (void)state;
    for (int iter = 0; iter < 1500; iter++) {
        Dwarf dw = dwarf(iter % 3);
        for (int k = 1 + (int)rnd_next(&rng_state, 4); k > 0; k--)
            mutate_byte(rnd_next(&rng_state, 4) ? &dw.info : &dw.abbrev, &rng_state);
        Run r;
        run(&dw, &r);
        dwarf_free(&dw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_api_edges),
        cmocka_unit_test(test_deep_blocks),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_mutated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
