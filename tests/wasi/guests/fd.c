/* fd.c - descriptors as numbers: fd_renumber moves an open file onto
 * another number (closing what was there), the moved-from number is gone,
 * bad numbers are EBADF; fd_fdstat_get reports the file type; closing and
 * reopening reuses numbers. */
#include "guest.h"

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)

static void contents(const char *path)
{
    __wasi_fd_t fd;
    char buf[32] = {0};
    __wasi_size_t n = 0;
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_errno_t e = guest_open(3, path, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
    if (!e) e = __wasi_fd_read(fd, &iov, 1, &n);
    printf("%s holds: %s [%s]\n", path, errname(e), buf);
    if (!e) guest_close(fd);
}

int main(void)
{
    __wasi_fd_t a, b, c;
    __wasi_size_t n;
    SHOW("open a", guest_open(3, "a", __WASI_OFLAGS_CREAT, RW, 0, &a));
    SHOW("open b", guest_open(3, "b", __WASI_OFLAGS_CREAT, RW, 0, &b));
    FACT("a is the lowest free number after the preopen", a == 4);
    FACT("b follows", b == 5);
    SHOW("write a", guest_write(a, "A", &n));
    SHOW("write b", guest_write(b, "B", &n));

    SHOW("renumber a -> b", __wasi_fd_renumber(a, b));
    SHOW("write through b", guest_write(b, "+", &n));
    SHOW("write through a", guest_write(a, "x", &n));
    SHOW("close a", __wasi_fd_close(a));
    contents("a");
    contents("b");

    SHOW("renumber b -> b", __wasi_fd_renumber(b, b));
    SHOW("write through b", guest_write(b, "!", &n));
    SHOW("renumber 77 -> b", __wasi_fd_renumber(77, b));
    SHOW("renumber b -> 77 (not open)", __wasi_fd_renumber(b, 77));
    SHOW("write through b", guest_write(b, "?", &n));
    contents("a");

    SHOW("open c", guest_open(3, "c", __WASI_OFLAGS_CREAT, RW, 0, &c));
    FACT("c reuses the lowest free number", c == 4);
    __wasi_fdstat_t st;
    SHOW("fdstat c", __wasi_fd_fdstat_get(c, &st));
    FACT("  regular file", st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    SHOW("fdstat preopen", __wasi_fd_fdstat_get(3, &st));
    FACT("  directory", st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    SHOW("fdstat 77", __wasi_fd_fdstat_get(77, &st));
    /* Node answers EINVAL for the largest number. */
    SHOW("! fdstat 0xffffffff", __wasi_fd_fdstat_get((__wasi_fd_t)-1, &st));
    SHOW("close c", __wasi_fd_close(c));
    SHOW("close b", __wasi_fd_close(b));
    SHOW("close b again", __wasi_fd_close(b));
    return 0;
}
