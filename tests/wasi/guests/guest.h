/*
 * guest.h - shared by the WASI test guests: WASI errno names and checks
 * that print results in a form independent of the engine, the host and
 * the time of day (names and relations, never raw inodes or timestamps).
 *
 * Lines starting with "! " state behaviour where Node's WASI (the oracle)
 * is known to differ from b8g: the driver checks them against the expected
 * output but drops them before comparing with Node.  The guest says why
 * next to each one.
 *
 * wasi-libc's errno values are the WASI errno numbers, so one table names
 * both raw __wasi_* results and errno after a POSIX call.
 */
#ifndef GUEST_H
#define GUEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static const char *const guest_errnames[] = {
    "ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL",
    "EAFNOSUPPORT", "EAGAIN", "EALREADY", "EBADF", "EBADMSG", "EBUSY",
    "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
    "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG",
    "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL",
    "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE",
    "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH",
    "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK",
    "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN",
    "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP",
    "ENOTTY", "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO",
    "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH",
    "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};

static inline const char *errname(int e)
{
    static char buf[24];
    if (e >= 0 && (size_t)e < sizeof guest_errnames / sizeof *guest_errnames)
        return guest_errnames[e];
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
}

/* A raw __wasi_* call: prints "what: ESUCCESS" or the errno's name. */
#define SHOW(what, call) printf("%s: %s\n", (what), errname((int)(call)))

/* A POSIX call returning -1/NULL on failure: "what: ok" or errno's name. */
#define SHOWP(what, failed) \
    printf("%s: %s\n", (what), (failed) ? errname(errno) : "ok")

/* A relation that must hold: "what: yes" / "what: no". */
#define FACT(what, cond) printf("%s: %s\n", (what), (cond) ? "yes" : "no")

/* Raw path_open beneath dir (3, the first preopen, in most tests),
 * following symlinks and asking for the same base and inheriting rights. */
static inline __wasi_errno_t guest_open(__wasi_fd_t dir, const char *path,
                                        __wasi_oflags_t oflags,
                                        __wasi_rights_t base,
                                        __wasi_fdflags_t fdflags,
                                        __wasi_fd_t *fd)
{
    return __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path,
                            oflags, base, base, fdflags, fd);
}

/* Writes a whole string with raw fd_write. */
static inline __wasi_errno_t guest_write(__wasi_fd_t fd, const char *s,
                                         __wasi_size_t *n)
{
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    return __wasi_fd_write(fd, &iov, 1, n);
}

/* Closes a descriptor the test opened; only a failure is printed. */
static inline void guest_close(__wasi_fd_t fd)
{
    __wasi_errno_t e = __wasi_fd_close(fd);
    if (e) printf("fd_close %u: %s\n", (unsigned)fd, errname(e));
}

#endif
