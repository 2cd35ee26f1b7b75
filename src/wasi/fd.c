/*
 * fd.c - every fd_* function of preview1: I/O through iovec arrays,
 * positions, flags and rights, file attributes, directory listing,
 * renumbering, the preopen names and closing.
 *
 * Each function first finds its descriptor with wasi_fd() and the rights
 * the operation needs, then checks every guest pointer before touching the
 * host, so a failed check leaves nothing half done.  Iovec counts are
 * capped at WASI_IOV_MAX (EINVAL beyond, as readv would say), and every host
 * buffer is fixed-size: nothing here allocates by a guest-chosen size.
 *
 * Reads and writes on streams (pipes, terminals, sockets) wait for
 * readiness in interruptible slices first (wasi_wait_fd), so a blocked
 * guest still ends on --timeout.  Lent stdio is shared with the embedder,
 * so its host flags are never changed: a guest's NONBLOCK on it is
 * emulated by polling, and APPEND cannot be changed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
#define RET(errno_) (slots[0] = (uint64_t)(errno_), B8G_OK)

/* Bytes of directory entries read from the host per getdents64 call. */
#define WASI_DIRENT_BUF 16384
#define DIRENT_HEADER 24 /* d_next u64, d_ino u64, d_namlen u32, d_type u8, pad */

#define SYNC_FLAGS (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)
#define ALL_FDFLAGS (SYNC_FLAGS | WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)

/* ---- reading and writing ------------------------------------------------------ */

static size_t iov_total(const struct iovec *iov, uint32_t n)
{
    size_t t = 0;
    for (uint32_t i = 0; i < n; i++) t += iov[i].iov_len;
    return t;
}

/* Regular files, directories and block devices never make read or write
 * wait; everything else may. */
static bool may_block(const WasiFile *f)
{
    return f->filetype != WASI_FILETYPE_REGULAR_FILE &&
           f->filetype != WASI_FILETYPE_DIRECTORY &&
           f->filetype != WASI_FILETYPE_BLOCK_DEVICE;
}

/* Before a read or write that could block: 0 to go ahead, a WASI errno,
 * or -1 when interrupted (err filled).  A guest-set NONBLOCK on a lent
 * stream is honoured here, since its host flags stay untouched. */
static int wait_stream(b8g_hostcall *call, const WasiFile *f, short events, b8g_error *err)
{
    if (!may_block(f)) return 0;
    if (f->borrowed && (f->fdflags & WASI_FDFLAG_NONBLOCK)) {
        struct pollfd p = {f->fd, events, 0};
        return poll(&p, 1, 0) > 0 ? 0 : WASI_EAGAIN;
    }
    /* A host fd that is O_NONBLOCK itself answers EAGAIN on its own. */
    int fl = f->borrowed ? 0 : fcntl(f->fd, F_GETFL);
    if (fl > 0 && (fl & O_NONBLOCK)) return 0;
    return wasi_wait_fd(call, f->fd, events, err);
}

typedef enum IoOp { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } IoOp;

static ssize_t do_io(IoOp op, int fd, const struct iovec *iov, uint32_t n, off_t off)
{
    switch (op) {
    case IO_READ: return readv(fd, iov, (int)n);
    case IO_WRITE: return writev(fd, iov, (int)n);
    case IO_PREAD: return preadv(fd, iov, (int)n, off);
    case IO_PWRITE: return pwritev(fd, iov, (int)n, off);
    }
    return -1;
}

/*
 * A stream read or write that may block is first tried with RWF_NOWAIT:
 * when the pipe, socket or device is ready (nearly always for output) the
 * transfer is done without the poll that waiting interruptibly needs, one
 * system call instead of two.  -1 means "wait, then do it the usual way"
 * (not ready, interrupted, or no RWF_NOWAIT on this kind of file, which
 * is remembered); errors other than those are left to that path too, so
 * they are reported in one place.
 */
static ssize_t transfer_now(WasiFile *f, IoOp op, const struct iovec *iov, uint32_t n)
{
    if (!may_block(f) || f->no_nowait) return -1;
    ssize_t r = op == IO_WRITE ? pwritev2(f->fd, iov, (int)n, -1, RWF_NOWAIT)
                               : preadv2(f->fd, iov, (int)n, -1, RWF_NOWAIT);
    if (r < 0 && (errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS))
        f->no_nowait = true;
    return r;
}

/*
 * The four data transfers: (fd, iovs, iovs_len, [offset,] result_ptr).
 * A signal (the CLI's watchdog) may cut a blocked transfer short with
 * EINTR: then an interrupt ends the guest, anything else retries.
 */
static b8g_status transfer(b8g_hostcall *call, uint64_t *slots, b8g_error *err, IoOp op)
{
    static const uint64_t need[] = {
        WASI_RIGHT_FD_READ, WASI_RIGHT_FD_WRITE, WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK,
        WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK};
    bool positioned = op == IO_PREAD || op == IO_PWRITE;
    uint64_t off = positioned ? ARG64(3) : 0;
    uint32_t res_ptr = positioned ? ARG(4) : ARG(3);
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), need[op], &f, NULL);
    if (rc) return RET(rc);
    WasiMem m = wasi_mem(call);
    struct iovec iov[WASI_IOV_MAX];
    uint32_t n = ARG(2);
    if ((rc = wasi_get_iovs(&m, ARG(1), n, iov))) return RET(rc);
    if (!wasi_in(&m, res_ptr, 4)) return RET(WASI_EFAULT);
    if (positioned && off > INT64_MAX) return RET(WASI_EINVAL);
    bool out = op == IO_WRITE || op == IO_PWRITE;
    ssize_t r;
    if (!positioned && iov_total(iov, n) > 0) {
        if ((r = transfer_now(f, op, iov, n)) >= 0) goto done;
        rc = wait_stream(call, f, out ? POLLOUT : POLLIN, err);
        if (rc < 0) return B8G_TRAP;
        if (rc) return RET(rc);
    }
    while ((r = do_io(op, f->fd, iov, n, (off_t)off)) < 0 && errno == EINTR)
        if (wasi_interrupted(call, err)) return B8G_TRAP;
    if (r < 0) return RET(wasi_errno(errno));
done:
    wasi_put_u32(&m, res_ptr, (uint32_t)r);
    return RET(WASI_ESUCCESS);
}

static b8g_status fd_read(b8g_hostcall *c, uint64_t *s, b8g_error *e) { return transfer(c, s, e, IO_READ); }
static b8g_status fd_write(b8g_hostcall *c, uint64_t *s, b8g_error *e) { return transfer(c, s, e, IO_WRITE); }
static b8g_status fd_pread(b8g_hostcall *c, uint64_t *s, b8g_error *e) { return transfer(c, s, e, IO_PREAD); }
static b8g_status fd_pwrite(b8g_hostcall *c, uint64_t *s, b8g_error *e) { return transfer(c, s, e, IO_PWRITE); }

/* ---- positions ----------------------------------------------------------------- */

/* Moves fd ARG(0) and stores the new position at res_ptr. */
static b8g_status reposition(b8g_hostcall *call, uint64_t *slots, uint64_t right, int64_t off,
                             int how, uint32_t res_ptr)
{
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), right, &f, NULL);
    if (rc) return RET(rc);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, res_ptr, 8)) return RET(WASI_EFAULT);
    off_t r = lseek(f->fd, (off_t)off, how);
    if (r < 0) return RET(wasi_errno(errno));
    wasi_put_u64(&m, res_ptr, (uint64_t)r);
    return RET(WASI_ESUCCESS);
}

/* (fd, offset i64, whence, newoffset_ptr).  Asking where we are (0 from
 * CUR) is fd_tell's right, so a tell-only descriptor can still do it. */
static b8g_status fd_seek(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    int64_t off = (int64_t)ARG64(1);
    int how;
    switch (ARG(2)) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return RET(WASI_EINVAL);
    }
    bool tell = how == SEEK_CUR && off == 0;
    return reposition(call, slots, tell ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK, off, how, ARG(3));
}

static b8g_status fd_tell(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return reposition(call, slots, WASI_RIGHT_FD_TELL, 0, SEEK_CUR, ARG(1));
}

/* ---- sync, advise, allocate ------------------------------------------------------ */

static b8g_status sync_with(b8g_hostcall *call, uint64_t *slots, uint64_t right,
                            int (*sync)(int))
{
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), right, &f, NULL);
    if (rc) return RET(rc);
    return RET(sync(f->fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno));
}

static b8g_status fd_sync(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return sync_with(call, slots, WASI_RIGHT_FD_SYNC, fsync);
}

static b8g_status fd_datasync(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return sync_with(call, slots, WASI_RIGHT_FD_DATASYNC, fdatasync);
}

/* (fd, offset, len, advice): advice numbers follow the witx order. */
static b8g_status fd_advise(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    static const int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL,
                                 POSIX_FADV_RANDOM, POSIX_FADV_WILLNEED,
                                 POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_ADVISE, &f, NULL);
    if (rc) return RET(rc);
    uint64_t off = ARG64(1), len = ARG64(2);
    if (ARG(3) >= B8G_ARRAY_LEN(advice) || off > INT64_MAX || len > INT64_MAX)
        return RET(WASI_EINVAL);
    return RET(wasi_errno(posix_fadvise(f->fd, (off_t)off, (off_t)len, advice[ARG(3)])));
}

static b8g_status fd_allocate(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_ALLOCATE, &f, NULL);
    if (rc) return RET(rc);
    uint64_t off = ARG64(1), len = ARG64(2);
    if (off > INT64_MAX || len > INT64_MAX) return RET(WASI_EINVAL);
    return RET(wasi_errno(posix_fallocate(f->fd, (off_t)off, (off_t)len)));
}

/* ---- flags and rights -------------------------------------------------------------- */

/* APPEND and NONBLOCK as the host has them; the sync flags as opened
 * (Linux cannot tell RSYNC from SYNC); NONBLOCK also as emulated. */
static uint16_t current_flags(const WasiFile *f)
{
    uint16_t flags = f->fdflags & (SYNC_FLAGS | WASI_FDFLAG_NONBLOCK);
    int fl = fcntl(f->fd, F_GETFL);
    if (fl >= 0) {
        if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
        if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
    }
    return flags;
}

/* fdstat (24 bytes): filetype u8 @0, flags u16 @2, rights_base u64 @8,
 * rights_inheriting u64 @16. */
static b8g_status fd_fdstat_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    HandleEntry *e;
    int rc = wasi_fd(call, ARG(0), 0, &f, &e);
    if (rc) return RET(rc);
    WasiMem m = wasi_mem(call);
    uint32_t p = ARG(1);
    if (!wasi_in(&m, p, 24)) return RET(WASI_EFAULT);
    memset(m.base + p, 0, 24);
    wasi_put_u8(&m, p, f->filetype);
    wasi_put_u16(&m, p + 2, current_flags(f));
    wasi_put_u64(&m, p + 8, e->wasi_base);
    wasi_put_u64(&m, p + 16, e->wasi_inheriting);
    return RET(WASI_ESUCCESS);
}

/* Linux cannot change the sync flags of an open file, so asking to is
 * ENOTSUP rather than a silent no-op; APPEND and NONBLOCK are real. */
static b8g_status fd_fdstat_set_flags(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &f, NULL);
    if (rc) return RET(rc);
    uint32_t want = ARG(1);
    if (want & ~(uint32_t)ALL_FDFLAGS) return RET(WASI_EINVAL);
    uint16_t cur = current_flags(f);
    if ((want ^ cur) & SYNC_FLAGS) return RET(WASI_ENOTSUP);
    if (f->borrowed) {
        if ((want ^ cur) & WASI_FDFLAG_APPEND) return RET(WASI_ENOTSUP);
    } else {
        int fl = fcntl(f->fd, F_GETFL);
        if (fl < 0) return RET(wasi_errno(errno));
        fl &= ~(O_APPEND | O_NONBLOCK);
        if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
        if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
        if (fcntl(f->fd, F_SETFL, fl) != 0) return RET(wasi_errno(errno));
    }
    f->fdflags = (uint16_t)want;
    return RET(WASI_ESUCCESS);
}

/* Rights only shrink: asking for any right the descriptor lacks fails and
 * changes nothing. */
static b8g_status fd_fdstat_set_rights(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    HandleEntry *e;
    int rc = wasi_fd(call, ARG(0), 0, &f, &e);
    if (rc) return RET(rc);
    uint64_t base = ARG64(1), inh = ARG64(2);
    if ((base & ~e->wasi_base) || (inh & ~e->wasi_inheriting)) return RET(WASI_ENOTCAPABLE);
    e->wasi_base = base;
    e->wasi_inheriting = inh;
    return RET(WASI_ESUCCESS);
}

/* ---- attributes -------------------------------------------------------------------- */

static b8g_status fd_filestat_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_FILESTAT_GET, &f, NULL);
    if (rc) return RET(rc);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(1), 64)) return RET(WASI_EFAULT);
    struct stat st;
    if (fstat(f->fd, &st) != 0) return RET(wasi_errno(errno));
    wasi_put_filestat(&m, ARG(1), &st);
    return RET(WASI_ESUCCESS);
}

static b8g_status fd_filestat_set_size(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &f, NULL);
    if (rc) return RET(rc);
    if (ARG64(1) > INT64_MAX) return RET(WASI_EINVAL);
    return RET(ftruncate(f->fd, (off_t)ARG64(1)) == 0 ? WASI_ESUCCESS : wasi_errno(errno));
}

/* (fd, atim, mtim, fstflags) */
static b8g_status fd_filestat_set_times(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &f, NULL);
    if (rc) return RET(rc);
    struct timespec ts[2];
    if ((rc = wasi_timespecs(ARG64(1), ARG64(2), ARG(3), ts))) return RET(rc);
    return RET(futimens(f->fd, ts) == 0 ? WASI_ESUCCESS : wasi_errno(errno));
}

/* ---- directories ----------------------------------------------------------------- */

static uint8_t dirent_type(int dfd, const struct dirent64 *d)
{
    switch (d->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: break;
    }
    /* Some file systems leave the type to a stat of the entry. */
    struct stat st;
    if (fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return WASI_FILETYPE_UNKNOWN;
    return wasi_filetype_of(st.st_mode);
}

/* Appends one entry (header, then name) at *used, cutting it off where
 * the buffer ends, as the spec asks: a full buffer tells the guest that
 * more may follow.  False once the buffer is full. */
static bool put_dirent(uint8_t *buf, uint32_t len, uint32_t *used, int dfd,
                       const struct dirent64 *d)
{
    uint8_t hdr[DIRENT_HEADER] = {0};
    uint32_t namlen = (uint32_t)strlen(d->d_name);
    uint64_t next = (uint64_t)d->d_off, ino = (uint64_t)d->d_ino;
    for (int i = 0; i < 8; i++) {
        hdr[i] = (uint8_t)(next >> (8 * i));
        hdr[8 + i] = (uint8_t)(ino >> (8 * i));
    }
    for (int i = 0; i < 4; i++) hdr[16 + i] = (uint8_t)(namlen >> (8 * i));
    hdr[20] = dirent_type(dfd, d);
    const uint8_t *parts[2] = {hdr, (const uint8_t *)d->d_name};
    uint32_t sizes[2] = {DIRENT_HEADER, namlen};
    for (int k = 0; k < 2; k++) {
        uint32_t n = len - *used < sizes[k] ? len - *used : sizes[k];
        memcpy(buf + *used, parts[k], n);
        *used += n;
    }
    return *used < len;
}

/*
 * Cookies are the kernel's own directory offsets (d_off): the cookie of an
 * entry is where the next one starts, 0 is the beginning, and seeking to a
 * cookie resumes there.  Each call reads through a fresh descriptor for
 * "." of the directory, so it needs no state between calls, works however
 * the directory was opened, and never disturbs another reader's position.
 */
static int read_dir(int dirfd, uint64_t cookie, uint8_t *buf, uint32_t len, uint32_t *used)
{
    int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return wasi_errno(errno);
    int rc = 0;
    if (cookie && lseek(dfd, (off_t)cookie, SEEK_SET) < 0) rc = wasi_errno(errno);
    char host[WASI_DIRENT_BUF] __attribute__((aligned(8)));
    bool room = *used < len;
    while (!rc && room) {
        ssize_t n = getdents64(dfd, host, sizeof host);
        if (n < 0) rc = wasi_errno(errno);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n && room;) {
            const struct dirent64 *d = (const struct dirent64 *)(host + at);
            room = put_dirent(buf, len, used, dfd, d);
            at += d->d_reclen;
        }
    }
    close(dfd);
    return rc;
}

/* (fd, buf, buf_len, cookie, bufused_ptr) */
static b8g_status fd_readdir(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), WASI_RIGHT_FD_READDIR, &f, NULL);
    if (rc) return RET(rc);
    if (f->filetype != WASI_FILETYPE_DIRECTORY) return RET(WASI_ENOTDIR);
    WasiMem m = wasi_mem(call);
    uint32_t buf = ARG(1), len = ARG(2);
    if (!wasi_in(&m, buf, len) || !wasi_in(&m, ARG(4), 4)) return RET(WASI_EFAULT);
    if (ARG64(3) > INT64_MAX) return RET(WASI_EINVAL);
    uint32_t used = 0;
    rc = read_dir(f->fd, ARG64(3), m.base + buf, len, &used);
    if (rc) return RET(rc);
    wasi_put_u32(&m, ARG(4), used);
    return RET(WASI_ESUCCESS);
}

/* ---- the descriptor table ---------------------------------------------------------- */

static b8g_status fd_close(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = wasi_fd(call, ARG(0), 0, &f, NULL);
    if (rc) return RET(rc);
    cap_close(wasi_handles(call), ARG(0));
    return RET(WASI_ESUCCESS);
}

/* Moves `from` onto `to`, closing what `to` held.  A preopened directory
 * can be closed but neither moved nor replaced: libc's table of preopens
 * would then name the wrong directory (the wasi-testsuite asks ENOTSUP). */
static b8g_status fd_renumber(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *from, *to;
    int rc = wasi_fd(call, ARG(0), 0, &from, NULL);
    if (!rc) rc = wasi_fd(call, ARG(1), 0, &to, NULL);
    if (rc) return RET(rc);
    if (ARG(0) != ARG(1) && (from->preopen_name || to->preopen_name)) return RET(WASI_ENOTSUP);
    cap_move(wasi_handles(call), ARG(0), ARG(1));
    return RET(WASI_ESUCCESS);
}

static int preopen(b8g_hostcall *call, uint32_t fd, WasiFile **f)
{
    int rc = wasi_fd(call, fd, 0, f, NULL);
    if (!rc && !(*f)->preopen_name) rc = WASI_EBADF;
    return rc;
}

/* prestat (8 bytes): tag u8 @0 (0 = dir), name length u32 @4. */
static b8g_status fd_prestat_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = preopen(call, ARG(0), &f);
    if (rc) return RET(rc);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(1), 8)) return RET(WASI_EFAULT);
    wasi_put_u32(&m, ARG(1), WASI_PREOPENTYPE_DIR);
    wasi_put_u32(&m, ARG(1) + 4, (uint32_t)strlen(f->preopen_name));
    return RET(WASI_ESUCCESS);
}

/* (fd, path, path_len): exactly the name's bytes, without a NUL. */
static b8g_status fd_prestat_dir_name(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    WasiFile *f;
    int rc = preopen(call, ARG(0), &f);
    if (rc) return RET(rc);
    size_t len = strlen(f->preopen_name);
    if (ARG(2) < len) return RET(WASI_ENAMETOOLONG);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ARG(1), len)) return RET(WASI_EFAULT);
    memcpy(m.base + ARG(1), f->preopen_name, len);
    return RET(WASI_ESUCCESS);
}

const WasiFuncDef wasi_fd_funcs[] = {
    {"fd_advise", "iIIi:i", fd_advise},
    {"fd_allocate", "iII:i", fd_allocate},
    {"fd_close", "i:i", fd_close},
    {"fd_datasync", "i:i", fd_datasync},
    {"fd_fdstat_get", "ii:i", fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii:i", fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII:i", fd_fdstat_set_rights},
    {"fd_filestat_get", "ii:i", fd_filestat_get},
    {"fd_filestat_set_size", "iI:i", fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi:i", fd_filestat_set_times},
    {"fd_pread", "iiiIi:i", fd_pread},
    {"fd_prestat_get", "ii:i", fd_prestat_get},
    {"fd_prestat_dir_name", "iii:i", fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi:i", fd_pwrite},
    {"fd_read", "iiii:i", fd_read},
    {"fd_readdir", "iiiIi:i", fd_readdir},
    {"fd_renumber", "ii:i", fd_renumber},
    {"fd_seek", "iIii:i", fd_seek},
    {"fd_sync", "i:i", fd_sync},
    {"fd_tell", "ii:i", fd_tell},
    {"fd_write", "iiii:i", fd_write},
};
const uint32_t wasi_fd_nfuncs = B8G_ARRAY_LEN(wasi_fd_funcs);
