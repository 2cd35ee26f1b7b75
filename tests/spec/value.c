/*
 * value.c - wast2json values: parsing arguments and expected results,
 * matching results against NaN patterns, printing both for failure lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

/* f32/f64 layout: a canonical NaN has only the top mantissa bit set, an
 * arithmetic NaN has at least that bit set (sign free in both). */
#define F32_ABS 0x7fffffffu
#define F32_QNAN 0x7fc00000u
#define F64_ABS 0x7fffffffffffffffull
#define F64_QNAN 0x7ff8000000000000ull

static const struct {
    const char *name;
    b8g_valtype type;
} spec_types[] = {
    {"i32", B8G_I32},         {"i64", B8G_I64},
    {"f32", B8G_F32},         {"f64", B8G_F64},
    {"v128", B8G_V128},       {"funcref", B8G_FUNCREF},
    {"externref", B8G_EXTERNREF},
};

bool spec_parse_valtype(const char *s, b8g_valtype *out)
{
    for (size_t i = 0; s && i < sizeof spec_types / sizeof spec_types[0]; i++)
        if (strcmp(s, spec_types[i].name) == 0) {
            *out = spec_types[i].type;
            return true;
        }
    return false;
}

const char *spec_type_name(b8g_valtype t)
{
    for (size_t i = 0; i < sizeof spec_types / sizeof spec_types[0]; i++)
        if (spec_types[i].type == t)
            return spec_types[i].name;
    return "?";
}

/* Strict unsigned decimal: digits only, no sign, no overflow past max. */
static bool parse_udec(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Fills v from a concrete value text of its type ("null" for refs). */
static bool parse_concrete(b8g_val *v, const char *s, char *why, size_t n)
{
    uint64_t u;
    switch (v->type) {
    case B8G_I32:
    case B8G_F32:
        if (!parse_udec(s, UINT32_MAX, &u))
            break;
        if (v->type == B8G_I32)
            v->of.i32 = (int32_t)(uint32_t)u;
        else
            v->of.f32 = (uint32_t)u;
        return true;
    case B8G_I64:
    case B8G_F64:
        if (!parse_udec(s, UINT64_MAX, &u))
            break;
        if (v->type == B8G_I64)
            v->of.i64 = (int64_t)u;
        else
            v->of.f64 = u;
        return true;
    case B8G_FUNCREF:
    case B8G_EXTERNREF:
        if (s && strcmp(s, "null") == 0) {
            v->of.ref = NULL;
            return true;
        }
        /* Only host references can be named by number. */
        if (v->type == B8G_EXTERNREF && parse_udec(s, UINTPTR_MAX - 1, &u)) {
            v->of.ref = (void *)(uintptr_t)(u + 1);
            return true;
        }
        break;
    case B8G_V128:
        snprintf(why, n, "v128 values cannot cross the b8g API");
        return false;
    }
    snprintf(why, n, "bad %s value \"%s\"", spec_type_name(v->type),
             s ? s : "(none)");
    return false;
}

static bool parse_type(json_t *j, b8g_val *v, char *why, size_t n)
{
    const char *t = json_string_value(json_object_get(j, "type"));
    memset(v, 0, sizeof *v);
    if (!spec_parse_valtype(t, &v->type)) {
        snprintf(why, n, "unknown value type \"%s\"", t ? t : "(none)");
        return false;
    }
    return true;
}

bool spec_parse_arg(json_t *j, b8g_val *out, char *why, size_t n)
{
    if (!parse_type(j, out, why, n))
        return false;
    return parse_concrete(out, json_string_value(json_object_get(j, "value")),
                          why, n);
}

bool spec_parse_expect(json_t *j, SpecExpect *out, char *why, size_t n)
{
    if (!parse_type(j, &out->val, why, n))
        return false;
    const char *s = json_string_value(json_object_get(j, "value"));
    b8g_valtype t = out->val.type;
    bool is_float = t == B8G_F32 || t == B8G_F64;
    bool is_ref = t == B8G_FUNCREF || t == B8G_EXTERNREF;
    out->pat = SPEC_PAT_EXACT;
    if (is_float && s && strcmp(s, "nan:canonical") == 0)
        out->pat = SPEC_PAT_NAN_CANONICAL;
    else if (is_float && s && strcmp(s, "nan:arithmetic") == 0)
        out->pat = SPEC_PAT_NAN_ARITHMETIC;
    else if (is_ref && (!s || (t == B8G_FUNCREF && strcmp(s, "null") != 0)))
        /* wast2json cannot name a function, so any non-null funcref (and a
         * bare "ref.extern") is a pattern, not a value. */
        out->pat = SPEC_PAT_NONNULL_REF;
    else
        return parse_concrete(&out->val, s, why, n);
    return true;
}

static bool match_nan(const SpecExpect *e, const b8g_val *got)
{
    bool canon = e->pat == SPEC_PAT_NAN_CANONICAL;
    if (e->val.type == B8G_F32) {
        uint32_t b = got->of.f32;
        return canon ? (b & F32_ABS) == F32_QNAN : (b & F32_QNAN) == F32_QNAN;
    }
    uint64_t b = got->of.f64;
    return canon ? (b & F64_ABS) == F64_QNAN : (b & F64_QNAN) == F64_QNAN;
}

bool spec_match(const SpecExpect *e, const b8g_val *got)
{
    if (e->val.type != got->type)
        return false;
    switch (e->pat) {
    case SPEC_PAT_NAN_CANONICAL:
    case SPEC_PAT_NAN_ARITHMETIC:
        return match_nan(e, got);
    case SPEC_PAT_NONNULL_REF:
        return got->of.ref != NULL;
    case SPEC_PAT_EXACT:
        break;
    }
    switch (got->type) {
    case B8G_I32:
        return e->val.of.i32 == got->of.i32;
    case B8G_F32:
        return e->val.of.f32 == got->of.f32; /* bits: NaN payloads count */
    case B8G_I64:
        return e->val.of.i64 == got->of.i64;
    case B8G_F64:
        return e->val.of.f64 == got->of.f64;
    case B8G_FUNCREF:
    case B8G_EXTERNREF:
        return e->val.of.ref == got->of.ref;
    case B8G_V128:
        break;
    }
    return false;
}

static const char *ref_str(const b8g_val *v, char *buf, size_t n)
{
    if (!v->of.ref)
        snprintf(buf, n, "%s:null", spec_type_name(v->type));
    else if (v->type == B8G_EXTERNREF)
        snprintf(buf, n, "externref:%" PRIuPTR, (uintptr_t)v->of.ref - 1);
    else
        snprintf(buf, n, "funcref:%p", v->of.ref);
    return buf;
}

const char *spec_val_str(const b8g_val *v, char *buf, size_t n)
{
    float f;
    double d;
    switch (v->type) {
    case B8G_I32:
        snprintf(buf, n, "i32:%" PRIu32, (uint32_t)v->of.i32);
        break;
    case B8G_I64:
        snprintf(buf, n, "i64:%" PRIu64, (uint64_t)v->of.i64);
        break;
    case B8G_F32:
        memcpy(&f, &v->of.f32, sizeof f);
        snprintf(buf, n, "f32:%.9g (0x%08" PRIx32 ")", (double)f, v->of.f32);
        break;
    case B8G_F64:
        memcpy(&d, &v->of.f64, sizeof d);
        snprintf(buf, n, "f64:%.17g (0x%016" PRIx64 ")", d, v->of.f64);
        break;
    case B8G_FUNCREF:
    case B8G_EXTERNREF:
        return ref_str(v, buf, n);
    default:
        snprintf(buf, n, "<type 0x%x>", (unsigned)v->type);
        break;
    }
    return buf;
}

const char *spec_expect_str(const SpecExpect *e, char *buf, size_t n)
{
    const char *t = spec_type_name(e->val.type);
    switch (e->pat) {
    case SPEC_PAT_NAN_CANONICAL:
        snprintf(buf, n, "%s:nan:canonical", t);
        return buf;
    case SPEC_PAT_NAN_ARITHMETIC:
        snprintf(buf, n, "%s:nan:arithmetic", t);
        return buf;
    case SPEC_PAT_NONNULL_REF:
        snprintf(buf, n, "%s:non-null", t);
        return buf;
    case SPEC_PAT_EXACT:
        break;
    }
    return spec_val_str(&e->val, buf, n);
}
