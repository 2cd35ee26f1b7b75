/*
 * api.h - what the public API layer shares with the runtime.
 *
 * A b8g_module is the decoded, validated and translated Module behind a
 * reference count: the embedder holds one reference (dropped by
 * b8g_module_free) and every store that instantiated it holds another, so
 * the translated code that instances run stays alive as long as any of
 * them, whatever order the embedder frees things in.
 */
#ifndef B8G_API_API_H
#define B8G_API_API_H

#include "b8g.h"
#include "wasm/module.h"

struct b8g_module {
    Module *mod;
    uint32_t refs; /* atomic: stores on different threads may share it */
};

/* Takes one more reference (released by b8g_module_free). */
void api_module_ref(b8g_module *m);

#endif
