/*
 * value.c - values as text, in the notation of the spec's .wast scripts.
 *
 * Floats print as the shortest decimal that reads back to the same bits, so
 * the text is both exact and short; NaNs show their payload unless it is
 * the canonical one, because the spec distinguishes the two.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

const char *b8g_valtype_name(b8g_valtype t)
{
    switch (t) {
    case B8G_I32: return "i32";
    case B8G_I64: return "i64";
    case B8G_F32: return "f32";
    case B8G_F64: return "f64";
    case B8G_V128: return "v128";
    case B8G_FUNCREF: return "funcref";
    case B8G_EXTERNREF: return "externref";
    }
    return "unknown type";
}

/* inf, nan, or nan:0x<payload>, with a sign when the sign bit is set. */
static void api_fmt_special(char *buf, size_t n, bool neg, uint64_t frac,
                            uint64_t quiet)
{
    const char *sign = neg ? "-" : "";
    if (frac == 0)
        snprintf(buf, n, "%sinf", sign);
    else if (frac == quiet)
        snprintf(buf, n, "%snan", sign);
    else
        snprintf(buf, n, "%snan:0x%" PRIx64, sign, frac);
}

static void api_fmt_f32(uint32_t bits, char *buf, size_t n)
{
    uint32_t frac = bits & 0x7fffffu;
    if ((bits >> 23 & 0xff) == 0xff) {
        api_fmt_special(buf, n, bits >> 31, frac, 0x400000u);
        return;
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    char tmp[48];
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, (double)f);
        float back = strtof(tmp, NULL);
        if (memcmp(&back, &f, sizeof f) == 0) break;
    }
    snprintf(buf, n, "%s", tmp);
}

static void api_fmt_f64(uint64_t bits, char *buf, size_t n)
{
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    if ((bits >> 52 & 0x7ff) == 0x7ff) {
        api_fmt_special(buf, n, bits >> 63, frac, UINT64_C(1) << 51);
        return;
    }
    double d;
    memcpy(&d, &bits, sizeof d);
    char tmp[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        double back = strtod(tmp, NULL);
        if (memcmp(&back, &d, sizeof d) == 0) break;
    }
    snprintf(buf, n, "%s", tmp);
}

const char *b8g_val_format(const b8g_val *v, char *buf, size_t n)
{
    if (!buf || n == 0) return buf;
    if (!v) {
        snprintf(buf, n, "?");
        return buf;
    }
    switch (v->type) {
    case B8G_I32: snprintf(buf, n, "%" PRId32, v->of.i32); break;
    case B8G_I64: snprintf(buf, n, "%" PRId64, v->of.i64); break;
    case B8G_F32: api_fmt_f32(v->of.f32, buf, n); break;
    case B8G_F64: api_fmt_f64(v->of.f64, buf, n); break;
    case B8G_FUNCREF:
        snprintf(buf, n, "%s", v->of.ref ? "ref.func" : "null");
        break;
    case B8G_EXTERNREF:
        if (v->of.ref)
            snprintf(buf, n, "ref.extern 0x%" PRIxPTR, (uintptr_t)v->of.ref);
        else
            snprintf(buf, n, "null");
        break;
    default: snprintf(buf, n, "%s", b8g_valtype_name(v->type)); break;
    }
    return buf;
}
