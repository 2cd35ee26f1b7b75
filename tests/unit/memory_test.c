/*
 * memory_test.c - linear memories, the guard-page handler, and tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "maps.h"

#include "rt/guard.h"
#include "rt/memory.h"
#include "rt/table.h"
#include "wasm/limits.h"

static void test_mem_init_grow(void **state)
{
    (void)state;
    Memory m;
    b8g_error err;
    assert_int_equal(mem_init(&m, 1, 3, true, 0, &err), B8G_OK);
    assert_non_null(m.base);
    assert_int_equal(m.pages, 1);
    assert_int_equal(m.size, WASM_PAGE);
    assert_int_equal(m.max_pages, 3);
    assert_int_equal(m.base[0], 0);
    m.base[0] = 1;
    m.base[WASM_PAGE - 1] = 2;
    uint8_t *base = m.base;
    assert_int_equal(mem_grow(&m, 1), 1);
    assert_ptr_equal(m.base, base); /* never moves */
    assert_int_equal(m.base[WASM_PAGE], 0); /* new pages are zero */
    m.base[2 * WASM_PAGE - 1] = 3;
    assert_int_equal(mem_grow(&m, 2), -1); /* 4 > max 3: nothing changes */
    assert_int_equal(m.pages, 2);
    assert_int_equal(mem_grow(&m, 0), 2);
    assert_int_equal(mem_grow(&m, 1), 2);
    assert_int_equal(mem_grow(&m, 0), 3);
    assert_int_equal(mem_grow(&m, 1), -1);
    assert_int_equal(mem_grow(&m, UINT32_MAX), -1); /* no overflow */
    assert_int_equal(m.size, 3 * (uint64_t)WASM_PAGE);
    assert_int_equal(m.base[0], 1);
    assert_int_equal(m.base[WASM_PAGE - 1], 2);
    assert_int_equal(m.base[2 * WASM_PAGE - 1], 3);
    assert_true(mem_in_bounds(&m, 3 * (uint64_t)WASM_PAGE - 8, 8));
    assert_false(mem_in_bounds(&m, 3 * (uint64_t)WASM_PAGE - 7, 8));
    assert_false(mem_in_bounds(&m, UINT64_MAX, 2));
    mem_release(&m);
    assert_null(m.base);
}

static void test_mem_limits(void **state)
{
    (void)state;
    Memory m;
    b8g_error err;
    /* The store cap bounds both the initial size and growth. */
    assert_int_equal(mem_init(&m, 2, 0, false, 1, &err), B8G_LIMIT);
    assert_null(m.base);
    assert_int_equal(mem_init(&m, 0, 0, false, 4, &err), B8G_OK);
    assert_int_equal(m.max_pages, 4);
    assert_int_equal(m.size, 0);
    assert_int_equal(mem_grow(&m, 5), -1);
    assert_int_equal(mem_grow(&m, 4), 0);
    assert_int_equal(m.pages, 4);
    mem_release(&m);
    /* No max and no cap: the spec's 65536 pages. */
    assert_int_equal(mem_init(&m, 0, 0, false, 0, &err), B8G_OK);
    assert_int_equal(m.max_pages, WASM_MAX_PAGES);
    assert_false(m.has_max);
    assert_int_equal(mem_grow(&m, WASM_MAX_PAGES + 1), -1);
    mem_release(&m);
    /* A declared max is kept for import matching, whatever the cap. */
    assert_int_equal(mem_init(&m, 1, 100, true, 10, &err), B8G_OK);
    assert_int_equal(m.max_pages, 10);
    assert_int_equal(m.decl_max, 100);
    assert_true(m.has_max);
    mem_release(&m);
}

/* Reads base[off] inside a guard scope; true if the read trapped. */
static bool guarded_read_traps(const Memory *m, uint64_t off)
{
    GuardScope g;
    memset(&g, 0, sizeof g);
    g.lo = m->base;
    g.hi = m->base + m->reserved;
    volatile bool trapped = false;
    if (sigsetjmp(g.jb, 0) == 0) {
        guard_current = &g;
        volatile uint8_t v = ((volatile const uint8_t *)m->base)[off];
        (void)v;
    } else {
        trapped = true;
    }
    guard_current = NULL;
    return trapped;
}

/*
 * Released reservations are parked and reused (rt/reserve.c): whatever
 * size the last user had and whatever it wrote, the next memory sees only
 * zeros, exactly its own pages accessible, and zeros again when it grows.
 */
static void test_mem_reuse(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {3, 1, 2, 0, 2, 2, 1, 3};
    char prot[5];
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Memory m;
        b8g_error err;
        assert_int_equal(mem_init(&m, sizes[k], 4, true, 0, &err), B8G_OK);
        for (uint64_t i = 0; i < m.size; i++)
            if (m.base[i] != 0) fail_msg("size %u: byte %llu is %u, not 0", sizes[k],
                                         (unsigned long long)i, m.base[i]);
        if (m.size) {
            prot_at(m.base, prot);
            assert_string_equal(prot, "rw-p");
        }
        prot_at(m.base + m.size, prot);
        assert_string_equal(prot, "---p");
        prot_at(m.base + m.reserved - 1, prot);
        assert_string_equal(prot, "---p");
        assert_int_equal(mem_grow(&m, 1), (int64_t)sizes[k]);
        for (uint64_t i = 0; i < m.size; i++)
            if (m.base[i] != 0) fail_msg("grown from %u: byte %llu is not 0", sizes[k],
                                         (unsigned long long)i);
        memset(m.base, 0xAA, m.size);
        mem_release(&m);
        assert_null(m.base);
    }
}

static void test_guard(void **state)
{
    (void)state;
    guard_install();
    guard_install(); /* idempotent */
    Memory m;
    assert_int_equal(mem_init(&m, 1, 0, false, 0, NULL), B8G_OK);
    assert_false(guarded_read_traps(&m, 0));
    assert_false(guarded_read_traps(&m, WASM_PAGE - 1));
    assert_true(guarded_read_traps(&m, WASM_PAGE));
    /* Twice more: the signal must not stay blocked after the jump. */
    assert_true(guarded_read_traps(&m, WASM_PAGE + 100));
#if !defined(B8G_BOUNDS_CHECK) || !B8G_BOUNDS_CHECK
    /* The farthest a u32 index + u32 offset + 8 bytes can reach. */
    assert_true(guarded_read_traps(&m, ((uint64_t)1 << 33) + 7));
#endif
    assert_int_equal(mem_grow(&m, 1), 1);
    assert_false(guarded_read_traps(&m, WASM_PAGE));
    assert_true(guarded_read_traps(&m, 2 * WASM_PAGE));
    mem_release(&m);
}

static void test_table(void **state)
{
    (void)state;
    Table t;
    b8g_error err;
    assert_int_equal(table_init(&t, VT_FUNCREF, 2, 5, true, &err), B8G_OK);
    assert_int_equal(t.size, 2);
    assert_int_equal(t.elems[0], 0);
    assert_int_equal(t.elems[1], 0);
    t.elems[1] = 9;
    assert_int_equal(table_grow(&t, 3, 7), 2);
    assert_int_equal(t.size, 5);
    assert_int_equal(t.elems[1], 9);
    for (int i = 2; i < 5; i++) assert_int_equal(t.elems[i], 7);
    assert_int_equal(table_grow(&t, 1, 0), -1);
    assert_int_equal(table_grow(&t, 0, 0), 5);
    assert_int_equal(t.size, 5);
    table_release(&t);

    /* Without a max the engine's cap applies. */
    assert_int_equal(table_init(&t, VT_EXTERNREF, 0, 0, false, &err), B8G_OK);
    assert_int_equal(t.max, LIM_TABLE_ELEMS);
    assert_int_equal(table_grow(&t, UINT32_MAX, 0), -1);
    assert_int_equal(table_grow(&t, LIM_TABLE_ELEMS + 1, 0), -1);
    for (uint32_t i = 0; i < 1000; i++) assert_int_equal(table_grow(&t, 1, i), i);
    for (uint32_t i = 0; i < 1000; i++) assert_int_equal(t.elems[i], i);
    table_release(&t);

    /* A shared budget bounds growth across tables. */
    uint64_t budget = 10;
    Table a, b;
    assert_int_equal(table_init(&a, VT_FUNCREF, 0, 0, false, &err), B8G_OK);
    assert_int_equal(table_init(&b, VT_FUNCREF, 0, 0, false, &err), B8G_OK);
    a.budget = b.budget = &budget;
    assert_int_equal(table_grow(&a, 6, 0), 0);
    assert_int_equal(table_grow(&b, 5, 0), -1);
    assert_int_equal(table_grow(&b, 4, 0), 0);
    assert_int_equal(budget, 0);
    assert_int_equal(table_grow(&a, 1, 0), -1);
    table_release(&a);
    assert_int_equal(budget, 6);
    table_release(&b);
    assert_int_equal(budget, 10);

    assert_int_equal(table_init(&t, VT_FUNCREF, LIM_TABLE_ELEMS + 1, 0, false, &err),
                     B8G_LIMIT);
    assert_int_equal(err.code, B8G_LIMIT);
    assert_non_null(strstr(err.msg, "table too large"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_init_grow),
        cmocka_unit_test(test_mem_limits),
        cmocka_unit_test(test_mem_reuse),
        cmocka_unit_test(test_guard),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
