/*
 * profile_test.c - the profiler (src/prof/profile.c, b8g_profile_*): fuel
 * units go to the right functions in the right proportions, totals count
 * a recursive function once, deep stacks stay bounded, fuel stays exact
 * while profiled, folded stacks have the documented form, and a profile
 * outlives its store.  The guest is tests/abi/profile.wat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest.h"

static b8g_module *guest;

static int setup(void **state)
{
    (void)state;
    guest = load_built_guest("profile");
    return guest ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    b8g_module_free(guest);
    return 0;
}

static b8g_status call(b8g_instance *inst, const char *name, int32_t n, b8g_error *err)
{
    b8g_val a = {.type = B8G_I32, .of.i32 = n};
    return b8g_call(inst, name, &a, 1, NULL, 0, err);
}

/* A fresh store with the guest instantiated, profiled with cfg. */
static b8g_instance *profiled(const b8g_config *scfg, const b8g_profile_config *cfg,
                              b8g_store **s, b8g_profile **p)
{
    b8g_error err;
    *s = b8g_store_new(scfg);
    assert_non_null(*s);
    assert_int_equal(b8g_profile_start(*s, cfg, p, &err), B8G_OK);
    b8g_instance *inst;
    assert_int_equal(b8g_instantiate(*s, guest, &inst, &err), B8G_OK);
    return inst;
}

static const b8g_profile_func *find(const b8g_profile_func *f, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (f[i].name && strcmp(f[i].name, name) == 0) return &f[i];
    fail_msg("no function %s in the profile", name);
    return NULL;
}

/* |got - want| <= tolerance * want */
static void assert_near(double got, double want, double tolerance)
{
    if (got < want * (1 - tolerance) || got > want * (1 + tolerance))
        fail_msg("%.4f is not within %.0f%% of %.4f", got, tolerance * 100, want);
}

static void test_units_in_proportion(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_profile *p;
    b8g_instance *inst = profiled(NULL, NULL, &s, &p);
    b8g_error err;
    assert_int_equal(call(inst, "main", 1000000, &err), B8G_OK);
    b8g_profile_stop(p);
    b8g_profile_func f[16];
    uint32_t n = b8g_profile_functions(p, f, 16);
    assert_int_equal(n, 3);
    uint64_t total = b8g_profile_total(p, false);
    /* 4 million iterations, one unit each, and a few calls. */
    assert_near((double)total, 4e6, 0.01);
    const b8g_profile_func *heavy = find(f, n, "heavy"), *light = find(f, n, "light"),
                           *main_ = find(f, n, "main");
    assert_ptr_equal(heavy, &f[0]); /* most self cost first */
    assert_near((double)heavy->self_units / (double)total, 0.75, 0.05);
    assert_near((double)light->self_units / (double)total, 0.25, 0.05);
    assert_int_equal(heavy->self_units, heavy->total_units);
    assert_int_equal(main_->total_units, total);
    assert_true(main_->self_units < total / 100);
    b8g_store_free(s);
    b8g_profile_free(p);
}

static void test_wall_time_only(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_profile *p;
    b8g_profile_config cfg = {.period = UINT32_MAX, .sample_us = 200};
    b8g_instance *inst = profiled(NULL, &cfg, &s, &p);
    b8g_error err;
    assert_int_equal(call(inst, "main", 20000000, &err), B8G_OK);
    b8g_profile_stop(p);
    assert_int_equal(b8g_profile_total(p, false), 0);
    uint64_t ns = b8g_profile_total(p, true);
    assert_true(ns > 0);
    b8g_profile_func f[16];
    uint32_t n = b8g_profile_functions(p, f, 16);
    const b8g_profile_func *heavy = find(f, n, "heavy"), *main_ = find(f, n, "main");
    assert_int_equal(main_->total_ns, ns);
    /* Three times the iterations: most of the time, though a shared
     * machine blurs the exact share. */
    double share = (double)heavy->self_ns / (double)ns;
    assert_true(share > 0.5 && share < 0.95);
    b8g_store_free(s);
    b8g_profile_free(p);
}

static void test_recursion_counted_once(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_profile *p;
    b8g_profile_config cfg = {.period = 7};
    b8g_instance *inst = profiled(NULL, &cfg, &s, &p);
    b8g_error err;
    assert_int_equal(call(inst, "rec", 1000, &err), B8G_OK);
    b8g_profile_func f[16];
    uint32_t n = b8g_profile_functions(p, f, 16);
    uint64_t total = b8g_profile_total(p, false);
    const b8g_profile_func *rec = find(f, n, "rec");
    assert_int_equal(rec->total_units, total);
    /* Deeper than the tree keeps: the outer frames fold into [deeper]. */
    size_t len = b8g_profile_folded(p, false, NULL, 0);
    char *text = malloc(len + 1);
    assert_int_equal(b8g_profile_folded(p, false, text, len + 1), len);
    assert_non_null(strstr(text, "[deeper];rec;rec;"));
    free(text);
    b8g_profile_free(p); /* stops it while the store lives */
    assert_int_equal(call(inst, "rec", 10, &err), B8G_OK);
    b8g_store_free(s);
}

static void test_fuel_exact_while_profiled(void **state)
{
    (void)state;
    b8g_config scfg = {.fuel = 123457};
    uint64_t left[2];
    b8g_error err;
    for (int profiled_run = 0; profiled_run < 2; profiled_run++) {
        b8g_store *s = b8g_store_new(&scfg);
        b8g_profile *p = NULL;
        if (profiled_run) assert_int_equal(b8g_profile_start(s, NULL, &p, &err), B8G_OK);
        b8g_instance *inst;
        assert_int_equal(b8g_instantiate(s, guest, &inst, &err), B8G_OK);
        assert_int_equal(call(inst, "main", 10000, &err), B8G_OK);
        left[profiled_run] = b8g_store_fuel(s);
        assert_int_not_equal(call(inst, "main", 1000000, &err), B8G_OK);
        assert_int_equal(err.trap, B8G_TRAP_OUT_OF_FUEL);
        if (profiled_run) assert_int_equal(b8g_profile_total(p, false), 123457);
        b8g_store_free(s);
        b8g_profile_free(p);
    }
    assert_int_equal(left[0], left[1]);
}

static void test_folded_form(void **state)
{
    (void)state;
    b8g_store *s;
    b8g_profile *p;
    b8g_instance *inst = profiled(NULL, NULL, &s, &p);
    b8g_error err;
    assert_int_equal(call(inst, "main", 100000, &err), B8G_OK);
    assert_int_equal(call(inst, "odd;name here", 100000, &err), B8G_OK);
    /* The store goes first: the profile keeps what it needs. */
    b8g_store_free(s);
    size_t len = b8g_profile_folded(p, false, NULL, 0);
    assert_true(len > 0);
    char *text = malloc(len + 1);
    b8g_profile_folded(p, false, text, len + 1);
    assert_int_equal(strlen(text), len);
    uint64_t sum = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *sp = strrchr(line, ' ');
        assert_non_null(sp);
        /* One space, before the count; frames joined by ';'. */
        assert_ptr_equal(strchr(line, ' '), sp);
        sum += strtoull(sp + 1, NULL, 10);
    }
    assert_int_equal(sum, b8g_profile_total(p, false));
    b8g_profile_folded(p, false, text, len + 1);
    assert_non_null(strstr(text, "main;heavy "));
    assert_non_null(strstr(text, "odd_name_here;light "));
    /* Too small a buffer: cut, terminated, and the full length told. */
    char small[8];
    assert_int_equal(b8g_profile_folded(p, false, small, sizeof small), len);
    assert_int_equal(strlen(small), sizeof small - 1);
    free(text);
    b8g_profile_free(p);
}

static void test_start_rules(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_profile *p, *q;
    b8g_error err;
    assert_int_equal(b8g_profile_start(s, NULL, &p, &err), B8G_OK);
    assert_int_equal(b8g_profile_start(s, NULL, &q, &err), B8G_ARG);
    assert_null(q);
    assert_int_equal(b8g_profile_start(NULL, NULL, &q, &err), B8G_ARG);
    b8g_profile_stop(p);
    b8g_profile_stop(p); /* twice is harmless */
    assert_int_equal(b8g_profile_start(s, NULL, &q, &err), B8G_OK);
    b8g_profile_free(q);
    b8g_profile_free(p);
    b8g_profile_free(NULL);
    assert_int_equal(b8g_profile_total(NULL, false), 0);
    assert_int_equal(b8g_profile_functions(NULL, NULL, 0), 0);
    b8g_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_in_proportion),
        cmocka_unit_test(test_wall_time_only),
        cmocka_unit_test(test_recursion_counted_once),
        cmocka_unit_test(test_fuel_exact_while_profiled),
        cmocka_unit_test(test_folded_form),
        cmocka_unit_test(test_start_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
