/*
 * seccomp.c - the seccomp-bpf allow-list of a confined process (see
 * confine.h; every entry and its reason is in docs/security.md, "Process
 * confinement").
 *
 * Default action: kill the whole process.  The list is what runs after
 * setup: the interpreter (memory, the guard-page handler), the WASI layer
 * on descriptors it already holds or opens beneath them, the CLI's timer
 * thread, stdio and exit.  Nothing can open a path by name from the current
 * directory, create a socket, map executable memory, start a process or
 * execute a program.  Refusals that well-behaved code may meet answer an
 * errno (EACCES) so the engine reports an error instead of dying; the rest
 * kill.  Arguments the kernel reads as int are compared on their low 32
 * bits, as the kernel truncates them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/confine.h"
#include "util/err.h"

/* Allowed whatever their arguments. */
static const int allow_any[] = {
    /* memory: malloc, free, the engine's reservations (mmap and mprotect
     * are allowed below without PROT_EXEC) */
    SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
    /* signals: the guard-page handler and the timer's wake-up signal */
    SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
    SCMP_SYS(getpid), SCMP_SYS(gettid),
    /* threads: locks, condition variables, a thread's start and end */
    SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
    SCMP_SYS(sched_yield), SCMP_SYS(exit), SCMP_SYS(exit_group),
    SCMP_SYS(restart_syscall),
    /* clocks and randomness */
    SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(getrandom),
    /* i/o on descriptors already open */
    SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
    SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(preadv), SCMP_SYS(pwritev),
    SCMP_SYS(preadv2), SCMP_SYS(pwritev2),
    SCMP_SYS(lseek), SCMP_SYS(close), SCMP_SYS(fstatfs),
    SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(ftruncate),
    SCMP_SYS(fallocate), SCMP_SYS(fadvise64), SCMP_SYS(getdents64),
    SCMP_SYS(poll), SCMP_SYS(ppoll),
    /* sockets handed in as stdio, and connections accepted from them */
    SCMP_SYS(accept4), SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(shutdown),
    /* memory regions of the component ABI: an anonymous memory file, no
     * path involved (cap/region.c) */
    SCMP_SYS(memfd_create),
};

/* Path calls: allowed relative to a directory descriptor (a preopen or
 * one opened beneath it), refused with EACCES for AT_FDCWD or any other
 * negative descriptor, so nothing is reached through the current
 * directory.  (An absolute path ignores the descriptor: Landlock, and the
 * WASI layer's own refusal of absolute paths, cover that.)  args lists
 * which arguments are directory descriptors. */
static const struct {
    int nr;
    unsigned nargs;
    unsigned args[2];
} path_calls[] = {
    {SCMP_SYS(openat), 1, {0}},     {SCMP_SYS(openat2), 1, {0}},
    {SCMP_SYS(newfstatat), 1, {0}}, {SCMP_SYS(readlinkat), 1, {0}},
    {SCMP_SYS(mkdirat), 1, {0}},    {SCMP_SYS(unlinkat), 1, {0}},
    {SCMP_SYS(symlinkat), 1, {1}},  {SCMP_SYS(utimensat), 1, {0}},
    {SCMP_SYS(renameat), 2, {0, 2}}, {SCMP_SYS(renameat2), 2, {0, 2}},
    {SCMP_SYS(linkat), 2, {0, 2}},
};

#define INT_SIGN 0x80000000u
#define LOW32 0xffffffffu

static b8g_status rule(scmp_filter_ctx f, uint32_t action, int nr, unsigned n,
                       const struct scmp_arg_cmp *cmp, b8g_error *err)
{
    int rc = seccomp_rule_add_array(f, action, nr, n, cmp);
    if (rc == 0) return B8G_OK;
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    b8g_status st = err_set(err, B8G_IO, B8G_NO_OFFSET,
                            "cannot add system call %s to the seccomp filter: %s",
                            name ? name : "?", strerror(-rc));
    free(name);
    return st;
}

static b8g_status add_path_calls(scmp_filter_ctx f, b8g_error *err)
{
    b8g_status st = B8G_OK;
    for (size_t i = 0; !st && i < B8G_ARRAY_LEN(path_calls); i++) {
        struct scmp_arg_cmp ok[2];
        for (unsigned a = 0; a < path_calls[i].nargs; a++) {
            unsigned arg = path_calls[i].args[a];
            ok[a] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, INT_SIGN, 0);
            struct scmp_arg_cmp neg = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, INT_SIGN, INT_SIGN);
            if (!st) st = rule(f, SCMP_ACT_ERRNO(EACCES), path_calls[i].nr, 1, &neg, err);
        }
        if (!st) st = rule(f, SCMP_ACT_ALLOW, path_calls[i].nr, path_calls[i].nargs, ok, err);
    }
    return st;
}

/* Calls allowed for some values of one argument, compared on the low 32
 * bits (the kernel's int or unsigned int). */
static b8g_status allow_values(scmp_filter_ctx f, int nr, unsigned arg,
                               const uint32_t *v, size_t n, b8g_error *err)
{
    b8g_status st = B8G_OK;
    for (size_t i = 0; !st && i < n; i++) {
        struct scmp_arg_cmp c = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, LOW32, v[i]);
        st = rule(f, SCMP_ACT_ALLOW, nr, 1, &c, err);
    }
    return st;
}

static b8g_status add_restricted(scmp_filter_ctx f, b8g_error *err)
{
    /* Memory without PROT_EXEC: anything else is refused (EACCES). */
    struct scmp_arg_cmp noexec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
    struct scmp_arg_cmp exec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC);
    b8g_status st = rule(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, &noexec, err);
    if (!st) st = rule(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(mmap), 1, &exec, err);
    if (!st) st = rule(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, &noexec, err);
    if (!st) st = rule(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(mprotect), 1, &exec, err);
    /* madvise: giving pages back (free, thread stacks) */
    static const uint32_t advice[] = {MADV_DONTNEED};
    if (!st) st = allow_values(f, SCMP_SYS(madvise), 2, advice, B8G_ARRAY_LEN(advice), err);
    /* fcntl: reading and setting status flags (O_NONBLOCK, O_APPEND);
     * sealing a new memory region at its size (cap/region.c) */
    static const uint32_t fcntl_cmds[] = {F_GETFL, F_SETFL, F_ADD_SEALS};
    if (!st) st = allow_values(f, SCMP_SYS(fcntl), 1, fcntl_cmds, B8G_ARRAY_LEN(fcntl_cmds), err);
    /* ioctl: isatty (TCGETS) and bytes readable for poll_oneoff (FIONREAD) */
    static const uint32_t ioctls[] = {TCGETS, FIONREAD};
    if (!st) st = allow_values(f, SCMP_SYS(ioctl), 1, ioctls, B8G_ARRAY_LEN(ioctls), err);
    /* Signals only to this process's own threads (the timer's wake-up,
     * abort). */
    struct scmp_arg_cmp self = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0);
    if (!st) st = rule(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, &self, err);
    /* clone only for threads.  glibc tries clone3 first, whose flags sit
     * in memory a filter cannot read: ENOSYS makes it fall back to
     * clone. */
    struct scmp_arg_cmp thread = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
    if (!st) st = rule(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, &thread, err);
    if (!st) st = rule(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL, err);
    /* No new sockets: only those handed in are usable. */
    if (!st) st = rule(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 0, NULL, err);
    if (!st) st = rule(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socketpair), 0, NULL, err);
    return st;
}

#if SYS_SANITIZER
/*
 * ASan/UBSan builds only (make san); never in a normal build.  At exit
 * LeakSanitizer stops the world to scan memory: it clones a tracer task
 * (clone without CLONE_THREAD, prctl PR_SET_PTRACER, wait4), which lists
 * /proc/PID/task (open, getdents), attaches to every thread (ptrace) on
 * its own signal stack (sigaltstack) and checks its parent (getppid,
 * prctl PR_SET_PDEATHSIG).  When a guard-page fault unwinds, ASan asks
 * pthread_getattr_np for the main thread's stack, which reads
 * /proc/self/maps (openat from AT_FDCWD), the stack rlimit (prlimit64) and
 * the CPU affinity (sched_getaffinity).  Its allocator marks memory
 * MADV_NOHUGEPAGE and MADV_DONTDUMP (madvise).  Each of these overrides
 * the narrower rule above.  confine.c adds /proc/self to the Landlock
 * rules, read-only.
 */
static b8g_status add_sanitizer(scmp_filter_ctx f, b8g_error *err)
{
    static const int calls[] = {
        SCMP_SYS(clone),  SCMP_SYS(prctl),   SCMP_SYS(wait4),
        SCMP_SYS(open),   SCMP_SYS(getdents), SCMP_SYS(ptrace),
        SCMP_SYS(sigaltstack), SCMP_SYS(getppid), SCMP_SYS(openat),
        SCMP_SYS(prlimit64), SCMP_SYS(sched_getaffinity), SCMP_SYS(madvise),
        SCMP_SYS(gettimeofday), SCMP_SYS(nanosleep), SCMP_SYS(fstat),
    };
    b8g_status st = B8G_OK;
    for (size_t i = 0; !st && i < B8G_ARRAY_LEN(calls); i++)
        st = rule(f, SCMP_ACT_ALLOW, calls[i], 0, NULL, err);
    return st;
}
#endif

bool sys_seccomp_available(void)
{
    /* Kernels before 4.14 cannot kill the whole process; those without
     * CONFIG_SECCOMP_FILTER answer EINVAL or ENOSYS. */
    uint32_t action = SECCOMP_RET_KILL_PROCESS;
    return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

b8g_status sys_seccomp_build(void **filter, b8g_error *err)
{
    *filter = NULL;
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!f) return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot create a seccomp filter");
    /* Every thread, a foreign architecture's calls (int 0x80) killed too. */
    int rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1);
    if (!rc) rc = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc) {
        seccomp_release(f);
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot configure the seccomp filter: %s",
                       strerror(-rc));
    }
    /* A binary tree instead of a linear scan: the filter runs on every
     * system call.  Older libseccomp lacks it; the filter is the same. */
    (void)seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    b8g_status st = B8G_OK;
    for (size_t i = 0; !st && i < B8G_ARRAY_LEN(allow_any); i++)
        st = rule(f, SCMP_ACT_ALLOW, allow_any[i], 0, NULL, err);
    if (!st) st = add_path_calls(f, err);
    if (!st) st = add_restricted(f, err);
#if SYS_SANITIZER
    if (!st) st = add_sanitizer(f, err);
#endif
    if (st) {
        seccomp_release(f);
        return st;
    }
    *filter = f;
    return B8G_OK;
}

b8g_status sys_seccomp_load(void *filter, b8g_error *err)
{
    int rc = seccomp_load(filter);
    seccomp_release(filter);
    if (rc)
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot load the seccomp filter: %s",
                       strerror(-rc));
    return B8G_OK;
}

void sys_seccomp_free(void *filter)
{
    if (filter) seccomp_release(filter);
}
