/*
 * prog.c - the C program of the debugger's tests (tests/cli/debug.sh),
 * built with clang -g -O0.  The tests find lines by the markers in the
 * comments, so the file can change without touching them.
 */
#include <stdio.h>
#include <stdlib.h>

enum mode { QUIET, LOUD = 4 };

struct point {
    int x, y;
};

int counter;
int primes[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
static const char *greeting = "hi \"you\"\n";

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

/* A value of each kind the debugger shows: a struct by value and through
 * a pointer, a string, an enum, arrays, and a name an inner block hides. */
static int describe(struct point p, const char *label, enum mode m)
{
    struct point *at = &p;
    int corners[3] = {p.x, p.y, (int)m};
    char tag[8] = "pt";
    int depth = 1;
    {
        int depth = 2;
        tag[2] = (char)('0' + depth); /* @inner */
    }
    return corners[0] + at->y + label[0] + tag[0] + depth; /* @describe */
}

int main(int argc, char **argv)
{
    counter = 7;
    int s = sum_squares(3); /* @call */
    counter += s;
    struct point origin = {s, -1};
    int seen = describe(origin, greeting, LOUD) + primes[0];
    printf("sum %d counter %d\n", s, counter);
    if (argc > 1) printf("quotient %d\n", divide(s, atoi(argv[1])));
    return seen > 0 ? 0 : 1;
}
