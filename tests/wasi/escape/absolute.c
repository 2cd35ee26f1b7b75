/*
 * absolute.c - absolute paths: the guest has no root, so a path starting
 * with '/' names nothing, whatever the operation (ENOTCAPABLE).
 *
 * argv[1] is the scratch tree's host path T, so the guest can aim at the
 * canaries by their real absolute names.  Only reads aim at system files
 * (/etc/passwd): every attempt that would change something targets T, so
 * a broken sandbox damages the scratch tree, never the host running the
 * tests.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "escape.h"

static char buf[8][512];

/* T + suffix, in one of a few rotating buffers. */
static const char *in_t(const char *t, const char *suffix)
{
    static unsigned next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", t, suffix);
    return b;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("FAIL usage: absolute.wasm SCRATCH_TREE\n");
        return 1;
    }
    const char *t = argv[1];
    __wasi_fd_t fd;
    const char *reads[] = {"/etc/passwd", "/", "//etc/passwd", "/tmp",
                           "/proc/self/root/etc/passwd", "/sandbox/file.txt",
                           in_t(t, "outside.txt"), in_t(t, "root/file.txt")};
    char what[640];
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        snprintf(what, sizeof what, "open %s", reads[i]);
        deny(what, try_read(SANDBOX, FOLLOW, reads[i]), __WASI_ERRNO_NOTCAPABLE);
        snprintf(what, sizeof what, "stat %s", reads[i]);
        deny(what, try_stat(SANDBOX, FOLLOW, reads[i]), __WASI_ERRNO_NOTCAPABLE);
    }
    deny("open / as directory", esc_open(SANDBOX, 0, "/", __WASI_OFLAGS_DIRECTORY,
                                         DIR_RIGHTS, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    deny("readlink /proc/self/exe", ({
             uint8_t b[64];
             __wasi_size_t used;
             __wasi_path_readlink(SANDBOX, "/proc/self/exe", b, sizeof b, &used);
         }),
         __WASI_ERRNO_NOTCAPABLE);
    /* Changes, all aimed at T. */
    deny("create T/ESCAPED-abs.txt", try_create(SANDBOX, in_t(t, "ESCAPED-abs.txt")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create T/ESCAPED-abs.txt from the ro preopen",
         try_create(RO, in_t(t, "ESCAPED-abs.txt")), __WASI_ERRNO_NOTCAPABLE);
    deny("truncate T/outside.txt",
         esc_open(SANDBOX, 0, in_t(t, "outside.txt"), __WASI_OFLAGS_TRUNC,
                  __WASI_RIGHTS_FD_WRITE, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    deny("mkdir T/ESCAPED-absdir",
         __wasi_path_create_directory(SANDBOX, in_t(t, "ESCAPED-absdir")), __WASI_ERRNO_NOTCAPABLE);
    deny("unlink T/outside.txt", __wasi_path_unlink_file(SANDBOX, in_t(t, "outside.txt")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("rmdir T/empty_dir", __wasi_path_remove_directory(SANDBOX, in_t(t, "empty_dir")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("rename file.txt -> T/ESCAPED-abs-moved",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, in_t(t, "ESCAPED-abs-moved")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("rename T/outside.txt -> stolen",
         __wasi_path_rename(SANDBOX, in_t(t, "outside.txt"), SANDBOX, "stolen"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("link T/outside.txt -> hl",
         __wasi_path_link(SANDBOX, 0, in_t(t, "outside.txt"), SANDBOX, "hl"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("link file.txt -> T/ESCAPED-abs-link",
         __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, in_t(t, "ESCAPED-abs-link")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("symlink at T/ESCAPED-abs-sym",
         __wasi_path_symlink("file.txt", SANDBOX, in_t(t, "ESCAPED-abs-sym")),
         __WASI_ERRNO_NOTCAPABLE);
    deny("set_times T/outside.txt",
         __wasi_path_filestat_set_times(SANDBOX, 0, in_t(t, "outside.txt"), 0, 0,
                                        __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_NOTCAPABLE);
    /* Through the POSIX layer: a path outside every preopen has no
     * descriptor to start from at all. */
    fact("libc open(/etc/passwd) fails", open("/etc/passwd", O_RDONLY) < 0);
    fact("libc open(T/outside.txt, O_WRONLY|O_TRUNC) fails",
         open(in_t(t, "outside.txt"), O_WRONLY | O_TRUNC) < 0);
    fact("libc mkdir(T/ESCAPED-libc) fails", mkdir(in_t(t, "ESCAPED-libc"), 0755) < 0);
    return esc_finish();
}
