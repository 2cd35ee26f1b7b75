/*
 * guard_test.c - the guard-page handler shares the process with an
 * embedder's own SIGSEGV handler.
 *
 * Its own binary: the order in which handlers are installed is the point,
 * and the engine installs its handler once per process.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "b8g.h"

/* (module (memory 1)
 *   (func (export "oob") (result i32) (i32.load (i32.const 70000)))) */
static const uint8_t oob_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
    0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, 0x07, 0x01, 0x03, 0x6f, 0x6f, 0x62, 0x00, 0x00, 0x0a, 0x0b, 0x01,
    0x09, 0x00, 0x41, 0xf0, 0xa2, 0x04, 0x28, 0x02, 0x00, 0x0b,
};

static sigjmp_buf embedder_env;
static volatile sig_atomic_t embedder_expects, embedder_faults;

/* The embedder's handler: recovers from faults it provoked itself. */
static void embedder_handler(int sig)
{
    (void)sig;
    embedder_faults++;
    if (embedder_expects) siglongjmp(embedder_env, 1);
    abort();
}

static void expect_oob_trap(b8g_instance *inst)
{
    b8g_val r;
    b8g_error err;
    assert_int_equal(b8g_call(inst, "oob", NULL, 0, &r, 1, &err), B8G_TRAP);
    assert_int_equal(err.trap, B8G_TRAP_MEM_OOB);
}

static void test_foreign_fault_goes_to_earlier_handler(void **state)
{
    (void)state;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = embedder_handler;
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGSEGV, &sa, &old), 0);

    b8g_module *m;
    b8g_error err;
    assert_int_equal(b8g_module_load(oob_wasm, sizeof oob_wasm, &m, &err), B8G_OK);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *inst;
    assert_int_equal(b8g_instantiate(s, m, &inst, &err), B8G_OK);
    expect_oob_trap(inst); /* installs the engine's handler on top */
    assert_int_equal(embedder_faults, 0);

    /* A fault of the embedder's own reaches the embedder's handler... */
    volatile uint8_t *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    embedder_expects = 1;
    if (!sigsetjmp(embedder_env, 1)) p[0] = 1;
    embedder_expects = 0;
    assert_int_equal(embedder_faults, 1);
    munmap((void *)p, 4096);

    /* ...and leaves the engine's in place: guest faults still trap. */
    expect_oob_trap(inst);
    assert_int_equal(embedder_faults, 1);

    b8g_store_free(s);
    b8g_module_free(m);
    sigaction(SIGSEGV, &old, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_foreign_fault_goes_to_earlier_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
