/* sockio.c - sock_* on sockets the host handed in as stdio (inetd style);
 * tests/wasi/sockpeer.mjs is the other end.  The guest reports on stderr,
 * since its stdin and stdout are the sockets.
 *
 *   sockio.wasm stream   fd 0 and fd 1 are connected stream sockets: peek
 *                        and receive "ping", send "pong", shut down
 *                        writing, then see the peer's end of stream
 *   sockio.wasm listen   fd 0 is a listening socket: accepting while it is
 *                        non-blocking and no client is there is EAGAIN;
 *                        then accept one (sock_accept's flags are the new
 *                        descriptor's), receive, send, shut it down, close */
#include "guest.h"

#define say(...) fprintf(stderr, __VA_ARGS__)
#define SAY(what, call) say("%s: %s\n", (what), errname((int)(call)))
#define SAYF(what, cond) say("%s: %s\n", (what), (cond) ? "yes" : "no")

static __wasi_errno_t send_str(__wasi_fd_t fd, const char *s)
{
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    return __wasi_sock_send(fd, &iov, 1, 0, &n);
}

/* Receives until `want` bytes or the end of stream, and prints them. */
static void expect(const char *what, __wasi_fd_t fd, size_t want, __wasi_riflags_t flags)
{
    char all[64] = {0};
    size_t got = 0;
    __wasi_errno_t e = 0;
    __wasi_roflags_t ro = 0;
    do {
        __wasi_iovec_t iov = {(uint8_t *)all + got, sizeof all - 1 - got};
        __wasi_size_t n = 0;
        e = __wasi_sock_recv(fd, &iov, 1, flags, &n, &ro);
        if (e || n == 0) break;
        got += n;
    } while (got < want && !(flags & __WASI_RIFLAGS_RECV_PEEK));
    say("%s: %s, %zu bytes \"%s\"\n", what, errname(e), got, all);
}

static void is_socket(const char *what, __wasi_fd_t fd)
{
    __wasi_fdstat_t st;
    memset(&st, 0, sizeof st);
    SAY(what, __wasi_fd_fdstat_get(fd, &st));
    SAYF("  a stream socket", st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
}

static void stream(void)
{
    is_socket("fdstat stdin", 0);
    is_socket("fdstat stdout", 1);
    expect("sock_recv peek", 0, 4, __WASI_RIFLAGS_RECV_PEEK);
    expect("sock_recv", 0, 4, 0);
    SAY("sock_send pong", send_str(1, "pong"));
    SAY("sock_shutdown stdout wr", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
    SAY("sock_send after shutdown", send_str(1, "late"));
    expect("sock_recv at the end", 0, 4, 0);
    __wasi_fd_t c;
    SAY("sock_accept on a connected socket", __wasi_sock_accept(0, 0, &c));
    SAY("sock_shutdown bad flags", __wasi_sock_shutdown(0, 0));
}

static void listening(void)
{
    __wasi_fd_t c = 0;
    is_socket("fdstat stdin", 0);
    SAY("fd_fdstat_set_flags nonblock", __wasi_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK));
    SAY("sock_accept, nobody there", __wasi_sock_accept(0, 0, &c));
    SAY("fd_fdstat_set_flags blocking", __wasi_fd_fdstat_set_flags(0, 0));
    say("ready\n"); /* the peer connects when it reads this */
    SAY("sock_accept", __wasi_sock_accept(0, __WASI_FDFLAGS_NONBLOCK, &c));
    SAYF("  a new descriptor", c > 2);
    is_socket("fdstat accepted", c);
    __wasi_fdstat_t st;
    SAY("fdstat flags", __wasi_fd_fdstat_get(c, &st));
    SAYF("  nonblocking as asked", st.fs_flags & __WASI_FDFLAGS_NONBLOCK);
    SAY("fd_fdstat_set_flags blocking", __wasi_fd_fdstat_set_flags(c, 0));
    expect("sock_recv", c, 5, 0);
    SAY("sock_send", send_str(c, "HELLO"));
    __wasi_fd_t c2;
    SAY("sock_accept on the accepted socket", __wasi_sock_accept(c, 0, &c2));
    SAY("sock_shutdown rd|wr", __wasi_sock_shutdown(c, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
    SAY("fd_close", __wasi_fd_close(c));
    SAY("sock_recv after close", __wasi_sock_recv(c, NULL, 0, 0, &(__wasi_size_t){0}, &(__wasi_roflags_t){0}));
}

int main(int argc, char **argv)
{
    setvbuf(stderr, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "stream") == 0) stream();
    else if (argc > 1 && strcmp(argv[1], "listen") == 0) listening();
    else say("usage: sockio.wasm stream|listen\n");
    return 0;
}
