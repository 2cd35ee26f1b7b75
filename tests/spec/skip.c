/*
 * skip.c - the list of scripts skipped as a whole.
 *
 * One entry a line: a glob over script names, then the reason, e.g.
 *   simd_*  simd128 (v128) is not implemented yet
 * '#' starts a comment line.  An entry without a reason is rejected: a skip
 * must always say why.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

typedef struct SpecSkip {
    char *glob;
    char *reason;
} SpecSkip;

struct SpecSkipList {
    SpecSkip *items;
    size_t count;
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Splits "GLOB reason..." into the list; false if the reason is missing. */
static bool skip_add(SpecSkipList *l, char *entry)
{
    size_t g = strcspn(entry, " \t");
    char *reason = trim(entry + g);
    if (!*reason)
        return false;
    entry[g] = '\0';
    SpecSkip *items = realloc(l->items, (l->count + 1) * sizeof *items);
    if (!items)
        return false;
    l->items = items;
    l->items[l->count].glob = strdup(entry);
    l->items[l->count].reason = strdup(reason);
    l->count++;
    return l->items[l->count - 1].glob && l->items[l->count - 1].reason;
}

SpecSkipList *spec_skip_load(const char *path, char *why, size_t n)
{
    FILE *f = fopen(path, "r");
    *why = '\0';
    if (!f) {
        snprintf(why, n, "cannot open skip list %s", path);
        return NULL;
    }
    SpecSkipList *l = calloc(1, sizeof *l);
    char buf[1024];
    unsigned lineno = 0;
    while (l && fgets(buf, sizeof buf, f)) {
        char *s = trim(buf);
        lineno++;
        if (!*s || *s == '#')
            continue;
        if (!skip_add(l, s)) {
            snprintf(why, n, "%s:%u: entry needs a glob and a reason", path,
                     lineno);
            spec_skip_free(l);
            l = NULL;
        }
    }
    fclose(f);
    if (!l && !*why)
        snprintf(why, n, "out of memory reading %s", path);
    return l;
}

const char *spec_skip_reason(const SpecSkipList *l, const char *name)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (fnmatch(l->items[i].glob, name, 0) == 0)
            return l->items[i].reason;
    return NULL;
}

void spec_skip_free(SpecSkipList *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].glob);
        free(l->items[i].reason);
    }
    free(l->items);
    free(l);
}
