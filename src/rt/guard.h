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
 * Only the interpreter's own frame is unwound by the jump, and it rebuilds
 * everything it needs (backtrace, pc) from the engine-managed frame stack,
 * which lives in memory, not in C locals.
 */
#ifndef B8G_RT_GUARD_H
#define B8G_RT_GUARD_H

#include <setjmp.h>

#include "util/common.h"

typedef struct GuardScope {
    sigjmp_buf jb;
    const uint8_t *lo;     /* reservation of the active memory, or NULL */
    const uint8_t *hi;
    struct GuardScope *prev; /* scope of an outer (re-entrant) run */
} GuardScope;

extern _Thread_local GuardScope *guard_current;

/* Installs the process-wide handler (idempotent, thread-safe). */
void guard_install(void);

#endif
