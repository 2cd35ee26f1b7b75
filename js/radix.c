/*
 * js/radix.c - Number.prototype.toString(radix) for fractions and large
 * numbers.
 *
 * QuickJS 2021-03-27 converts to a radix other than 10 only safe integers;
 * anything else comes out in decimal ((0.5).toString(2) is "0.5", and
 * (2 ** 60).toString(16) "1152921504606846976").  The vendored engine is
 * not edited, so the driver replaces the method: radix 10, NaN, the
 * infinities and safe integers still go to QuickJS's own, and the rest is
 * formatted here the way V8 does it, so that node and b8g print the same:
 *
 *  - the fraction is produced digit by digit, and stops as soon as the
 *    digits written identify the double uniquely, i.e. when what is left
 *    is below half the distance to the next double (delta, scaled along
 *    with the fraction); the last digit is rounded to nearest (ties to
 *    even), a round-up carrying into earlier digits and, past the point,
 *    into the integer part;
 *  - the integer part is produced by repeated division; while it is 2^53
 *    or more after a division it has no exact digits left at that
 *    position, which are written as zeros.
 */
#include "driver.h"

#include <math.h>
#include <string.h>

/* Room for the longest case either side of the point: 5e-324 in base 2
 * has 1074 fraction digits, DBL_MAX in base 2 1024 integer digits. */
#define HALF 1100

static const char digit_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static int digit_value(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Writes the fraction digits of value (0 <= fraction < 1) from buf[HALF],
 * the point first; returns the end, and adds any carry to *integer. */
static int fraction_digits(char *buf, double fraction, double delta, int radix, double *integer)
{
    int end = HALF;
    if (fraction < delta)
        return end;
    buf[end++] = '.';
    do {
        fraction *= radix;
        delta *= radix;
        int digit = (int)fraction;
        buf[end++] = digit_chars[digit];
        fraction -= digit;
        if ((fraction > 0.5 || (fraction == 0.5 && (digit & 1))) && fraction + delta > 1) {
            /* Round up, carrying through digits that were radix - 1. */
            for (;;) {
                end--;
                if (end == HALF) { /* carried past the point */
                    *integer += 1;
                    break;
                }
                int d = digit_value(buf[end]);
                if (d + 1 < radix) {
                    buf[end++] = digit_chars[d + 1];
                    break;
                }
            }
            break;
        }
    } while (fraction >= delta);
    return end;
}

/* Writes the integer digits of integer (>= 0) ending before buf[HALF];
 * returns the start. */
static int integer_digits(char *buf, double integer, int radix)
{
    int start = HALF;
    while (integer / radix >= 0x1p53) {
        integer /= radix;
        buf[--start] = '0';
    }
    do {
        double rem = fmod(integer, radix);
        buf[--start] = digit_chars[(int)rem];
        integer = (integer - rem) / radix;
    } while (integer > 0);
    return start;
}

/* value finite; out has room for 2 * HALF + 2 bytes. */
static void double_to_radix(char *out, double value, int radix)
{
    char buf[2 * HALF + 1];
    bool negative = value < 0;
    if (negative)
        value = -value;
    double integer = floor(value);
    double fraction = value - integer;
    /* Half the gap to the next double, at least the smallest one. */
    double delta = fmax(0.5 * (nextafter(value, INFINITY) - value), nextafter(0.0, 1.0));
    int end = fraction_digits(buf, fraction, delta, radix, &integer);
    int start = integer_digits(buf, integer, radix);
    if (negative)
        buf[--start] = '-';
    memcpy(out, buf + start, (size_t)(end - start));
    out[end - start] = '\0';
}

static JSValue original_to_string; /* QuickJS's Number.prototype.toString */
static JSValue number_value_of;    /* Number.prototype.valueOf: thisNumberValue */

static JSValue js_number_to_string(JSContext *ctx, JSValueConst this_val, int argc,
                                   JSValueConst *argv)
{
    JSValue num = JS_Call(ctx, number_value_of, this_val, 0, NULL);
    if (JS_IsException(num))
        return num;
    double x;
    JS_ToFloat64(ctx, &x, num); /* a number: cannot fail */
    JS_FreeValue(ctx, num);
    double radix = 10;
    if (argc > 0 && !JS_IsUndefined(argv[0])) {
        if (JS_ToFloat64(ctx, &radix, argv[0]))
            return JS_EXCEPTION;
        radix = isnan(radix) ? 0 : trunc(radix);
        if (radix < 2 || radix > 36)
            return JS_ThrowRangeError(ctx, "radix must be between 2 and 36");
    }
    bool safe_integer = x == trunc(x) && fabs(x) <= 9007199254740991.0;
    if (radix == 10 || !isfinite(x) || safe_integer)
        return JS_Call(ctx, original_to_string, this_val, argc, argv);
    char out[2 * HALF + 2];
    double_to_radix(out, x, (int)radix);
    return JS_NewString(ctx, out);
}

int js_radix_install(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue number = JS_GetPropertyStr(ctx, global, "Number");
    JSValue proto = JS_GetPropertyStr(ctx, number, "prototype");
    JS_FreeValue(ctx, number);
    JS_FreeValue(ctx, global);
    if (JS_IsException(proto))
        return -1;
    original_to_string = JS_GetPropertyStr(ctx, proto, "toString");
    number_value_of = JS_GetPropertyStr(ctx, proto, "valueOf");
    JSValue fn = JS_NewCFunction(ctx, js_number_to_string, "toString", 1);
    /* As the original: writable and configurable, not enumerable. */
    int r = JS_DefinePropertyValueStr(ctx, proto, "toString", fn,
                                      JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_FreeValue(ctx, proto);
    return r;
}
