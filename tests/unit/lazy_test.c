/*
 * lazy_test.c - lazy modules (b8g_module_load_lazy, what images use):
 * module-level rules still checked at load, each body validated and
 * translated on its first call, an invalid body found then as a trap
 * (and never run) while the rest works, a stub's frame growing to the
 * real one, and many threads racing for the first
 * call of the same functions (run under ThreadSanitizer by make tsan).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "b8g.h"
#include "mbuild.h"

/*
 * func 0 "inc" (i32) -> i32: local.get 0, i32.const 1, i32.add
 * func 1 "bad" (i32) -> i32: i32.add with nothing on the stack (invalid)
 * func 2 "calls_bad" (i32) -> i32: local.get 0, call 1
 * func 3 "wide" (i32) -> i32: 64 locals, deep expression (a bigger frame)
 * func 4 "sum" (i32) -> i32: calls inc n times in a loop
 */
static uint8_t *module(size_t *len, bool with_bad)
{
    Mb mb = {0};
    uint32_t t = mb_type(&mb, "i", "i");
    mb_func(&mb, t, "", BYTES(0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b));
    if (with_bad) mb_func(&mb, t, "", BYTES(0x6a, 0x0b));
    else mb_func(&mb, t, "", BYTES(0x20, 0x00, 0x0b));
    mb_func(&mb, t, "", BYTES(0x20, 0x00, 0x10, 0x01, 0x0b));
    char locals[65];
    memset(locals, 'i', 64);
    locals[64] = 0;
    mb_func(&mb, t, locals,
            BYTES(0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x6a, 0x6a, 0x6a, 0x21,
                  0x3f, 0x20, 0x3f, 0x0b));
    /* sum: (local $acc i32) loop: acc = inc(acc); n--; br_if n; acc */
    mb_func(&mb, t, "i",
            BYTES(0x03, 0x40, 0x20, 0x01, 0x10, 0x00, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01,
                  0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b));
    mb_export(&mb, "inc", 0x00, 0);
    mb_export(&mb, "bad", 0x00, 1);
    mb_export(&mb, "calls_bad", 0x00, 2);
    mb_export(&mb, "wide", 0x00, 3);
    mb_export(&mb, "sum", 0x00, 4);
    uint8_t *bytes = mb_build(&mb, len);
    mb_free(&mb);
    return bytes;
}

static b8g_module *load(bool lazy, bool with_bad, b8g_status want)
{
    size_t len;
    uint8_t *bytes = module(&len, with_bad);
    b8g_module *m = NULL;
    b8g_error err;
    b8g_status st = lazy ? b8g_module_load_lazy(bytes, len, &m, &err)
                         : b8g_module_load(bytes, len, &m, &err);
    free(bytes);
    assert_int_equal(st, want);
    return m;
}

static b8g_status call1(b8g_instance *inst, const char *name, int32_t arg, int32_t *res,
                        b8g_error *err)
{
    b8g_val a = {.type = B8G_I32, .of.i32 = arg}, r = {0};
    b8g_status st = b8g_call(inst, name, &a, 1, &r, 1, err);
    if (res) *res = r.of.i32;
    return st;
}

static void invalid_body_found_at_its_first_call(void **state)
{
    (void)state;
    /* loaded eagerly, the module is refused */
    assert_null(load(false, true, B8G_INVALID));
    b8g_module *m = load(true, true, B8G_OK);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    int32_t r;
    assert_int_equal(call1(inst, "inc", 41, &r, &err), B8G_OK);
    assert_int_equal(r, 42);
    for (int i = 0; i < 2; i++) { /* and again: it stays refused */
        assert_int_equal(call1(inst, "bad", 1, &r, &err), B8G_TRAP);
        assert_int_equal(err.trap, B8G_TRAP_INVALID_CODE);
        assert_non_null(strstr(err.msg, "type mismatch"));
    }
    /* called from another function: a trap with that caller's frame */
    assert_int_equal(call1(inst, "calls_bad", 1, &r, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_INVALID_CODE);
    assert_int_equal(err.nframes, 2);
    assert_int_equal(err.frames[1].func, 2);
    /* the store goes on */
    assert_int_equal(call1(inst, "sum", 1000, &r, &err), B8G_OK);
    assert_int_equal(r, 1000);
    b8g_store_free(s);
    b8g_module_free(m);
}

static void lazy_and_eager_agree(void **state)
{
    (void)state;
    b8g_module *lazy = load(true, false, B8G_OK), *eager = load(false, false, B8G_OK);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *a, *b;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, lazy, &a, &err), B8G_OK);
    assert_int_equal(b8g_instantiate(s, eager, &b, &err), B8G_OK);
    static const char *const names[] = {"inc", "bad", "calls_bad", "wide", "sum"};
    for (int32_t arg = 1; arg < 50; arg += 7)
        for (size_t k = 0; k < 5; k++) {
            int32_t ra, rb;
            assert_int_equal(call1(a, names[k], arg, &ra, &err), B8G_OK);
            assert_int_equal(call1(b, names[k], arg, &rb, &err), B8G_OK);
            assert_int_equal(ra, rb);
        }
    b8g_store_free(s);
    b8g_module_free(lazy);
    b8g_module_free(eager);
}

/* The stub's frame is params + locals; the code's is bigger (operands):
 * the frame grows to the real one at the first call, here on the
 * smallest stack a store may have. */
static void real_frame_grows_on_the_smallest_stack(void **state)
{
    (void)state;
    b8g_module *m = load(true, false, B8G_OK);
    b8g_config cfg = {.max_stack_bytes = B8G_MIN_STACK_BYTES};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    int32_t r;
    assert_int_equal(call1(inst, "wide", 3, &r, &err), B8G_OK);
    assert_int_equal(r, 12);
    b8g_store_free(s);
    b8g_module_free(m);
}

/* ---- threads --------------------------------------------------------------- */

#define THREADS 4

static void *racer(void *arg)
{
    b8g_module *m = arg;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    b8g_error err;
    intptr_t bad = 0;
    if (b8g_instantiate(s, m, &inst, &err)) bad = 1;
    int32_t r = 0;
    if (!bad && (call1(inst, "sum", 500, &r, &err) || r != 500)) bad = 1;
    if (!bad && (call1(inst, "wide", 1, &r, &err) || r != 4)) bad = 1;
    b8g_store_free(s);
    return (void *)bad;
}

static void first_calls_race_safely(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        b8g_module *m = load(true, false, B8G_OK);
        pthread_t th[THREADS];
        for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&th[i], NULL, racer, m), 0);
        for (int i = 0; i < THREADS; i++) {
            void *bad;
            assert_int_equal(pthread_join(th[i], &bad), 0);
            assert_null(bad);
        }
        b8g_module_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invalid_body_found_at_its_first_call),
        cmocka_unit_test(lazy_and_eager_agree),
        cmocka_unit_test(real_frame_grows_on_the_smallest_stack),
        cmocka_unit_test(first_calls_race_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
