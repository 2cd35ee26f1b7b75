/*
 * js/compat/quickjs_wasi.h - force-included (-include) before every
 * vendored QuickJS source built for wasm32-wasi; the sources themselves
 * are never edited.
 *
 * Two gaps are filled here:
 *
 *  - malloc_usable_size: wasi-libc has it, but QuickJS includes <malloc.h>
 *    only under __linux__.
 *
 *  - Directed rounding.  Number.prototype.toFixed, toPrecision and
 *    toExponential must round ties away from zero, and printf rounds them
 *    to even; QuickJS tells a true tie from a near one by printing the
 *    number again under fesetround(FE_DOWNWARD) and (FE_UPWARD) and
 *    comparing, and then prints the tie under the mode that rounds away
 *    from zero.  WebAssembly has one rounding mode, so wasi-libc defines
 *    only FE_TONEAREST and its fesetround refuses the others; the calls
 *    would fail silently and every tie would round to even ((2.5).toFixed(0)
 *    would be "2").  So fesetround and snprintf are redirected to
 *    rounding.c, which records the mode and, while it is a directed one,
 *    formats "%e" and "%f" conversions by rounding the exact decimal
 *    expansion of the double in that direction.
 */
#ifndef B8G_JS_COMPAT_QUICKJS_WASI_H
#define B8G_JS_COMPAT_QUICKJS_WASI_H

#include <fenv.h>
#include <malloc.h>
#include <stddef.h>
#include <stdio.h>

#include "rounding.h"

#ifndef FE_UPWARD
#define FE_UPWARD B8G_JS_FE_UPWARD
#endif
#ifndef FE_DOWNWARD
#define FE_DOWNWARD B8G_JS_FE_DOWNWARD
#endif

#define fesetround b8g_js_fesetround
#define snprintf b8g_js_snprintf

#endif
