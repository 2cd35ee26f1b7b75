/*
 * run.c - `b8g run [OPTIONS] PROGRAM [ARGS...]`, PROGRAM being a module or
 * a .b8g image.
 *
 * A module is loaded and instantiated (which runs any start function), an
 * image is restored into the store instead; either way the session
 * (session.c) first creates the store with the requested limits and the
 * WASI context granting what the options name (sandbox.c) and confines
 * the process.  Then --invoke NAME with ARGS or the exported _start is
 * called.  The --timeout watchdog covers instantiation too, since a start
 * function can loop as well as any export.  A guest's proc_exit status
 * becomes b8g's.  With --suspend-to, a call that stops for fuel, the
 * timeout or SIGUSR1 is captured into a state image (b8g resume goes on).
 *
 * An image holding a suspended call is `b8g resume`'s: running it from
 * _start again would be a different program state.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

/* Instantiates a module or restores an image, and calls _start or
 * --invoke; *inst is the instance, for capturing it. */
static b8g_status run_instance(const RunOpts *o, CliSession *ss, const CliProgram *p,
                               b8g_instance **inst, b8g_error *err)
{
    b8g_status st;
    if (p->image) {
        /* The image's WASI descriptors come back from the context; the
         * limits are this command line's, fuel included (the recorded
         * fuel is what the snapshot's run had left). */
        st = b8g_image_restore(p->image, ss->store, ss->wasi, 0, inst, err);
        if (!st) b8g_store_set_fuel(ss->store, o->fuel);
    } else {
        st = b8g_instantiate(ss->store, p->module, inst, err);
        if (!st) st = b8g_wasi_attach(ss->wasi, *inst, err);
    }
    if (st) return st;
    return o->invoke ? cli_invoke(*inst, p->module, o, err) : cli_start(*inst, p->module, err);
}

static int run_program(const RunOpts *o, const CliProgram *p)
{
    CliSession ss;
    int code = cli_session_open(&ss, o, o->suspend_to);
    if (code < 0) {
        b8g_error err;
        b8g_instance *inst = NULL;
        cli_profile_module(ss.profile, p->module);
        b8g_status st = run_instance(o, &ss, p, &inst, &err);
        code = cli_session_finish(&ss, inst, st, &err);
    }
    cli_session_close(&ss);
    return code;
}

/* A suspended call continues only with b8g resume. */
static int refuse_suspended(const RunOpts *o, const CliProgram *p)
{
    b8g_image_info info;
    b8g_image_get_info(p->image, &info);
    if (!info.suspended) return -1;
    b8g_error e;
    cli_err(&e, B8G_ARG, "%s holds a suspended call: continue it with 'b8g resume %s'",
            o->program, o->program);
    return cli_report(&e);
}

int cli_run_opts(const RunOpts *o)
{
    b8g_error err;
    CliProgram p;
    int code = -1;
    if (cli_open_program(o->program, o->trust_image ? CLI_OPEN_TRUSTED : 0, &p, &err))
        code = cli_report(&err);
    else if (!p.image || (code = refuse_suspended(o, &p)) < 0) code = run_program(o, &p);
    cli_close_program(&p);
    return code;
}

int cli_run(int argc, char **argv)
{
    RunOpts o;
    int code = cli_parse_run_args(argc, argv, &o, CLI_CMD_RUN, false, cli_run_usage);
    if (code < 0) code = cli_run_opts(&o);
    cli_free_run_opts(&o);
    return code;
}
