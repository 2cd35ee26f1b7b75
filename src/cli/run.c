/*
 * run.c - `b8g run [OPTIONS] PROGRAM.wasm [ARGS...]`.
 *
 * Loads the module, creates a store with the requested limits, instantiates
 * (which runs any start function) and then calls either --invoke NAME with
 * ARGS or the exported _start.  The --timeout watchdog covers instantiation
 * too, since a start function can loop as well as any export.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

#define WASM_PAGE ((uint64_t)65536)
#define MAX_PAGES ((uint64_t)65536)

typedef struct RunOption {
    const char *name;
    const char *expect; /* describes a valid value, for the error */
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

static const RunOption run_options[] = {
    {"invoke", "an export name", set_invoke},
    {"fuel", "a positive integer", set_fuel},
    {"max-stack", "a size of at least 64K, such as 512K or 8M", set_max_stack},
    {"max-memory", "a size of at least 64K, such as 16M", set_max_memory},
    {"timeout", "a positive duration such as 250ms, 2s or 1m", set_timeout},
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

/*
 * A WASI program is the common case of a failed link; say why it failed
 * rather than leave the user to guess.  The import's offset says nothing
 * useful then, so it is dropped.
 */
static void explain_wasi(b8g_error *e)
{
    if (e->code != B8G_LINK || !strstr(e->msg, "\"wasi_snapshot_preview1\"")) return;
    size_t n = strlen(e->msg);
    snprintf(e->msg + n, sizeof e->msg - n, ": WASI is not available yet");
    e->offset = B8G_NO_OFFSET;
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

static int run_module(const RunOpts *o, const b8g_module *m)
{
    b8g_store *s = new_store(o);
    if (!s) return cli_fail(B8G_NOMEM, "cannot create a store");
    CliTimer *timer = NULL;
    if (o->timeout_ms) {
        timer = cli_timer_start(s, o->timeout_ms);
        if (!timer) {
            b8g_store_free(s);
            return cli_fail(B8G_NOMEM, "cannot start the timeout thread");
        }
    }
    b8g_error err;
    b8g_instance *inst = NULL;
    b8g_status st = b8g_instantiate(s, m, &inst, &err);
    if (st == B8G_LINK) explain_wasi(&err);
    if (st == B8G_OK)
        st = o->invoke ? cli_invoke(inst, m, o, &err) : cli_start(inst, m, &err);
    bool timed_out = cli_timer_stop(timer);
    if (b8g_suspended(s)) b8g_abort(s);
    int code = st ? report_failure(&err, timed_out) : 0;
    b8g_store_free(s);
    return code;
}

int cli_run(int argc, char **argv)
{
    RunOpts o;
    memset(&o, 0, sizeof o);
    int code = parse_run_args(argc, argv, &o);
    if (code >= 0) return code;
    b8g_error err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (cli_read_file(o.program, &bytes, &len, &err)) return cli_report(&err);
    b8g_module *m = NULL;
    b8g_status st = b8g_module_load(bytes, len, &m, &err);
    free(bytes);
    if (st) return cli_report(&err);
    code = run_module(&o, m);
    b8g_module_free(m);
    return code;
}
