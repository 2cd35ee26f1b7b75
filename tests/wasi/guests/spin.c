/* spin.c - a runaway guest: `while (1) {}` after one line of output, for
 * the --timeout and --fuel tests. */
#include <stdio.h>

int main(void)
{
    printf("spinning\n");
    fflush(stdout);
    while (1) {
    }
}
