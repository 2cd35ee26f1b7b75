/*
 * num.h - numeric semantics the C operators do not give directly.
 *
 * Floats travel in slots as their bit patterns; f32_of/slot_of_f32 move
 * them in and out without touching NaN payloads.  abs/neg/copysign are
 * pure bit operations for the same reason (the spec says they never
 * change a NaN's payload, which float arithmetic might).  Everything
 * else is written once per family and instantiated per type below.
 */
#ifndef B8G_EXEC_NUM_H
#define B8G_EXEC_NUM_H

#include <math.h>
#include <string.h>

#include "b8g.h"
#include "util/common.h"

static inline float f32_of(uint64_t s)
{
    uint32_t b = (uint32_t)s;
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static inline double f64_of(uint64_t s)
{
    double d;
    memcpy(&d, &s, sizeof d);
    return d;
}

static inline uint64_t slot_of_f32(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static inline uint64_t slot_of_f64(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

#define NUM_F32_SIGN 0x80000000u
#define NUM_F64_SIGN 0x8000000000000000ull

/*
 * min/max: a NaN operand gives a NaN (a + b propagates it quietened, an
 * arithmetic NaN as the spec allows), and -0 < +0, which plain comparison
 * does not see.
 */
#define NUM_MINMAX(NAME, T, PICK_NEG)                                          \
    static inline T NAME(T a, T b)                                             \
    {                                                                          \
        if (a != a || b != b) return a + b;                                    \
        if (a == b) return !!signbit(a) == PICK_NEG ? a : b;                   \
        return (a < b) == PICK_NEG ? a : b;                                    \
    }
NUM_MINMAX(num_f32_min, float, 1)
NUM_MINMAX(num_f32_max, float, 0)
NUM_MINMAX(num_f64_min, double, 1)
NUM_MINMAX(num_f64_max, double, 0)
#undef NUM_MINMAX

/*
 * Rounding to an integral value: libm may hand a signalling NaN back
 * unchanged, but wasm results must be quiet (arithmetic) NaNs, which x + x
 * produces.  nearest is round-half-to-even: nearbyint in the default
 * rounding mode, which the engine never changes.
 */
#define NUM_ROUND(NAME, T, FN)                                                 \
    static inline T NAME(T x) { return x != x ? x + x : FN(x); }
NUM_ROUND(num_f32_ceil, float, ceilf)
NUM_ROUND(num_f32_floor, float, floorf)
NUM_ROUND(num_f32_trunc, float, truncf)
NUM_ROUND(num_f32_nearest, float, nearbyintf)
NUM_ROUND(num_f64_ceil, double, ceil)
NUM_ROUND(num_f64_floor, double, floor)
NUM_ROUND(num_f64_trunc, double, trunc)
NUM_ROUND(num_f64_nearest, double, nearbyint)
#undef NUM_ROUND

/*
 * Trapping float -> int truncation: NaN is an invalid conversion, and the
 * value must satisfy LO < x < HI, the exclusive bounds being the nearest
 * representable floats outside the range after truncation toward zero:
 * e.g. for i32.trunc_f32_s, -2147483904 is the float below -2^31 and 2^31
 * is the first too large.  Returns 0 or the trap kind.
 */
#define NUM_TRUNC(NAME, FT, IT, LO, HI)                                        \
    static inline b8g_trap_kind NAME(FT x, IT *out)                            \
    {                                                                          \
        if (x != x) return B8G_TRAP_BAD_CONVERSION;                            \
        if (!(x > LO && x < HI)) return B8G_TRAP_INT_OVERFLOW;                 \
        *out = (IT)x;                                                          \
        return B8G_TRAP_NONE;                                                  \
    }
NUM_TRUNC(num_i32_trunc_f32_s, float, int32_t, -2147483904.0f, 2147483648.0f)
NUM_TRUNC(num_i32_trunc_f32_u, float, uint32_t, -1.0f, 4294967296.0f)
NUM_TRUNC(num_i32_trunc_f64_s, double, int32_t, -2147483649.0, 2147483648.0)
NUM_TRUNC(num_i32_trunc_f64_u, double, uint32_t, -1.0, 4294967296.0)
NUM_TRUNC(num_i64_trunc_f32_s, float, int64_t, -9223373136366403584.0f,
          9223372036854775808.0f)
NUM_TRUNC(num_i64_trunc_f32_u, float, uint64_t, -1.0f, 18446744073709551616.0f)
NUM_TRUNC(num_i64_trunc_f64_s, double, int64_t, -9223372036854777856.0,
          9223372036854775808.0)
NUM_TRUNC(num_i64_trunc_f64_u, double, uint64_t, -1.0, 18446744073709551616.0)
#undef NUM_TRUNC

/* Saturating truncation: NaN -> 0, out of range -> the nearest bound. */
#define NUM_TRUNC_SAT(NAME, FT, IT, LO, HI, MIN, MAX)                          \
    static inline IT NAME(FT x)                                                \
    {                                                                          \
        if (x != x) return 0;                                                  \
        if (!(x > LO)) return MIN;                                             \
        if (!(x < HI)) return MAX;                                             \
        return (IT)x;                                                          \
    }
NUM_TRUNC_SAT(num_i32_trunc_sat_f32_s, float, int32_t, -2147483904.0f,
              2147483648.0f, INT32_MIN, INT32_MAX)
NUM_TRUNC_SAT(num_i32_trunc_sat_f32_u, float, uint32_t, -1.0f, 4294967296.0f,
              0, UINT32_MAX)
NUM_TRUNC_SAT(num_i32_trunc_sat_f64_s, double, int32_t, -2147483649.0,
              2147483648.0, INT32_MIN, INT32_MAX)
NUM_TRUNC_SAT(num_i32_trunc_sat_f64_u, double, uint32_t, -1.0, 4294967296.0,
              0, UINT32_MAX)
NUM_TRUNC_SAT(num_i64_trunc_sat_f32_s, float, int64_t, -9223373136366403584.0f,
              9223372036854775808.0f, INT64_MIN, INT64_MAX)
NUM_TRUNC_SAT(num_i64_trunc_sat_f32_u, float, uint64_t, -1.0f,
              18446744073709551616.0f, 0, UINT64_MAX)
NUM_TRUNC_SAT(num_i64_trunc_sat_f64_s, double, int64_t, -9223372036854777856.0,
              9223372036854775808.0, INT64_MIN, INT64_MAX)
NUM_TRUNC_SAT(num_i64_trunc_sat_f64_u, double, uint64_t, -1.0,
              18446744073709551616.0, 0, UINT64_MAX)
#undef NUM_TRUNC_SAT

/* Rotations with the count taken modulo the width (no UB at 0). */
static inline uint32_t num_rotl32(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x << n) | (x >> ((32 - n) & 31));
}

static inline uint32_t num_rotr32(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x >> n) | (x << ((32 - n) & 31));
}

static inline uint64_t num_rotl64(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint64_t num_rotr64(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x >> n) | (x << ((64 - n) & 63));
}

/* The builtins are undefined at 0, where wasm defines the full width. */
static inline uint32_t num_clz32(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static inline uint32_t num_ctz32(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static inline uint64_t num_clz64(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static inline uint64_t num_ctz64(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }

/* Arithmetic right shift spelled without relying on signed >> of negatives. */
static inline uint32_t num_shr_s32(uint32_t x, uint32_t n)
{
    n &= 31;
    uint32_t fill = (x >> 31) ? ~(UINT32_MAX >> n) : 0;
    return (x >> n) | fill;
}

static inline uint64_t num_shr_s64(uint64_t x, uint64_t n)
{
    n &= 63;
    uint64_t fill = (x >> 63) ? ~(UINT64_MAX >> n) : 0;
    return (x >> n) | fill;
}

#endif
