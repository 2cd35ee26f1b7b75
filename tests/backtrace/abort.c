/* abort(): wasi-libc's ends in a trap inside abort itself. */
#include <stdlib.h>

__attribute__((noinline)) static void give_up(int why)
{
    if (why) abort(); /* call: abort */
}

int main(int argc, char **argv)
{
    (void)argv;
    give_up(argc); /* call: give_up */
    return 0;
}
