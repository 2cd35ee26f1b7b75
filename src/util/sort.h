/*
 * sort.h - an in-place heapsort, for every sort in b8g.
 *
 * Not qsort: glibc's asks the kernel for the machine's memory size
 * (sysinfo) before sorting an array of 1 KiB or more, a system call that
 * a confined b8g process is killed for (src/sys/seccomp.c).  Sorting
 * happens after confinement: profiles, trace summaries, DWARF read on
 * the first backtrace.  Not stable; O(n log n) whatever the input.
 */
#ifndef B8G_UTIL_SORT_H
#define B8G_UTIL_SORT_H

#include <stddef.h>

typedef int (*UtilCmp)(const void *, const void *);
void util_sort(void *base, size_t n, size_t size, UtilCmp cmp);

#endif
