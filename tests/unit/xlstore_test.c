/*
 * xlstore_test.c - translated code carried by images (B8G_SNAPSHOT_CODE,
 * B8G_IMAGE_OPEN_TRUSTED; src/exec/xlstore.h, src/snap/code.c):
 *
 *   - the stored form of every function of real modules turns back into
 *     exactly the code a translation makes;
 *   - an image captured with code carries the functions that ran, and a
 *     trusted open by this build runs them without translating them;
 *   - every other open - untrusted, from bytes, a file others may write,
 *     code of another build - translates from the module instead, which
 *     a changed constant in the stored code makes visible;
 *   - stored code whose parts do not fit together is translated instead;
 *   - crafted code data is refused with B8G_IMAGE at any open.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cmocka.h>

#include "api/api.h"
#include "b8g.h"
#include "exec/xlstore.h"
#include "snap/image.h"

#define ANSWER 0x12345678u

static const char *build_dir(void)
{
    const char *b = getenv("BUILD");
    return b ? b : "build";
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    *len = fread(p, 1, (size_t)n, f);
    fclose(f);
    return p;
}

static void write_all(const char *path, const uint8_t *p, size_t len, mode_t mode)
{
    unlink(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, len, f), len);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* The code data's offset, from the module table (0: none). */
static size_t code_offset(const uint8_t *p)
{
    return (size_t)le(p + le(p + 160, 8) + 28, 8);
}

/* The code data's checksum, of the code data at `at` (when `at`), then the
 * header's, of what precedes the code data as the module table names it
 * (of the whole file when that names none that ends the file). */
static void fix_sums(uint8_t *p, size_t len, size_t at)
{
    if (at) {
        memset(p + at + 64, 0, 8);
        put_le(p + at + 64, XXH3_64bits(p + at, len - at), 8);
    }
    size_t end = (size_t)img_code_start(p, len, len); /* as the loader finds it */
    memset(p + 24, 0, 8);
    put_le(p + 24, XXH3_64bits(p, end), 8);
}

static void fix_checksum(uint8_t *p, size_t len) { fix_sums(p, len, code_offset(p)); }

/* ---- the stored form round-trips ------------------------------------------ */

/* Exports and imports every function of the module at path; returns how
 * many, after checking each against its translation unit by unit. */
static uint32_t round_trip_file(const char *path)
{
    size_t len;
    uint8_t *bytes = read_all(path, &len);
    if (!bytes) return 0;
    b8g_module *bm = NULL;
    b8g_error err;
    if (b8g_module_load(bytes, len, &bm, &err)) { /* not every file there is ours to load */
        free(bytes);
        return 0;
    }
    const Module *m = bm->mod;
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++) {
        uint32_t fidx = m->nimported_funcs + i;
        XlExport e;
        if (xl_export(m, fidx, &e, &err)) fail_msg("%s: function %u: %s", path, fidx, err.msg);
        XlStored s = {(const uint8_t *)e.units, (const uint8_t *)e.starts,
                      (const uint8_t *)e.map, e.nunits, e.nstarts, e.nmap, e.max_height};
        XlFunc *back = xl_import(m, fidx, &s);
        const XlFunc *want = m->funcs[i].xl;
        if (!back) fail_msg("%s: function %u: its stored form is refused", path, fidx);
        assert_int_equal(back->nunits, want->nunits);
        if (memcmp(back->code, want->code, want->nunits * sizeof *want->code) != 0)
            fail_msg("%s: function %u: code differs after the round trip", path, fidx);
        assert_int_equal(back->nmap, want->nmap);
        assert_memory_equal(back->map, want->map, want->nmap * sizeof *want->map);
        assert_int_equal(back->frame_slots, want->frame_slots);
        xl_free(back);
        xl_export_free(&e);
        n++;
    }
    b8g_module_free(bm);
    free(bytes);
    return n;
}

/* Every .wasm file in dir and its subdirectories. */
static uint32_t round_trip_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    uint32_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t k = strlen(de->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) n += round_trip_tree(path);
        else if (k > 5 && strcmp(de->d_name + k - 5, ".wasm") == 0) n += round_trip_file(path);
    }
    closedir(d);
    return n;
}

static uint32_t round_trip_dir(const char *sub)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", build_dir(), sub);
    return round_trip_tree(dir);
}

static void stored_form_round_trips(void **state)
{
    (void)state;
    /* the unit tests' guests, the example components and the spec
     * suite's modules (every instruction, far branches, wide tables) are
     * always built; QuickJS (918 functions) when make js has run */
    uint32_t n = round_trip_dir("tests/abi") + round_trip_dir("examples") +
                 round_trip_dir("spec") + round_trip_dir("js");
    print_message("%u functions round-tripped\n", n);
    assert_true(n >= 50);
}

/* ---- images with code ----------------------------------------------------- */

static char image_path[] = "/tmp/b8g-xlstore-XXXXXX";

static uint8_t *guest_bytes(size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/abi/xlstore.wasm", build_dir());
    uint8_t *p = read_all(path, len);
    if (!p) fail_msg("cannot read %s", path);
    return p;
}

static int32_t call_i32(b8g_instance *inst, const char *name, int32_t arg, bool has_arg)
{
    b8g_val a = {.type = B8G_I32, .of.i32 = arg}, r;
    b8g_error err;
    if (b8g_call(inst, name, &a, has_arg, &r, 1, &err)) fail_msg("%s: %s", name, err.msg);
    return r.of.i32;
}

/* Runs answer, fib and sum in a lazily loaded instance, captures it with
 * code and writes the image to image_path. */
static int make_image(void **state)
{
    (void)state;
    int fd = mkstemp(image_path);
    if (fd < 0) return -1;
    close(fd);
    size_t len;
    uint8_t *bytes = guest_bytes(&len);
    b8g_module *m;
    b8g_error err;
    assert_int_equal(b8g_module_load_lazy(bytes, len, &m, &err), B8G_OK);
    free(bytes);
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *inst;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    assert_int_equal((uint32_t)call_i32(inst, "answer", 0, false), ANSWER);
    assert_int_equal(call_i32(inst, "fib", 10, true), 55);
    assert_int_equal(call_i32(inst, "sum", 4, true), 10);
    b8g_image *img;
    assert_int_equal(b8g_snapshot_ex(inst, NULL, 4, &img, &err), B8G_ARG);
    assert_int_equal(b8g_snapshot_ex(inst, NULL, B8G_SNAPSHOT_CODE, &img, &err), B8G_OK);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    assert_int_equal(info.code_funcs, 3); /* not "unused" */
    assert_true(info.code_this_build);
    assert_false(info.code_used);
    assert_int_equal(b8g_image_write(img, image_path, &err), B8G_OK);
    b8g_image_free(img);
    /* without the flag, no code */
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
    b8g_image_get_info(img, &info);
    assert_int_equal(info.code_funcs, 0);
    b8g_image_free(img);
    b8g_store_free(s);
    b8g_module_free(m);
    return 0;
}

static int drop_image(void **state)
{
    (void)state;
    unlink(image_path);
    return 0;
}

typedef struct Opened {
    b8g_image *img;
    b8g_store *store;
    b8g_instance *inst;
    b8g_image_info info;
} Opened;

static void open_file(Opened *o, const char *path, uint32_t flags)
{
    b8g_error err;
    if (b8g_image_open(path, flags, &o->img, &err)) fail_msg("open: %s", err.msg);
    b8g_image_get_info(o->img, &o->info);
    b8g_config cfg = {0};
    o->store = b8g_store_new(&cfg);
    if (b8g_image_restore(o->img, o->store, NULL, 0, &o->inst, &err))
        fail_msg("restore: %s", err.msg);
}

static void close_opened(Opened *o)
{
    b8g_store_free(o->store);
    b8g_image_free(o->img);
}

static b8g_code_stats stats(const Opened *o)
{
    b8g_code_stats cs;
    b8g_module_code_stats(b8g_image_module(o->img), &cs);
    return cs;
}

/* The guest's answers; what "answer" returns is left to the caller. */
static uint32_t run_guest(const Opened *o)
{
    assert_int_equal(call_i32(o->inst, "fib", 12, true), 144);
    assert_int_equal(call_i32(o->inst, "sum", 3, true), 6);
    return (uint32_t)call_i32(o->inst, "answer", 0, false);
}

static void trusted_open_takes_the_code(void **state)
{
    (void)state;
    Opened o;
    open_file(&o, image_path, B8G_IMAGE_OPEN_TRUSTED);
    assert_true(o.info.code_used);
    assert_int_equal(o.info.code_funcs, 3);
    assert_true(o.info.code_bytes > 0);
    b8g_code_stats cs = stats(&o);
    assert_true(cs.lazy);
    assert_int_equal(cs.functions, 4);
    assert_int_equal(cs.taken + cs.translated, 0);
    assert_int_equal(run_guest(&o), ANSWER);
    cs = stats(&o);
    assert_int_equal(cs.taken, 3);
    assert_int_equal(cs.translated, 0);
    assert_int_equal(call_i32(o.inst, "unused", 0, false), 7); /* not stored: translated */
    cs = stats(&o);
    assert_int_equal(cs.translated, 1);
    close_opened(&o);
}

static void other_opens_translate(void **state)
{
    (void)state;
    Opened o;
    open_file(&o, image_path, 0);
    assert_false(o.info.code_used);
    assert_true(o.info.code_bytes > 0);
    assert_int_equal(o.info.code_funcs, 0); /* not even read */
    struct stat st;
    assert_int_equal(stat(image_path, &st), 0);
    assert_int_equal(o.info.file_bytes, (uint64_t)st.st_size);
    assert_int_equal(run_guest(&o), ANSWER);
    assert_int_equal(stats(&o).taken, 0);
    assert_int_equal(stats(&o).translated, 3);
    close_opened(&o);
    /* a file that others may write is not trusted, whatever the caller says */
    size_t len;
    uint8_t *p = read_all(image_path, &len);
    char other[] = "/tmp/b8g-xlstore-w-XXXXXX";
    int fd = mkstemp(other);
    assert_true(fd >= 0);
    close(fd);
    write_all(other, p, len, 0666);
    open_file(&o, other, B8G_IMAGE_OPEN_TRUSTED);
    assert_false(o.info.code_used);
    assert_int_equal(run_guest(&o), ANSWER);
    assert_int_equal(stats(&o).taken, 0);
    close_opened(&o);
    write_all(other, p, len, 0620);
    open_file(&o, other, B8G_IMAGE_OPEN_TRUSTED);
    assert_false(o.info.code_used);
    close_opened(&o);
    /* inspection reads it, to show it */
    b8g_image *img;
    b8g_error err;
    assert_int_equal(b8g_image_open(image_path, B8G_IMAGE_OPEN_INSPECT, &img, &err), B8G_OK);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    assert_int_equal(info.code_funcs, 3);
    assert_true(info.code_this_build);
    assert_false(info.code_used);
    b8g_image_free(img);
    /* an image opened without its code data cannot be written back */
    assert_int_equal(b8g_image_open(image_path, 0, &img, &err), B8G_OK);
    assert_int_equal(b8g_image_write(img, other, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "without its code data"));
    b8g_image_free(img);
    /* nor are bytes in memory trusted */
    assert_int_equal(b8g_image_open_bytes(p, len, B8G_IMAGE_OPEN_TRUSTED, &img, &err), B8G_OK);
    b8g_image_get_info(img, &info);
    assert_false(info.code_used);
    assert_int_equal(info.code_funcs, 3);
    b8g_image_free(img);
    unlink(other);
    free(p);
}

/* ---- damaged code data ---------------------------------------------------- */

/* Where the code data and its records are in image bytes p. */
typedef struct Layout {
    size_t table;   /* the module table's code offset field */
    size_t code;    /* the code data */
    uint32_t nfuncs;
} Layout;

static Layout layout(const uint8_t *p)
{
    Layout l;
    l.table = (size_t)le(p + 160, 8) + 28;
    l.code = code_offset(p);
    assert_true(l.code > 0);
    l.nfuncs = (uint32_t)le(p + l.code + 72, 4);
    return l;
}

static size_t record(const Layout *l, uint32_t i) { return l->code + 80 + 32 * (size_t)i; }

/* Writes p (checksum fixed) to a file of its own, opens it trusted. */
static void open_damaged(Opened *o, uint8_t *p, size_t len, char *path)
{
    fix_checksum(p, len);
    write_all(path, p, len, 0644);
    open_file(o, path, B8G_IMAGE_OPEN_TRUSTED);
}

static void trusted_code_runs_as_stored(void **state)
{
    (void)state;
    size_t len;
    uint8_t *p = read_all(image_path, &len);
    Layout l = layout(p);
    assert_int_equal(l.nfuncs, 3);
    /* record 0 is "answer": find its constant among its units */
    size_t rec = record(&l, 0), units = l.code + (size_t)le(p + rec + 24, 8);
    uint32_t nunits = (uint32_t)le(p + rec + 4, 4);
    assert_int_equal(le(p + rec, 4), 0);
    size_t at = 0;
    for (size_t u = units; u + 4 <= units + 2 * (size_t)nunits; u += 2) {
        uint32_t v;
        memcpy(&v, p + u, 4);
        if (v == ANSWER) at = u;
    }
    assert_true(at != 0);
    uint32_t changed = 0x0badf00du;
    memcpy(p + at, &changed, 4);
    char path[] = "/tmp/b8g-xlstore-d-XXXXXX";
    close(mkstemp(path));
    Opened o;
    open_damaged(&o, p, len, path);
    assert_true(o.info.code_used);
    assert_int_equal(run_guest(&o), changed);
    close_opened(&o);
    open_file(&o, path, 0);
    assert_int_equal(run_guest(&o), ANSWER);
    close_opened(&o);
    /* code from another build is not taken even when trusted */
    memcpy(p + l.code, "xl/0000", 7);
    open_damaged(&o, p, len, path);
    assert_false(o.info.code_this_build);
    assert_false(o.info.code_used);
    assert_int_equal(run_guest(&o), ANSWER);
    assert_int_equal(stats(&o).taken, 0);
    close_opened(&o);
    unlink(path);
    free(p);
}

static void unfitting_code_is_translated(void **state)
{
    (void)state;
    size_t len;
    uint8_t *orig = read_all(image_path, &len), *p = malloc(len);
    Layout l = layout(orig);
    size_t rec = record(&l, 0);
    uint32_t nunits = (uint32_t)le(orig + rec + 4, 4), nstarts = (uint32_t)le(orig + rec + 8, 4);
    size_t units = l.code + (size_t)le(orig + rec + 24, 8);
    size_t starts = units + ((size_t)nunits * 2 + 3) / 4 * 4, map;
    assert_true(nstarts >= 2);
    struct { size_t at; uint64_t v; int n; } cases[] = {
        {starts, 1, 4},                   /* the first instruction not at 0 */
        {starts + 4, nunits, 4},          /* a start past the code */
        {starts + 4, 0, 4},               /* starts not rising */
        {units, 0xffff, 2},               /* no such XOp */
        {units + 2, 1, 2},                /* a handler's padding not zero (none in a
                                             switch-dispatch build: skipped there) */
        {rec + 16, 1u << 20, 4},          /* a frame over the slot limit */
        {rec + 4, 1, 4},                  /* shorter than one handler */
    };
    char path[] = "/tmp/b8g-xlstore-u-XXXXXX";
    close(mkstemp(path));
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        if (cases[k].at == units + 2 && XL_HANDLER_UNITS == 1) continue;
        memcpy(p, orig, len);
        put_le(p + cases[k].at, cases[k].v, cases[k].n);
        Opened o;
        open_damaged(&o, p, len, path);
        assert_true(o.info.code_used);
        assert_int_equal(run_guest(&o), ANSWER);
        b8g_code_stats cs = stats(&o);
        if (cs.translated != 1 || cs.taken != 2) fail_msg("case %zu: %u translated, %u taken", k,
                                                          cs.translated, cs.taken);
        close_opened(&o);
    }
    /* a map entry past the code: record 1 is fib's, whose calls are mapped */
    rec = record(&l, 1);
    assert_int_equal(le(orig + rec, 4), 1);
    nunits = (uint32_t)le(orig + rec + 4, 4);
    assert_true(le(orig + rec + 12, 4) > 0);
    units = l.code + (size_t)le(orig + rec + 24, 8);
    map = units + ((size_t)nunits * 2 + 3) / 4 * 4 + 4 * (size_t)le(orig + rec + 8, 4);
    memcpy(p, orig, len);
    put_le(p + map, nunits, 4);
    Opened o;
    open_damaged(&o, p, len, path);
    assert_int_equal(run_guest(&o), ANSWER);
    assert_int_equal(stats(&o).translated, 1);
    close_opened(&o);
    unlink(path);
    free(p);
    free(orig);
}

static void expect_refused(uint8_t *p, size_t len, const char *needle, size_t code_at)
{
    fix_sums(p, len, code_at);
    b8g_image *img = NULL;
    b8g_error err;
    assert_int_equal(b8g_image_open_bytes(p, len, 0, &img, &err), B8G_IMAGE);
    assert_null(img);
    if (!strstr(err.msg, needle)) fail_msg("wanted \"%s\" in \"%s\"", needle, err.msg);
}

static void crafted_code_data_refused(void **state)
{
    (void)state;
    size_t len;
    uint8_t *orig = read_all(image_path, &len), *p = malloc(len);
    Layout l = layout(orig);
    struct { size_t at; uint64_t v; int n; const char *needle; } cases[] = {
        {l.table, 4, 8, "does not end the file"},
        {l.table, l.code + 8, 8, "does not end the file"},
        {l.table + 8, 8, 8, "does not end the file"},
        {l.table + 8, UINT32_MAX, 8, "does not end the file"},
        {l.code + 3, 0x07, 1, "build id"},
        {l.code + 72, 0xffffff, 4, "exceeds the bytes left"},
        {l.code + 76, 1, 4, "padding"},
        {record(&l, 1), 0, 4, "out of order"},
        {record(&l, 0) + 20, 1, 4, "padding"},
        {record(&l, 0) + 24, 4, 8, "outside the code data"},
        {record(&l, 0) + 24, UINT64_MAX - 7, 8, "outside the code data"},
        {record(&l, 0) + 4, UINT32_MAX, 4, "outside the code data"},
        {record(&l, 2), 9, 4, "not one the module defines"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memcpy(p, orig, len);
        put_le(p + cases[k].at, cases[k].v, cases[k].n);
        expect_refused(p, len, cases[k].needle, l.code);
    }
    /* its own checksum: the header's does not cover it */
    memcpy(p, orig, len);
    p[len - 1] ^= 1;
    expect_refused(p, len, "code data: checksum mismatch", 0);
    /* code data only where the module table says, ending the file */
    memcpy(p, orig, len);
    put_le(p + l.table, 0, 8);
    put_le(p + l.table + 8, 0, 8);
    expect_refused(p, len, "does not end where the last context ends", l.code);
    /* through a file too, where the open first looks for the code data to
     * leave it out: an offset inside the header, or not 8-aligned */
    char path[] = "/tmp/b8g-xlstore-c-XXXXXX";
    close(mkstemp(path));
    uint64_t bad_offsets[][2] = {{0, len}, {l.code - 4, len - l.code + 4}};
    for (size_t k = 0; k < 2; k++) {
        memcpy(p, orig, len);
        put_le(p + l.table, bad_offsets[k][0], 8);
        put_le(p + l.table + 8, bad_offsets[k][1], 8);
        fix_sums(p, len, l.code);
        write_all(path, p, len, 0644);
        b8g_image *img = NULL;
        b8g_error err;
        assert_int_equal(b8g_image_open(path, 0, &img, &err), B8G_IMAGE);
        if (!strstr(err.msg, "does not end the file")) fail_msg("offset case %zu: %s", k, err.msg);
    }
    /* inspection shows damaged code data instead of refusing it */
    memcpy(p, orig, len);
    p[len - 1] ^= 1;
    fix_sums(p, len, 0);
    write_all(path, p, len, 0644);
    b8g_image *img;
    b8g_error err;
    assert_int_equal(b8g_image_open(path, 0, &img, &err), B8G_OK); /* not read at all */
    b8g_image_free(img);
    assert_int_equal(b8g_image_open(path, B8G_IMAGE_OPEN_INSPECT, &img, &err), B8G_OK);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    assert_false(info.checksum_ok);
    assert_int_equal(info.code_funcs, 3);
    b8g_image_free(img);
    unlink(path);
    free(p);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stored_form_round_trips),
        cmocka_unit_test(trusted_open_takes_the_code),
        cmocka_unit_test(other_opens_translate),
        cmocka_unit_test(trusted_code_runs_as_stored),
        cmocka_unit_test(unfitting_code_is_translated),
        cmocka_unit_test(crafted_code_data_refused),
    };
    return cmocka_run_group_tests(tests, make_image, drop_image);
}
