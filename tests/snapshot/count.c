/* count.c - a looping guest that ends: prints "counting", adds up
 * 0..N-1 (N = argv[1]) through a volatile, so every iteration is a loop
 * back-edge the optimiser keeps, then prints the sum.  Long enough with a
 * large N to be stopped by SIGUSR1 or --timeout while it loops, and
 * suspended and resumed at any fuel point with a small one. */
#include <stdio.h>
#include <stdlib.h>

static volatile unsigned long long acc;

int main(int argc, char **argv)
{
    unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
    printf("counting to %llu\n", n);
    fflush(stdout);
    for (unsigned long long i = 0; i < n; i++) acc += i;
    printf("done: sum %llu\n", acc);
    return 0;
}
