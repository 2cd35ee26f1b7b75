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
          "  run [OPTIONS] IMAGE.b8g [ARGS...]     run a pre-initialised image\n"
          "  snapshot PROGRAM.wasm --init FUNC -o IMAGE.b8g [OPTIONS] [ARGS...]\n"
          "                                       call FUNC, then save the instance\n"
          "  resume STATE.b8g [OPTIONS]           continue a call suspended by\n"
          "                                       --suspend-to\n"
          "  inspect [--json] FILE.wasm|FILE.b8g  what a module or an image holds\n"
          "  debug [OPTIONS] PROGRAM.wasm [ARGS...]\n"
          "                                       run a module under the debugger\n"
          "  js [OPTIONS] SCRIPT.js [ARGS...]     run JavaScript (QuickJS) in the\n"
          "                                       sandbox (see 'b8g help js')\n"
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
          "       b8g run [OPTIONS] IMAGE.b8g [ARGS...]\n"
          "\n"
          "Options come before the program; everything after it belongs to the guest\n"
          "(its argv[0] is PROGRAM.wasm as given).  Without --invoke, calls the\n"
          "exported function _start if there is one.  The guest gets WASI preview1:\n"
          "stdio, ARGS, and only the directories and variables granted below.  Before\n"
          "the guest runs, b8g confines its own process to those directories and the\n"
          "system calls it needs.  An image made by 'b8g snapshot' (recognised by\n"
          "its first bytes) is restored instead of instantiated, then run the same\n"
          "way; the directories it had open must be granted again.\n"
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
          "  --suspend-to STATE   when the guest stops for fuel, --timeout or SIGUSR1,\n"
          "                       save the suspended call to STATE and exit 9\n"
          "                       (continue it with 'b8g resume STATE')\n"
          "  --trace[=FILE]       write a JSON line per host call (WASI) to stderr or\n"
          "                       FILE: arguments, result, duration\n"
          "  --trace=summary      at exit, a table of calls, errors and time per\n"
          "                       host function on stderr\n"
          "  --profile FILE       write folded stacks of fuel units to FILE (for\n"
          "                       flamegraph.pl or speedscope), and a table of the\n"
          "                       top 20 functions to stderr at exit\n"
          "  --profile-wall FILE  the same for sampled wall time (microseconds)\n"
          "  --profile-period N   fuel units per sample (default 61; 0: sample wall\n"
          "                       time only, at 1 ms)\n"
          "\n"
          "ARGS for --invoke: i32/i64 as decimal or 0x hex with optional sign;\n"
          "f32/f64 as decimal, hex float, inf, -inf, nan or nan:0xPAYLOAD.\n"
          "\n"
          "Exit status: the guest's proc_exit status, else 0 on success, 2 bad\n"
          "command line, 3 malformed module, 4 invalid module, 5 unsupported, 6 link\n"
          "error, 7 trap, 8 limit exceeded, 9 suspended (state written), 10 bad\n"
          "image, 11 i/o error, 12 out of memory.\n",
          f);
}

void cli_snapshot_usage(FILE *f)
{
    fputs("usage: b8g snapshot PROGRAM.wasm --init FUNC -o IMAGE.b8g [OPTIONS] [--] [ARGS...]\n"
          "\n"
          "Pre-initialises a module: runs it as 'b8g run' would, but calls the\n"
          "export FUNC (no parameters; results ignored) instead of _start, then\n"
          "saves the instance - memory, globals, tables, open WASI descriptors - to\n"
          "IMAGE.  'b8g run IMAGE.b8g [ARGS...]' starts from that state without\n"
          "running FUNC again.  If FUNC traps, exits or hits a limit, nothing is\n"
          "written.  Options may come before or after PROGRAM; ARGS (the guest's\n"
          "argv during FUNC) start at the first other argument or after --.\n"
          "\n"
          "options:\n"
          "  --init FUNC          the export to call (required)\n"
          "  -o, --output IMAGE   where to write the image, atomically (required)\n"
          "  --code               also store the translated code of every function\n"
          "                       FUNC ran, for a process of this same build that\n"
          "                       vouches for the image (b8g js does, for its own)\n"
          "  --dir, --env, --env-inherit, --stdin, --fuel, --timeout, --max-stack,\n"
          "  --max-memory, --no-confine, --trace, --profile, --profile-wall,\n"
          "  --profile-period\n"
          "                       as for 'b8g run' (see 'b8g help run')\n"
          "\n"
          "Exit status: 0 when the image is written, else as for 'b8g run'.\n",
          f);
}

void cli_resume_usage(FILE *f)
{
    fputs("usage: b8g resume STATE.b8g [OPTIONS]\n"
          "\n"
          "Continues the call that 'b8g run --suspend-to STATE.b8g' suspended,\n"
          "exactly where it stopped, in a new process.  The guest keeps the argv\n"
          "and environment it started with.  Every directory it was granted must\n"
          "be granted again with --dir under the same guest name (the host path\n"
          "may differ); files it had open there are reopened at the same position.\n"
          "The results of an --invoke'd call are printed, one per line.\n"
          "\n"
          "options:\n"
          "  --fuel N             fuel for the rest of the call (default: unlimited)\n"
          "  --suspend-to STATE   suspend again when it stops for fuel, --timeout or\n"
          "                       SIGUSR1\n"
          "  --dir, --stdin, --timeout, --max-stack, --max-memory, --no-confine,\n"
          "  --trace, --profile, --profile-wall, --profile-period\n"
          "                       as for 'b8g run' (see 'b8g help run')\n"
          "\n"
          "Exit status: as for 'b8g run'; 2 if STATE holds no suspended call, 10 if\n"
          "it is damaged or a directory it needs is not granted.\n",
          f);
}

void cli_inspect_usage(FILE *f)
{
    fputs("usage: b8g inspect [--json] MODULE.wasm|IMAGE.b8g\n"
          "\n"
          "Prints what a file holds, without running it; '-' reads standard input.\n"
          "An image (recognised by its first bytes) shows, one field a line: version,\n"
          "contexts, whether it may be restored more than once (rehashable),\n"
          "checksum, sizes, whether it holds a suspended call, fuel left, argv and\n"
          "environment counts, and the descriptors a restore must grant (fd, kind,\n"
          "name, path, rights).\n"
          "\n"
          "Anything else is read as a module: its sections in file order, types,\n"
          "imports, functions, tables, memories, globals, exports, segments, start\n"
          "function, custom sections, names and debug info present, the post-MVP\n"
          "features it uses, and whether it is valid.  A module that cannot be\n"
          "decoded still shows the sections a scan of the file finds.\n"
          "\n"
          "options:\n"
          "  --json               print one JSON object instead (docs/cli.md)\n"
          "\n"
          "Exit status: 0; for an image 10 if it is damaged (a checksum mismatch is\n"
          "reported and the fields still printed); for a module the status 'b8g\n"
          "run' would give it: 3 malformed, 4 invalid, 5 unsupported (SIMD); 11 if\n"
          "FILE cannot be read.\n",
          f);
}

void cli_js_usage(FILE *f)
{
    fputs("usage: b8g js [OPTIONS] [-m|--module] SCRIPT.js [ARGS...]\n"
          "       b8g js [OPTIONS] [-m|--module] -e CODE [ARGS...]\n"
          "\n"
          "Runs JavaScript with QuickJS in the sandbox: 'b8g run' of the\n"
          "pre-initialised image $B8G_JS_IMAGE, else js/qjs.b8g beside the b8g\n"
          "executable ('make js' builds it).  The directory holding SCRIPT is granted\n"
          "read-only under the path as written (\"app/main.js\": app as \"app\"),\n"
          "unless a --dir already has that guest path; nothing else of the file\n"
          "system is visible without --dir.  -m or --module (or a .mjs name, or a\n"
          "top-level import or export) runs SCRIPT as an ES module; scriptArgs is\n"
          "[SCRIPT, ARGS...], with -e [ARGS...].  The guest's part starts at -e, -m,\n"
          "--module, -- or the first argument that is not an option.\n"
          "\n"
          "options:\n"
          "  --dir, --env, --env-inherit, --stdin, --fuel, --timeout, --max-stack,\n"
          "  --max-memory, --no-confine, --suspend-to, --trace, --profile,\n"
          "  --profile-wall, --profile-period\n"
          "                       as for 'b8g run' (see 'b8g help run')\n"
          "\n"
          "A loop stops at --timeout or --fuel (exit 8); memory growth beyond\n"
          "--max-memory and deep recursion are JavaScript errors (InternalError: out\n"
          "of memory, stack overflow), catchable, and exit 1 when uncaught.\n"
          "\n"
          "Exit status: 0, 1 for an uncaught exception or rejection, 2 for a bad\n"
          "command line, 11 if the image is missing, else as for 'b8g run' (7 trap,\n"
          "8 limit exceeded, ...).\n",
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
          "  --trace[=FILE]       a JSON line per host call (WASI and the b8g ABI) of\n"
          "                       every component, to stderr or FILE\n"
          "  --trace=summary      at exit, a table of calls, errors and time per\n"
          "                       host function\n"
          "\n"
          "Exit status: 0 if every component returned 0 (or nothing), 1 if one\n"
          "returned another value, else the status of the first failure, as for\n"
          "b8g run (2 bad file, 6 link error, 7 trap, 8 limit, ...).\n",
          f);
}

int cli_help(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*usage)(FILE *f);
    } topics[] = {
        {"run", cli_run_usage},           {"compose", cli_compose_usage},
        {"snapshot", cli_snapshot_usage}, {"resume", cli_resume_usage},
        {"inspect", cli_inspect_usage},
        {"debug", cli_debug_usage},       {"js", cli_js_usage},
    };
    for (size_t i = 0; argc > 0 && i < B8G_ARRAY_LEN(topics); i++) {
        if (strcmp(argv[0], topics[i].name) == 0) {
            topics[i].usage(stdout);
            return 0;
        }
    }
    cli_usage(stdout);
    return 0;
}
