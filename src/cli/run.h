/*
 * run.h - what `b8g run` parsed from its command line, shared by run.c
 * (options, store, limits), sandbox.c (what the guest is granted) and
 * invoke.c (calling into the instance).
 */
#ifndef B8G_CLI_RUN_H
#define B8G_CLI_RUN_H

#include "cli/cli.h"

typedef struct RunOpts {
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
    const char *program;  /* path, or "-" for standard input */
    char **args;          /* the guest's arguments */
    uint32_t nargs;
} RunOpts;

/* The WASI configuration of one run and what it holds open. */
typedef struct CliSandbox {
    b8g_wasi_config cfg;
    const char **argv;
    const char **env;
    int stdin_fd;         /* --stdin's descriptor, or -1 */
} CliSandbox;

/* Calls o->invoke with o->args and prints its results on stdout. */
b8g_status cli_invoke(b8g_instance *inst, const b8g_module *m,
                      const RunOpts *o, b8g_error *err);
/* Calls the exported _start, if the module has one. */
b8g_status cli_start(b8g_instance *inst, const b8g_module *m, b8g_error *err);

/* sandbox.c */
/* Parses a --dir value, HOST[::GUEST][:ro]; false if a path is empty. */
bool cli_parse_dir(const char *spec, b8g_wasi_dir *out);
b8g_status cli_sandbox_open(const RunOpts *o, CliSandbox *sb, b8g_error *err);
void cli_sandbox_close(CliSandbox *sb);

#endif
