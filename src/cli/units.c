/*
 * units.c - numbers, sizes and durations given as option arguments.
 */
#include <string.h>

#include "cli/cli.h"

/* Leading decimal digits of s into *out; returns the rest, or NULL on no
 * digits or overflow. */
static const char *decimal_prefix(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return NULL;
        v = v * 10 + d;
    }
    if (p == s) return NULL;
    *out = v;
    return p;
}

static bool scale(uint64_t v, uint64_t unit, uint64_t *out)
{
    if (v > UINT64_MAX / unit) return false;
    *out = v * unit;
    return true;
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
    const char *rest = decimal_prefix(s, out);
    return rest && !*rest;
}

bool cli_parse_size(const char *s, uint64_t *out)
{
    uint64_t v;
    const char *rest = decimal_prefix(s, &v);
    if (!rest) return false;
    uint64_t unit = 1;
    switch (*rest) {
    case 0: break;
    case 'k': case 'K': unit = UINT64_C(1) << 10; rest++; break;
    case 'm': case 'M': unit = UINT64_C(1) << 20; rest++; break;
    case 'g': case 'G': unit = UINT64_C(1) << 30; rest++; break;
    default: return false;
    }
    /* "16MiB" and "16MB" mean the same binary unit here. */
    if (unit > 1 && (strcmp(rest, "iB") == 0 || strcmp(rest, "B") == 0))
        rest += strlen(rest);
    return !*rest && scale(v, unit, out);
}

bool cli_parse_duration(const char *s, uint64_t *ms)
{
    uint64_t v;
    const char *rest = decimal_prefix(s, &v);
    if (!rest) return false;
    if (strcmp(rest, "ms") == 0) return scale(v, 1, ms);
    if (strcmp(rest, "s") == 0 || !*rest) return scale(v, 1000, ms);
    if (strcmp(rest, "m") == 0) return scale(v, 60000, ms);
    return false;
}
