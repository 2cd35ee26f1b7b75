/*
 * guard.c - the SIGSEGV/SIGBUS handler that turns guard-page faults into
 * traps (see guard.h).
 *
 * The handler must stay async-signal-safe: it reads a thread-local pointer,
 * compares addresses and either copies the registers and siglongjmps, or
 * reinstalls the previous disposition with sigaction.  SA_NODEFER keeps
 * the signal unblocked inside the handler, so after siglongjmp(savemask 0)
 * the next fault is delivered normally instead of killing the process as
 * a blocked synchronous signal.
 */
#define _GNU_SOURCE /* REG_RIP */
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <string.h>

#include "rt/guard.h"

GUARD_TLS GuardScope *guard_current;

/* What was installed before us.  A foreign fault goes to it: a real handler
 * (an embedder's, a sanitizer's reporter) is called directly, so ours stays
 * installed for the next guest fault; the default action is restored and
 * the faulting instruction re-runs under it, so a genuine host bug dies
 * with an honest core. */
static struct sigaction guard_prev_segv, guard_prev_bus;

/* Copies the interrupted context's general registers into g. */
static void guard_save_regs(GuardScope *g, const void *uctx)
{
    g->nregs = 0;
    g->ip = 0;
#if defined(__linux__) && defined(__x86_64__)
    const ucontext_t *uc = uctx;
    for (int i = 0; i < NGREG && g->nregs < GUARD_MAX_REGS; i++)
        g->regs[g->nregs++] = (uintptr_t)uc->uc_mcontext.gregs[i];
    g->ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__linux__) && defined(__aarch64__)
    const ucontext_t *uc = uctx;
    for (int i = 0; i < 31 && g->nregs < GUARD_MAX_REGS; i++)
        g->regs[g->nregs++] = (uintptr_t)uc->uc_mcontext.regs[i];
    g->ip = (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uctx;
#endif
}

static void guard_handler(int sig, siginfo_t *si, void *uctx)
{
    GuardScope *g = guard_current;
    const uint8_t *a = (const uint8_t *)si->si_addr;
    if (g && g->lo && a >= g->lo && a < g->hi) {
        guard_save_regs(g, uctx);
        siglongjmp(g->jb, 1);
    }
    const struct sigaction *prev = sig == SIGBUS ? &guard_prev_bus : &guard_prev_segv;
    if (prev->sa_flags & SA_SIGINFO) {
        prev->sa_sigaction(sig, si, uctx);
        return;
    }
    if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    sigaction(sig, prev, NULL);
}

/*
 * Puts our handler in front for sig unless it already is, chaining to
 * whatever was there.  Checked at every guard_install (each engine stack),
 * not only once: a handler installed after ours - a test framework's, a
 * crash reporter's - would otherwise turn every later guest fault into a
 * host crash.
 */
static void guard_claim(int sig, struct sigaction *prev)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) return;
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == guard_handler) return;
    /* An ignored fault would just repeat forever: die instead. */
    if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == SIG_IGN) cur.sa_handler = SIG_DFL;
    *prev = cur;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = guard_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void guard_install(void)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    guard_claim(SIGSEGV, &guard_prev_segv);
    guard_claim(SIGBUS, &guard_prev_bus);
    pthread_mutex_unlock(&lock);
}
