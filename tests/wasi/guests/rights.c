/* rights.c - rights only narrow: fd_fdstat_set_rights drops a right and
 * the operation it guarded fails with ENOTCAPABLE, asking for it back
 * fails too, and path_open never grants more than the directory's
 * inheriting rights. */
#include "guest.h"

#define R(x) __WASI_RIGHTS_##x
#define FILE_RW (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET))
#define DIR_ALL ((__wasi_rights_t)0x7bffe00ull)

static __wasi_fdstat_t fdstat(__wasi_fd_t fd)
{
    __wasi_fdstat_t st;
    memset(&st, 0, sizeof st);
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    if (e) printf("fd_fdstat_get: %s\n", errname(e));
    return st;
}

static void file_rights(void)
{
    __wasi_fd_t fd;
    __wasi_size_t n;
    __wasi_filesize_t pos;
    SHOW("open f rw", guest_open(3, "f", __WASI_OFLAGS_CREAT, FILE_RW, 0, &fd));
    __wasi_fdstat_t st = fdstat(fd);
    FACT("base has read and write", (st.fs_rights_base & (R(FD_READ) | R(FD_WRITE))) == (R(FD_READ) | R(FD_WRITE)));
    FACT("base within what was asked", (st.fs_rights_base & ~FILE_RW) == 0);
    SHOW("write", guest_write(fd, "abc", &n));

    __wasi_rights_t ro = FILE_RW & ~R(FD_WRITE);
    SHOW("set_rights without write", __wasi_fd_fdstat_set_rights(fd, ro, 0));
    st = fdstat(fd);
    FACT("base lost write", !(st.fs_rights_base & R(FD_WRITE)));
    FACT("base kept read", st.fs_rights_base & R(FD_READ));
    SHOW("write", guest_write(fd, "abc", &n));
    SHOW("pwrite", __wasi_fd_pwrite(fd, &(__wasi_ciovec_t){(const uint8_t *)"x", 1}, 1, 0, &n));
    char buf[8];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    SHOW("seek", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    SHOW("read", __wasi_fd_read(fd, &iov, 1, &n));
    SHOW("set_rights with write again", __wasi_fd_fdstat_set_rights(fd, FILE_RW, 0));
    st = fdstat(fd);
    FACT("still no write", !(st.fs_rights_base & R(FD_WRITE)));

    SHOW("set_rights without tell and seek", __wasi_fd_fdstat_set_rights(fd, R(FD_READ), 0));
    SHOW("tell", __wasi_fd_tell(fd, &pos));
    SHOW("seek", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    SHOW("filestat_get", __wasi_fd_filestat_get(fd, &(__wasi_filestat_t){0}));
    SHOW("set_rights to nothing", __wasi_fd_fdstat_set_rights(fd, 0, 0));
    SHOW("read", __wasi_fd_read(fd, &iov, 1, &n));
    SHOW("set_rights on a closed fd", __wasi_fd_fdstat_set_rights(77, 0, 0));
    SHOW("close", __wasi_fd_close(fd));

    SHOW("open f read-only", guest_open(3, "f", 0, R(FD_READ), 0, &fd));
    SHOW("write", guest_write(fd, "abc", &n));
    SHOW("close", __wasi_fd_close(fd));
}

static void dir_rights(void)
{
    __wasi_fd_t d, f;
    SHOW("open . as a directory",
         __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, DIR_ALL, FILE_RW | DIR_ALL, 0, &d));
    __wasi_fdstat_t st = fdstat(d);
    FACT("inheriting within the preopen's", (st.fs_rights_inheriting & ~(FILE_RW | DIR_ALL)) == 0);

    SHOW("drop path_create_file", __wasi_fd_fdstat_set_rights(d, DIR_ALL & ~R(PATH_CREATE_FILE), FILE_RW | DIR_ALL));
    SHOW("create g", guest_open(d, "g", __WASI_OFLAGS_CREAT, R(FD_READ), 0, &f));
    SHOW("open existing f", guest_open(d, "f", 0, R(FD_READ), 0, &f));
    SHOW("close", __wasi_fd_close(f));
    SHOW("mkdir sub", __wasi_path_create_directory(d, "sub"));

    SHOW("drop write from inheriting", __wasi_fd_fdstat_set_rights(d, DIR_ALL & ~R(PATH_CREATE_FILE), R(FD_READ)));
    /* b8g grants what was asked & what the directory passes on, so the
     * descriptor exists but cannot write (Rust's std relies on that);
     * Node refuses the open with ENOTCAPABLE. */
    __wasi_errno_t e = guest_open(d, "f", 0, R(FD_READ) | R(FD_WRITE), 0, &f);
    printf("! open f asking for write: %s\n", errname(e));
    if (!e) {
        st = fdstat(f);
        FACT("! it has no write right", !(st.fs_rights_base & R(FD_WRITE)));
        SHOW("! write", guest_write(f, "x", &(__wasi_size_t){0}));
        guest_close(f);
    }
    SHOW("open f for read", guest_open(d, "f", 0, R(FD_READ), 0, &f));
    st = fdstat(f);
    FACT("opened file has no write", !(st.fs_rights_base & R(FD_WRITE)));
    SHOW("close", __wasi_fd_close(f));

    SHOW("drop path_open", __wasi_fd_fdstat_set_rights(d, R(FD_READDIR), R(FD_READ)));
    SHOW("open f", guest_open(d, "f", 0, R(FD_READ), 0, &f));
    SHOW("mkdir sub2", __wasi_path_create_directory(d, "sub2"));
    SHOW("unlink f", __wasi_path_unlink_file(d, "f"));
    SHOW("rmdir sub", __wasi_path_remove_directory(d, "sub"));
    SHOW("widen back", __wasi_fd_fdstat_set_rights(d, DIR_ALL, FILE_RW));
    SHOW("close", __wasi_fd_close(d));

    /* The preopen itself is untouched by what was done to its copy. */
    SHOW("rmdir sub through the preopen", __wasi_path_remove_directory(3, "sub"));
    SHOW("unlink f through the preopen", __wasi_path_unlink_file(3, "f"));
}

int main(void)
{
    file_rights();
    dir_rights();
    return 0;
}
