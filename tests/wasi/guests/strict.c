/* strict.c - hostile arguments every WASI function must refuse with an
 * errno, never a crash or a host allocation sized by the guest: pointers
 * and lengths that leave linear memory (EFAULT), huge counts, overlong
 * and malformed paths, invalid flags, and running out of descriptors.
 *
 * Not compared with Node: it answers EINVAL where preview1 says EFAULT,
 * and some of these calls deadlock it (path_filestat_set_times with
 * conflicting flags, poll_oneoff with no subscriptions). */
#include <stdlib.h>

#include "guest.h"

/* Raw imports: wasi-libc's wrappers compute path lengths with strlen and
 * take typed pointers, which would not let a test pass arbitrary ones. */
#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t ret);
IMPORT(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t ret);
IMPORT(path_open) int32_t raw_path_open(int32_t fd, int32_t look, int32_t path, int32_t len,
                                        int32_t oflags, int64_t base, int64_t inh,
                                        int32_t fdflags, int32_t ret);
IMPORT(path_create_directory) int32_t raw_mkdir(int32_t fd, int32_t path, int32_t len);
IMPORT(path_symlink) int32_t raw_symlink(int32_t old, int32_t oldlen, int32_t fd, int32_t path,
                                         int32_t len);
IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t prec, int32_t ret);
IMPORT(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
IMPORT(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t ret);
IMPORT(fd_readdir) int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie,
                                          int32_t ret);
IMPORT(fd_prestat_dir_name) int32_t raw_prestat_dir_name(int32_t fd, int32_t buf, int32_t len);
IMPORT(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, int32_t ret);

#define P(x) ((int32_t)(uintptr_t)(x))
#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)

static uint32_t end; /* first byte past linear memory */
static uint8_t scratch[256];

static void pointers(void)
{
    __wasi_ciovec_t *iov = (__wasi_ciovec_t *)scratch;
    int32_t ret = P(scratch + 200);
    iov->buf = (const uint8_t *)"hi\n";
    iov->buf_len = 3;
    SHOW("fd_write, iovec array past the end", raw_fd_write(1, (int32_t)end - 4, 1, ret));
    SHOW("fd_write, 2^28 iovecs", raw_fd_write(1, P(iov), 1 << 28, ret));
    SHOW("fd_write, result past the end", raw_fd_write(1, P(iov), 1, (int32_t)end - 2));
    iov->buf = (const uint8_t *)(uintptr_t)(end - 2);
    iov->buf_len = 4;
    SHOW("fd_write, data past the end", raw_fd_write(1, P(iov), 1, ret));
    iov->buf_len = 0xffffffffu;
    SHOW("fd_write, 4 GiB of data", raw_fd_write(1, P(iov), 1, ret));
    SHOW("fd_read, iovec array past the end", raw_fd_read(0, (int32_t)end - 4, 1, ret));
    iov->buf = (const uint8_t *)(uintptr_t)(end - 2);
    iov->buf_len = 4;
    SHOW("fd_read, buffer past the end", raw_fd_read(0, P(iov), 1, ret));

    SHOW("path_open, path past the end",
         raw_path_open(3, 0, (int32_t)end - 1, 5, 0, RW, RW, 0, ret));
    SHOW("path_open, path length 2^32-1",
         raw_path_open(3, 0, P("x"), -1, 0, RW, RW, 0, ret));
    SHOW("path_open, result past the end",
         raw_path_open(3, 0, P("."), 1, 0, 0, 0, 0, (int32_t)end));
    SHOW("mkdir, path past the end", raw_mkdir(3, (int32_t)end - 3, 8));
    SHOW("symlink, target past the end", raw_symlink((int32_t)end - 1, 4, 3, P("l"), 1));
    SHOW("clock_time_get, result past the end", raw_clock_time_get(1, 1, (int32_t)end - 4));
    SHOW("random_get, buffer past the end", raw_random_get((int32_t)end - 10, 100));
    SHOW("random_get, 4 GiB", raw_random_get(P(scratch), -1));
    SHOW("poll_oneoff, subscriptions past the end", raw_poll_oneoff((int32_t)end - 10, P(scratch), 1, ret));
    SHOW("poll_oneoff, 2^28 subscriptions", raw_poll_oneoff(P(scratch), P(scratch), 1 << 28, ret));
    SHOW("fd_readdir, buffer past the end", raw_fd_readdir(3, (int32_t)end - 10, 100, 0, ret));
    SHOW("fd_prestat_dir_name, buffer past the end", raw_prestat_dir_name(3, (int32_t)end - 2, 8));
    SHOW("fd_filestat_get, result past the end", raw_fd_filestat_get(3, (int32_t)end - 8));
}

static void paths_and_flags(void)
{
    __wasi_fd_t fd;
    int32_t ret = P(scratch + 200);
    char *longpath = malloc(5000);
    memset(longpath, 'a', 5000);
    SHOW("path_open, a 5000-byte name", raw_path_open(3, 0, P(longpath), 5000, 0, RW, RW, 0, ret));
    for (int i = 0; i < 5000; i += 2) longpath[i + 1] = '/';
    SHOW("path_open, 2500 components", raw_path_open(3, 0, P(longpath), 5000, 0, RW, RW, 0, ret));
    free(longpath);
    SHOW("path_open, NUL inside the path", raw_path_open(3, 0, P("a\0b"), 3, __WASI_OFLAGS_CREAT, RW, RW, 0, ret));
    SHOW("path_open, empty path", raw_path_open(3, 0, P(""), 0, 0, RW, RW, 0, ret));
    SHOW("path_open, unknown oflags", __wasi_path_open(3, 0, "f", 0x10, RW, RW, 0, &fd));
    SHOW("path_filestat_set_times, atim and atim_now",
         __wasi_path_filestat_set_times(3, 0, ".", 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    SHOW("path_filestat_get on the preopen after that", __wasi_path_filestat_get(3, 0, ".", &(__wasi_filestat_t){0}));
    __wasi_subscription_t in;
    __wasi_event_t ev;
    __wasi_size_t n;
    SHOW("poll_oneoff, no subscriptions", __wasi_poll_oneoff(&in, &ev, 0, &n));
    memset(&in, 0, sizeof in);
    in.u.tag = 9;
    SHOW("poll_oneoff, unknown event type", __wasi_poll_oneoff(&in, &ev, 1, &n));
    __wasi_filesize_t pos;
    SHOW("fd_seek on a directory", __wasi_fd_seek(3, 0, __WASI_WHENCE_SET, &pos));
    SHOW("fd_fdstat_get 0xffffffff", __wasi_fd_fdstat_get((__wasi_fd_t)-1, &(__wasi_fdstat_t){0}));
}

/* The handle table is bounded: opening forever ends in an errno, and
 * closing everything makes room again. */
static void descriptors(void)
{
    static __wasi_fd_t fds[10000];
    int n = 0;
    __wasi_errno_t e = 0;
    while (n < 10000 && !(e = __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fds[n])))
        n++;
    printf("opened until: %s\n", errname(e));
    FACT("at least 1000 descriptors", n >= 1000);
    int bad = 0;
    for (int i = 0; i < n; i++) bad += __wasi_fd_close(fds[i]) != 0;
    printf("close failures: %d\n", bad);
    SHOW("open after closing", __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fds[0]));
}

int main(void)
{
    end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
    pointers();
    paths_and_flags();
    descriptors();
    return 0;
}
