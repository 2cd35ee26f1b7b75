/*
 * guest.h - loading a unit test's guest module, built from
 * tests/abi/NAME.wat into $BUILD/tests/abi/NAME.wasm by `make unit`.
 */
#ifndef B8G_TESTS_GUEST_H
#define B8G_TESTS_GUEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "b8g.h"

/* The loaded module, or NULL (having said why on stderr). */
static inline b8g_module *load_built_guest(const char *name)
{
    const char *build = getenv("BUILD");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/abi/%s.wasm", build ? build : "build", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    b8g_module *m = NULL;
    b8g_error err;
    if (b8g_module_load(buf, n, &m, &err)) fprintf(stderr, "%s: %s\n", path, err.msg);
    return m;
}

#endif
