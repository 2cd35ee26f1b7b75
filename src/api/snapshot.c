/*
 * snapshot.c - the public side of snapshots: capturing into an image,
 * writing it atomically, opening one, restoring and forking (b8g.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snap/snap.h"
#include "util/err.h"
#include "wasi/wasi.h"

struct b8g_image {
    Image img;
    b8g_module *module;   /* NULL when only inspectable (bad checksum) */
    atomic_uint restores;
    bool code_used;       /* its module took the image's code */
};

static b8g_status io_error(b8g_error *err, const char *what, const char *path)
{
    return err_set(err, B8G_IO, B8G_NO_OFFSET, "%s %s: %s", what, path, strerror(errno));
}

/* ---- capture ------------------------------------------------------------- */

/* The b8g_module behind an instance: the store holds a reference to it. */
static b8g_module *held_module(const b8g_instance *inst)
{
    const b8g_store *s = inst->store;
    for (uint32_t i = 0; i < s->nheld; i++)
        if (s->held[i]->mod == inst->mod) return s->held[i];
    return NULL;
}

static b8g_image *image_new(void)
{
    b8g_image *im = xcalloc(1, sizeof *im);
    im->img.fd = -1;
    atomic_init(&im->restores, 0);
    return im;
}

b8g_status b8g_snapshot(b8g_instance *inst, const b8g_wasi *w, b8g_image **out, b8g_error *err)
{
    return b8g_snapshot_ex(inst, w, 0, out, err);
}

b8g_status b8g_snapshot_ex(b8g_instance *inst, const b8g_wasi *w, uint32_t flags,
                           b8g_image **out, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_snapshot");
    if (flags & ~B8G_SNAPSHOT_CODE)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "unknown b8g_snapshot_ex flags 0x%x", flags);
    *out = NULL;
    if (inst && w && w->store != inst->store)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "the WASI context belongs to another store");
    /* Its code positions are those of debug translation, which a plain
     * load of the image's module would not have. */
    if (inst && inst->mod && inst->mod->debug_stops)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "an instance of a module loaded for debugging cannot be captured");
    Buf b = {0};
    b8g_status st = snap_capture(inst, w, flags & B8G_SNAPSHOT_CODE, &b, err);
    if (st) {
        free(b.p);
        return st;
    }
    b8g_image *im = image_new();
    im->img.bytes = b.p;
    im->img.len = im->img.file_len = b.n;
    st = img_parse(&im->img, IMG_SUM_TRUSTED, err);
    if (!st && !(im->module = held_module(inst)))
        st = err_set(err, B8G_ARG, B8G_NO_OFFSET, "the instance's module is not held by its store");
    if (!st) {
        api_module_ref(im->module);
        *out = im;
        return B8G_OK;
    }
    b8g_image_free(im);
    return st;
}

/* ---- writing ------------------------------------------------------------- */

static bool write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

b8g_status b8g_image_write_fd(const b8g_image *img, int fd, b8g_error *err)
{
    if (!img || fd < 0) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "bad argument to b8g_image_write_fd");
    if (img->img.len < img->img.file_len)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "the image was opened without its code data: write the file it came from");
    if (!write_all(fd, img->img.bytes, img->img.len) || fsync(fd) != 0)
        return io_error(err, "cannot write", "the image");
    return B8G_OK;
}

b8g_status b8g_image_write(const b8g_image *img, const char *path, b8g_error *err)
{
    if (!img || !path) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_image_write");
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16), *dir = xstrndup(path, n);
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    char *slash = strrchr(dir, '/');
    if (slash) slash[slash == dir ? 1 : 0] = 0;
    else strcpy(dir, ".");
    b8g_status st = B8G_OK;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        st = io_error(err, "cannot create a file beside", path);
    } else {
        /* mkostemp makes it 0600; an image is as readable as any output */
        if (fchmod(fd, 0644) != 0 || (st = b8g_image_write_fd(img, fd, err)) != B8G_OK) {
            if (!st) st = io_error(err, "cannot write", tmp);
        }
        if (close(fd) != 0 && !st) st = io_error(err, "cannot write", tmp);
        if (!st && rename(tmp, path) != 0) st = io_error(err, "cannot rename the image to", path);
        if (st) unlink(tmp);
    }
    if (!st) {
        int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d < 0 || fsync(d) != 0) st = io_error(err, "cannot sync the directory of", path);
        if (d >= 0) close(d);
    }
    free(tmp);
    free(dir);
    return st;
}

/* ---- opening ------------------------------------------------------------- */

/* trusted: the file passed the trust check of b8g_image_open. */
static b8g_status finish_open(b8g_image *im, uint32_t flags, bool trusted, b8g_image **out,
                              b8g_error *err)
{
    b8g_status st = img_parse(&im->img, flags & B8G_IMAGE_OPEN_INSPECT ? IMG_SUM_REPORT : IMG_SUM_VERIFY, err);
    if (!st && im->img.checksum_ok) {
        b8g_error merr;
        if (b8g_module_load_lazy(im->img.module_bytes, (size_t)im->img.module_len, &im->module,
                                 &merr))
            st = err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "its module does not load: %s", merr.msg);
        if (!st) st = snap_code_check(&im->img, im->module->mod, err);
        if (!st && trusted && snap_code_usable(&im->img)) {
            snap_code_attach(&im->img, im->module->mod);
            im->code_used = true;
        }
    }
    if (st) {
        b8g_image_free(im);
        return st;
    }
    *out = im;
    return B8G_OK;
}

/* A memory file holding bytes[0..n), sealed against any change: what
 * restores map pages from (an opened image, a fork's capture).  -1 with
 * errno on failure; bytes that fault (a file truncated under its mapping)
 * make write() fail with EFAULT instead of faulting the process. */
static int sealed_memfd(const void *bytes, size_t n)
{
    int m = memfd_create("b8g-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (m < 0) return -1;
    if (write_all(m, bytes, n) &&
        fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0)
        return m;
    int e = errno;
    close(m);
    errno = e;
    return -1;
}

/* What B8G_IMAGE_OPEN_TRUSTED asks of a file besides the caller's word:
 * only its owner - the effective user or root - can change it. */
static bool file_trustworthy(const struct stat *st)
{
    return (st->st_uid == geteuid() || st->st_uid == 0) && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* Where the code data of the image open as fd starts (its size if it has
 * none): read with pread, which a file truncated meanwhile cannot fault. */
static size_t peek_code_start(int fd, size_t size)
{
    uint8_t h[IMG_OFF_RO], t[16];
    if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h) return size;
    uint64_t table = img_code_table(h);
    if (table > size || pread(fd, t, sizeof t, (off_t)table) != (ssize_t)sizeof t) return size;
    return (size_t)img_code_fits(img_le(t, 8), img_le(t + 8, 8), size);
}

static int sealed_copy(int fd, size_t n)
{
    void *src = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (src == MAP_FAILED) return -1;
    int m = sealed_memfd(src, n);
    int e = errno;
    munmap(src, n);
    errno = e;
    return m;
}

b8g_status b8g_image_open(const char *path, uint32_t flags, b8g_image **out, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!path || !out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_image_open");
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(err, "cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        b8g_status s = io_error(err, "cannot stat", path);
        close(fd);
        return s;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < IMG_OFF_CTX || (uint64_t)st.st_size > SIZE_MAX) {
        b8g_status s = S_ISREG(st.st_mode)
                           ? err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "%s: too short for an image", path)
                           : err_set(err, B8G_IMAGE, B8G_NO_OFFSET, "%s: not a regular file", path);
        close(fd);
        return s;
    }
    /* Guest pages will be mapped from the image: from a sealed private
     * copy, so that nobody changing or truncating the file later can
     * change a restored memory behind the checksum or fault the host -
     * unless the caller vouches for the file and it passes our check.
     * The copy leaves out code data, which only a trusted open uses (and
     * inspection shows). */
    bool trusted = (flags & B8G_IMAGE_OPEN_TRUSTED) && file_trustworthy(&st);
    size_t held = (size_t)st.st_size;
    if (!trusted) {
        if (!(flags & B8G_IMAGE_OPEN_INSPECT)) held = peek_code_start(fd, held);
        int copy = sealed_copy(fd, held);
        close(fd);
        if (copy < 0) return io_error(err, "cannot copy", path);
        fd = copy;
    }
    void *p = mmap(NULL, held, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        b8g_status s = io_error(err, "cannot map", path);
        close(fd);
        return s;
    }
    b8g_image *im = image_new();
    im->img.bytes = p;
    im->img.len = held;
    im->img.file_len = (size_t)st.st_size;
    im->img.mapped = true;
    im->img.fd = fd;
    return finish_open(im, flags, trusted, out, err);
}

b8g_status b8g_image_open_bytes(const uint8_t *bytes, size_t len, uint32_t flags,
                                b8g_image **out, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!out || (!bytes && len))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_image_open_bytes");
    *out = NULL;
    b8g_image *im = image_new();
    im->img.bytes = xmalloc(len ? len : 1);
    if (len) memcpy(im->img.bytes, bytes, len);
    im->img.len = im->img.file_len = len;
    return finish_open(im, flags, false, out, err);
}

void b8g_image_free(b8g_image *img)
{
    if (!img) return;
    img_release(&img->img);
    b8g_module_free(img->module);
    free(img);
}

/* ---- what it holds ------------------------------------------------------- */

void b8g_image_get_info(const b8g_image *img, b8g_image_info *out)
{
    memset(out, 0, sizeof *out);
    if (!img) return;
    const Image *m = &img->img;
    const ImgContext *x = &m->ctx;
    memcpy(out->version, m->version, sizeof out->version);
    out->ncontexts = 1;
    out->rehashable = m->rehashable;
    out->checksum_ok = m->checksum_ok;
    out->file_bytes = m->file_len;
    out->module_bytes = m->module_len;
    out->suspended = x->flags & IMG_CTX_SUSPENDED;
    out->nframes = x->nframes;
    out->fuel = x->flags & IMG_CTX_FUEL_UNLIMITED ? UINT64_MAX : x->fuel;
    out->nmemories = x->nmems;
    if (x->nmems) {
        out->memory_bytes = (uint64_t)x->mems[0].pages * 65536;
        for (uint32_t i = 0; i < x->mems[0].nruns; i++) out->stored_bytes += x->mems[0].runs[i].len;
    }
    out->nhandles = x->nhandles;
    out->argc = x->argc;
    out->envc = x->envc;
    out->code_funcs = m->code.nfuncs;
    out->code_bytes = m->code.len;
    out->code_this_build = snap_code_usable(m);
    out->code_used = img->code_used;
}

const b8g_module *b8g_image_module(const b8g_image *img)
{
    return img ? img->module : NULL;
}

const char *b8g_image_arg(const b8g_image *img, uint32_t i)
{
    return img && i < img->img.ctx.argc ? img->img.ctx.argv[i].s : NULL;
}

const char *b8g_image_env(const b8g_image *img, uint32_t i)
{
    return img && i < img->img.ctx.envc ? img->img.ctx.env[i].s : NULL;
}

b8g_status b8g_image_manifest(const b8g_image *img, uint32_t i, b8g_manifest_entry *out)
{
    if (!img || !out || i >= img->img.ctx.nhandles)
        return err_set(NULL, B8G_ARG, B8G_NO_OFFSET, "no manifest entry");
    const ImgHandle *h = &img->img.ctx.handles[i];
    out->kind = (b8g_manifest_kind)h->kind;
    out->fd = h->fd;
    out->name = h->name.s;
    out->path = h->path.s;
    out->rights = h->rights;
    out->inheriting = h->inheriting;
    return B8G_OK;
}

/* ---- restoring and forking ----------------------------------------------- */

static b8g_status restore(b8g_image *img, b8g_store *s, b8g_wasi *w, uint32_t flags,
                          b8g_instance **out, b8g_error *err)
{
    if (!img->img.checksum_ok || !img->module)
        return err_set(err, B8G_IMAGE, B8G_NO_OFFSET,
                       "checksum mismatch: the image can be inspected, not restored");
    /* claimed before restoring, so two threads cannot both be first */
    bool once = !img->img.rehashable && !(flags & B8G_RESTORE_FORK);
    unsigned none = 0;
    if (once && !atomic_compare_exchange_strong(&img->restores, &none, 1))
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "the image was captured after the guest read entropy, a clock or a link "
                       "key: restoring it again would fork those secrets (B8G_RESTORE_FORK "
                       "allows it)");
    b8g_status st = snap_restore(&img->img, img->module, s, w, out, err);
    if (st && once) atomic_store(&img->restores, 0);
    else if (!st && !once) atomic_fetch_add(&img->restores, 1);
    return st;
}

b8g_status b8g_image_restore(b8g_image *img, b8g_store *s, b8g_wasi *w, uint32_t flags,
                             b8g_instance **out, b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!img || !s || !out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_image_restore");
    *out = NULL;
    return restore(img, s, w, flags, out, err);
}

/* Pages of a fork are mapped from a memory file, so clones share them. */
static b8g_status to_memfd(b8g_image *img, b8g_error *err)
{
    int fd = sealed_memfd(img->img.bytes, img->img.len);
    if (fd < 0) return io_error(err, "cannot make", "a memory file");
    img->img.fd = fd;
    return B8G_OK;
}

void b8g_clone_free(b8g_clone *c)
{
    if (!c) return;
    b8g_store_free(c->store);
    b8g_wasi_free(c->wasi);
    memset(c, 0, sizeof *c);
}

static b8g_status make_clone(b8g_image *img, const b8g_config *cfg, const b8g_wasi_config *wcfg,
                             b8g_clone *c, b8g_error *err)
{
    b8g_config def = {0};
    memset(c, 0, sizeof *c);
    c->store = b8g_store_new(cfg ? cfg : &def);
    if (!c->store) return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "cannot create a store");
    b8g_status st = wcfg ? b8g_wasi_new(c->store, wcfg, &c->wasi, err) : B8G_OK;
    if (!st) st = restore(img, c->store, c->wasi, B8G_RESTORE_FORK, &c->inst, err);
    if (st) b8g_clone_free(c);
    return st;
}

b8g_status b8g_fork(b8g_instance *inst, const b8g_wasi *w, const b8g_config *cfg,
                    const b8g_wasi_config *wcfg, uint32_t flags, uint32_t n, b8g_clone *clones,
                    b8g_error *err)
{
    b8g_error local;
    if (!err) err = &local;
    if (!inst || (n && !clones)) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "null argument to b8g_fork");
    b8g_image *img;
    b8g_status st = b8g_snapshot(inst, w, &img, err);
    if (st) return st;
    if (!img->img.rehashable && !(flags & B8G_RESTORE_FORK))
        st = err_set(err, B8G_ARG, B8G_NO_OFFSET,
                     "the instance read entropy, a clock or a link key: its clones would share "
                     "those secrets (B8G_RESTORE_FORK allows it)");
    if (!st) st = to_memfd(img, err);
    uint32_t made = 0;
    while (!st && made < n) {
        st = make_clone(img, cfg, wcfg, &clones[made], err);
        if (!st) made++;
    }
    if (st)
        while (made > 0) b8g_clone_free(&clones[--made]);
    b8g_image_free(img);
    return st;
}
