/*
 * sort.c - heapsort (sort.h says why not qsort).
 */
#include "util/sort.h"

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void sift_down(unsigned char *v, size_t size, size_t root, size_t n, UtilCmp cmp)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && cmp(v + child * size, v + (child + 1) * size) < 0) child++;
        if (cmp(v + root * size, v + child * size) >= 0) return;
        swap_bytes(v + root * size, v + child * size, size);
    }
}

void util_sort(void *base, size_t n, size_t size, UtilCmp cmp)
{
    unsigned char *v = base;
    for (size_t i = n / 2; i-- > 0;) sift_down(v, size, i, n, cmp);
    for (size_t end = n; end-- > 1;) {
        swap_bytes(v, v + end * size, size);
        sift_down(v, size, 0, end, cmp);
    }
}
