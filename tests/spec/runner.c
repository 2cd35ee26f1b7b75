/*
 * runner.c - spec-runner: runs wast2json scripts against b8g.
 *
 *   spec-runner [-v] [--strict-messages] [--skip-list FILE] [--timeout SEC]
 *               [--no-fork] DIR|FILE.json...
 *
 * A DIR is either one converted script (DIR/NAME/NAME.json) or a folder of
 * them (what tests/spec/convert.sh writes).  Each script runs in a forked
 * child under an alarm, so a crash or hang becomes that script's failure
 * instead of ending the suite.  stdout gets one line per script and, last,
 *   spec: P passed, F failed, S skipped
 * The exit status is non-zero if anything failed or a script was missing.
 */
#define _GNU_SOURCE /* sigabbrev_np */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

#define SPEC_DEFAULT_SKIP "tests/spec/skip.txt"
#define SPEC_DEFAULT_TIMEOUT 60

typedef struct SpecFile {
    char *path; /* .../NAME.json */
    char *name; /* NAME */
} SpecFile;

typedef struct SpecRun {
    SpecOptions opt;
    bool no_fork;
    SpecSkipList *skip;
    SpecFile *files;
    size_t nfiles;
    unsigned long passed, failed, skipped;
    bool missing; /* an argument named no script */
} SpecRun;

/* ---- collecting scripts -------------------------------------------------- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void add_file(SpecRun *r, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base) - (ends_with(base, ".json") ? 5 : 0);
    SpecFile *f = realloc(r->files, (r->nfiles + 1) * sizeof *f);
    if (!f || !(f[r->nfiles].path = strdup(path)) ||
        !(f[r->nfiles].name = strndup(base, n))) {
        fprintf(stderr, "spec-runner: out of memory\n");
        exit(2);
    }
    r->files = f;
    r->nfiles++;
}

/* DIR/ENTRY/ENTRY.json (convert.sh's layout) or DIR/ENTRY.json. */
static size_t add_entry(SpecRun *r, const char *dir, const char *entry)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s.json", dir, entry, entry);
    if (is_file(path)) {
        add_file(r, path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, entry);
    if (ends_with(entry, ".json") && is_file(path)) {
        add_file(r, path);
        return 1;
    }
    return 0;
}

static size_t add_dir(SpecRun *r, const char *dir)
{
    char path[4096];
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    snprintf(path, sizeof path, "%s/%s.json", dir, base);
    if (is_file(path)) { /* one converted script */
        add_file(r, path);
        return 1;
    }
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n += add_entry(r, dir, e->d_name);
    if (d)
        closedir(d);
    return n;
}

static void add_arg(SpecRun *r, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0) {
        fprintf(stderr, "spec-runner: %s: %s\n", arg, strerror(errno));
        r->missing = true;
    } else if (S_ISDIR(st.st_mode)) {
        if (add_dir(r, arg) == 0) {
            fprintf(stderr, "spec-runner: %s: no converted scripts in it\n", arg);
            r->missing = true;
        }
    } else {
        add_file(r, arg);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const SpecFile *)a)->name, ((const SpecFile *)b)->name);
}

/* ---- running one script -------------------------------------------------- */

static void print_counts(SpecRun *r, const char *name, const SpecTally *t)
{
    printf("%s: %u passed, %u failed, %u skipped\n", name, t->passed, t->failed,
           t->skipped);
    r->passed += t->passed;
    r->failed += t->failed;
    r->skipped += t->skipped;
}

static void run_skipped(SpecRun *r, const SpecFile *f, const char *reason)
{
    long n = spec_count_commands(f->path);
    if (n < 0) {
        printf("%s: 0 passed, 1 failed, 0 skipped\n", f->name);
        r->failed++;
        return;
    }
    printf("%s: skipped (%s)\n", f->name, reason);
    r->skipped += (unsigned long)n;
}

static bool read_tally(int fd, SpecTally *t)
{
    size_t got = 0;
    while (got < sizeof *t) {
        ssize_t k = read(fd, (char *)t + got, sizeof *t - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    return true;
}

static const char *signal_name(int sig, char *buf, size_t n)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, n, "SIG%s", abbrev);
    else
        snprintf(buf, n, "signal %d", sig);
    return buf;
}

/* A child that did not finish: everything it did not run counts failed,
 * so a crash can never make the totals look better. */
static void child_died(SpecRun *r, const SpecFile *f, SpecTally *t, bool got,
                       int status)
{
    char what[128], sig[32];
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        snprintf(what, sizeof what, "timed out after %u s", r->opt.timeout_s);
    else if (WIFSIGNALED(status))
        snprintf(what, sizeof what, "crashed with %s",
                 signal_name(WTERMSIG(status), sig, sizeof sig));
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        snprintf(what, sizeof what, "exited with status %d (crash under a sanitizer?)",
                 WEXITSTATUS(status));
    else
        snprintf(what, sizeof what, "stopped before the end of the script");
    if (got && !t->done && t->line)
        fprintf(stderr, "%s.wast:%u: %s\n", f->name, t->line, what);
    else
        fprintf(stderr, "%s: %s\n", f->name, what);
    uint32_t ran = t->passed + t->failed + t->skipped;
    t->failed += (got && !t->done && t->total > ran) ? t->total - ran : 1;
}

static void run_forked(SpecRun *r, const SpecFile *f)
{
    int fds[2];
    SpecTally t = {0}, cur;
    bool got = false;
    int status = 0;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = pipe(fds) == 0 ? fork() : -1;
    if (pid < 0) {
        perror("spec-runner: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        alarm(r->opt.timeout_s);
        int rc = spec_run_script(f->path, &r->opt, fds[1], &t);
        fflush(stdout);
        exit(rc);
    }
    close(fds[1]);
    while (read_tally(fds[0], &cur)) {
        t = cur;
        got = true;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!clean || !got || !t.done)
        child_died(r, f, &t, got, status);
    print_counts(r, f->name, &t);
}

static void run_file(SpecRun *r, const SpecFile *f)
{
    const char *reason = spec_skip_reason(r->skip, f->name);
    SpecTally t;
    if (reason) {
        run_skipped(r, f, reason);
    } else if (r->no_fork) {
        uint32_t ran;
        if (spec_run_script(f->path, &r->opt, -1, &t) != 0 || !t.done) {
            ran = t.passed + t.failed + t.skipped;
            t.failed += t.total > ran ? t.total - ran : 1;
        }
        print_counts(r, f->name, &t);
    } else {
        run_forked(r, f);
    }
}

/* ---- main ---------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: spec-runner [-v] [--strict-messages] "
                    "[--skip-list FILE] [--timeout SEC] [--no-fork] "
                    "DIR|FILE.json...\n");
    exit(2);
}

static void load_skip(SpecRun *r, const char *path, bool required)
{
    char why[256];
    if (!required && !is_file(path)) {
        fprintf(stderr, "spec-runner: note: no %s here, nothing is skipped\n",
                path);
        return;
    }
    r->skip = spec_skip_load(path, why, sizeof why);
    if (!r->skip) {
        fprintf(stderr, "spec-runner: %s\n", why);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    SpecRun r = {.opt = {.timeout_s = SPEC_DEFAULT_TIMEOUT}};
    const char *skip = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-v") == 0)
            r.opt.verbose = true;
        else if (strcmp(argv[i], "--strict-messages") == 0)
            r.opt.strict_messages = true;
        else if (strcmp(argv[i], "--debug-stops") == 0)
            r.opt.debug_stops = true;
        else if (strcmp(argv[i], "--no-fork") == 0)
            r.no_fork = true;
        else if (strcmp(argv[i], "--skip-list") == 0 && i + 1 < argc)
            skip = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            r.opt.timeout_s = (unsigned)strtoul(argv[++i], NULL, 10);
        else
            usage();
    }
    if (i == argc)
        usage();
    load_skip(&r, skip ? skip : SPEC_DEFAULT_SKIP, skip != NULL);
    for (; i < argc; i++)
        add_arg(&r, argv[i]);
    qsort(r.files, r.nfiles, sizeof *r.files, by_name);
    for (size_t k = 0; k < r.nfiles; k++)
        run_file(&r, &r.files[k]);
    fflush(stderr);
    printf("spec: %lu passed, %lu failed, %lu skipped\n", r.passed, r.failed,
           r.skipped);
    for (size_t k = 0; k < r.nfiles; k++) {
        free(r.files[k].path);
        free(r.files[k].name);
    }
    free(r.files);
    spec_skip_free(r.skip);
    return r.failed || r.missing ? 1 : 0;
}
