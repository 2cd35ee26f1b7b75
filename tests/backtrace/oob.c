/* A load through a pointer just below 4 GiB: out of bounds of any memory
 * (address 0 is valid memory in wasm, so a null pointer would not do). */
__attribute__((noinline)) static int load(volatile int *p)
{
    return *p; /* trap: load */
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return load((volatile int *)0xfffffff0); /* call: load */
}
