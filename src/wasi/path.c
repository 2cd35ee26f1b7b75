/*
 * path.c - the path_* functions of preview1.
 *
 * Each one looks up its directory descriptor with the right the operation
 * needs, copies the guest path out of linear memory (resolve.h's rules),
 * and then reaches the host file system only through resolve.c: either a
 * whole-path open beneath the directory, or the parent directory plus one
 * final name handed to a single *at call that does not follow it.
 *
 * Choices where preview1 leaves room:
 *  - path_open grants requested rights & the directory's inheriting rights
 *    & what the opened kind can use: asking for more is not an error, it
 *    just is not granted.  Rust's std asks for a fixed wide set (including
 *    PATH_CREATE_FILE and FD_FILESTAT_SET_TIMES even to read) and counts on
 *    getting "fewer rights silently", so refusing (as Node does) would make
 *    every File::open in a read-only preopen fail.  Nothing widens: the
 *    host open mode follows the granted rights, so a descriptor without
 *    FD_WRITE is O_RDONLY on the host too.
 *  - path_symlink refuses absolute targets (ENOTCAPABLE); relative ones are
 *    stored as given, and are only ever followed beneath a directory.
 *  - path_link with LOOKUP_SYMLINK_FOLLOW links what the old path's
 *    symlinks lead to, following them beneath the old directory (never
 *    with linkat's AT_SYMLINK_FOLLOW, which would follow on the host).
 *  - A trailing '/' means "a directory", as in POSIX; the name handed to
 *    the host never carries it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/resolve.h"
#include "wasi/wasi.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
#define RET(errno_) (slots[0] = (uint64_t)(errno_), B8G_OK)

#define OFLAGS_ALL (WASI_OFLAG_CREAT | WASI_OFLAG_DIRECTORY | WASI_OFLAG_EXCL | \
                    WASI_OFLAG_TRUNC)
#define FDFLAGS_ALL (WASI_FDFLAG_APPEND | WASI_FDFLAG_DSYNC |                  \
                     WASI_FDFLAG_NONBLOCK | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)

/* Files and directories are created as 0666/0777 less the umask, like
 * every POSIX program does. */
#define CREATE_FILE_MODE 0666
#define CREATE_DIR_MODE 0777

/* A guest path: the directory descriptor it starts from and its bytes. */
typedef struct GuestPath {
    WasiFile *dir;
    HandleEntry *entry;
    char buf[WASI_PATH_MAX + 1];
} GuestPath;

/* Looks up directory fd with `rights` and copies the guest path.  Errors
 * come in the order EBADF, ENOTCAPABLE, ENOTDIR, EFAULT, then the path's. */
static int get_path(b8g_hostcall *call, uint32_t fd, uint64_t rights,
                    uint32_t ptr, uint32_t len, GuestPath *p)
{
    int r = wasi_fd(call, fd, rights, &p->dir, &p->entry);
    if (r) return r;
    if (p->dir->base.kind != CAP_KIND_DIR) return WASI_ENOTDIR;
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ptr, len)) return WASI_EFAULT;
    return wasi_path_check(m.base + ptr, len, p->buf);
}

static bool ends_in_slash(const char *path)
{
    size_t n = strlen(path);
    return n && path[n - 1] == '/';
}

/* Whether a final symlink is followed: never (operations on the name
 * itself), on request, or when the path ends in '/' (lookups: POSIX reads
 * "link/" as what the link leads to). */
typedef enum Follow { NOFOLLOW, FOLLOW, FOLLOW_IF_SLASH } Follow;

/* get_path, then the parent of the path's final component (resolve.h). */
static int get_parent(b8g_hostcall *call, uint32_t fd, uint64_t rights,
                      uint32_t ptr, uint32_t len, Follow follow, WasiParent *d)
{
    GuestPath p;
    d->fd = -1;
    int r = get_path(call, fd, rights, ptr, len, &p);
    if (r) return r;
    bool f = follow == FOLLOW || (follow == FOLLOW_IF_SLASH && ends_in_slash(p.buf));
    return wasi_resolve_parent(p.dir->fd, p.buf, f, d);
}

/* For a path that ended in '/': 0 if p names a directory, else ENOTDIR or
 * ENOENT (or what lstat said). */
static int must_be_dir(const WasiParent *p)
{
    struct stat st;
    if (fstatat(p->fd, p->base, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return wasi_errno(errno);
    return S_ISDIR(st.st_mode) ? 0 : WASI_ENOTDIR;
}

/* For a name about to be created from a path that ended in '/' (a symlink
 * or link cannot be a directory): EEXIST if something is there, ENOENT
 * otherwise, as Linux answers. */
static int slash_create_err(const WasiParent *p)
{
    struct stat st;
    return fstatat(p->fd, p->base, &st, AT_SYMLINK_NOFOLLOW) == 0 ? WASI_EEXIST
                                                                  : WASI_ENOENT;
}

static int host_result(int rc)
{
    return rc == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* ---- path_open ----------------------------------------------------------- */

typedef struct OpenReq {
    uint32_t lookup, oflags, fdflags;
    uint64_t base, inheriting;
} OpenReq;

/* The directory rights the request needs: CREAT creates a file, TRUNC sets
 * its size, DSYNC/RSYNC/SYNC need the sync rights to be inheritable. */
static int open_rights(const OpenReq *q, uint64_t *dir_base, uint64_t *inh)
{
    if (q->lookup & ~WASI_LOOKUP_SYMLINK_FOLLOW || q->oflags & ~OFLAGS_ALL ||
        q->fdflags & ~FDFLAGS_ALL)
        return WASI_EINVAL;
    if ((q->oflags & WASI_OFLAG_CREAT) && (q->oflags & WASI_OFLAG_DIRECTORY))
        return WASI_EINVAL; /* nothing creates a directory by opening it */
    *dir_base = WASI_RIGHT_PATH_OPEN;
    if (q->oflags & WASI_OFLAG_CREAT) *dir_base |= WASI_RIGHT_PATH_CREATE_FILE;
    if (q->oflags & WASI_OFLAG_TRUNC) *dir_base |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    *inh = 0;
    if (q->fdflags & WASI_FDFLAG_DSYNC) *inh |= WASI_RIGHT_FD_DATASYNC;
    if (q->fdflags & (WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)) *inh |= WASI_RIGHT_FD_SYNC;
    return 0;
}

/* Host open(2) flags for the request and the rights it will hold.  Always
 * O_NONBLOCK for the open itself, so a FIFO cannot park the host in open;
 * open_file drops it afterwards unless the guest asked for it. */
static int open_flags(const OpenReq *q, uint64_t granted)
{
    bool rd = granted & WASI_RIGHTS_HOST_READ, wr = granted & WASI_RIGHTS_HOST_WRITE;
    int fl = wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
    fl |= O_NONBLOCK;
    if (q->oflags & WASI_OFLAG_CREAT) fl |= O_CREAT;
    if (q->oflags & WASI_OFLAG_DIRECTORY) fl |= O_DIRECTORY;
    if (q->oflags & WASI_OFLAG_EXCL) fl |= O_EXCL;
    if (q->oflags & WASI_OFLAG_TRUNC) fl |= O_TRUNC;
    if (q->fdflags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (q->fdflags & WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
    if (q->fdflags & WASI_FDFLAG_RSYNC) fl |= O_RSYNC;
    if (q->fdflags & WASI_FDFLAG_SYNC) fl |= O_SYNC;
    return fl;
}

/* Records where f lies so a snapshot can reopen it (wasi.h): beneath the
 * same root as dir, or beneath dir if dir is a preopen, at dir's path
 * joined with the guest's path as given.  Roots are always preopens, which
 * have none, so the references never form a cycle. */
static void record_origin(WasiFile *f, WasiFile *dir, const char *path)
{
    WasiFile *root = dir->root ? dir->root : dir->preopen_name ? dir : NULL;
    if (!root) return;
    cap_ref(&root->base);
    f->root = root;
    const char *prefix = dir->root ? dir->path : "";
    if (!prefix) return; /* dir's own path went unrecorded */
    size_t np = strlen(prefix), n = strlen(path);
    size_t len = np ? np + 1 + n : n;
    if (len > WASI_SNAP_MAX_PATH) return;
    char *p = xmalloc(len + 1);
    if (np) {
        memcpy(p, prefix, np);
        p[np] = '/';
    }
    memcpy(p + len - n, path, n + 1);
    f->path = p;
}

/*
 * Opens path beneath dir: path_open's whole host side, shared with the
 * snapshot restore so a reopened descriptor is made exactly as the first
 * one was.  *base and *inheriting come in as the rights to grant (already
 * masked by what dir passes on) and leave masked to what the opened kind
 * can use; the host open mode follows *base.  Returns a WASI errno; on
 * success *out holds the caller's reference.  Not static: snapshot.c.
 */
int wasi_open_beneath(WasiFile *dir, const char *path, uint32_t lookup,
                      uint32_t oflags, uint32_t fdflags, uint64_t *base,
                      uint64_t *inheriting, WasiFile **out)
{
    const OpenReq q = {lookup, oflags, fdflags, *base, *inheriting};
    int fd;
    int r = wasi_resolve_open(dir->fd, path, open_flags(&q, *base),
                              CREATE_FILE_MODE,
                              lookup & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
    if (r) return r;
    struct stat st;
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0 || fl < 0 ||
        (!(fdflags & WASI_FDFLAG_NONBLOCK) &&
         fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)) {
        r = wasi_errno(errno);
        close(fd);
        return r;
    }
    /* A descriptor holds only what its kind can use. */
    CapKind kind = S_ISDIR(st.st_mode) ? CAP_KIND_DIR : CAP_KIND_FILE;
    *base &= kind == CAP_KIND_DIR ? WASI_RIGHTS_DIR : WASI_RIGHTS_FILE;
    *inheriting &= kind == CAP_KIND_DIR ? WASI_RIGHTS_DIR | WASI_RIGHTS_FILE : 0;
    WasiFile *f = wasi_file_new(fd, false, wasi_filetype_of(st.st_mode), kind);
    f->fdflags = (uint16_t)fdflags;
    f->max_base = *base;
    f->max_inheriting = *inheriting;
    record_origin(f, dir, path);
    *out = f;
    return WASI_ESUCCESS;
}

/* Opens and inserts the descriptor; *slot gets its number. */
static int open_file(b8g_hostcall *call, GuestPath *p, const OpenReq *q,
                     uint32_t *slot)
{
    uint64_t base = q->base & p->entry->wasi_inheriting;
    uint64_t inh = q->inheriting & p->entry->wasi_inheriting;
    WasiFile *f;
    int r = wasi_open_beneath(p->dir, p->buf, q->lookup, q->oflags, q->fdflags,
                              &base, &inh, &f);
    if (r) return r;
    b8g_status st_ins = cap_insert(wasi_handles(call), &f->base,
                                   cap_wasi_generic_rights(f->base.kind), base, inh,
                                   slot, NULL);
    cap_unref(&f->base); /* closes fd if the table had no room */
    return st_ins ? WASI_EMFILE : WASI_ESUCCESS;
}

/* path_open(fd, dirflags, path, path_len, oflags, rights_base,
 *           rights_inheriting, fdflags, *fd) */
static b8g_status path_open(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    OpenReq q = {ARG(1), ARG(4), ARG(7), ARG64(5), ARG64(6)};
    uint64_t dir_base, inh;
    int r = open_rights(&q, &dir_base, &inh);
    if (r) return RET(r);
    GuestPath p;
    r = get_path(call, ARG(0), dir_base, ARG(2), ARG(3), &p);
    if (r) return RET(r);
    if ((p.entry->wasi_inheriting & inh) != inh) return RET(WASI_ENOTCAPABLE);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(8), 4)) return RET(WASI_EFAULT); /* before creating */
    uint32_t slot;
    r = open_file(call, &p, &q, &slot);
    if (r) return RET(r);
    wasi_put_u32(&m, ARG(8), slot);
    return RET(WASI_ESUCCESS);
}

/* ---- directories and names ------------------------------------------------ */

/* path_create_directory(fd, path, path_len) */
static b8g_status path_create_directory(b8g_hostcall *call, uint64_t *slots,
                                        b8g_error *err)
{
    (void)err;
    WasiParent d;
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_CREATE_DIRECTORY, ARG(1),
                       ARG(2), NOFOLLOW, &d);
    if (r) return RET(r);
    r = host_result(mkdirat(d.fd, d.base, CREATE_DIR_MODE));
    wasi_parent_close(&d);
    return RET(r);
}

/* path_remove_directory(fd, path, path_len): "." and "x/.." name a
 * directory through itself, which rmdir refuses (EINVAL), so no path can
 * remove a preopen. */
static b8g_status path_remove_directory(b8g_hostcall *call, uint64_t *slots,
                                        b8g_error *err)
{
    (void)err;
    WasiParent d;
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_REMOVE_DIRECTORY, ARG(1),
                       ARG(2), NOFOLLOW, &d);
    if (r) return RET(r);
    r = host_result(unlinkat(d.fd, d.base, AT_REMOVEDIR));
    wasi_parent_close(&d);
    return RET(r);
}

/* path_unlink_file(fd, path, path_len) */
static b8g_status path_unlink_file(b8g_hostcall *call, uint64_t *slots,
                                   b8g_error *err)
{
    (void)err;
    WasiParent d;
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_UNLINK_FILE, ARG(1), ARG(2),
                       NOFOLLOW, &d);
    if (r) return RET(r);
    if (d.slash) { /* "name/" is a directory, never a file to unlink */
        r = must_be_dir(&d);
        r = r ? r : WASI_EISDIR;
    } else {
        r = host_result(unlinkat(d.fd, d.base, 0));
    }
    wasi_parent_close(&d);
    return RET(r);
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
static b8g_status path_rename(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiParent o, n;
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_RENAME_SOURCE, ARG(1), ARG(2),
                       NOFOLLOW, &o);
    if (r) return RET(r);
    r = get_parent(call, ARG(3), WASI_RIGHT_PATH_RENAME_TARGET, ARG(4), ARG(5),
                   NOFOLLOW, &n);
    if (!r && (o.slash || n.slash)) r = must_be_dir(&o);
    if (!r) r = host_result(renameat(o.fd, o.base, n.fd, n.base));
    wasi_parent_close(&o);
    wasi_parent_close(&n);
    return RET(r);
}

/* ---- links ------------------------------------------------------------------ */

/* path_symlink(old_path, old_len, fd, new_path, new_len): old_path is the
 * link's content, checked like any path, so an absolute one is refused. */
static b8g_status path_symlink(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiParent d;
    char target[WASI_PATH_MAX + 1];
    WasiMem m = wasi_mem(call);
    int r = get_parent(call, ARG(2), WASI_RIGHT_PATH_SYMLINK, ARG(3), ARG(4),
                       NOFOLLOW, &d);
    if (!r && !wasi_in(&m, ARG(0), ARG(1))) r = WASI_EFAULT;
    if (!r) r = wasi_path_check(m.base + ARG(0), ARG(1), target);
    if (r) {
        wasi_parent_close(&d);
        return RET(r);
    }
    if (d.slash) r = slash_create_err(&d);
    else r = host_result(symlinkat(target, d.fd, d.base));
    wasi_parent_close(&d);
    return RET(r);
}

/* path_readlink(fd, path, path_len, buf, buf_len, *bufused): the content
 * is truncated to buf_len, as readlink(2) does. */
static b8g_status path_readlink(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiParent d;
    char link[WASI_PATH_MAX + 1];
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(3), ARG(4)) || !wasi_in(&m, ARG(5), 4))
        return RET(WASI_EFAULT);
    /* "link/" names what the link leads to, which is no symlink. */
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_READLINK, ARG(1), ARG(2),
                       FOLLOW_IF_SLASH, &d);
    if (r) return RET(r);
    ssize_t n = readlinkat(d.fd, d.base, link, sizeof link);
    r = n < 0 ? wasi_errno(errno) : 0;
    wasi_parent_close(&d);
    if (r) return RET(r);
    if ((size_t)n >= sizeof link) return RET(WASI_ENAMETOOLONG);
    uint32_t used = (uint64_t)n < ARG(4) ? (uint32_t)n : ARG(4);
    if (used) memcpy(m.base + ARG(3), link, used);
    wasi_put_u32(&m, ARG(5), used);
    return RET(WASI_ESUCCESS);
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path,
 *           new_len) */
static b8g_status path_link(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    if (ARG(1) & ~WASI_LOOKUP_SYMLINK_FOLLOW) return RET(WASI_EINVAL);
    WasiParent o, n;
    int r = get_parent(call, ARG(0), WASI_RIGHT_PATH_LINK_SOURCE, ARG(2), ARG(3),
                       ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW ? FOLLOW : NOFOLLOW, &o);
    if (r) return RET(r);
    r = get_parent(call, ARG(4), WASI_RIGHT_PATH_LINK_TARGET, ARG(5), ARG(6),
                   NOFOLLOW, &n);
    if (!r && o.slash) { /* "dir/": directories cannot be linked */
        r = must_be_dir(&o);
        r = r ? r : WASI_EPERM;
    }
    if (!r && n.slash) r = slash_create_err(&n);
    if (!r) r = host_result(linkat(o.fd, o.base, n.fd, n.base, 0));
    /* Under Landlock (b8g_wasi_confine) the kernel checks a link before it
     * refuses a directory, and answers EXDEV for a source whose parent is
     * outside the rules ("." or a preopen itself); link(2) on a directory
     * is EPERM, confined or not. */
    if (r == WASI_EXDEV && must_be_dir(&o) == 0) r = WASI_EPERM;
    wasi_parent_close(&o);
    wasi_parent_close(&n);
    return RET(r);
}

/* ---- metadata ------------------------------------------------------------------ */

/* The parent of a metadata path (fd, lookupflags, path, path_len, ...). */
static int meta_parent(b8g_hostcall *call, uint64_t *slots, uint64_t right,
                       WasiParent *d)
{
    d->fd = -1;
    if (ARG(1) & ~WASI_LOOKUP_SYMLINK_FOLLOW) return WASI_EINVAL;
    return get_parent(call, ARG(0), right, ARG(2), ARG(3),
                      ARG(1) & WASI_LOOKUP_SYMLINK_FOLLOW ? FOLLOW : FOLLOW_IF_SLASH, d);
}

/* path_filestat_get(fd, flags, path, path_len, *filestat) */
static b8g_status path_filestat_get(b8g_hostcall *call, uint64_t *slots,
                                    b8g_error *err)
{
    (void)err;
    WasiMem m = wasi_mem(call);
    WasiParent d;
    int r = meta_parent(call, slots, WASI_RIGHT_PATH_FILESTAT_GET, &d);
    if (r) return RET(r);
    struct stat st;
    r = host_result(fstatat(d.fd, d.base, &st, AT_SYMLINK_NOFOLLOW));
    if (!r && d.slash && !S_ISDIR(st.st_mode)) r = WASI_ENOTDIR;
    wasi_parent_close(&d);
    if (r) return RET(r);
    return RET(wasi_put_filestat(&m, ARG(4), &st) ? WASI_ESUCCESS : WASI_EFAULT);
}

/* path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags) */
static b8g_status path_filestat_set_times(b8g_hostcall *call, uint64_t *slots,
                                          b8g_error *err)
{
    (void)err;
    struct timespec ts[2];
    int r = wasi_timespecs(ARG64(4), ARG64(5), ARG(6), ts);
    if (r) return RET(r);
    WasiParent d;
    r = meta_parent(call, slots, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, &d);
    if (r) return RET(r);
    if (d.slash) r = must_be_dir(&d);
    if (!r) r = host_result(utimensat(d.fd, d.base, ts, AT_SYMLINK_NOFOLLOW));
    wasi_parent_close(&d);
    return RET(r);
}

const WasiFuncDef wasi_path_funcs[] = {
    {"path_create_directory", "iii:i", path_create_directory},
    {"path_filestat_get", "iiiii:i", path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi:i", path_filestat_set_times},
    {"path_link", "iiiiiii:i", path_link},
    {"path_open", "iiiiiIIii:i", path_open},
    {"path_readlink", "iiiiii:i", path_readlink},
    {"path_remove_directory", "iii:i", path_remove_directory},
    {"path_rename", "iiiiii:i", path_rename},
    {"path_symlink", "iiiii:i", path_symlink},
    {"path_unlink_file", "iii:i", path_unlink_file},
};
const uint32_t wasi_path_nfuncs = B8G_ARRAY_LEN(wasi_path_funcs);
