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
/* b8g_module_load, but each function body is validated and translated on
 * its first call (images: a large module, little of it run per start).
 * An invalid body is found then, as a B8G_TRAP_INVALID_CODE trap; it
 * never runs. */
b8g_status api_module_load_lazy(const uint8_t *bytes, size_t len, b8g_module **out,
                                b8g_error *err);

#endif
