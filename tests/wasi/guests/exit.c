/* exit.c - how a guest ends: `exit.wasm raw N` calls proc_exit(N)
 * directly, `exit.wasm libc N` calls exit(N), `exit.wasm return N` returns
 * N from main; the code is the process's exit status. */
#include <stdlib.h>

#include "guest.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: exit.wasm raw|libc|return CODE\n");
        return 2;
    }
    int code = atoi(argv[2]);
    printf("ending with %s %d\n", argv[1], code);
    fflush(stdout);
    if (strcmp(argv[1], "raw") == 0) __wasi_proc_exit((__wasi_exitcode_t)code);
    if (strcmp(argv[1], "libc") == 0) exit(code);
    return code;
}
