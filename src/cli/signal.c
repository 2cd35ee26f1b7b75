/*
 * signal.c - SIGUSR1 suspends the guest (`--suspend-to`).
 *
 * The handler only asks the store to stop at its next safe point
 * (b8g_store_interrupt is an atomic store, safe in a handler); the call
 * then returns B8G_SUSPENDED on the thread running it and session.c
 * captures it.  Installed without SA_RESTART, like the timer's signal, so
 * a host call blocked in the kernel returns EINTR and sees the interrupt.
 * Without --suspend-to nothing is installed and SIGUSR1 keeps its default
 * action (it ends the process), as before.  sigaction is set up before
 * confinement, though the allow-list has rt_sigaction anyway.  A signal
 * that arrives before the store has run anything finds nothing to stop
 * (b8g_store_interrupt needs a running thread) and is only noted.
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "cli/run.h"

static _Atomic(b8g_store *) target;
static volatile sig_atomic_t seen;

static void on_sigusr1(int sig)
{
    (void)sig;
    seen = 1;
    b8g_store *s = atomic_load(&target);
    if (s) b8g_store_interrupt(s);
}

void cli_signal_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
}

void cli_signal_target(b8g_store *s)
{
    atomic_store(&target, s);
}

bool cli_signal_seen(void)
{
    return seen != 0;
}
