/*
 * cli.h - the b8g command-line tool.
 *
 * main.c dispatches argv[1] to one file per subcommand (run.c,
 * snapshot.c, resume.c, inspect.c, compose.c, js.c, version.c, help.c,
 * doctor.c); the commands that run a guest share their options
 * (options.c), sandbox (sandbox.c), session (session.c: store,
 * confinement, how a call ends), image output (output.c), calls
 * (invoke.c), the timeout (timer.c), SIGUSR1 (signal.c) and host-call
 * traces (trace.c).  The CLI sees
 * the engine only through include/b8g.h, like any embedder, except
 * inspect_module.c, which reports the decoder's view of a module.  Output
 * discipline: b8g writes to stdout only --invoke results and what a
 * command is asked to print (help, inspect; the guest may write there
 * through WASI); every diagnostic goes to stderr as "b8g: "
 * followed by b8g_error_format() text, and the exit status comes from
 * b8g_status_exit_code(), so scripts can tell a malformed module (3) from
 * a trap (7) from a resource limit (8).
 */
#ifndef B8G_CLI_CLI_H
#define B8G_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"
#include "util/common.h"

/* Subcommands: argv[0] is the first argument after the command name. */
int cli_run(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_doctor(int argc, char **argv);
int cli_compose(int argc, char **argv);
int cli_snapshot(int argc, char **argv);
int cli_resume(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_debug(int argc, char **argv);
int cli_js(int argc, char **argv);
int cli_help(int argc, char **argv);
void cli_usage(FILE *f);
void cli_run_usage(FILE *f);
void cli_compose_usage(FILE *f);
void cli_snapshot_usage(FILE *f);
void cli_resume_usage(FILE *f);
void cli_inspect_usage(FILE *f);
void cli_debug_usage(FILE *f);
void cli_js_usage(FILE *f);
/* inspect_module.c: `b8g inspect` of a module's bytes (path only names
 * it); prints as text or JSON and returns the exit status. */
int cli_inspect_module(const char *path, const uint8_t *bytes, size_t len, bool json);

/* report.c: diagnostics on stderr; each returns the exit status to use. */
B8G_PRINTF(2, 3)
int cli_fail(b8g_status code, const char *fmt, ...);
/* Fills e like the engine does, for errors the CLI itself finds. */
B8G_PRINTF(3, 4)
b8g_status cli_err(b8g_error *e, b8g_status code, const char *fmt, ...);
int cli_report(const b8g_error *e);
/* Writes s with control characters escaped: names in a module are chosen
 * by whoever wrote it and must not drive the user's terminal. */
void cli_put_safe(FILE *f, const char *s);
/* One backtrace frame as a trap report shows it ("  #i func ..."),
 * preceded by the calls inlined into it. */
void cli_put_frame(FILE *f, uint32_t i, const b8g_frame_info *fr);

/* file.c: reads a whole file ("-": standard input) into *bytes (free()). */
b8g_status cli_read_file(const char *path, uint8_t **bytes, size_t *len,
                         b8g_error *e);
/* A program for b8g run: a module, or an image (by its first 8 bytes). */
typedef struct CliProgram {
    const b8g_module *module; /* what runs (the image's, if an image) */
    b8g_module *owned;        /* a loaded module, freed with the program */
    b8g_image *image;         /* an image, or NULL */
} CliProgram;
/* how: CLI_OPEN_LAZY loads a module's bodies on first call (what
 * `snapshot --code` stores); CLI_OPEN_TRUSTED opens an image with
 * B8G_IMAGE_OPEN_TRUSTED. */
#define CLI_OPEN_LAZY 1u
#define CLI_OPEN_TRUSTED 2u
b8g_status cli_open_program(const char *path, unsigned how, CliProgram *p, b8g_error *e);
void cli_close_program(CliProgram *p);

/* value.c: guest values in the spec's text notation. */
bool cli_parse_val(const char *text, b8g_valtype t, b8g_val *out);

/* units.c: option arguments. */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_size(const char *s, uint64_t *out);      /* 64K, 8M, 1G */
bool cli_parse_duration(const char *s, uint64_t *ms);   /* 250ms, 2s, 1m */

/* calloc, realloc and strdup for command-line sized requests: running
 * out of memory there ends b8g with the out-of-memory status. */
static inline void *cli_out_of_memory_unless(void *p)
{
    if (!p) {
        fputs("b8g: out of memory\n", stderr);
        exit(b8g_status_exit_code(B8G_NOMEM));
    }
    return p;
}

static inline void *cli_calloc(size_t n, size_t size)
{
    return cli_out_of_memory_unless(calloc(n ? n : 1, size ? size : 1));
}

static inline void *cli_realloc(void *p, size_t n, size_t size)
{
    return cli_out_of_memory_unless(realloc(p, (n ? n : 1) * (size ? size : 1)));
}

static inline char *cli_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cli_calloc(n, 1), s, n);
}

/* sandbox.c: fds 0-2 that were closed at start are held by /dev/null, so
 * nothing else lands on them; the guest still sees them closed. */
void cli_reserve_stdio(void);
bool cli_stdio_closed(int fd);

/* timer.c: a watchdog that interrupts a store after a deadline. */
typedef struct CliTimer CliTimer;
CliTimer *cli_timer_start(b8g_store *s, uint64_t ms);
/* Stops and frees the timer; true if the deadline had passed. */
bool cli_timer_stop(CliTimer *t);

#endif
