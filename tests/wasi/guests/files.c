/* files.c - one regular file through every fd_* function that moves data
 * or metadata: write, tell, seek (all whences, errors), read, pread,
 * pwrite, filestat get / set size / set times, allocate, advise, sync,
 * datasync, fdstat flags (append), close; and the same file once more
 * through wasi-libc's stdio. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

#define RW_RIGHTS                                                             \
    (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | \
     __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_SYNC |                          \
     __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ADVISE |                    \
     __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET |              \
     __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |                                     \
     __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS)

static __wasi_fd_t fd;

static void read_at(const char *what, __wasi_filedelta_t off, size_t len)
{
    char buf[64] = {0};
    __wasi_filesize_t pos = 0;
    __wasi_size_t got = 0;
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    __wasi_errno_t e = __wasi_fd_seek(fd, off, __WASI_WHENCE_SET, &pos);
    if (!e) e = __wasi_fd_read(fd, &iov, 1, &got);
    printf("%s: %s ", what, errname(e));
    for (__wasi_size_t i = 0; i < got; i++)
        putchar(buf[i] == '\n' ? '|' : buf[i] ? buf[i] : '0');
    printf(" (%u bytes)\n", (unsigned)got);
}

static __wasi_filestat_t stat_fd(void)
{
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
    if (e) printf("fd_filestat_get: %s\n", errname(e));
    return st;
}

static void data_ops(void)
{
    __wasi_size_t n = 0;
    __wasi_filesize_t pos = 0;
    SHOW("fd_write", guest_write(fd, "hello world\n", &n));
    printf("written: %u\n", (unsigned)n);
    SHOW("fd_tell", __wasi_fd_tell(fd, &pos));
    printf("tell: %llu\n", (unsigned long long)pos);
    read_at("read from 0", 0, 5);
    SHOW("fd_seek end-6", __wasi_fd_seek(fd, -6, __WASI_WHENCE_END, &pos));
    printf("pos: %llu\n", (unsigned long long)pos);
    SHOW("fd_seek cur+2", __wasi_fd_seek(fd, 2, __WASI_WHENCE_CUR, &pos));
    printf("pos: %llu\n", (unsigned long long)pos);
    SHOW("fd_seek before start", __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos));
    SHOW("fd_seek bad whence", __wasi_fd_seek(fd, 0, 7, &pos));

    char buf[16] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, 5};
    __wasi_size_t got = 0;
    SHOW("fd_seek set 1", __wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos));
    SHOW("fd_pread at 6", __wasi_fd_pread(fd, &iov, 1, 6, &got));
    printf("pread: %.*s\n", (int)got, buf);
    __wasi_ciovec_t civ = {(const uint8_t *)"HELLO", 5};
    SHOW("fd_pwrite at 0", __wasi_fd_pwrite(fd, &civ, 1, 0, &n));
    SHOW("fd_tell", __wasi_fd_tell(fd, &pos));
    printf("tell after pread/pwrite: %llu\n", (unsigned long long)pos);
    read_at("whole file", 0, 40);
    got = 99;
    SHOW("fd_pread past the end", __wasi_fd_pread(fd, &iov, 1, 1000, &got));
    printf("bytes: %u\n", (unsigned)got);
}

static void meta_ops(void)
{
    __wasi_filestat_t st = stat_fd();
    printf("filetype regular: %s, size %llu, nlink %llu\n",
           st.filetype == __WASI_FILETYPE_REGULAR_FILE ? "yes" : "no",
           (unsigned long long)st.size, (unsigned long long)st.nlink);
    SHOW("fd_filestat_set_size 5", __wasi_fd_filestat_set_size(fd, 5));
    printf("size: %llu\n", (unsigned long long)stat_fd().size);
    SHOW("fd_filestat_set_size 8", __wasi_fd_filestat_set_size(fd, 8));
    read_at("grown file", 0, 40);
    SHOW("fd_allocate 0+100", __wasi_fd_allocate(fd, 0, 100));
    printf("size: %llu\n", (unsigned long long)stat_fd().size);
    SHOW("fd_allocate 10+5 (inside)", __wasi_fd_allocate(fd, 10, 5));
    printf("size: %llu\n", (unsigned long long)stat_fd().size);
    SHOW("fd_filestat_set_size 12", __wasi_fd_filestat_set_size(fd, 12));

    static const char *adv[] = {"normal", "sequential", "random",
                                "willneed", "dontneed", "noreuse"};
    for (int a = 0; a < 6; a++) {
        char what[32];
        snprintf(what, sizeof what, "fd_advise %s", adv[a]);
        SHOW(what, __wasi_fd_advise(fd, 0, 12, (__wasi_advice_t)a));
    }
    SHOW("fd_advise bad advice", __wasi_fd_advise(fd, 0, 12, 9));
    SHOW("fd_sync", __wasi_fd_sync(fd));
    SHOW("fd_datasync", __wasi_fd_datasync(fd));

    /* Whole seconds: exact in every timestamp representation. */
    const __wasi_timestamp_t a = 1000000000ull * 1000000000ull;
    const __wasi_timestamp_t m = 1200000000ull * 1000000000ull;
    SHOW("fd_filestat_set_times explicit",
         __wasi_fd_filestat_set_times(fd, a, m, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    st = stat_fd();
    FACT("atim is the one set", st.atim == a);
    FACT("mtim is the one set", st.mtim == m);
    __wasi_timestamp_t before = 0;
    SHOW("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &before));
    SHOW("fd_filestat_set_times mtim now",
         __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    st = stat_fd();
    FACT("atim unchanged", st.atim == a);
    /* Filesystem clocks tick coarsely: allow 1 s. */
    FACT("mtim is about now", st.mtim + 1000000000ull >= before);
    SHOW("fd_filestat_set_times atim and atim_now",
         __wasi_fd_filestat_set_times(fd, a, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    SHOW("fd_filestat_set_times mtim and mtim_now",
         __wasi_fd_filestat_set_times(fd, 0, m, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
}

static void append_ops(void)
{
    __wasi_fdstat_t fs;
    __wasi_size_t n = 0;
    __wasi_filesize_t pos = 0;
    SHOW("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs));
    FACT("append flag clear", !(fs.fs_flags & __WASI_FDFLAGS_APPEND));
    SHOW("fd_fdstat_set_flags append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    SHOW("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs));
    /* Node applies the flag but its fdstat_get does not report it. */
    FACT("! append flag set", fs.fs_flags & __WASI_FDFLAGS_APPEND);
    SHOW("fd_seek set 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    SHOW("fd_write appends", guest_write(fd, "tail", &n));
    SHOW("fd_tell", __wasi_fd_tell(fd, &pos));
    printf("tell: %llu\n", (unsigned long long)pos);
    SHOW("fd_fdstat_set_flags none", __wasi_fd_fdstat_set_flags(fd, 0));
    read_at("appended file", 0, 40);

    SHOW("fd_close", __wasi_fd_close(fd));
    SHOW("fd_close again", __wasi_fd_close(fd));
    SHOW("fd_write after close", guest_write(fd, "x", &n));
    SHOW("fd_tell after close", __wasi_fd_tell(fd, &pos));

    /* Opened with fdflags append from the start. */
    SHOW("path_open append",
         guest_open(3, "f.txt", 0, RW_RIGHTS, __WASI_FDFLAGS_APPEND, &fd));
    SHOW("fd_write appends", guest_write(fd, "!", &n));
    read_at("appended file", 0, 40);
    SHOW("fd_close", __wasi_fd_close(fd));
}

/* The same through wasi-libc's POSIX layer. */
static void posix_ops(void)
{
    FILE *f = fopen("/sandbox/posix.txt", "w");
    SHOWP("fopen w", !f);
    if (!f) return;
    fprintf(f, "line %d\nline %d\n", 1, 2);
    SHOWP("fclose", fclose(f) != 0);
    f = fopen("/sandbox/posix.txt", "a+");
    SHOWP("fopen a+", !f);
    fputs("line 3\n", f);
    fflush(f);
    rewind(f);
    char line[32];
    while (fgets(line, sizeof line, f)) printf("read: %s", line);
    fclose(f);

    int d = open("/sandbox/posix.txt", O_RDWR);
    SHOWP("open O_RDWR", d < 0);
    printf("lseek end: %lld\n", (long long)lseek(d, 0, SEEK_END));
    SHOWP("ftruncate 6", ftruncate(d, 6) != 0);
    struct stat sb;
    SHOWP("fstat", fstat(d, &sb) != 0);
    printf("size %lld, regular %s\n", (long long)sb.st_size, S_ISREG(sb.st_mode) ? "yes" : "no");
    SHOWP("fsync", fsync(d) != 0);
    SHOWP("close", close(d) != 0);
    SHOWP("stat", stat("/sandbox/posix.txt", &sb) != 0);
    printf("size %lld\n", (long long)sb.st_size);
}

int main(void)
{
    SHOW("path_open create",
         guest_open(3, "f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW_RIGHTS, 0, &fd));
    data_ops();
    meta_ops();
    append_ops();
    posix_ops();
    return 0;
}
