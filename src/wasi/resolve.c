/*
 * resolve.c - guest paths resolved beneath a directory (invariants in
 * resolve.h): openat2 with RESOLVE_BENEATH, or a walk that does the same
 * one name at a time where openat2 is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/resolve.h"
#include "wasi/wasi.h"

bool wasi_resolve_force_walk;

/* Set once openat2 answered ENOSYS: the kernel will not grow it later. */
static atomic_bool no_openat2;

/* openat2 answers EAGAIN when a rename or mount raced a `..` step; the
 * walk is cheap, so retry a few times before passing EAGAIN on. */
#define OPENAT2_RETRIES 8

int wasi_path_check(const uint8_t *src, uint64_t len, char *buf)
{
    if (len == 0) return WASI_ENOENT;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    if (memchr(src, 0, (size_t)len)) return WASI_EINVAL;
    if (src[0] == '/') return WASI_ENOTCAPABLE;
    memcpy(buf, src, (size_t)len);
    buf[len] = 0;
    return WASI_ESUCCESS;
}

/* A host errno met during resolution, as the guest sees it.  EXDEV is how
 * RESOLVE_BENEATH reports an escape. */
static int resolve_errno(int e)
{
    return e == EXDEV ? WASI_ENOTCAPABLE : wasi_errno(e);
}

static bool is_dots(const char *name)
{
    return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* One openat2 beneath dirfd: a host errno, or 0 with *out set. */
static int openat2_beneath(int dirfd, const char *path, int flags, mode_t mode,
                           int *out)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(unsigned)flags;
    how.mode = (flags & O_CREAT) ? mode : 0; /* openat2 rejects a stray mode */
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int tries = 0;; tries++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) {
            *out = (int)fd;
            return 0;
        }
        if ((errno != EAGAIN && errno != EINTR) || tries == OPENAT2_RETRIES)
            return errno;
    }
}

/* ---- the fallback walk --------------------------------------------------- */

/*
 * dirs[0] is the starting directory (the caller's), dirs[1..depth] the
 * directories entered since, each opened from the one below it by a single
 * name, so dirs[i-1] is the real parent of dirs[i] and `..` is a pop.
 */
typedef struct Walk {
    int dirs[WASI_RESOLVE_MAX_DEPTH + 1];
    unsigned depth;
    unsigned links;
    char path[WASI_PATH_MAX + 1]; /* what is left to walk */
    char link[WASI_PATH_MAX + 1];
} Walk;

#define WALK_NOT_LINK (-1)

/* If `name` in the current directory is a symlink, replaces it in the path
 * by its target: the remaining path becomes target + rest.  WALK_NOT_LINK
 * when it is not a symlink (or does not exist), else a WASI errno. */
static int walk_expand(Walk *w, const char *name, const char *rest)
{
    ssize_t n = readlinkat(w->dirs[w->depth], name, w->link, sizeof w->link);
    if (n < 0)
        return errno == EINVAL || errno == ENOENT ? WALK_NOT_LINK
                                                  : resolve_errno(errno);
    if ((size_t)n >= sizeof w->link) return WASI_ENAMETOOLONG;
    if (++w->links > WASI_RESOLVE_MAX_LINKS) return WASI_ELOOP;
    if (n == 0) return WASI_ENOENT;
    if (w->link[0] == '/') return WASI_ENOTCAPABLE;
    size_t rl = strlen(rest);
    if ((size_t)n + rl > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    /* rest may point into w->path: move it first, then put the target in
     * front of it. */
    memmove(w->path + n, rest, rl + 1);
    memcpy(w->path, w->link, (size_t)n);
    return WASI_ESUCCESS;
}

/* Enters directory `name` (never following: symlinks were expanded). */
static int walk_enter(Walk *w, const char *name)
{
    int fd = openat(w->dirs[w->depth], name,
                    O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return resolve_errno(errno);
    if (w->depth == WASI_RESOLVE_MAX_DEPTH) {
        close(fd);
        return WASI_ENAMETOOLONG;
    }
    w->dirs[++w->depth] = fd;
    return WASI_ESUCCESS;
}

/* Opens the final component; flags carry O_NOFOLLOW already. */
static int walk_final(Walk *w, const char *name, int flags, mode_t mode,
                      bool follow, int *out)
{
    int fd = openat(w->dirs[w->depth], name, flags, mode);
    if (fd < 0) return resolve_errno(errno);
    if (follow && (flags & O_PATH)) {
        /* A name that turned into a symlink after walk_expand looked at
         * it would be opened as the link: refuse rather than misreport. */
        struct stat st;
        if (fstat(fd, &st) != 0 || S_ISLNK(st.st_mode)) {
            close(fd);
            return WASI_ELOOP;
        }
    }
    *out = fd;
    return WASI_ESUCCESS;
}

/* Takes the next component of *restp into name (NAME_MAX + 1 bytes). */
static int walk_next(const char **restp, char *name, bool *last)
{
    const char *p = *restp;
    while (*p == '/') p++;
    const char *end = strchrnul(p, '/');
    size_t n = (size_t)(end - p);
    if (n > NAME_MAX) return WASI_ENAMETOOLONG;
    memcpy(name, p, n);
    name[n] = 0;
    *last = *end == 0;
    *restp = end;
    return WASI_ESUCCESS;
}

static int walk_loop(Walk *w, int flags, mode_t mode, bool follow, int *out)
{
    const char *rest = w->path;
    char name[NAME_MAX + 1];
    for (;;) {
        bool last;
        int r = walk_next(&rest, name, &last);
        if (r) return r;
        if (!name[0]) /* path ended with '/', "." or "..": a directory */
            return walk_final(w, ".", flags & ~O_NOFOLLOW, mode, false, out);
        if (!strcmp(name, ".")) continue;
        if (!strcmp(name, "..")) {
            if (w->depth == 0) return WASI_ENOTCAPABLE;
            close(w->dirs[w->depth--]);
            continue;
        }
        if (!last) { /* inner component, or final one with '/' after it */
            r = walk_enter(w, name);
            if (r == WASI_ENOTDIR || r == WASI_ELOOP) {
                r = walk_expand(w, name, rest);
                if (r == WALK_NOT_LINK) return WASI_ENOTDIR;
                rest = w->path;
            }
            if (r) return r;
            continue;
        }
        if (follow) {
            r = walk_expand(w, name, rest);
            if (r == WASI_ESUCCESS) {
                rest = w->path;
                continue;
            }
            if (r != WALK_NOT_LINK) return r;
        }
        return walk_final(w, name, flags | O_NOFOLLOW, mode, follow, out);
    }
}

static int walk_open(int dirfd, const char *path, int flags, mode_t mode,
                     bool follow, int *out)
{
    size_t len = strlen(path);
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    Walk *w = xmalloc(sizeof *w);
    w->dirs[0] = dirfd;
    w->depth = 0;
    w->links = 0;
    memcpy(w->path, path, len + 1);
    int r = walk_loop(w, flags & ~O_NOFOLLOW, mode, follow, out);
    while (w->depth > 0) close(w->dirs[w->depth--]);
    free(w);
    return r;
}

/* ---- entry points -------------------------------------------------------- */

int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode,
                      bool follow, int *out)
{
    *out = -1;
    if (!path[0]) return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    flags |= O_CLOEXEC;
    if (!(flags & O_PATH)) flags |= O_NOCTTY;
    if (!follow) flags |= O_NOFOLLOW;
    if (!wasi_resolve_force_walk &&
        !atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
        int e = openat2_beneath(dirfd, path, flags, mode, out);
        if (e != ENOSYS) return e ? resolve_errno(e) : WASI_ESUCCESS;
        atomic_store_explicit(&no_openat2, true, memory_order_relaxed);
    }
    return walk_open(dirfd, path, flags, mode, follow, out);
}

void wasi_parent_close(WasiParent *p)
{
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}

/* Drops trailing slashes from buf (noting them in *slash) and returns its
 * last '/', or NULL when buf is a single name. */
static char *split_last(char *buf, bool *slash)
{
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/') {
        buf[--n] = 0;
        *slash = true;
    }
    return strrchr(buf, '/');
}

/* With the parent open, replaces a final symlink by its target in out->buf
 * ("dir/" + target).  WALK_NOT_LINK if base is no symlink. */
static int parent_expand(WasiParent *out, char *sep, unsigned *links)
{
    char link[WASI_PATH_MAX + 1];
    ssize_t n = readlinkat(out->fd, out->base, link, sizeof link);
    if (n < 0) return WALK_NOT_LINK; /* the operation reports what it is */
    if ((size_t)n >= sizeof link) return WASI_ENAMETOOLONG;
    if (++*links > WASI_RESOLVE_MAX_LINKS) return WASI_ELOOP;
    if (n == 0) return WASI_ENOENT;
    if (link[0] == '/') return WASI_ENOTCAPABLE;
    size_t dl = sep ? (size_t)(sep - out->buf) + 1 : 0;
    if (dl + (size_t)n > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    if (sep) *sep = '/';
    memcpy(out->buf + dl, link, (size_t)n);
    out->buf[dl + (size_t)n] = 0;
    return WASI_ESUCCESS;
}

int wasi_resolve_parent(int dirfd, const char *path, bool follow,
                        WasiParent *out)
{
    out->fd = -1;
    out->slash = false;
    out->base = NULL;
    size_t len = strlen(path);
    if (len == 0) return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    memcpy(out->buf, path, len + 1);
    for (unsigned links = 0;;) {
        char *sep = split_last(out->buf, &out->slash);
        char *base = sep ? sep + 1 : out->buf;
        if (is_dots(base)) {
            /* "x/..", "x/.", "..": the directory the whole path names,
             * reached beneath like any other (so ".." alone escapes). */
            out->base = ".";
            return wasi_resolve_open(dirfd, out->buf, O_PATH | O_DIRECTORY,
                                     0, true, &out->fd);
        }
        if (strlen(base) > NAME_MAX) return WASI_ENAMETOOLONG;
        if (sep) *sep = 0;
        int r = wasi_resolve_open(dirfd, sep ? out->buf : ".",
                                  O_PATH | O_DIRECTORY, 0, true, &out->fd);
        if (r) return r;
        out->base = base;
        if (!follow) return WASI_ESUCCESS;
        r = parent_expand(out, sep, &links);
        if (r == WALK_NOT_LINK) return WASI_ESUCCESS;
        wasi_parent_close(out);
        if (r) return r;
    }
}
