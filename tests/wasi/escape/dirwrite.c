/*
 * dirwrite.c - a directory is never opened for writing (EISDIR), and a
 * directory descriptor has no right that writes bytes.
 */
#include <fcntl.h>
#include <unistd.h>

#include "escape.h"

int main(void)
{
    __wasi_fd_t fd;
    deny("open sub for write", esc_open(SANDBOX, 0, "sub", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
    deny("open sub for read+write",
         esc_open(SANDBOX, 0, "sub", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
    deny("open sub as DIRECTORY with all rights",
         esc_open(SANDBOX, 0, "sub", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, 0, &fd), __WASI_ERRNO_ISDIR);
    deny("open . for write", esc_open(SANDBOX, 0, ".", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
    deny("open sub/.. for write", esc_open(SANDBOX, 0, "sub/..", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
    deny("open sub with TRUNC", esc_open(SANDBOX, 0, "sub", __WASI_OFLAGS_TRUNC,
                                         __WASI_RIGHTS_FD_WRITE, 0, &fd), __WASI_ERRNO_ISDIR);
    deny("open sub with CREAT", esc_open(SANDBOX, 0, "sub", __WASI_OFLAGS_CREAT,
                                         __WASI_RIGHTS_FD_WRITE, 0, &fd), __WASI_ERRNO_ISDIR);
    deny("open newdir with CREAT|DIRECTORY",
         esc_open(SANDBOX, 0, "newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY,
                  DIR_RIGHTS, 0, &fd), __WASI_ERRNO_INVAL);
    deny("open sub/ for write (trailing slash)",
         esc_open(SANDBOX, 0, "sub/", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd), __WASI_ERRNO_ISDIR);
    /* Directory descriptors (the preopen, and one opened beneath it). */
    __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    deny("fd_write on the preopen", __wasi_fd_write(SANDBOX, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    deny("fd_pwrite on the preopen", __wasi_fd_pwrite(SANDBOX, &iov, 1, 0, &n),
         __WASI_ERRNO_NOTCAPABLE);
    deny("fd_filestat_set_size on the preopen", __wasi_fd_filestat_set_size(SANDBOX, 0),
         __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_t sub;
    must("open sub (read)", open_dir(SANDBOX, "sub", &sub));
    deny("fd_write on sub", __wasi_fd_write(sub, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    deny("fd_allocate on sub", __wasi_fd_allocate(sub, 0, 10), __WASI_ERRNO_NOTCAPABLE);
    deny("widen sub's rights to FD_WRITE",
         __wasi_fd_fdstat_set_rights(sub, ALL_RIGHTS, ALL_RIGHTS), __WASI_ERRNO_NOTCAPABLE);
    /* The POSIX layer. */
    fact("libc open(/sandbox/sub, O_WRONLY) fails", open("/sandbox/sub", O_WRONLY) < 0);
    fact("libc open(/sandbox, O_RDWR) fails", open("/sandbox", O_RDWR) < 0);
    return esc_finish();
}
