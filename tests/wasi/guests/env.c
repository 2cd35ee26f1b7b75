/* env.c - the environment through environ_sizes_get/environ_get: exactly
 * the --env variables (none by default), and inherited ones only with
 * --env-inherit.  Variables named B8G_* are printed sorted, so the order
 * of inherited and explicit ones does not matter; others are only counted. */
#include <stdlib.h>

#include "guest.h"

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    __wasi_size_t n = 0, bytes = 0;
    SHOW("environ_sizes_get", __wasi_environ_sizes_get(&n, &bytes));
    printf("empty: %s\n", n == 0 ? "yes" : "no");

    uint8_t **ptrs = calloc(n + 1, sizeof *ptrs);
    uint8_t *buf = malloc(bytes + 1);
    if (n == 0) {
        /* Nothing to write is still a success; Node answers EINVAL. */
        SHOW("! environ_get", __wasi_environ_get(ptrs, buf));
        return 0;
    }
    SHOW("environ_get", __wasi_environ_get(ptrs, buf));
    size_t sum = 0, mine = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        sum += strlen((char *)ptrs[i]) + 1;
        if (strncmp((char *)ptrs[i], "B8G_", 4) == 0) ptrs[mine++] = ptrs[i];
    }
    FACT("bytes match the strings", sum == bytes);
    qsort(ptrs, mine, sizeof *ptrs, cmp);
    for (size_t i = 0; i < mine; i++) printf("env: %s\n", (char *)ptrs[i]);

    const char *inherit = getenv("B8G_TEST_INHERITED");
    printf("getenv B8G_TEST_INHERITED: %s\n", inherit ? inherit : "(unset)");
    FACT("host PATH visible", getenv("PATH") != NULL);
    return 0;
}
