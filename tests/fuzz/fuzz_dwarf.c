/*
 * fuzz_dwarf.c - libFuzzer target: a module's DWARF, as the debugger and
 * backtraces read it.  The input is a module (seeded with -g builds of
 * tests/fuzz/dwarf_seed.c, whose DWARF is most of their bytes); it is
 * loaded for debugging, and then every offset of its code is looked up
 * (b8g_module_source), lines are looked up the other way
 * (b8g_module_line_offsets), and its export "run" runs on a little fuel
 * with a debugger that, at each of the first stops, lists the source
 * variables of every frame and formats each one.  Whatever the DWARF
 * says, the answers must be bounded and well-formed: findings abort() so
 * libFuzzer keeps the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"

#define MAX_STOPS 200
#define MAX_VARS 64
#define MAX_OFFSETS 1u << 16

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_dwarf: %s\n", what);
    abort();
}

static void check_loc(const b8g_source_loc *l)
{
    /* strings are the module's: they must at least end */
    if (l->file && strnlen(l->file, 1u << 20) == 1u << 20) fail("unterminated file name");
    if (l->function && strnlen(l->function, 1u << 20) == 1u << 20) fail("unterminated function");
}

static void sweep_sources(const b8g_module *m)
{
    uint32_t nf = b8g_module_func_count(m);
    uint64_t lo = B8G_NO_OFFSET;
    for (uint32_t f = 0; f < nf && lo == B8G_NO_OFFSET; f++) lo = b8g_module_func_offset(m, f);
    if (lo == B8G_NO_OFFSET) return;
    b8g_source_loc chain[16];
    for (uint64_t off = lo; off < lo + (MAX_OFFSETS); off++) {
        uint32_t n = b8g_module_source(m, off, chain, 16);
        for (uint32_t k = 0; k < n && k < 16; k++) check_loc(&chain[k]);
    }
    uint64_t offs[8];
    const char *path;
    for (uint32_t line = 0; line < 64; line++) {
        uint32_t n = b8g_module_line_offsets(m, "dwarf_seed.c", line, offs, 8, &path);
        if (n && !path) fail("lines without a path");
    }
}

typedef struct Session {
    uint32_t stops;
} Session;

static bool on_stop(void *arg, const b8g_debug_stop *stop)
{
    Session *s = arg;
    if (++s->stops > MAX_STOPS) return false;
    b8g_source_var vars[MAX_VARS];
    char buf[256];
    for (uint32_t i = 0; i < b8g_debug_depth(stop); i++) {
        uint32_t n = b8g_debug_variables(stop, i, vars, MAX_VARS);
        for (uint32_t k = 0; k < n && k < MAX_VARS; k++) {
            if (!memchr(vars[k].type, '\0', sizeof vars[k].type)) fail("unterminated type");
            memset(buf, 'x', sizeof buf);
            const char *text = b8g_debug_variable_format(stop, i, &vars[k], buf, sizeof buf);
            if (text != buf || !memchr(buf, '\0', sizeof buf)) fail("unterminated value");
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    b8g_module *m = NULL;
    b8g_error err;
    if (b8g_module_load_debug(data, size, &m, &err)) return 0;
    sweep_sources(m);
    b8g_config cfg = {.fuel = 5000, .max_memory_pages = 32, .max_stack_bytes = 1 << 20};
    b8g_store *st = b8g_store_new(&cfg);
    b8g_instance *inst;
    Session s = {0};
    b8g_store_set_debugger(st, on_stop, &s);
    if (!b8g_instantiate(st, m, &inst, &err)) {
        b8g_val arg = {.type = B8G_I32, .of.i32 = 3}, res;
        b8g_call(inst, "run", &arg, 1, &res, 1, &err); /* any outcome, cleanly */
    }
    b8g_store_free(st);
    b8g_module_free(m);
    return 0;
}
