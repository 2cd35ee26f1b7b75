/*
 * files.c - host files and directories as objects (include/b8g.h,
 * docs/abi.md "Files and directories").
 *
 * The object is the WasiFile a path_open would have made, on a duplicate
 * of the host's descriptor: a component granted it sees a WASI descriptor
 * and may pass it on like any handle.  What it may do is fixed here, once,
 * as the object's rights bound (WasiFile.max_base): read_only, and for a
 * file the host descriptor's own access mode, since a right the host fd
 * cannot honour would only fail later as EBADF.  Paths beneath a
 * directory resolve as beneath a preopen (wasi/resolve.c), so the
 * directory confines a component exactly as a preopen does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "wasi/wasi.h"

/* The bound for a descriptor of this kind and access mode. */
static void file_bound(WasiFile *f, int fl, bool read_only)
{
    uint64_t mask = read_only ? WASI_RIGHTS_READ_ONLY : WASI_RIGHTS_ALL;
    if (f->base.kind == CAP_KIND_FILE) {
        int mode = fl & O_ACCMODE;
        if (mode == O_RDONLY || (fl & O_PATH)) mask &= ~WASI_RIGHTS_HOST_WRITE;
        if (mode == O_WRONLY || (fl & O_PATH)) mask &= ~WASI_RIGHTS_HOST_READ;
    }
    f->max_base &= mask;
    f->max_inheriting &= mask;
}

/* The WASI flags a guest would see on a descriptor opened with fl. */
static uint16_t file_fdflags(int fl)
{
    uint16_t flags = 0;
    if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC) flags |= WASI_FDFLAG_SYNC;
    else if (fl & O_DSYNC) flags |= WASI_FDFLAG_DSYNC;
    return flags;
}

static b8g_status dup_error(int fd, b8g_error *err)
{
    if (errno == EBADF)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "file object: %d is not an open descriptor",
                       fd);
    return err_set(err, B8G_IO, B8G_NO_OFFSET, "file object: cannot duplicate descriptor %d: %s",
                   fd, strerror(errno));
}

b8g_status b8g_file_object(int fd, bool read_only, b8g_object **out, b8g_error *err)
{
    if (!out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "file object: NULL argument");
    *out = NULL;
    if (fd < 0) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "file object: bad descriptor %d", fd);
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return dup_error(fd, err);
    struct stat st;
    int fl = fcntl(own, F_GETFL);
    if (fl < 0 || fstat(own, &st) != 0) {
        int e = errno;
        close(own);
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "file object: descriptor %d: %s", fd,
                       strerror(e));
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        close(own);
        return err_set(err, B8G_ARG, B8G_NO_OFFSET,
                       "file object: descriptor %d is neither a regular file nor a directory",
                       fd);
    }
    CapKind kind = S_ISDIR(st.st_mode) ? CAP_KIND_DIR : CAP_KIND_FILE;
    WasiFile *f = wasi_file_new(own, false, wasi_filetype_of(st.st_mode), kind);
    f->fdflags = file_fdflags(fl);
    file_bound(f, fl, read_only);
    *out = (b8g_object *)&f->base;
    return B8G_OK;
}
