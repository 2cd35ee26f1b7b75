/*
 * snapshot_test.c - images through the embedding API: idle and suspended
 * instances round-trip exactly, a suspended call resumes from an image at
 * every stopping point, forks are independent, and damaged or crafted
 * images are refused with B8G_IMAGE without harming the host.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include <cmocka.h>

#include "b8g.h"
#include "guest.h"

static b8g_module *guest;

static int load_guest(void **state)
{
    (void)state;
    guest = load_built_guest("snapshot");
    return guest ? 0 : -1;
}

static int free_guest(void **state)
{
    (void)state;
    b8g_module_free(guest);
    return 0;
}

static b8g_instance *fresh(b8g_store **s)
{
    b8g_config cfg = {0};
    *s = b8g_store_new(&cfg);
    assert_non_null(*s);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(*s, guest, &inst, &err), B8G_OK);
    return inst;
}

static int64_t call_i64(b8g_instance *inst, const char *name, int32_t arg, bool has_arg)
{
    b8g_val a = {.type = B8G_I32, .of.i32 = arg}, r;
    b8g_error err;
    b8g_status st = b8g_call(inst, name, &a, has_arg, &r, 1, &err);
    if (st) fail_msg("%s: %s", name, err.msg);
    return r.type == B8G_I64 ? r.of.i64 : r.of.i32;
}

static int64_t global_g(b8g_instance *inst)
{
    b8g_val v;
    assert_int_equal(b8g_export_global(inst, "g", &v), B8G_OK);
    return v.of.i64;
}

/* Restores img into a new store; returns the instance. */
static b8g_instance *restored(b8g_image *img, b8g_store **s, uint32_t flags)
{
    b8g_config cfg = {0};
    *s = b8g_store_new(&cfg);
    b8g_instance *inst;
    b8g_error err;
    b8g_status st = b8g_image_restore(img, *s, NULL, flags, &inst, &err);
    if (st) fail_msg("restore: %s", err.msg);
    return inst;
}

/* Image bytes in memory, for damaging. */
static uint8_t *image_bytes(b8g_image *img, size_t *len)
{
    char path[] = "/tmp/b8g-snaptest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    b8g_error err;
    assert_int_equal(b8g_image_write_fd(img, fd, &err), B8G_OK);
    FILE *f = fdopen(fd, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *p = malloc(*len);
    assert_int_equal(fread(p, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return p;
}

static void fix_checksum(uint8_t *p, size_t len)
{
    memset(p + 24, 0, 8);
    uint64_t h = XXH3_64bits(p, len);
    for (int i = 0; i < 8; i++) p[24 + i] = (uint8_t)(h >> (8 * i));
}

/* ---- round trips ---------------------------------------------------------- */

static void idle_round_trip(void **state)
{
    (void)state;
    b8g_store *s, *r;
    b8g_instance *inst = fresh(&s);
    b8g_val none;
    b8g_error err;
    assert_int_equal(b8g_call(inst, "drop", NULL, 0, &none, 0, &err), B8G_OK);
    assert_int_equal(call_i64(inst, "grow", 0, false), 2);
    int64_t first = call_i64(inst, "rec", 12, true);
    b8g_image *img;
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    assert_false(info.suspended);
    assert_true(info.rehashable);
    assert_int_equal(info.memory_bytes, 3 * 65536);
    assert_true(info.stored_bytes > 0 && info.stored_bytes < info.memory_bytes);
    b8g_instance *copy = restored(img, &r, 0);
    assert_int_equal(global_g(copy), global_g(inst));
    assert_int_equal(call_i64(copy, "pages", 0, false), 3);
    assert_int_equal(call_i64(copy, "checksum", 0, false), call_i64(inst, "checksum", 0, false));
    assert_int_equal(call_i64(copy, "gref_is_sq", 0, false), 1);
    /* the dropped data segment stays dropped: memory.init of it traps */
    assert_int_equal(b8g_call(copy, "init_dropped", NULL, 0, &none, 0, &err), B8G_TRAP);
    /* both continue the same way, and separately */
    assert_int_equal(call_i64(copy, "rec", 12, true), call_i64(inst, "rec", 12, true));
    assert_int_not_equal(call_i64(copy, "rec", 12, true), first);
    assert_int_not_equal(global_g(copy), global_g(inst));
    b8g_image_free(img);
    b8g_store_free(s);
    b8g_store_free(r);
}

/* Runs rec(n) with fuel f: the call is suspended unless f suffices. */
static bool suspend_at(b8g_store *s, b8g_instance *inst, uint64_t fuel, int32_t n)
{
    b8g_store_set_fuel(s, fuel);
    b8g_val a = {.type = B8G_I32, .of.i32 = n}, res;
    b8g_error err;
    b8g_status st = b8g_call(inst, "rec", &a, 1, &res, 1, &err);
    assert_true(st == B8G_OK || st == B8G_SUSPENDED);
    return st == B8G_SUSPENDED;
}

static int64_t resume_i64(b8g_store *s)
{
    b8g_val res;
    b8g_error err;
    b8g_status st = b8g_resume(s, &res, 1, &err);
    if (st) fail_msg("resume: %s", err.msg);
    return res.of.i64;
}

static void suspended_everywhere(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_instance *ref = fresh(&s);
    int64_t want = call_i64(ref, "rec", 20, true);
    int64_t want_sum = call_i64(ref, "checksum", 0, false);
    b8g_store_free(s);
    uint32_t points = 0;
    for (uint64_t fuel = 1;; fuel += 3) {
        b8g_instance *inst = fresh(&s);
        if (!suspend_at(s, inst, fuel, 20)) {
            b8g_store_free(s);
            break;
        }
        const b8g_valtype *types;
        assert_int_equal(b8g_suspended_results(s, &types), 1);
        assert_int_equal(types[0], B8G_I64);
        b8g_image *img;
        b8g_error err;
        assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
        b8g_store_free(s); /* the image stands alone */
        b8g_store *r;
        b8g_instance *copy = restored(img, &r, 0);
        assert_true(b8g_suspended(r));
        assert_int_equal(b8g_store_fuel(r), 0);
        b8g_store_set_fuel(r, 0);
        assert_int_equal(resume_i64(r), want);
        assert_int_equal(call_i64(copy, "checksum", 0, false), want_sum);
        b8g_store_free(r);
        b8g_image_free(img);
        points++;
    }
    assert_true(points >= 50);
}

/* Suspend, restore, suspend again a little later, restore, finish. */
static void suspended_twice(void **state)
{
    (void)state;
    b8g_store *s, *r1, *r2;
    b8g_instance *ref = fresh(&s);
    int64_t want = call_i64(ref, "rec", 16, true);
    b8g_store_free(s);
    b8g_instance *inst = fresh(&s);
    assert_true(suspend_at(s, inst, 40, 16));
    b8g_image *a, *b;
    b8g_error err;
    assert_int_equal(b8g_snapshot(inst, NULL, &a, &err), B8G_OK);
    b8g_instance *mid = restored(a, &r1, 0);
    b8g_store_set_fuel(r1, 25);
    b8g_val res;
    assert_int_equal(b8g_resume(r1, &res, 1, &err), B8G_SUSPENDED);
    assert_int_equal(b8g_snapshot(mid, NULL, &b, &err), B8G_OK);
    restored(b, &r2, 0);
    b8g_store_set_fuel(r2, 0);
    assert_int_equal(resume_i64(r2), want);
    /* the first image still resumes the same way */
    b8g_store_set_fuel(r1, 0);
    assert_int_equal(resume_i64(r1), want);
    b8g_image_free(a);
    b8g_image_free(b);
    b8g_store_free(s);
    b8g_store_free(r1);
    b8g_store_free(r2);
}

static void refs_on_stack_refused(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_instance *inst = fresh(&s);
    b8g_store_set_fuel(s, 5);
    b8g_val a = {.type = B8G_I32, .of.i32 = 1000}, res;
    b8g_error err;
    assert_int_equal(b8g_call(inst, "spin_ref", &a, 1, &res, 1, &err), B8G_SUSPENDED);
    b8g_image *img = NULL;
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "references"));
    assert_null(img);
    b8g_store_free(s);
}

static void fork_clones_are_independent(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_instance *inst = fresh(&s);
    call_i64(inst, "rec", 5, true);
    b8g_clone c[8];
    b8g_error err;
    assert_int_equal(b8g_fork(inst, NULL, NULL, NULL, 0, 8, c, &err), B8G_OK);
    int64_t g = global_g(inst), sum = call_i64(inst, "checksum", 0, false);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(global_g(c[i].inst), g);
        assert_int_equal(call_i64(c[i].inst, "checksum", 0, false), sum);
    }
    call_i64(c[3].inst, "rec", 9, true);
    assert_int_equal(global_g(c[3].inst), g + 9);
    assert_int_equal(global_g(c[4].inst), g);
    assert_int_equal(call_i64(c[4].inst, "checksum", 0, false), sum);
    assert_int_equal(call_i64(inst, "checksum", 0, false), sum);
    for (int i = 0; i < 8; i++) b8g_clone_free(&c[i]);
    b8g_store_free(s);
}

/* ---- bad images ----------------------------------------------------------- */

static b8g_image *suspended_image(void)
{
    b8g_store *s;
    b8g_instance *inst = fresh(&s);
    assert_true(suspend_at(s, inst, 60, 10));
    b8g_image *img;
    b8g_error err;
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
    b8g_store_free(s);
    return img;
}

static void expect_bad(const uint8_t *p, size_t len, const char *needle)
{
    b8g_image *img = NULL;
    b8g_error err;
    b8g_status st = b8g_image_open_bytes(p, len, 0, &img, &err);
    if (st != B8G_IMAGE) fail_msg("expected a bad image, got %d: %s", st, err.msg);
    assert_null(img);
    if (needle && !strstr(err.msg, needle)) fail_msg("\"%s\" lacks \"%s\"", err.msg, needle);
}

static void truncated_at_every_length(void **state)
{
    (void)state;
    b8g_image *img = suspended_image();
    size_t len;
    uint8_t *p = image_bytes(img, &len);
    for (size_t n = 0; n < len; n++) expect_bad(p, n, NULL);
    b8g_image *ok;
    b8g_error err;
    assert_int_equal(b8g_image_open_bytes(p, len, 0, &ok, &err), B8G_OK);
    b8g_image_free(ok);
    free(p);
    b8g_image_free(img);
}

static void every_bit_flip_is_caught(void **state)
{
    (void)state;
    b8g_image *img = suspended_image();
    size_t len;
    uint8_t *p = image_bytes(img, &len);
    for (size_t i = 0; i < len; i++) {
        p[i] ^= (uint8_t)(1u << (i % 8));
        expect_bad(p, len, NULL);
        p[i] ^= (uint8_t)(1u << (i % 8));
    }
    free(p);
    b8g_image_free(img);
}

/* With the checksum made to match, a flip reaches the structural checks:
 * each image is refused or restores and runs; nothing else happens. */
static void crafted_flips_stay_contained(void **state)
{
    (void)state;
    /* Crafted frames may make the guest fault on a guard page: that must
     * reach the engine's handler, not cmocka's, which replaced it for this
     * test (under ASan the engine cannot take it back). */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    b8g_image *img = suspended_image();
    size_t len;
    uint8_t *p = image_bytes(img, &len);
    uint32_t refused = 0, ran = 0;
    for (size_t i = 8; i < len; i++) {
        if (i >= 24 && i < 32) continue;
        uint8_t save = p[i];
        p[i] ^= (uint8_t)(1u << (i % 8));
        fix_checksum(p, len);
        b8g_image *m = NULL;
        b8g_error err;
        if (b8g_image_open_bytes(p, len, 0, &m, &err) == B8G_OK) {
            b8g_config cfg = {.fuel = 5000};
            b8g_store *s = b8g_store_new(&cfg);
            b8g_instance *inst;
            if (b8g_image_restore(m, s, NULL, 0, &inst, &err) == B8G_OK) {
                b8g_store_set_fuel(s, 5000);
                b8g_val res;
                if (b8g_suspended(s)) b8g_resume(s, &res, 1, &err);
                ran++;
            } else {
                refused++;
            }
            b8g_store_free(s);
            b8g_image_free(m);
        } else {
            refused++;
        }
        p[i] = save;
    }
    assert_true(refused > 0 && ran > 0);
    free(p);
    b8g_image_free(img);
}

static void le_put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void crafted_headers(void **state)
{
    (void)state;
    b8g_image *img = suspended_image();
    size_t len;
    uint8_t *p = image_bytes(img, &len);
    uint8_t *q = malloc(len);
    struct { size_t at; uint64_t v; int n; const char *needle; } cases[] = {
        {0, 0x41, 1, "magic"},
        {8, 0, 8, "contexts"},
        {8, 1u << 30, 8, "contexts"},
        {16, 2, 8, "rehashability"},
        {32 + 11, '9', 1, "not this engine's"},
        {160, len, 8, "outside the file"},
        {168, UINT64_MAX, 8, "outside the file"},
        {176, 0, 8, "inside what precedes"},
        {184, len, 8, "outside the file"},
        {200, 1, 8, "last context ends"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memcpy(q, p, len);
        le_put(q + cases[k].at, cases[k].v, cases[k].n);
        fix_checksum(q, len);
        expect_bad(q, len, cases[k].needle);
    }
    /* a wrong module hash in the version string */
    memcpy(q, p, len);
    char *h = strstr((char *)q + 32, "xxh3:");
    assert_non_null(h);
    h[5] = h[5] == '0' ? '1' : '0';
    fix_checksum(q, len);
    expect_bad(q, len, "module hash");
    /* a huge count in the startup data: the module count */
    memcpy(q, p, len);
    uint64_t st = 0;
    for (int i = 7; i >= 0; i--) st = st << 8 | q[160 + i];
    le_put(q + st, 0xffffffffu, 4);
    fix_checksum(q, len);
    expect_bad(q, len, "modules");
    free(q);
    free(p);
    b8g_image_free(img);
}

static void non_rehashable_restores_once(void **state)
{
    (void)state;
    b8g_image *img = suspended_image();
    size_t len;
    uint8_t *p = image_bytes(img, &len);
    le_put(p + 16, 0, 8);
    fix_checksum(p, len);
    b8g_image *m;
    b8g_error err;
    assert_int_equal(b8g_image_open_bytes(p, len, 0, &m, &err), B8G_OK);
    b8g_store *a, *b, *c;
    restored(m, &a, 0);
    b8g_config cfg = {0};
    b = b8g_store_new(&cfg);
    b8g_instance *inst;
    assert_int_equal(b8g_image_restore(m, b, NULL, 0, &inst, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "fork"));
    restored(m, &c, B8G_RESTORE_FORK);
    b8g_store_free(a);
    b8g_store_free(b);
    b8g_store_free(c);
    b8g_image_free(m);
    free(p);
    b8g_image_free(img);
}

static void imported_state_refused(void **state)
{
    (void)state;
    b8g_module *m = load_built_guest("snapshot_import");
    assert_non_null(m);
    b8g_error err;
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *host = b8g_host_instance_new(s), *inst;
    b8g_val v = {.type = B8G_I32, .of.i32 = 5};
    assert_int_equal(b8g_host_global(host, "g", v, false), B8G_OK);
    assert_int_equal(b8g_register(s, "host", host), B8G_OK);
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    b8g_image *img = NULL;
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "imports a table, memory or global"));
    assert_null(img);
    /* nor can a store with two module instances be captured */
    b8g_instance *second;
    assert_int_equal(b8g_instantiate(s, guest, &second, &err), B8G_OK);
    assert_int_equal(b8g_snapshot(second, NULL, &img, &err), B8G_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "more than one module instance"));
    b8g_store_free(s);
    b8g_module_free(m);
}

/* A context whose link key was handed out is not rehashable, and every
 * restore is a new context with a key of its own. */
static void link_keys_rotate(void **state)
{
    (void)state;
    b8g_store *s, *r;
    b8g_instance *inst = fresh(&s);
    uint8_t k0[32], k1[32];
    b8g_error err;
    b8g_image *img;
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    assert_true(info.rehashable);
    b8g_image_free(img);
    assert_int_equal(b8g_link_key(inst, k0, &err), B8G_OK);
    assert_int_equal(b8g_snapshot(inst, NULL, &img, &err), B8G_OK);
    b8g_image_get_info(img, &info);
    assert_false(info.rehashable);
    b8g_instance *copy = restored(img, &r, 0);
    assert_int_equal(b8g_link_key(copy, k1, &err), B8G_OK);
    assert_memory_not_equal(k0, k1, sizeof k0);
    /* and the original keeps its own */
    assert_int_equal(b8g_link_key(inst, k1, &err), B8G_OK);
    assert_memory_equal(k0, k1, sizeof k0);
    b8g_image_free(img);
    b8g_store_free(r);
    b8g_store_free(s);
}

static void atomic_file_write(void **state)
{
    (void)state;
    b8g_image *img = suspended_image();
    char dir[] = "/tmp/b8g-snapdir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/state.b8g", dir);
    b8g_error err;
    assert_int_equal(b8g_image_write(img, path, &err), B8G_OK);
    assert_int_equal(b8g_image_write(img, path, &err), B8G_OK); /* replaces */
    b8g_image *back;
    assert_int_equal(b8g_image_open(path, 0, &back, &err), B8G_OK);
    b8g_store *s;
    restored(back, &s, 0);
    b8g_store_set_fuel(s, 0);
    resume_i64(s);
    b8g_store_free(s);
    b8g_image_free(back);
    /* nothing but the image is left in the directory */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/no/such/dir/x.b8g", dir);
    assert_int_equal(b8g_image_write(img, path, &err), B8G_IO);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    b8g_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_round_trip),
        cmocka_unit_test(suspended_everywhere),
        cmocka_unit_test(suspended_twice),
        cmocka_unit_test(refs_on_stack_refused),
        cmocka_unit_test(fork_clones_are_independent),
        cmocka_unit_test(truncated_at_every_length),
        cmocka_unit_test(every_bit_flip_is_caught),
        cmocka_unit_test(crafted_flips_stay_contained),
        cmocka_unit_test(crafted_headers),
        cmocka_unit_test(non_rehashable_restores_once),
        cmocka_unit_test(imported_state_refused),
        cmocka_unit_test(link_keys_rotate),
        cmocka_unit_test(atomic_file_write),
    };
    return cmocka_run_group_tests(tests, load_guest, free_guest);
}
