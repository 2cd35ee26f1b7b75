/*
 * js/compat/rounding.h - software directed rounding for QuickJS's number
 * formatting on wasm32-wasi (see quickjs_wasi.h for why).
 *
 * b8g_js_fesetround records the mode; it accepts FE_TONEAREST and the two
 * modes defined here, and returns non-zero for anything else, as
 * fesetround does.  While the mode is FE_TONEAREST, b8g_js_snprintf is
 * vsnprintf.  Otherwise a format that is exactly one "%e" or "%f"
 * conversion of a finite double, with an optional '+' flag and a "*"
 * precision (the only ones QuickJS formats under a directed mode), is
 * rounded in that direction from the number's exact decimal expansion;
 * any other format is passed to vsnprintf unchanged.
 */
#ifndef B8G_JS_COMPAT_ROUNDING_H
#define B8G_JS_COMPAT_ROUNDING_H

#include <stddef.h>

/* Distinct from wasi-libc's FE_TONEAREST (0). */
#define B8G_JS_FE_UPWARD 0x100
#define B8G_JS_FE_DOWNWARD 0x200

int b8g_js_fesetround(int mode);
int b8g_js_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
