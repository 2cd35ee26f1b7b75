/*
 * resolve_test.c - guest paths beneath a directory: every way out fails
 * closed with the exact WASI errno, the ways that stay inside work, and
 * both hold for openat2 and for the fallback walk (forced).
 *
 * The scratch tree (made in a mkdtemp directory TOP; ROOT plays the
 * preopen):
 *
 *   TOP/outside.txt              the canary nothing may reach
 *   TOP/root/file.txt            "file"
 *   TOP/root/sub/inner.txt       "inner"
 *   TOP/root/sub/deep/
 *   TOP/root/b/                  empty directory
 *   TOP/root/etc -> /etc         absolute
 *   TOP/root/up -> ..            one level out
 *   TOP/root/a -> b/../../..     relative, climbs out through b
 *   TOP/root/chain -> sub/hop    a chain whose second link leaves:
 *   TOP/root/sub/hop -> ../../outside.txt
 *   TOP/root/loop1 <-> loop2     a loop
 *   TOP/root/inlink -> sub/inner.txt, dirlink -> sub,
 *   TOP/root/back -> sub/../file.txt   links that stay inside
 *   TOP/root/dangling -> made     dangling, inside
 *   TOP/root/l0 -> l1 -> ... -> l40 -> file.txt   41 links: one too many
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi/resolve.h"
#include "wasi/wasi.h"

static char top[64];
static int rootfd = -1;

static void put_file(int dfd, const char *name, const char *text)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void link_at(const char *target, const char *name)
{
    assert_int_equal(symlinkat(target, rootfd, name), 0);
}

static int make_tree(void **state)
{
    (void)state;
    strcpy(top, "/tmp/b8g-resolve-XXXXXX");
    if (!mkdtemp(top)) return -1;
    int tfd = open(top, O_RDONLY | O_DIRECTORY);
    put_file(tfd, "outside.txt", "canary");
    mkdirat(tfd, "root", 0755);
    /* Opened the way wasi.c opens a preopen. */
    rootfd = openat(tfd, "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(tfd);
    put_file(rootfd, "file.txt", "file");
    mkdirat(rootfd, "sub", 0755);
    mkdirat(rootfd, "sub/deep", 0755);
    mkdirat(rootfd, "b", 0755);
    put_file(rootfd, "sub/inner.txt", "inner");
    link_at("/etc", "etc");
    link_at("..", "up");
    link_at("b/../../..", "a");
    link_at("sub/hop", "chain");
    link_at("../../outside.txt", "sub/hop");
    link_at("loop2", "loop1");
    link_at("loop1", "loop2");
    link_at("sub/inner.txt", "inlink");
    link_at("sub", "dirlink");
    link_at("sub/../file.txt", "back");
    link_at("made", "dangling");
    char name[16], next[16];
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "l%d", i);
        snprintf(next, sizeof next, "l%d", i + 1);
        link_at(i == 40 ? "file.txt" : next, name);
    }
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static int remove_tree(void **state)
{
    (void)state;
    if (rootfd >= 0) close(rootfd);
    return nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Descriptors open in this process: the walk must not leak any. */
static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

/* The canary outside is unchanged. */
static void assert_canary(void)
{
    char buf[16] = {0};
    char path[96];
    snprintf(path, sizeof path, "%s/outside.txt", top);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, buf, sizeof buf - 1), 6);
    close(fd);
    assert_string_equal(buf, "canary");
}

typedef struct OpenCase {
    const char *path;
    int flags;
    bool follow;
    int want;          /* WASI errno */
    const char *text;  /* expected content when opened for reading */
} OpenCase;

#define RD O_RDONLY
#define DIRP (O_PATH | O_DIRECTORY)

static const OpenCase open_cases[] = {
    /* inside */
    {"file.txt", RD, false, WASI_ESUCCESS, "file"},
    {"sub/inner.txt", RD, false, WASI_ESUCCESS, "inner"},
    {"./sub/./inner.txt", RD, false, WASI_ESUCCESS, "inner"},
    {"sub//inner.txt", RD, false, WASI_ESUCCESS, "inner"},
    {"sub/../file.txt", RD, false, WASI_ESUCCESS, "file"},
    {"sub/deep/../../file.txt", RD, false, WASI_ESUCCESS, "file"},
    {".", DIRP, false, WASI_ESUCCESS, NULL},
    {"sub/..", DIRP, false, WASI_ESUCCESS, NULL},
    {"sub/", DIRP, false, WASI_ESUCCESS, NULL},
    {"inlink", RD, true, WASI_ESUCCESS, "inner"},
    {"dirlink/inner.txt", RD, false, WASI_ESUCCESS, "inner"},
    {"back", RD, true, WASI_ESUCCESS, "file"},
    {"l1", RD, true, WASI_ESUCCESS, "file"},       /* 40 links: the limit */
    {"etc", O_PATH, false, WASI_ESUCCESS, NULL},   /* the link itself */
    /* errors that are not escapes */
    {"missing", RD, false, WASI_ENOENT, NULL},
    {"file.txt/x", RD, false, WASI_ENOTDIR, NULL},
    {"inlink", RD, false, WASI_ELOOP, NULL},       /* final link, unfollowed */
    {"loop1", RD, true, WASI_ELOOP, NULL},
    {"loop1/x", RD, false, WASI_ELOOP, NULL},
    {"l0", RD, true, WASI_ELOOP, NULL},            /* 41 links */
    {"sub", O_RDWR, false, WASI_EISDIR, NULL},
    {"file.txt", DIRP, false, WASI_ENOTDIR, NULL},
    /* escapes */
    {"..", DIRP, false, WASI_ENOTCAPABLE, NULL},
    {"../outside.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"sub/../../outside.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"sub/deep/../../../outside.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"sub/deep/../../../root/file.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"../../../../../../../../etc/passwd", RD, false, WASI_ENOTCAPABLE, NULL},
    {"/etc/passwd", RD, false, WASI_ENOTCAPABLE, NULL},
    {"etc/passwd", RD, false, WASI_ENOTCAPABLE, NULL},
    {"etc", DIRP, true, WASI_ENOTCAPABLE, NULL},
    {"etc/", DIRP, false, WASI_ENOTCAPABLE, NULL},
    {"up/outside.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"up", DIRP, true, WASI_ENOTCAPABLE, NULL},
    {"a", DIRP, true, WASI_ENOTCAPABLE, NULL},
    {"a/tmp", DIRP, false, WASI_ENOTCAPABLE, NULL},
    {"chain", RD, true, WASI_ENOTCAPABLE, NULL},
    {"sub/hop", RD, true, WASI_ENOTCAPABLE, NULL},
    {"dirlink/hop", RD, true, WASI_ENOTCAPABLE, NULL},
    {"dirlink/../up/root/file.txt", RD, false, WASI_ENOTCAPABLE, NULL},
    {"../outside.txt", O_WRONLY | O_CREAT | O_TRUNC, false, WASI_ENOTCAPABLE, NULL},
    {"up/new.txt", O_WRONLY | O_CREAT, false, WASI_ENOTCAPABLE, NULL},
    {"chain", O_WRONLY | O_TRUNC, true, WASI_ENOTCAPABLE, NULL},
};

static void run_open_cases(bool walk)
{
    wasi_resolve_force_walk = walk;
    int before = count_fds();
    for (size_t i = 0; i < B8G_ARRAY_LEN(open_cases); i++) {
        const OpenCase *c = &open_cases[i];
        int fd = -2;
        int r = wasi_resolve_open(rootfd, c->path, c->flags, 0644, c->follow, &fd);
        if (r != c->want)
            fail_msg("%s: open(%s) gave errno %d, want %d",
                     walk ? "walk" : "openat2", c->path, r, c->want);
        if (r) {
            assert_int_equal(fd, -1);
            continue;
        }
        assert_true(fd >= 0);
        if (c->text) {
            char buf[16] = {0};
            assert_true(read(fd, buf, sizeof buf - 1) >= 0);
            assert_string_equal(buf, c->text);
        }
        close(fd);
    }
    assert_int_equal(count_fds(), before);
    assert_canary();
    wasi_resolve_force_walk = false;
}

static void test_open_openat2(void **state)
{
    (void)state;
    run_open_cases(false);
}

static void test_open_walk(void **state)
{
    (void)state;
    run_open_cases(true);
}

/* O_CREAT through a dangling link creates its target, inside. */
static void test_create_through_link(void **state)
{
    (void)state;
    for (int walk = 0; walk < 2; walk++) {
        wasi_resolve_force_walk = walk;
        int fd;
        assert_int_equal(wasi_resolve_open(rootfd, "dangling", O_WRONLY | O_CREAT,
                                           0644, true, &fd), 0);
        close(fd);
        struct stat st;
        assert_int_equal(fstatat(rootfd, "made", &st, 0), 0);
        assert_int_equal(unlinkat(rootfd, "made", 0), 0);
        /* Unfollowed, the link itself is in the way. */
        assert_int_equal(wasi_resolve_open(rootfd, "dangling", O_WRONLY | O_CREAT,
                                           0644, false, &fd), WASI_ELOOP);
    }
    wasi_resolve_force_walk = false;
}

typedef struct ParentCase {
    const char *path;
    bool follow;
    int want;
    const char *base;   /* expected base */
    const char *in;     /* a name that must exist in the parent, or NULL */
    bool slash;
} ParentCase;

static const ParentCase parent_cases[] = {
    {"file.txt", false, 0, "file.txt", "sub", false},
    {"sub/inner.txt", false, 0, "inner.txt", "deep", false},
    {"sub/new/", false, 0, "new", "deep", true},
    {"sub//deep//", false, 0, "deep", "inner.txt", true},
    {"sub/..", false, 0, ".", "file.txt", false},
    {".", false, 0, ".", "file.txt", false},
    {"sub/deep/..", false, 0, ".", "inner.txt", false},
    {"etc", false, 0, "etc", "file.txt", false},      /* the link, unfollowed */
    {"inlink", true, 0, "inner.txt", "deep", false},
    {"back", true, 0, "file.txt", "sub", false},
    {"dangling", true, 0, "made", "file.txt", false},
    {"l1", true, 0, "file.txt", "sub", false},
    {"l0", true, WASI_ELOOP, NULL, NULL, false},
    {"loop1", true, WASI_ELOOP, NULL, NULL, false},
    {"missing/x", false, WASI_ENOENT, NULL, NULL, false},
    {"", false, WASI_ENOENT, NULL, NULL, false},
    {"..", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"../", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"../x", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"sub/../..", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"/tmp/x", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"etc/passwd", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"etc", true, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"up/x", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"a/x", false, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"chain", true, WASI_ENOTCAPABLE, NULL, NULL, false},
    {"sub/hop", true, WASI_ENOTCAPABLE, NULL, NULL, false},
};

static void run_parent_cases(bool walk)
{
    wasi_resolve_force_walk = walk;
    int before = count_fds();
    for (size_t i = 0; i < B8G_ARRAY_LEN(parent_cases); i++) {
        const ParentCase *c = &parent_cases[i];
        WasiParent p;
        int r = wasi_resolve_parent(rootfd, c->path, c->follow, &p);
        if (r != c->want)
            fail_msg("%s: parent(%s) gave errno %d, want %d",
                     walk ? "walk" : "openat2", c->path, r, c->want);
        if (r) {
            assert_int_equal(p.fd, -1);
            continue;
        }
        assert_string_equal(p.base, c->base);
        assert_true(strchr(p.base, '/') == NULL);
        assert_int_equal(p.slash, c->slash);
        struct stat st;
        if (c->in && fstatat(p.fd, c->in, &st, AT_SYMLINK_NOFOLLOW) != 0)
            fail_msg("parent(%s): no %s in the parent", c->path, c->in);
        wasi_parent_close(&p);
        assert_int_equal(p.fd, -1);
    }
    assert_int_equal(count_fds(), before);
    wasi_resolve_force_walk = false;
}

static void test_parent_openat2(void **state)
{
    (void)state;
    run_parent_cases(false);
}

static void test_parent_walk(void **state)
{
    (void)state;
    run_parent_cases(true);
}

static void test_path_check(void **state)
{
    (void)state;
    static char buf[WASI_PATH_MAX + 1];
    static uint8_t src[WASI_PATH_MAX + 2];
    assert_int_equal(wasi_path_check((const uint8_t *)"a/b", 3, buf), 0);
    assert_string_equal(buf, "a/b");
    assert_int_equal(wasi_path_check((const uint8_t *)"a/bc", 3, buf), 0);
    assert_string_equal(buf, "a/b"); /* exactly len bytes */
    assert_int_equal(wasi_path_check((const uint8_t *)"", 0, buf), WASI_ENOENT);
    assert_int_equal(wasi_path_check((const uint8_t *)"/etc", 4, buf), WASI_ENOTCAPABLE);
    assert_int_equal(wasi_path_check((const uint8_t *)"a\0b", 3, buf), WASI_EINVAL);
    memset(src, 'a', sizeof src);
    assert_int_equal(wasi_path_check(src, WASI_PATH_MAX, buf), 0);
    assert_int_equal(strlen(buf), WASI_PATH_MAX);
    assert_int_equal(wasi_path_check(src, WASI_PATH_MAX + 1, buf), WASI_ENAMETOOLONG);
    assert_int_equal(wasi_path_check(src, UINT64_MAX, buf), WASI_ENAMETOOLONG);
}

/* Long names and long expansions stop with ENAMETOOLONG, not overflow. */
static void test_long_paths(void **state)
{
    (void)state;
    static char path[WASI_PATH_MAX + 2];
    for (int walk = 0; walk < 2; walk++) {
        wasi_resolve_force_walk = walk;
        int fd;
        WasiParent p;
        memset(path, 'x', 300);
        path[300] = 0; /* one name over NAME_MAX */
        assert_int_equal(wasi_resolve_open(rootfd, path, O_RDONLY, 0, false, &fd),
                         WASI_ENAMETOOLONG);
        /* 2000 "sub/.." steps: fine for openat2, deep for the walk, but
         * each pop frees a level so it stays within the walk's stack. */
        size_t n = 0;
        while (n + 7 < WASI_PATH_MAX - 16) n += (size_t)sprintf(path + n, "sub/../");
        strcpy(path + n, "file.txt");
        assert_int_equal(wasi_resolve_open(rootfd, path, O_RDONLY, 0, false, &fd), 0);
        close(fd);
        assert_int_equal(wasi_resolve_parent(rootfd, path, false, &p), 0);
        assert_string_equal(p.base, "file.txt");
        wasi_parent_close(&p);
        memset(path, 'a', WASI_PATH_MAX + 1); /* over the cap */
        path[WASI_PATH_MAX + 1] = 0;
        assert_int_equal(wasi_resolve_parent(rootfd, path, false, &p), WASI_ENAMETOOLONG);
        assert_int_equal(wasi_resolve_parent(rootfd, path + WASI_PATH_MAX - NAME_MAX - 1,
                                             false, &p), WASI_ENAMETOOLONG);
    }
    wasi_resolve_force_walk = false;
}

/* The walk holds one descriptor per level: deeper than its stack is
 * ENAMETOOLONG, never a crash or a leak. */
static void test_walk_depth(void **state)
{
    (void)state;
    static char path[WASI_PATH_MAX + 1];
    int dfd = openat(rootfd, "sub/deep", O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    for (unsigned i = 0; i < WASI_RESOLVE_MAX_DEPTH + 2; i++) {
        assert_int_equal(mkdirat(dfd, "d", 0755), 0);
        int next = openat(dfd, "d", O_RDONLY | O_DIRECTORY);
        close(dfd);
        dfd = next;
    }
    close(dfd);
    size_t n = 0;
    for (unsigned i = 0; i < WASI_RESOLVE_MAX_DEPTH + 2; i++)
        n += (size_t)sprintf(path + n, "d/");
    int before = count_fds();
    int fd;
    int sub = openat(rootfd, "sub/deep", O_PATH | O_DIRECTORY);
    wasi_resolve_force_walk = true;
    assert_int_equal(wasi_resolve_open(sub, path, O_PATH, 0, false, &fd),
                     WASI_ENAMETOOLONG);
    path[2 * (WASI_RESOLVE_MAX_DEPTH - 1)] = 0;
    assert_int_equal(wasi_resolve_open(sub, path, O_PATH, 0, false, &fd), 0);
    close(fd);
    wasi_resolve_force_walk = false;
    assert_int_equal(wasi_resolve_open(sub, path, O_PATH, 0, false, &fd), 0);
    close(fd);
    close(sub);
    assert_int_equal(count_fds(), before);
}

/* With /proc beneath the start, its magic links (which jump anywhere
 * without a path) are never followed: openat2 refuses them (ELOOP), the
 * walk only ever sees their text, absolute or not a name (ENOTCAPABLE,
 * ENOENT). */
static void test_magic_links(void **state)
{
    (void)state;
    int proc = open("/proc/self", O_PATH | O_DIRECTORY);
    if (proc < 0) skip();
    char fdpath[32];
    snprintf(fdpath, sizeof fdpath, "fd/%d/file.txt", rootfd);
    const char *paths[] = {"root/etc/passwd", "cwd/x", "fd/0", fdpath, "exe",
                           "root", "cwd"};
    for (int walk = 0; walk < 2; walk++) {
        wasi_resolve_force_walk = walk;
        for (size_t i = 0; i < B8G_ARRAY_LEN(paths); i++) {
            int fd = -2;
            int r = wasi_resolve_open(proc, paths[i], O_PATH, 0, true, &fd);
            if (r != WASI_ELOOP && r != WASI_ENOTCAPABLE && r != WASI_ENOENT)
                fail_msg("%s: /proc/self/%s gave errno %d",
                         walk ? "walk" : "openat2", paths[i], r);
            assert_int_equal(fd, -1);
        }
    }
    wasi_resolve_force_walk = false;
    close(proc);
}

/*
 * Races between check and use.  A second thread keeps exchanging
 * root/race (a directory holding target.txt "inside") with root/race_alt
 * (a symlink to TOP/outside_dir, whose target.txt says "canary"), and
 * moving root/mv in and out of the tree.  Every resolution must either
 * read "inside"/"file" or fail: reading anything from outside is an escape.
 */
static atomic_bool racing;

static void *swapper(void *arg)
{
    (void)arg;
    char from[96], to[96];
    snprintf(from, sizeof from, "%s/root/mv", top);
    snprintf(to, sizeof to, "%s/mv_out", top);
    for (unsigned i = 0; atomic_load(&racing); i++) {
        renameat2(rootfd, "race", rootfd, "race_alt", RENAME_EXCHANGE);
        if (i % 2) rename(from, to);
        else rename(to, from);
    }
    return NULL;
}

static void race_one(bool walk, unsigned *ok, unsigned *denied)
{
    static const struct {
        const char *path;
        bool follow;
        const char *want;
    } paths[] = {
        {"race/target.txt", false, "inside"},
        {"race/../file.txt", false, "file"},
        {"mv/d/../../file.txt", false, "file"},
        {"mv/d/../../../outside_dir/target.txt", false, NULL},
    };
    wasi_resolve_force_walk = walk;
    for (size_t i = 0; i < B8G_ARRAY_LEN(paths); i++) {
        int fd;
        int r = wasi_resolve_open(rootfd, paths[i].path, O_RDONLY, 0, paths[i].follow, &fd);
        if (r) {
            ++*denied;
            continue;
        }
        char buf[16] = {0};
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n < 0 || !paths[i].want || strncmp(buf, paths[i].want, strlen(paths[i].want)))
            fail_msg("%s: %s read \"%s\" through a race", walk ? "walk" : "openat2",
                     paths[i].path, buf);
        ++*ok;
    }
}

static void test_races(void **state)
{
    (void)state;
    int tfd = open(top, O_RDONLY | O_DIRECTORY);
    assert_int_equal(mkdirat(tfd, "outside_dir", 0755), 0);
    put_file(tfd, "outside_dir/target.txt", "canary");
    close(tfd);
    char target[96];
    snprintf(target, sizeof target, "%s/outside_dir", top);
    assert_int_equal(mkdirat(rootfd, "race", 0755), 0);
    put_file(rootfd, "race/target.txt", "inside");
    link_at(target, "race_alt");
    assert_int_equal(mkdirat(rootfd, "mv", 0755), 0);
    assert_int_equal(mkdirat(rootfd, "mv/d", 0755), 0);
    atomic_store(&racing, true);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, swapper, NULL), 0);
    unsigned ok = 0, denied = 0;
    for (int i = 0; i < 4000; i++) race_one(i % 2, &ok, &denied);
    atomic_store(&racing, false);
    pthread_join(th, NULL);
    wasi_resolve_force_walk = false;
    /* Both outcomes must have happened, or the race was not exercised. */
    print_message("races: %u opened inside, %u refused\n", ok, denied);
    assert_true(ok > 0 && denied > 0);
    assert_canary();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_check),
        cmocka_unit_test(test_open_openat2),
        cmocka_unit_test(test_open_walk),
        cmocka_unit_test(test_create_through_link),
        cmocka_unit_test(test_parent_openat2),
        cmocka_unit_test(test_parent_walk),
        cmocka_unit_test(test_long_paths),
        cmocka_unit_test(test_walk_depth),
        cmocka_unit_test(test_magic_links),
        cmocka_unit_test(test_races),
    };
    return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
