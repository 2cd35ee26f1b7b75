/*
 * common.h - compiler helpers shared by every module.
 */
#ifndef B8G_UTIL_COMMON_H
#define B8G_UTIL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define B8G_LIKELY(x) __builtin_expect(!!(x), 1)
#define B8G_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define B8G_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define B8G_NOINLINE __attribute__((noinline))
#define B8G_COLD __attribute__((cold, noinline))
#define B8G_INTERNAL __attribute__((visibility("hidden")))
#else
#define B8G_LIKELY(x) (x)
#define B8G_UNLIKELY(x) (x)
#define B8G_PRINTF(f, a)
#define B8G_NOINLINE
#define B8G_COLD
#define B8G_INTERNAL
#endif

#define B8G_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that aborts the process only on genuine exhaustion of small,
 * engine-sized requests.  Sizes derived from untrusted input must be checked
 * against the documented caps (limits.h) before calling these. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);

#endif
