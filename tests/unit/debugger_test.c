/*
 * debugger_test.c - debug stops (b8g_module_load_debug,
 * b8g_store_set_debugger, b8g_debug_*): a stop before every instruction
 * at its exact offset, locals as the wasm program has them there, frames
 * and the offsets of their calls, a debugger that ends the call, a stop
 * at a trap, no stops in plain code or without a debugger, the function
 * queries, and every out-of-range or NULL argument refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"
#include "mbuild.h"

#define MAX_STOPS 64

typedef struct Seen {
    uint32_t n;
    uint64_t offset[MAX_STOPS];
    uint32_t depth[MAX_STOPS];
    int32_t local1[MAX_STOPS]; /* local 1 of frame 0, or -1 */
    uint64_t outer_offset[MAX_STOPS]; /* frame 1's, when there is one */
    b8g_trap_kind trap[MAX_STOPS];
    uint32_t stop_after; /* return false at this stop (0: never) */
} Seen;

static bool record(void *arg, const b8g_debug_stop *stop)
{
    Seen *s = arg;
    assert_true(s->n < MAX_STOPS);
    uint32_t i = s->n++;
    b8g_frame_info f;
    assert_true(b8g_debug_frame(stop, 0, &f));
    s->offset[i] = f.code_offset;
    s->depth[i] = b8g_debug_depth(stop);
    s->trap[i] = b8g_debug_trap(stop);
    b8g_val v;
    s->local1[i] = b8g_debug_local(stop, 0, 1, &v) && v.type == B8G_I32 ? v.of.i32 : -1;
    s->outer_offset[i] = b8g_debug_frame(stop, 1, &f) ? f.code_offset : B8G_NO_OFFSET;
    /* out of range: refused, not read */
    assert_false(b8g_debug_frame(stop, s->depth[i], &f));
    assert_false(b8g_debug_frame(stop, 0, NULL));
    assert_null(b8g_debug_instance(stop, s->depth[i]));
    assert_non_null(b8g_debug_instance(stop, 0));
    uint32_t np;
    uint32_t nl = b8g_debug_local_count(stop, 0, &np);
    assert_false(b8g_debug_local(stop, 0, nl, &v));
    assert_false(b8g_debug_local(stop, s->depth[i], 0, &v));
    assert_int_equal(b8g_debug_local_count(stop, s->depth[i], &np), 0);
    assert_int_equal(np, 0);
    return s->stop_after == 0 || s->n < s->stop_after;
}

/*
 * func 0 "inc" (param i32) (result i32) (local i32):
 *   local.get 0  i32.const 1  i32.add  local.tee 1  end
 * func 1 "outer" (param i32) (result i32):
 *   local.get 0  call 0  end
 * func 2 "div" (param i32) (result i32):
 *   i32.const 1  local.get 0  i32.div_s  end
 */
static uint8_t *module(size_t *len)
{
    Mb mb = {0};
    uint32_t t = mb_type(&mb, "i", "i");
    mb_func(&mb, t, "i", BYTES(0x20, 0x00, 0x41, 0x01, 0x6a, 0x22, 0x01, 0x0b));
    mb_func(&mb, t, "", BYTES(0x20, 0x00, 0x10, 0x00, 0x0b));
    mb_func(&mb, t, "", BYTES(0x41, 0x01, 0x20, 0x00, 0x6d, 0x0b));
    mb_export(&mb, "inc", 0x00, 0);
    mb_export(&mb, "outer", 0x00, 1);
    mb_export(&mb, "div", 0x00, 2);
    uint8_t *bytes = mb_build(&mb, len);
    mb_free(&mb);
    return bytes;
}

typedef struct Fixture {
    b8g_module *m;
    b8g_store *s;
    b8g_instance *inst;
    Seen seen;
} Fixture;

static void setup(Fixture *f, bool debug)
{
    memset(f, 0, sizeof *f);
    size_t len;
    uint8_t *bytes = module(&len);
    b8g_error err;
    b8g_status st = debug ? b8g_module_load_debug(bytes, len, &f->m, &err)
                          : b8g_module_load(bytes, len, &f->m, &err);
    free(bytes);
    assert_int_equal(st, B8G_OK);
    f->s = b8g_store_new(NULL);
    assert_non_null(f->s);
    assert_int_equal(b8g_instantiate(f->s, f->m, &f->inst, &err), B8G_OK);
    b8g_store_set_debugger(f->s, record, &f->seen);
}

static void teardown(Fixture *f)
{
    b8g_store_free(f->s);
    b8g_module_free(f->m);
}

static b8g_status call(Fixture *f, const char *name, int32_t arg, int32_t *result,
                       b8g_error *err)
{
    b8g_val a = {.type = B8G_I32, .of.i32 = arg}, r = {0};
    b8g_status st = b8g_call(f->inst, name, &a, 1, &r, 1, err);
    *result = r.of.i32;
    return st;
}

static void every_instruction_stops_in_order(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, true);
    b8g_error err;
    int32_t r;
    assert_int_equal(call(&f, "inc", 5, &r, &err), B8G_OK);
    assert_int_equal(r, 6);
    uint64_t start = b8g_module_func_offset(f.m, 0);
    /* local.get 0, i32.const 1, i32.add, local.tee 1, end */
    static const uint64_t at[] = {0, 2, 4, 5, 7};
    assert_int_equal(f.seen.n, 5);
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(f.seen.offset[i], start + at[i]);
        assert_int_equal(f.seen.depth[i], 1);
        assert_int_equal(f.seen.trap[i], B8G_TRAP_NONE);
        assert_int_equal(f.seen.outer_offset[i], B8G_NO_OFFSET);
    }
    /* the local holds 0 until the tee has run */
    assert_int_equal(f.seen.local1[3], 0);
    assert_int_equal(f.seen.local1[4], 6);
    teardown(&f);
}

static void frames_name_their_calls(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, true);
    b8g_error err;
    int32_t r;
    assert_int_equal(call(&f, "outer", 41, &r, &err), B8G_OK);
    assert_int_equal(r, 42);
    uint64_t outer = b8g_module_func_offset(f.m, 1), inc = b8g_module_func_offset(f.m, 0);
    /* outer: local.get, call; inc's five; outer's end */
    assert_int_equal(f.seen.n, 8);
    assert_int_equal(f.seen.offset[1], outer + 2);
    assert_int_equal(f.seen.depth[2], 2);
    assert_int_equal(f.seen.offset[2], inc);
    assert_int_equal(f.seen.outer_offset[2], outer + 2); /* the call */
    assert_int_equal(f.seen.depth[7], 1);
    assert_int_equal(f.seen.offset[7], outer + 4);
    teardown(&f);
}

static void a_debugger_can_end_the_call(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, true);
    f.seen.stop_after = 3;
    b8g_error err;
    int32_t r;
    assert_int_equal(call(&f, "inc", 5, &r, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_INTERRUPTED);
    /* the stop that said no, then the trap it raised */
    assert_int_equal(f.seen.n, 4);
    assert_int_equal(f.seen.trap[3], B8G_TRAP_INTERRUPTED);
    /* the store is usable afterwards */
    f.seen.stop_after = 0;
    f.seen.n = 0;
    assert_int_equal(call(&f, "inc", 1, &r, &err), B8G_OK);
    assert_int_equal(r, 2);
    teardown(&f);
}

static void a_trap_stops_before_the_frames_go(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, true);
    b8g_error err;
    int32_t r;
    assert_int_equal(call(&f, "div", 0, &r, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_INT_DIV_ZERO);
    uint64_t div = b8g_module_func_offset(f.m, 2);
    /* i32.const, local.get, i32.div_s; then the trap at i32.div_s */
    assert_int_equal(f.seen.n, 4);
    assert_int_equal(f.seen.trap[3], B8G_TRAP_INT_DIV_ZERO);
    assert_int_equal(f.seen.offset[3], div + 4);
    assert_int_equal(err.offset, div + 4);
    teardown(&f);
}

static void no_stops_in_plain_code_or_without_a_debugger(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, false);
    b8g_error err;
    int32_t r;
    assert_int_equal(call(&f, "outer", 1, &r, &err), B8G_OK);
    assert_int_equal(call(&f, "div", 0, &r, &err), B8G_TRAP);
    assert_int_equal(f.seen.n, 0);
    teardown(&f);

    setup(&f, true);
    b8g_store_set_debugger(f.s, NULL, NULL);
    assert_int_equal(call(&f, "outer", 1, &r, &err), B8G_OK);
    assert_int_equal(r, 2);
    assert_int_equal(call(&f, "div", 0, &r, &err), B8G_TRAP);
    assert_int_equal(f.seen.n, 0);
    teardown(&f);
}

static void debug_instances_cannot_be_captured(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, true);
    b8g_image *img = NULL;
    b8g_error err;
    assert_int_equal(b8g_snapshot(f.inst, NULL, &img, &err), B8G_ARG);
    assert_null(img);
    assert_non_null(strstr(err.msg, "debugging"));
    teardown(&f);
}

static void function_queries(void **state)
{
    (void)state;
    Fixture f;
    setup(&f, false);
    assert_int_equal(b8g_module_func_count(f.m), 3);
    assert_string_equal(b8g_module_func_name(f.m, 1), "outer");
    assert_null(b8g_module_func_name(f.m, 3));
    uint64_t o0 = b8g_module_func_offset(f.m, 0), o2 = b8g_module_func_offset(f.m, 2);
    assert_true(o0 != B8G_NO_OFFSET && o2 > o0);
    assert_int_equal(b8g_module_func_offset(f.m, 3), B8G_NO_OFFSET);
    assert_int_equal(b8g_module_func_at(f.m, o0), 0);
    assert_int_equal(b8g_module_func_at(f.m, o0 + 7), 0);
    assert_int_equal(b8g_module_func_at(f.m, o2 + 5), 2);
    assert_int_equal(b8g_module_func_at(f.m, 0), B8G_NO_FUNC);
    assert_int_equal(b8g_module_func_at(f.m, o2 + 6), B8G_NO_FUNC);
    assert_int_equal(b8g_module_func_at(NULL, o0), B8G_NO_FUNC);
    /* no DWARF: no lines */
    const char *path = "x";
    uint64_t offs[4];
    assert_int_equal(b8g_module_line_offsets(f.m, "a.c", 1, offs, 4, &path), 0);
    assert_null(path);
    assert_int_equal(b8g_module_line_offsets(f.m, NULL, 1, offs, 4, NULL), 0);
    assert_int_equal(b8g_module_line_offsets(NULL, "a.c", 1, offs, 4, NULL), 0);
    /* globals: none here, and NULLs refused */
    b8g_val v;
    assert_int_equal(b8g_instance_global_count(f.inst), 0);
    assert_false(b8g_instance_global(f.inst, 0, &v, NULL));
    assert_false(b8g_instance_global(NULL, 0, &v, NULL));
    assert_int_equal(b8g_debug_depth(NULL), 0);
    assert_int_equal(b8g_debug_trap(NULL), B8G_TRAP_NONE);
    b8g_store_set_debugger(NULL, record, NULL);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_instruction_stops_in_order),
        cmocka_unit_test(frames_name_their_calls),
        cmocka_unit_test(a_debugger_can_end_the_call),
        cmocka_unit_test(a_trap_stops_before_the_frames_go),
        cmocka_unit_test(no_stops_in_plain_code_or_without_a_debugger),
        cmocka_unit_test(debug_instances_cannot_be_captured),
        cmocka_unit_test(function_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
