/*
 * reentry_test.c - host functions that call back into the guest, and the
 * embedder's side of calls: nesting bounds, interrupts and fuel across
 * nested runs, argument checks that keep stores apart.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "b8g.h"

/* (module (import "host" "reenter" (func $r))
 *         (func (export "f") (call $r))) */
static const uint8_t reenter_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x10, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x07, 0x72,
    0x65, 0x65, 0x6e, 0x74, 0x65, 0x72, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, 0x0a, 0x06, 0x01, 0x04, 0x00,
    0x10, 0x00, 0x0b,
};

/* (module (import "host" "cb" (func $cb))
 *         (func (export "spin") (loop $l (br $l)))
 *         (func (export "outer") (call $cb) (loop $l (br $l)))) */
static const uint8_t nestint_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x0b, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x02, 0x63,
    0x62, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x07, 0x10, 0x02, 0x04,
    0x73, 0x70, 0x69, 0x6e, 0x00, 0x01, 0x05, 0x6f, 0x75, 0x74, 0x65, 0x72,
    0x00, 0x02, 0x0a, 0x13, 0x02, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b,
    0x0b, 0x09, 0x00, 0x10, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
};

/* (module (table 1 funcref) (memory 1)
 *   (func (export "k") (result i32) (i32.load (i32.const 0)))
 *   (func (export "put") (param funcref) (table.set 0 (i32.const 0) (local.get 0)))
 *   (func (export "callit") (result i32) (call_indirect (result i32) (i32.const 0)))) */
static const uint8_t xstore_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x70, 0x00, 0x03, 0x04, 0x03, 0x00, 0x01,
    0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, 0x14, 0x03, 0x01, 0x6b, 0x00, 0x00, 0x03, 0x70, 0x75, 0x74, 0x00,
    0x01, 0x06, 0x63, 0x61, 0x6c, 0x6c, 0x69, 0x74, 0x00, 0x02, 0x0a, 0x1a,
    0x03, 0x07, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x08, 0x00, 0x41,
    0x00, 0x20, 0x00, 0x26, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x00, 0x11, 0x00,
    0x00, 0x0b,
};

typedef struct World {
    b8g_module *mod;
    b8g_store *store;
    b8g_instance *host;
    b8g_instance *inst;
} World;

static unsigned depth, max_depth;

static void world(World *w, const uint8_t *bytes, size_t len, const char *fname,
                  b8g_host_fn fn, const b8g_config *cfg)
{
    b8g_error err;
    assert_int_equal(b8g_module_load(bytes, len, &w->mod, &err), B8G_OK);
    w->store = b8g_store_new(cfg);
    assert_non_null(w->store);
    w->inst = NULL;
    w->host = NULL;
    if (fname) {
        w->host = b8g_host_instance_new(w->store);
        assert_int_equal(b8g_host_func(w->host, fname, ":", fn, w), B8G_OK);
        assert_int_equal(b8g_register(w->store, "host", w->host), B8G_OK);
    }
    assert_int_equal(b8g_instantiate(w->store, w->mod, &w->inst, &err), B8G_OK);
}

static void world_free(World *w)
{
    b8g_store_free(w->store);
    b8g_module_free(w->mod);
}

/* Calls straight back into the guest, which calls us again: unbounded
 * ping-pong through the host's C stack. */
static b8g_status reenter(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)slots;
    World *w = call->user;
    if (++depth > max_depth) max_depth = depth;
    b8g_status st = b8g_call(w->inst, "f", NULL, 0, NULL, 0, err);
    depth--;
    return st;
}

static void test_reentry_is_bounded(void **state)
{
    (void)state;
    World w;
    world(&w, reenter_wasm, sizeof reenter_wasm, "reenter", reenter, NULL);
    b8g_error err;
    depth = max_depth = 0;
    assert_int_equal(b8g_call(w.inst, "f", NULL, 0, NULL, 0, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_STACK_EXHAUSTED);
    assert_true(max_depth > 8 && max_depth < 1000);
    /* the store is still usable afterwards */
    assert_int_equal(b8g_call(w.inst, "f", NULL, 0, NULL, 0, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_STACK_EXHAUSTED);
    world_free(&w);
}

/* A callback whose nested call is interrupted but which carries on as if
 * nothing happened: the interrupt must still stop the outer call. */
static b8g_status shrug(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)slots;
    (void)err;
    World *w = call->user;
    b8g_error inner;
    b8g_status st = b8g_call(w->inst, "spin", NULL, 0, NULL, 0, &inner);
    assert_int_equal(st, B8G_TRAP);
    assert_int_equal(inner.trap, B8G_TRAP_INTERRUPTED);
    return B8G_OK;
}

static void *interrupt_later(void *arg)
{
    usleep(50 * 1000);
    b8g_store_interrupt(arg);
    return NULL;
}

static void test_interrupt_reaches_outer_call(void **state)
{
    (void)state;
    World w;
    world(&w, nestint_wasm, sizeof nestint_wasm, "cb", shrug, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupt_later, w.store), 0);
    b8g_error err;
    b8g_status st = b8g_call(w.inst, "outer", NULL, 0, NULL, 0, &err);
    pthread_join(t, NULL);
    assert_int_equal(st, B8G_SUSPENDED);
    assert_int_equal(err.trap, B8G_TRAP_INTERRUPTED);
    assert_false(b8g_store_interrupt_pending(w.store));
    b8g_abort(w.store);
    assert_false(b8g_suspended(w.store));
    world_free(&w);
}

/* The embedder calls a host function directly; fuel runs out inside the
 * guest call it makes.  That nested run sits under the host's C frame and
 * must not suspend. */
static b8g_status spin_inside(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)slots;
    World *w = call->user;
    return b8g_call(w->inst, "spin", NULL, 0, NULL, 0, err);
}

static void test_direct_host_call_cannot_suspend(void **state)
{
    (void)state;
    World w;
    b8g_config cfg = {.fuel = 1000};
    world(&w, nestint_wasm, sizeof nestint_wasm, "cb", spin_inside, &cfg);
    b8g_func *f;
    b8g_error err;
    assert_int_equal(b8g_lookup_func(w.host, "cb", 2, &f, &err), B8G_OK);
    assert_int_equal(b8g_call_func(f, NULL, 0, NULL, 0, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_OUT_OF_FUEL);
    assert_false(b8g_suspended(w.store));
    world_free(&w);
}

static void test_results_must_have_room(void **state)
{
    (void)state;
    World w;
    world(&w, xstore_wasm, sizeof xstore_wasm, NULL, NULL, NULL);
    b8g_error err;
    assert_int_equal(b8g_call(w.inst, "k", NULL, 0, NULL, 1, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "NULL"));
    b8g_val r;
    assert_int_equal(b8g_call(w.inst, "k", NULL, 0, &r, 0, &err), B8G_ARG);
    assert_int_equal(b8g_call(w.inst, "k", NULL, 0, &r, 1, &err), B8G_OK);
    assert_int_equal(r.of.i32, 0);
    world_free(&w);
}

/* A function of store A handed to store B must be refused: it would run on
 * B's stack against A's instance (and outlive A). */
static void test_funcref_of_another_store_is_refused(void **state)
{
    (void)state;
    World a, b;
    world(&a, xstore_wasm, sizeof xstore_wasm, NULL, NULL, NULL);
    world(&b, xstore_wasm, sizeof xstore_wasm, NULL, NULL, NULL);
    b8g_error err;
    b8g_func *fa, *fb;
    assert_int_equal(b8g_lookup_func(a.inst, "k", 1, &fa, &err), B8G_OK);
    assert_int_equal(b8g_lookup_func(b.inst, "k", 1, &fb, &err), B8G_OK);
    b8g_val arg = {.type = B8G_FUNCREF, .of.ref = fa};
    assert_int_equal(b8g_call(b.inst, "put", &arg, 1, NULL, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "another store"));
    b8g_val v = {.type = B8G_FUNCREF, .of.ref = fa};
    b8g_instance *h = b8g_host_instance_new(b.store);
    assert_int_equal(b8g_host_global(h, "g", v, false), B8G_ARG);
    /* the same store's own function is fine */
    arg.of.ref = fb;
    assert_int_equal(b8g_call(b.inst, "put", &arg, 1, NULL, 0, &err), B8G_OK);
    b8g_val r;
    assert_int_equal(b8g_call(b.inst, "callit", NULL, 0, &r, 1, &err), B8G_OK);
    world_free(&a);
    world_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reentry_is_bounded),
        cmocka_unit_test(test_interrupt_reaches_outer_call),
        cmocka_unit_test(test_direct_host_call_cannot_suspend),
        cmocka_unit_test(test_results_must_have_room),
        cmocka_unit_test(test_funcref_of_another_store_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
