/* __builtin_trap() with an argument, __builtin_unreachable() without:
 * both become the wasm `unreachable` instruction. */
__attribute__((noinline)) static void never(int how)
{
    if (how) __builtin_trap(); /* trap: builtin_trap */
    __builtin_unreachable(); /* trap: builtin_unreachable */
}

int main(int argc, char **argv)
{
    (void)argv;
    never(argc - 1); /* call: never */
    return 0;
}
