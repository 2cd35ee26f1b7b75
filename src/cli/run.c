/*
 * run.c - `b8g run [OPTIONS] PROGRAM.wasm [ARGS...]`.
 *
 * Loads the module, creates a store with the requested limits and a WASI
 * context granting what the options name (sandbox.c), confines the process
 * to that context (unless --no-confine), instantiates (which runs any start
 * function), gives the instance its WASI descriptors and then calls either
 * --invoke NAME with ARGS or the exported _start.  The --timeout watchdog
 * covers instantiation too, since a start function can loop as well as any
 * export.  A guest's proc_exit status becomes b8g's.
 *
 * Confinement comes after everything that opens host files (the program,
 * --stdin, the preopens) and before the guest's code first runs; the timer
 * thread starts after it, because before Landlock ABI 8 a ruleset binds
 * only the thread that enforces it and the threads that thread starts
 * later (the seccomp filter covers every thread either way).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

#define WASM_PAGE ((uint64_t)65536)
#define MAX_PAGES ((uint64_t)65536)

typedef struct RunOption {
    const char *name;
    const char *expect; /* describes a valid value, for the error; NULL:
                           the option takes no value */
    bool (*set)(RunOpts *o, const char *v);
} RunOption;

static bool set_invoke(RunOpts *o, const char *v)
{
    o->invoke = v;
    return true;
}

/* Zero means "unlimited" to the engine, so it cannot mean "no fuel". */
static bool set_fuel(RunOpts *o, const char *v)
{
    return cli_parse_u64(v, &o->fuel) && o->fuel > 0;
}

static bool set_max_stack(RunOpts *o, const char *v)
{
    return cli_parse_size(v, &o->max_stack) && o->max_stack >= B8G_MIN_STACK_BYTES &&
           o->max_stack <= SIZE_MAX;
}

static bool set_max_memory(RunOpts *o, const char *v)
{
    return cli_parse_size(v, &o->max_memory) && o->max_memory >= WASM_PAGE;
}

static bool set_timeout(RunOpts *o, const char *v)
{
    return cli_parse_duration(v, &o->timeout_ms) && o->timeout_ms > 0;
}

/* The arrays have room for every argument (cli_run), so these never grow. */
static bool set_dir(RunOpts *o, const char *v)
{
    if (!cli_parse_dir(v, &o->dirs[o->ndirs])) return false;
    o->ndirs++;
    return true;
}

static bool set_env(RunOpts *o, const char *v)
{
    if (v[0] == '=' || !strchr(v, '=')) return false;
    o->env[o->nenv++] = v;
    return true;
}

static bool set_env_inherit(RunOpts *o, const char *v)
{
    (void)v;
    o->env_inherit = true;
    return true;
}

static bool set_stdin(RunOpts *o, const char *v)
{
    o->stdin_path = v;
    return v[0] != 0;
}

static bool set_no_confine(RunOpts *o, const char *v)
{
    (void)v;
    o->no_confine = true;
    return true;
}

static const RunOption run_options[] = {
    {"invoke", "an export name", set_invoke},
    {"dir", "HOST[::GUEST][:ro] with non-empty paths", set_dir},
    {"env", "NAME=VALUE with a non-empty NAME", set_env},
    {"env-inherit", NULL, set_env_inherit},
    {"stdin", "a file name", set_stdin},
    {"fuel", "a positive integer", set_fuel},
    {"max-stack", "a size of at least 64K, such as 512K or 8M", set_max_stack},
    {"max-memory", "a size of at least 64K, such as 16M", set_max_memory},
    {"timeout", "a positive duration such as 250ms, 2s or 1m", set_timeout},
    {"no-confine", NULL, set_no_confine},
};

/* argv[*i] is "--name" or "--name=value"; consumes the value. */
static int parse_option(int argc, char **argv, int *i, RunOpts *o)
{
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t k = 0; k < B8G_ARRAY_LEN(run_options); k++) {
        const RunOption *opt = &run_options[k];
        if (strlen(opt->name) != len || strncmp(opt->name, arg, len) != 0) continue;
        const char *v = eq ? eq + 1 : NULL;
        if (!opt->expect) {
            if (v) return cli_fail(B8G_ARG, "option --%s takes no value", opt->name);
            opt->set(o, NULL);
            return -1;
        }
        if (!v) {
            if (*i + 1 >= argc)
                return cli_fail(B8G_ARG, "option --%s needs %s", opt->name, opt->expect);
            v = argv[++*i];
        }
        if (!opt->set(o, v))
            return cli_fail(B8G_ARG, "invalid value \"%s\" for --%s: expected %s",
                            v, opt->name, opt->expect);
        return -1;
    }
    int code = cli_fail(B8G_ARG, "unknown option \"%s\"", argv[*i]);
    fputs("Run 'b8g help run' for usage.\n", stderr);
    return code;
}

/* Fills o; returns -1 to go on, or the exit status to stop with. */
static int parse_run_args(int argc, char **argv, RunOpts *o)
{
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_run_usage(stdout);
            return 0;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) break;
        if (a[1] != '-') return cli_fail(B8G_ARG, "unknown option \"%s\"", a);
        int code = parse_option(argc, argv, &i, o);
        if (code >= 0) return code;
    }
    if (i >= argc) {
        int code = cli_fail(B8G_ARG, "no program given");
        cli_run_usage(stderr);
        return code;
    }
    o->program = argv[i];
    o->args = argv + i + 1;
    o->nargs = (uint32_t)(argc - i - 1);
    return -1;
}

static bool stopped_by_limit(const b8g_error *e)
{
    return e->code == B8G_SUSPENDED ||
           ((e->code == B8G_TRAP || e->code == B8G_LIMIT) &&
            (e->trap == B8G_TRAP_OUT_OF_FUEL || e->trap == B8G_TRAP_INTERRUPTED));
}

/*
 * Fuel and timeouts are limits the user set, not faults of the guest: they
 * read as "limit exceeded" and exit with its status, whatever way the engine
 * delivered them (a suspended call, or a trap from a nested call).
 */
static int report_failure(const b8g_error *err, bool timed_out)
{
    if (!stopped_by_limit(err)) return cli_report(err);
    b8g_error e = *err;
    e.code = B8G_LIMIT;
    if (timed_out && e.trap != B8G_TRAP_OUT_OF_FUEL)
        snprintf(e.msg, sizeof e.msg, "interrupted: timeout");
    else if (!e.msg[0])
        snprintf(e.msg, sizeof e.msg, "%s",
                 e.trap != B8G_TRAP_NONE ? b8g_trap_name(e.trap) : "out of fuel");
    return cli_report(&e);
}

/* The guest's proc_exit status is the process's: its low 8 bits, as a
 * native process's exit(status) would give. */
static int exit_status(const b8g_error *e)
{
    return (int)((uint32_t)e->exit_code & 0xff);
}

static b8g_store *new_store(const RunOpts *o)
{
    uint64_t pages = o->max_memory / WASM_PAGE;
    b8g_config cfg = {
        .fuel = o->fuel,
        .max_stack_bytes = (size_t)o->max_stack,
        .max_memory_pages = (uint32_t)(pages > MAX_PAGES ? MAX_PAGES : pages),
    };
    return b8g_store_new(&cfg);
}

/* Instantiates, attaches WASI and calls _start or --invoke. */
static b8g_status run_instance(const RunOpts *o, b8g_store *s, b8g_wasi *w,
                               const b8g_module *m, b8g_error *err)
{
    b8g_instance *inst = NULL;
    b8g_status st = b8g_instantiate(s, m, &inst, err);
    if (!st) st = b8g_wasi_attach(w, inst, err);
    if (!st) st = o->invoke ? cli_invoke(inst, m, o, err) : cli_start(inst, m, err);
    return st;
}

/* Shuts the process in to what w grants; the exit status to stop with, or
 * -1 to go on. */
static int confine(const RunOpts *o, const b8g_wasi *w)
{
    if (o->no_confine) return -1;
    b8g_error err;
    if (!b8g_wasi_confine(w, NULL, &err)) return -1;
    int code = cli_report(&err);
    fputs("Run with --no-confine to go on without process confinement "
          "(see 'b8g doctor').\n", stderr);
    return code;
}

static int run_module(const RunOpts *o, const b8g_module *m)
{
    b8g_error err;
    CliSandbox sb;
    if (cli_sandbox_open(o, &sb, &err)) return cli_report(&err);
    b8g_store *s = new_store(o);
    if (!s) {
        cli_sandbox_close(&sb);
        return cli_fail(B8G_NOMEM, "cannot create a store");
    }
    b8g_wasi *w = NULL;
    int code = -1;
    if (b8g_wasi_new(s, &sb.cfg, &w, &err)) code = cli_report(&err);
    if (code < 0) code = confine(o, w);
    CliTimer *timer = NULL;
    if (code < 0 && o->timeout_ms && !(timer = cli_timer_start(s, o->timeout_ms)))
        code = cli_fail(B8G_NOMEM, "cannot start the timeout thread");
    if (code < 0) {
        b8g_status st = run_instance(o, s, w, m, &err);
        bool timed_out = cli_timer_stop(timer);
        if (b8g_suspended(s)) b8g_abort(s);
        if (st == B8G_TRAP && err.trap == B8G_TRAP_EXIT) code = exit_status(&err);
        else code = st ? report_failure(&err, timed_out) : 0;
    }
    b8g_store_free(s);
    b8g_wasi_free(w);
    cli_sandbox_close(&sb);
    return code;
}

static int load_and_run(const RunOpts *o)
{
    b8g_error err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (cli_read_file(o->program, &bytes, &len, &err)) return cli_report(&err);
    b8g_module *m = NULL;
    b8g_status st = b8g_module_load(bytes, len, &m, &err);
    free(bytes);
    if (st) return cli_report(&err);
    int code = run_module(o, m);
    b8g_module_free(m);
    return code;
}

int cli_run(int argc, char **argv)
{
    RunOpts o;
    memset(&o, 0, sizeof o);
    /* Room for every argument being a --dir or an --env. */
    o.dirs = cli_calloc((size_t)argc + 1, sizeof *o.dirs);
    o.env = cli_calloc((size_t)argc + 1, sizeof *o.env);
    int code = parse_run_args(argc, argv, &o);
    if (code < 0) code = load_and_run(&o);
    for (uint32_t i = 0; i < o.ndirs; i++) {
        free((char *)o.dirs[i].host_path);
        free((char *)o.dirs[i].guest_path);
    }
    free(o.dirs);
    free(o.env);
    return code;
}
