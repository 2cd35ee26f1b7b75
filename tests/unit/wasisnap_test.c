/*
 * wasisnap_test.c - WASI descriptors in snapshots: cap_insert_at, the
 * origin path_open records on a descriptor, capture of a handle table and
 * its restore into a *different* context whose preopens map the same guest
 * paths to other host directories, the refusal of files and directories
 * from elsewhere, and the secrets_used flag.
 *
 * A Ctx is one store with a WASI context and an instance of a module with
 * one page of memory; WASI functions are called through their WasiFuncDef
 * tables with a b8g_hostcall naming that instance, as the engine would.
 * Scratch directories are mkdtemp'd per test: A (the capturing side's
 * "/data"), B (the restoring side's, holding the same relative paths with
 * other contents) and C (empty).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "b8g.h"
#include "rt/instance.h"
#include "wasi/wasi.h"

/* (module (memory (export "memory") 1) (func (export "nop"))) */
static const uint8_t mod_mem[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x10, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03,
    0x6e, 0x6f, 0x70, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

typedef struct Ctx {
    b8g_store *store;
    b8g_module *mod;
    b8g_instance *inst;
    b8g_wasi *wasi;
    uint8_t *mem;
    b8g_hostcall call;
    b8g_error err;
} Ctx;

typedef struct Fixture {
    char a[64], b[64], c[64];
    int out[2];          /* stdout pipe; stdin is /dev/null */
    int devnull;
    Ctx cap;             /* the capturing side, attached */
} Fixture;

/* ---- helpers ------------------------------------------------------------- */

static const WasiFuncDef *find_func(const char *name)
{
    const WasiFuncDef *tables[] = {wasi_args_funcs, wasi_fd_funcs, wasi_path_funcs,
                                   wasi_poll_funcs, wasi_sock_funcs};
    const uint32_t *counts[] = {&wasi_args_nfuncs, &wasi_fd_nfuncs, &wasi_path_nfuncs,
                                &wasi_poll_nfuncs, &wasi_sock_nfuncs};
    for (int t = 0; t < 5; t++)
        for (uint32_t i = 0; i < *counts[t]; i++)
            if (strcmp(tables[t][i].name, name) == 0) return &tables[t][i];
    fail_msg("no WASI function %s", name);
    return NULL;
}

static uint32_t call_errno(Ctx *c, const char *name, uint64_t *slots)
{
    assert_int_equal(find_func(name)->fn(&c->call, slots, &c->err), B8G_OK);
    return (uint32_t)slots[0];
}

#define WASI(c, name, ...) call_errno(c, name, (uint64_t[16]){__VA_ARGS__})

static uint32_t get32(Ctx *c, uint32_t p)
{
    uint32_t v;
    memcpy(&v, c->mem + p, 4);
    return v;
}

static void put32(Ctx *c, uint32_t p, uint32_t v) { memcpy(c->mem + p, &v, 4); }

/* A new context: stdin, stdout (fds or -1), stderr absent, the given
 * preopens; attached to its instance when `attach`, else left with an
 * empty table for a restore. */
static void ctx_new(Ctx *c, int in, int out, const b8g_wasi_dir *dirs, uint32_t ndirs,
                    bool attach)
{
    memset(c, 0, sizeof *c);
    c->store = b8g_store_new(NULL);
    b8g_wasi_config cfg = {0, NULL, 0, NULL, in, out, -1, ndirs, dirs};
    assert_int_equal(b8g_wasi_new(c->store, &cfg, &c->wasi, &c->err), B8G_OK);
    assert_int_equal(b8g_module_load(mod_mem, sizeof mod_mem, &c->mod, &c->err), B8G_OK);
    assert_int_equal(b8g_instantiate(c->store, c->mod, &c->inst, &c->err), B8G_OK);
    if (attach) assert_int_equal(b8g_wasi_attach(c->wasi, c->inst, &c->err), B8G_OK);
    uint64_t size;
    c->mem = b8g_instance_memory(c->inst, &size);
    c->call = (b8g_hostcall){c->store, c->inst, c->wasi};
}

/* Frees the context before the store when `wasi_first`: a file's root
 * reference must keep its preopen alive either way. */
static void ctx_free(Ctx *c, bool wasi_first)
{
    if (wasi_first) b8g_wasi_free(c->wasi);
    b8g_store_free(c->store);
    if (!wasi_first) b8g_wasi_free(c->wasi);
    b8g_module_free(c->mod);
}

/* A restoring context like the capturing one, but on host directory dir:
 * "/data" (read-only if ro) and "/ro" (read-only). */
static void ctx_restoring(Ctx *c, const Fixture *fx, const char *dir, bool ro)
{
    b8g_wasi_dir dirs[] = {{dir, "/data", ro}, {dir, "/ro", true}};
    ctx_new(c, fx->devnull, fx->out[1], dirs, 2, false);
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void make_dir(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
}

/* path_open(dir, follow, path, oflags, rights, fdflags 0), asking for what
 * a directory or a read-write file uses: the new descriptor's number. */
static uint32_t path_open(Ctx *c, uint32_t dir, const char *path, uint32_t oflags)
{
    size_t n = strlen(path);
    assert_true(n < 60000);
    memcpy(c->mem + 4096, path, n);
    uint64_t rights = oflags & WASI_OFLAG_DIRECTORY ? WASI_RIGHTS_DIR : WASI_RIGHTS_FILE;
    assert_int_equal(WASI(c, "path_open", dir, WASI_LOOKUP_SYMLINK_FOLLOW, 4096, n, oflags,
                          rights, WASI_RIGHTS_ALL, 0, 0),
                     0);
    return get32(c, 0);
}

/* Writes text to fd (one iovec at 64). */
static void fd_write_str(Ctx *c, uint32_t fd, const char *text)
{
    uint32_t n = (uint32_t)strlen(text);
    memcpy(c->mem + 1024, text, n);
    put32(c, 64, 1024);
    put32(c, 68, n);
    assert_int_equal(WASI(c, "fd_write", fd, 64, 1, 72), 0);
    assert_int_equal(get32(c, 72), n);
}

/* Reads up to 63 bytes from fd as a string (into buf). */
static const char *fd_read_str(Ctx *c, uint32_t fd, char *buf)
{
    put32(c, 64, 2048);
    put32(c, 68, 63);
    assert_int_equal(WASI(c, "fd_read", fd, 64, 1, 72), 0);
    uint32_t n = get32(c, 72);
    memcpy(buf, c->mem + 2048, n);
    buf[n] = 0;
    return buf;
}

static uint64_t fd_tell(Ctx *c, uint32_t fd)
{
    assert_int_equal(WASI(c, "fd_tell", fd, 128), 0);
    uint64_t v;
    memcpy(&v, c->mem + 128, 8);
    return v;
}

static const WasiSnapFd *find_slot(const WasiSnapFd *fds, uint32_t n, uint32_t slot)
{
    for (uint32_t i = 0; i < n; i++)
        if (fds[i].slot == slot) return &fds[i];
    fail_msg("fd %u not captured", slot);
    return NULL;
}

/* ---- fixture ------------------------------------------------------------- */

static int setup(void **state)
{
    Fixture *fx = calloc(1, sizeof *fx);
    char *dirs[] = {fx->a, fx->b, fx->c};
    for (int i = 0; i < 3; i++) {
        strcpy(dirs[i], "/tmp/b8g-wasisnap-XXXXXX");
        assert_non_null(mkdtemp(dirs[i]));
    }
    assert_int_equal(pipe2(fx->out, O_CLOEXEC), 0);
    fx->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(fx->devnull >= 0);
    b8g_wasi_dir pre[] = {{fx->a, "/data", false}, {fx->a, "/ro", true}};
    ctx_new(&fx->cap, fx->devnull, fx->out[1], pre, 2, true);
    *state = fx;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    ctx_free(&fx->cap, false);
    close(fx->out[0]);
    close(fx->out[1]);
    close(fx->devnull);
    nftw(fx->a, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    nftw(fx->b, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    nftw(fx->c, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* ---- cap_insert_at ---------------------------------------------------------- */

static int destroyed;
static void count_destroy(CapObject *o)
{
    (void)o;
    destroyed++;
}

static void test_insert_at(void **state)
{
    (void)state;
    CapObject o = {.kind = CAP_KIND_EVENT, .destroy = count_destroy};
    atomic_init(&o.refs, 1);
    destroyed = 0;
    HandleTable t;
    cap_table_init(&t, 8);
    b8g_error err;
    assert_int_equal(cap_insert_at(&t, 5, &o, 0, 7, 9, &err), B8G_OK);
    assert_int_equal(t.n, 6);
    assert_int_equal(t.live, 1);
    assert_ptr_equal(cap_slot(&t, 5)->obj, &o);
    assert_int_equal(cap_slot(&t, 5)->wasi_base, 7);
    assert_int_equal(cap_slot(&t, 5)->wasi_inheriting, 9);
    for (uint32_t i = 0; i < 5; i++) assert_null(cap_slot(&t, i));
    assert_int_equal(cap_insert_at(&t, 5, &o, 0, 0, 0, &err), B8G_ARG);
    assert_int_equal(cap_insert_at(&t, 8, &o, 0, 0, 0, &err), B8G_LIMIT);
    assert_int_equal(cap_insert_at(&t, UINT32_MAX, &o, 0, 0, 0, &err), B8G_LIMIT);
    assert_int_equal(t.live, 1);
    /* The slots below it are free, lowest first. */
    uint32_t slot;
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(cap_insert(&t, &o, 0, 0, 0, &slot, NULL), B8G_OK);
        assert_int_equal(slot, i);
    }
    assert_int_equal(cap_insert(&t, &o, 0, 0, 0, &slot, NULL), B8G_OK);
    assert_int_equal(slot, 6);
    /* A closed slot keeps its generation: an old handle value stays stale. */
    uint32_t old = cap_handle_value(&t, 2);
    assert_true(cap_close(&t, 2));
    assert_int_equal(cap_insert_at(&t, 2, &o, 0, 0, 0, &err), B8G_OK);
    assert_null(cap_lookup(&t, old, NULL));
    assert_int_equal(cap_insert_at(&t, 7, &o, 0, 0, 0, &err), B8G_OK);
    assert_int_equal(t.live, 8);
    assert_int_equal(cap_insert(&t, &o, 0, 0, 0, &slot, &err), B8G_LIMIT);
    /* Growing past the first allocation at once. */
    HandleTable big;
    cap_table_init(&big, 1000);
    assert_int_equal(cap_insert_at(&big, 999, &o, 0, 0, 0, &err), B8G_OK);
    assert_int_equal(cap_insert(&big, &o, 0, 0, 0, &slot, NULL), B8G_OK);
    assert_int_equal(slot, 0);
    cap_table_release(&big);
    cap_table_release(&t);
    assert_int_equal(atomic_load(&o.refs), 1);
    assert_int_equal(destroyed, 0);
}

/* ---- capture -------------------------------------------------------------------- */

static void test_capture_fresh(void **state)
{
    Fixture *fx = *state;
    WasiSnapFd *fds;
    uint32_t n;
    HandleTable *t = &fx->cap.inst->handles;
    assert_int_equal(wasi_snap_capture(t, fx->cap.wasi, &fds, &n, &fx->cap.err), B8G_OK);
    assert_int_equal(n, 4); /* stderr was not given: fd 2 is free */
    const uint32_t slots[] = {0, 1, 3, 4};
    const uint8_t hows[] = {WASI_SNAP_STDIO, WASI_SNAP_STDIO, WASI_SNAP_PREOPEN,
                            WASI_SNAP_PREOPEN};
    const char *names[] = {"stdin", "stdout", "/data", "/ro"};
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(fds[i].slot, slots[i]);
        assert_int_equal(fds[i].how, hows[i]);
        assert_string_equal(fds[i].name, names[i]);
        assert_string_equal(fds[i].path, "");
        assert_int_equal(fds[i].offset, 0);
        assert_int_equal(fds[i].base, cap_slot(t, slots[i])->wasi_base);
        assert_int_equal(fds[i].inheriting, cap_slot(t, slots[i])->wasi_inheriting);
    }
    assert_int_equal(fds[2].filetype, WASI_FILETYPE_DIRECTORY);
    assert_int_equal(fds[3].base & ~WASI_RIGHTS_READ_ONLY, 0);
    wasi_snap_free(fds, n);
    /* No descriptors at all: nothing, and no context needed. */
    HandleTable empty;
    cap_table_init(&empty, 0);
    assert_int_equal(wasi_snap_capture(&empty, NULL, &fds, &n, &fx->cap.err), B8G_OK);
    assert_int_equal(n, 0);
    assert_null(fds);
    wasi_snap_free(fds, n);
}

/* path_open records the preopen and the path joined from the guest's
 * strings, through directories opened on the way. */
static void test_origin_recorded(void **state)
{
    Fixture *fx = *state;
    Ctx *c = &fx->cap;
    make_dir(fx->a, "sub");
    put_file(fx->a, "sub/f.txt", "x");
    uint32_t sub = path_open(c, 3, "sub", WASI_OFLAG_DIRECTORY);
    uint32_t f = path_open(c, sub, "./f.txt", 0);
    WasiFile *pre, *d, *file;
    assert_int_equal(wasi_fd(&c->call, 3, 0, &pre, NULL), 0);
    assert_int_equal(wasi_fd(&c->call, sub, 0, &d, NULL), 0);
    assert_int_equal(wasi_fd(&c->call, f, 0, &file, NULL), 0);
    assert_null(pre->root);
    assert_null(pre->path);
    assert_ptr_equal(d->root, pre);
    assert_string_equal(d->path, "sub");
    assert_ptr_equal(file->root, pre);
    assert_string_equal(file->path, "sub/./f.txt");
    /* Paths past WASI_SNAP_MAX_PATH are not recorded, and such a
     * descriptor cannot be captured. */
    char longp[3001];
    for (int i = 0; i < 3000; i += 2) memcpy(longp + i, "./", 2);
    longp[3000] = 0;
    uint32_t deep = path_open(c, sub, longp, WASI_OFLAG_DIRECTORY);
    assert_int_equal(wasi_fd(&c->call, deep, 0, &d, NULL), 0);
    assert_int_equal(strlen(d->path), 4 + 3000);
    uint32_t lost = path_open(c, deep, longp, WASI_OFLAG_DIRECTORY);
    assert_int_equal(wasi_fd(&c->call, lost, 0, &d, NULL), 0);
    assert_ptr_equal(d->root, pre);
    assert_null(d->path);
    WasiSnapFd *fds;
    uint32_t n;
    assert_int_equal(wasi_snap_capture(&c->inst->handles, c->wasi, &fds, &n, &c->err),
                     B8G_UNSUPPORTED);
    char want[32];
    snprintf(want, sizeof want, "fd %u:", lost);
    assert_non_null(strstr(c->err.msg, want));
    assert_null(fds);
}

static void test_capture_unsupported(void **state)
{
    Fixture *fx = *state;
    Ctx *c = &fx->cap;
    HandleTable *t = &c->inst->handles;
    WasiSnapFd *fds;
    uint32_t n, slot;
    /* Without the context nothing can be named. */
    assert_int_equal(wasi_snap_capture(t, NULL, &fds, &n, &c->err), B8G_UNSUPPORTED);
    assert_non_null(strstr(c->err.msg, "fd 0:"));
    /* A socket. */
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    WasiFile *s = wasi_file_new(sv[0], false, WASI_FILETYPE_SOCKET_STREAM, CAP_KIND_SOCKET);
    assert_int_equal(cap_insert(t, &s->base, 0, WASI_RIGHTS_SOCKET, 0, &slot, NULL), B8G_OK);
    cap_unref(&s->base);
    assert_int_equal(slot, 2);
    assert_int_equal(wasi_snap_capture(t, c->wasi, &fds, &n, &c->err), B8G_UNSUPPORTED);
    assert_string_equal(c->err.msg, "fd 2: a socket cannot be captured");
    assert_null(fds);
    assert_int_equal(n, 0);
    assert_true(cap_close(t, 2));
    close(sv[1]);
    /* An object of the component ABI. */
    b8g_object *ev;
    uint32_t h;
    assert_int_equal(b8g_event_new(&ev, &c->err), B8G_OK);
    assert_int_equal(b8g_grant(c->inst, ev, B8G_RIGHTS_ALL, &h, &c->err), B8G_OK);
    b8g_object_release(ev);
    assert_int_equal(wasi_snap_capture(t, c->wasi, &fds, &n, &c->err), B8G_UNSUPPORTED);
    assert_non_null(strstr(c->err.msg, "fd 2: an object of the component ABI"));
    assert_int_equal(b8g_revoke(c->inst, h, &c->err), B8G_OK);
    /* A descriptor the host made without a path. */
    char path[128];
    snprintf(path, sizeof path, "%s/host.txt", fx->a);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    WasiFile *f = wasi_file_new(fd, false, WASI_FILETYPE_REGULAR_FILE, CAP_KIND_FILE);
    assert_int_equal(cap_insert(t, &f->base, 0, WASI_RIGHTS_FILE, 0, &slot, NULL), B8G_OK);
    cap_unref(&f->base);
    assert_int_equal(wasi_snap_capture(t, c->wasi, &fds, &n, &c->err), B8G_UNSUPPORTED);
    assert_non_null(strstr(c->err.msg, "fd 2:"));
}

static void expect_refused(Ctx *c, const char *why)
{
    WasiSnapFd *fds;
    uint32_t n;
    assert_int_equal(wasi_snap_capture(&c->inst->handles, c->wasi, &fds, &n, &c->err),
                     B8G_UNSUPPORTED);
    if (!strstr(c->err.msg, why)) fail_msg("\"%s\" does not say \"%s\"", c->err.msg, why);
    assert_null(fds);
}

/*
 * Files and directories that came from elsewhere: another context's
 * preopen of the same guest path (as a message from another component
 * brings it), a file opened beneath that one, a host file object.  A
 * restore would reopen other files by those names, so capture refuses
 * them; and a descriptor whose handle rights were narrowed, which the
 * image does not carry.
 */
static void test_capture_foreign(void **state)
{
    Fixture *fx = *state;
    Ctx *c = &fx->cap;
    HandleTable *t = &c->inst->handles;
    const char *foreign = "a file or directory that is not beneath this context's preopens";
    put_file(fx->c, "f.txt", "elsewhere");
    b8g_wasi_dir dirs[] = {{fx->c, "/data", false}};
    Ctx o;
    ctx_new(&o, -1, -1, dirs, 1, true);
    uint64_t base, inheriting;
    wasi_preopen_rights(o.wasi, 0, &base, &inheriting);
    uint32_t slot;
    assert_int_equal(cap_insert(t, &o.wasi->preopens[0]->base, CAP_RIGHTS_WASI_FILE, base,
                                inheriting, &slot, NULL),
                     B8G_OK);
    assert_int_equal(slot, 2);
    expect_refused(c, "fd 2: a file or directory that is not beneath");
    /* A file opened beneath it is no better, even once it is closed. */
    uint32_t f = path_open(c, 2, "f.txt", 0);
    assert_int_equal(f, 5);
    assert_true(cap_close(t, 2));
    expect_refused(c, "fd 5: a file or directory that is not beneath");
    assert_true(cap_close(t, 5));
    /* A directory of the host's, even the capturing preopen's own. */
    int dfd = open(fx->a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    b8g_object *obj;
    assert_int_equal(b8g_file_object(dfd, false, &obj, &c->err), B8G_OK);
    close(dfd);
    uint32_t h;
    assert_int_equal(b8g_grant(c->inst, obj, B8G_RIGHTS_ALL, &h, &c->err), B8G_OK);
    b8g_object_release(obj);
    expect_refused(c, foreign);
    assert_int_equal(b8g_revoke(c->inst, h, &c->err), B8G_OK);
    /* Its own preopen, with fewer handle rights than a restore gives. */
    HandleEntry own = *cap_slot(t, 3);
    assert_int_equal(own.rights, CAP_RIGHTS_WASI_FILE);
    assert_int_equal(cap_insert(t, own.obj, CAP_RIGHT_INSPECT, own.wasi_base,
                                own.wasi_inheriting, &slot, NULL),
                     B8G_OK);
    expect_refused(c, "fd 2: a descriptor whose handle rights were narrowed cannot be captured");
    assert_true(cap_close(t, 2));
    /* The rest is captured, and comes back as transferable as it was. */
    WasiSnapFd *fds;
    uint32_t n;
    assert_int_equal(wasi_snap_capture(t, c->wasi, &fds, &n, &c->err), B8G_OK);
    Ctx r;
    ctx_restoring(&r, fx, fx->b, false);
    assert_int_equal(wasi_snap_restore(&r.inst->handles, r.wasi, fds, n, &r.err), B8G_OK);
    assert_int_equal(cap_slot(&r.inst->handles, 3)->rights, CAP_RIGHTS_WASI_FILE);
    assert_int_equal(cap_slot(&r.inst->handles, 0)->rights, 0); /* stdio never travels */
    wasi_snap_free(fds, n);
    ctx_free(&r, false);
    ctx_free(&o, false);
}

/* ---- restore ---------------------------------------------------------------------- */

/*
 * The capturing side opens directory "sub" (taking free fd 2), the file
 * "f.txt" beneath it (fd 5), writes to the file, seeks back to 4 and
 * closes the directory.  Captured: 0, 1, 3, 4, 5.
 */
static void capture_open_file(Fixture *fx, WasiSnapFd **fds, uint32_t *n)
{
    Ctx *c = &fx->cap;
    make_dir(fx->a, "sub");
    uint32_t sub = path_open(c, 3, "sub", WASI_OFLAG_DIRECTORY);
    assert_int_equal(sub, 2);
    uint32_t f = path_open(c, sub, "f.txt", WASI_OFLAG_CREAT);
    assert_int_equal(f, 5);
    fd_write_str(c, f, "0123456789");
    assert_int_equal(WASI(c, "fd_seek", f, 4, WASI_WHENCE_SET, 128), 0);
    assert_int_equal(WASI(c, "fd_close", sub), 0);
    assert_int_equal(wasi_snap_capture(&c->inst->handles, c->wasi, fds, n, &c->err), B8G_OK);
    assert_int_equal(*n, 5);
    const WasiSnapFd *e = find_slot(*fds, *n, 5);
    assert_int_equal(e->how, WASI_SNAP_FILE);
    assert_string_equal(e->name, "/data");
    assert_string_equal(e->path, "sub/f.txt");
    assert_int_equal(e->offset, 4);
    assert_int_equal(e->filetype, WASI_FILETYPE_REGULAR_FILE);
    assert_true(e->base & WASI_RIGHT_FD_WRITE);
}

static void test_restore_elsewhere(void **state)
{
    Fixture *fx = *state;
    WasiSnapFd *fds;
    uint32_t n;
    capture_open_file(fx, &fds, &n);
    /* B holds the same relative path with other bytes. */
    make_dir(fx->b, "sub");
    put_file(fx->b, "sub/f.txt", "abcdefghij");
    Ctx r;
    ctx_restoring(&r, fx, fx->b, false);
    HandleTable *t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_OK);
    assert_int_equal(t->live, 5);
    assert_null(cap_slot(t, 2));
    assert_ptr_equal(cap_slot(t, 0)->obj, &r.wasi->stdio[0]->base);
    assert_ptr_equal(cap_slot(t, 1)->obj, &r.wasi->stdio[1]->base);
    assert_ptr_equal(cap_slot(t, 3)->obj, &r.wasi->preopens[0]->base);
    assert_int_equal(cap_slot(t, 5)->wasi_base, find_slot(fds, n, 5)->base);
    /* Granted as when captured: the recorded rights. */
    assert_int_equal(cap_slot(t, 4)->wasi_base, find_slot(fds, n, 4)->base);
    assert_int_equal(fd_tell(&r, 5), 4);
    char buf[64];
    assert_string_equal(fd_read_str(&r, 5, buf), "efghij");
    /* The restored file can be captured again, at its new position. */
    WasiFile *f;
    assert_int_equal(wasi_fd(&r.call, 5, 0, &f, NULL), 0);
    assert_ptr_equal(f->root, r.wasi->preopens[0]);
    assert_string_equal(f->path, "sub/f.txt");
    WasiSnapFd *again;
    uint32_t m;
    assert_int_equal(wasi_snap_capture(t, r.wasi, &again, &m, &r.err), B8G_OK);
    assert_int_equal(find_slot(again, m, 5)->offset, 10);
    wasi_snap_free(again, m);
    /* New opens take the lowest free number. */
    assert_int_equal(path_open(&r, 3, "sub", WASI_OFLAG_DIRECTORY), 2);
    ctx_free(&r, true);
    wasi_snap_free(fds, n);
}

static void test_restore_missing(void **state)
{
    Fixture *fx = *state;
    WasiSnapFd *fds;
    uint32_t n;
    capture_open_file(fx, &fds, &n);
    /* The preopen "/data" is not granted. */
    Ctx r;
    b8g_wasi_dir other[] = {{fx->b, "/other", false}};
    ctx_new(&r, fx->devnull, fx->out[1], other, 1, false);
    HandleTable *t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_IMAGE);
    assert_string_equal(r.err.msg, "fd 3: no preopened directory \"/data\" to restore");
    assert_int_equal(t->live, 0);
    ctx_free(&r, false);
    /* The file is gone (C is empty): named with its path and the reason. */
    ctx_restoring(&r, fx, fx->c, false);
    t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_IMAGE);
    assert_non_null(strstr(r.err.msg, "fd 5:"));
    assert_non_null(strstr(r.err.msg, "\"sub/f.txt\""));
    assert_non_null(strstr(r.err.msg, strerror(ENOENT)));
    assert_int_equal(t->live, 0);
    ctx_free(&r, false);
    /* Where the file was, a directory: never reopened as something else. */
    make_dir(fx->c, "sub");
    make_dir(fx->c, "sub/f.txt");
    ctx_restoring(&r, fx, fx->c, true);
    t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_IMAGE);
    assert_string_equal(r.err.msg, "fd 5: \"sub/f.txt\" is now a directory, not a regular file");
    assert_int_equal(t->live, 0);
    ctx_free(&r, false);
    /* No stdout in the restoring context. */
    b8g_wasi_dir data[] = {{fx->a, "/data", false}, {fx->a, "/ro", true}};
    ctx_new(&r, fx->devnull, -1, data, 2, false);
    t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_IMAGE);
    assert_string_equal(r.err.msg, "fd 1 (stdout): the restoring context has no stdout");
    assert_int_equal(t->live, 0);
    ctx_free(&r, false);
    wasi_snap_free(fds, n);
}

static void test_restore_readonly(void **state)
{
    Fixture *fx = *state;
    WasiSnapFd *fds;
    uint32_t n;
    capture_open_file(fx, &fds, &n);
    make_dir(fx->b, "sub");
    put_file(fx->b, "sub/f.txt", "abcdefghij");
    Ctx r;
    ctx_restoring(&r, fx, fx->b, true);
    HandleTable *t = &r.inst->handles;
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, n, &r.err), B8G_OK);
    assert_int_equal(cap_slot(t, 3)->wasi_base & ~WASI_RIGHTS_READ_ONLY, 0);
    assert_int_equal(cap_slot(t, 3)->wasi_inheriting & ~WASI_RIGHTS_READ_ONLY, 0);
    assert_int_equal(cap_slot(t, 5)->wasi_base & ~WASI_RIGHTS_READ_ONLY, 0);
    assert_true(cap_slot(t, 5)->wasi_base & WASI_RIGHT_FD_READ);
    WasiFile *f;
    assert_int_equal(wasi_fd(&r.call, 5, 0, &f, NULL), 0);
    assert_int_equal(fcntl(f->fd, F_GETFL) & O_ACCMODE, O_RDONLY); /* on the host too */
    put32(&r, 64, 1024);
    put32(&r, 68, 1);
    assert_int_equal(WASI(&r, "fd_write", 5, 64, 1, 72), WASI_ENOTCAPABLE);
    char buf[64];
    assert_string_equal(fd_read_str(&r, 5, buf), "efghij");
    ctx_free(&r, false);
    wasi_snap_free(fds, n);
}

/* Entries an image reader could hand over that must not be trusted. */
static void test_restore_bad_entries(void **state)
{
    Fixture *fx = *state;
    make_dir(fx->b, "sub");
    put_file(fx->b, "sub/f.txt", "abcdefghij");
    Ctx r;
    ctx_restoring(&r, fx, fx->b, false);
    HandleTable *t = &r.inst->handles;
    static char longp[WASI_SNAP_MAX_PATH + 2];
    memset(longp, 'a', WASI_SNAP_MAX_PATH + 1);
    struct {
        WasiSnapFd fd;
        const char *msg;
    } bad[] = {
        {{.slot = 7, .how = WASI_SNAP_PREOPEN, .name = "", .path = ""}, "fd 7: no name"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = ""}, "fd 7: no path"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = NULL}, "fd 7: no path"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = longp}, "too long"},
        {{.slot = 7, .how = WASI_SNAP_PREOPEN, .name = longp, .path = ""}, "too long"},
        {{.slot = 7, .how = 9, .name = "/data", .path = ""}, "unknown kind"},
        {{.slot = 7, .how = WASI_SNAP_STDIO, .name = "stdfoo", .path = ""}, "stdio"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = "/etc/passwd",
          .filetype = WASI_FILETYPE_REGULAR_FILE}, "not capable"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = "../x",
          .filetype = WASI_FILETYPE_REGULAR_FILE}, "not capable"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = "sub/f.txt",
          .filetype = WASI_FILETYPE_REGULAR_FILE, .offset = UINT64_MAX}, "position"},
        {{.slot = 7, .how = WASI_SNAP_FILE, .name = "/data", .path = "sub/f.txt",
          .filetype = WASI_FILETYPE_REGULAR_FILE, .fdflags = 0x100}, "flags"},
        {{.slot = 1u << 30, .how = WASI_SNAP_PREOPEN, .name = "/data", .path = ""}, "past"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        WasiSnapFd two[2] = {{.slot = 0, .how = WASI_SNAP_STDIO, .name = "stdin", .path = ""},
                             bad[i].fd};
        assert_int_equal(wasi_snap_restore(t, r.wasi, two, 2, &r.err), B8G_IMAGE);
        if (!strstr(r.err.msg, bad[i].msg)) fail_msg("case %zu: %s", i, r.err.msg);
        assert_int_equal(t->live, 0); /* stdin, restored first, is gone again */
    }
    /* The same slot twice. */
    WasiSnapFd dup[2] = {{.slot = 3, .how = WASI_SNAP_PREOPEN, .name = "/data", .path = ""},
                         {.slot = 3, .how = WASI_SNAP_STDIO, .name = "stdin", .path = ""}};
    assert_int_equal(wasi_snap_restore(t, r.wasi, dup, 2, &r.err), B8G_IMAGE);
    assert_string_equal(r.err.msg, "fd 3: listed twice");
    assert_int_equal(t->live, 0);
    /* No context at all. */
    assert_int_equal(wasi_snap_restore(t, NULL, dup, 1, &r.err), B8G_IMAGE);
    assert_int_equal(wasi_snap_restore(t, NULL, dup, 0, &r.err), B8G_OK);
    /* A table that already holds something is not the restore's to fill. */
    assert_int_equal(wasi_snap_restore(t, r.wasi, dup, 1, &r.err), B8G_OK);
    assert_int_equal(wasi_snap_restore(t, r.wasi, dup, 1, &r.err), B8G_ARG);
    assert_int_equal(t->live, 2); /* /data, and /ro added as a new preopen */
    ctx_free(&r, false);
}

/* Preopens the restoring context grants and the image did not have are
 * this run's grants: new descriptors from the lowest free one, in order;
 * the image's own keep their slots. */
static void test_restore_adds_new_preopens(void **state)
{
    Fixture *fx = *state;
    Ctx r;
    ctx_restoring(&r, fx, fx->b, false);
    HandleTable *t = &r.inst->handles;
    WasiSnapFd fds[3] = {{.slot = 0, .how = WASI_SNAP_STDIO, .name = "stdin", .path = ""},
                         {.slot = 1, .how = WASI_SNAP_STDIO, .name = "stdout", .path = ""},
                         {.slot = 4, .how = WASI_SNAP_PREOPEN, .name = "/ro", .path = "",
                          .base = ~0ull, .inheriting = ~0ull}};
    assert_int_equal(wasi_snap_restore(t, r.wasi, fds, 3, &r.err), B8G_OK);
    assert_int_equal(t->live, 4);
    /* /data, the one new grant, takes fd 3; fd 2 stays stderr's (closed) */
    assert_null(cap_slot(t, 2));
    assert_ptr_equal(cap_slot(t, 3)->obj, &r.wasi->preopens[0]->base);
    assert_ptr_equal(cap_slot(t, 4)->obj, &r.wasi->preopens[1]->base);
    /* with the rights the context grants it */
    assert_true(cap_slot(t, 3)->wasi_base & WASI_RIGHT_PATH_OPEN);
    ctx_free(&r, false);
}

/* ---- secrets ---------------------------------------------------------------------- */

static void test_secrets_used(void **state)
{
    Fixture *fx = *state;
    Ctx *c = &fx->cap;
    assert_false(atomic_load(&c->wasi->secrets_used));
    assert_int_equal(WASI(c, "clock_res_get", WASI_CLOCK_MONOTONIC, 0), 0);
    assert_int_equal(WASI(c, "args_sizes_get", 0, 4), 0);
    assert_int_equal(WASI(c, "clock_time_get", 99, 0, 0), WASI_EINVAL);
    assert_int_equal(WASI(c, "random_get", 70000, 8), WASI_EFAULT);
    assert_false(atomic_load(&c->wasi->secrets_used));
    assert_int_equal(WASI(c, "clock_time_get", WASI_CLOCK_MONOTONIC, 0, 0), 0);
    assert_true(atomic_load(&c->wasi->secrets_used));
    Ctx r;
    ctx_restoring(&r, fx, fx->b, false);
    assert_false(atomic_load(&r.wasi->secrets_used));
    assert_int_equal(WASI(&r, "random_get", 0, 16), 0);
    assert_true(atomic_load(&r.wasi->secrets_used));
    ctx_free(&r, false);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_at),
        T(test_capture_fresh),
        T(test_origin_recorded),
        T(test_capture_unsupported),
        T(test_capture_foreign),
        T(test_restore_elsewhere),
        T(test_restore_missing),
        T(test_restore_readonly),
        T(test_restore_bad_entries),
        T(test_restore_adds_new_preopens),
        T(test_secrets_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
