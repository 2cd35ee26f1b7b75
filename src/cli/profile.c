/*
 * profile.c - `--profile FILE`, `--profile-wall FILE` and
 * `--profile-period N` (docs/profile.md): the store is profiled while the
 * guest runs; afterwards FILE gets folded stacks of fuel units and the
 * wall file folded stacks of microseconds, and stderr a table of the 20
 * functions with the most self cost.
 *
 * The files are opened before confinement (no file can be opened by name
 * after it) and written with write(2) alone.  The profile itself starts
 * after confinement, as the timeout's timer does: its sampling thread
 * must be one the Landlock ruleset binds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"

#define TOP 20

struct CliProfile {
    int units_fd, wall_fd;  /* -1: not asked for */
    const char *units_path, *wall_path;
    uint32_t period;
    b8g_profile *p;
    const b8g_module *module; /* what runs (cli_profile_module) */
};

static int open_out(const char *path, int *fd)
{
    *fd = -1;
    if (!path) return -1;
    *fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (*fd < 0) return cli_fail(B8G_IO, "cannot open the profile %s: %s", path, strerror(errno));
    return -1;
}

int cli_profile_open(const RunOpts *o, CliProfile **out)
{
    *out = NULL;
    if (!o->profile_file && !o->profile_wall_file) return -1;
    CliProfile *p = cli_calloc(1, sizeof *p);
    p->units_path = o->profile_file;
    p->wall_path = o->profile_wall_file;
    p->period = o->profile_period;
    int code = open_out(p->units_path, &p->units_fd);
    if (code < 0) code = open_out(p->wall_path, &p->wall_fd);
    if (code >= 0) {
        if (p->units_fd >= 0) close(p->units_fd);
        free(p);
        return code;
    }
    *out = p;
    return -1;
}

int cli_profile_start(CliProfile *p, b8g_store *s)
{
    if (!p) return -1;
    b8g_profile_config cfg = {.period = p->period};
    b8g_error err;
    if (b8g_profile_start(s, &cfg, &p->p, &err)) return cli_report(&err);
    return -1;
}

static void write_all(int fd, const char *path, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            fprintf(stderr, "b8g: cannot write the profile %s: %s\n", path,
                    w < 0 ? strerror(errno) : "no progress");
            return;
        }
        buf += w;
        n -= (size_t)w;
    }
}

static void write_folded(b8g_profile *prof, bool wall, int fd, const char *path)
{
    if (fd < 0) return;
    size_t n = b8g_profile_folded(prof, wall, NULL, 0);
    char *text = malloc(n + 1);
    if (!text) {
        fprintf(stderr, "b8g: no memory for the profile %s\n", path);
        return;
    }
    b8g_profile_folded(prof, wall, text, n + 1);
    write_all(fd, path, text, n);
    free(text);
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void put_top(b8g_profile *prof)
{
    b8g_profile_func top[TOP];
    uint32_t n = b8g_profile_functions(prof, top, TOP);
    uint64_t units = b8g_profile_total(prof, false), ns = b8g_profile_total(prof, true);
    fprintf(stderr, "b8g: profile: %llu fuel units, %.3f s sampled; top %u of %u functions by self cost\n",
            (unsigned long long)units, (double)ns / 1e9, n < TOP ? n : TOP, n);
    fprintf(stderr, "  %7s %7s %10s %10s  %s\n", "self%", "total%", "self ms", "total ms", "function");
    for (uint32_t i = 0; i < n && i < TOP; i++) {
        fprintf(stderr, "  %7.2f %7.2f %10.3f %10.3f  ", share(top[i].self_units, units),
                share(top[i].total_units, units), (double)top[i].self_ns / 1e6,
                (double)top[i].total_ns / 1e6);
        cli_put_safe(stderr, top[i].name ? top[i].name : "?");
        fputc('\n', stderr);
    }
}

void cli_profile_module(CliProfile *p, const b8g_module *m)
{
    if (p) p->module = m;
}

/* Start-up cost that samples do not show: how the code was made ready. */
static void put_code(const b8g_module *m)
{
    b8g_code_stats cs;
    b8g_module_code_stats(m, &cs);
    if (!cs.lazy) return;
    fprintf(stderr, "b8g: code: %u of %u functions ran: %u translated on their first call, "
                    "%u taken from the image\n",
            cs.translated + cs.taken, cs.functions, cs.translated, cs.taken);
}

void cli_profile_close(CliProfile *p)
{
    if (!p) return;
    if (p->p) {
        b8g_profile_stop(p->p);
        write_folded(p->p, false, p->units_fd, p->units_path);
        write_folded(p->p, true, p->wall_fd, p->wall_path);
        put_top(p->p);
        if (p->module) put_code(p->module);
        b8g_profile_free(p->p);
    }
    if (p->units_fd >= 0) close(p->units_fd);
    if (p->wall_fd >= 0) close(p->wall_fd);
    free(p);
}
