/*
 * trace.c - `--trace[=FILE]` and `--trace=summary` (docs/trace.md): the
 * store's tracer writes one JSON line per host call (b8g_trace_json) and
 * adds each call to a table per function, printed at exit in the manner
 * of `strace -c`.
 *
 * The file is opened, and its FILE given a buffer, before the process is
 * confined: afterwards no file can be opened by name, and a FILE that
 * allocated its buffer lazily would first ask the kernel for the file's
 * block size.  Lines go out through that buffer (a file) or at each
 * newline (stderr, so that they keep their place among what the guest
 * itself writes there); closing flushes them.  Every way a run ends -
 * a return, proc_exit, a trap, a limit, SIGUSR1's suspension - comes
 * back through cli_session_close, which closes the trace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"
#include "util/sort.h"

#define SINK_BUFFER ((size_t)64 << 10)
#define LINE_START 8192

typedef struct TraceSum {
    char *label;            /* "module.name" */
    uint64_t calls, errors, ns;
} TraceSum;

struct CliTrace {
    FILE *lines;            /* NULL: no lines */
    const char *path;       /* the file, for an error; NULL: stderr */
    char *sink_buf;         /* lines' buffer */
    char *line;
    size_t line_cap;
    bool summary;
    pthread_mutex_t lock;   /* b8g compose: a store per component thread */
    TraceSum *sums;
    uint32_t nsums, cap_sums;
};

/* A FILE on fd (ours) with a buffer of our own, so it never needs to ask
 * the kernel anything but write(2) once confined. */
static FILE *sink_open(CliTrace *t, int fd, int mode)
{
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        return NULL;
    }
    t->sink_buf = cli_calloc(SINK_BUFFER, 1);
    setvbuf(f, t->sink_buf, mode, SINK_BUFFER);
    return f;
}

int cli_trace_open(const RunOpts *o, CliTrace **out)
{
    *out = NULL;
    if (!o->trace && !o->trace_summary) return -1;
    CliTrace *t = cli_calloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->summary = o->trace_summary;
    if (o->trace) {
        t->path = o->trace_file;
        int fd = t->path ? open(t->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
                         : fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        t->lines = sink_open(t, fd, t->path ? _IOFBF : _IOLBF);
        if (!t->lines) {
            int e = errno;
            cli_trace_close(t);
            return cli_fail(B8G_IO, "cannot open the trace %s: %s",
                            o->trace_file ? o->trace_file : "on stderr", strerror(e));
        }
        t->line_cap = LINE_START;
        t->line = cli_calloc(t->line_cap, 1);
    }
    *out = t;
    return -1;
}

static void write_line(CliTrace *t, const b8g_trace_call *c)
{
    size_t n = b8g_trace_json(c, t->line, t->line_cap);
    if (n >= t->line_cap) {
        /* A long function name of the embedder's: rare, so grow to fit. */
        free(t->line);
        t->line_cap = n + 1;
        t->line = cli_calloc(t->line_cap, 1);
        b8g_trace_json(c, t->line, t->line_cap);
    }
    t->line[n] = '\n';
    fwrite(t->line, 1, n + 1, t->lines);
}

static TraceSum *find_sum(CliTrace *t, const b8g_trace_call *c)
{
    size_t lm = strlen(c->module), ln = strlen(c->name);
    for (uint32_t i = 0; i < t->nsums; i++) {
        const char *l = t->sums[i].label;
        if (lm ? strncmp(l, c->module, lm) == 0 && l[lm] == '.' && strcmp(l + lm + 1, c->name) == 0
               : strcmp(l, c->name) == 0)
            return &t->sums[i];
    }
    if (t->nsums == t->cap_sums) {
        t->cap_sums = t->cap_sums ? 2 * t->cap_sums : 32;
        TraceSum *s = realloc(t->sums, t->cap_sums * sizeof *s);
        if (!s) return NULL; /* the summary misses calls, the run goes on */
        t->sums = s;
    }
    TraceSum *s = &t->sums[t->nsums++];
    *s = (TraceSum){cli_calloc(lm + ln + 2, 1), 0, 0, 0};
    if (lm) {
        memcpy(s->label, c->module, lm);
        s->label[lm] = '.';
        memcpy(s->label + lm + 1, c->name, ln);
    } else {
        memcpy(s->label, c->name, ln);
    }
    return s;
}

static void on_call(void *arg, const b8g_trace_call *c)
{
    CliTrace *t = arg;
    pthread_mutex_lock(&t->lock);
    if (t->lines) write_line(t, c);
    TraceSum *s = t->summary ? find_sum(t, c) : NULL;
    if (s) {
        s->calls++;
        s->errors += c->failed;
        s->ns += c->end_ns - c->start_ns;
    }
    pthread_mutex_unlock(&t->lock);
}

void cli_trace_attach(CliTrace *t, b8g_store *s)
{
    if (t) b8g_store_set_tracer(s, on_call, t);
}

/* ---- the summary -------------------------------------------------------- */

static int by_time(const void *a, const void *b)
{
    const TraceSum *x = a, *y = b;
    if (x->ns != y->ns) return x->ns < y->ns ? 1 : -1;
    if (x->calls != y->calls) return x->calls < y->calls ? 1 : -1;
    return strcmp(x->label, y->label);
}

static const char rule[] =
    "------ ----------- ----------- --------- --------- ----------------\n";

static void print_summary(CliTrace *t)
{
    uint64_t total_ns = 0, calls = 0, errors = 0;
    for (uint32_t i = 0; i < t->nsums; i++) {
        total_ns += t->sums[i].ns;
        calls += t->sums[i].calls;
        errors += t->sums[i].errors;
    }
    if (t->nsums) util_sort(t->sums, t->nsums, sizeof *t->sums, by_time);
    fprintf(stderr, "%% time     seconds     ns/call     calls    errors function\n%s", rule);
    for (uint32_t i = 0; i < t->nsums; i++) {
        const TraceSum *s = &t->sums[i];
        fprintf(stderr, "%6.2f %11.6f %11llu %9llu %9llu ",
                total_ns ? 100.0 * (double)s->ns / (double)total_ns : 0.0, (double)s->ns / 1e9,
                (unsigned long long)(s->ns / s->calls), (unsigned long long)s->calls,
                (unsigned long long)s->errors);
        cli_put_safe(stderr, s->label);
        fputc('\n', stderr);
    }
    fprintf(stderr, "%s%6.2f %11.6f %11s %9llu %9llu total\n", rule, total_ns ? 100.0 : 0.0,
            (double)total_ns / 1e9, "", (unsigned long long)calls,
            (unsigned long long)errors);
}

void cli_trace_close(CliTrace *t)
{
    if (!t) return;
    if (t->lines) {
        /* A write that failed earlier is remembered by the FILE. */
        bool bad = ferror(t->lines) != 0;
        if (fclose(t->lines) != 0) bad = true;
        if (bad)
            cli_fail(B8G_IO, "cannot write the trace %s", t->path ? t->path : "on stderr");
    }
    if (t->summary) print_summary(t);
    for (uint32_t i = 0; i < t->nsums; i++) free(t->sums[i].label);
    free(t->sums);
    free(t->line);
    free(t->sink_buf);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
