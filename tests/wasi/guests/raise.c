/* raise.c - proc_raise: b8g ends the guest with a trap (no signal reaches
 * the host); `raise.wasm abort` ends it with wasi-libc's abort(), which is
 * an unreachable instruction.  Not compared with Node, whose proc_raise
 * sends the signal to the Node process itself. */
#include <stdlib.h>

#include "guest.h"

/* wasi-libc no longer declares proc_raise; it is still in preview1. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

int main(int argc, char **argv)
{
    printf("before\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "abort") == 0) abort();
    int32_t e = raw_proc_raise(6); /* SIGABRT */
    printf("proc_raise returned %s\n", errname(e));
    return 0;
}
