/*
 * wasi.h - WASI preview1 on the capability handle table (internal).
 *
 * Every preview1 function is a host function of the module
 * "wasi_snapshot_preview1" whose user pointer is the b8g_wasi context.  It
 * finds the descriptors in the *calling instance's* handle table
 * (b8g_instance.handles) - a WASI fd is a slot there - and reaches the
 * caller's memory 0 only through the checked accessors below, so a guest
 * pointer can never make the host read or write outside linear memory.
 *
 * Each function returns a WASI errno (WASI_E*) in its i32 result; only
 * proc_exit, proc_raise and an interrupt stop the guest (as traps).
 */
#ifndef B8G_WASI_WASI_H
#define B8G_WASI_WASI_H

#include "b8g.h"
#include "cap/handle.h"
#include "util/common.h"

/* ---- preview1 constants (witx) ------------------------------------------ */

enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3,
    WASI_EADDRNOTAVAIL = 4, WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6,
    WASI_EALREADY = 7, WASI_EBADF = 8, WASI_EBADMSG = 9, WASI_EBUSY = 10,
    WASI_ECANCELED = 11, WASI_ECHILD = 12, WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16,
    WASI_EDESTADDRREQ = 17, WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20,
    WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24,
    WASI_EILSEQ = 25, WASI_EINPROGRESS = 26, WASI_EINTR = 27, WASI_EINVAL = 28,
    WASI_EIO = 29, WASI_EISCONN = 30, WASI_EISDIR = 31, WASI_ELOOP = 32,
    WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_EMSGSIZE = 35,
    WASI_EMULTIHOP = 36, WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38,
    WASI_ENETRESET = 39, WASI_ENETUNREACH = 40, WASI_ENFILE = 41,
    WASI_ENOBUFS = 42, WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46, WASI_ENOLINK = 47, WASI_ENOMEM = 48, WASI_ENOMSG = 49,
    WASI_ENOPROTOOPT = 50, WASI_ENOSPC = 51, WASI_ENOSYS = 52,
    WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
    WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61,
    WASI_EOWNERDEAD = 62, WASI_EPERM = 63, WASI_EPIPE = 64,
    WASI_EPROTO = 65, WASI_EPROTONOSUPPORT = 66, WASI_EPROTOTYPE = 67,
    WASI_ERANGE = 68, WASI_EROFS = 69, WASI_ESPIPE = 70, WASI_ESRCH = 71,
    WASI_ESTALE = 72, WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74, WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
};

/* filetype */
enum {
    WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2, WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* rights (bit numbers from the witx) */
#define WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_SEEK (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_RIGHT_FD_SYNC (1ull << 4)
#define WASI_RIGHT_FD_TELL (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ADVISE (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define WASI_RIGHT_PATH_OPEN (1ull << 13)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_PATH_READLINK (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT (1ull << 29)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)

/* fdflags, oflags, lookupflags, fstflags, whence, clocks, events */
#define WASI_FDFLAG_APPEND 0x1
#define WASI_FDFLAG_DSYNC 0x2
#define WASI_FDFLAG_NONBLOCK 0x4
#define WASI_FDFLAG_RSYNC 0x8
#define WASI_FDFLAG_SYNC 0x10
#define WASI_OFLAG_CREAT 0x1
#define WASI_OFLAG_DIRECTORY 0x2
#define WASI_OFLAG_EXCL 0x4
#define WASI_OFLAG_TRUNC 0x8
#define WASI_LOOKUP_SYMLINK_FOLLOW 0x1
#define WASI_FSTFLAG_ATIM 0x1
#define WASI_FSTFLAG_ATIM_NOW 0x2
#define WASI_FSTFLAG_MTIM 0x4
#define WASI_FSTFLAG_MTIM_NOW 0x8
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2
#define WASI_CLOCK_REALTIME 0
#define WASI_CLOCK_MONOTONIC 1
#define WASI_CLOCK_PROCESS_CPUTIME 2
#define WASI_CLOCK_THREAD_CPUTIME 3
#define WASI_EVENTTYPE_CLOCK 0
#define WASI_EVENTTYPE_FD_READ 1
#define WASI_EVENTTYPE_FD_WRITE 2
#define WASI_SUBCLOCK_ABSTIME 0x1
#define WASI_PREOPENTYPE_DIR 0

/* ---- objects ------------------------------------------------------------- */

/*
 * A host descriptor reachable by the guest: files, directories, lent stdio
 * streams and handed-in sockets share this shape.  The host fd is owned by
 * the object (closed by destroy) except for lent stdio, which the embedder
 * keeps (`borrowed`).
 */
typedef struct WasiFile {
    CapObject base;
    int fd;              /* host descriptor */
    bool borrowed;       /* not ours to close */
    /* The two fields I/O changes are atomic: a file or directory passed
     * on (docs/abi.md) may be used by components on several threads. */
    atomic_bool no_nowait; /* RWF_NOWAIT refused (EOPNOTSUPP) on this fd */
    uint8_t filetype;    /* WASI_FILETYPE_* */
    _Atomic uint16_t fdflags; /* WASI_FDFLAG_* as the guest set them */
    char *preopen_name;  /* guest path of a preopened directory, else NULL */
    struct WasiDirIter *dir; /* readdir state, lazily created */
    /* Where path_open found it, so a snapshot can reopen it (snapshot.c):
     * the preopen it lies beneath (a reference, or NULL for descriptors
     * not opened by path) and the path from there, as the guest's path
     * strings joined with '/' (NULL when too long to record). */
    struct WasiFile *root;
    char *path;
    /* The most WASI rights any entry naming this object may hold: what it
     * was opened with (a preopen: what its context grants; path_open: what
     * that granted; b8g_file_object: what the host allowed).  A file or
     * directory can be passed between components (docs/abi.md); every
     * entry the ABI or the host makes for it is masked to this, so no
     * path through dups, messages and grants widens its rights. */
    uint64_t max_base, max_inheriting;
} WasiFile;

/* A new object for host descriptor fd, holding one reference: the
 * caller's.  After cap_insert (which takes its own) the caller drops it
 * with cap_unref(&f->base); if the insert failed that closes fd (unless
 * borrowed).  fdflags starts at 0: whoever opened fd with flags sets it.
 * The rights bound starts as everything its kind can use: whoever opened
 * fd with fewer narrows it. */
WasiFile *wasi_file_new(int fd, bool borrowed, uint8_t filetype, CapKind kind);

/* Masks *base and *inheriting to what an entry for o may hold: its bound
 * for a WASI file or directory, nothing for any other object. */
void wasi_rights_bound(const CapObject *o, uint64_t *base, uint64_t *inheriting);

/* WASI_FILETYPE_* of a host st_mode. */
uint8_t wasi_filetype_of(uint32_t st_mode);

/*
 * Rights that make sense per kind of descriptor.  A descriptor never holds
 * more than its kind's set: path_open grants requested & parent's
 * inheriting & the set of what it opened.  A read-only preopen, and
 * everything opened beneath it, holds at most WASI_RIGHTS_READ_ONLY.
 */
#define WASI_RIGHTS_FILE                                                      \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |          \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |  \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |       \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |             \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIR                                                       \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |                  \
     WASI_RIGHT_FD_SYNC | WASI_RIGHT_PATH_CREATE_DIRECTORY |                    \
     WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE |                \
     WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |                       \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK |                         \
     WASI_RIGHT_PATH_RENAME_SOURCE | WASI_RIGHT_PATH_RENAME_TARGET |            \
     WASI_RIGHT_PATH_FILESTAT_GET | WASI_RIGHT_PATH_FILESTAT_SET_SIZE |         \
     WASI_RIGHT_PATH_FILESTAT_SET_TIMES | WASI_RIGHT_FD_FILESTAT_GET |          \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |               \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE |           \
     WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_SOCKET                                                    \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE |                \
     WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT)
/* Rights that need the host descriptor open for reading / writing. */
#define WASI_RIGHTS_HOST_READ (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR)
#define WASI_RIGHTS_HOST_WRITE                                                \
    (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE)
/* The read side: nothing that writes, creates, removes, renames, links or
 * changes flags, sizes or times. */
#define WASI_RIGHTS_READ_ONLY                                                 \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL |             \
     WASI_RIGHT_FD_ADVISE | WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR |      \
     WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_FILESTAT_GET |                  \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE)

/* The context (b8g_wasi in the public API). */
struct b8g_wasi {
    b8g_store *store;
    char **argv;
    uint32_t argc;
    size_t argv_bytes;   /* sum of strlen + 1 */
    char **env;
    uint32_t envc;
    size_t env_bytes;
    WasiFile *stdio[3];  /* NULL where the config gave -1 */
    WasiFile **preopens;
    uint32_t npreopens;
    bool *preopen_ro;
    b8g_instance *host;  /* the registered "wasi_snapshot_preview1" */
    /* The guest read entropy or a clock (random_get, clock_time_get): a
     * snapshot of it is not rehashable.  Atomic: tasks share nothing, but
     * a host may snapshot from another thread than the one running. */
    atomic_bool secrets_used;
};

/* ---- snapshots (snapshot.c) ---------------------------------------------- */

/* How a captured descriptor comes back (b8g_manifest_kind's numbers). */
enum { WASI_SNAP_STDIO = 0, WASI_SNAP_PREOPEN = 1, WASI_SNAP_FILE = 2,
       WASI_SNAP_DIR = 3 };

/* Longest path recorded for a descriptor opened by path; a longer one
 * makes its descriptor uncapturable. */
#define WASI_SNAP_MAX_PATH 4096u

/* One live slot of a handle table, position-independent. */
typedef struct WasiSnapFd {
    uint32_t slot;       /* the fd number */
    uint8_t how;         /* WASI_SNAP_* */
    uint8_t filetype;    /* WASI_FILETYPE_* */
    uint16_t fdflags;    /* WASI_FDFLAG_* */
    uint64_t base, inheriting; /* WASI rights */
    uint64_t offset;     /* FILE: the file position (0 if not seekable) */
    char *name;          /* STDIO: "stdin"/"stdout"/"stderr"; else the
                            preopen's guest path (owned) */
    char *path;          /* FILE/DIR: beneath the preopen; else "" (owned) */
} WasiSnapFd;

/*
 * Describes every live slot of t, in slot order, into a new array (*out,
 * *n; free with wasi_snap_free).  w is the context t was attached from
 * (NULL: then only an empty table can be captured).  B8G_UNSUPPORTED,
 * naming the fd, for anything a restore could not rebuild: sockets,
 * objects of the component ABI, a descriptor opened by path whose path was
 * not recorded, a file or directory not beneath w's own preopens (received
 * from another component, or made by the host), one whose handle rights
 * were narrowed.
 */
b8g_status wasi_snap_capture(HandleTable *t, const b8g_wasi *w,
                             WasiSnapFd **out, uint32_t *n, b8g_error *err);
void wasi_snap_free(WasiSnapFd *fds, uint32_t n);
/*
 * Fills the empty table t from fds: stdio from w's streams by name,
 * preopens from w's preopens by guest path, files and directories reopened
 * beneath those (never created or truncated; write access only if the
 * rights ask for it and the preopen allows it) and set to their recorded
 * fdflags and position.  Rights become the recorded rights masked by what
 * w grants now.  Every entry lands in its recorded slot.  B8G_IMAGE
 * naming the descriptor when something is missing or cannot be reopened;
 * the table is then left empty.
 */
b8g_status wasi_snap_restore(HandleTable *t, b8g_wasi *w,
                             const WasiSnapFd *fds, uint32_t n, b8g_error *err);

/* Shared by b8g_wasi_attach and a snapshot restore (wasi.c): the rights
 * stdio stream i and preopen i of w are granted with. */
void wasi_stdio_rights(int i, const WasiFile *f, uint64_t *base, uint64_t *inheriting);
void wasi_preopen_rights(const b8g_wasi *w, uint32_t i, uint64_t *base,
                         uint64_t *inheriting);
/* path_open's host side, shared with a snapshot restore (path.c): opens
 * path beneath directory dir as the guest's flags ask, masks *base and
 * *inheriting to what the opened kind can use, and makes its WasiFile
 * (recording where it came from).  0 or a WASI errno. */
int wasi_open_beneath(WasiFile *dir, const char *path, uint32_t lookup, uint32_t oflags,
                      uint32_t fdflags, uint64_t *base, uint64_t *inheriting, WasiFile **out);

/* ---- the calling instance's memory, checked ------------------------------ */

typedef struct WasiMem {
    uint8_t *base;
    uint64_t size;
} WasiMem;

/* Memory 0 of the caller (size 0 if it has none). */
WasiMem wasi_mem(b8g_hostcall *call);

/* True if [ptr, ptr+len) is inside memory; every guest pointer goes
 * through this (or the accessors built on it) before use. */
static inline bool wasi_in(const WasiMem *m, uint64_t ptr, uint64_t len)
{
    return ptr <= m->size && len <= m->size - ptr;
}

/* Little-endian stores and loads at checked guest addresses: return false
 * (the caller answers WASI_EFAULT) when out of bounds. */
bool wasi_put_u8(WasiMem *m, uint32_t ptr, uint8_t v);
bool wasi_put_u16(WasiMem *m, uint32_t ptr, uint16_t v);
bool wasi_put_u32(WasiMem *m, uint32_t ptr, uint32_t v);
bool wasi_put_u64(WasiMem *m, uint32_t ptr, uint64_t v);
bool wasi_get_u32(const WasiMem *m, uint32_t ptr, uint32_t *v);
bool wasi_get_u64(const WasiMem *m, uint32_t ptr, uint64_t *v);

/* Guest iovecs ({buf u32, len u32}, 8 bytes each) at ptr as host iovecs,
 * each buffer checked to lie in memory: WASI_EINVAL for more than
 * WASI_IOV_MAX of them (Linux's IOV_MAX, beyond which readv says EINVAL
 * too; iov has room for that many), WASI_EFAULT when out of bounds. */
#define WASI_IOV_MAX 1024
struct iovec;
int wasi_get_iovs(const WasiMem *m, uint32_t ptr, uint32_t n, struct iovec *iov);

/* Writes a 64-byte filestat at ptr; false when out of bounds. */
struct stat;
bool wasi_put_filestat(WasiMem *m, uint32_t ptr, const struct stat *st);

/* Fills ts[0..1] for futimens/utimensat from fd_filestat_set_times-style
 * arguments: 0, or WASI_EINVAL for a bad fstflags combination. */
struct timespec;
int wasi_timespecs(uint64_t atim, uint64_t mtim, uint32_t fstflags,
                   struct timespec *ts);

/* The caller's handle table (created on first use); NULL when the caller
 * is not an instance (a direct call from the embedder). */
HandleTable *wasi_handles(b8g_hostcall *call);

/* Looks up fd in the caller's table and checks it has all `rights`:
 * WASI_EBADF if there is no such descriptor, WASI_ENOTCAPABLE if it lacks
 * a right.  On success *f and (optionally) *e are set. */
int wasi_fd(b8g_hostcall *call, uint32_t fd, uint64_t rights, WasiFile **f,
            HandleEntry **e);

/* Host errno -> WASI errno. */
int wasi_errno(int host_errno);

/* The time of WASI clock `id` in ns (args.c); false for an unknown id. */
bool wasi_clock_now(uint32_t id, uint64_t *ns);

/*
 * Blocking without outliving the store's interrupt (poll.c).  wasi_wait_fd
 * waits until host fd is ready for `events` (POLLIN/POLLOUT), polling in
 * slices of at most WASI_WAIT_SLICE_MS and checking
 * b8g_store_interrupt_pending between them: 0 when ready, a WASI errno
 * when poll fails, or -1 with a B8G_TRAP_INTERRUPTED trap in err when the
 * store was interrupted (the host function then returns B8G_TRAP).
 * wasi_interrupted is that check alone (true: err filled).
 */
#define WASI_WAIT_SLICE_MS 10
int wasi_wait_fd(b8g_hostcall *call, int fd, short events, b8g_error *err);
bool wasi_interrupted(b8g_hostcall *call, b8g_error *err);

/* Registration tables: each file of wasi/ exports its functions as a
 * WasiFuncDef list that wasi.c registers. */
typedef struct WasiFuncDef {
    const char *name;
    const char *sig; /* b8g_host_func signature */
    b8g_host_fn fn;
} WasiFuncDef;

/* One table per file of wasi/; wasi.c registers them all. */
extern const WasiFuncDef wasi_args_funcs[];  /* args.c: args, environ, clocks, random, proc, sched */
extern const uint32_t wasi_args_nfuncs;
extern const WasiFuncDef wasi_fd_funcs[];    /* fd.c: fd_* */
extern const uint32_t wasi_fd_nfuncs;
extern const WasiFuncDef wasi_path_funcs[];  /* path.c: path_* */
extern const uint32_t wasi_path_nfuncs;
extern const WasiFuncDef wasi_poll_funcs[];  /* poll.c: poll_oneoff */
extern const uint32_t wasi_poll_nfuncs;
extern const WasiFuncDef wasi_sock_funcs[];  /* sock.c: sock_* */
extern const uint32_t wasi_sock_nfuncs;

#endif
