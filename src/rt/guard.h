/*
 * guard.h - turning guard-page faults into wasm traps.
 *
 * The interpreter opens a GuardScope around its dispatch loop: sigsetjmp
 * into `jb`, then publishes the scope in the thread-local guard_current.
 * The SIGSEGV/SIGBUS handler siglongjmps to the scope only if the faulting
 * address lies in [lo, hi) - the reservation of the memory the running code
 * uses (kept up to date by the interpreter when a call or return changes
 * instance).  Any other fault is a real host bug: the handler restores the
 * default action and returns, so the process dies with an honest core.
 *
 * Faults outside [lo, hi) are passed to the handler that was installed
 * before the engine's (called directly), or to the default action.  An
 * embedder that installs its own SIGSEGV/SIGBUS handler *after* creating
 * the first store must chain to the previous one, or guest out-of-bounds
 * accesses become its faults instead of traps.
 *
 * Guard pages rely on a faulting store writing nothing, which holds on
 * x86-64; on targets where a store straddling into the guard may commit
 * partially, build with B8G_BOUNDS_CHECK=1.
 *
 * Only the interpreter's own frame is unwound by the jump, and it rebuilds
 * everything it needs (backtrace, pc) from the engine-managed frame stack,
 * which lives in memory, not in C locals.
 */
#ifndef B8G_RT_GUARD_H
#define B8G_RT_GUARD_H

#include <setjmp.h>

#include "util/common.h"

#define GUARD_MAX_REGS 32

typedef struct GuardScope {
    sigjmp_buf jb;
    const uint8_t *lo;     /* reservation of the active memory, or NULL */
    const uint8_t *hi;
    struct GuardScope *prev; /* scope of an outer (re-entrant) run */
    /* The general registers and the instruction pointer at a guest fault
     * (x86-64 and AArch64 Linux; nregs 0 elsewhere): the interpreter
     * keeps its pc in a register, and looks for it there to name the
     * faulting instruction. */
    uintptr_t regs[GUARD_MAX_REGS];
    uint32_t nregs;
    uintptr_t ip;          /* the host instruction that faulted, or 0 */
} GuardScope;

/* initial-exec: the handler must not call __tls_get_addr (not
 * async-signal-safe) even when the library was dlopen'ed. */
#if defined(__GNUC__)
#define GUARD_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define GUARD_TLS _Thread_local
#endif
extern GUARD_TLS GuardScope *guard_current;

/* Installs the process-wide handler (idempotent, thread-safe). */
void guard_install(void);

#endif
