/*
 * fuzz_path.c - libFuzzer target: WASI path resolution beneath a directory.
 *
 * Once per process a scratch tree is built in a fresh temporary directory:
 *
 *   TMP/outside            a file the guest must never reach
 *   TMP/box/               the directory paths resolve beneath
 *       a  d/  d/e  d/sub/  in -> a  dirlink -> d  self -> .
 *       up -> ../outside  updir -> ..  abs -> /etc/passwd
 *       deep -> d/sub/../../up  loop1 <-> loop2  ddot -> d/..
 *
 * The input's first byte picks open flags, whether the final component is
 * followed and whether the fallback walk is forced; the rest is the guest
 * path.  Whatever is opened, and every parent directory resolved, must
 * have its real path (read back through /proc/self/fd) inside box; the
 * base name handed out must be a single component.  Anything else aborts.
 */
#define _GNU_SOURCE /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/resolve.h"

static char box_real[PATH_MAX];
static size_t box_len;
static int box_fd = -1;
static char top_dir[] = "/tmp/b8g-fuzz-path-XXXXXX";

static void must(int ok, const char *what)
{
    if (!ok) {
        perror(what);
        abort();
    }
}

static void put_file(int dir, const char *name)
{
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    must(fd >= 0, name);
    must(write(fd, name, strlen(name)) >= 0, "write");
    close(fd);
}

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

/* The scratch tree goes when the process ends normally (libFuzzer exits
 * through exit(); after a crash it stays, for a look at what happened). */
static void remove_tree(void)
{
    nftw(top_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void build_tree(void)
{
    char *tmpl = top_dir;
    must(mkdtemp(tmpl) != NULL, "mkdtemp");
    atexit(remove_tree);
    int top = open(tmpl, O_RDONLY | O_DIRECTORY);
    must(top >= 0, "open top");
    put_file(top, "outside");
    must(mkdirat(top, "box", 0700) == 0, "mkdir box");
    box_fd = openat(top, "box", O_RDONLY | O_DIRECTORY);
    must(box_fd >= 0, "open box");
    close(top);
    put_file(box_fd, "a");
    must(mkdirat(box_fd, "d", 0700) == 0, "mkdir d");
    must(mkdirat(box_fd, "d/sub", 0700) == 0, "mkdir d/sub");
    put_file(box_fd, "d/e");
    static const char *const links[][2] = {
        {"a", "in"}, {"d", "dirlink"}, {".", "self"},
        {"../outside", "up"}, {"..", "updir"}, {"/etc/passwd", "abs"},
        {"d/sub/../../up", "deep"}, {"loop2", "loop1"}, {"loop1", "loop2"},
        {"d/..", "ddot"}, {"../../outside", "d/sub/esc"}, {"../e", "d/sub/back"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        must(symlinkat(links[i][0], box_fd, links[i][1]) == 0, links[i][1]);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/box", tmpl);
    must(realpath(path, box_real) != NULL, "realpath box");
    box_len = strlen(box_real);
}

/* Aborts unless fd's real path is box itself or beneath it. */
static void check_inside(int fd, const char *guest, const char *what)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    must(n > 0, "readlink /proc/self/fd");
    real[n] = '\0';
    if (strncmp(real, box_real, box_len) == 0 &&
        (real[box_len] == '\0' || real[box_len] == '/'))
        return;
    fprintf(stderr, "fuzz_path: %s of \"%s\" escaped to %s\n", what, guest, real);
    abort();
}

/* Files the fuzzer creates are removed again so the tree stays the same
 * for every input (the fixture names above are never created anew). */
static void remove_created(int fd)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n <= 0) return;
    real[n] = '\0';
    unlink(real);
}

static const int open_flags[8] = {
    O_RDONLY, O_PATH, O_RDONLY | O_DIRECTORY, O_PATH | O_DIRECTORY,
    O_WRONLY | O_CREAT | O_EXCL, O_RDWR, O_WRONLY | O_CREAT | O_EXCL,
    O_RDONLY | O_NOFOLLOW,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (box_fd < 0) build_tree();
    if (size < 1) return 0;
    uint8_t sel = data[0];
    int flags = open_flags[sel & 7];
    bool follow = (sel >> 3) & 1;
    wasi_resolve_force_walk = (sel >> 4) & 1;
    static char path[WASI_PATH_MAX + 1];
    if (wasi_path_check(data + 1, size - 1, path) != 0) return 0;

    int fd = -1;
    if (wasi_resolve_open(box_fd, path, flags, 0600, follow, &fd) == 0) {
        check_inside(fd, path, "open");
        if (flags & O_CREAT) remove_created(fd);
        close(fd);
    }
    static WasiParent parent;
    parent.fd = -1;
    if (wasi_resolve_parent(box_fd, path, follow, &parent) == 0) {
        check_inside(parent.fd, path, "parent");
        if (!parent.base || !parent.base[0] || strchr(parent.base, '/')) {
            fprintf(stderr, "fuzz_path: bad base \"%s\" for \"%s\"\n",
                    parent.base ? parent.base : "(null)", path);
            abort();
        }
        wasi_parent_close(&parent);
    }
    wasi_resolve_force_walk = false;
    return 0;
}
