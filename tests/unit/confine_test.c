/*
 * confine_test.c - process confinement (b8g_confine_process,
 * b8g_wasi_confine): what the seccomp allow-list refuses or kills, what
 * Landlock lets through beneath the granted directories, that threads
 * started before confinement are covered, and that the engine still runs
 * a WASI guest once confined - while the same process can no longer open
 * /etc/passwd or execute a program.
 *
 * Confinement cannot be undone, so every scenario runs in a forked child
 * and the test process itself is never confined.  A child checks with
 * CHECK (which prints the failed line and exits 1) and ends with _exit(0);
 * the parent asserts on how it ended: exit status 0, or death by SIGSYS
 * where the filter kills.  Landlock checks are skipped on a kernel without
 * Landlock; the seccomp ones always run.
 *
 * The scratch tree, in a mkdtemp directory under /tmp:
 *   TOP/rw/          granted writable
 *   TOP/ro/r.txt     granted read-only, "read me"
 *   TOP/outside.txt  granted nothing
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <seccomp.h>

#include "b8g.h"
#include "cap/object.h"
#include "rt/memory.h"
#include "sys/confine.h"

/*
 * (module
 *   (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32
 *     i32 i64 i64 i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32)
 *     (result i32)))
 *   (memory (export "memory") 1)
 *   (data (i32.const 16) "out.txt")
 *   (data (i32.const 32) "confined\n")
 *   (data (i32.const 48) "\20\00\00\00\09\00\00\00")   ;; iovec {32, 9}
 *   (func (export "run") (result i32)   ;; grows memory, writes out.txt in fd 3
 *     (local $e i32)
 *     (drop (memory.grow (i32.const 1)))
 *     (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 16)
 *       (i32.const 7) (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0)
 *       (i32.const 64)))                ;; CREAT|TRUNC, fd_write right
 *     (if (local.get $e) (then (return (local.get $e))))
 *     (call $fd_write (i32.load (i32.const 64)) (i32.const 48) (i32.const 1)
 *       (i32.const 72)))
 *   (func (export "oob") (result i32) (i32.load (i32.const 200000))))
 */
static const uint8_t guest_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x03, 0x60,
    0x09, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7e, 0x7e, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f,
    0x02, 0x46, 0x02, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61,
    0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65,
    0x77, 0x31, 0x09, 0x70, 0x61, 0x74, 0x68, 0x5f, 0x6f, 0x70, 0x65, 0x6e,
    0x00, 0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70,
    0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77,
    0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x01,
    0x03, 0x03, 0x02, 0x02, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x16,
    0x03, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03, 0x72,
    0x75, 0x6e, 0x00, 0x02, 0x03, 0x6f, 0x6f, 0x62, 0x00, 0x03, 0x0a, 0x44,
    0x02, 0x38, 0x01, 0x01, 0x7f, 0x41, 0x01, 0x40, 0x00, 0x1a, 0x41, 0x03,
    0x41, 0x00, 0x41, 0x10, 0x41, 0x07, 0x41, 0x09, 0x42, 0xc0, 0x00, 0x42,
    0x00, 0x41, 0x00, 0x41, 0xc0, 0x00, 0x10, 0x00, 0x21, 0x00, 0x20, 0x00,
    0x04, 0x40, 0x20, 0x00, 0x0f, 0x0b, 0x41, 0xc0, 0x00, 0x28, 0x02, 0x00,
    0x41, 0x30, 0x41, 0x01, 0x41, 0xc8, 0x00, 0x10, 0x01, 0x0b, 0x09, 0x00,
    0x41, 0xc0, 0x9a, 0x0c, 0x28, 0x02, 0x00, 0x0b, 0x0b, 0x28, 0x03, 0x00,
    0x41, 0x10, 0x0b, 0x07, 0x6f, 0x75, 0x74, 0x2e, 0x74, 0x78, 0x74, 0x00,
    0x41, 0x20, 0x0b, 0x09, 0x63, 0x6f, 0x6e, 0x66, 0x69, 0x6e, 0x65, 0x64,
    0x0a, 0x00, 0x41, 0x30, 0x0b, 0x08, 0x20, 0x00, 0x00, 0x00, 0x09, 0x00,
    0x00, 0x00,
};

static char top[64];
static char rw_path[96], ro_path[96];
static b8g_confine_report probe;

/* In a child: report the failed check on stderr (write is allowed) and
 * end with status 1. */
#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "confine_test.c:%d: child check failed: %s "      \
                            "(errno %d: %s)\n",                               \
                    __LINE__, #c, errno, strerror(errno));                    \
            _exit(1);                                                         \
        }                                                                     \
    } while (0)

/* Denied without reaching the kernel's own answer: -1 with EACCES. */
#define CHECK_DENIED(call) CHECK((call) == -1 && errno == EACCES)

/* ---- scratch tree and children ----------------------------------------- */

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "/tmp/b8g-confine-XXXXXX");
    if (!mkdtemp(top)) return -1;
    snprintf(rw_path, sizeof rw_path, "%s/rw", top);
    snprintf(ro_path, sizeof ro_path, "%s/ro", top);
    if (mkdir(rw_path, 0755) || mkdir(ro_path, 0755)) return -1;
    put_file(ro_path, "r.txt", "read me");
    put_file(top, "outside.txt", "secret");
    b8g_confine_probe(&probe);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Runs fn in a child and returns its wait status.  The child dumps no
 * core when the filter kills it. */
static int in_child(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void expect_success(int status)
{
    if (WIFSIGNALED(status)) fail_msg("child killed by signal %d", WTERMSIG(status));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_sigsys(int status)
{
    if (WIFEXITED(status)) fail_msg("child exited with status %d, expected SIGSYS", WEXITSTATUS(status));
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void need_seccomp(void)
{
    if (!probe.seccomp || !probe.no_new_privs) skip();
}

/* Confines the child, in TOP, to rw (writable) and ro (read-only);
 * returns the report. */
static b8g_confine_report confine_scratch(int *rw_fd, int *ro_fd)
{
    CHECK(chdir(top) == 0); /* "outside.txt" is then a relative name */
    int rw = open(rw_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int ro = open(ro_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(rw >= 0 && ro >= 0);
    b8g_confine_dir dirs[] = {{.fd = rw, .writable = true}, {.fd = ro, .writable = false}};
    b8g_confine_report r;
    b8g_error err;
    b8g_status st = b8g_confine_process(dirs, 2, &r, &err);
    if (st) fprintf(stderr, "b8g_confine_process: %s\n", err.msg);
    CHECK(st == B8G_OK);
    if (rw_fd) *rw_fd = rw;
    if (ro_fd) *ro_fd = ro;
    return r;
}

/* ---- what the kernel offers ---------------------------------------------- */

static void test_probe(void **state)
{
    (void)state;
    b8g_confine_report r;
    b8g_confine_probe(&r);
    assert_int_equal(r.landlock, r.landlock_abi > 0);
    assert_int_equal(r.landlock_abi, sys_landlock_abi());
    assert_int_equal(r.seccomp, sys_seccomp_available());
    b8g_confine_probe(NULL); /* allowed, does nothing */
}

/* The value of a "Name:\tN" line of /proc/PID/status; -1 if missing. */
static int status_field(pid_t pid, const char *name)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f) return -1;
    int v = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            v = atoi(line + n + 1);
            break;
        }
    fclose(f);
    return v;
}

/* Bad arguments are refused before anything irreversible (in a child all
 * the same, in case they were not). */
static void child_bad_arguments(void)
{
    b8g_error err;
    CHECK(b8g_confine_process(NULL, 1, NULL, &err) == B8G_ARG);
    int file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    CHECK(file >= 0);
    b8g_confine_dir d = {.fd = file, .writable = false};
    CHECK(b8g_confine_process(&d, 1, NULL, &err) == B8G_ARG);
    CHECK(strstr(err.msg, "not an open directory") != NULL);
    d.fd = 12345;
    CHECK(b8g_confine_process(&d, 1, NULL, &err) == B8G_ARG);
    CHECK(b8g_wasi_confine(NULL, NULL, &err) == B8G_ARG);
    /* Nothing was put in place. */
    CHECK(status_field(getpid(), "Seccomp") == 0);
    CHECK(status_field(getpid(), "NoNewPrivs") == 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    expect_success(in_child(child_bad_arguments));
}

/* A kernel (here: an outer filter) without seccomp filters: refused with
 * B8G_UNSUPPORTED before anything is put in place. */
static void child_without_seccomp(void)
{
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
    CHECK(f != NULL);
    CHECK(seccomp_rule_add(f, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(seccomp), 0) == 0);
    CHECK(seccomp_load(f) == 0);
    seccomp_release(f);
    b8g_confine_report r;
    b8g_error err;
    CHECK(b8g_confine_process(NULL, 0, &r, &err) == B8G_UNSUPPORTED);
    CHECK(strstr(err.msg, "no seccomp filters") != NULL);
    CHECK(!r.seccomp && !r.landlock);
    CHECK(status_field(getpid(), "Seccomp_filters") == 1); /* only the outer one */
}

static void test_without_seccomp_refused(void **state)
{
    (void)state;
    need_seccomp();
    expect_success(in_child(child_without_seccomp));
}

/* ---- seccomp: refused with EACCES ---------------------------------------- */

static void *thread_nop(void *arg)
{
    return arg;
}

static void child_seccomp_denials(void)
{
    int rw, ro;
    b8g_confine_report r = confine_scratch(&rw, &ro);
    CHECK(r.seccomp && r.no_new_privs);
    CHECK(r.landlock_abi == probe.landlock_abi);
    CHECK(r.landlock == (probe.landlock_abi > 0)); /* one thread: all of it */
    b8g_error err;
    CHECK(b8g_confine_process(NULL, 0, NULL, &err) == B8G_ARG); /* not twice */
    CHECK(strstr(err.msg, "already confined") != NULL);
    /* Nothing by name from the current directory or the root.  (Sanitizer
     * builds allow that for LeakSanitizer; Landlock still refuses it.) */
    if (!SYS_SANITIZER || r.landlock) {
        CHECK_DENIED(open("/etc/passwd", O_RDONLY));
        CHECK_DENIED(openat(AT_FDCWD, "outside.txt", O_RDONLY));
    }
    struct stat st;
    CHECK_DENIED(fstatat(AT_FDCWD, "/etc/passwd", &st, 0));
    CHECK_DENIED(mkdirat(AT_FDCWD, "/tmp/b8g-confine-never", 0755));
    /* No sockets of its own. */
    CHECK_DENIED(socket(AF_INET, SOCK_STREAM, 0));
    CHECK_DENIED(socket(AF_UNIX, SOCK_STREAM, 0));
    int sv[2];
    CHECK_DENIED(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    /* No executable memory, mapped or made so. */
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
          MAP_FAILED && errno == EACCES);
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_DENIED(mprotect(p, 4096, PROT_READ | PROT_EXEC));
    CHECK(mprotect(p, 4096, PROT_NONE) == 0);
    CHECK(munmap(p, 4096) == 0);
    /* clone3 answers ENOSYS, so threads are made by clone, which is
     * allowed for threads. */
    CHECK(syscall(SYS_clone3, NULL, 0) == -1 && errno == ENOSYS);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_nop, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    /* Beneath a granted directory, files work. */
    int fd = openat(rw, "new.txt", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello", 5) == 5);
    CHECK(close(fd) == 0);
    char buf[16] = {0};
    fd = openat(rw, "new.txt", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
    close(fd);
    fd = openat(ro, "r.txt", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 7 && memcmp(buf, "read me", 7) == 0);
    close(fd);
}

static void test_seccomp_denials(void **state)
{
    (void)state;
    need_seccomp();
    expect_success(in_child(child_seccomp_denials));
    char path[160];
    snprintf(path, sizeof path, "%s/new.txt", rw_path);
    assert_int_equal(access(path, F_OK), 0);
}

/* /proc/PID/status of a confined process, read from outside. */
static int sync_pipe[2][2];

static void child_blocks_confined(void)
{
    confine_scratch(NULL, NULL);
    char c = 1;
    CHECK(write(sync_pipe[0][1], &c, 1) == 1);
    CHECK(read(sync_pipe[1][0], &c, 1) == 1);
}

static void test_status_seen_from_outside(void **state)
{
    (void)state;
    need_seccomp();
    assert_int_equal(pipe(sync_pipe[0]), 0);
    assert_int_equal(pipe(sync_pipe[1]), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        child_blocks_confined();
        _exit(0);
    }
    /* Only the child writes the first pipe: a child that failed before
     * writing ends the read with EOF instead of blocking it. */
    close(sync_pipe[0][1]);
    close(sync_pipe[1][0]);
    char c = 0;
    int got = (int)read(sync_pipe[0][0], &c, 1);
    int nnp = status_field(pid, "NoNewPrivs"), mode = status_field(pid, "Seccomp");
    if (got == 1) assert_int_equal(write(sync_pipe[1][1], &c, 1), 1);
    close(sync_pipe[0][0]);
    close(sync_pipe[1][1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    expect_success(status);
    assert_int_equal(got, 1);
    assert_int_equal(nnp, 1);
    assert_int_equal(mode, 2); /* SECCOMP_MODE_FILTER */
}

/* ---- seccomp: killed ---------------------------------------------------- */

static void child_execve(void)
{
    confine_scratch(NULL, NULL);
    char *argv[] = {"true", NULL};
    execve("/bin/true", argv, environ);
    CHECK(!"execve returned");
}

static void test_execve_killed(void **state)
{
    (void)state;
    need_seccomp();
    expect_sigsys(in_child(child_execve));
}

/* ptrace is not on the list (sanitizer builds excepted, for
 * LeakSanitizer: there Landlock refuses to attach outside the domain). */
static void child_ptrace(void)
{
    confine_scratch(NULL, NULL);
    long rc = ptrace(PTRACE_ATTACH, getppid(), NULL, NULL);
    CHECK(rc == -1);
}

static void test_ptrace_refused(void **state)
{
    (void)state;
    need_seccomp();
    if (SYS_SANITIZER && !probe.landlock) skip();
    int status = in_child(child_ptrace);
    if (!SYS_SANITIZER) expect_sigsys(status);
    else expect_success(status);
}

/* A process (clone without CLONE_THREAD) and a signal to another process
 * kill. */
static void child_fork(void)
{
    confine_scratch(NULL, NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    CHECK(!"fork returned");
}

static void test_fork_killed(void **state)
{
    (void)state;
    need_seccomp();
    if (SYS_SANITIZER) skip(); /* LeakSanitizer's tracer is such a clone */
    expect_sigsys(in_child(child_fork));
}

static void child_kill_parent(void)
{
    confine_scratch(NULL, NULL);
    kill(getppid(), 0);
    CHECK(!"kill returned");
}

static void test_signal_other_process_killed(void **state)
{
    (void)state;
    need_seccomp();
    expect_sigsys(in_child(child_kill_parent));
}

/* A thread that existed before confinement is covered too (TSYNC): its
 * execve kills the process. */
static int thread_go[2];

static void *thread_exec_later(void *arg)
{
    (void)arg;
    char c;
    if (read(thread_go[0], &c, 1) != 1) return NULL;
    char *argv[] = {"true", NULL};
    execve("/bin/true", argv, environ);
    return NULL;
}

static void child_existing_thread(void)
{
    CHECK(pipe(thread_go) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_exec_later, NULL) == 0);
    b8g_confine_report r = confine_scratch(NULL, NULL);
    CHECK(r.seccomp);
    /* Landlock binds the other thread only from ABI 8 (TSYNC). */
    CHECK(r.landlock == (r.landlock_abi >= 8));
    char c = 1;
    CHECK(write(thread_go[1], &c, 1) == 1);
    pthread_join(t, NULL);
    CHECK(!"the thread's execve returned");
}

static void test_existing_thread_covered(void **state)
{
    (void)state;
    need_seccomp();
    expect_sigsys(in_child(child_existing_thread));
}

/* ---- Landlock ------------------------------------------------------------- */

static void child_landlock_files(void)
{
    int rw, ro;
    b8g_confine_report r = confine_scratch(&rw, &ro);
    CHECK(r.landlock);
    /* An absolute path ignores the descriptor, so seccomp cannot see it:
     * Landlock refuses. */
    CHECK_DENIED(openat(ro, "/etc/passwd", O_RDONLY | O_CLOEXEC));
    CHECK_DENIED(openat(rw, "../outside.txt", O_RDONLY | O_CLOEXEC));
    CHECK_DENIED(openat(rw, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    /* Read-only: reading and listing only. */
    int fd = openat(ro, "r.txt", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    close(fd);
    fd = openat(ro, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(fd >= 0);
    close(fd);
    CHECK_DENIED(openat(ro, "r.txt", O_WRONLY | O_CLOEXEC));
    CHECK_DENIED(openat(ro, "new.txt", O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
    CHECK_DENIED(openat(rw, "../ro/r.txt", O_RDWR | O_CLOEXEC));
    CHECK_DENIED(mkdirat(ro, "d", 0755));
    CHECK_DENIED(unlinkat(ro, "r.txt", 0));
    CHECK_DENIED(symlinkat("r.txt", ro, "link"));
    /* Writable: create, write, make directories, remove. */
    CHECK(mkdirat(rw, "d", 0755) == 0);
    fd = openat(rw, "d/f.txt", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1);
    close(fd);
    CHECK(renameat(rw, "d/f.txt", rw, "d/g.txt") == 0);
    CHECK(unlinkat(rw, "d/g.txt", 0) == 0);
    CHECK(unlinkat(rw, "d", AT_REMOVEDIR) == 0);
}

static void test_landlock_files(void **state)
{
    (void)state;
    need_seccomp();
    if (!probe.landlock) skip();
    expect_success(in_child(child_landlock_files));
    char path[160];
    snprintf(path, sizeof path, "%s/new.txt", ro_path);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/r.txt", ro_path);
    assert_int_equal(access(path, F_OK), 0);
}

/* ---- the engine, confined ------------------------------------------------- */

typedef struct Engine {
    b8g_store *store;
    b8g_wasi *wasi;
    b8g_module *mod;
} Engine;

/* What b8g run does before the guest runs: load, store, WASI context with
 * a preopen, then b8g_wasi_confine. */
static Engine engine_confined(void)
{
    Engine e;
    b8g_error err;
    CHECK(b8g_module_load(guest_wasm, sizeof guest_wasm, &e.mod, &err) == B8G_OK);
    b8g_config cfg;
    memset(&cfg, 0, sizeof cfg);
    e.store = b8g_store_new(&cfg);
    CHECK(e.store != NULL);
    b8g_wasi_dir dir = {.host_path = rw_path, .guest_path = "/out", .readonly = false};
    b8g_wasi_config wc = {.stdin_fd = -1, .stdout_fd = 1, .stderr_fd = 2,
                          .ndirs = 1, .dirs = &dir};
    CHECK(b8g_wasi_new(e.store, &wc, &e.wasi, &err) == B8G_OK);
    b8g_confine_report r;
    b8g_status st = b8g_wasi_confine(e.wasi, &r, &err);
    if (st) fprintf(stderr, "b8g_wasi_confine: %s\n", err.msg);
    CHECK(st == B8G_OK && r.seccomp && r.no_new_privs);
    CHECK(r.landlock == probe.landlock);
    return e;
}

static void child_engine_runs(void)
{
    Engine e = engine_confined();
    b8g_error err;
    b8g_instance *inst = NULL;
    CHECK(b8g_instantiate(e.store, e.mod, &inst, &err) == B8G_OK);
    CHECK(b8g_wasi_attach(e.wasi, inst, &err) == B8G_OK);
    b8g_val res;
    CHECK(b8g_call(inst, "run", NULL, 0, &res, 1, &err) == B8G_OK);
    CHECK(res.of.i32 == 0); /* WASI errno of fd_write */
    /* A guard-page fault still becomes a trap. */
    CHECK(b8g_call(inst, "oob", NULL, 0, &res, 1, &err) == B8G_TRAP);
    CHECK(err.trap == B8G_TRAP_MEM_OOB);
    /* The host side of the same process is shut in as well. */
    if (!SYS_SANITIZER || probe.landlock) CHECK_DENIED(open("/etc/passwd", O_RDONLY));
    b8g_store_free(e.store);
    b8g_wasi_free(e.wasi);
    b8g_module_free(e.mod);
}

static void test_engine_runs_confined(void **state)
{
    (void)state;
    need_seccomp();
    expect_success(in_child(child_engine_runs));
    char path[160], buf[32] = {0};
    snprintf(path, sizeof path, "%s/out.txt", rw_path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "confined\n");
}

/* The test-only hook: the engine's process, set up as b8g run sets it up,
 * tries to execute a program. */
static void child_engine_execve(void)
{
    engine_confined();
    char *argv[] = {"sh", "-c", "echo escaped", NULL};
    execve("/bin/sh", argv, environ);
    CHECK(!"execve returned");
}

static void test_engine_execve_killed(void **state)
{
    (void)state;
    need_seccomp();
    expect_sigsys(in_child(child_engine_execve));
}

/* Memory regions of the component ABI work confined: a memfd sealed at
 * its size, copied into and mapped as a window. */
static void child_regions_confined(void)
{
    Engine e = engine_confined();
    CapRegion *r = NULL;
    CHECK(cap_region_new(2 * 65536, &r) == CAP_OK);
    CHECK(cap_region_write(r, 0, (const uint8_t *)"x", 1) == CAP_OK);
    Memory m;
    b8g_error err;
    CHECK(mem_init(&m, 2, 2, true, 0, &err) == B8G_OK);
    CHECK(mem_map_window(&m, 65536, 65536, r->fd) == 0);
    CHECK(m.base[65536] == 'x');
    CHECK(mem_unmap_window(&m, 65536, 65536) == 0);
    CHECK(m.base[65536] == 0);
    mem_release(&m);
    cap_unref(&r->base);
    b8g_store_free(e.store);
    b8g_wasi_free(e.wasi);
    b8g_module_free(e.mod);
}

static void test_regions_confined(void **state)
{
    (void)state;
    need_seccomp();
    expect_success(in_child(child_regions_confined));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_without_seccomp_refused),
        cmocka_unit_test(test_seccomp_denials),
        cmocka_unit_test(test_status_seen_from_outside),
        cmocka_unit_test(test_execve_killed),
        cmocka_unit_test(test_ptrace_refused),
        cmocka_unit_test(test_fork_killed),
        cmocka_unit_test(test_signal_other_process_killed),
        cmocka_unit_test(test_existing_thread_covered),
        cmocka_unit_test(test_landlock_files),
        cmocka_unit_test(test_engine_runs_confined),
        cmocka_unit_test(test_engine_execve_killed),
        cmocka_unit_test(test_regions_confined),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
