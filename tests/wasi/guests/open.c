/* open.c - path_open with every oflag (creat, directory, excl, trunc) and
 * fdflag (append, dsync, nonblock, rsync, sync), following or not
 * following symlinks, and the errors each combination gives; then the
 * same through wasi-libc's open(). */
#include <fcntl.h>
#include <unistd.h>

#include "guest.h"

#define R(x) __WASI_RIGHTS_##x
#define FILE_RW (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET) | R(FD_SYNC) | R(FD_DATASYNC))
#define DIR_ALL ((__wasi_rights_t)0x7bffe00ull)
#define O(x) __WASI_OFLAGS_##x
#define F(x) __WASI_FDFLAGS_##x

static __wasi_fd_t fd;

static __wasi_errno_t op(const char *what, __wasi_lookupflags_t look, const char *path,
                         __wasi_oflags_t of, __wasi_rights_t r, __wasi_fdflags_t ff)
{
    __wasi_errno_t e = __wasi_path_open(3, look, path, of, r, r, ff, &fd);
    printf("%s: %s\n", what, errname(e));
    return e;
}

static void size_of(const char *path)
{
    __wasi_filestat_t st;
    __wasi_errno_t e = __wasi_path_filestat_get(3, 0, path, &st);
    if (e) printf("size of %s: %s\n", path, errname(e));
    else printf("size of %s: %llu\n", path, (unsigned long long)st.size);
}

static void write_close(const char *s)
{
    __wasi_size_t n;
    __wasi_errno_t e = guest_write(fd, s, &n);
    printf("  write: %s\n", errname(e));
    guest_close(fd);
}

static void oflags(void)
{
    const __wasi_lookupflags_t fol = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
    op("open missing", fol, "a", 0, FILE_RW, 0);
    if (!op("creat", fol, "a", O(CREAT), FILE_RW, 0)) write_close("0123456789");
    size_of("a");
    if (!op("creat existing", fol, "a", O(CREAT), FILE_RW, 0)) guest_close(fd);
    size_of("a");
    op("creat|excl existing", fol, "a", O(CREAT) | O(EXCL), FILE_RW, 0);
    if (!op("creat|excl new", fol, "b", O(CREAT) | O(EXCL), FILE_RW, 0)) guest_close(fd);
    if (!op("trunc", fol, "a", O(TRUNC), FILE_RW, 0)) guest_close(fd);
    size_of("a");
    op("directory on a file", fol, "a", O(DIRECTORY), DIR_ALL, 0);
    op("directory on a missing path", fol, "nope", O(DIRECTORY), DIR_ALL, 0);
    op("creat|directory", fol, "newdir", O(CREAT) | O(DIRECTORY), DIR_ALL, 0);
    SHOW("mkdir d", __wasi_path_create_directory(3, "d"));
    if (!op("directory on a directory", fol, "d", O(DIRECTORY), DIR_ALL, 0)) guest_close(fd);
    if (!op("a directory without the flag, read rights", fol, "d", 0, R(FD_READDIR), 0)) guest_close(fd);
    op("a directory for writing", fol, "d", 0, R(FD_WRITE), 0);
    op("a directory with trunc", fol, "d", O(TRUNC), FILE_RW, 0);
    op("creat|excl on a directory", fol, "d", O(CREAT) | O(EXCL), FILE_RW, 0);
    op("a file beneath a file", fol, "a/x", O(CREAT), FILE_RW, 0);
    /* An empty path names nothing (ENOENT, as openat); Node says EINVAL. */
    op("! empty path", fol, "", 0, FILE_RW, 0);
}

static void fdflags(void)
{
    const __wasi_lookupflags_t fol = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
    if (!op("append", fol, "a", 0, FILE_RW, F(APPEND))) write_close("xy");
    if (!op("append", fol, "a", 0, FILE_RW, F(APPEND))) write_close("z");
    size_of("a");
    static const struct { const char *name; __wasi_fdflags_t f; } flags[] = {
        {"dsync", F(DSYNC)}, {"rsync", F(RSYNC)}, {"sync", F(SYNC)}, {"nonblock", F(NONBLOCK)},
    };
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        if (op(flags[i].name, fol, "a", 0, FILE_RW, flags[i].f)) continue;
        __wasi_fdstat_t st;
        memset(&st, 0, sizeof st);
        if (__wasi_fd_fdstat_get(fd, &st)) printf("fd_fdstat_get failed\n");
        /* Node does not report fdflags back. */
        printf("! %s reported: %s\n", flags[i].name, (st.fs_flags & flags[i].f) ? "yes" : "no");
        write_close("s");
    }
    size_of("a");
}

static void symlinks(void)
{
    SHOW("symlink a <- la", __wasi_path_symlink("a", 3, "la"));
    SHOW("symlink d <- ld", __wasi_path_symlink("d", 3, "ld"));
    SHOW("symlink la <- lla", __wasi_path_symlink("la", 3, "lla"));
    SHOW("symlink loop1 <- loop2", __wasi_path_symlink("loop1", 3, "loop2"));
    SHOW("symlink loop2 <- loop1", __wasi_path_symlink("loop2", 3, "loop1"));
    const __wasi_lookupflags_t fol = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
    if (!op("follow la", fol, "la", 0, FILE_RW, 0)) write_close("via link");
    size_of("a");
    if (!op("follow lla (two links)", fol, "lla", 0, FILE_RW, 0)) guest_close(fd);
    /* Without lookupflags.symlink_follow a final symlink is not followed
     * (ELOOP, as O_NOFOLLOW); Node follows it anyway. */
    op("! nofollow la", 0, "la", 0, FILE_RW, 0);
    if (!op("follow ld as a directory", fol, "ld", O(DIRECTORY), DIR_ALL, 0)) guest_close(fd);
    op("! nofollow ld as a directory", 0, "ld", O(DIRECTORY), DIR_ALL, 0);
    if (!op("ld/ in the middle, nofollow", 0, "ld/../a", 0, FILE_RW, 0)) guest_close(fd);
    op("follow a loop", fol, "loop1", 0, FILE_RW, 0);
    op("creat|excl on a link", fol, "la", O(CREAT) | O(EXCL), FILE_RW, 0);
}

static void posix(void)
{
    int d = open("/sandbox/p", O_WRONLY | O_CREAT | O_EXCL, 0644);
    SHOWP("open O_CREAT|O_EXCL", d < 0);
    SHOWP("write", write(d, "posix", 5) != 5);
    close(d);
    SHOWP("open again O_EXCL", open("/sandbox/p", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0);
    d = open("/sandbox/p", O_RDWR | O_TRUNC);
    SHOWP("open O_TRUNC", d < 0);
    printf("size: %lld\n", (long long)lseek(d, 0, SEEK_END));
    close(d);
    SHOWP("open O_DIRECTORY on a file", open("/sandbox/p", O_RDONLY | O_DIRECTORY) < 0);
    SHOWP("open a directory O_RDWR", open("/sandbox/d", O_RDWR) < 0);
    d = open("/sandbox/d", O_RDONLY | O_DIRECTORY);
    SHOWP("open a directory O_RDONLY|O_DIRECTORY", d < 0);
    close(d);
    SHOWP("! open O_NOFOLLOW on a link", open("/sandbox/la", O_RDONLY | O_NOFOLLOW) < 0);
    SHOWP("open outside every preopen", open("/elsewhere", O_RDONLY) < 0);
}

int main(void)
{
    oflags();
    fdflags();
    symlinks();
    posix();
    return 0;
}
