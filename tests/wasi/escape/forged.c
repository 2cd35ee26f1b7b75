/*
 * forged.c - descriptor numbers and pointers the guest makes up: numbers
 * that were never handed out, were closed, or name the wrong kind, and
 * guest pointers and lengths outside linear memory or otherwise malformed.
 */
#include <stdlib.h>

#include "escape.h"

static char path5000[5001];

int main(void)
{
    char w[96];
    const __wasi_fd_t forged[] = {12345, (__wasi_fd_t)-1, SANDBOX + 1000, RO + 1000,
                                  0x80000003u, 0x00100003u, 0xfffffff3u, 5, 64};
    for (size_t i = 0; i < sizeof forged / sizeof *forged; i++) {
        __wasi_fd_t fd = forged[i];
        snprintf(w, sizeof w, "path_open from fd %u", fd);
        deny(w, try_read(fd, 0, "file.txt"), __WASI_ERRNO_BADF);
        snprintf(w, sizeof w, "path_create_directory from fd %u", fd);
        deny(w, __wasi_path_create_directory(fd, "ESCAPED-d"), __WASI_ERRNO_BADF);
        snprintf(w, sizeof w, "fd_read from fd %u", fd);
        uint8_t b[4];
        __wasi_iovec_t iov = {b, sizeof b};
        __wasi_size_t n;
        deny(w, __wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_BADF);
        snprintf(w, sizeof w, "fd_close of fd %u", fd);
        deny(w, __wasi_fd_close(fd), __WASI_ERRNO_BADF);
        __wasi_prestat_t ps;
        snprintf(w, sizeof w, "fd_prestat_get of fd %u", fd);
        deny(w, __wasi_fd_prestat_get(fd, &ps), __WASI_ERRNO_BADF);
        snprintf(w, sizeof w, "fd_renumber %u onto the preopen", fd);
        deny(w, __wasi_fd_renumber(fd, SANDBOX), __WASI_ERRNO_BADF);
    }
    deny("rename into fd 12345", __wasi_path_rename(SANDBOX, "file.txt", 12345, "x"), __WASI_ERRNO_BADF);
    deny("link into fd -1", __wasi_path_link(SANDBOX, 0, "file.txt", (__wasi_fd_t)-1, "x"),
         __WASI_ERRNO_BADF);
    deny("symlink in fd 999", __wasi_path_symlink("x", 999, "y"), __WASI_ERRNO_BADF);
    /* Stdio and files are no directories. */
    deny("path_open from stdin", try_read(0, 0, "file.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("path_open from stdout", try_read(1, 0, "../etc/passwd"), __WASI_ERRNO_NOTCAPABLE);
    deny("mkdir from stderr", __wasi_path_create_directory(2, "ESCAPED-d"), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_t file;
    must("open file.txt", esc_open(SANDBOX, 0, "file.txt", 0, ALL_RIGHTS, 0, &file));
    deny("path_open from a file", try_read(file, 0, "x"), __WASI_ERRNO_NOTCAPABLE);
    /* Closed numbers are dead; a number reused by a file is a file. */
    must("close file.txt", __wasi_fd_close(file));
    deny("path_open from the closed number", try_read(file, 0, "file.txt"), __WASI_ERRNO_BADF);
    deny("close it again", __wasi_fd_close(file), __WASI_ERRNO_BADF);
    must("close the ro preopen", __wasi_fd_close(RO));
    deny("path_open from the closed ro preopen", try_read(RO, 0, "ro.txt"), __WASI_ERRNO_BADF);
    __wasi_fd_t reuse;
    must("open a file (takes the lowest free number)",
         esc_open(SANDBOX, 0, "file.txt", 0, ALL_RIGHTS, 0, &reuse));
    fact("it reuses the ro preopen's number", reuse == RO);
    deny("path_open from the reused number", try_read(reuse, 0, "ro.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("prestat of the reused number", ({
             __wasi_prestat_t ps;
             __wasi_fd_prestat_get(reuse, &ps);
         }),
         __WASI_ERRNO_BADF);
    /* Pointers and lengths. */
    uint32_t mem = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    static const char good[] = "file.txt";
    int32_t out = (int32_t)(uintptr_t)malloc(4);
    deny("path beyond memory", raw_path_open(SANDBOX, 0, (int32_t)(mem - 4), 16, 0,
                                             __WASI_RIGHTS_FD_READ, 0, 0, out), __WASI_ERRNO_FAULT);
    deny("path length 2^31", raw_path_open(SANDBOX, 0, (int32_t)(uintptr_t)good, 0x7fffffff, 0,
                                           __WASI_RIGHTS_FD_READ, 0, 0, out), __WASI_ERRNO_FAULT);
    deny("path at 0xffffffff", raw_path_open(SANDBOX, 0, -1, 2, 0, __WASI_RIGHTS_FD_READ, 0, 0, out),
         __WASI_ERRNO_FAULT);
    deny("result pointer beyond memory (CREAT must not create)",
         raw_path_open(SANDBOX, 0, (int32_t)(uintptr_t)"made-by-fault", 13, __WASI_OFLAGS_CREAT,
                       __WASI_RIGHTS_FD_WRITE, 0, 0, (int32_t)(mem - 2)), __WASI_ERRNO_FAULT);
    deny("the faulted CREAT left nothing", try_stat(SANDBOX, 0, "made-by-fault"), __WASI_ERRNO_NOENT);
    deny("NUL inside a path", raw_path_open(SANDBOX, 0, (int32_t)(uintptr_t)"file.txt\0../../x",
                                            17, 0, __WASI_RIGHTS_FD_READ, 0, 0, out),
         __WASI_ERRNO_INVAL);
    deny("NUL inside a mkdir path",
         raw_path_create_directory(SANDBOX, (int32_t)(uintptr_t)"d\0../../ESCAPED", 15),
         __WASI_ERRNO_INVAL);
    deny("empty path", raw_path_open(SANDBOX, 0, (int32_t)(uintptr_t)good, 0, 0,
                                     __WASI_RIGHTS_FD_READ, 0, 0, out), __WASI_ERRNO_NOENT);
    memset(path5000, 'a', sizeof path5000 - 1);
    deny("a 5000-byte path", try_read(SANDBOX, 0, path5000), __WASI_ERRNO_NAMETOOLONG);
    deny("a 300-byte name", try_read(SANDBOX, 0, path5000 + 4700), __WASI_ERRNO_NAMETOOLONG);
    deny("readlink into a buffer beyond memory",
         raw_path_readlink(SANDBOX, (int32_t)(uintptr_t)"etc_link", 8, (int32_t)(mem - 2), 64, out),
         __WASI_ERRNO_FAULT);
    deny("filestat into a buffer beyond memory",
         raw_path_filestat_get(SANDBOX, 0, (int32_t)(uintptr_t)good, 8, (int32_t)(mem - 32)),
         __WASI_ERRNO_FAULT);
    /* Flags outside the defined bits. */
    __wasi_fd_t fd;
    deny("unknown oflags bit", esc_open(SANDBOX, 0, "file.txt", 0x100, __WASI_RIGHTS_FD_READ, 0, &fd),
         __WASI_ERRNO_INVAL);
    deny("unknown lookupflags bit", esc_open(SANDBOX, 2, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd),
         __WASI_ERRNO_INVAL);
    deny("unknown fdflags bit", esc_open(SANDBOX, 0, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0x40, &fd),
         __WASI_ERRNO_INVAL);
    deny("unknown fstflags bit",
         __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 0, 0, 0x10), __WASI_ERRNO_INVAL);
    deny("ATIM with ATIM_NOW",
         __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 0, 0,
                                        __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
         __WASI_ERRNO_INVAL);
    return esc_finish();
}
