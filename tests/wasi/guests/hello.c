/* hello.c - the start-up benchmark's guest and the smallest WASI run. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    return 0;
}
