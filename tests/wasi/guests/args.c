/* args.c - argv through args_sizes_get/args_get: count, every byte of each
 * argument (spaces, UTF-8, empty ones) and the size bookkeeping; a buffer
 * outside linear memory is refused with EFAULT. */
#include <stdlib.h>

#include "guest.h"

static void print_bytes(const char *s)
{
    printf("[");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f) putchar(*p);
        else printf("\\x%02x", *p);
    }
    printf("]\n");
}

int main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    printf("argc: %d\n", argc);
    printf("argv[0] basename: %s\n", slash ? slash + 1 : argv[0]);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d] len %zu: ", i, strlen(argv[i]));
        print_bytes(argv[i]);
    }

    __wasi_size_t n = 0, bytes = 0;
    SHOW("args_sizes_get", __wasi_args_sizes_get(&n, &bytes));
    size_t want = 0;
    for (int i = 0; i < argc; i++) want += strlen(argv[i]) + 1;
    FACT("count matches argc", n == (__wasi_size_t)argc);
    FACT("bytes match the strings", bytes == want);

    uint8_t **ptrs = calloc(n + 1, sizeof *ptrs);
    uint8_t *buf = malloc(bytes);
    SHOW("args_get", __wasi_args_get(ptrs, buf));
    int same = 1;
    for (int i = 0; i < argc; i++)
        same &= strcmp((char *)ptrs[i], argv[i]) == 0 &&
                ptrs[i] >= buf && ptrs[i] < buf + bytes;
    FACT("args_get strings match argv", same);

    /* The last page of a 4 GiB space is never inside this small memory.
     * WASI says EFAULT; Node answers EINVAL. */
    SHOW("! args_get, buffer outside memory",
         __wasi_args_get(ptrs, (uint8_t *)0xfffffff0u));
    SHOW("! args_sizes_get, result outside memory",
         __wasi_args_sizes_get((__wasi_size_t *)0xfffffffcu, &bytes));
    return 0;
}
