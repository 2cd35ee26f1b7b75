/*
 * resume.c - `b8g resume STATE.b8g [OPTIONS]`: continues a call that
 * `b8g run --suspend-to` (or `b8g resume --suspend-to`) captured.
 *
 * The guest goes on with the argv and environment it started with (its
 * libc read them already; they are in the image), and with the
 * directories of this command line: each preopen the image names must be
 * given again with --dir under the same guest path, though the host path
 * may differ; files the guest had open beneath it are reopened at their
 * recorded positions.  The limits are this command line's: without --fuel
 * the call continues with unlimited fuel (a call that stopped for fuel
 * had none left), with it, with that much.  The results of an --invoke'd
 * call are printed as --invoke prints them; exit statuses are b8g run's.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

/* The image's recorded argv and environment, as the sandbox takes them. */
static void use_recorded_args(RunOpts *o, const b8g_image *img, const b8g_image_info *info)
{
    const char **argv = cli_calloc((size_t)info->argc + 1, sizeof *argv);
    const char **env = cli_calloc((size_t)info->envc + 1, sizeof *env);
    for (uint32_t i = 0; i < info->argc; i++) argv[i] = b8g_image_arg(img, i);
    for (uint32_t i = 0; i < info->envc; i++) env[i] = b8g_image_env(img, i);
    o->recorded_argv = argv;
    o->recorded_argc = info->argc;
    o->recorded_env = env;
    o->recorded_envc = info->envc;
}

/* Restores the image into the session and resumes its call. */
static b8g_status resume_call(const RunOpts *o, CliSession *ss, b8g_image *img,
                              b8g_instance **inst, b8g_error *err)
{
    b8g_status st = b8g_image_restore(img, ss->store, ss->wasi, 0, inst, err);
    if (st) return st;
    b8g_store_set_fuel(ss->store, o->fuel);
    const b8g_valtype *types = NULL;
    uint32_t n = b8g_suspended_results(ss->store, &types);
    b8g_val *res = calloc((size_t)n + 1, sizeof *res);
    if (!res) return cli_err(err, B8G_NOMEM, "cannot allocate results");
    st = b8g_resume(ss->store, res, n, err);
    if (!st) st = cli_print_results(res, n, err);
    free(res);
    return st;
}

static int resume_image(RunOpts *o, b8g_image *img)
{
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    if (!info.suspended) {
        b8g_error e;
        cli_err(&e, B8G_ARG, "%s holds no suspended call: nothing to resume; use 'b8g run %s'",
                o->program, o->program);
        return cli_report(&e);
    }
    use_recorded_args(o, img, &info);
    CliSession ss;
    int code = cli_session_open(&ss, o, o->suspend_to);
    if (code < 0) {
        b8g_error err;
        b8g_instance *inst = NULL;
        b8g_status st = resume_call(o, &ss, img, &inst, &err);
        code = cli_session_finish(&ss, inst, st, &err);
    }
    cli_session_close(&ss);
    free((void *)o->recorded_argv);
    free((void *)o->recorded_env);
    return code;
}

int cli_resume(int argc, char **argv)
{
    RunOpts o;
    int code = cli_parse_run_args(argc, argv, &o, CLI_CMD_RESUME, true, cli_resume_usage);
    if (code < 0 && o.nargs) {
        code = cli_fail(B8G_ARG, "unexpected argument \"%s\": a resumed guest keeps its "
                        "recorded arguments", o.args[0]);
        fputs("Run 'b8g help resume' for usage.\n", stderr);
    }
    if (code < 0) {
        b8g_error err;
        b8g_image *img = NULL;
        if (b8g_image_open(o.program, 0, &img, &err)) code = cli_report(&err);
        else code = resume_image(&o, img);
        if (img) b8g_image_free(img);
    }
    cli_free_run_opts(&o);
    return code;
}
