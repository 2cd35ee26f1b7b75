/*
 * alloc.c - allocation wrappers.
 *
 * The engine sizes every input-driven allocation against the caps in
 * limits.h before asking for memory, so a failure here means the host itself
 * is out of memory for an engine-sized request: there is no useful recovery,
 * and continuing with a NULL would turn into a crash somewhere less clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"

B8G_COLD static void oom(size_t n)
{
    fprintf(stderr, "b8g: out of host memory (allocating %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}
