/*
 * version.c - `b8g version`: the release and how this binary was built.
 */
#include "cli/cli.h"

int cli_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("b8g %s\n", B8G_VERSION);
    puts("wasm: WebAssembly 2.0 core, without SIMD");
#if defined(B8G_BOUNDS_CHECK) && B8G_BOUNDS_CHECK
    puts("bounds: explicit checks");
#else
    puts("bounds: guard pages");
#endif
    puts("execution: interpreter, engine-managed stack, fuel and interrupts");
    return 0;
}
