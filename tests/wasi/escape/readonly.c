/*
 * readonly.c - a :ro preopen (fd 4): nothing written, created, removed,
 * renamed, linked, truncated or re-timed through it or through anything
 * opened beneath it, and its rights cannot be widened back.  The driver
 * checks from the host that the directory is byte-for-byte unchanged.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

static void deny_file_writes(const char *what, __wasi_fd_t fd)
{
    char w[128];
    __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    snprintf(w, sizeof w, "%s: fd_write", what);
    deny(w, __wasi_fd_write(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_pwrite", what);
    deny(w, __wasi_fd_pwrite(fd, &iov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_filestat_set_size", what);
    deny(w, __wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_filestat_set_times", what);
    deny(w, __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_allocate", what);
    deny(w, __wasi_fd_allocate(fd, 0, 4096), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_fdstat_set_flags(APPEND)", what);
    deny(w, __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_fdstat_set_rights (widen)", what);
    deny(w, __wasi_fd_fdstat_set_rights(fd, ALL_RIGHTS, ALL_RIGHTS), __WASI_ERRNO_NOTCAPABLE);
}

static void deny_dir_writes(const char *what, __wasi_fd_t dir, const char *file,
                            const char *subdir)
{
    char w[128];
    __wasi_fd_t fd;
    snprintf(w, sizeof w, "%s: create new.txt", what);
    deny(w, try_create(dir, "new.txt"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: create %s (existing)", what, file);
    deny(w, try_create(dir, file), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: truncate %s", what, file);
    deny(w, esc_open(dir, 0, file, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: mkdir newdir", what);
    deny(w, __wasi_path_create_directory(dir, "newdir"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: unlink %s", what, file);
    deny(w, __wasi_path_unlink_file(dir, file), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: rmdir %s", what, subdir);
    deny(w, __wasi_path_remove_directory(dir, subdir), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: rename %s", what, file);
    deny(w, __wasi_path_rename(dir, file, dir, "renamed"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: symlink", what);
    deny(w, __wasi_path_symlink(file, dir, "sym"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: link %s", what, file);
    deny(w, __wasi_path_link(dir, 0, file, dir, "hl"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: path_filestat_set_times %s", what, file);
    deny(w, __wasi_path_filestat_set_times(dir, 0, file, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
         __WASI_ERRNO_NOTCAPABLE);
    snprintf(w, sizeof w, "%s: fd_fdstat_set_rights (widen)", what);
    deny(w, __wasi_fd_fdstat_set_rights(dir, ALL_RIGHTS, ALL_RIGHTS), __WASI_ERRNO_NOTCAPABLE);
}

int main(void)
{
    deny_dir_writes("ro", RO, "ro.txt", "rosub");
    /* A directory opened beneath inherits no more. */
    __wasi_fd_t rosub;
    must("open rosub", open_dir(RO, "rosub", &rosub));
    deny_dir_writes("ro/rosub", rosub, "x.txt", "..");
    /* Asking for write rights on a file grants only what the directory
     * passes on: the open works, the writes do not. */
    __wasi_fd_t f;
    must("open ro.txt asking for all rights",
         esc_open(RO, 0, "ro.txt", 0, ALL_RIGHTS, 0, &f));
    __wasi_fdstat_t st;
    must("fdstat ro.txt", __wasi_fd_fdstat_get(f, &st));
    fact("ro.txt holds no write right",
         !(st.fs_rights_base & (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
                                __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)));
    deny_file_writes("ro.txt", f);
    deny("open ro.txt with SYNC (needs a sync right)",
         esc_open(RO, 0, "ro.txt", 0, ALL_RIGHTS, __WASI_FDFLAGS_SYNC, &f), __WASI_ERRNO_NOTCAPABLE);
    /* Through the POSIX layer. */
    fact("libc fopen(/ro/ro.txt, w) fails", fopen("/ro/ro.txt", "w") == NULL);
    fact("libc fopen(/ro/new.txt, w) fails", fopen("/ro/new.txt", "w") == NULL);
    fact("libc mkdir(/ro/d) fails", mkdir("/ro/d", 0755) < 0);
    fact("libc unlink(/ro/ro.txt) fails", unlink("/ro/ro.txt") < 0);
    fact("libc rename(/ro/ro.txt, /sandbox/stolen) fails", rename("/ro/ro.txt", "/sandbox/stolen") < 0);
    int fd = open("/ro/ro.txt", O_RDWR);
    fact("libc write on /ro/ro.txt opened O_RDWR fails", fd < 0 || write(fd, "x", 1) < 0);
    /* A link in :ro leading outside is no way out either. */
    deny("open ro:rolink (followed)", try_read(RO, FOLLOW, "rolink"), __WASI_ERRNO_NOTCAPABLE);
    return esc_finish();
}
