/*
 * prog.c - the C program of the debugger's tests (tests/cli/debug.sh),
 * built with clang -g -O0.  The tests find lines by the markers in the
 * comments, so the file can change without touching them.
 */
#include <stdio.h>
#include <stdlib.h>

int counter;

static int square(int x)
{
    return x * x; /* @square */
}

static int sum_squares(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++)
        total += square(i); /* @loop */
    return total; /* @return */
}

static int divide(int a, int b)
{
    return a / b; /* @divide */
}

int main(int argc, char **argv)
{
    counter = 7;
    int s = sum_squares(3); /* @call */
    counter += s;
    printf("sum %d counter %d\n", s, counter);
    if (argc > 1) printf("quotient %d\n", divide(s, atoi(argv[1])));
    return 0;
}
