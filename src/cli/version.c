/*
 * version.c - `b8g version`: the release, how this binary was built, and
 * what process confinement this kernel allows `b8g run` (b8g doctor has the
 * details).
 */
#include "cli/cli.h"

static void print_confinement(void)
{
    b8g_confine_report r;
    b8g_confine_probe(&r);
    if (!r.seccomp || !r.no_new_privs) {
        printf("confinement: unavailable (no %s; b8g run needs --no-confine)\n",
               !r.seccomp ? "seccomp filters" : "no_new_privs");
        return;
    }
    if (r.landlock)
        printf("confinement: seccomp allow-list, no_new_privs, Landlock ABI %d\n",
               r.landlock_abi);
    else
        puts("confinement: seccomp allow-list, no_new_privs (no Landlock)");
}

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
    print_confinement();
    return 0;
}
