/*
 * wasi.c - the WASI context: what a guest is granted (argv, environment,
 * stdio, preopened directories), the host module that exposes preview1,
 * and the helpers every wasi/ file shares (checked guest memory, descriptor
 * lookup with rights, errno mapping).
 *
 * Descriptors live in the calling instance's handle table, never in the
 * context: b8g_wasi_attach inserts the context's stdio and preopen objects
 * (one counted reference each) and the guest can then only narrow or drop
 * them.  Stdio is lent (borrowed), so closing fd 1 in the guest never
 * closes the embedder's stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rt/instance.h"
#include "rt/memory.h"
#include "util/err.h"
#include "wasi/wasi.h"

#define WASI_MODULE "wasi_snapshot_preview1"

/* ---- objects ------------------------------------------------------------- */

static void wasi_file_destroy(CapObject *o)
{
    WasiFile *f = (WasiFile *)o;
    if (!f->borrowed && f->fd >= 0) close(f->fd);
    free(f->preopen_name);
    free(f->path);
    /* A root is a preopen, which has no root itself: no cycle, and the
     * chain ends after one step whatever order teardown drops things in. */
    if (f->root) cap_unref(&f->root->base);
    free(f);
}

WasiFile *wasi_file_new(int fd, bool borrowed, uint8_t filetype, CapKind kind)
{
    WasiFile *f = xcalloc(1, sizeof *f);
    atomic_init(&f->base.refs, 1);
    atomic_init(&f->no_nowait, false);
    atomic_init(&f->fdflags, 0);
    f->base.kind = (uint8_t)kind;
    f->base.destroy = wasi_file_destroy;
    f->fd = fd;
    f->borrowed = borrowed;
    f->filetype = filetype;
    if (kind == CAP_KIND_FILE) f->max_base = WASI_RIGHTS_FILE;
    if (kind == CAP_KIND_DIR) {
        f->max_base = WASI_RIGHTS_DIR;
        f->max_inheriting = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
    }
    return f;
}

void wasi_rights_bound(const CapObject *o, uint64_t *base, uint64_t *inheriting)
{
    if (o->kind != CAP_KIND_FILE && o->kind != CAP_KIND_DIR) {
        *base = *inheriting = 0;
        return;
    }
    const WasiFile *f = (const WasiFile *)o;
    *base &= f->max_base;
    *inheriting &= f->max_inheriting;
}

uint8_t wasi_filetype_of(uint32_t st_mode)
{
    switch (st_mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* fifos have no WASI type */
    }
}

/* ---- guest memory ---------------------------------------------------------- */

WasiMem wasi_mem(b8g_hostcall *call)
{
    WasiMem m = {NULL, 0};
    if (call && call->caller && call->caller->mem0) {
        m.base = call->caller->mem0->base;
        m.size = call->caller->mem0->size;
    }
    return m;
}

/* Wasm memory is little-endian: bytes are placed one by one, so the host's
 * byte order never matters and unaligned guest pointers are fine. */
static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool put_n(WasiMem *m, uint32_t ptr, uint64_t v, unsigned n)
{
    if (!wasi_in(m, ptr, n)) return false;
    put_le(m->base + ptr, v, n);
    return true;
}

bool wasi_put_u8(WasiMem *m, uint32_t ptr, uint8_t v) { return put_n(m, ptr, v, 1); }
bool wasi_put_u16(WasiMem *m, uint32_t ptr, uint16_t v) { return put_n(m, ptr, v, 2); }
bool wasi_put_u32(WasiMem *m, uint32_t ptr, uint32_t v) { return put_n(m, ptr, v, 4); }
bool wasi_put_u64(WasiMem *m, uint32_t ptr, uint64_t v) { return put_n(m, ptr, v, 8); }

bool wasi_get_u32(const WasiMem *m, uint32_t ptr, uint32_t *v)
{
    if (!wasi_in(m, ptr, 4)) return false;
    *v = (uint32_t)get_le(m->base + ptr, 4);
    return true;
}

bool wasi_get_u64(const WasiMem *m, uint32_t ptr, uint64_t *v)
{
    if (!wasi_in(m, ptr, 8)) return false;
    *v = get_le(m->base + ptr, 8);
    return true;
}

int wasi_get_iovs(const WasiMem *m, uint32_t ptr, uint32_t n, struct iovec *iov)
{
    if (n > WASI_IOV_MAX) return WASI_EINVAL;
    if (!wasi_in(m, ptr, (uint64_t)n * 8)) return WASI_EFAULT;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t buf = 0, len = 0;
        wasi_get_u32(m, ptr + 8 * i, &buf);
        wasi_get_u32(m, ptr + 8 * i + 4, &len);
        if (!wasi_in(m, buf, len)) return WASI_EFAULT;
        iov[i].iov_base = m->base + buf;
        iov[i].iov_len = len;
    }
    return WASI_ESUCCESS;
}

static uint64_t ts_ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* filestat: dev@0 ino@8 filetype@16 nlink@24 size@32 atim@40 mtim@48
 * ctim@56, 64 bytes. */
bool wasi_put_filestat(WasiMem *m, uint32_t ptr, const struct stat *st)
{
    if (!wasi_in(m, ptr, 64)) return false;
    uint8_t *p = m->base + ptr;
    memset(p, 0, 64);
    put_le(p + 0, (uint64_t)st->st_dev, 8);
    put_le(p + 8, (uint64_t)st->st_ino, 8);
    p[16] = wasi_filetype_of(st->st_mode);
    put_le(p + 24, (uint64_t)st->st_nlink, 8);
    put_le(p + 32, (uint64_t)st->st_size, 8);
    put_le(p + 40, ts_ns(st->st_atim), 8);
    put_le(p + 48, ts_ns(st->st_mtim), 8);
    put_le(p + 56, ts_ns(st->st_ctim), 8);
    return true;
}

/* One of atime/mtime: a given time, now, or left alone.  Asking for both a
 * time and "now" is contradictory, hence EINVAL. */
static int one_timespec(uint64_t t, bool set, bool now, struct timespec *ts)
{
    if (set && now) return WASI_EINVAL;
    if (now) {
        ts->tv_sec = 0;
        ts->tv_nsec = UTIME_NOW;
    } else if (set) {
        ts->tv_sec = (time_t)(t / 1000000000u);
        ts->tv_nsec = (long)(t % 1000000000u);
    } else {
        ts->tv_sec = 0;
        ts->tv_nsec = UTIME_OMIT;
    }
    return 0;
}

int wasi_timespecs(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec *ts)
{
    const uint32_t known = WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW |
                           WASI_FSTFLAG_MTIM | WASI_FSTFLAG_MTIM_NOW;
    if (fst & ~known) return WASI_EINVAL;
    int e = one_timespec(atim, fst & WASI_FSTFLAG_ATIM, fst & WASI_FSTFLAG_ATIM_NOW, &ts[0]);
    if (!e) e = one_timespec(mtim, fst & WASI_FSTFLAG_MTIM, fst & WASI_FSTFLAG_MTIM_NOW, &ts[1]);
    return e;
}

/* ---- descriptors ----------------------------------------------------------- */

HandleTable *wasi_handles(b8g_hostcall *call)
{
    if (!call || !call->caller) return NULL;
    HandleTable *t = &call->caller->handles;
    if (t->max == 0) cap_table_init(t, 0);
    return t;
}

int wasi_fd(b8g_hostcall *call, uint32_t fd, uint64_t rights, WasiFile **f,
            HandleEntry **e)
{
    HandleTable *t = wasi_handles(call);
    HandleEntry *h = t ? cap_slot(t, fd) : NULL;
    /* Later kinds of capability (regions, channels) are not WASI files. */
    if (!h || h->obj->kind > CAP_KIND_SOCKET) return WASI_EBADF;
    if ((h->wasi_base & rights) != rights) return WASI_ENOTCAPABLE;
    *f = (WasiFile *)h->obj;
    if (e) *e = h;
    return WASI_ESUCCESS;
}

int wasi_errno(int e)
{
    switch (e) {
    case 0: return WASI_ESUCCESS;
    case E2BIG: return WASI_E2BIG;
    case EACCES: return WASI_EACCES;
    case EADDRINUSE: return WASI_EADDRINUSE;
    case EADDRNOTAVAIL: return WASI_EADDRNOTAVAIL;
    case EAFNOSUPPORT: return WASI_EAFNOSUPPORT;
    case EAGAIN: return WASI_EAGAIN; /* also EWOULDBLOCK */
    case EALREADY: return WASI_EALREADY;
    case EBADF: return WASI_EBADF;
    case EBADMSG: return WASI_EBADMSG;
    case EBUSY: return WASI_EBUSY;
    case ECANCELED: return WASI_ECANCELED;
    case ECHILD: return WASI_ECHILD;
    case ECONNABORTED: return WASI_ECONNABORTED;
    case ECONNREFUSED: return WASI_ECONNREFUSED;
    case ECONNRESET: return WASI_ECONNRESET;
    case EDEADLK: return WASI_EDEADLK;
    case EDESTADDRREQ: return WASI_EDESTADDRREQ;
    case EDOM: return WASI_EDOM;
    case EDQUOT: return WASI_EDQUOT;
    case EEXIST: return WASI_EEXIST;
    case EFAULT: return WASI_EFAULT;
    case EFBIG: return WASI_EFBIG;
    case EHOSTUNREACH: return WASI_EHOSTUNREACH;
    case EIDRM: return WASI_EIDRM;
    case EILSEQ: return WASI_EILSEQ;
    case EINPROGRESS: return WASI_EINPROGRESS;
    case EINTR: return WASI_EINTR;
    case EINVAL: return WASI_EINVAL;
    case EIO: return WASI_EIO;
    case EISCONN: return WASI_EISCONN;
    case EISDIR: return WASI_EISDIR;
    case ELOOP: return WASI_ELOOP;
    case EMFILE: return WASI_EMFILE;
    case EMLINK: return WASI_EMLINK;
    case EMSGSIZE: return WASI_EMSGSIZE;
    case EMULTIHOP: return WASI_EMULTIHOP;
    case ENAMETOOLONG: return WASI_ENAMETOOLONG;
    case ENETDOWN: return WASI_ENETDOWN;
    case ENETRESET: return WASI_ENETRESET;
    case ENETUNREACH: return WASI_ENETUNREACH;
    case ENFILE: return WASI_ENFILE;
    case ENOBUFS: return WASI_ENOBUFS;
    case ENODEV: return WASI_ENODEV;
    case ENOENT: return WASI_ENOENT;
    case ENOEXEC: return WASI_ENOEXEC;
    case ENOLCK: return WASI_ENOLCK;
    case ENOLINK: return WASI_ENOLINK;
    case ENOMEM: return WASI_ENOMEM;
    case ENOMSG: return WASI_ENOMSG;
    case ENOPROTOOPT: return WASI_ENOPROTOOPT;
    case ENOSPC: return WASI_ENOSPC;
    case ENOSYS: return WASI_ENOSYS;
    case ENOTCONN: return WASI_ENOTCONN;
    case ENOTDIR: return WASI_ENOTDIR;
    case ENOTEMPTY: return WASI_ENOTEMPTY;
    case ENOTRECOVERABLE: return WASI_ENOTRECOVERABLE;
    case ENOTSOCK: return WASI_ENOTSOCK;
    case ENOTSUP: return WASI_ENOTSUP; /* also EOPNOTSUPP */
    case ENOTTY: return WASI_ENOTTY;
    case ENXIO: return WASI_ENXIO;
    case EOVERFLOW: return WASI_EOVERFLOW;
    case EOWNERDEAD: return WASI_EOWNERDEAD;
    case EPERM: return WASI_EPERM;
    case EPIPE: return WASI_EPIPE;
    case EPROTO: return WASI_EPROTO;
    case EPROTONOSUPPORT: return WASI_EPROTONOSUPPORT;
    case EPROTOTYPE: return WASI_EPROTOTYPE;
    case ERANGE: return WASI_ERANGE;
    case EROFS: return WASI_EROFS;
    case ESPIPE: return WASI_ESPIPE;
    case ESRCH: return WASI_ESRCH;
    case ESTALE: return WASI_ESTALE;
    case ETIMEDOUT: return WASI_ETIMEDOUT;
    case ETXTBSY: return WASI_ETXTBSY;
    case EXDEV: return WASI_EXDEV;
    /* Linux-only codes WASI lacks, mapped to their nearest meaning. */
    case ENOTBLK: return WASI_ENOTSUP;
    case ESHUTDOWN: return WASI_EPIPE;
    case EHOSTDOWN: return WASI_EHOSTUNREACH;
    case ENOMEDIUM: return WASI_ENODEV;
    case EREMOTEIO: return WASI_EIO;
    case EUCLEAN: return WASI_EIO;
    case ENOKEY: case EKEYEXPIRED: case EKEYREVOKED: case EKEYREJECTED:
        return WASI_EACCES;
    default: return WASI_EIO;
    }
}

/* ---- the context ----------------------------------------------------------- */

/* Copies n strings; *bytes = their total size with NULs.  False if the
 * total does not fit the u32 that args_sizes_get reports. */
static bool copy_strings(uint32_t n, const char *const *src, char ***out,
                         size_t *bytes)
{
    char **v = xcalloc(n + 1, sizeof *v);
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(src[i]);
        v[i] = xstrndup(src[i], len);
        total += len + 1;
    }
    *out = v;
    *bytes = total;
    return total <= UINT32_MAX;
}

static void free_strings(char **v, uint32_t n)
{
    if (!v) return;
    for (uint32_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Stdio is lent, never owned.  A socket handed in as stdio (inetd style)
 * is a socket to the guest, so sock_* work on it. */
static WasiFile *lend_stdio(int fd)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return NULL;
    uint8_t type = wasi_filetype_of(st.st_mode);
    CapKind kind = S_ISSOCK(st.st_mode) ? CAP_KIND_SOCKET : CAP_KIND_STREAM;
    return wasi_file_new(fd, true, type, kind);
}

static b8g_status open_preopen(b8g_wasi *w, uint32_t i, const b8g_wasi_dir *d,
                               b8g_error *err)
{
    if (!d->host_path || !d->host_path[0])
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "preopen %u has no host path", i);
    const char *guest = d->guest_path ? d->guest_path : d->host_path;
    if (!guest[0])
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "%s: empty guest path", d->host_path);
    /* O_RDONLY rather than O_PATH: fd_readdir reads the preopen itself. */
    int fd = open(d->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "cannot open directory %s: %s",
                       d->host_path, strerror(errno));
    WasiFile *f = wasi_file_new(fd, false, WASI_FILETYPE_DIRECTORY, CAP_KIND_DIR);
    f->preopen_name = xstrndup(guest, strlen(guest));
    w->preopens[i] = f;
    w->preopen_ro[i] = d->readonly;
    wasi_preopen_rights(w, i, &f->max_base, &f->max_inheriting);
    return B8G_OK;
}

/* Every WasiFuncDef table of wasi/, in one list. */
static const struct {
    const WasiFuncDef *defs;
    const uint32_t *n;
} wasi_tables[] = {
    {wasi_args_funcs, &wasi_args_nfuncs}, {wasi_fd_funcs, &wasi_fd_nfuncs},
    {wasi_path_funcs, &wasi_path_nfuncs}, {wasi_poll_funcs, &wasi_poll_nfuncs},
    {wasi_sock_funcs, &wasi_sock_nfuncs},
};

static b8g_status register_host(b8g_wasi *w, b8g_error *err)
{
    b8g_instance *h = b8g_host_instance_new(w->store);
    if (!h) return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot create the WASI module");
    for (size_t t = 0; t < B8G_ARRAY_LEN(wasi_tables); t++)
        for (uint32_t i = 0; i < *wasi_tables[t].n; i++) {
            const WasiFuncDef *d = &wasi_tables[t].defs[i];
            if (b8g_host_func(h, d->name, d->sig, d->fn, w))
                return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                               "cannot define WASI function %s", d->name);
        }
    w->host = h;
    if (b8g_register(w->store, WASI_MODULE, h))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "cannot register " WASI_MODULE);
    return B8G_OK;
}

static b8g_status check_config(const b8g_wasi_config *cfg, b8g_error *err)
{
    if ((cfg->argc && !cfg->argv) || (cfg->envc && !cfg->env) || (cfg->ndirs && !cfg->dirs))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "WASI config: NULL list with a count");
    for (uint32_t i = 0; i < cfg->argc; i++)
        if (!cfg->argv[i]) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "WASI argv[%u] is NULL", i);
    for (uint32_t i = 0; i < cfg->envc; i++)
        if (!cfg->env[i]) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "WASI env[%u] is NULL", i);
    return B8G_OK;
}

b8g_status b8g_wasi_new(b8g_store *s, const b8g_wasi_config *cfg, b8g_wasi **out,
                        b8g_error *err)
{
    if (out) *out = NULL;
    if (!s || !cfg || !out)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_wasi_new: NULL argument");
    b8g_status st = check_config(cfg, err);
    if (st) return st;
    b8g_wasi *w = xcalloc(1, sizeof *w);
    w->store = s;
    atomic_init(&w->secrets_used, false);
    w->argc = cfg->argc;
    w->envc = cfg->envc;
    bool fits = copy_strings(cfg->argc, cfg->argv, &w->argv, &w->argv_bytes);
    fits &= copy_strings(cfg->envc, cfg->env, &w->env, &w->env_bytes);
    if (!fits) st = err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "WASI arguments or environment over 4 GiB");
    int stdio[3] = {cfg->stdin_fd, cfg->stdout_fd, cfg->stderr_fd};
    for (int i = 0; i < 3; i++) w->stdio[i] = lend_stdio(stdio[i]);
    w->npreopens = cfg->ndirs;
    w->preopens = xcalloc(cfg->ndirs + 1, sizeof *w->preopens);
    w->preopen_ro = xcalloc(cfg->ndirs + 1, sizeof *w->preopen_ro);
    for (uint32_t i = 0; !st && i < cfg->ndirs; i++) st = open_preopen(w, i, &cfg->dirs[i], err);
    if (!st) st = register_host(w, err);
    if (st) {
        b8g_wasi_free(w);
        return st;
    }
    *out = w;
    return B8G_OK;
}

/* What attach grants preopen i.  Not static: a snapshot restore masks by
 * it too (snapshot.c). */
void wasi_preopen_rights(const b8g_wasi *w, uint32_t i, uint64_t *base,
                         uint64_t *inheriting)
{
    uint64_t mask = w->preopen_ro[i] ? WASI_RIGHTS_READ_ONLY : WASI_RIGHTS_ALL;
    *base = WASI_RIGHTS_DIR & mask;
    *inheriting = (WASI_RIGHTS_DIR | WASI_RIGHTS_FILE) & mask;
}

/* Stdio gets what its direction and type allow.  A terminal has no seek or
 * tell, which is how wasi-libc's isatty recognises it, so other character
 * devices (/dev/null) keep them.  Only a socket passes rights on, to the
 * connections it accepts.  Not static: snapshot.c masks by it too. */
void wasi_stdio_rights(int i, const WasiFile *f, uint64_t *base, uint64_t *inheriting)
{
    uint64_t r = WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE |
                 WASI_RIGHT_FD_FDSTAT_SET_FLAGS;
    r |= i == 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
    if (f->filetype == WASI_FILETYPE_REGULAR_FILE)
        r |= WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL | WASI_RIGHT_FD_ADVISE |
             (i == 0 ? 0 : WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_DATASYNC);
    if (f->filetype == WASI_FILETYPE_CHARACTER_DEVICE && !isatty(f->fd))
        r |= WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL;
    *inheriting = 0;
    if (f->base.kind == CAP_KIND_SOCKET) {
        r |= WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_SOCK_SHUTDOWN |
             WASI_RIGHT_SOCK_ACCEPT;
        *inheriting = WASI_RIGHTS_SOCKET & ~WASI_RIGHT_SOCK_ACCEPT;
    }
    *base = r;
}

/*
 * Fds 0-2 are stdio and preopens start at 3 whatever stdio was given: a
 * missing stream first takes its slot with a placeholder, which is closed
 * once the preopens are in, so the guest sees that fd as closed (EBADF)
 * and its next open takes it, as a POSIX process would.
 */
b8g_status b8g_wasi_attach(b8g_wasi *w, b8g_instance *inst, b8g_error *err)
{
    if (!w || !inst || inst->store != w->store)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "b8g_wasi_attach: the instance must belong to the context's store");
    HandleTable *t = &inst->handles;
    if (t->max == 0) cap_table_init(t, 0);
    if (t->live != 0)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "instance already holds descriptors");
    CapObject hole = {.kind = CAP_KIND_STREAM, .destroy = NULL};
    atomic_init(&hole.refs, 1);
    b8g_status st = B8G_OK;
    uint32_t slot;
    for (int i = 0; i < 3 && !st; i++) {
        WasiFile *f = w->stdio[i];
        uint64_t base = 0, inheriting = 0;
        if (f) wasi_stdio_rights(i, f, &base, &inheriting);
        st = cap_insert(t, f ? &f->base : &hole, 0, base, inheriting, &slot, err);
    }
    for (uint32_t i = 0; i < w->npreopens && !st; i++) {
        uint64_t base, inheriting;
        wasi_preopen_rights(w, i, &base, &inheriting);
        st = cap_insert(t, &w->preopens[i]->base, CAP_RIGHTS_WASI_FILE, base, inheriting,
                        &slot, err);
    }
    for (uint32_t i = 0; i < 3 && i < t->n; i++)
        if (t->e[i].obj == &hole) cap_close(t, i);
    if (st) cap_table_release(t);
    return st;
}

void b8g_wasi_free(b8g_wasi *w)
{
    if (!w) return;
    free_strings(w->argv, w->argc);
    free_strings(w->env, w->envc);
    for (int i = 0; i < 3; i++)
        if (w->stdio[i]) cap_unref(&w->stdio[i]->base);
    for (uint32_t i = 0; i < w->npreopens; i++)
        if (w->preopens && w->preopens[i]) cap_unref(&w->preopens[i]->base);
    free(w->preopens);
    free(w->preopen_ro);
    free(w);
}
