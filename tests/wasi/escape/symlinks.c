/*
 * symlinks.c - symlinks that lead out: absolute ones (to /etc, to the
 * canary by its host path), relative ones that climb out directly, through
 * a chain or from deep down, planted by the host or made by the guest.
 * Following them is refused wherever it happens (a middle component, the
 * final one with LOOKUP_SYMLINK_FOLLOW, O_CREAT through a dangling one);
 * the links themselves stay visible as links.  Links to system files are
 * only ever read through; what would change a file aims at the canaries.
 */
#include <fcntl.h>
#include <unistd.h>

#include "escape.h"

/* Following `link` out, by every read-only operation. */
static void deny_follow(const char *link)
{
    char what[128], path[96];
    snprintf(what, sizeof what, "open %s (followed)", link);
    deny(what, try_read(SANDBOX, FOLLOW, link), __WASI_ERRNO_NOTCAPABLE);
    snprintf(what, sizeof what, "stat %s (followed)", link);
    deny(what, try_stat(SANDBOX, FOLLOW, link), __WASI_ERRNO_NOTCAPABLE);
    snprintf(path, sizeof path, "%s/", link);
    snprintf(what, sizeof what, "stat %s (trailing slash follows)", path);
    deny(what, try_stat(SANDBOX, 0, path), __WASI_ERRNO_NOTCAPABLE);
    snprintf(what, sizeof what, "open %s unfollowed (ELOOP, as a link)", link);
    deny(what, try_read(SANDBOX, 0, link), __WASI_ERRNO_LOOP);
}

/* ...and by the ones that change their target.  Only for links whose
 * target is a canary of the scratch tree: a broken sandbox must not be
 * able to touch the host's own files while being tested. */
static void deny_follow_change(const char *link)
{
    char what[128];
    __wasi_fd_t fd;
    deny_follow(link);
    snprintf(what, sizeof what, "set_times %s (followed)", link);
    deny(what, __wasi_path_filestat_set_times(SANDBOX, FOLLOW, link, 0, 0,
                                              __WASI_FSTFLAGS_MTIM),
         __WASI_ERRNO_NOTCAPABLE);
    snprintf(what, sizeof what, "link %s (followed) -> hl", link);
    deny(what, __wasi_path_link(SANDBOX, FOLLOW, link, SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    snprintf(what, sizeof what, "truncate %s (followed)", link);
    deny(what, esc_open(SANDBOX, FOLLOW, link, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
}

int main(void)
{
    /* Planted by the host. */
    deny_follow("etc_link");
    deny_follow("passwd_link");
    deny_follow_change("abs_out");
    deny_follow("up");
    deny_follow_change("out_rel");
    deny_follow_change("chain1");
    deny_follow_change("sub/chain2");
    deny_follow("a");
    deny_follow_change("deep/d1/d2/d3/out");
    deny("open etc_link/passwd", try_read(SANDBOX, 0, "etc_link/passwd"), __WASI_ERRNO_NOTCAPABLE);
    deny("open up/outside.txt", try_read(SANDBOX, 0, "up/outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("open up/root/file.txt", try_read(SANDBOX, 0, "up/root/file.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("open a/tmp", try_read(SANDBOX, 0, "a/tmp"), __WASI_ERRNO_NOTCAPABLE);
    deny("open abs_dir/secret.txt", try_read(SANDBOX, 0, "abs_dir/secret.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create abs_dir/ESCAPED-x", try_create(SANDBOX, "abs_dir/ESCAPED-x"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create up/ESCAPED-up.txt", try_create(SANDBOX, "up/ESCAPED-up.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create through dangling_out (-> ../ESCAPED-dangling.txt)",
         try_create(SANDBOX, "dangling_out"), __WASI_ERRNO_NOTCAPABLE);
    deny("mkdir up/ESCAPED-dir", __wasi_path_create_directory(SANDBOX, "up/ESCAPED-dir"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("unlink up/outside.txt", __wasi_path_unlink_file(SANDBOX, "up/outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("symlink at up/ESCAPED-sym", __wasi_path_symlink("x", SANDBOX, "up/ESCAPED-sym"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("open loop1 (a loop)", try_read(SANDBOX, FOLLOW, "loop1"), __WASI_ERRNO_LOOP);

    /* Made by the guest: absolute targets are refused outright... */
    deny("symlink /etc -> mylink", __wasi_path_symlink("/etc", SANDBOX, "mylink"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("symlink /etc/passwd -> sub/mylink",
         __wasi_path_symlink("/etc/passwd", SANDBOX, "sub/mylink"), __WASI_ERRNO_NOTCAPABLE);
    /* ...relative ones are stored as given but never followed out. */
    must("symlink ../../../../../../etc -> g_etc",
         __wasi_path_symlink("../../../../../../etc", SANDBOX, "g_etc"));
    must("symlink ../outside.txt -> g_out", __wasi_path_symlink("../outside.txt", SANDBOX, "g_out"));
    must("mkdir g1", __wasi_path_create_directory(SANDBOX, "g1"));
    must("mkdir g1/g2", __wasi_path_create_directory(SANDBOX, "g1/g2"));
    must("symlink ../../g_out -> g1/g2/hop", __wasi_path_symlink("../../g_out", SANDBOX, "g1/g2/hop"));
    must("symlink g1/g2/hop -> g_chain", __wasi_path_symlink("g1/g2/hop", SANDBOX, "g_chain"));
    must("symlink g1/../.. -> g_up2", __wasi_path_symlink("g1/../..", SANDBOX, "g_up2"));
    deny_follow("g_etc");
    deny_follow_change("g_out");
    deny_follow_change("g_chain");
    deny_follow("g_up2");
    deny("open g_etc/passwd", try_read(SANDBOX, 0, "g_etc/passwd"), __WASI_ERRNO_NOTCAPABLE);
    deny("open g_up2/outside.txt", try_read(SANDBOX, 0, "g_up2/outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create g_up2/ESCAPED-g.txt", try_create(SANDBOX, "g_up2/ESCAPED-g.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    /* A link that stays inside works, and its content reads back as is. */
    must("symlink sub/inner.txt -> g_in", __wasi_path_symlink("sub/inner.txt", SANDBOX, "g_in"));
    must("open g_in (followed, inside)", try_read(SANDBOX, FOLLOW, "g_in"));
    uint8_t buf[64];
    __wasi_size_t used = 0;
    must("readlink etc_link", __wasi_path_readlink(SANDBOX, "etc_link", buf, sizeof buf, &used));
    fact("readlink etc_link gives its text only", used == 4 && !memcmp(buf, "/etc", 4));
    /* The POSIX layer follows the same way. */
    fact("libc open(/sandbox/etc_link/passwd) fails", open("/sandbox/etc_link/passwd", O_RDONLY) < 0);
    fact("libc open(/sandbox/g_chain) fails", open("/sandbox/g_chain", O_RDONLY) < 0);
    fact("libc open(/sandbox/dangling_out, O_CREAT) fails",
         open("/sandbox/dangling_out", O_WRONLY | O_CREAT, 0644) < 0);
    return esc_finish();
}
