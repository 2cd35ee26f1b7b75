/*
 * value.c - parsing guest arguments in the spec's text notation.
 *
 * Integers accept the full signed and unsigned range of their width
 * ("-1" and "0xffffffff" are the same i32), as the text format does.
 * Floats go through strtof/strtod, which round correctly in each width
 * (parsing an f32 via double would round twice); NaNs are built by hand so
 * their payload is exactly what the user wrote.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int digit_value(char c, unsigned base)
{
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    return v >= 0 && (unsigned)v < base ? v : -1;
}

/* Magnitude of an unsigned decimal or 0x-hex literal, at most max. */
static bool parse_magnitude(const char *s, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        int d = digit_value(*s, base);
        if (d < 0) return false;
        if (v > (max - (uint64_t)d) / base) return false;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

/* An integer of `bits` width: -2^(bits-1) .. 2^bits-1, as two's complement. */
static bool parse_int(const char *s, unsigned bits, uint64_t *out)
{
    bool neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    uint64_t limit = neg ? UINT64_C(1) << (bits - 1) : umax;
    uint64_t mag;
    if (!parse_magnitude(s, limit, &mag)) return false;
    *out = (neg ? (uint64_t)0 - mag : mag) & umax;
    return true;
}

/*
 * "inf", "nan" or "nan:0xPAYLOAD" (sign already removed) as bits of a float
 * with `mant` mantissa bits; false if s is none of them.
 */
static bool parse_special(const char *s, unsigned mant, uint64_t exp_mask,
                          bool *ok, uint64_t *bits)
{
    uint64_t quiet = UINT64_C(1) << (mant - 1);
    *ok = true;
    if (strcmp(s, "inf") == 0) {
        *bits = exp_mask;
    } else if (strcmp(s, "nan") == 0) {
        *bits = exp_mask | quiet;
    } else if (strncmp(s, "nan:0x", 6) == 0) {
        uint64_t payload;
        /* A zero payload would be infinity, not a NaN. */
        *ok = parse_magnitude(s + 4, (UINT64_C(1) << mant) - 1, &payload) &&
              payload != 0;
        *bits = exp_mask | payload;
    } else {
        return false;
    }
    return true;
}

/* strtod's syntax minus what it accepts beyond the spec's: leading space,
 * its own spellings of inf/nan. */
static bool plain_number(const char *s)
{
    if (*s == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    return digit_value(*s, 16) >= 0 || (*s == '.' && digit_value(s[1], 16) >= 0);
}

/* Decimal or hex float text, rounded once, straight to the target width. */
static bool parse_finite(const char *text, bool single, uint64_t *bits)
{
    char *end;
    errno = 0;
    if (single) {
        float f = strtof(text, &end);
        uint32_t b;
        memcpy(&b, &f, sizeof b);
        *bits = b;
        return !*end && !(errno == ERANGE && isinf(f));
    }
    double d = strtod(text, &end);
    memcpy(bits, &d, sizeof d);
    return !*end && !(errno == ERANGE && isinf(d));
}

/* An f32 (single) or f64 as its bit pattern. */
static bool parse_float(const char *text, bool single, uint64_t *bits)
{
    unsigned mant = single ? 23 : 52;
    uint64_t exp_mask = single ? UINT64_C(0x7f800000) : UINT64_C(0x7ff0000000000000);
    uint64_t sign_bit = UINT64_C(1) << (single ? 31 : 63);
    const char *s = text;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    bool ok;
    if (parse_special(s, mant, exp_mask, &ok, bits)) {
        if (neg) *bits |= sign_bit;
        return ok;
    }
    return plain_number(s) && parse_finite(text, single, bits);
}

bool cli_parse_val(const char *text, b8g_valtype t, b8g_val *out)
{
    uint64_t u;
    out->type = t;
    switch (t) {
    case B8G_I32:
        if (!parse_int(text, 32, &u)) return false;
        out->of.i32 = (int32_t)(uint32_t)u;
        return true;
    case B8G_I64:
        if (!parse_int(text, 64, &u)) return false;
        out->of.i64 = (int64_t)u;
        return true;
    case B8G_F32:
        if (!parse_float(text, true, &u)) return false;
        out->of.f32 = (uint32_t)u;
        return true;
    case B8G_F64:
        return parse_float(text, false, &out->of.f64);
    default:
        return false; /* the caller rejects other types before parsing */
    }
}
