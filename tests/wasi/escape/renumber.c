/*
 * renumber.c - fd_renumber cannot turn a preopen into something else or
 * something else into a preopen, and rights travel with the descriptor
 * they belong to, never with the number.
 */
#include "escape.h"

int main(void)
{
    __wasi_fd_t file, rosub, sub;
    must("open file.txt", esc_open(SANDBOX, 0, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0, &file));
    deny("renumber file onto the preopen", __wasi_fd_renumber(file, SANDBOX), __WASI_ERRNO_NOTSUP);
    deny("renumber the preopen onto file", __wasi_fd_renumber(SANDBOX, file), __WASI_ERRNO_NOTSUP);
    deny("renumber the rw preopen onto the ro one", __wasi_fd_renumber(SANDBOX, RO),
         __WASI_ERRNO_NOTSUP);
    deny("renumber the ro preopen onto the rw one", __wasi_fd_renumber(RO, SANDBOX),
         __WASI_ERRNO_NOTSUP);
    /* The preopens are still what they were. */
    must("the preopen still opens file.txt", try_read(SANDBOX, 0, "file.txt"));
    __wasi_prestat_t ps;
    must("the preopen still has its prestat", __wasi_fd_prestat_get(SANDBOX, &ps));
    deny("the file still has no PATH_OPEN", try_read(file, 0, "x"), __WASI_ERRNO_NOTCAPABLE);
    deny("the file cannot reach ..", try_read(file, 0, "../outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    deny("the ro preopen still cannot create", try_create(RO, "new.txt"), __WASI_ERRNO_NOTCAPABLE);
    /* Between ordinary descriptors: the read-only directory moved onto a
     * writable directory's number stays read-only. */
    must("open ro/rosub", open_dir(RO, "rosub", &rosub));
    must("open sub", open_dir(SANDBOX, "sub", &sub));
    must("create through sub", try_create(sub, "made.txt"));
    must("renumber rosub onto sub", __wasi_fd_renumber(rosub, sub));
    deny("create through the renumbered rosub", try_create(sub, "ESCAPED-ro.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    must("it is rosub now", try_read(sub, 0, "x.txt"));
    deny("the old number is gone", try_read(rosub, 0, "x.txt"), __WASI_ERRNO_BADF);
    /* A file renumbered onto a directory's number is still a file. */
    __wasi_fd_t dir2;
    must("open sub again", open_dir(SANDBOX, "sub", &dir2));
    must("renumber file onto it", __wasi_fd_renumber(file, dir2));
    deny("path_open through the renumbered file", try_read(dir2, 0, "inner.txt"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("renumber from a closed number", __wasi_fd_renumber(file, dir2), __WASI_ERRNO_BADF);
    deny("renumber onto a free number", __wasi_fd_renumber(dir2, 1000), __WASI_ERRNO_BADF);
    return esc_finish();
}
