/* Unbounded recursion: ends in "call stack exhausted". */
__attribute__((noinline)) static int down(volatile int n)
{
    if (n >= 0) return down(n + 1) + 1; /* trap: down */
    return 0;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return down(0); /* call: down */
}
