/* sock.c - the socket functions with no socket handed in: on a file or a
 * directory they fail with ENOTSOCK, on a descriptor that does not exist
 * with EBADF, and nothing is written to the result pointers. */
#include "guest.h"

static void try_all(const char *what, __wasi_fd_t fd)
{
    char label[80];
    uint8_t buf[8];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
    __wasi_size_t n = 1234;
    __wasi_roflags_t ro = 77;
    __wasi_fd_t out = 4321;

    snprintf(label, sizeof label, "sock_accept on %s", what);
    SHOW(label, __wasi_sock_accept(fd, 0, &out));
    snprintf(label, sizeof label, "sock_recv on %s", what);
    SHOW(label, __wasi_sock_recv(fd, &iov, 1, 0, &n, &ro));
    snprintf(label, sizeof label, "sock_send on %s", what);
    SHOW(label, __wasi_sock_send(fd, &ciov, 1, 0, &n));
    snprintf(label, sizeof label, "sock_shutdown on %s", what);
    SHOW(label, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
    FACT("  results untouched", n == 1234 && ro == 77 && out == 4321);
}

int main(void)
{
    __wasi_fd_t f;
    SHOW("create f", guest_open(3, "f", __WASI_OFLAGS_CREAT,
                                __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &f));
    try_all("a file", f);
    try_all("the preopen", 3);
    try_all("fd 99", 99);
    return 0;
}
