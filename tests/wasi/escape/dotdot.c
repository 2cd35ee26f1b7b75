/*
 * dotdot.c - `..` chains: no number or placement of `..` climbs above a
 * preopen, for any operation; `..` that stays inside keeps working.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "escape.h"

int main(void)
{
    __wasi_fd_t fd;
    must("mkdir x", __wasi_path_create_directory(SANDBOX, "x"));
    must("mkdir x/y", __wasi_path_create_directory(SANDBOX, "x/y"));
    must("open sub/../file.txt (stays inside)", try_read(SANDBOX, 0, "sub/../file.txt"));
    must("open x/y/../../sub/inner.txt", try_read(SANDBOX, 0, "x/y/../../sub/inner.txt"));

    deny("open ..", esc_open(SANDBOX, 0, "..", __WASI_OFLAGS_DIRECTORY,
                             __WASI_RIGHTS_FD_READDIR, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    deny("open ../outside.txt", try_read(SANDBOX, 0, "../outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("open ../../../../../../../../etc/passwd",
         try_read(SANDBOX, 0, "../../../../../../../../etc/passwd"), __WASI_ERRNO_NOTCAPABLE);
    deny("open sub/../../outside.txt", try_read(SANDBOX, 0, "sub/../../outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("open x/y/../../../outside.txt", try_read(SANDBOX, 0, "x/y/../../../outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("open ./x/./y/.././../../outside_dir/secret.txt",
         try_read(SANDBOX, 0, "./x/./y/.././../../outside_dir/secret.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("open ../root/file.txt (out and back in)", try_read(SANDBOX, 0, "../root/file.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("open sub/nonexistent/../../../outside.txt",
         try_read(SANDBOX, 0, "sub/nonexistent/../../../outside.txt"), __WASI_ERRNO_NOENT);
    deny("create ../ESCAPED-dotdot.txt", try_create(SANDBOX, "../ESCAPED-dotdot.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("create x/../../ESCAPED-dotdot2.txt",
         try_create(SANDBOX, "x/../../ESCAPED-dotdot2.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("mkdir ../ESCAPED-dir", __wasi_path_create_directory(SANDBOX, "../ESCAPED-dir"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("stat ../outside.txt", try_stat(SANDBOX, 0, "../outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("stat ..", try_stat(SANDBOX, 0, ".."), __WASI_ERRNO_NOTCAPABLE);
    deny("stat x/../..", try_stat(SANDBOX, 0, "x/../.."), __WASI_ERRNO_NOTCAPABLE);
    deny("unlink ../outside.txt", __wasi_path_unlink_file(SANDBOX, "../outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("unlink sub/../../outside.txt",
         __wasi_path_unlink_file(SANDBOX, "sub/../../outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("rmdir ../outside_dir", __wasi_path_remove_directory(SANDBOX, "../outside_dir"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("rmdir ..", __wasi_path_remove_directory(SANDBOX, ".."), __WASI_ERRNO_NOTCAPABLE);
    deny("rmdir . (the preopen itself)", __wasi_path_remove_directory(SANDBOX, "."),
         __WASI_ERRNO_INVAL);
    deny("rmdir x/.. (the preopen itself)", __wasi_path_remove_directory(SANDBOX, "x/.."),
         __WASI_ERRNO_INVAL);
    deny("set_times ../outside.txt",
         __wasi_path_filestat_set_times(SANDBOX, 0, "../outside.txt", 0, 0,
                                        __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_ATIM),
         __WASI_ERRNO_NOTCAPABLE);
    deny("readlink ../x", ({
             uint8_t buf[64];
             __wasi_size_t used;
             __wasi_path_readlink(SANDBOX, "../x", buf, sizeof buf, &used);
         }),
         __WASI_ERRNO_NOTCAPABLE);
    /* From a directory opened beneath the preopen, `..` reaches the
     * preopen but never above it. */
    __wasi_fd_t xy;
    must("open x/y", open_dir(SANDBOX, "x/y", &xy));
    deny("from x/y: open ../../../outside.txt", try_read(xy, 0, "../../../outside.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("from x/y: open ../../file.txt (above the descriptor)",
         try_read(xy, 0, "../../file.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("from x/y: open ..", try_read(xy, 0, ".."), __WASI_ERRNO_NOTCAPABLE);
    /* The POSIX layer normalises "/sandbox/.." itself; the engine must
     * still refuse what reaches it. */
    int pfd = open("/sandbox/../outside.txt", O_RDONLY);
    fact("libc open(/sandbox/../outside.txt) fails", pfd < 0);
    pfd = open("/sandbox/x/../../ESCAPED-libc.txt", O_WRONLY | O_CREAT, 0644);
    fact("libc open(/sandbox/x/../../ESCAPED-libc.txt, O_CREAT) fails", pfd < 0);
    return esc_finish();
}
