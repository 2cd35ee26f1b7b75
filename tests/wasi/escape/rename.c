/*
 * rename.c - renaming out of the preopen, into it from outside, through
 * symlinks that lead out, and from or into the read-only preopen.
 */
#include "escape.h"

int main(void)
{
    deny("rename file.txt -> ../ESCAPED-moved",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "../ESCAPED-moved"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename file.txt -> up/ESCAPED-moved",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "up/ESCAPED-moved"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename file.txt -> abs_dir/ESCAPED-moved",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "abs_dir/ESCAPED-moved"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("rename file.txt -> a/ESCAPED-moved",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "a/ESCAPED-moved"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename sub -> ../ESCAPED-sub",
         __wasi_path_rename(SANDBOX, "sub", SANDBOX, "../ESCAPED-sub"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename sub -> sub/../../ESCAPED-sub",
         __wasi_path_rename(SANDBOX, "sub", SANDBOX, "sub/../../ESCAPED-sub"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename ../outside.txt -> stolen",
         __wasi_path_rename(SANDBOX, "../outside.txt", SANDBOX, "stolen"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename up/outside.txt -> stolen",
         __wasi_path_rename(SANDBOX, "up/outside.txt", SANDBOX, "stolen"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename ../outside_dir -> stolen_dir",
         __wasi_path_rename(SANDBOX, "../outside_dir", SANDBOX, "stolen_dir"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename abs_dir/secret.txt -> stolen",
         __wasi_path_rename(SANDBOX, "abs_dir/secret.txt", SANDBOX, "stolen"), __WASI_ERRNO_NOTCAPABLE);
    /* The preopen itself cannot be moved, nor anything moved onto it. */
    deny("rename .. -> x", __wasi_path_rename(SANDBOX, "..", SANDBOX, "x"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename . -> x", __wasi_path_rename(SANDBOX, ".", SANDBOX, "x"), __WASI_ERRNO_BUSY);
    deny("rename sub/.. -> x", __wasi_path_rename(SANDBOX, "sub/..", SANDBOX, "x"), __WASI_ERRNO_BUSY);
    deny("rename sub -> ..", __wasi_path_rename(SANDBOX, "sub", SANDBOX, ".."), __WASI_ERRNO_NOTCAPABLE);
    deny("rename sub -> .", __wasi_path_rename(SANDBOX, "sub", SANDBOX, "."), __WASI_ERRNO_BUSY);
    /* Across preopens only with both rights: never from or into :ro. */
    deny("rename ro:ro.txt -> sandbox:stolen",
         __wasi_path_rename(RO, "ro.txt", SANDBOX, "stolen"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename sandbox:file.txt -> ro:planted",
         __wasi_path_rename(SANDBOX, "file.txt", RO, "planted"), __WASI_ERRNO_NOTCAPABLE);
    deny("rename ro:rosub -> sandbox:stolen_dir",
         __wasi_path_rename(RO, "rosub", SANDBOX, "stolen_dir"), __WASI_ERRNO_NOTCAPABLE);
    /* From a directory opened beneath the preopen, its parent is out. */
    __wasi_fd_t sub;
    must("open sub", open_dir(SANDBOX, "sub", &sub));
    deny("from sub: rename inner.txt -> ../moved",
         __wasi_path_rename(sub, "inner.txt", sub, "../moved"), __WASI_ERRNO_NOTCAPABLE);
    deny("from sub: rename ../file.txt -> moved",
         __wasi_path_rename(sub, "../file.txt", sub, "moved"), __WASI_ERRNO_NOTCAPABLE);
    /* Inside, renames work, across directories too. */
    must("rename file.txt -> sub/moved.txt",
         __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "sub/moved.txt"));
    must("rename sub:moved.txt -> sandbox:file.txt",
         __wasi_path_rename(sub, "moved.txt", SANDBOX, "file.txt"));
    __wasi_filestat_t st;
    must("stat file.txt", __wasi_path_filestat_get(SANDBOX, 0, "file.txt", &st));
    return esc_finish();
}
