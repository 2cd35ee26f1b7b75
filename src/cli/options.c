/*
 * options.c - the options of the commands that run a guest: `b8g run`,
 * `b8g snapshot`, `b8g resume`, `b8g debug` and `b8g js` share one table,
 * each option listing the commands that take it, so a limit or a grant
 * means the same everywhere.
 *
 * Options take their value as the next argument or after "="
 * (--fuel=1000); one whose value is optional (--trace) takes it only
 * after "=", so that what follows it is never mistaken for its value.
 * `b8g run` stops at the program: everything after it is the guest's,
 * even "--dir".  snapshot and resume also read options after their file
 * (their usage puts them there), up to "--" or the first other argument.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"

#define WASM_PAGE ((uint64_t)65536)

#define RUNNING (CLI_CMD_RUN | CLI_CMD_SNAPSHOT | CLI_CMD_RESUME | CLI_CMD_JS)
/* What b8g debug takes too: the grants and limits of b8g run. */
#define GRANTS (RUNNING | CLI_CMD_DEBUG)

typedef struct RunOption {
    const char *name;
    char short_name;    /* "-x VALUE", or 0 */
    unsigned cmds;      /* CLI_CMD_* taking it, and OPT_VALUE_OPTIONAL */
    const char *expect; /* describes a valid value, for the error; NULL:
                           the option takes no value */
    bool (*set)(RunOpts *o, const char *v);
} RunOption;

/* In RunOption.cmds beside the commands: the value may be left out (set
 * then gets NULL). */
#define OPT_VALUE_OPTIONAL 0x100u

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

/* The arrays have room for every argument (cli_parse_run_args), so these
 * never grow. */
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

static bool set_suspend_to(RunOpts *o, const char *v)
{
    o->suspend_to = v;
    return v[0] != 0;
}

/* --trace: lines on stderr; --trace=FILE: lines in FILE; --trace=summary:
 * the table at exit.  Lines and the summary can both be asked for. */
static bool set_trace(RunOpts *o, const char *v)
{
    if (v && strcmp(v, "summary") == 0) {
        o->trace_summary = true;
        return true;
    }
    o->trace = true;
    o->trace_file = v;
    return !v || v[0] != 0;
}

static bool set_profile(RunOpts *o, const char *v)
{
    o->profile_file = v;
    return v[0] != 0;
}

static bool set_profile_wall(RunOpts *o, const char *v)
{
    o->profile_wall_file = v;
    return v[0] != 0;
}

/* 0: wall time only; the default (61) when not given. */
static bool set_profile_period(RunOpts *o, const char *v)
{
    uint64_t n;
    if (!cli_parse_u64(v, &n) || n >= UINT32_MAX) return false;
    o->profile_period = n ? (uint32_t)n : UINT32_MAX;
    return true;
}

static bool set_init(RunOpts *o, const char *v)
{
    o->init = v;
    return v[0] != 0;
}

static bool set_output(RunOpts *o, const char *v)
{
    o->output = v;
    return v[0] != 0;
}

static bool set_code(RunOpts *o, const char *v)
{
    (void)v;
    o->code = true;
    return true;
}

static bool set_batch(RunOpts *o, const char *v)
{
    o->batch = v;
    return v[0] != 0;
}

static const RunOption run_options[] = {
    {"invoke", 0, CLI_CMD_RUN | CLI_CMD_DEBUG, "an export name", set_invoke},
    {"dir", 0, GRANTS, "HOST[::GUEST][:ro] with non-empty paths", set_dir},
    {"env", 0, CLI_CMD_RUN | CLI_CMD_SNAPSHOT | CLI_CMD_DEBUG | CLI_CMD_JS,
     "NAME=VALUE with a non-empty NAME", set_env},
    {"env-inherit", 0, CLI_CMD_RUN | CLI_CMD_SNAPSHOT | CLI_CMD_DEBUG | CLI_CMD_JS, NULL,
     set_env_inherit},
    {"stdin", 0, GRANTS, "a file name", set_stdin},
    {"fuel", 0, GRANTS, "a positive integer", set_fuel},
    {"max-stack", 0, GRANTS, "a size of at least 64K, such as 512K or 8M", set_max_stack},
    {"max-memory", 0, GRANTS, "a size of at least 64K, such as 16M", set_max_memory},
    {"timeout", 0, RUNNING, "a positive duration such as 250ms, 2s or 1m", set_timeout},
    {"no-confine", 0, GRANTS, NULL, set_no_confine},
    {"batch", 0, CLI_CMD_DEBUG, "a file of debugger commands", set_batch},
    {"suspend-to", 0, CLI_CMD_RUN | CLI_CMD_RESUME | CLI_CMD_JS, "a file name", set_suspend_to},
    {"trace", 0, GRANTS | OPT_VALUE_OPTIONAL, "a file name or \"summary\" after =",
     set_trace},
    {"profile", 0, RUNNING, "a file name", set_profile},
    {"profile-wall", 0, RUNNING, "a file name", set_profile_wall},
    {"profile-period", 0, RUNNING, "a number of fuel units below 2^32 (0: wall time only)",
     set_profile_period},
    {"init", 0, CLI_CMD_SNAPSHOT, "an export name", set_init},
    {"output", 'o', CLI_CMD_SNAPSHOT, "a file name", set_output},
    {"code", 0, CLI_CMD_SNAPSHOT, NULL, set_code},
};

static const char *command_name(unsigned cmd)
{
    return cmd == CLI_CMD_SNAPSHOT ? "snapshot" : cmd == CLI_CMD_RESUME ? "resume"
         : cmd == CLI_CMD_DEBUG    ? "debug"
         : cmd == CLI_CMD_JS       ? "js"
                                   : "run";
}

static int unknown_option(const char *arg, unsigned cmd)
{
    int code = cli_fail(B8G_ARG, "unknown option \"%s\"", arg);
    fprintf(stderr, "Run 'b8g help %s' for usage.\n", command_name(cmd));
    return code;
}

/* The option argv[*i] names ("--name", "--name=value" or "-x"), or NULL;
 * *value is what followed "=". */
static const RunOption *find_option(const char *arg, unsigned cmd, const char **value)
{
    *value = NULL;
    if (arg[1] != '-') {
        for (size_t k = 0; k < B8G_ARRAY_LEN(run_options); k++)
            if (run_options[k].short_name && arg[1] == run_options[k].short_name &&
                !arg[2] && (run_options[k].cmds & cmd))
                return &run_options[k];
        return NULL;
    }
    arg += 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t k = 0; k < B8G_ARRAY_LEN(run_options); k++) {
        const RunOption *opt = &run_options[k];
        if (!(opt->cmds & cmd) || strlen(opt->name) != len || strncmp(opt->name, arg, len) != 0)
            continue;
        *value = eq ? eq + 1 : NULL;
        return opt;
    }
    return NULL;
}

int cli_run_option_args(const char *arg, unsigned cmd)
{
    const char *v;
    const RunOption *opt = arg[0] == '-' ? find_option(arg, cmd, &v) : NULL;
    if (!opt) return 0;
    return opt->expect && !v && !(opt->cmds & OPT_VALUE_OPTIONAL) ? 2 : 1;
}

/* argv[*i] is an option; consumes its value.  -1 or the exit status. */
static int parse_option(int argc, char **argv, int *i, RunOpts *o, unsigned cmd)
{
    const char *v;
    const RunOption *opt = find_option(argv[*i], cmd, &v);
    if (!opt && argv[*i][1] != '-') return cli_fail(B8G_ARG, "unknown option \"%s\"", argv[*i]);
    if (!opt) return unknown_option(argv[*i], cmd);
    if (!opt->expect) {
        if (v) return cli_fail(B8G_ARG, "option --%s takes no value", opt->name);
        opt->set(o, NULL);
        return -1;
    }
    if (!v && (opt->cmds & OPT_VALUE_OPTIONAL)) {
        opt->set(o, NULL);
        return -1;
    }
    if (!v) {
        if (*i + 1 >= argc)
            return cli_fail(B8G_ARG, "option --%s needs %s", opt->name, opt->expect);
        v = argv[++*i];
    }
    if (!opt->set(o, v))
        return cli_fail(B8G_ARG, "invalid value \"%s\" for --%s: expected %s", v, opt->name,
                        opt->expect);
    return -1;
}

/* Options from argv[*i] on, up to the first argument that is not one
 * ("--" is consumed).  -1, or the exit status to stop with. */
static int parse_options(int argc, char **argv, int *i, RunOpts *o, unsigned cmd,
                         void (*usage)(FILE *))
{
    for (; *i < argc; ++*i) {
        const char *a = argv[*i];
        if (strcmp(a, "--") == 0) {
            ++*i;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) break;
        int code = parse_option(argc, argv, i, o, cmd);
        if (code >= 0) return code;
    }
    return -1;
}

int cli_parse_run_args(int argc, char **argv, RunOpts *o, unsigned cmd,
                       bool interleaved, void (*usage)(FILE *))
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    /* Room for every argument being a --dir or an --env. */
    o->dirs = cli_calloc((size_t)argc + 1, sizeof *o->dirs);
    o->env = cli_calloc((size_t)argc + 1, sizeof *o->env);
    int i = 0;
    int code = parse_options(argc, argv, &i, o, cmd, usage);
    if (code >= 0) return code;
    if (i >= argc) {
        code = cli_fail(B8G_ARG, "no %s given", cmd == CLI_CMD_RESUME ? "state file" : "program");
        usage(stderr);
        return code;
    }
    o->program = argv[i++];
    if (interleaved) {
        code = parse_options(argc, argv, &i, o, cmd, usage);
        if (code >= 0) return code;
    }
    o->args = argv + i;
    o->nargs = (uint32_t)(argc - i);
    return -1;
}

void cli_free_run_opts(RunOpts *o)
{
    for (uint32_t i = 0; o->dirs && i < o->ndirs; i++) {
        free((char *)o->dirs[i].host_path);
        free((char *)o->dirs[i].guest_path);
    }
    free(o->dirs);
    free(o->env);
    o->dirs = NULL;
    o->env = NULL;
}
