/*
 * run.h - what the commands that run a guest (`b8g run`, `b8g snapshot`,
 * `b8g resume`, `b8g js`) parsed from their command line, and the pieces
 * they share: options.c (the options), sandbox.c (what the guest is
 * granted), session.c (store, WASI context, confinement, timeout, the end
 * of a call), output.c (writing an image atomically from a confined
 * process), invoke.c (calling into the instance).
 */
#ifndef B8G_CLI_RUN_H
#define B8G_CLI_RUN_H

#include "cli/cli.h"

/* Which commands take an option (RunOption.cmds). */
enum {
    CLI_CMD_RUN = 1u,
    CLI_CMD_SNAPSHOT = 2u,
    CLI_CMD_RESUME = 4u,
    CLI_CMD_DEBUG = 8u,
    CLI_CMD_JS = 16u, /* b8g run's options but --invoke */
};

typedef struct RunOpts {
    unsigned cmd;         /* CLI_CMD_* being parsed */
    const char *invoke;   /* export to call, or NULL for _start */
    uint64_t fuel;        /* 0: unlimited */
    uint64_t max_stack;   /* bytes; 0: engine default */
    uint64_t max_memory;  /* bytes; 0: engine default */
    uint64_t timeout_ms;  /* 0: none */
    b8g_wasi_dir *dirs;   /* --dir, in order (strings owned) */
    uint32_t ndirs;
    const char **env;     /* --env NAME=VALUE, in order */
    uint32_t nenv;
    bool env_inherit;     /* --env-inherit */
    const char *stdin_path; /* --stdin FILE, or NULL: the host's stdin */
    bool no_confine;      /* --no-confine: skip process confinement */
    const char *suspend_to; /* --suspend-to STATE: capture a suspended call */
    bool trace;           /* --trace[=FILE]: a JSON line per host call */
    const char *trace_file; /* --trace=FILE: where (NULL: stderr) */
    bool trace_summary;   /* --trace=summary: a table per function at exit */
    const char *profile_file; /* --profile FILE: folded stacks of fuel units */
    const char *profile_wall_file; /* --profile-wall FILE: of wall time */
    uint32_t profile_period; /* --profile-period: units per sample; 0:
                                the default, UINT32_MAX: wall time only */
    const char *init;     /* snapshot: --init FUNC */
    const char *output;   /* snapshot: -o IMAGE */
    bool code;            /* snapshot: --code, with the translated code */
    bool trust_image;     /* js: the image is b8g's own (js.c) */
    const char *batch;    /* debug: --batch FILE, commands from a file */
    const char *program;  /* path, or "-" for standard input */
    char **args;          /* the guest's arguments */
    uint32_t nargs;
    /* resume: the guest's whole argv and environment as an image recorded
     * them, instead of the program name, ARGS and --env (NULL: unused). */
    const char *const *recorded_argv;
    uint32_t recorded_argc;
    const char *const *recorded_env;
    uint32_t recorded_envc;
} RunOpts;

/* options.c */
/* Allocates o's arrays with room for argc options and parses argv for
 * command `cmd`: options, PROGRAM, then ARGS.  With `interleaved`, options
 * may also follow PROGRAM, up to "--" or the first other argument (b8g
 * snapshot, b8g resume); else everything after PROGRAM is the guest's.
 * Returns -1 to go on, or the exit status to stop with (--help: 0). */
int cli_parse_run_args(int argc, char **argv, RunOpts *o, unsigned cmd,
                       bool interleaved, void (*usage)(FILE *));
/* Frees what cli_parse_run_args allocated. */
void cli_free_run_opts(RunOpts *o);
/* How many argv entries the option `arg` takes for command `cmd`: 2 when
 * its value is the next argument (--dir X), 1 when it has none or it
 * follows "=" (--dir=X, --trace), 0 if arg is no option of cmd. */
int cli_run_option_args(const char *arg, unsigned cmd);

/* run.c: runs o->program with o->args as `b8g run` does (a module or an
 * image); the exit status. */
int cli_run_opts(const RunOpts *o);

/* The WASI configuration of one run and what it holds open. */
typedef struct CliSandbox {
    b8g_wasi_config cfg;
    const char **argv;
    const char **env;
    int stdin_fd;         /* --stdin's descriptor, or -1 */
} CliSandbox;

/* invoke.c */
/* Calls o->invoke with o->args and prints its results on stdout. */
b8g_status cli_invoke(b8g_instance *inst, const b8g_module *m,
                      const RunOpts *o, b8g_error *err);
/* Calls the exported _start, if the module has one. */
b8g_status cli_start(b8g_instance *inst, const b8g_module *m, b8g_error *err);
/* Calls the exported function `name`, which must take no parameters,
 * ignoring its results (b8g snapshot --init). */
b8g_status cli_call_init(b8g_instance *inst, const b8g_module *m,
                         const char *name, b8g_error *err);
/* Prints results on stdout, one per line, as --invoke does. */
b8g_status cli_print_results(const b8g_val *res, uint32_t n, b8g_error *err);

/* sandbox.c */
/* Parses a --dir value, HOST[::GUEST][:ro]; false if a path is empty. */
bool cli_parse_dir(const char *spec, b8g_wasi_dir *out);
b8g_status cli_sandbox_open(const RunOpts *o, CliSandbox *sb, b8g_error *err);
void cli_sandbox_close(CliSandbox *sb);

/* output.c: an image file written atomically by a process that is
 * confined meanwhile.  The temporary file (O_CREAT|O_EXCL, 0644, beside
 * the target) and the target's directory are opened before confinement;
 * afterwards the image goes into the open file, which is renamed over the
 * target (renameat within that directory) and the directory synced. */
typedef struct CliOutput {
    const char *path;     /* the target as given; NULL: no output */
    int dirfd;            /* its directory, or -1 */
    int fd;               /* the temporary file, or -1 */
    char *name;           /* the target's name within dirfd */
    char *tmp;            /* the temporary file's name within dirfd */
} CliOutput;

/* Creates the temporary file for path (B8G_IO with the OS error). */
b8g_status cli_output_prepare(CliOutput *out, const char *path, b8g_error *err);
/* Writes img and renames it into place; on failure nothing is left. */
b8g_status cli_output_commit(CliOutput *out, const b8g_image *img, b8g_error *err);
/* Removes the temporary file, if any, and closes everything. */
void cli_output_discard(CliOutput *out);

/* trace.c: --trace.  The sink (stderr, or a file opened before
 * confinement) gets one JSON line per host call of the store it is
 * attached to, through a buffered FILE; --trace=summary adds up calls,
 * failures and time per function.  Closing flushes the lines and prints
 * the summary on stderr. */
typedef struct CliTrace CliTrace;
/* Opens what o asks for (*out NULL if nothing), before confinement: -1
 * to go on, or the exit status of a failure (the file cannot be made). */
int cli_trace_open(const RunOpts *o, CliTrace **out);
void cli_trace_attach(CliTrace *t, b8g_store *s);
void cli_trace_close(CliTrace *t);

/* profile.c: --profile, --profile-wall.  The files are opened before
 * confinement; the profile starts after it (its sampling thread must be
 * confined too) and is written out, with a table of the top functions on
 * stderr, once the store is gone. */
typedef struct CliProfile CliProfile;
/* *out NULL if nothing was asked for; -1 to go on, or an exit status. */
int cli_profile_open(const RunOpts *o, CliProfile **out);
int cli_profile_start(CliProfile *p, b8g_store *s);
/* The module the profiled run runs, for the summary's line on its code. */
void cli_profile_module(CliProfile *p, const b8g_module *m);
void cli_profile_close(CliProfile *p);

/* session.c: one guest's run, from the store to the exit status. */
typedef struct CliSession {
    const RunOpts *o;
    CliSandbox sb;
    b8g_store *store;
    b8g_wasi *wasi;
    CliTimer *timer;
    CliOutput out;        /* the image this run may write */
    CliTrace *trace;      /* --trace, or NULL */
    CliProfile *profile;  /* --profile, or NULL */
} CliSession;

/*
 * Opens the sandbox, the store and the WASI context, creates the output
 * file `out_path` (NULL: none), arms SIGUSR1 when o->suspend_to is set,
 * confines the process (unless --no-confine: to the preopens and, create
 * only, the output's directory) and starts the --timeout watchdog.
 * Returns -1 to go on, or the exit status to stop with (after
 * cli_session_close).
 */
int cli_session_open(CliSession *ss, const RunOpts *o, const char *out_path);
/*
 * Ends the call into inst that returned st: with --suspend-to, a
 * suspended call is captured into the output and reported as
 * "suspended" (status 9); anything else is reported as `b8g run` always
 * did (a suspended call aborted and read as a limit, the guest's
 * proc_exit status, a trap) and the output is discarded.  The exit status.
 */
int cli_session_finish(CliSession *ss, b8g_instance *inst, b8g_status st,
                       b8g_error *err);
/* Captures inst into the output file (b8g snapshot); 0 or the exit
 * status of the failure. */
int cli_session_capture(CliSession *ss, b8g_instance *inst);
void cli_session_close(CliSession *ss);

/* signal.c: SIGUSR1 asks the running guest to stop at its next safe point
 * (installed only with --suspend-to). */
void cli_signal_arm(void);
/* The store a SIGUSR1 interrupts (NULL: none). */
void cli_signal_target(b8g_store *s);
/* True if a SIGUSR1 arrived since cli_signal_arm. */
bool cli_signal_seen(void);

#endif
