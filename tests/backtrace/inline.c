/* Built with -O2: ratio is inlined into scale, and scale into main, so
 * the trap's one wasm frame holds three source functions. */
#include <stdio.h>

static int ratio(int a, int b)
{
    return a / b; /* trap: ratio */
}

static int scale(int x, int d)
{
    return ratio(x * 3, d) + 1; /* call: ratio */
}

int main(int argc, char **argv)
{
    (void)argv;
    int r = scale(argc + 7, argc - 1); /* call: scale */
    printf("%d\n", r);
    return 0;
}
