/*
 * snapshot.c - `b8g snapshot PROGRAM.wasm --init FUNC -o IMAGE.b8g
 * [OPTIONS] [ARGS...]`: pre-initialisation, in the manner of Wizer.
 *
 * The module runs exactly as under `b8g run` (same options, sandbox,
 * confinement and limits) up to the call: instead of _start, the export
 * FUNC is called, and the instance it leaves behind - memory, globals,
 * tables, open descriptors - is written to IMAGE.  `b8g run IMAGE` then
 * starts from there, without running FUNC again.  A FUNC that traps,
 * exits or hits a limit writes nothing.
 */
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

static int snapshot_module(const RunOpts *o, const b8g_module *m)
{
    CliSession ss;
    int code = cli_session_open(&ss, o, o->output);
    if (code < 0) {
        b8g_error err;
        b8g_instance *inst = NULL;
        b8g_status st = b8g_instantiate(ss.store, m, &inst, &err);
        if (!st) st = b8g_wasi_attach(ss.wasi, inst, &err);
        if (!st) st = cli_call_init(inst, m, o->init, &err);
        code = st ? cli_session_finish(&ss, inst, st, &err) : cli_session_capture(&ss, inst);
    }
    cli_session_close(&ss);
    return code;
}

static int missing(const char *what)
{
    int code = cli_fail(B8G_ARG, "%s", what);
    fputs("Run 'b8g help snapshot' for usage.\n", stderr);
    return code;
}

int cli_snapshot(int argc, char **argv)
{
    RunOpts o;
    int code = cli_parse_run_args(argc, argv, &o, CLI_CMD_SNAPSHOT, true, cli_snapshot_usage);
    if (code < 0 && !o.init) code = missing("no --init FUNC given");
    if (code < 0 && !o.output) code = missing("no -o IMAGE given");
    if (code < 0) {
        b8g_error err;
        CliProgram p;
        if (cli_open_program(o.program, o.code ? CLI_OPEN_LAZY : 0, &p, &err)) {
            code = cli_report(&err);
        } else if (p.image) {
            code = cli_fail(B8G_ARG, "%s is an image: b8g snapshot takes a module", o.program);
        } else {
            code = snapshot_module(&o, p.module);
        }
        cli_close_program(&p);
    }
    cli_free_run_opts(&o);
    return code;
}
