/*
 * confine.c - b8g_confine_probe and b8g_confine_process: what the kernel
 * offers, and confining the process with it (layers in confine.h).
 *
 * Order: the seccomp filter is built while allocation and every system
 * call still work, so a failure there leaves the process as it was; then
 * no_new_privs, which both Landlock and an unprivileged seccomp filter
 * require; then Landlock, whose own calls the filter does not allow; then
 * the filter.  seccomp and no_new_privs are required, Landlock is used as
 * far as the kernel has it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/confine.h"
#include "util/err.h"

/* Set once the filter is loaded: a second b8g_confine_process would be
 * killed by it (prctl is not on the list), so it is refused instead. */
static atomic_bool confined;

void b8g_confine_probe(b8g_confine_report *out)
{
    if (!out) return;
    memset(out, 0, sizeof *out);
    out->landlock_abi = sys_landlock_abi();
    out->landlock = out->landlock_abi > 0;
    out->seccomp = sys_seccomp_available();
    out->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0;
}

static b8g_status check_dirs(const b8g_confine_dir *dirs, uint32_t ndirs, b8g_error *err)
{
    if (ndirs && !dirs)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_confine_process: NULL list with a count");
    for (uint32_t i = 0; i < ndirs; i++) {
        struct stat st;
        if (fstat(dirs[i].fd, &st) != 0 || !S_ISDIR(st.st_mode))
            return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                           "confinement directory %u (fd %d) is not an open directory",
                           i, dirs[i].fd);
    }
    return B8G_OK;
}

/*
 * Landlock over dirs.  In sanitizer builds the process's own /proc
 * directory is added read-only: LeakSanitizer's tracer lists
 * /proc/PID/task and reads the status files there at exit.
 */
static b8g_status restrict_files(const b8g_confine_dir *dirs, uint32_t ndirs,
                                 b8g_confine_report *r, b8g_error *err)
{
#if SYS_SANITIZER
    b8g_confine_dir *all = xcalloc(ndirs + 1, sizeof *all);
    if (ndirs) memcpy(all, dirs, ndirs * sizeof *all);
    int proc = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (proc >= 0) all[ndirs++] = (b8g_confine_dir){.fd = proc, .writable = false};
    b8g_status st = sys_landlock_restrict(all, ndirs, r->landlock_abi, &r->landlock, err);
    if (proc >= 0) close(proc);
    free(all);
    return st;
#else
    return sys_landlock_restrict(dirs, ndirs, r->landlock_abi, &r->landlock, err);
#endif
}

b8g_status b8g_confine_process(const b8g_confine_dir *dirs, uint32_t ndirs,
                               b8g_confine_report *report, b8g_error *err)
{
    b8g_confine_report r;
    memset(&r, 0, sizeof r);
    if (report) *report = r;
    if (atomic_load(&confined))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "the process is already confined");
    b8g_status st = check_dirs(dirs, ndirs, err);
    if (st) return st;
    if (!sys_seccomp_available())
        return err_set(err, B8G_UNSUPPORTED, B8G_NO_OFFSET,
                       "cannot confine the process: this kernel has no seccomp filters");
    void *filter = NULL;
    if ((st = sys_seccomp_build(&filter, err))) return st;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        sys_seccomp_free(filter);
        return err_set(err, B8G_UNSUPPORTED, B8G_NO_OFFSET,
                       "cannot confine the process: no_new_privs: %s", strerror(errno));
    }
    r.no_new_privs = true;
    r.landlock_abi = sys_landlock_abi();
    st = restrict_files(dirs, ndirs, &r, err);
    if (st) {
        sys_seccomp_free(filter);
        if (report) *report = r;
        return st;
    }
    st = sys_seccomp_load(filter, err);
    r.seccomp = st == B8G_OK;
    if (r.seccomp) atomic_store(&confined, true);
    if (report) *report = r;
    return st;
}
