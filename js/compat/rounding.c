/*
 * js/compat/rounding.c - fesetround and snprintf for QuickJS on
 * wasm32-wasi, with the two directed rounding modes done in software.
 *
 * wasi-libc's printf (musl's) prints the exact decimal expansion of a
 * double for any precision, always rounding to nearest.  A double has at
 * most 767 significant decimal digits and at most 1074 after the point, so
 * printing with more than that many loses nothing: rounding in a direction
 * is then a matter of cutting the digit string and, if anything non-zero
 * was cut and the direction points away from zero for the number's sign,
 * adding one unit in the last place kept.
 */
#include "rounding.h"

#include <fenv.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits past which a double's expansion is all zeros, per conversion. */
#define EXACT_E_DIGITS 780  /* after the point: 781 significant >= 767 */
#define EXACT_F_DIGITS 1100 /* >= 1074 */
/* The largest precision handled here; QuickJS asks for at most 101. */
#define MAX_PRECISION 400
/* Room for "%.1100f" of DBL_MAX: 309 integer digits, the point, 1100. */
#define EXACT_BUF 1500

static int rounding_mode = FE_TONEAREST;

int b8g_js_fesetround(int mode)
{
    if (mode != FE_TONEAREST && mode != B8G_JS_FE_UPWARD && mode != B8G_JS_FE_DOWNWARD)
        return 1;
    rounding_mode = mode;
    return 0;
}

/* Adds one unit in the last place to the decimal digits d[0..n); returns
 * true if it carried out of d[0] (the digits are then all '0'). */
static bool increment(char *d, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        if (d[i] != '9') {
            d[i]++;
            return false;
        }
        d[i] = '0';
    }
    return true;
}

static bool any_nonzero(const char *d, int n)
{
    for (int i = 0; i < n; i++)
        if (d[i] != '0')
            return true;
    return false;
}

/* Whether a non-zero remainder rounds the magnitude up. */
static bool away_from_zero(bool negative)
{
    return negative ? rounding_mode == B8G_JS_FE_DOWNWARD : rounding_mode == B8G_JS_FE_UPWARD;
}

/* "%.{prec}e" of |x| rounded in the current direction, into out; the sign
 * is the caller's. */
static void directed_e(char *out, size_t size, double x, int prec, bool negative)
{
    char exact[EXACT_BUF], digits[MAX_PRECISION + 2];
    snprintf(exact, sizeof exact, "%.*e", EXACT_E_DIGITS, x);
    /* exact is "D.DDD...e[+-]XX": digit 0, then EXACT_E_DIGITS digits. */
    const char *frac = exact + 2;
    int exp10 = atoi(strchr(exact, 'e') + 1);
    int n = prec + 1;
    digits[0] = exact[0];
    memcpy(digits + 1, frac, (size_t)prec);
    if (any_nonzero(frac + prec, EXACT_E_DIGITS - prec) && away_from_zero(negative)) {
        if (increment(digits, n)) {
            digits[0] = '1'; /* 9.99e5 -> 1.00e6 */
            exp10++;
        }
    }
    digits[n] = '\0';
    snprintf(out, size, "%c%s%se%c%02d", digits[0], prec > 0 ? "." : "", digits + 1,
             exp10 < 0 ? '-' : '+', abs(exp10));
}

/* "%.{prec}f" of |x| rounded in the current direction, into out. */
static void directed_f(char *out, size_t size, double x, int prec, bool negative)
{
    char exact[EXACT_BUF], digits[EXACT_BUF + 1];
    snprintf(exact, sizeof exact, "%.*f", EXACT_F_DIGITS, x);
    const char *point = strchr(exact, '.');
    int int_len = (int)(point - exact);
    /* digits = one spare leading '0' for a carry, the integer part, then
     * prec fractional digits. */
    digits[0] = '0';
    memcpy(digits + 1, exact, (size_t)int_len);
    memcpy(digits + 1 + int_len, point + 1, (size_t)prec);
    int n = 1 + int_len + prec;
    if (any_nonzero(point + 1 + prec, EXACT_F_DIGITS - prec) && away_from_zero(negative))
        increment(digits, n);
    const char *start = digits[0] == '0' ? digits + 1 : digits;
    int whole = (int)(digits + 1 + int_len - start);
    snprintf(out, size, "%.*s%s%.*s", whole, start, prec > 0 ? "." : "", prec,
             digits + 1 + int_len);
}

/* Parses "%[+].*e" or "%[+].*f", the whole format; returns the conversion
 * letter or 0. */
static char directed_conversion(const char *fmt, bool *plus)
{
    if (*fmt++ != '%')
        return 0;
    *plus = *fmt == '+';
    if (*plus)
        fmt++;
    if (fmt[0] != '.' || fmt[1] != '*' || (fmt[2] != 'e' && fmt[2] != 'f') || fmt[3] != '\0')
        return 0;
    return fmt[2];
}

int b8g_js_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    bool plus = false;
    char conv = rounding_mode == FE_TONEAREST ? 0 : directed_conversion(fmt, &plus);

    va_start(ap, fmt);
    if (!conv) {
        int n = vsnprintf(buf, size, fmt, ap);
        va_end(ap);
        return n;
    }
    va_list copy;
    va_copy(copy, ap);
    int prec = va_arg(ap, int);
    double x = va_arg(ap, double);
    va_end(ap);
    if (!isfinite(x) || prec < 0 || prec > MAX_PRECISION) {
        int n = vsnprintf(buf, size, fmt, copy);
        va_end(copy);
        return n;
    }
    va_end(copy);

    bool negative = signbit(x);
    char body[EXACT_BUF + 2];
    if (conv == 'e')
        directed_e(body, sizeof body, fabs(x), prec, negative);
    else
        directed_f(body, sizeof body, fabs(x), prec, negative);
    return snprintf(buf, size, "%s%s", negative ? "-" : plus ? "+" : "", body);
}
