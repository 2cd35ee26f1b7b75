/*
 * output.c - writing an image (b8g snapshot -o, --suspend-to) from a
 * process that was confined after the file was set up.
 *
 * Confinement leaves no way to open a path by name (seccomp refuses
 * AT_FDCWD, Landlock everything outside the grants), so what the write
 * needs is opened before: the target's directory and, in it, a temporary
 * file created with O_CREAT|O_EXCL (a name nobody else has, mode 0644).
 * Landlock grants that directory only making and removing regular files
 * (b8g_confine_dir.create_only).  Afterwards the image goes into the open
 * file (b8g_image_write_fd fsyncs it), renameat moves it over the target
 * in the same directory and fsync of the directory makes the rename
 * durable: a crash leaves the old file or none, never half an image.  Any
 * failure removes the temporary file.
 *
 * The guest may be granted the same directory.  It cannot run while the
 * image is written (its call has stopped), but it ran while the temporary
 * file sat there: before renaming, the name must still be the file b8g
 * created, not something the guest put in its place (a symlink, say).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/run.h"

/* Attempts at a fresh temporary name before giving up. */
#define TMP_ATTEMPTS 100
/* Bytes of the target's name kept in the temporary name (NAME_MAX is
 * 255, and the suffix needs room). */
#define TMP_NAME_KEEP 200

static char *dup_range(const char *s, size_t n)
{
    char *d = cli_calloc(n + 1, 1);
    memcpy(d, s, n);
    return d;
}

/* Splits path into its directory ("." if none) and last component. */
static b8g_status split_path(const char *path, char **dir, char **name, b8g_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return cli_err(err, B8G_IO, "cannot write %s: %s", path, strerror(EISDIR));
    *name = dup_range(base, strlen(base));
    if (!slash) *dir = dup_range(".", 1);
    else if (slash == path) *dir = dup_range("/", 1);
    else *dir = dup_range(path, (size_t)(slash - path));
    return B8G_OK;
}

static b8g_status create_tmp(CliOutput *out, b8g_error *err)
{
    size_t keep = strlen(out->name) < TMP_NAME_KEEP ? strlen(out->name) : TMP_NAME_KEEP;
    size_t size = keep + 48;
    out->tmp = cli_calloc(size, 1);
    for (unsigned n = 0; n < TMP_ATTEMPTS; n++) {
        snprintf(out->tmp, size, ".%.*s.%ld-%u.tmp", (int)keep, out->name, (long)getpid(), n);
        out->fd = openat(out->dirfd, out->tmp,
                         O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (out->fd >= 0) return B8G_OK;
        if (errno != EEXIST) break;
    }
    int e = errno;
    free(out->tmp);
    out->tmp = NULL;
    return cli_err(err, B8G_IO, "cannot create a temporary file beside %s: %s", out->path,
                   strerror(e));
}

b8g_status cli_output_prepare(CliOutput *out, const char *path, b8g_error *err)
{
    memset(out, 0, sizeof *out);
    out->dirfd = out->fd = -1;
    if (!path) return B8G_OK;
    out->path = path;
    char *dir = NULL;
    b8g_status st = split_path(path, &dir, &out->name, err);
    if (st) return st;
    /* Read-only, not O_PATH: fsync needs a real descriptor. */
    out->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (out->dirfd < 0) st = cli_err(err, B8G_IO, "cannot open directory %s for %s: %s", dir,
                                     path, strerror(errno));
    free(dir);
    /* A directory in the way would only fail the rename after the run. */
    struct stat sb;
    if (!st && fstatat(out->dirfd, out->name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(sb.st_mode))
        st = cli_err(err, B8G_IO, "cannot write %s: %s", path, strerror(EISDIR));
    if (!st) st = create_tmp(out, err);
    if (st) cli_output_discard(out);
    return st;
}

/* True if out->tmp still names the file out->fd holds. */
static bool tmp_unchanged(const CliOutput *out)
{
    struct stat a, b;
    return fstat(out->fd, &a) == 0 &&
           fstatat(out->dirfd, out->tmp, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISREG(b.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

b8g_status cli_output_commit(CliOutput *out, const b8g_image *img, b8g_error *err)
{
    if (out->fd < 0) return cli_err(err, B8G_IO, "no output file was prepared");
    b8g_status st = b8g_image_write_fd(img, out->fd, err);
    if (st) {
        /* The engine's message names no file: say which. */
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        if (snprintf(err->msg, sizeof err->msg, "%s: %s", out->path, msg) < 0)
            memcpy(err->msg, msg, sizeof msg);
    } else if (!tmp_unchanged(out)) {
        st = cli_err(err, B8G_IO, "cannot write %s: the temporary file %s was replaced or "
                     "removed during the run", out->path, out->tmp);
    } else if (renameat(out->dirfd, out->tmp, out->dirfd, out->name) != 0) {
        st = cli_err(err, B8G_IO, "cannot rename the temporary file to %s: %s", out->path,
                     strerror(errno));
    } else {
        free(out->tmp);
        out->tmp = NULL; /* renamed: nothing to remove any more */
        if (fsync(out->dirfd) != 0)
            st = cli_err(err, B8G_IO, "cannot sync the directory of %s: %s", out->path,
                         strerror(errno));
    }
    cli_output_discard(out);
    return st;
}

void cli_output_discard(CliOutput *out)
{
    if (out->tmp && out->dirfd >= 0) unlinkat(out->dirfd, out->tmp, 0);
    if (out->fd >= 0) close(out->fd);
    if (out->dirfd >= 0) close(out->dirfd);
    free(out->tmp);
    free(out->name);
    out->tmp = out->name = NULL;
    out->fd = out->dirfd = -1;
}
