/*
 * escape.h - shared by the escape guests: every attempt to reach outside
 * the preopens, or to widen a right, prints one line:
 *
 *   OK denied <what> errno=N (NAME)      refused with the expected errno
 *   FAIL <what>: ...                      anything else (an escape, or a
 *                                         refusal for the wrong reason)
 *
 * and the guest exits 1 if any line said FAIL.  The driver (run.sh) runs
 * each guest with /sandbox as fd 3 (read-write) and /ro as fd 4 (:ro) and
 * checks from the host that nothing outside changed.  Names a guest tries
 * to create outside start with "ESCAPED-" so the driver can look for them.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define SANDBOX 3 /* --dir ROOT::/sandbox */
#define RO 4      /* --dir RO::/ro:ro */
#define ALL_RIGHTS ((__wasi_rights_t)0x3fffffff)
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
/* Everything but the rights that make the host open for writing, which a
 * directory refuses (EISDIR). */
#define DIR_RIGHTS (ALL_RIGHTS & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | \
                                   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE))

static int esc_failures;

static inline const char *esc_name(int e)
{
    switch (e) {
    case 0: return "ESUCCESS";
    case 8: return "EBADF";
    case 10: return "EBUSY";
    case 20: return "EEXIST";
    case 21: return "EFAULT";
    case 28: return "EINVAL";
    case 31: return "EISDIR";
    case 32: return "ELOOP";
    case 37: return "ENAMETOOLONG";
    case 44: return "ENOENT";
    case 54: return "ENOTDIR";
    case 55: return "ENOTEMPTY";
    case 58: return "ENOTSUP";
    case 63: return "EPERM";
    case 76: return "ENOTCAPABLE";
    default: return "?";
    }
}

/* An attempt that must fail with exactly `want`. */
static inline void deny(const char *what, int got, int want)
{
    if (got == want) {
        printf("OK denied %s errno=%d (%s)\n", what, got, esc_name(got));
    } else {
        printf("FAIL %s: errno=%d (%s), want %d (%s)\n", what, got,
               esc_name(got), want, esc_name(want));
        esc_failures++;
    }
}

/* A preparation step (inside the sandbox) that must work. */
static inline void must(const char *what, int got)
{
    if (got != 0) {
        printf("FAIL setup %s: errno=%d (%s)\n", what, got, esc_name(got));
        esc_failures++;
    }
}

/* A condition checked from inside the guest. */
static inline void fact(const char *what, int ok)
{
    if (ok) {
        printf("OK denied %s\n", what);
    } else {
        printf("FAIL %s\n", what);
        esc_failures++;
    }
}

static inline int esc_open(__wasi_fd_t dir, __wasi_lookupflags_t look, const char *path,
                    __wasi_oflags_t oflags, __wasi_rights_t rights,
                    __wasi_fdflags_t fdflags, __wasi_fd_t *fd)
{
    return __wasi_path_open(dir, look, path, oflags, rights, ALL_RIGHTS,
                            fdflags, fd);
}

/* Opens for reading; on success closes at once (a "denied" test that
 * succeeded must not leave the descriptor behind). */
static inline int open_dir(__wasi_fd_t dir, const char *path, __wasi_fd_t *fd)
{
    return esc_open(dir, 0, path, __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, fd);
}

static inline int try_read(__wasi_fd_t dir, __wasi_lookupflags_t look, const char *path)
{
    __wasi_fd_t fd;
    int r = esc_open(dir, look, path, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
    if (r == 0) (void)__wasi_fd_close(fd);
    return r;
}

static inline int try_create(__wasi_fd_t dir, const char *path)
{
    __wasi_fd_t fd;
    int r = esc_open(dir, FOLLOW, path, __WASI_OFLAGS_CREAT,
                     __WASI_RIGHTS_FD_WRITE, 0, &fd);
    if (r == 0) (void)__wasi_fd_close(fd);
    return r;
}

static inline int try_stat(__wasi_fd_t dir, __wasi_lookupflags_t look, const char *path)
{
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(dir, look, path, &st);
}

/* Raw imports for what the libc wrappers cannot express: a path given by
 * pointer and length (out of bounds, or with a NUL inside). */
#define ESC_IMPORT(name) \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
ESC_IMPORT(path_open)
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t len,
                      int32_t oflags, int64_t base, int64_t inheriting,
                      int32_t fdflags, int32_t fd_out);
ESC_IMPORT(path_create_directory)
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t len);
ESC_IMPORT(path_readlink)
int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf,
                          int32_t buf_len, int32_t used);
ESC_IMPORT(path_filestat_get)
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
                              int32_t len, int32_t buf);

static inline int esc_finish(void)
{
    printf("%s\n", esc_failures ? "ESCAPE TEST FAILED" : "all denied");
    return esc_failures ? 1 : 0;
}

#endif
