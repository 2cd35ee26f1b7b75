/*
 * sock.c - sock_accept, sock_recv, sock_send and sock_shutdown.
 *
 * Preview1 cannot create a socket or name an address: these work only on
 * sockets the embedder handed in (a socket lent as stdio, inetd style) and
 * on connections accepted from them.  Anything else is ENOTSOCK, so a guest
 * never reaches the network by any other route.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "wasi/wasi.h"

#define ARG(i) ((uint32_t)slots[i])
#define RET(errno_) (slots[0] = (uint64_t)(errno_), B8G_OK)

#define WASI_RIFLAG_RECV_PEEK 0x1
#define WASI_RIFLAG_RECV_WAITALL 0x2
#define WASI_ROFLAG_RECV_DATA_TRUNCATED 0x1
#define WASI_SDFLAG_RD 0x1
#define WASI_SDFLAG_WR 0x2

/* The socket behind fd: EBADF, ENOTSOCK, then ENOTCAPABLE, in that order. */
static int socket_fd(b8g_hostcall *call, uint32_t fd, uint64_t rights, WasiFile **f,
                     HandleEntry **e)
{
    int rc = wasi_fd(call, fd, 0, f, e);
    if (rc) return rc;
    if ((*f)->base.kind != CAP_KIND_SOCKET) return WASI_ENOTSOCK;
    return ((*e)->wasi_base & rights) == rights ? 0 : WASI_ENOTCAPABLE;
}

/* Waits until the socket is ready unless the guest asked for non-blocking
 * behaviour: 0, a WASI errno, or -1 when interrupted (err filled). */
static int wait_socket(b8g_hostcall *call, const WasiFile *f, short events, b8g_error *err)
{
    int fl = fcntl(f->fd, F_GETFL);
    if ((f->fdflags & WASI_FDFLAG_NONBLOCK) || (fl > 0 && (fl & O_NONBLOCK))) {
        struct pollfd p = {f->fd, events, 0};
        return poll(&p, 1, 0) > 0 ? 0 : WASI_EAGAIN;
    }
    return wasi_wait_fd(call, f->fd, events, err);
}

/* (fd, flags, result_fd_ptr): the connection inherits what the listener
 * may pass on, and can never accept in turn. */
static b8g_status sock_accept(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    WasiFile *f;
    HandleEntry *e;
    int rc = socket_fd(call, ARG(0), WASI_RIGHT_SOCK_ACCEPT, &f, &e);
    if (rc) return RET(rc);
    uint32_t flags = ARG(1);
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK) return RET(WASI_EINVAL);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(2), 4)) return RET(WASI_EFAULT);
    uint64_t rights = e->wasi_inheriting & WASI_RIGHTS_SOCKET & ~WASI_RIGHT_SOCK_ACCEPT;
    if ((rc = wait_socket(call, f, POLLIN, err)) < 0) return B8G_TRAP;
    if (rc) return RET(rc);
    int nfd = accept4(f->fd, NULL, NULL,
                      SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
    if (nfd < 0) return RET(wasi_errno(errno));
    struct stat st;
    uint8_t type = fstat(nfd, &st) == 0 ? wasi_filetype_of(st.st_mode) : WASI_FILETYPE_SOCKET_STREAM;
    WasiFile *c = wasi_file_new(nfd, false, type, CAP_KIND_SOCKET);
    c->fdflags = (uint16_t)flags;
    uint32_t slot;
    b8g_status st_ins = cap_insert(wasi_handles(call), &c->base, 0, rights, rights, &slot, NULL);
    cap_unref(&c->base); /* closes nfd if the table had no room */
    if (st_ins) return RET(WASI_EMFILE);
    wasi_put_u32(&m, ARG(2), slot);
    return RET(WASI_ESUCCESS);
}

/* What sock_recv and sock_send share: the socket with `right`, valid
 * flags, its iovecs (ARG(1), ARG(2)) and readiness for `events`.  0 to go
 * on, a WASI errno, or -1 when interrupted (err filled). */
static int sock_prepare(b8g_hostcall *call, uint64_t *slots, uint64_t right, bool flags_ok,
                        short events, WasiFile **f, struct iovec *iov, b8g_error *err)
{
    HandleEntry *e;
    int rc = socket_fd(call, ARG(0), right, f, &e);
    if (rc) return rc;
    if (!flags_ok) return WASI_EINVAL;
    WasiMem m = wasi_mem(call);
    if ((rc = wasi_get_iovs(&m, ARG(1), ARG(2), iov))) return rc;
    /* The results: ro_datalen and ro_flags, or so_datalen. */
    bool recv = events == POLLIN;
    if (!wasi_in(&m, ARG(4), 4) || (recv && !wasi_in(&m, ARG(5), 2))) return WASI_EFAULT;
    return wait_socket(call, *f, events, err);
}

/* (fd, ri_data, ri_data_len, ri_flags, ro_datalen_ptr, ro_flags_ptr) */
static b8g_status sock_recv(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    uint32_t ri = ARG(3);
    WasiFile *f;
    struct iovec iov[WASI_IOV_MAX];
    bool flags_ok = !(ri & ~(uint32_t)(WASI_RIFLAG_RECV_PEEK | WASI_RIFLAG_RECV_WAITALL));
    int rc = sock_prepare(call, slots, WASI_RIGHT_FD_READ, flags_ok, POLLIN, &f, iov, err);
    if (rc < 0) return B8G_TRAP;
    if (rc) return RET(rc);
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = ARG(2)};
    int flags = (ri & WASI_RIFLAG_RECV_PEEK ? MSG_PEEK : 0) |
                (ri & WASI_RIFLAG_RECV_WAITALL ? MSG_WAITALL : 0);
    ssize_t r;
    while ((r = recvmsg(f->fd, &msg, flags)) < 0 && errno == EINTR)
        if (wasi_interrupted(call, err)) return B8G_TRAP;
    if (r < 0) return RET(wasi_errno(errno));
    WasiMem m = wasi_mem(call);
    wasi_put_u32(&m, ARG(4), (uint32_t)r);
    wasi_put_u16(&m, ARG(5), msg.msg_flags & MSG_TRUNC ? WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    return RET(WASI_ESUCCESS);
}

/* (fd, si_data, si_data_len, si_flags, so_datalen_ptr): no send flags are
 * defined.  MSG_NOSIGNAL: a closed peer is EPIPE, never SIGPIPE. */
static b8g_status sock_send(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    WasiFile *f;
    struct iovec iov[WASI_IOV_MAX];
    int rc = sock_prepare(call, slots, WASI_RIGHT_FD_WRITE, ARG(3) == 0, POLLOUT, &f, iov, err);
    if (rc < 0) return B8G_TRAP;
    if (rc) return RET(rc);
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = ARG(2)};
    ssize_t r;
    while ((r = sendmsg(f->fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        if (wasi_interrupted(call, err)) return B8G_TRAP;
    if (r < 0) return RET(wasi_errno(errno));
    WasiMem m = wasi_mem(call);
    wasi_put_u32(&m, ARG(4), (uint32_t)r);
    return RET(WASI_ESUCCESS);
}

/* (fd, how): how is a set of RD and WR. */
static b8g_status sock_shutdown(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    HandleEntry *e;
    int rc = socket_fd(call, ARG(0), WASI_RIGHT_SOCK_SHUTDOWN, &f, &e);
    if (rc) return RET(rc);
    int how;
    switch (ARG(1)) {
    case WASI_SDFLAG_RD: how = SHUT_RD; break;
    case WASI_SDFLAG_WR: how = SHUT_WR; break;
    case WASI_SDFLAG_RD | WASI_SDFLAG_WR: how = SHUT_RDWR; break;
    default: return RET(WASI_EINVAL);
    }
    return RET(shutdown(f->fd, how) == 0 ? WASI_ESUCCESS : wasi_errno(errno));
}

const WasiFuncDef wasi_sock_funcs[] = {
    {"sock_accept", "iii:i", sock_accept},
    {"sock_recv", "iiiiii:i", sock_recv},
    {"sock_send", "iiiii:i", sock_send},
    {"sock_shutdown", "ii:i", sock_shutdown},
};
const uint32_t wasi_sock_nfuncs = B8G_ARRAY_LEN(wasi_sock_funcs);
