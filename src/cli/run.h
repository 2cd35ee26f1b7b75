/*
 * run.h - what `b8g run` parsed from its command line, shared by run.c
 * (options, store, limits) and invoke.c (calling into the instance).
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
    const char *program;  /* path, or "-" for standard input */
    char **args;          /* the guest's arguments */
    uint32_t nargs;
} RunOpts;

/* Calls o->invoke with o->args and prints its results on stdout. */
b8g_status cli_invoke(b8g_instance *inst, const b8g_module *m,
                      const RunOpts *o, b8g_error *err);
/* Calls the exported _start, if the module has one. */
b8g_status cli_start(b8g_instance *inst, const b8g_module *m, b8g_error *err);

#endif
