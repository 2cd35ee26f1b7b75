/*
 * sandbox.c - what `b8g run` (and snapshot, resume) grants a guest: the
 * WASI configuration built from --dir, --env, --env-inherit and --stdin,
 * and the host's stdio.
 *
 * Nothing is granted by default: no directory, no environment variable,
 * only the three standard streams.  The guest's argv[0] is the program
 * name as given on the command line (`b8g resume`: the argv and
 * environment its image recorded).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"

extern char **environ;

/* Which of fds 0-2 were closed when b8g started (cli_reserve_stdio). */
static bool stdio_closed[3];

/*
 * A closed fd 0-2 is taken by /dev/null at once, before anything else is
 * opened: otherwise the next open (a preopen, a file the guest opens)
 * would land on it, and b8g's diagnostics on "stderr" would go into a
 * guest's file.  The guest still sees the stream as closed.
 */
void cli_reserve_stdio(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) continue;
        stdio_closed[fd] = true;
        int nfd = open("/dev/null", O_RDWR);
        if (nfd >= 0 && nfd != fd) close(nfd); /* cannot happen: lowest fd */
    }
}

bool cli_stdio_closed(int fd)
{
    return fd >= 0 && fd < 3 && stdio_closed[fd];
}

/*
 * HOST[::GUEST][:ro]: a trailing ":ro" makes the directory read-only, and
 * the rest splits at its last "::".  So single colons inside paths need
 * nothing special; a host path containing "::" or ending in ":ro" must be
 * followed by an explicit guest path.
 */
bool cli_parse_dir(const char *spec, b8g_wasi_dir *out)
{
    size_t len = strlen(spec);
    bool ro = len >= 3 && strcmp(spec + len - 3, ":ro") == 0;
    if (ro) len -= 3;
    const char *sep = NULL;
    for (const char *p = spec; p + 1 < spec + len; p++)
        if (p[0] == ':' && p[1] == ':') sep = p;
    size_t host_len = sep ? (size_t)(sep - spec) : len;
    const char *guest = sep ? sep + 2 : spec;
    size_t guest_len = sep ? len - host_len - 2 : len;
    if (host_len == 0 || guest_len == 0) return false;
    char *host = cli_calloc(host_len + 1, 1), *name = cli_calloc(guest_len + 1, 1);
    memcpy(host, spec, host_len);
    memcpy(name, guest, guest_len);
    out->host_path = host;
    out->guest_path = name;
    out->readonly = ro;
    return true;
}

/* Index of the entry of env[0..n) naming the same variable as `var`. */
static int find_var(const char **env, uint32_t n, const char *var)
{
    size_t name_len = strcspn(var, "=");
    for (uint32_t i = 0; i < n; i++)
        if (strncmp(env[i], var, name_len) == 0 && env[i][name_len] == '=') return (int)i;
    return -1;
}

/* The host's environment if inherited, then each --env: a later setting of
 * a name replaces an earlier one. */
static const char **build_env(const RunOpts *o, uint32_t *n)
{
    size_t host = 0;
    if (o->env_inherit)
        while (environ[host]) host++;
    const char **env = cli_calloc(host + o->nenv + 1, sizeof *env);
    uint32_t k = 0;
    for (size_t i = 0; i < host + o->nenv; i++) {
        const char *v = i < host ? environ[i] : o->env[i - host];
        if (!strchr(v, '=')) continue;
        int at = find_var(env, k, v);
        if (at >= 0) env[at] = v;
        else env[k++] = v;
    }
    *n = k;
    return env;
}

b8g_status cli_sandbox_open(const RunOpts *o, CliSandbox *sb, b8g_error *err)
{
    memset(sb, 0, sizeof *sb);
    sb->stdin_fd = -1;
    if (o->stdin_path) {
        sb->stdin_fd = open(o->stdin_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (sb->stdin_fd < 0)
            return cli_err(err, B8G_IO, "cannot open %s: %s", o->stdin_path, strerror(errno));
    }
    uint32_t argc, envc = 0;
    if (o->recorded_argv) {
        /* A resumed call goes on with the argv and environment it started
         * with: its libc read them already. */
        argc = o->recorded_argc;
        sb->argv = cli_calloc((size_t)argc + 1, sizeof *sb->argv);
        for (uint32_t i = 0; i < argc; i++) sb->argv[i] = o->recorded_argv[i];
        envc = o->recorded_envc;
        sb->env = cli_calloc((size_t)envc + 1, sizeof *sb->env);
        for (uint32_t i = 0; i < envc; i++) sb->env[i] = o->recorded_env[i];
    } else {
        /* argv[0] is the program, then the guest's arguments. */
        argc = o->nargs + 1;
        sb->argv = cli_calloc((size_t)o->nargs + 2, sizeof *sb->argv);
        sb->argv[0] = o->program;
        for (uint32_t i = 0; i < o->nargs; i++) sb->argv[i + 1] = o->args[i];
        sb->env = build_env(o, &envc);
    }
    sb->cfg = (b8g_wasi_config){
        .argc = argc,
        .argv = sb->argv,
        .envc = envc,
        .env = sb->env,
        .stdin_fd = o->stdin_path ? sb->stdin_fd : cli_stdio_closed(0) ? -1 : 0,
        .stdout_fd = cli_stdio_closed(1) ? -1 : 1,
        .stderr_fd = cli_stdio_closed(2) ? -1 : 2,
        .ndirs = o->ndirs,
        .dirs = o->dirs,
    };
    return B8G_OK;
}

void cli_sandbox_close(CliSandbox *sb)
{
    if (sb->stdin_fd >= 0) close(sb->stdin_fd);
    free(sb->argv);
    free(sb->env);
    memset(sb, 0, sizeof *sb);
    sb->stdin_fd = -1;
}
