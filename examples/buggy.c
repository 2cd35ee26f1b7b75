/*
 * buggy.c - a small program with a bug, for README's "Debugging guest
 * code": it reads the numbers in a file, prints their sum and mean, and
 * divides by zero when the file holds none.
 *
 * Build: clang --target=wasm32-wasi --sysroot=/usr -g -O0 buggy.c -o buggy.wasm
 * Run:   b8g run --dir DATA::/data buggy.wasm /data/numbers.txt
 */
#include <stdio.h>
#include <stdlib.h>

static int read_numbers(const char *path, int *out, int max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    int n = 0;
    while (n < max && fscanf(f, "%d", &out[n]) == 1) n++;
    fclose(f);
    return n;
}

static int mean(const int *v, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    return sum / n; /* the bug: n may be 0 */
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: buggy FILE\n");
        return 2;
    }
    static int numbers[1000];
    int n = read_numbers(argv[1], numbers, 1000);
    printf("%d numbers, mean %d\n", n, mean(numbers, n));
    return 0;
}
