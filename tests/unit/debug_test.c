/*
 * debug_test.c - source locations from DWARF (b8g_module_source): a
 * module with two functions, one call inlined into the first, described
 * once in DWARF 4 forms and once in DWARF 5's (strx, addrx, rnglistx,
 * line_strp, self-described line-table entries), must give the same
 * answers at every address; traps name their module; truncated, mutated
 * and specially crafted DWARF gives no answer or a partial one, never a
 * crash, a hang or a huge allocation (this test also runs under ASan).
 *
 * The code, by DWARF address (counted from the code section's contents):
 *   0 function count, 1 "outer"'s body size, 2 its locals, 3-10 nop,
 *   11 unreachable, 12 end; 13 "plain"'s body size, 14 its locals,
 *   15-17 nop, 18 unreachable, 19 end.
 */
#include <pthread.h>
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

/* DWARF addresses of the code built by base_module. */
enum {
    OUTER_LO = 3,      /* first instruction of "outer" */
    OUTER_TRAP = 11,   /* its unreachable */
    OUTER_HI = 13,     /* one past its end */
    INLINE_LO = 5,     /* "helper" inlined into outer: [5, 9) */
    INLINE_HI = 9,
    PLAIN_LO = 15,
    PLAIN_TRAP = 18,
    PLAIN_HI = 20,
    CODE_SIZE = 20,
};

/* ---- the module --------------------------------------------------------- */

enum { S_INFO, S_ABBREV, S_LINE, S_STR, S_LINE_STR, S_STR_OFFSETS, S_ADDR,
       S_RNGLISTS, S_COUNT };
static const char *const section_names[S_COUNT] = {
    ".debug_info", ".debug_abbrev", ".debug_line", ".debug_str",
    ".debug_line_str", ".debug_str_offsets", ".debug_addr", ".debug_rnglists",
};

typedef struct Dwarf {
    Bytes s[S_COUNT];
} Dwarf;

static void dwarf_free(Dwarf *d)
{
    for (int i = 0; i < S_COUNT; i++) free(d->s[i].p);
    memset(d, 0, sizeof *d);
}

/* "outer": 8 nops then unreachable; "plain": 3 nops then unreachable;
 * both exported, then the DWARF sections that are present. */
static uint8_t *build_module(const Dwarf *dw, size_t *len)
{
    Mb mb = {0};
    uint32_t t = mb_type(&mb, "", "");
    mb_func(&mb, t, "", BYTES(0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x0b));
    mb_func(&mb, t, "", BYTES(0x01, 0x01, 0x01, 0x00, 0x0b));
    mb_export(&mb, "outer", 0, 0);
    mb_export(&mb, "plain", 0, 1);
    Bytes out = {0};
    size_t n;
    uint8_t *base = mb_build(&mb, &n);
    b_put(&out, base, n);
    free(base);
    mb_free(&mb);
    for (int i = 0; dw && i < S_COUNT; i++)
        if (dw->s[i].p) b_custom(&out, section_names[i], dw->s[i].p, dw->s[i].n);
    *len = out.n;
    return out.p;
}

static b8g_module *load(const Dwarf *dw)
{
    size_t len;
    uint8_t *bytes = build_module(dw, &len);
    b8g_module *m = NULL;
    b8g_error err;
    b8g_status st = b8g_module_load(bytes, len, &m, &err);
    free(bytes);
    if (st) fail_msg("load: %s", err.msg);
    return m;
}

/* Module offset of DWARF address 0. */
static uint64_t code_start(const Dwarf *dw)
{
    size_t len;
    uint8_t *b = build_module(dw, &len);
    uint64_t start = module_code_start(b, len);
    free(b);
    return start;
}

/* ---- DWARF 4 ------------------------------------------------------------ */

enum {
    TAG_COMPILE_UNIT = 0x11, TAG_SUBPROGRAM = 0x2e, TAG_INLINED = 0x1d,
    AT_NAME = 0x03, AT_STMT_LIST = 0x10, AT_LOW_PC = 0x11, AT_HIGH_PC = 0x12,
    AT_COMP_DIR = 0x1b, AT_INLINE = 0x20, AT_ABSTRACT_ORIGIN = 0x31,
    AT_RANGES = 0x55, AT_CALL_COLUMN = 0x57, AT_CALL_FILE = 0x58,
    AT_CALL_LINE = 0x59, AT_STR_OFFSETS_BASE = 0x72, AT_ADDR_BASE = 0x73,
    AT_RNGLISTS_BASE = 0x74,
    FORM_ADDR = 0x01, FORM_DATA1 = 0x0b, FORM_DATA4 = 0x06, FORM_STRING = 0x08,
    FORM_REF4 = 0x13, FORM_SEC_OFFSET = 0x17, FORM_UDATA = 0x0f,
    FORM_LINE_STRP = 0x1f, FORM_STRX1 = 0x25, FORM_ADDRX1 = 0x29,
    FORM_RNGLISTX = 0x23,
};

static const uint8_t std_lens[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

/* The line header's fixed fields after header_length. */
static void line_params(Bytes *b)
{
    b_byte(b, 1);   /* min_inst_length */
    b_byte(b, 1);   /* max_ops_per_inst */
    b_byte(b, 1);   /* default_is_stmt */
    b_byte(b, (uint8_t)-5); /* line_base */
    b_byte(b, 14);  /* line_range */
    b_byte(b, 13);  /* opcode_base */
    b_put(b, std_lens, sizeof std_lens);
}

/* The line program: outer's sequence (its own file, then the inlined
 * helper's lines from the header file, then its own again) and plain's. */
static void line_program(Bytes *b, unsigned file_c, unsigned file_h)
{
    b_byte(b, 0); uleb(b, 5); b_byte(b, 2); le(b, OUTER_LO, 4); /* set_address */
    b_byte(b, 4); uleb(b, file_c);                              /* set_file */
    b_byte(b, 3); sleb(b, 19);                                  /* line 20 */
    b_byte(b, 5); uleb(b, 3);                                   /* column 3 */
    b_byte(b, 1);                                               /* copy */
    b_byte(b, 2); uleb(b, INLINE_LO - OUTER_LO);                /* advance_pc */
    b_byte(b, 4); uleb(b, file_h);
    b_byte(b, 3); sleb(b, -10);                                 /* line 10 */
    b_byte(b, 5); uleb(b, 5);
    b_byte(b, 1);
    b_byte(b, 2); uleb(b, INLINE_HI - INLINE_LO);
    b_byte(b, 4); uleb(b, file_c);
    b_byte(b, 3); sleb(b, 11);                                  /* line 21 */
    b_byte(b, 5); uleb(b, 1);
    b_byte(b, 1);
    b_byte(b, 2); uleb(b, OUTER_HI - INLINE_HI);
    b_byte(b, 0); uleb(b, 1); b_byte(b, 1);                     /* end_sequence */
    b_byte(b, 0); uleb(b, 5); b_byte(b, 2); le(b, PLAIN_LO, 4);
    b_byte(b, 4); uleb(b, file_c);
    b_byte(b, 3); sleb(b, 29);                                  /* line 30 */
    b_byte(b, 1);
    b_byte(b, 2); uleb(b, PLAIN_HI - PLAIN_LO);
    b_byte(b, 0); uleb(b, 1); b_byte(b, 1);
}

/* Paths as the line table and compile unit give them. */
typedef struct Paths {
    const char *comp_dir, *inc, *file_c, *file_h;
} Paths;
static const Paths default_paths = {"/src", "inc", "t.c", "h.h"};

static void line_v4_paths(Bytes *b, const Paths *p)
{
    size_t unit = unit_begin(b);
    le(b, 4, 2);
    size_t hl = unit_begin(b); /* header_length, filled in the same way */
    line_params(b);
    cstr(b, p->inc);
    b_byte(b, 0);
    cstr(b, p->file_c); uleb(b, 0); uleb(b, 0); uleb(b, 0);
    cstr(b, p->file_h); uleb(b, 1); uleb(b, 0); uleb(b, 0);
    b_byte(b, 0);
    unit_end(b, hl);
    line_program(b, 1, 2);
    unit_end(b, unit);
}

static void line_v4(Bytes *b) { line_v4_paths(b, &default_paths); }

static Dwarf dwarf_v4_paths(const Paths *p)
{
    Dwarf dw = {0};
    Bytes *ab = &dw.s[S_ABBREV], *in = &dw.s[S_INFO];
    ABBREV(ab, 1, TAG_COMPILE_UNIT, true, AT_NAME, FORM_STRING, AT_COMP_DIR,
           FORM_STRING, AT_STMT_LIST, FORM_SEC_OFFSET, AT_LOW_PC, FORM_ADDR);
    ABBREV(ab, 2, TAG_SUBPROGRAM, true, AT_NAME, FORM_STRING, AT_LOW_PC,
           FORM_ADDR, AT_HIGH_PC, FORM_DATA4);
    ABBREV(ab, 3, TAG_INLINED, false, AT_ABSTRACT_ORIGIN, FORM_REF4, AT_LOW_PC,
           FORM_ADDR, AT_HIGH_PC, FORM_DATA4, AT_CALL_FILE, FORM_DATA1,
           AT_CALL_LINE, FORM_DATA1, AT_CALL_COLUMN, FORM_DATA1);
    ABBREV(ab, 4, TAG_SUBPROGRAM, false, AT_NAME, FORM_STRING, AT_INLINE, FORM_DATA1);
    b_byte(ab, 0);

    size_t unit = unit_begin(in);
    le(in, 4, 2);
    le(in, 0, 4); /* abbrev_offset */
    b_byte(in, 4);
    uleb(in, 1); cstr(in, "t.c"); cstr(in, p->comp_dir); le(in, 0, 4); le(in, 0, 4);
    uint32_t helper = (uint32_t)(in->n - unit);
    uleb(in, 4); cstr(in, "helper"); b_byte(in, 1);
    uleb(in, 2); cstr(in, "outer"); le(in, OUTER_LO, 4); le(in, OUTER_HI - OUTER_LO, 4);
    uleb(in, 3); le(in, helper, 4); le(in, INLINE_LO, 4);
    le(in, INLINE_HI - INLINE_LO, 4); b_byte(in, 1); b_byte(in, 20); b_byte(in, 7);
    b_byte(in, 0);
    uleb(in, 2); cstr(in, "plain"); le(in, PLAIN_LO, 4); le(in, PLAIN_HI - PLAIN_LO, 4);
    b_byte(in, 0);
    b_byte(in, 0);
    unit_end(in, unit);

    line_v4_paths(&dw.s[S_LINE], p);
    return dw;
}

static Dwarf dwarf_v4(void) { return dwarf_v4_paths(&default_paths); }

/* ---- DWARF 5 ------------------------------------------------------------ */

/* Offsets of strings in the DWARF 5 string sections. */
enum { STR_TC = 0, STR_OUTER = 4, STR_HELPER = 10, STR_PLAIN = 17 };
enum { LSTR_SRC = 0, LSTR_INC = 5, LSTR_TC = 9, LSTR_HH = 13 };

static void line_v5(Bytes *b)
{
    size_t unit = unit_begin(b);
    le(b, 5, 2);
    b_byte(b, 4); /* address_size */
    b_byte(b, 0); /* segment_selector_size */
    size_t hl = unit_begin(b);
    line_params(b);
    b_byte(b, 1); uleb(b, 1); uleb(b, FORM_LINE_STRP);      /* dirs: path */
    uleb(b, 2); le(b, LSTR_SRC, 4); le(b, LSTR_INC, 4);
    b_byte(b, 2); uleb(b, 1); uleb(b, FORM_LINE_STRP);      /* files: path, */
    uleb(b, 2); uleb(b, FORM_UDATA);                        /* directory */
    uleb(b, 2); le(b, LSTR_TC, 4); uleb(b, 0); le(b, LSTR_HH, 4); uleb(b, 1);
    unit_end(b, hl);
    line_program(b, 0, 1); /* DWARF 5 counts files from 0 */
    unit_end(b, unit);
}

static Dwarf dwarf_v5(void)
{
    Dwarf dw = {0};
    Bytes *ab = &dw.s[S_ABBREV], *in = &dw.s[S_INFO];
    ABBREV(ab, 1, TAG_COMPILE_UNIT, true, AT_NAME, FORM_STRX1, AT_COMP_DIR,
           FORM_LINE_STRP, AT_STMT_LIST, FORM_SEC_OFFSET, AT_LOW_PC, FORM_ADDR,
           AT_STR_OFFSETS_BASE, FORM_SEC_OFFSET, AT_ADDR_BASE, FORM_SEC_OFFSET,
           AT_RNGLISTS_BASE, FORM_SEC_OFFSET);
    ABBREV(ab, 2, TAG_SUBPROGRAM, true, AT_NAME, FORM_STRX1, AT_RANGES, FORM_RNGLISTX);
    ABBREV(ab, 3, TAG_INLINED, false, AT_ABSTRACT_ORIGIN, FORM_REF4, AT_LOW_PC,
           FORM_ADDRX1, AT_HIGH_PC, FORM_DATA4, AT_CALL_FILE, FORM_DATA1,
           AT_CALL_LINE, FORM_DATA1, AT_CALL_COLUMN, FORM_DATA1);
    ABBREV(ab, 4, TAG_SUBPROGRAM, false, AT_NAME, FORM_STRX1, AT_INLINE, FORM_DATA1);
    ABBREV(ab, 5, TAG_SUBPROGRAM, true, AT_NAME, FORM_STRX1, AT_LOW_PC,
           FORM_ADDRX1, AT_HIGH_PC, FORM_DATA4);
    b_byte(ab, 0);

    Bytes *str = &dw.s[S_STR], *lstr = &dw.s[S_LINE_STR];
    cstr(str, "t.c"); cstr(str, "outer"); cstr(str, "helper"); cstr(str, "plain");
    cstr(lstr, "/src"); cstr(lstr, "inc"); cstr(lstr, "t.c"); cstr(lstr, "h.h");

    /* string offsets, addresses and range lists, each after its header */
    Bytes *so = &dw.s[S_STR_OFFSETS];
    size_t u = unit_begin(so);
    le(so, 5, 2); le(so, 0, 2);
    le(so, STR_TC, 4); le(so, STR_OUTER, 4); le(so, STR_HELPER, 4); le(so, STR_PLAIN, 4);
    unit_end(so, u);
    Bytes *ad = &dw.s[S_ADDR];
    u = unit_begin(ad);
    le(ad, 5, 2); b_byte(ad, 4); b_byte(ad, 0);
    le(ad, INLINE_LO, 4); le(ad, PLAIN_LO, 4);
    unit_end(ad, u);
    Bytes *rl = &dw.s[S_RNGLISTS];
    u = unit_begin(rl);
    le(rl, 5, 2); b_byte(rl, 4); b_byte(rl, 0); le(rl, 1, 4); /* one offset */
    le(rl, 4, 4); /* list 0 starts right after the offsets */
    /* outer in two pieces, relative to the unit's base address (0) */
    b_byte(rl, 4); uleb(rl, OUTER_LO); uleb(rl, INLINE_HI);
    b_byte(rl, 4); uleb(rl, INLINE_HI); uleb(rl, OUTER_HI);
    b_byte(rl, 0);
    unit_end(rl, u);

    size_t unit = unit_begin(in);
    le(in, 5, 2);
    b_byte(in, 1); /* DW_UT_compile */
    b_byte(in, 4);
    le(in, 0, 4);
    uleb(in, 1); b_byte(in, 0); le(in, LSTR_SRC, 4); le(in, 0, 4); le(in, 0, 4);
    le(in, 8, 4); le(in, 8, 4); le(in, 12, 4);
    uint32_t helper = (uint32_t)(in->n - unit);
    uleb(in, 4); b_byte(in, 2); b_byte(in, 1);
    uleb(in, 2); b_byte(in, 1); uleb(in, 0);
    uleb(in, 3); le(in, helper, 4); b_byte(in, 0);
    le(in, INLINE_HI - INLINE_LO, 4); b_byte(in, 0); b_byte(in, 20); b_byte(in, 7);
    b_byte(in, 0);
    uleb(in, 5); b_byte(in, 3); b_byte(in, 1); le(in, PLAIN_HI - PLAIN_LO, 4);
    b_byte(in, 0);
    b_byte(in, 0);
    unit_end(in, unit);

    line_v5(&dw.s[S_LINE]);
    return dw;
}

/* ---- what every address must give -------------------------------------- */

static void expect_loc(const b8g_source_loc *l, const char *fn, const char *file,
                       uint32_t line, uint32_t col, bool inlined)
{
    if (fn) assert_non_null(l->function);
    if (fn) assert_string_equal(l->function, fn);
    else assert_null(l->function);
    assert_non_null(l->file);
    assert_string_equal(l->file, file);
    assert_int_equal(l->line, line);
    assert_int_equal(l->column, col);
    assert_int_equal(l->inlined, inlined);
}

static void check_all_addresses(b8g_module *m, uint64_t cs)
{
    b8g_source_loc out[4];
    for (uint32_t a = 0; a < CODE_SIZE + 4; a++) {
        memset(out, 0, sizeof out);
        uint32_t n = b8g_module_source(m, cs + a, out, 4);
        if (a >= OUTER_LO && a < INLINE_LO) {
            assert_int_equal(n, 1);
            expect_loc(&out[0], "outer", "/src/t.c", 20, 3, false);
        } else if (a >= INLINE_LO && a < INLINE_HI) {
            assert_int_equal(n, 2);
            expect_loc(&out[0], "helper", "/src/inc/h.h", 10, 5, true);
            expect_loc(&out[1], "outer", "/src/t.c", 20, 7, false);
        } else if (a >= INLINE_HI && a < OUTER_HI) {
            assert_int_equal(n, 1);
            expect_loc(&out[0], "outer", "/src/t.c", 21, 1, false);
        } else if (a >= PLAIN_LO && a < PLAIN_HI) {
            assert_int_equal(n, 1);
            expect_loc(&out[0], "plain", "/src/t.c", 30, 0, false);
        } else {
            assert_int_equal(n, 0); /* sizes, locals, past the end */
        }
    }
    assert_true(b8g_module_has_debug_info(m));
}

static void test_locations(Dwarf (*make)(void))
{
    Dwarf dw = make();
    b8g_module *m = load(&dw);
    check_all_addresses(m, code_start(&dw));
    b8g_module_free(m);
    dwarf_free(&dw);
}

static void test_dwarf4(void **state)
{
    (void)state;
    test_locations(dwarf_v4);
}

static void test_dwarf5(void **state)
{
    (void)state;
    test_locations(dwarf_v5);
}

/* A chain longer than cap: its length, and only the innermost written. */
static void test_cap(void **state)
{
    (void)state;
    Dwarf dw = dwarf_v4();
    b8g_module *m = load(&dw);
    uint64_t cs = code_start(&dw);
    b8g_source_loc out[2] = {{0}, {.function = "untouched"}};
    assert_int_equal(b8g_module_source(m, cs + INLINE_LO, out, 1), 2);
    expect_loc(&out[0], "helper", "/src/inc/h.h", 10, 5, true);
    assert_string_equal(out[1].function, "untouched");
    assert_int_equal(b8g_module_source(m, cs + INLINE_LO, NULL, 0), 2);
    assert_int_equal(b8g_module_source(m, cs + INLINE_LO, NULL, 1), 0);
    b8g_module_free(m);
    dwarf_free(&dw);
}

static void test_bad_offsets(void **state)
{
    (void)state;
    Dwarf dw = dwarf_v4();
    b8g_module *m = load(&dw);
    uint64_t cs = code_start(&dw);
    b8g_source_loc out[2];
    assert_int_equal(b8g_module_source(m, 0, out, 2), 0);
    assert_int_equal(b8g_module_source(m, cs - 1, out, 2), 0);
    assert_int_equal(b8g_module_source(m, cs + CODE_SIZE, out, 2), 0);
    assert_int_equal(b8g_module_source(m, B8G_NO_OFFSET, out, 2), 0);
    assert_int_equal(b8g_module_source(m, cs + CODE_SIZE + ((uint64_t)1 << 32), out, 2), 0);
    assert_int_equal(b8g_module_source(NULL, cs + OUTER_LO, out, 2), 0);
    assert_false(b8g_module_has_debug_info(NULL));
    b8g_module_free(m);
    dwarf_free(&dw);
}

static void test_no_debug_info(void **state)
{
    (void)state;
    b8g_module *m = load(NULL);
    b8g_source_loc out[2];
    uint64_t cs = code_start(NULL);
    for (uint32_t a = 0; a < CODE_SIZE; a++)
        assert_int_equal(b8g_module_source(m, cs + a, out, 2), 0);
    assert_false(b8g_module_has_debug_info(m));
    b8g_module_free(m);
}

/* A trap's frames name their module, and its offsets are the ones the
 * DWARF describes. */
static void test_trap_frames(void **state)
{
    (void)state;
    Dwarf dw = dwarf_v5();
    b8g_module *m = load(&dw);
    uint64_t cs = code_start(&dw);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    const struct { const char *fn; uint32_t at, line, col; } cases[] = {
        {"outer", OUTER_TRAP, 21, 1},
        {"plain", PLAIN_TRAP, 30, 0},
    };
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(b8g_call(inst, cases[i].fn, NULL, 0, NULL, 0, &err), B8G_TRAP);
        assert_int_equal(err.nframes, 1);
        assert_ptr_equal(err.frames[0].module, m);
        assert_int_equal(err.frames[0].code_offset, cs + cases[i].at);
        b8g_source_loc loc;
        assert_int_equal(b8g_module_source(err.frames[0].module,
                                           err.frames[0].code_offset, &loc, 1), 1);
        expect_loc(&loc, cases[i].fn, "/src/t.c", cases[i].line, cases[i].col, false);
    }
    b8g_store_free(s);
    b8g_module_free(m);
    dwarf_free(&dw);
}

/* How a file's directory, the compile directory and its name combine. */
static void test_paths(void **state)
{
    (void)state;
    char long_dir[5001];
    memset(long_dir, 'd', sizeof long_dir - 1);
    long_dir[0] = '/';
    long_dir[sizeof long_dir - 1] = '\0';
    const struct {
        Paths in;
        const char *c, *h;
    } cases[] = {
        {{"/src/", "a/./b//c", "./t.c", "../h.h"}, "/src/t.c", "/src/a/b/c/../h.h"},
        {{"/src", "/usr/include", "/abs/t.c", "h.h"}, "/abs/t.c", "/usr/include/h.h"},
        {{"build", "inc", "t.c", "h.h"}, "build/t.c", "build/inc/h.h"},
        {{"/", ".", "t.c", "h.h"}, "/t.c", "/h.h"},
        {{long_dir, "inc", "t.c", "h.h"}, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Dwarf dw = dwarf_v4_paths(&cases[i].in);
        b8g_module *m = load(&dw);
        uint64_t cs = code_start(&dw);
        b8g_source_loc out[2];
        assert_int_equal(b8g_module_source(m, cs + INLINE_LO, out, 2), 2);
        assert_non_null(out[0].file);
        assert_non_null(out[1].file);
        if (cases[i].c) {
            assert_string_equal(out[1].file, cases[i].c);
            assert_string_equal(out[0].file, cases[i].h);
        } else {
            /* too long: "..." and the end, 4095 bytes in all */
            assert_int_equal(strlen(out[1].file), 4095);
            assert_memory_equal(out[1].file, "...", 3);
            assert_string_equal(out[1].file + 4095 - 6, "dd/t.c");
            assert_string_equal(out[0].file + 4095 - 10, "dd/inc/h.h");
        }
        b8g_module_free(m);
        dwarf_free(&dw);
    }
}

/* ---- hostile DWARF ------------------------------------------------------ */

/* Asks about every address; whatever comes back must be well-formed. */
static void probe(const Dwarf *dw)
{
    b8g_module *m = load(dw);
    uint64_t cs = code_start(dw);
    b8g_source_loc out[8];
    for (uint32_t a = 0; a < CODE_SIZE + 2; a++) {
        uint32_t n = b8g_module_source(m, cs + a, out, 8);
        assert_true(n <= 300);
        for (uint32_t k = 0; k < n && k < 8; k++) {
            if (out[k].file) assert_true(strlen(out[k].file) < 4096);
            if (out[k].function) assert_true(strlen(out[k].function) < 1 << 20);
            assert_int_equal(out[k].inlined, k + 1 < n);
        }
    }
    b8g_module_free(m);
}

/* Every DWARF section cut at every length. */
static void test_truncated(void **state)
{
    (void)state;
    Dwarf (*makes[])(void) = {dwarf_v4, dwarf_v5};
    for (size_t v = 0; v < 2; v++) {
        Dwarf dw = makes[v]();
        for (int s = 0; s < S_COUNT; s++) {
            size_t full = dw.s[s].n;
            for (size_t n = 0; n < full; n++) {
                dw.s[s].n = n;
                probe(&dw);
            }
            dw.s[s].n = full;
        }
        dwarf_free(&dw);
    }
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* Random bytes overwritten in random sections, a few at a time. */
static void test_mutated(void **state)
{
    (void)state;
    Dwarf (*makes[])(void) = {dwarf_v4, dwarf_v5};
    for (int iter = 0; iter < 4000; iter++) {
        Dwarf dw = makes[iter & 1]();
        for (int k = 1 + (int)rnd_next(&rng_state, 4); k > 0; k--)
            mutate_byte(&dw.s[rnd_next(&rng_state, S_COUNT)], &rng_state);
        probe(&dw);
        dwarf_free(&dw);
    }
}

/* Byte offset of the line header's opcode_base in a DWARF 4 table. */
enum { V4_LINE_RANGE = 4 + 2 + 4 + 4, V4_OPCODE_BASE = V4_LINE_RANGE + 1 };

static void test_line_header_values(void **state)
{
    (void)state;
    static const struct { size_t at; uint8_t value; } cases[] = {
        {V4_LINE_RANGE, 0},      /* would divide by zero */
        {V4_OPCODE_BASE, 0},     /* no standard_opcode_lengths at all */
        {V4_OPCODE_BASE, 1},
        {V4_OPCODE_BASE, 255},   /* lengths run over the header */
        {4, 1},                  /* version 1 */
        {4, 6},                  /* version 6 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Dwarf dw = dwarf_v4();
        dw.s[S_LINE].p[cases[i].at] = cases[i].value;
        b8g_module *m = load(&dw);
        b8g_source_loc out[2];
        /* the function is still known from .debug_info, its line is not */
        uint32_t n = b8g_module_source(m, code_start(&dw) + OUTER_TRAP, out, 2);
        assert_int_equal(n, 1);
        assert_string_equal(out[0].function, "outer");
        if (cases[i].at == V4_OPCODE_BASE && cases[i].value == 1) {
            /* opcode_base 1: every opcode is special; rows are wrong, but rows */
        } else {
            assert_null(out[0].file);
            assert_int_equal(out[0].line, 0);
        }
        b8g_module_free(m);
        dwarf_free(&dw);
    }
}

/* A DWARF 5 line header claiming 2^32 - 1 files: with an empty entry
 * format (each entry zero bytes) and with a real one.  Neither may be
 * sized by the count. */
static void huge_file_count(bool with_path)
{
    Dwarf dw = dwarf_v5();
    Bytes *b = &dw.s[S_LINE];
    b->n = 0;
    size_t unit = unit_begin(b);
    le(b, 5, 2); b_byte(b, 4); b_byte(b, 0);
    size_t hl = unit_begin(b);
    line_params(b);
    b_byte(b, 1); uleb(b, 1); uleb(b, FORM_LINE_STRP);
    uleb(b, 1); le(b, LSTR_SRC, 4);
    if (with_path) {
        b_byte(b, 1); uleb(b, 1); uleb(b, FORM_LINE_STRP);
    } else {
        b_byte(b, 0);
    }
    uleb(b, 0xffffffffu);
    for (int i = 0; i < 8; i++) le(b, LSTR_TC, 4);
    unit_end(b, hl);
    line_program(b, 0, 0);
    unit_end(b, unit);
    probe(&dw);
    dwarf_free(&dw);
}

static void test_huge_counts(void **state)
{
    (void)state;
    huge_file_count(false);
    huge_file_count(true);
}

/* A function whose name comes from itself, through its abstract origin:
 * the name is unknown, the lookup ends. */
static void test_name_cycle(void **state)
{
    (void)state;
    Dwarf dw = {0};
    Bytes *ab = &dw.s[S_ABBREV], *in = &dw.s[S_INFO];
    ABBREV(ab, 1, TAG_COMPILE_UNIT, true, AT_STMT_LIST, FORM_SEC_OFFSET);
    ABBREV(ab, 2, TAG_SUBPROGRAM, false, AT_ABSTRACT_ORIGIN, FORM_REF4, AT_LOW_PC,
           FORM_ADDR, AT_HIGH_PC, FORM_DATA4);
    b_byte(ab, 0);
    size_t unit = unit_begin(in);
    le(in, 4, 2); le(in, 0, 4); b_byte(in, 4);
    uleb(in, 1); le(in, 0, 4);
    uint32_t self = (uint32_t)(in->n - unit);
    uleb(in, 2); le(in, self, 4); le(in, OUTER_LO, 4); le(in, OUTER_HI - OUTER_LO, 4);
    b_byte(in, 0);
    unit_end(in, unit);
    line_v4(&dw.s[S_LINE]);
    b8g_module *m = load(&dw);
    b8g_source_loc out[2];
    assert_int_equal(b8g_module_source(m, code_start(&dw) + OUTER_TRAP, out, 2), 1);
    assert_null(out[0].function);
    assert_string_equal(out[0].file, "t.c");
    assert_int_equal(out[0].line, 21);
    b8g_module_free(m);
    dwarf_free(&dw);
}

/* Inlined calls nested 3000 deep, all covering the trap: the tree walk and
 * the chain stop at their caps instead of the stack. */
static void test_deep_nesting(void **state)
{
    (void)state;
    Dwarf dw = {0};
    Bytes *ab = &dw.s[S_ABBREV], *in = &dw.s[S_INFO];
    ABBREV(ab, 1, TAG_COMPILE_UNIT, true, AT_STMT_LIST, FORM_SEC_OFFSET);
    ABBREV(ab, 2, TAG_SUBPROGRAM, true, AT_NAME, FORM_STRING, AT_LOW_PC,
           FORM_ADDR, AT_HIGH_PC, FORM_DATA4);
    ABBREV(ab, 3, TAG_INLINED, true, AT_NAME, FORM_STRING, AT_LOW_PC, FORM_ADDR,
           AT_HIGH_PC, FORM_DATA4, AT_CALL_LINE, FORM_DATA1);
    b_byte(ab, 0);
    size_t unit = unit_begin(in);
    le(in, 4, 2); le(in, 0, 4); b_byte(in, 4);
    uleb(in, 1); le(in, 0, 4);
    uleb(in, 2); cstr(in, "outer"); le(in, OUTER_LO, 4); le(in, OUTER_HI - OUTER_LO, 4);
    for (int i = 0; i < 3000; i++) {
        uleb(in, 3); cstr(in, "in"); le(in, OUTER_LO, 4);
        le(in, OUTER_HI - OUTER_LO, 4); b_byte(in, 9);
    }
    for (int i = 0; i < 3002; i++) b_byte(in, 0);
    unit_end(in, unit);
    line_v4(&dw.s[S_LINE]);
    b8g_module *m = load(&dw);
    b8g_source_loc out[4];
    uint32_t n = b8g_module_source(m, code_start(&dw) + OUTER_TRAP, out, 4);
    assert_true(n > 200 && n <= 300);
    assert_string_equal(out[0].function, "in");
    assert_true(out[0].inlined);
    assert_int_equal(out[1].line, 9);
    b8g_module_free(m);
    probe(&dw);
    dwarf_free(&dw);
}

/* Names whose NUL would lie past their section's end are not names. */
static void test_unterminated_strings(void **state)
{
    (void)state;
    Dwarf dw = dwarf_v5();
    dw.s[S_STR].n--; /* "plain" loses its NUL */
    b8g_module *m = load(&dw);
    b8g_source_loc out[2];
    assert_int_equal(b8g_module_source(m, code_start(&dw) + PLAIN_TRAP, out, 2), 1);
    assert_null(out[0].function);
    assert_int_equal(out[0].line, 30);
    b8g_module_free(m);
    dwarf_free(&dw);
}

/* ---- threads ------------------------------------------------------------ */

typedef struct Asker {
    b8g_module *m;
    uint64_t cs;
    uint32_t n;
    b8g_source_loc loc[2];
} Asker;

static void *ask(void *arg)
{
    Asker *a = arg;
    a->n = b8g_module_source(a->m, a->cs + INLINE_LO, a->loc, 2);
    return NULL;
}

/* The first questions may come from several threads at once: the DWARF
 * is read once and every thread gets the whole answer. */
static void test_threads(void **state)
{
    (void)state;
    Dwarf dw = dwarf_v5();
    for (int round = 0; round < 20; round++) {
        b8g_module *m = load(&dw);
        Asker a[4];
        pthread_t t[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (Asker){.m = m, .cs = code_start(&dw)};
            assert_int_equal(pthread_create(&t[i], NULL, ask, &a[i]), 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
            assert_int_equal(a[i].n, 2);
            expect_loc(&a[i].loc[0], "helper", "/src/inc/h.h", 10, 5, true);
            expect_loc(&a[i].loc[1], "outer", "/src/t.c", 20, 7, false);
        }
        b8g_module_free(m);
    }
    dwarf_free(&dw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dwarf4),
        cmocka_unit_test(test_dwarf5),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_bad_offsets),
        cmocka_unit_test(test_no_debug_info),
        cmocka_unit_test(test_trap_frames),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_mutated),
        cmocka_unit_test(test_line_header_values),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_name_cycle),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_unterminated_strings),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
