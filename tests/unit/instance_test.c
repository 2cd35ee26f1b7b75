/*
 * instance_test.c - host instances, linking and instantiation.
 *
 * Covers the spec's import matching (unknown import, incompatible import
 * type for each kind), that a trap during segment initialisation fails
 * instantiation yet keeps what was already written into imported objects,
 * and that freeing a store releases everything (run under ASan/LSan).
 * Fixtures are wat2wasm output; the source is above each array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"
#include "rt/store.h"

/*
 * (module (import "env" "tab" (table 10 externref)))
 */
static const uint8_t mod_badelem[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0d, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x6f, 0x00, 0x0a,
};

/*
 * (module (import "env" "g" (func)))
 */
static const uint8_t mod_badkind[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x00,
    0x00,
};

/*
 * (module (import "env" "mem" (memory 1 1)))
 */
static const uint8_t mod_badmax[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0d, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x01,
};

/*
 * (module (import "env" "mem" (memory 3)))
 */
static const uint8_t mod_badmin[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x03,
};

/*
 * (module (import "env" "g" (global (mut i32))))
 */
static const uint8_t mod_badmut[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7f, 0x01,
};

/*
 * (module (import "env" "add" (func (param i32) (result i32))))
 */
static const uint8_t mod_badsig[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03,
    0x61, 0x64, 0x64, 0x00, 0x00,
};

/*
 * (module
 *   (import "env" "add" (func $add (param i32 i32) (result i32)))
 *   (import "env" "g" (global $g i32))
 *   (import "env" "mem" (memory 1 2))
 *   (import "env" "tab" (table 10 20 funcref))
 *   (global (export "g2") i32 (global.get $g))
 *   (export "add" (func $add)))
 */
static const uint8_t mod_imports[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x2d, 0x04, 0x03, 0x65, 0x6e, 0x76,
    0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67,
    0x03, 0x7f, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02,
    0x01, 0x01, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01,
    0x70, 0x01, 0x0a, 0x14, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b,
    0x07, 0x0c, 0x02, 0x02, 0x67, 0x32, 0x03, 0x01, 0x03, 0x61, 0x64, 0x64,
    0x00, 0x00,
};

/*
 * (module
 *   (import "env" "mem" (memory 1))
 *   (func $start (i32.store8 (i32.const 200) (i32.const 33)) unreachable)
 *   (data (i32.const 10) "kept")
 *   (start $start))
 */
static const uint8_t mod_start_trap[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65,
    0x6d, 0x02, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a,
    0x0d, 0x01, 0x0b, 0x00, 0x41, 0xc8, 0x01, 0x41, 0x21, 0x3a, 0x00, 0x00,
    0x00, 0x0b, 0x0b, 0x0a, 0x01, 0x00, 0x41, 0x0a, 0x0b, 0x04, 0x6b, 0x65,
    0x70, 0x74,
};

/*
 * (module
 *   (import "env" "mem" (memory 1))
 *   (import "env" "tab" (table 10 funcref))
 *   (func $f (result i32) (i32.const 7))
 *   (elem (i32.const 1) $f)
 *   (data (i32.const 0) "hello")
 *   (data (i32.const 65535) "xy"))
 */
static const uint8_t mod_trap_data[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
    0x00, 0x01, 0x7f, 0x02, 0x18, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d,
    0x65, 0x6d, 0x02, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61,
    0x62, 0x01, 0x70, 0x00, 0x0a, 0x03, 0x02, 0x01, 0x00, 0x09, 0x07, 0x01,
    0x00, 0x41, 0x01, 0x0b, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41,
    0x07, 0x0b, 0x0b, 0x14, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x05, 0x68, 0x65,
    0x6c, 0x6c, 0x6f, 0x00, 0x41, 0xff, 0xff, 0x03, 0x0b, 0x02, 0x78, 0x79,
};

/*
 * (module
 *   (import "env" "mem" (memory 1))
 *   (import "env" "tab" (table 10 funcref))
 *   (func $f)
 *   (elem (i32.const 0) $f)
 *   (elem (i32.const 9) $f $f)
 *   (data (i32.const 100) "never"))
 */
static const uint8_t mod_trap_elem[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x18, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65,
    0x6d, 0x02, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62,
    0x01, 0x70, 0x00, 0x0a, 0x03, 0x02, 0x01, 0x00, 0x09, 0x0e, 0x02, 0x00,
    0x41, 0x00, 0x0b, 0x01, 0x00, 0x00, 0x41, 0x09, 0x0b, 0x02, 0x00, 0x00,
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, 0x0b, 0x0c, 0x01, 0x00, 0x41, 0xe4,
    0x00, 0x0b, 0x05, 0x6e, 0x65, 0x76, 0x65, 0x72,
};

/*
 * (module (import "env" "missing" (func)))
 */
static const uint8_t mod_unknown[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x07, 0x6d, 0x69,
    0x73, 0x73, 0x69, 0x6e, 0x67, 0x00, 0x00,
};

/*
 * (module
 *   (table 10000000 funcref) (table 10000000 funcref) (table 10000000 funcref)
 *   (table 10000000 funcref) (table 10000000 funcref))
 */
static const uint8_t mod_big_tables[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x1f, 0x05, 0x70,
    0x00, 0x80, 0xad, 0xe2, 0x04, 0x70, 0x00, 0x80, 0xad, 0xe2, 0x04, 0x70,
    0x00, 0x80, 0xad, 0xe2, 0x04, 0x70, 0x00, 0x80, 0xad, 0xe2, 0x04, 0x70,
    0x00, 0x80, 0xad, 0xe2, 0x04,
};


static b8g_status host_add(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)err;
    slots[0] = (uint32_t)((uint32_t)slots[0] + (uint32_t)slots[1]);
    return B8G_OK;
}

/* A store with host instance "env": add (ii:i), g = 42, mem 1..2 pages,
 * tab 10..20 funcref. */
static b8g_store *env_store(b8g_instance **env)
{
    b8g_store *s = b8g_store_new(NULL);
    assert_non_null(s);
    b8g_instance *h = b8g_host_instance_new(s);
    assert_non_null(h);
    b8g_val g = {.type = B8G_I32, .of.i32 = 42};
    assert_int_equal(b8g_host_func(h, "add", "ii:i", host_add, NULL), B8G_OK);
    assert_int_equal(b8g_host_global(h, "g", g, false), B8G_OK);
    assert_int_equal(b8g_host_memory(h, "mem", 1, 2, true), B8G_OK);
    assert_int_equal(b8g_host_table(h, "tab", B8G_FUNCREF, 10, 20, true), B8G_OK);
    assert_int_equal(b8g_register(s, "env", h), B8G_OK);
    if (env) *env = h;
    return s;
}

static b8g_module *load(const uint8_t *bytes, size_t len)
{
    b8g_module *m = NULL;
    b8g_error err;
    b8g_status st = b8g_module_load(bytes, len, &m, &err);
    if (st) fail_msg("load: %s", err.msg);
    return m;
}

/* Instantiates bytes against env and returns the status; err filled. */
static b8g_status try_inst(const uint8_t *bytes, size_t len, b8g_error *err)
{
    b8g_store *s = env_store(NULL);
    b8g_module *m = load(bytes, len);
    b8g_instance *inst = (b8g_instance *)1;
    b8g_status st = b8g_instantiate(s, m, &inst, err);
    if (st) assert_null(inst);
    b8g_module_free(m);
    b8g_store_free(s);
    return st;
}

static void test_host_errors(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *h = b8g_host_instance_new(s);
    b8g_val v128 = {.type = B8G_V128};
    assert_int_equal(b8g_host_func(h, "f", "ii", host_add, NULL), B8G_ARG);
    assert_int_equal(b8g_host_func(h, "f", "x:", host_add, NULL), B8G_ARG);
    assert_int_equal(b8g_host_func(h, "f", "i::", host_add, NULL), B8G_ARG);
    assert_int_equal(b8g_host_func(h, "f", "rIeF:fi", host_add, NULL), B8G_OK);
    assert_int_equal(b8g_host_func(h, "f", ":", host_add, NULL), B8G_ARG); /* duplicate */
    assert_int_equal(b8g_host_global(h, "v", v128, false), B8G_ARG);
    assert_int_equal(b8g_host_memory(h, "m", 2, 1, true), B8G_ARG);
    assert_int_equal(b8g_host_memory(h, "m", 65537, 0, false), B8G_ARG);
    assert_int_equal(b8g_host_table(h, "t", B8G_I32, 1, 1, true), B8G_ARG);
    assert_int_equal(b8g_host_table(h, "t", B8G_EXTERNREF, 0, 0, false), B8G_OK);
    assert_int_equal(b8g_register(s, "h", NULL), B8G_ARG);
    /* Another store's instance must not be linkable here. */
    b8g_store *s2 = b8g_store_new(NULL);
    assert_int_equal(b8g_register(s2, "h", h), B8G_ARG);
    b8g_store_free(s2);
    b8g_store_free(s);
}

static void test_link_ok(void **state)
{
    (void)state;
    b8g_instance *env;
    b8g_store *s = env_store(&env);
    b8g_module *m = load(mod_imports, sizeof mod_imports);
    b8g_instance *inst = NULL;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    assert_non_null(inst);
    b8g_val g;
    assert_int_equal(b8g_export_global(inst, "g2", &g), B8G_OK);
    assert_int_equal(g.type, B8G_I32);
    assert_int_equal(g.of.i32, 42);
    /* The re-exported host function is the host's own object. */
    ExternKind k1, k2;
    void *o1, *o2;
    assert_true(inst_find_export(inst, "add", 3, &k1, &o1));
    assert_true(inst_find_export(env, "add", 3, &k2, &o2));
    assert_int_equal(k1, EXT_FUNC);
    assert_ptr_equal(o1, o2);
    /* The memory is shared, not copied. */
    uint64_t size = 0;
    assert_ptr_equal(b8g_instance_memory(inst, &size), b8g_instance_memory(env, NULL));
    assert_int_equal(size, 65536);
    /* Registering under the same name replaces the earlier instance. */
    assert_int_equal(b8g_register(s, "env", inst), B8G_OK);
    assert_ptr_equal(store_lookup(s, "env", 3), inst);
    b8g_module_free(m);
    b8g_store_free(s);
}

static void expect_link(const uint8_t *bytes, size_t len, const char *msg)
{
    b8g_error err;
    assert_int_equal(try_inst(bytes, len, &err), B8G_LINK);
    assert_int_equal(err.code, B8G_LINK);
    if (strncmp(err.msg, msg, strlen(msg)) != 0) fail_msg("message: %s", err.msg);
}

static void test_link_errors(void **state)
{
    (void)state;
    expect_link(mod_unknown, sizeof mod_unknown, "unknown import \"env\".\"missing\"");
    expect_link(mod_badsig, sizeof mod_badsig, "incompatible import type");
    expect_link(mod_badkind, sizeof mod_badkind, "incompatible import type");
    expect_link(mod_badmut, sizeof mod_badmut, "incompatible import type");
    expect_link(mod_badmin, sizeof mod_badmin, "incompatible import type");
    expect_link(mod_badmax, sizeof mod_badmax, "incompatible import type");
    expect_link(mod_badelem, sizeof mod_badelem, "incompatible import type");
    /* An unregistered module name is an unknown import too. */
    b8g_store *s = b8g_store_new(NULL);
    b8g_module *m = load(mod_unknown, sizeof mod_unknown);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_LINK);
    assert_null(inst);
    b8g_module_free(m);
    b8g_store_free(s);
}

/* Memory import matching looks at the current size, which grows. */
static void test_link_grown_memory(void **state)
{
    (void)state;
    b8g_instance *env;
    b8g_store *s = env_store(&env);
    ExternKind k;
    void *obj;
    assert_true(inst_find_export(env, "mem", 3, &k, &obj));
    assert_int_equal(mem_grow(obj, 1), 1);
    b8g_module *m = load(mod_badmin, sizeof mod_badmin); /* wants 3 */
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_LINK);
    assert_int_equal(mem_grow(obj, 1), -1); /* max 2 */
    b8g_module_free(m);
    b8g_store_free(s);
}

static void test_trap_in_data_keeps_writes(void **state)
{
    (void)state;
    b8g_instance *env;
    b8g_store *s = env_store(&env);
    b8g_module *m = load(mod_trap_data, sizeof mod_trap_data);
    b8g_instance *inst = (b8g_instance *)1;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_TRAP);
    assert_null(inst);
    assert_int_equal(err.trap, B8G_TRAP_MEM_OOB);
    assert_string_equal(err.msg, "out of bounds memory access");
    /* The element segment and the first data segment were applied. */
    uint8_t *mem = b8g_instance_memory(env, NULL);
    assert_memory_equal(mem, "hello", 5);
    assert_int_equal(mem[65535], 0);
    ExternKind k;
    void *obj;
    assert_true(inst_find_export(env, "tab", 3, &k, &obj));
    Table *t = obj;
    assert_int_equal(t->elems[0], 0);
    assert_true(t->elems[1] != 0);
    b8g_module_free(m); /* the store keeps the module alive for t->elems[1] */
    FuncInst *f = (FuncInst *)(uintptr_t)t->elems[1];
    assert_int_equal(f->type->nresults, 1);
    b8g_store_free(s);
}

static void test_trap_in_elem_skips_data(void **state)
{
    (void)state;
    b8g_instance *env;
    b8g_store *s = env_store(&env);
    b8g_module *m = load(mod_trap_elem, sizeof mod_trap_elem);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_TABLE_OOB);
    assert_string_equal(err.msg, "out of bounds table access");
    ExternKind k;
    void *obj;
    assert_true(inst_find_export(env, "tab", 3, &k, &obj));
    Table *t = obj;
    assert_true(t->elems[0] != 0); /* first segment written */
    assert_int_equal(t->elems[9], 0); /* the failing one wrote nothing */
    assert_int_equal(b8g_instance_memory(env, NULL)[100], 0);
    b8g_module_free(m);
    b8g_store_free(s);
}

static void test_trap_in_start(void **state)
{
    (void)state;
    b8g_instance *env;
    b8g_store *s = env_store(&env);
    b8g_module *m = load(mod_start_trap, sizeof mod_start_trap);
    b8g_instance *inst = (b8g_instance *)1;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_TRAP);
    assert_null(inst);
    assert_int_equal(err.trap, B8G_TRAP_UNREACHABLE);
    uint8_t *mem = b8g_instance_memory(env, NULL);
    assert_memory_equal(mem + 10, "kept", 4);
    assert_int_equal(mem[200], 33);
    b8g_module_free(m);
    b8g_store_free(s);
}

/* One module may define many tables; their sum is bounded per store, and
 * a failed instantiation gives its slots back. */
static void test_table_budget(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_module *m = load(mod_big_tables, sizeof mod_big_tables);
    b8g_instance *inst;
    b8g_error err;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_LIMIT);
    assert_non_null(strstr(err.msg, "table too large"));
    assert_int_equal(s->table_slots, STORE_TABLE_SLOTS);
    b8g_instance *h = b8g_host_instance_new(s);
    assert_int_equal(b8g_host_table(h, "t", B8G_FUNCREF, LIM_TABLE_ELEMS, 0, false), B8G_OK);
    assert_int_equal(s->table_slots, STORE_TABLE_SLOTS - LIM_TABLE_ELEMS);
    b8g_module_free(m);
    b8g_store_free(s);
}

/* A memory cap bounds tables too, unless a table budget is given. */
static void test_table_budget_follows_config(void **state)
{
    (void)state;
    b8g_config capped = {.max_memory_pages = 16}; /* 1 MiB */
    b8g_store *s = b8g_store_new(&capped);
    assert_int_equal(s->table_slots, 16 * 65536 / 8);
    b8g_instance *h = b8g_host_instance_new(s);
    assert_int_equal(b8g_host_table(h, "t", B8G_EXTERNREF, 200000, 0, false), B8G_LIMIT);
    assert_int_equal(b8g_host_table(h, "u", B8G_EXTERNREF, 100000, 0, false), B8G_OK);
    b8g_store_free(s);
    b8g_config explicit_ = {.max_memory_pages = 16, .max_table_elements = 5};
    s = b8g_store_new(&explicit_);
    assert_int_equal(s->table_slots, 5);
    b8g_store_free(s);
}

/* Many structurally equal types share one canonical id; distinct ones
 * don't. */
static void test_canon_types(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    ValType a[3] = {VT_I32, VT_I32, VT_I64};
    ValType b[3] = {VT_I32, VT_I32, VT_I64};
    FuncType ta = {2, 1, a}, tb = {2, 1, b}, tc = {1, 2, a}, td = {3, 0, a};
    uint32_t ia = store_canon_type(s, &ta);
    assert_int_equal(store_canon_type(s, &tb), ia);
    assert_int_not_equal(store_canon_type(s, &tc), ia);
    assert_int_not_equal(store_canon_type(s, &td), ia);
    assert_int_not_equal(store_canon_type(s, &td), store_canon_type(s, &tc));
    /* Enough distinct types to force several rehashes. */
    ValType many[12];
    for (uint32_t n = 0; n < 4096; n++) {
        for (int i = 0; i < 12; i++) many[i] = (n >> i & 1) ? VT_I64 : VT_F32;
        FuncType t = {12, 0, many};
        uint32_t id = store_canon_type(s, &t);
        assert_int_equal(store_canon_type(s, &t), id);
        assert_true(store_canon(s, id) != NULL);
    }
    assert_int_equal(store_canon_type(s, &ta), ia);
    b8g_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_errors),
        cmocka_unit_test(test_link_ok),
        cmocka_unit_test(test_link_errors),
        cmocka_unit_test(test_link_grown_memory),
        cmocka_unit_test(test_trap_in_data_keeps_writes),
        cmocka_unit_test(test_trap_in_elem_skips_data),
        cmocka_unit_test(test_trap_in_start),
        cmocka_unit_test(test_table_budget),
        cmocka_unit_test(test_table_budget_follows_config),
        cmocka_unit_test(test_canon_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
