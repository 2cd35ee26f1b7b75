/*
 * session.c - one guest's run, shared by `b8g run`, `b8g snapshot` and
 * `b8g resume`: the store with the requested limits, the WASI context
 * (sandbox.c), the output file an image goes to (output.c), confinement,
 * the --timeout watchdog and SIGUSR1, and how the call ends.
 *
 * Order matters.  Everything that opens a host file by name comes before
 * confinement: the program or image (the caller), --stdin and the
 * preopens (the WASI context), the output's directory and temporary file,
 * the --trace and --profile files.
 * The timer thread starts after confinement, because before Landlock ABI
 * 8 a ruleset binds only the thread that enforces it and the threads that
 * thread starts later (the seccomp filter covers every thread either way).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"

#define WASM_PAGE ((uint64_t)65536)
#define MAX_PAGES ((uint64_t)65536)

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

/*
 * The preopens and, create only, the output's directory, for
 * b8g_confine_process.  b8g_wasi_confine knows only the context, so the
 * preopens are opened again here by their host paths (O_PATH: they were
 * opened moments ago by b8g_wasi_new, from the same command line).
 */
static b8g_status confine_with_output(const RunOpts *o, const CliOutput *out, b8g_error *err)
{
    b8g_confine_dir *dirs = cli_calloc((size_t)o->ndirs + 1, sizeof *dirs);
    uint32_t n = 0;
    b8g_status st = B8G_OK;
    for (; n < o->ndirs; n++) {
        int fd = open(o->dirs[n].host_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            st = cli_err(err, B8G_IO, "cannot open %s: %s", o->dirs[n].host_path,
                         strerror(errno));
            break;
        }
        dirs[n] = (b8g_confine_dir){.fd = fd, .writable = !o->dirs[n].readonly};
    }
    if (!st) {
        dirs[n] = (b8g_confine_dir){.fd = out->dirfd, .create_only = true};
        st = b8g_confine_process(dirs, n + 1, NULL, err);
    }
    for (uint32_t i = 0; i < n; i++) close(dirs[i].fd);
    free(dirs);
    return st;
}

/* Shuts the process in to what the guest is granted (and the output);
 * the exit status to stop with, or -1 to go on. */
static int confine(const CliSession *ss)
{
    if (ss->o->no_confine) return -1;
    b8g_error err;
    b8g_status st = ss->out.path ? confine_with_output(ss->o, &ss->out, &err)
                                 : b8g_wasi_confine(ss->wasi, NULL, &err);
    if (!st) return -1;
    int code = cli_report(&err);
    fputs("Run with --no-confine to go on without process confinement "
          "(see 'b8g doctor').\n", stderr);
    return code;
}

int cli_session_open(CliSession *ss, const RunOpts *o, const char *out_path)
{
    memset(ss, 0, sizeof *ss);
    ss->o = o;
    ss->out.dirfd = ss->out.fd = -1;
    ss->sb.stdin_fd = -1;
    b8g_error err;
    if (cli_sandbox_open(o, &ss->sb, &err)) return cli_report(&err);
    /* Before the guest can run: a bad output path is found at once. */
    if (cli_output_prepare(&ss->out, out_path, &err)) return cli_report(&err);
    ss->store = new_store(o);
    if (!ss->store) return cli_fail(B8G_NOMEM, "cannot create a store");
    int code = cli_trace_open(o, &ss->trace);
    if (code >= 0) return code;
    cli_trace_attach(ss->trace, ss->store);
    if ((code = cli_profile_open(o, &ss->profile)) >= 0) return code;
    if (b8g_wasi_new(ss->store, &ss->sb.cfg, &ss->wasi, &err)) return cli_report(&err);
    if (o->suspend_to) {
        cli_signal_arm();
        cli_signal_target(ss->store);
    }
    code = confine(ss);
    if (code >= 0) return code;
    if ((code = cli_profile_start(ss->profile, ss->store)) >= 0) return code;
    if (o->timeout_ms && !(ss->timer = cli_timer_start(ss->store, o->timeout_ms)))
        return cli_fail(B8G_NOMEM, "cannot start the timeout thread");
    return -1;
}

static bool stopped_by_limit(const b8g_error *e)
{
    return e->code == B8G_SUSPENDED ||
           ((e->code == B8G_TRAP || e->code == B8G_LIMIT) &&
            (e->trap == B8G_TRAP_OUT_OF_FUEL || e->trap == B8G_TRAP_INTERRUPTED));
}

/* Why a call stopped that fuel, the timer or SIGUSR1 stopped (a signal
 * may have come before the guest ran, and stopped nothing). */
static const char *stop_reason(const b8g_error *e, bool timed_out)
{
    if (e->trap == B8G_TRAP_OUT_OF_FUEL) return "out of fuel";
    if (timed_out) return "interrupted: timeout";
    if (cli_signal_seen()) return "interrupted: signal";
    return NULL;
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
    const char *why = stop_reason(err, timed_out);
    if (why && e.trap != B8G_TRAP_OUT_OF_FUEL)
        snprintf(e.msg, sizeof e.msg, "%s", why);
    else if (!e.msg[0])
        snprintf(e.msg, sizeof e.msg, "%s",
                 e.trap != B8G_TRAP_NONE ? b8g_trap_name(e.trap) : "out of fuel");
    return cli_report(&e);
}

/* The guest's proc_exit status is the process's: its low 8 bits, as a
 * native process's exit(status) would give. */
static int exit_status(const b8g_error *e)
{
    return (int)((uint32_t)e->exit_code & 0xff);
}

int cli_session_capture(CliSession *ss, b8g_instance *inst)
{
    /* Nothing may interrupt the store any more. */
    cli_timer_stop(ss->timer);
    ss->timer = NULL;
    b8g_error err;
    b8g_image *img = NULL;
    b8g_status st = b8g_snapshot_ex(inst, ss->wasi, ss->o->code ? B8G_SNAPSHOT_CODE : 0, &img, &err);
    if (!st) st = cli_output_commit(&ss->out, img, &err);
    if (img) b8g_image_free(img);
    if (st) {
        cli_output_discard(&ss->out);
        return cli_report(&err);
    }
    return 0;
}

/* Captures the call suspended in the session's store: the state file. */
static int suspend(CliSession *ss, b8g_instance *inst, const b8g_error *why, bool timed_out)
{
    int code = cli_session_capture(ss, inst);
    if (code) return code;
    const char *reason = stop_reason(why, timed_out);
    fprintf(stderr, "b8g: suspended (%s): state written to ", reason ? reason : "interrupted");
    cli_put_safe(stderr, ss->o->suspend_to);
    fputc('\n', stderr);
    return b8g_status_exit_code(B8G_SUSPENDED);
}

int cli_session_finish(CliSession *ss, b8g_instance *inst, b8g_status st, b8g_error *err)
{
    bool timed_out = cli_timer_stop(ss->timer);
    ss->timer = NULL;
    /* No interrupt may land in what follows: the capture, or a later
     * session's store. */
    cli_signal_target(NULL);
    int code;
    if (st == B8G_SUSPENDED && ss->o->suspend_to && inst && b8g_suspended(ss->store))
        code = suspend(ss, inst, err, timed_out);
    else if (st == B8G_TRAP && err->trap == B8G_TRAP_EXIT)
        code = exit_status(err);
    else
        code = st ? report_failure(err, timed_out) : 0;
    if (b8g_suspended(ss->store)) b8g_abort(ss->store);
    cli_output_discard(&ss->out);
    return code;
}

void cli_session_close(CliSession *ss)
{
    cli_timer_stop(ss->timer);
    cli_signal_target(NULL);
    cli_output_discard(&ss->out);
    if (ss->store) b8g_store_free(ss->store);
    b8g_wasi_free(ss->wasi);
    cli_sandbox_close(&ss->sb);
    /* Last: the summaries come after whatever the run reported. */
    cli_trace_close(ss->trace);
    cli_profile_close(ss->profile);
    memset(ss, 0, sizeof *ss);
}
