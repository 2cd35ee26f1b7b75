/* Integer division by zero: the divisor comes from the command line. */
__attribute__((noinline)) static int divide(int a, int b)
{
    volatile int d = b;
    return a / d; /* trap: divide */
}

int main(int argc, char **argv)
{
    (void)argv;
    return divide(10, argc - 1); /* call: divide */
}
