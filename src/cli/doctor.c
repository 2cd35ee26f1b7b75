/*
 * doctor.c - `b8g doctor`: checks, one line each, what `b8g run` relies on
 * in this kernel and process, without running anything.
 *
 *   Landlock                 optional: files beneath the preopens only
 *   seccomp filter           required for confinement (else --no-confine)
 *   no_new_privs             required for confinement
 *   guard-page reservations  each memory reserves 8 GiB + 64 KiB PROT_NONE
 *   SIGSEGV handler          a fault in a reservation reaches a handler that
 *                            can recover, which is how guard pages trap
 *
 * The last two are not needed by a BOUNDS_CHECK=1 build.  Exit status 0
 * when everything required is there, else 5 (unsupported feature).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "cli/cli.h"

/* What one linear memory reserves (MEM_RESERVE in rt/memory.h). */
#define GUARD_RESERVE (((uint64_t)1 << 33) + ((uint64_t)1 << 16))

#if defined(B8G_BOUNDS_CHECK) && B8G_BOUNDS_CHECK
#define GUARD_REQUIRED false
#else
#define GUARD_REQUIRED true
#endif

/* Prints one line; returns false if a required check failed. */
static bool line(const char *what, bool ok, bool required, const char *detail)
{
    printf("%s: %s", what, ok ? "ok" : "missing");
    if (detail && detail[0]) printf(" (%s)", detail);
    putchar('\n');
    return ok || !required;
}

static sigjmp_buf fault_jb;
static void *volatile fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
    (void)sig;
    (void)uctx;
    fault_addr = si->si_addr;
    siglongjmp(fault_jb, 1);
}

/* Touches a PROT_NONE page of the reservation at p under a SIGSEGV
 * handler, as guard.c would see a guest's out-of-bounds access: true if
 * the handler got the fault at that address and execution went on. */
static bool fault_recovers(uint8_t *p)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &old) != 0) return false;
    volatile uint8_t *target = p + 4096;
    fault_addr = NULL;
    if (sigsetjmp(fault_jb, 1) == 0) *target = 1;
    sigaction(SIGSEGV, &old, NULL);
    return fault_addr == (void *)target;
}

int cli_doctor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    b8g_confine_report r;
    b8g_confine_probe(&r);
    bool ok = true;
    char detail[96];
    snprintf(detail, sizeof detail, r.landlock ? "ABI %d" : "optional: the kernel has none",
             r.landlock_abi);
    ok &= line("Landlock", r.landlock, false, detail);
    ok &= line("seccomp filter", r.seccomp, true, r.seccomp ? "" : "b8g run needs --no-confine");
    ok &= line("no_new_privs", r.no_new_privs, true,
               r.no_new_privs ? "" : "b8g run needs --no-confine");
    void *p = mmap(NULL, GUARD_RESERVE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    bool reserved = p != MAP_FAILED;
    snprintf(detail, sizeof detail, "8 GiB + 64 KiB PROT_NONE%s%s%s",
             reserved ? "" : ": ", reserved ? "" : strerror(errno),
             GUARD_REQUIRED ? "" : "; not needed with explicit bounds checks");
    ok &= line("guard-page reservations", reserved, GUARD_REQUIRED, detail);
    bool handled = reserved && fault_recovers(p);
    ok &= line("SIGSEGV handler", handled, GUARD_REQUIRED,
               handled ? "a guard-page fault is caught and recovered"
               : reserved ? "a guard-page fault is not caught"
                          : "not checked without a reservation");
    if (reserved) munmap(p, GUARD_RESERVE);
    puts(ok ? "b8g doctor: everything b8g run needs is there"
            : "b8g doctor: something b8g run needs is missing");
    return ok ? 0 : b8g_status_exit_code(B8G_UNSUPPORTED);
}
