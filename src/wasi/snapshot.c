/*
 * snapshot.c - a handle table's WASI descriptors as a snapshot keeps them.
 *
 * Host descriptors never travel.  A capture describes each slot by what it
 * is: stdio by stream name, a preopen by its guest path, a file or
 * directory by the preopen it was opened beneath and the path the guest
 * used (WasiFile.root/path, recorded by path_open).  A restore asks the
 * *restoring* context for each of them again, so an image reaches only
 * what that context grants, with at most the rights it grants now:
 *  - Files and directories are reopened by wasi_open_beneath (path.c), the
 *    very code path_open runs, so the same resolver keeps them beneath the
 *    preopen.  Never created or truncated; the host open mode follows the
 *    masked rights, so a read-only preopen gives a read-only file.
 *  - A final symlink is followed.  Whatever the guest's lookup flags were,
 *    the object it opened was not a symlink (a real open of one fails), so
 *    following only differs when the path became a symlink since - and
 *    then it is followed beneath the preopen like any other step.
 *  - Only what lies beneath the capturing context's own preopens is
 *    captured: a file or directory received from another component or
 *    made by the host is refused, as no name in the manifest reaches it.
 *  - Stdio and preopens are the restoring context's objects as it opened
 *    them.  Only a lent stream's NONBLOCK, which fd.c emulates from
 *    fdflags, is carried over; a directory's flags change nothing it does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"
#include "wasi/wasi.h"

#define FDFLAGS_ALL (WASI_FDFLAG_APPEND | WASI_FDFLAG_DSYNC |                  \
                     WASI_FDFLAG_NONBLOCK | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)

static const char *const stdio_names[3] = {"stdin", "stdout", "stderr"};

static char *dup_str(const char *s) { return xstrndup(s, strlen(s)); }

/* ---- capture ------------------------------------------------------------- */

static b8g_status refuse(b8g_error *err, uint32_t slot, const char *what)
{
    return err_set(err, B8G_UNSUPPORTED, B8G_NO_OFFSET,
                   "fd %u: %s cannot be captured", slot, what);
}

static b8g_status describe_stdio(const b8g_wasi *w, const WasiFile *f,
                                 WasiSnapFd *d, b8g_error *err)
{
    for (int i = 0; i < 3; i++)
        if (w->stdio[i] == f) {
            d->how = WASI_SNAP_STDIO;
            d->name = dup_str(stdio_names[i]);
            d->path = dup_str("");
            return B8G_OK;
        }
    return refuse(err, d->slot, "a stream this context did not lend");
}

/* The position of a regular file; anything else has none worth keeping. */
static b8g_status file_offset(const WasiFile *f, WasiSnapFd *d, b8g_error *err)
{
    if (f->filetype != WASI_FILETYPE_REGULAR_FILE) return B8G_OK;
    off_t off = lseek(f->fd, 0, SEEK_CUR);
    if (off >= 0) d->offset = (uint64_t)off;
    else if (errno != ESPIPE)
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "fd %u: cannot read its position: %s",
                       d->slot, strerror(errno));
    return B8G_OK;
}

static bool own_preopen(const b8g_wasi *w, const WasiFile *p)
{
    for (uint32_t i = 0; i < w->npreopens; i++)
        if (w->preopens[i] == p) return true;
    return false;
}

/*
 * Whether a file or directory can be named the way a restore finds it:
 * beneath one of *this* context's preopens, the very object, not one of
 * the same name.  One that came from another component (in a message or
 * as a task argument) or from the host (b8g_file_object) lies beneath a
 * directory the manifest cannot express, and a restore by name would
 * reopen some other file.  Its handle rights must also be the ones a
 * restore gives back, which the image does not record.
 */
static b8g_status check_origin(const HandleEntry *e, uint32_t slot, const b8g_wasi *w,
                               const WasiFile *f, b8g_error *err)
{
    const WasiFile *root = f->preopen_name ? f : f->root;
    if (!root || !own_preopen(w, root))
        return refuse(err, slot,
                      "a file or directory that is not beneath this context's preopens "
                      "(one received from another component or made by the host)");
    if (e->rights != cap_wasi_generic_rights((CapKind)f->base.kind))
        return refuse(err, slot, "a descriptor whose handle rights were narrowed");
    return B8G_OK;
}

/* Fills d for the live entry in `slot`; refuses what no restore could
 * rebuild from a context. */
static b8g_status describe(const HandleEntry *e, uint32_t slot, const b8g_wasi *w,
                           WasiSnapFd *d, b8g_error *err)
{
    const CapObject *o = e->obj;
    d->slot = slot;
    if (o->kind >= CAP_KIND_EVENT) return refuse(err, slot, "an object of the component ABI");
    if (o->kind == CAP_KIND_SOCKET) return refuse(err, slot, "a socket");
    if (!w) return refuse(err, slot, "a descriptor without its WASI context");
    const WasiFile *f = (const WasiFile *)o;
    d->filetype = f->filetype;
    d->fdflags = f->fdflags;
    d->base = e->wasi_base;
    d->inheriting = e->wasi_inheriting;
    if (o->kind == CAP_KIND_STREAM) return describe_stdio(w, f, d, err);
    b8g_status st = check_origin(e, slot, w, f, err);
    if (st) return st;
    if (f->preopen_name) {
        d->how = WASI_SNAP_PREOPEN;
        d->name = dup_str(f->preopen_name);
        d->path = dup_str("");
        return B8G_OK;
    }
    if (!f->path) return refuse(err, slot, "a descriptor not opened by a recorded path");
    d->how = o->kind == CAP_KIND_DIR ? WASI_SNAP_DIR : WASI_SNAP_FILE;
    d->name = dup_str(f->root->preopen_name);
    d->path = dup_str(f->path);
    return file_offset(f, d, err);
}

b8g_status wasi_snap_capture(HandleTable *t, const b8g_wasi *w,
                             WasiSnapFd **out, uint32_t *n, b8g_error *err)
{
    *out = NULL;
    *n = 0;
    if (t->live == 0) return B8G_OK;
    WasiSnapFd *fds = xcalloc(t->live, sizeof *fds);
    uint32_t k = 0;
    for (uint32_t i = 0; i < t->n && k < t->live; i++) {
        if (!t->e[i].obj) continue;
        b8g_status st = describe(&t->e[i], i, w, &fds[k++], err);
        if (st) {
            wasi_snap_free(fds, k);
            return st;
        }
    }
    *out = fds;
    *n = k;
    return B8G_OK;
}

void wasi_snap_free(WasiSnapFd *fds, uint32_t n)
{
    if (!fds) return;
    for (uint32_t i = 0; i < n; i++) {
        free(fds[i].name);
        free(fds[i].path);
    }
    free(fds);
}

/* ---- restore --------------------------------------------------------------- */

/* Text for a WASI errno: strerror of the first host errno wasi_errno maps
 * to it.  ENOTBLK and EHOSTDOWN fold into codes whose own host errno comes
 * later, so they are passed over; ENOTCAPABLE has no host errno. */
static const char *wasi_errno_text(int werr)
{
    if (werr == WASI_ENOTCAPABLE) return "not capable (it would leave the directory)";
    for (int e = 1; e < 256; e++)
        if (e != ENOTBLK && e != EHOSTDOWN && wasi_errno(e) == werr) return strerror(e);
    return "unknown error";
}

static const char *filetype_name(uint8_t t)
{
    static const char *const names[] = {
        "unknown file", "block device", "character device", "directory",
        "regular file", "datagram socket", "stream socket", "symbolic link",
    };
    return t < B8G_ARRAY_LEN(names) ? names[t] : "unknown file";
}

static bool too_long(const char *s) { return strnlen(s, WASI_SNAP_MAX_PATH + 1) > WASI_SNAP_MAX_PATH; }

static int stdio_index(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, stdio_names[i]) == 0) return i;
    return -1;
}

/* The image reader hands over C strings (so no NUL can hide inside one);
 * what is left to check is that they are there, bounded and sensible. */
static b8g_status check_fd(const WasiSnapFd *d, b8g_error *err)
{
    const char *bad = NULL;
    bool by_path = d->how == WASI_SNAP_FILE || d->how == WASI_SNAP_DIR;
    if (d->how > WASI_SNAP_DIR) bad = "an unknown kind of descriptor";
    else if (!d->name || !d->name[0]) bad = "no name";
    else if (too_long(d->name)) bad = "a name that is too long";
    else if (d->how == WASI_SNAP_STDIO && stdio_index(d->name) < 0) bad = "an unknown stdio stream";
    else if (by_path && (!d->path || !d->path[0])) bad = "no path";
    else if (by_path && too_long(d->path)) bad = "a path that is too long";
    else if (d->fdflags & ~FDFLAGS_ALL) bad = "unknown fd flags";
    else if (d->offset > INT64_MAX) bad = "a position past the largest file";
    if (!bad) return B8G_OK;
    return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: %s", d->slot, bad);
}

static b8g_status put(HandleTable *t, const WasiSnapFd *d, CapObject *o,
                      uint64_t base, uint64_t inheriting, b8g_error *err)
{
    b8g_status st = cap_insert_at(t, d->slot, o, cap_wasi_generic_rights((CapKind)o->kind),
                                  base, inheriting, NULL);
    if (st == B8G_ARG)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: listed twice", d->slot);
    if (st)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: past the %u descriptors a table holds",
                       d->slot, t->max);
    return B8G_OK;
}

static b8g_status restore_stdio(HandleTable *t, b8g_wasi *w, const WasiSnapFd *d,
                                b8g_error *err)
{
    int i = stdio_index(d->name);
    WasiFile *f = w->stdio[i];
    if (!f)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET,
                       "fd %u (%s): the restoring context has no %s", d->slot, d->name, d->name);
    uint64_t base, inheriting;
    wasi_stdio_rights(i, f, &base, &inheriting);
    /* NONBLOCK is the one flag a guest can change on a lent stream, and
     * fd.c emulates it from fdflags alone. */
    f->fdflags = (uint16_t)((f->fdflags & ~WASI_FDFLAG_NONBLOCK) |
                            (d->fdflags & WASI_FDFLAG_NONBLOCK));
    return put(t, d, &f->base, d->base & base, d->inheriting & inheriting, err);
}

/* The preopen of w named `name` (exactly), or B8G_IMAGE naming it. */
static b8g_status find_preopen(const b8g_wasi *w, const WasiSnapFd *d, uint32_t *out,
                               b8g_error *err)
{
    for (uint32_t i = 0; i < w->npreopens; i++)
        if (strcmp(w->preopens[i]->preopen_name, d->name) == 0) {
            *out = i;
            return B8G_OK;
        }
    return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: no preopened directory \"%s\" to restore",
                   d->slot, d->name);
}

static b8g_status restore_preopen(HandleTable *t, b8g_wasi *w, const WasiSnapFd *d,
                                  b8g_error *err)
{
    uint32_t i;
    b8g_status st = find_preopen(w, d, &i, err);
    if (st) return st;
    uint64_t base, inheriting;
    wasi_preopen_rights(w, i, &base, &inheriting);
    return put(t, d, &w->preopens[i]->base, d->base & base, d->inheriting & inheriting, err);
}

/* The reopened f must be what was captured, at the captured position. */
static b8g_status check_reopened(const WasiFile *f, const WasiSnapFd *d, b8g_error *err)
{
    if (f->filetype != d->filetype)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: \"%s\" is now a %s, not a %s",
                       d->slot, d->path, filetype_name(f->filetype), filetype_name(d->filetype));
    if (f->filetype == WASI_FILETYPE_REGULAR_FILE &&
        lseek(f->fd, (off_t)d->offset, SEEK_SET) < 0)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: cannot seek \"%s\" to %llu: %s",
                       d->slot, d->path, (unsigned long long)d->offset, strerror(errno));
    return B8G_OK;
}

static b8g_status restore_file(HandleTable *t, b8g_wasi *w, const WasiSnapFd *d,
                               b8g_error *err)
{
    uint32_t i;
    b8g_status st = find_preopen(w, d, &i, err);
    if (st) return st;
    uint64_t pbase, pinheriting;
    wasi_preopen_rights(w, i, &pbase, &pinheriting);
    uint64_t base = d->base & pinheriting, inheriting = d->inheriting & pinheriting;
    uint32_t oflags = d->how == WASI_SNAP_DIR ? WASI_OFLAG_DIRECTORY : 0;
    WasiFile *f;
    int r = wasi_open_beneath(w->preopens[i], d->path, WASI_LOOKUP_SYMLINK_FOLLOW, oflags,
                              d->fdflags, &base, &inheriting, &f);
    if (r)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: cannot reopen \"%s\" in \"%s\": %s",
                       d->slot, d->path, d->name, wasi_errno_text(r));
    st = check_reopened(f, d, err);
    if (!st) st = put(t, d, &f->base, base, inheriting, err);
    cap_unref(&f->base); /* the table's reference, if any, keeps it */
    return st;
}

static b8g_status restore_one(HandleTable *t, b8g_wasi *w, const WasiSnapFd *d,
                              b8g_error *err)
{
    b8g_status st = check_fd(d, err);
    if (st) return st;
    if (!w)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "fd %u: no WASI context to restore it from",
                       d->slot);
    switch (d->how) {
    case WASI_SNAP_STDIO: return restore_stdio(t, w, d, err);
    case WASI_SNAP_PREOPEN: return restore_preopen(t, w, d, err);
    default: return restore_file(t, w, d, err);
    }
}

/* Did the image have preopen i of w (by its guest name)? */
static bool captured_preopen(const b8g_wasi *w, uint32_t i, const WasiSnapFd *fds, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        if (fds[k].how == WASI_SNAP_PREOPEN && strcmp(fds[k].name, w->preopens[i]->preopen_name) == 0)
            return true;
    return false;
}

/*
 * Preopens the restoring context grants beyond the image's are this
 * run's grants: they take the lowest free descriptors from 3 (0-2 are
 * stdio's even when closed), where a guest's libc looks for preopens when
 * it starts (a pre-initialised image whose _start runs again finds them;
 * a resumed call never asks).
 */
static b8g_status add_new_preopens(HandleTable *t, b8g_wasi *w, const WasiSnapFd *fds,
                                   uint32_t n, b8g_error *err)
{
    uint32_t slot = 3;
    for (uint32_t i = 0; w && i < w->npreopens; i++) {
        if (captured_preopen(w, i, fds, n)) continue;
        while (cap_slot(t, slot)) slot++;
        uint64_t base, inheriting;
        wasi_preopen_rights(w, i, &base, &inheriting);
        b8g_status st = cap_insert_at(t, slot, &w->preopens[i]->base, CAP_RIGHTS_WASI_FILE,
                                      base, inheriting, err);
        if (st) return st;
    }
    return B8G_OK;
}

b8g_status wasi_snap_restore(HandleTable *t, b8g_wasi *w,
                             const WasiSnapFd *fds, uint32_t n, b8g_error *err)
{
    if (t->max == 0) cap_table_init(t, 0);
    if (t->live != 0)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "restore needs an empty handle table");
    b8g_status st = B8G_OK;
    for (uint32_t i = 0; i < n && !st; i++) st = restore_one(t, w, &fds[i], err);
    if (!st) st = add_new_preopens(t, w, fds, n, err);
    if (st) cap_table_release(t); /* empty again; max and salt stay */
    return st;
}
