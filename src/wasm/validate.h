/*
 * validate.h - the spec's validation rules.
 *
 * val_module checks a decoded module exactly as the WebAssembly 2.0 spec's
 * typing rules say (B8G_INVALID with the spec's wording, the byte offset and
 * the function index), and also reports the malformed-encoding errors found
 * while walking function bodies.  A module that passes is safe to translate
 * and run: the interpreter trusts what was proved here.
 */
#ifndef B8G_WASM_VALIDATE_H
#define B8G_WASM_VALIDATE_H

#include "wasm/module.h"

b8g_status val_module(Module *m, b8g_error *err);
/* The same in two parts, for lazy modules: everything but the function
 * bodies (which val_module_decls must have seen first), and one body. */
b8g_status val_module_decls(Module *m, b8g_error *err);
b8g_status val_function(Module *m, uint32_t fidx, b8g_error *err);

#endif
