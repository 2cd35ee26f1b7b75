/* prestat.c - the preopened directories as the guest discovers them:
 * fd_prestat_get from fd 3 up until EBADF, fd_prestat_dir_name (exact and
 * short buffers), and fd_prestat_get on descriptors that are not preopens. */
#include "guest.h"

int main(void)
{
    __wasi_fd_t fd = 3;
    for (;; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
        if (e) {
            printf("fd %u prestat_get: %s\n", (unsigned)fd, errname(e));
            break;
        }
        printf("fd %u: type %s, name length %u\n", (unsigned)fd,
               ps.tag == __WASI_PREOPENTYPE_DIR ? "dir" : "other",
               (unsigned)ps.u.dir.pr_name_len);
        char name[256] = {0};
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof name) len = sizeof name - 1;
        SHOW("  prestat_dir_name", __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len));
        printf("  name: %s\n", name);
        __wasi_fdstat_t st;
        SHOW("  fdstat_get", __wasi_fd_fdstat_get(fd, &st));
        FACT("  is a directory", st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    }
    /* Descriptors that are not preopens: Node answers EINVAL where
     * wasi-libc's preopen scan and wasmtime expect EBADF, and ENOBUFS for
     * a short name buffer where wasmtime says ENAMETOOLONG. */
    __wasi_prestat_t ps;
    SHOW("! prestat_get stdin", __wasi_fd_prestat_get(0, &ps));
    SHOW("prestat_get 1000", __wasi_fd_prestat_get(1000, &ps));
    char name[4];
    SHOW("! prestat_dir_name into 1 byte", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 1));
    SHOW("prestat_dir_name of stdin", __wasi_fd_prestat_dir_name(0, (uint8_t *)name, 4));

    __wasi_fd_t f;
    SHOW("create a file", guest_open(3, "x", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &f));
    SHOW("! prestat_get of an opened file", __wasi_fd_prestat_get(f, &ps));
    __wasi_fd_t d;
    SHOW("open the preopen itself as .",
         __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &d));
    SHOW("! prestat_get of it", __wasi_fd_prestat_get(d, &ps));
    return 0;
}
