/* recurse.c - a runaway guest: unbounded recursion that the optimiser
 * cannot turn into a loop (each frame's result depends on the next call
 * and on a volatile), for the call-stack exhaustion test. */
#include <stdio.h>

static volatile int sink = 1;

__attribute__((noinline)) static int deep(int n)
{
    if (sink == 0) return n;
    return deep(n + 1) + sink;
}

int main(void)
{
    printf("recursing\n");
    fflush(stdout);
    return deep(0);
}
