/*
 * help.c - `b8g help` and the usage texts.
 */
#include <string.h>

#include "cli/cli.h"

void cli_usage(FILE *f)
{
    fputs("usage: b8g COMMAND [ARGS...]\n"
          "\n"
          "commands:\n"
          "  run [OPTIONS] PROGRAM.wasm [ARGS...]  run a module (see 'b8g help run')\n"
          "  compose [OPTIONS] APP.json           run components wired together by\n"
          "                                       streams, channels, regions, events\n"
          "  version                              version and engine features\n"
          "  doctor                               check what b8g run relies on in\n"
          "                                       this kernel (confinement, guard pages)\n"
          "  help [COMMAND]                       this text\n",
          f);
}

void cli_run_usage(FILE *f)
{
    fputs("usage: b8g run [OPTIONS] PROGRAM.wasm [ARGS...]\n"
          "\n"
          "Options come before the program; everything after it belongs to the guest\n"
          "(its argv[0] is PROGRAM.wasm as given).  Without --invoke, calls the\n"
          "exported function _start if there is one.  The guest gets WASI preview1:\n"
          "stdio, ARGS, and only the directories and variables granted below.  Before\n"
          "the guest runs, b8g confines its own process to those directories and the\n"
          "system calls it needs.\n"
          "\n"
          "options:\n"
          "  --dir HOST[::GUEST][:ro]\n"
          "                       let the guest use directory HOST under the name\n"
          "                       GUEST (default: HOST); :ro makes it read-only\n"
          "  --env NAME=VALUE     set an environment variable for the guest\n"
          "  --env-inherit        pass b8g's whole environment (--env overrides)\n"
          "  --stdin FILE         the guest reads FILE as its standard input\n"
          "  --invoke NAME        call export NAME with ARGS as its parameters and\n"
          "                       print its results, one per line\n"
          "  --fuel N             stop with \"out of fuel\" after N units of fuel\n"
          "  --timeout DURATION   stop after DURATION of wall time (250ms, 2s, 1m)\n"
          "  --max-stack SIZE     cap the wasm value and call stack (64K, 8M, ...)\n"
          "  --max-memory SIZE    cap every linear memory (at least 64K, e.g. 16M)\n"
          "  --no-confine         do not confine the b8g process (seccomp allow-list,\n"
          "                       no_new_privs, Landlock): only for debugging under\n"
          "                       gdb, strace or valgrind; weakens defense in depth\n"
          "\n"
          "ARGS for --invoke: i32/i64 as decimal or 0x hex with optional sign;\n"
          "f32/f64 as decimal, hex float, inf, -inf, nan or nan:0xPAYLOAD.\n"
          "\n"
          "Exit status: the guest's proc_exit status, else 0 on success, 2 bad\n"
          "command line, 3 malformed module, 4 invalid module, 5 unsupported, 6 link\n"
          "error, 7 trap, 8 limit exceeded, 11 i/o error, 12 out of memory.\n",
          f);
}

void cli_compose_usage(FILE *f)
{
    fputs("usage: b8g compose [OPTIONS] APP.json\n"
          "\n"
          "Runs every component APP.json declares, each in its own store with its\n"
          "own limits and thread, and calls its entry point (default b8g_main) with\n"
          "handles to the objects the file wires to it (docs/compose.md).  Module\n"
          "paths are relative to APP.json.  Components get stdout and stderr through\n"
          "WASI, nothing else of the host.  A line per component on stderr says how\n"
          "it ended.\n"
          "\n"
          "options:\n"
          "  --timeout DURATION   stop any component still running after DURATION\n"
          "                       (a component's own \"timeout\" takes precedence)\n"
          "  --no-confine         do not confine the b8g process (debugging only)\n"
          "\n"
          "Exit status: 0 if every component returned 0 (or nothing), 1 if one\n"
          "returned another value, else the status of the first failure, as for\n"
          "b8g run (2 bad file, 6 link error, 7 trap, 8 limit, ...).\n",
          f);
}

int cli_help(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "run") == 0)
        cli_run_usage(stdout);
    else if (argc > 0 && strcmp(argv[0], "compose") == 0)
        cli_compose_usage(stdout);
    else
        cli_usage(stdout);
    return 0;
}
