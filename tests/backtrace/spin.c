/* A loop that never ends, for --fuel and --timeout to stop. */
__attribute__((noinline)) static void spin(volatile unsigned *n)
{
    for (;;) *n += 1; /* stop: spin */
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile unsigned n = 0;
    spin(&n); /* call: spin */
    return 0;
}
