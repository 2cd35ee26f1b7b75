/* ro.c - a preopen given with ":ro" (fd 3 here): everything that reads
 * works (open for reading, read, stat, readdir, readlink), everything
 * that would write or create fails, and no right that writes is held or
 * can be inherited.  The driver fills the directory with hello.txt, sub/
 * and link -> hello.txt.  Not compared with Node, which has no read-only
 * preopens. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest.h"

#define R(x) __WASI_RIGHTS_##x
#define WRITING (R(FD_WRITE) | R(FD_DATASYNC) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE) | \
                 R(FD_FILESTAT_SET_TIMES) | R(FD_FDSTAT_SET_FLAGS) | R(PATH_CREATE_DIRECTORY) | \
                 R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) |           \
                 R(PATH_RENAME_SOURCE) | R(PATH_RENAME_TARGET) | R(PATH_FILESTAT_SET_SIZE) | \
                 R(PATH_FILESTAT_SET_TIMES) | R(PATH_SYMLINK) | R(PATH_REMOVE_DIRECTORY) |   \
                 R(PATH_UNLINK_FILE))

int main(void)
{
    __wasi_fdstat_t st;
    SHOW("fdstat of the preopen", __wasi_fd_fdstat_get(3, &st));
    FACT("no writing right", (st.fs_rights_base & WRITING) == 0);
    FACT("none inherited either", (st.fs_rights_inheriting & WRITING) == 0);
    FACT("can open and read", (st.fs_rights_base & R(PATH_OPEN)) && (st.fs_rights_inheriting & R(FD_READ)));

    char buf[64] = {0};
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    SHOWP("open hello.txt for reading", fd < 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read: %zd bytes: %s", n, buf);
    SHOW("fdstat of the file", __wasi_fd_fdstat_get((__wasi_fd_t)fd, &st));
    FACT("file has no writing right", (st.fs_rights_base & WRITING) == 0);
    SHOW("fd_write to it", guest_write((__wasi_fd_t)fd, "x", &(__wasi_size_t){0}));
    SHOW("fd_filestat_set_size", __wasi_fd_filestat_set_size((__wasi_fd_t)fd, 0));
    SHOW("fd_fdstat_set_rights cannot add write",
         __wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, st.fs_rights_base | R(FD_WRITE), 0));
    close(fd);
    __wasi_size_t used = 0;
    SHOW("readlink link", __wasi_path_readlink(3, "link", (uint8_t *)buf, sizeof buf, &used));
    printf("target: %.*s\n", (int)used, buf);
    DIR *d = opendir("/sandbox/sub");
    SHOWP("opendir sub", d == NULL);
    if (d) closedir(d);

    __wasi_fd_t f;
    /* Asking for more than the directory passes on is not an error: the
     * descriptor gets only what it may have. */
    SHOW("path_open asking for write",
         __wasi_path_open(3, 0, "hello.txt", 0, R(FD_READ) | R(FD_WRITE), 0, 0, &f));
    SHOW("fdstat of it", __wasi_fd_fdstat_get(f, &st));
    FACT("it has no write right", (st.fs_rights_base & WRITING) == 0);
    SHOW("fd_write to it", guest_write(f, "x", &(__wasi_size_t){0}));
    guest_close(f);
    SHOW("path_open create",
         __wasi_path_open(3, 0, "new.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0, 0, &f));
    SHOW("path_open trunc",
         __wasi_path_open(3, 0, "hello.txt", __WASI_OFLAGS_TRUNC, R(FD_READ), 0, 0, &f));
    /* wasi-libc asks only for rights the directory can pass on, so open()
     * succeeds with a descriptor that cannot write. */
    fd = open("/sandbox/hello.txt", O_WRONLY);
    SHOWP("open O_WRONLY", fd < 0);
    SHOWP("write to it", write(fd, "x", 1) < 0);
    close(fd);
    SHOW("mkdir", __wasi_path_create_directory(3, "newdir"));
    SHOW("rmdir sub", __wasi_path_remove_directory(3, "sub"));
    SHOW("unlink hello.txt", __wasi_path_unlink_file(3, "hello.txt"));
    SHOW("rename hello.txt", __wasi_path_rename(3, "hello.txt", 3, "moved.txt"));
    SHOW("symlink", __wasi_path_symlink("hello.txt", 3, "l2"));
    SHOW("link", __wasi_path_link(3, 0, "hello.txt", 3, "h2"));
    SHOW("set times", __wasi_path_filestat_set_times(3, 0, "hello.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    return 0;
}
