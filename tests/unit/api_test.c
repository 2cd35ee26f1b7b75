/*
 * api_test.c - the public API: loading and querying modules, calling
 * exports (argument checks, results, traps), suspending and resuming, and
 * value formatting.  Uses only b8g.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"

/*
 * (module
 *   (import "env" "mul" (func $mul (param i32 i32) (result i32)))
 *   (memory (export "mem") 2)
 *   (global (export "gf") f64 (f64.const -1.5))
 *   (global (export "gi") (mut i64) (i64.const -7))
 *   (func (export "add") (param i32 i32) (result i32)
 *     (i32.add (local.get 0) (local.get 1)))
 *   (func (export "mul") (param i32 i32) (result i32)
 *     (call $mul (local.get 0) (local.get 1)))
 *   (func (export "swap") (param f32 i64) (result i64 f32)
 *     (local.get 1) (local.get 0))
 *   (func (export "trap") unreachable)
 *   (func (export "count") (param i32) (result i32) (local i32)
 *     (loop $l
 *       (local.set 1 (i32.add (local.get 1) (i32.const 1)))
 *       (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
 *     (local.get 1)))
 */
static const uint8_t mod_calc[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x16, 0x04, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7d, 0x7e, 0x02, 0x7e, 0x7d,
    0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0b, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x6d, 0x75, 0x6c, 0x00, 0x00, 0x03, 0x06, 0x05,
    0x00, 0x00, 0x01, 0x02, 0x03, 0x05, 0x03, 0x01, 0x00, 0x02, 0x06, 0x12,
    0x02, 0x7c, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0xbf,
    0x0b, 0x7e, 0x01, 0x42, 0x79, 0x0b, 0x07, 0x33, 0x08, 0x03, 0x6d, 0x65,
    0x6d, 0x02, 0x00, 0x02, 0x67, 0x66, 0x03, 0x00, 0x02, 0x67, 0x69, 0x03,
    0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x03, 0x6d, 0x75, 0x6c, 0x00,
    0x02, 0x04, 0x73, 0x77, 0x61, 0x70, 0x00, 0x03, 0x04, 0x74, 0x72, 0x61,
    0x70, 0x00, 0x04, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x05, 0x0a,
    0x35, 0x05, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x08, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x01, 0x20,
    0x00, 0x0b, 0x03, 0x00, 0x00, 0x0b, 0x17, 0x01, 0x01, 0x7f, 0x03, 0x40,
    0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x01, 0x20, 0x00, 0x49,
    0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b,
};


/* A custom section "hi" with payload "xyz", and nothing else. */
static const uint8_t mod_custom[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                     0x00, 0x06, 0x02, 'h', 'i', 'x', 'y', 'z'};

static const char *fmt(b8g_val v)
{
    static char buf[64];
    return b8g_val_format(&v, buf, sizeof buf);
}

static b8g_val i32v(int32_t x) { return (b8g_val){.type = B8G_I32, .of.i32 = x}; }
static b8g_val f32v(uint32_t b) { return (b8g_val){.type = B8G_F32, .of.f32 = b}; }
static b8g_val f64v(double d)
{
    b8g_val v = {.type = B8G_F64};
    memcpy(&v.of.f64, &d, sizeof d);
    return v;
}

static void test_val_format(void **state)
{
    (void)state;
    float f = 0.1f;
    uint32_t fb;
    memcpy(&fb, &f, sizeof fb);
    assert_string_equal(fmt(i32v(-5)), "-5");
    assert_string_equal(fmt((b8g_val){.type = B8G_I64, .of.i64 = INT64_MIN}),
                        "-9223372036854775808");
    assert_string_equal(fmt(f32v(0x3fc00000)), "1.5");
    assert_string_equal(fmt(f32v(fb)), "0.1");
    assert_string_equal(fmt(f32v(0x80000000)), "-0");
    assert_string_equal(fmt(f32v(0x7fc00000)), "nan");
    assert_string_equal(fmt(f32v(0xffc00000)), "-nan");
    assert_string_equal(fmt(f32v(0x7fa00000)), "nan:0x200000");
    assert_string_equal(fmt(f32v(0xff800001)), "-nan:0x1");
    assert_string_equal(fmt(f32v(0x7f800000)), "inf");
    assert_string_equal(fmt(f32v(0xff800000)), "-inf");
    assert_string_equal(fmt(f32v(1)), "1e-45");
    assert_string_equal(fmt(f64v(0.1)), "0.1");
    assert_string_equal(fmt(f64v(1e300)), "1e+300");
    assert_string_equal(fmt(f64v(-2.5)), "-2.5");
    assert_string_equal(fmt(f64v(1.0 / 3)), "0.3333333333333333");
    assert_string_equal(fmt((b8g_val){.type = B8G_F64, .of.f64 = 0x7ff8000000000000}), "nan");
    assert_string_equal(fmt((b8g_val){.type = B8G_F64, .of.f64 = 0x7ff0000000000001}), "nan:0x1");
    assert_string_equal(fmt((b8g_val){.type = B8G_FUNCREF}), "null");
    assert_string_equal(fmt((b8g_val){.type = B8G_EXTERNREF}), "null");
    assert_string_equal(fmt((b8g_val){.type = B8G_EXTERNREF, .of.ref = (void *)0x10}),
                        "ref.extern 0x10");
    char small[4];
    assert_string_equal(b8g_val_format(&(b8g_val){.type = B8G_I32, .of.i32 = 123456},
                                       small, sizeof small), "123");
}

static void test_module_load_and_queries(void **state)
{
    (void)state;
    b8g_module *m = (b8g_module *)1;
    b8g_error err;
    const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(b8g_module_load(junk, sizeof junk, &m, &err), B8G_MALFORMED);
    assert_null(m);
    assert_int_equal(b8g_module_load(junk, 0, &m, &err), B8G_MALFORMED);
    assert_int_equal(b8g_module_load(junk, sizeof junk, NULL, &err), B8G_ARG);
    b8g_module_free(NULL);

    assert_int_equal(b8g_module_load(mod_custom, sizeof mod_custom, &m, &err), B8G_OK);
    assert_int_equal(b8g_module_export_count(m), 0);
    assert_int_equal(b8g_module_custom_count(m), 1);
    const char *name;
    size_t len;
    const uint8_t *data = b8g_module_custom(m, 0, &name, &len);
    assert_string_equal(name, "hi");
    assert_int_equal(len, 3);
    assert_memory_equal(data, "xyz", 3);
    assert_null(b8g_module_custom(m, 1, &name, &len));
    b8g_module_free(m);

    assert_int_equal(b8g_module_load(mod_calc, sizeof mod_calc, &m, &err), B8G_OK);
    assert_int_equal(b8g_module_export_count(m), 8);
    b8g_extern_kind k;
    assert_string_equal(b8g_module_export_name(m, 0, &k), "mem");
    assert_int_equal(k, B8G_EXTERN_MEMORY);
    assert_string_equal(b8g_module_export_name(m, 1, &k), "gf");
    assert_int_equal(k, B8G_EXTERN_GLOBAL);
    assert_string_equal(b8g_module_export_name(m, 3, &k), "add");
    assert_int_equal(k, B8G_EXTERN_FUNC);
    assert_null(b8g_module_export_name(m, 8, &k));
    b8g_module_free(m);
}

static b8g_status host_mul(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    int *calls = call->user;
    ++*calls;
    slots[0] = (uint32_t)((uint32_t)slots[0] * (uint32_t)slots[1]);
    return B8G_OK;
}

static int mul_calls;

/* A store with env.mul and an instance of mod_calc; the module itself is
 * freed at once: the store keeps what the instance needs. */
static b8g_instance *calc(const b8g_config *cfg, b8g_store **s)
{
    *s = b8g_store_new(cfg);
    b8g_instance *h = b8g_host_instance_new(*s);
    assert_int_equal(b8g_host_func(h, "mul", "ii:i", host_mul, &mul_calls), B8G_OK);
    assert_int_equal(b8g_register(*s, "env", h), B8G_OK);
    b8g_module *m;
    b8g_error err;
    assert_int_equal(b8g_module_load(mod_calc, sizeof mod_calc, &m, &err), B8G_OK);
    b8g_instance *inst = NULL;
    b8g_status st = b8g_instantiate(*s, m, &inst, &err);
    if (st) fail_msg("instantiate: %s", err.msg);
    b8g_module_free(m);
    return inst;
}

static void test_call(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_instance *inst = calc(NULL, &s);
    b8g_error err;
    b8g_val args[2] = {i32v(2), i32v(40)}, res[2];

    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    assert_int_equal(b8g_export_func(inst, "swap", &np, &pt, &nr, &rt), B8G_OK);
    assert_int_equal(np, 2);
    assert_int_equal(nr, 2);
    assert_int_equal(pt[0], B8G_F32);
    assert_int_equal(pt[1], B8G_I64);
    assert_int_equal(rt[0], B8G_I64);
    assert_int_equal(rt[1], B8G_F32);
    assert_int_equal(b8g_export_func(inst, "nope", &np, &pt, &nr, &rt), B8G_ARG);
    assert_int_equal(b8g_export_func(inst, "mem", &np, &pt, &nr, &rt), B8G_ARG);

    assert_int_equal(b8g_call(inst, "add", args, 2, res, 1, &err), B8G_OK);
    assert_int_equal(res[0].type, B8G_I32);
    assert_int_equal(res[0].of.i32, 42);
    args[0] = i32v(-3);
    assert_int_equal(b8g_call(inst, "mul", args, 2, res, 1, &err), B8G_OK);
    assert_int_equal(res[0].of.i32, -120);
    assert_int_equal(mul_calls, 1);

    b8g_val sw[2] = {f32v(0x3fc00000), {.type = B8G_I64, .of.i64 = -9}};
    assert_int_equal(b8g_call(inst, "swap", sw, 2, res, 2, &err), B8G_OK);
    assert_int_equal(res[0].type, B8G_I64);
    assert_int_equal(res[0].of.i64, -9);
    assert_int_equal(res[1].type, B8G_F32);
    assert_int_equal(res[1].of.f32, 0x3fc00000);

    /* Everything the embedder passes is checked before running. */
    assert_int_equal(b8g_call(inst, "add", args, 1, res, 1, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "takes 2 arguments"));
    assert_int_equal(b8g_call(inst, "add", sw, 2, res, 1, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "expected i32, got f32"));
    assert_int_equal(b8g_call(inst, "add", args, 2, res, 0, &err), B8G_ARG);
    assert_int_equal(b8g_call(inst, "missing", NULL, 0, NULL, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "unknown export"));
    assert_int_equal(b8g_call(inst, "gf", NULL, 0, NULL, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "not a function"));
    assert_int_equal(b8g_call(inst, "add", NULL, 2, res, 1, &err), B8G_ARG);
    assert_int_equal(b8g_call(NULL, "add", args, 2, res, 1, &err), B8G_ARG);

    assert_int_equal(b8g_call(inst, "trap", NULL, 0, NULL, 0, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_UNREACHABLE);
    assert_string_equal(err.msg, "unreachable");
    /* A trap leaves the store usable. */
    args[0] = i32v(1);
    assert_int_equal(b8g_call(inst, "add", args, 2, res, 1, NULL), B8G_OK);
    assert_int_equal(res[0].of.i32, 41);
    b8g_store_free(s);
}

static void test_globals_and_memory(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_instance *inst = calc(NULL, &s);
    b8g_val v;
    assert_int_equal(b8g_export_global(inst, "gf", &v), B8G_OK);
    assert_int_equal(v.type, B8G_F64);
    assert_string_equal(fmt(v), "-1.5");
    assert_int_equal(b8g_export_global(inst, "gi", &v), B8G_OK);
    assert_int_equal(v.type, B8G_I64);
    assert_int_equal(v.of.i64, -7);
    assert_int_equal(b8g_export_global(inst, "add", &v), B8G_ARG);
    assert_int_equal(b8g_export_global(inst, "none", &v), B8G_ARG);
    uint64_t size = 1;
    uint8_t *mem = b8g_instance_memory(inst, &size);
    assert_non_null(mem);
    assert_int_equal(size, 2 * 65536);
    mem[size - 1] = 1;
    assert_null(b8g_instance_memory(NULL, &size));
    assert_int_equal(size, 0);
    b8g_store_free(s);
}

static void test_fuel_suspend_resume(void **state)
{
    (void)state;
    b8g_config cfg = {.fuel = 1000};
    b8g_store *s;
    b8g_instance *inst = calc(&cfg, &s);
    assert_false(b8g_suspended(s));
    b8g_error err;
    b8g_val arg = i32v(100000), res[1];
    assert_int_equal(b8g_call(inst, "count", &arg, 1, res, 1, &err), B8G_SUSPENDED);
    assert_true(b8g_suspended(s));
    assert_int_equal(err.trap, B8G_TRAP_OUT_OF_FUEL);
    /* No second call while one is paused. */
    assert_int_equal(b8g_call(inst, "count", &arg, 1, res, 1, &err), B8G_ARG);
    assert_int_equal(b8g_resume(s, res, 0, &err), B8G_ARG);
    b8g_store_set_fuel(s, 0);
    assert_int_equal(b8g_store_fuel(s), UINT64_MAX);
    assert_int_equal(b8g_resume(s, res, 1, &err), B8G_OK);
    assert_false(b8g_suspended(s));
    assert_int_equal(res[0].of.i32, 100000);
    assert_int_equal(b8g_resume(s, res, 1, &err), B8G_ARG);

    /* Abort drops the paused call; the store runs again. */
    b8g_store_set_fuel(s, 500);
    assert_int_equal(b8g_call(inst, "count", &arg, 1, res, 1, &err), B8G_SUSPENDED);
    b8g_abort(s);
    assert_false(b8g_suspended(s));
    b8g_store_set_fuel(s, 0);
    arg = i32v(10);
    assert_int_equal(b8g_call(inst, "count", &arg, 1, res, 1, &err), B8G_OK);
    assert_int_equal(res[0].of.i32, 10);
    b8g_store_free(s);
}

static void test_interrupt(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_store_interrupt(s); /* nothing running: harmless */
    assert_int_equal(b8g_store_fuel(s), UINT64_MAX);
    b8g_store_set_fuel(s, 77);
    assert_int_equal(b8g_store_fuel(s), 77);
    b8g_store_free(s);
    b8g_store_free(NULL);
}

/* Imports are listed with their names and, for functions, the signature in
 * b8g_host_func's notation, so an embedder can stub them generically. */
static void test_module_imports(void **state)
{
    (void)state;
    b8g_error err;
    b8g_module *m;
    assert_int_equal(b8g_module_load(mod_calc, sizeof mod_calc, &m, &err), B8G_OK);
    assert_int_equal(b8g_module_import_count(m), 1);
    b8g_import_info info;
    assert_int_equal(b8g_module_import(m, 0, &info), B8G_OK);
    assert_string_equal(info.module, "env");
    assert_int_equal(info.module_len, 3);
    assert_string_equal(info.field, "mul");
    assert_int_equal(info.kind, B8G_EXTERN_FUNC);
    char sig[8];
    assert_int_equal(b8g_module_import_sig(m, 0, sig, sizeof sig), 4);
    assert_string_equal(sig, "ii:i");
    char small[3];
    assert_int_equal(b8g_module_import_sig(m, 0, small, sizeof small), 4);
    assert_string_equal(small, "ii");
    assert_int_equal(b8g_module_import(m, 1, &info), B8G_ARG);
    assert_int_equal(b8g_module_import_sig(m, 1, sig, sizeof sig), 0);
    assert_int_equal(b8g_module_import_count(NULL), 0);
    b8g_module_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_val_format),
        cmocka_unit_test(test_module_load_and_queries),
        cmocka_unit_test(test_module_imports),
        cmocka_unit_test(test_call),
        cmocka_unit_test(test_globals_and_memory),
        cmocka_unit_test(test_fuel_suspend_resume),
        cmocka_unit_test(test_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
