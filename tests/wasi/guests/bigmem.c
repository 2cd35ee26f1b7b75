/* bigmem.c - a guest whose initial memory (96 MiB of zeroed static data)
 * is larger than --max-memory allows: instantiation must fail with the
 * limit status before any guest code runs. */
#include <stdio.h>

static char big[96 << 20];
/* Reached through a volatile pointer, so the array cannot be elided. */
char *volatile bigp = big;

int main(void)
{
    bigp[sizeof big - 1] = 1;
    printf("started with %zu MiB of static data\n", sizeof big >> 20);
    return bigp[sizeof big - 1] - 1;
}
