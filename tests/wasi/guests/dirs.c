/* dirs.c - the path_* functions on a tree inside the preopen: create and
 * remove directories, rename, unlink, symlink, readlink, link, filestat
 * get / set times with and without following symlinks, nested paths,
 * "..", directory descriptors opened beneath the preopen, and listing a
 * directory through wasi-libc's opendir (fd_readdir). */
#include <dirent.h>
#include <stdlib.h>

#include "guest.h"

/* What a directory descriptor can do (path_* operations, readdir, its own
 * filestat), and what files opened beneath it may get. */
#define DIR_RIGHTS ((__wasi_rights_t)0x7bffe00ull)
#define FILE_RIGHTS ((__wasi_rights_t)0x1ffffffull)

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names (without . and ..) of a directory, via opendir/readdir. */
static void list(const char *path)
{
    char *names[64];
    int n = 0;
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s\n", path, errname(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) && n < 64)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("ls %s:", path);
    for (int i = 0; i < n; i++) printf(" %s", names[i]), free(names[i]);
    printf("\n");
}

static const char *ftype(__wasi_filetype_t t)
{
    switch (t) {
    case __WASI_FILETYPE_DIRECTORY: return "directory";
    case __WASI_FILETYPE_REGULAR_FILE: return "regular";
    case __WASI_FILETYPE_SYMBOLIC_LINK: return "symlink";
    default: return "other";
    }
}

static __wasi_filestat_t pstat(const char *path, int follow)
{
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    __wasi_errno_t e = __wasi_path_filestat_get(3, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
    printf("stat%s %s: %s", follow ? "" : " nofollow", path, errname(e));
    /* A directory's size and link count depend on the host filesystem. */
    if (!e) printf(" %s", ftype(st.filetype));
    if (!e && st.filetype != __WASI_FILETYPE_DIRECTORY)
        printf(" size %llu nlink %llu", (unsigned long long)st.size, (unsigned long long)st.nlink);
    printf("\n");
    return st;
}

static void make_file(const char *path, const char *text)
{
    __wasi_fd_t fd;
    __wasi_size_t n;
    __wasi_errno_t e = guest_open(3, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                                  __WASI_RIGHTS_FD_WRITE, 0, &fd);
    if (!e) e = guest_write(fd, text, &n);
    if (!e) e = __wasi_fd_close(fd);
    printf("make %s: %s\n", path, errname(e));
}

static void directories(void)
{
    SHOW("mkdir a", __wasi_path_create_directory(3, "a"));
    SHOW("mkdir a again", __wasi_path_create_directory(3, "a"));
    SHOW("mkdir a/b/c (b missing)", __wasi_path_create_directory(3, "a/b/c"));
    SHOW("mkdir a/b", __wasi_path_create_directory(3, "a/b"));
    SHOW("mkdir a/b/c", __wasi_path_create_directory(3, "a/b/c"));
    make_file("a/b/c/f", "data");
    pstat("a", 1);
    pstat("a/b/c/f", 1);
    pstat("a/b/../b/c/./f", 1);
    pstat("a/b/c/f/", 1);
    pstat("a/nope", 1);
    SHOW("rmdir a (not empty)", __wasi_path_remove_directory(3, "a"));
    SHOW("rmdir a/b/c/f (a file)", __wasi_path_remove_directory(3, "a/b/c/f"));
    SHOW("rmdir nope", __wasi_path_remove_directory(3, "nope"));
    SHOW("unlink a/b (a directory)", __wasi_path_unlink_file(3, "a/b"));
    SHOW("unlink nope", __wasi_path_unlink_file(3, "nope"));
    SHOW("mkdir a/b/c/f/x (under a file)", __wasi_path_create_directory(3, "a/b/c/f/x"));
    list("/sandbox/a/b/c");
}

static void renames(void)
{
    SHOW("rename a/b/c/f -> g", __wasi_path_rename(3, "a/b/c/f", 3, "g"));
    pstat("g", 1);
    pstat("a/b/c/f", 1);
    SHOW("rename nope -> h", __wasi_path_rename(3, "nope", 3, "h"));
    SHOW("mkdir e", __wasi_path_create_directory(3, "e"));
    SHOW("rename g -> e (file onto directory)", __wasi_path_rename(3, "g", 3, "e"));
    SHOW("rename e -> a (onto non-empty directory)", __wasi_path_rename(3, "e", 3, "a"));
    SHOW("rename e -> a/b/c/e", __wasi_path_rename(3, "e", 3, "a/b/c/e"));
    SHOW("rename a -> a/b/c/e/a (into itself)", __wasi_path_rename(3, "a", 3, "a/b/c/e/a"));
    SHOW("rename a -> top", __wasi_path_rename(3, "a", 3, "top"));
    make_file("other", "other");
    SHOW("rename other -> g (replaces)", __wasi_path_rename(3, "other", 3, "g"));
    pstat("g", 1);
    list("/sandbox");
    list("/sandbox/top/b/c");
}

static void links(void)
{
    SHOW("symlink g <- lnk", __wasi_path_symlink("g", 3, "lnk"));
    SHOW("symlink again", __wasi_path_symlink("g", 3, "lnk"));
    SHOW("symlink dangling", __wasi_path_symlink("missing", 3, "dangle"));
    char buf[64];
    __wasi_size_t used = 0;
    SHOW("readlink lnk", __wasi_path_readlink(3, "lnk", (uint8_t *)buf, sizeof buf, &used));
    printf("target: %.*s (%u bytes)\n", (int)used, buf, (unsigned)used);
    SHOW("readlink dangle", __wasi_path_readlink(3, "dangle", (uint8_t *)buf, sizeof buf, &used));
    printf("target: %.*s\n", (int)used, buf);
    /* preview1 does not say what a short buffer gets: Node refuses it. */
    used = 0;
    SHOW("! readlink dangle into 3 bytes", __wasi_path_readlink(3, "dangle", (uint8_t *)buf, 3, &used));
    printf("! target: %.*s (%u bytes)\n", (int)used, buf, (unsigned)used);
    SHOW("readlink g (not a link)", __wasi_path_readlink(3, "g", (uint8_t *)buf, sizeof buf, &used));
    SHOW("readlink nope", __wasi_path_readlink(3, "nope", (uint8_t *)buf, sizeof buf, &used));
    pstat("lnk", 1);
    pstat("lnk", 0);
    pstat("dangle", 1);
    pstat("dangle", 0);

    SHOW("link g -> hard", __wasi_path_link(3, 0, "g", 3, "hard"));
    __wasi_filestat_t a = pstat("g", 1), b = pstat("hard", 1);
    FACT("same inode", a.ino == b.ino && a.dev == b.dev);
    SHOW("link g -> hard again", __wasi_path_link(3, 0, "g", 3, "hard"));
    SHOW("link nope -> x", __wasi_path_link(3, 0, "nope", 3, "x"));
    SHOW("link top -> topl (a directory)", __wasi_path_link(3, 0, "top", 3, "topl"));
    SHOW("unlink hard", __wasi_path_unlink_file(3, "hard"));
    pstat("g", 1);
    SHOW("unlink lnk", __wasi_path_unlink_file(3, "lnk"));
    pstat("g", 1);
    SHOW("unlink dangle", __wasi_path_unlink_file(3, "dangle"));
}

static void times(void)
{
    const __wasi_timestamp_t s = 1000000000ull;
    SHOW("path_filestat_set_times g",
         __wasi_path_filestat_set_times(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "g", 1100000000ull * s,
                                        1300000000ull * s, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st;
    SHOW("path_filestat_get g", __wasi_path_filestat_get(3, 0, "g", &st));
    FACT("atim set", st.atim == 1100000000ull * s);
    FACT("mtim set", st.mtim == 1300000000ull * s);
    SHOW("path_filestat_set_times mtim only",
         __wasi_path_filestat_set_times(3, 0, "g", 0, 1400000000ull * s, __WASI_FSTFLAGS_MTIM));
    SHOW("path_filestat_get g", __wasi_path_filestat_get(3, 0, "g", &st));
    FACT("atim kept", st.atim == 1100000000ull * s);
    FACT("mtim set", st.mtim == 1400000000ull * s);
    SHOW("path_filestat_set_times nope",
         __wasi_path_filestat_set_times(3, 0, "nope", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
}

static void nested(void)
{
    SHOW("mkdir top/b/c/d", __wasi_path_create_directory(3, "top/b/c/d"));
    __wasi_fd_t dir;
    SHOW("open top/b as a directory",
         __wasi_path_open(3, 0, "top/b", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, FILE_RIGHTS, 0, &dir));
    SHOW("mkdir c/d/e beneath it", __wasi_path_create_directory(dir, "c/d/e"));
    __wasi_fd_t f;
    SHOW("create c/d/e/leaf beneath it",
         __wasi_path_open(dir, 0, "c/d/e/leaf", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &f));
    SHOW("close leaf", __wasi_fd_close(f));
    pstat("top/b/c/d/e/leaf", 1);
    __wasi_filestat_t st;
    SHOW("path_filestat_get c beneath it", __wasi_path_filestat_get(dir, 0, "c", &st));
    printf("c is a %s\n", ftype(st.filetype));
    SHOW("open top/b/c/d/e/leaf with directory oflag",
         __wasi_path_open(3, 0, "top/b/c/d/e/leaf", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &f));
    SHOW("close the directory", __wasi_fd_close(dir));
    list("/sandbox/top/b/c/d/e");
    SHOW("unlink leaf", __wasi_path_unlink_file(3, "top/b/c/d/e/leaf"));
    const char *dirs[] = {"top/b/c/d/e", "top/b/c/d", "top/b/c/e", "top/b/c", "top/b", "top"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char what[64];
        snprintf(what, sizeof what, "rmdir %s", dirs[i]);
        SHOW(what, __wasi_path_remove_directory(3, dirs[i]));
    }
    list("/sandbox");
}

int main(void)
{
    directories();
    renames();
    links();
    times();
    nested();
    return 0;
}
