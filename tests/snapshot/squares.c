/* squares.c - pre-initialisation (b8g snapshot --init init): init fills a
 * table of squares and counts its own runs; _start (main) prints the
 * count, a checksum of the table, a few entries and its arguments.  Run
 * from an image, the count must read 1: init ran once, in the snapshot,
 * and main sees the table it left. */
#include <stdio.h>

#define N 20000

static unsigned long long table[N];
static volatile int init_runs;
static int filled;

__attribute__((export_name("init"))) void init(void)
{
    init_runs++;
    for (int i = 0; i < N; i++) table[i] = (unsigned long long)i * (unsigned long long)i;
    filled = N;
}

int main(int argc, char **argv)
{
    unsigned long long sum = 0;
    for (int i = 0; i < filled; i++) sum += table[i];
    printf("init ran %d time(s)\n", init_runs);
    printf("squares: %d, sum %llu, table[7] = %llu, table[19999] = %llu\n", filled, sum,
           table[7], table[N - 1]);
    for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
