/*
 * resolve.h - guest paths resolved beneath a directory descriptor.
 *
 * Every WASI path names something *beneath* a directory descriptor the
 * guest holds (a preopen, or a directory opened from one).  This module is
 * the only place that turns such a path into a host descriptor, and the
 * sandbox rests on the following invariants:
 *
 *  - Nothing outside the starting directory is ever reached.  `..` above
 *    it, absolute paths, absolute symlinks and relative symlinks that climb
 *    out (directly or through a chain, at any depth) fail with
 *    WASI_ENOTCAPABLE.  This is enforced by the kernel, never by looking at
 *    strings: openat2(2) with RESOLVE_BENEATH checks every step of the walk
 *    atomically with the open, so a concurrent rename cannot race it (the
 *    kernel answers EAGAIN and we retry).  Magic links (/proc/self/fd/N
 *    and friends) are never followed (RESOLVE_NO_MAGICLINKS).
 *  - Without openat2 (kernels before 5.6, ENOSYS) the same guarantee comes
 *    from a component-by-component walk: each step is one openat(O_PATH |
 *    O_NOFOLLOW | O_DIRECTORY) on a single name, symlinks are read with
 *    readlinkat and expanded by us (WASI_RESOLVE_MAX_LINKS, then ELOOP),
 *    and the walk keeps a descriptor for every directory it entered, so
 *    `..` returns to a descriptor it already holds instead of asking the
 *    host for a parent (which a rename could have moved).  `..` at the
 *    bottom of that stack is an escape: ENOTCAPABLE.
 *  - Operations on a final component (mkdir, unlink, rename, link, ...)
 *    first resolve the *parent* as above, then make one *at call with a
 *    single name that contains no '/' and is never followed by the kernel
 *    (AT_SYMLINK_NOFOLLOW or calls that never follow).  When the guest asks
 *    to follow a final symlink we read it and resolve its target again
 *    from the start, beneath the same directory, so following never hands
 *    a symlink to the kernel outside a beneath walk.
 *  - A final component is followed only on request (WASI
 *    LOOKUP_SYMLINK_FOLLOW).  Unfollowed, a symlink is opened as itself
 *    with O_PATH, or refused with ELOOP for any real open (as wasmtime).
 *  - Bounded: a path is at most WASI_PATH_MAX bytes (ENAMETOOLONG), link
 *    expansion stops after WASI_RESOLVE_MAX_LINKS (ELOOP), and the fallback
 *    walk holds at most WASI_RESOLVE_MAX_DEPTH directories (ENAMETOOLONG).
 *    No allocation depends on guest input.
 *
 * Path rules, checked by wasi_path_check before anything touches the host:
 * empty -> ENOENT; longer than WASI_PATH_MAX -> ENAMETOOLONG; a NUL byte
 * inside -> EINVAL (a C path cannot carry one; wasmtime answers the same);
 * absolute (leading '/') -> ENOTCAPABLE, as the guest has no root.  Bytes
 * are otherwise passed through (Linux names are bytes, not UTF-8).
 *
 * A descriptor obtained here stays where it was opened: if the host moves
 * the directory elsewhere later, operations through it follow the
 * directory.  Only the host can do that; the guest cannot move anything
 * out of its preopens.
 *
 * All functions return a WASI errno (0 on success).
 */
#ifndef B8G_WASI_RESOLVE_H
#define B8G_WASI_RESOLVE_H

#include <sys/types.h>

#include "util/common.h"

#define WASI_PATH_MAX 4096u          /* bytes in a guest path */
#define WASI_RESOLVE_MAX_LINKS 40u   /* symlink expansions per resolution */
#define WASI_RESOLVE_MAX_DEPTH 128u  /* directories held by the fallback walk */

/* Checks the guest path src[0..len) by the rules above and copies it,
 * NUL-terminated, into buf (WASI_PATH_MAX + 1 bytes). */
int wasi_path_check(const uint8_t *src, uint64_t len, char *buf);

/*
 * Opens path beneath dirfd with open(2) `flags` (O_CLOEXEC and, unless
 * O_PATH, O_NOCTTY are added; O_NOFOLLOW is added unless `follow`).  mode
 * is used with O_CREAT.  *out receives the new descriptor.
 */
int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode,
                      bool follow, int *out);

/*
 * The directory holding a path's final component, and that component.
 * `fd` is an O_PATH directory descriptor beneath the start, `base` a single
 * name (no '/'; "." when the path itself names a directory through "." or
 * "..", so "a/.." is the start itself and ".." alone is ENOTCAPABLE).
 * `slash` is true when the guest path ended in '/' (stripped from base);
 * callers apply the POSIX rule that such a path names a directory.
 */
typedef struct WasiParent {
    int fd;
    bool slash;
    const char *base;                /* into buf, or "." */
    char buf[WASI_PATH_MAX + 1];
} WasiParent;

/* Resolves path's parent beneath dirfd.  With `follow`, a final component
 * that is a symlink is expanded (beneath dirfd, up to the link limit) until
 * it is not one, so base names a non-symlink when this returns. */
int wasi_resolve_parent(int dirfd, const char *path, bool follow,
                        WasiParent *out);
/* Closes out->fd (safe on a zeroed or failed WasiParent with fd -1). */
void wasi_parent_close(WasiParent *p);

/* Test hook: true forces the fallback walk even where openat2 exists. */
extern bool wasi_resolve_force_walk;

#endif
