/*
 * poll.c - poll_oneoff, and interruptible waiting for every wasi/ file.
 *
 * A guest may block for as long as it likes, but never longer than its
 * store allows: every wait here runs in slices of at most
 * WASI_WAIT_SLICE_MS and checks b8g_store_interrupt_pending between them,
 * so a --timeout (or any b8g_store_interrupt) ends a sleeping or reading
 * guest within one slice, as a B8G_TRAP_INTERRUPTED trap.
 *
 * Layouts (witx, little-endian):
 *   subscription (48 bytes): userdata u64 @0, tag u8 @8, then at @16
 *     clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
 *     fd_read / fd_write: fd u32 @16
 *   event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10,
 *     fd events: nbytes u64 @16, flags u16 @24 (1 = hangup)
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "util/err.h"
#include "wasi/wasi.h"

/* Subscriptions per call: bounds the host memory one call may take. */
#define WASI_POLL_MAX 4096u
#define SUB_SIZE 48u
#define EVENT_SIZE 32u
#define EVENT_FD_HANGUP 1u
#define NS_PER_MS 1000000ull

bool wasi_interrupted(b8g_hostcall *call, b8g_error *err)
{
    if (!call || !call->store || !b8g_store_interrupt_pending(call->store)) return false;
    err_trap(err, B8G_TRAP_INTERRUPTED);
    return true;
}

static struct timespec ts_of_ns(uint64_t ns)
{
    struct timespec t = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    return t;
}

int wasi_wait_fd(b8g_hostcall *call, int fd, short events, b8g_error *err)
{
    struct timespec slice = ts_of_ns(WASI_WAIT_SLICE_MS * NS_PER_MS);
    for (;;) {
        struct pollfd p = {fd, events, 0};
        int r = ppoll(&p, 1, &slice, NULL);
        /* Ready, hung up or failed: the read or write that follows says
         * which, with its own errno. */
        if (r > 0) return 0;
        if (r < 0 && errno != EINTR) return wasi_errno(errno);
        if (wasi_interrupted(call, err)) return -1;
    }
}

/* ---- poll_oneoff ------------------------------------------------------------- */

typedef struct PollSub {
    uint64_t userdata;
    uint8_t type;       /* WASI_EVENTTYPE_* */
    uint16_t error;     /* found while reading the subscription: ready now */
    int pfd;            /* index into the pollfd array, or -1 */
    uint64_t deadline;  /* clocks: CLOCK_MONOTONIC ns */
} PollSub;

static uint64_t mono_now(void)
{
    uint64_t ns = 0;
    wasi_clock_now(WASI_CLOCK_MONOTONIC, &ns);
    return ns;
}

/* A clock subscription becomes a monotonic deadline; other clocks' absolute
 * times are converted by their distance from now. */
static void read_clock(const uint8_t *s, PollSub *ps)
{
    uint32_t id = (uint32_t)s[16] | (uint32_t)s[17] << 8 | (uint32_t)s[18] << 16 |
                  (uint32_t)s[19] << 24;
    uint64_t timeout = 0, now;
    for (int i = 7; i >= 0; i--) timeout = timeout << 8 | s[24 + i];
    uint16_t flags = (uint16_t)(s[40] | s[41] << 8);
    if (!wasi_clock_now(id, &now)) {
        ps->error = WASI_EINVAL;
        return;
    }
    uint64_t wait = timeout;
    if (flags & WASI_SUBCLOCK_ABSTIME) wait = timeout > now ? timeout - now : 0;
    uint64_t mono = mono_now();
    ps->deadline = wait > UINT64_MAX - mono ? UINT64_MAX : mono + wait;
}

/* Waiting to read needs fd_read, waiting to write fd_write: the witx
 * grants poll_fd_readwrite per direction through those two, and a
 * descriptor learns nothing about a direction it cannot use. */
static void read_fd_sub(b8g_hostcall *call, const uint8_t *s, PollSub *ps,
                        struct pollfd *pfds, uint32_t *npfds)
{
    uint32_t fd = (uint32_t)s[16] | (uint32_t)s[17] << 8 | (uint32_t)s[18] << 16 |
                  (uint32_t)s[19] << 24;
    WasiFile *f;
    HandleEntry *e;
    int rc = wasi_fd(call, fd, 0, &f, &e);
    uint64_t need = ps->type == WASI_EVENTTYPE_FD_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
    if (!rc && !(e->wasi_base & need)) rc = WASI_ENOTCAPABLE;
    if (rc) {
        ps->error = (uint16_t)rc;
        return;
    }
    ps->pfd = (int)*npfds;
    pfds[(*npfds)++] = (struct pollfd){f->fd, ps->type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT, 0};
}

/* How much a ready descriptor can read without blocking, if it says. */
static uint64_t readable_bytes(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void put_event(uint8_t *ev, const PollSub *ps, const struct pollfd *p)
{
    memset(ev, 0, EVENT_SIZE);
    for (int i = 0; i < 8; i++) ev[i] = (uint8_t)(ps->userdata >> (8 * i));
    uint16_t error = ps->error, flags = 0;
    uint64_t nbytes = 0;
    if (p && !error) {
        if (p->revents & POLLNVAL) error = WASI_EBADF;
        else if ((p->revents & POLLERR) && ps->type == WASI_EVENTTYPE_FD_WRITE) error = WASI_EPIPE;
        else if (p->revents & POLLERR) error = WASI_EIO;
        if (p->revents & POLLHUP) flags |= EVENT_FD_HANGUP;
        if (!error && ps->type == WASI_EVENTTYPE_FD_READ) nbytes = readable_bytes(p->fd);
    }
    ev[8] = (uint8_t)error;
    ev[9] = (uint8_t)(error >> 8);
    ev[10] = ps->type;
    for (int i = 0; i < 8; i++) ev[16 + i] = (uint8_t)(nbytes >> (8 * i));
    ev[24] = (uint8_t)flags;
    ev[25] = (uint8_t)(flags >> 8);
}

static bool sub_ready(const PollSub *ps, const struct pollfd *pfds, uint64_t now)
{
    if (ps->error) return true;
    if (ps->type == WASI_EVENTTYPE_CLOCK) return now >= ps->deadline;
    return pfds[ps->pfd].revents != 0;
}

/* Writes the events of every ready subscription; returns their count. */
static uint32_t put_events(WasiMem *m, uint32_t out, const PollSub *subs, uint32_t n,
                           const struct pollfd *pfds)
{
    uint64_t now = mono_now();
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!sub_ready(&subs[i], pfds, now)) continue;
        const struct pollfd *p = subs[i].pfd >= 0 ? &pfds[subs[i].pfd] : NULL;
        put_event(m->base + out + (uint64_t)k * EVENT_SIZE, &subs[i], p);
        k++;
    }
    return k;
}

/* How long the next ppoll may sleep: until the nearest deadline, at most
 * one slice, nothing if something is ready already. */
static uint64_t next_wait(const PollSub *subs, uint32_t n)
{
    uint64_t now = mono_now(), wait = WASI_WAIT_SLICE_MS * NS_PER_MS;
    for (uint32_t i = 0; i < n; i++) {
        if (subs[i].error) return 0;
        if (subs[i].type != WASI_EVENTTYPE_CLOCK) continue;
        uint64_t left = subs[i].deadline > now ? subs[i].deadline - now : 0;
        if (left < wait) wait = left;
    }
    return wait;
}

/* Parses every subscription; 0 or the errno that fails the whole call. */
static int read_subs(b8g_hostcall *call, const WasiMem *m, uint32_t in, uint32_t n,
                     PollSub *subs, struct pollfd *pfds, uint32_t *npfds)
{
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *s = m->base + in + (uint64_t)i * SUB_SIZE;
        PollSub *ps = &subs[i];
        for (int b = 7; b >= 0; b--) ps->userdata = ps->userdata << 8 | s[b];
        ps->type = s[8];
        ps->pfd = -1;
        switch (ps->type) {
        case WASI_EVENTTYPE_CLOCK: read_clock(s, ps); break;
        case WASI_EVENTTYPE_FD_READ:
        case WASI_EVENTTYPE_FD_WRITE: read_fd_sub(call, s, ps, pfds, npfds); break;
        default: return WASI_EINVAL;
        }
    }
    return 0;
}

/* Waits in slices until some subscription is ready; 0, an errno, or -1
 * when interrupted (err filled). */
static int wait_ready(b8g_hostcall *call, PollSub *subs, uint32_t n, struct pollfd *pfds,
                      uint32_t npfds, b8g_error *err)
{
    for (;;) {
        struct timespec t = ts_of_ns(next_wait(subs, n));
        for (uint32_t i = 0; i < npfds; i++) pfds[i].revents = 0;
        int r = ppoll(pfds, npfds, &t, NULL);
        if (r < 0 && errno != EINTR) return wasi_errno(errno);
        uint64_t now = mono_now();
        for (uint32_t i = 0; i < n; i++)
            if (sub_ready(&subs[i], pfds, now)) return 0;
        if (wasi_interrupted(call, err)) return -1;
    }
}

/* (in, out, nsubscriptions, nevents_ptr) */
static b8g_status poll_oneoff(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    uint32_t in = (uint32_t)slots[0], out = (uint32_t)slots[1];
    uint32_t n = (uint32_t)slots[2], nev_ptr = (uint32_t)slots[3];
    WasiMem m = wasi_mem(call);
    slots[0] = WASI_EINVAL;
    if (n == 0 || n > WASI_POLL_MAX) return B8G_OK;
    slots[0] = WASI_EFAULT;
    if (!wasi_in(&m, in, (uint64_t)n * SUB_SIZE) || !wasi_in(&m, out, (uint64_t)n * EVENT_SIZE) ||
        !wasi_in(&m, nev_ptr, 4))
        return B8G_OK;
    PollSub *subs = xcalloc(n, sizeof *subs);
    struct pollfd *pfds = xcalloc(n, sizeof *pfds);
    uint32_t npfds = 0;
    int rc = read_subs(call, &m, in, n, subs, pfds, &npfds);
    if (!rc) rc = wait_ready(call, subs, n, pfds, npfds, err);
    if (!rc) wasi_put_u32(&m, nev_ptr, put_events(&m, out, subs, n, pfds));
    free(subs);
    free(pfds);
    if (rc < 0) return B8G_TRAP;
    slots[0] = (uint64_t)rc;
    return B8G_OK;
}

const WasiFuncDef wasi_poll_funcs[] = {
    {"poll_oneoff", "iiii:i", poll_oneoff},
};
const uint32_t wasi_poll_nfuncs = B8G_ARRAY_LEN(wasi_poll_funcs);
