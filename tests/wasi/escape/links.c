/*
 * links.c - hard links: no link can give a name inside the sandbox to a
 * file outside it (or to a read-only file), nor a name outside to a file
 * inside.  Checked from the host too: the canary's link count stays 1.
 */
#include "escape.h"

int main(void)
{
    deny("link ../outside.txt -> hl", __wasi_path_link(SANDBOX, 0, "../outside.txt", SANDBOX, "hl"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("link up/outside.txt -> hl", __wasi_path_link(SANDBOX, 0, "up/outside.txt", SANDBOX, "hl"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("link abs_dir/secret.txt -> hl",
         __wasi_path_link(SANDBOX, 0, "abs_dir/secret.txt", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link out_rel (followed) -> hl",
         __wasi_path_link(SANDBOX, FOLLOW, "out_rel", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link abs_out (followed) -> hl",
         __wasi_path_link(SANDBOX, FOLLOW, "abs_out", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link sub/chain2 (followed) -> hl",
         __wasi_path_link(SANDBOX, FOLLOW, "sub/chain2", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link chain1 (followed) -> hl",
         __wasi_path_link(SANDBOX, FOLLOW, "chain1", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link file.txt -> ../ESCAPED-hl",
         __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "../ESCAPED-hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link file.txt -> up/ESCAPED-hl",
         __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "up/ESCAPED-hl"), __WASI_ERRNO_NOTCAPABLE);
    deny("link file.txt -> abs_dir/ESCAPED-hl",
         __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "abs_dir/ESCAPED-hl"),
         __WASI_ERRNO_NOTCAPABLE);
    deny("link file.txt -> dangling_out/x (through a link out)",
         __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "dangling_out/x"),
         __WASI_ERRNO_NOTCAPABLE);
    /* The read-only preopen can neither lend nor receive a name. */
    deny("link ro:ro.txt -> sandbox:stolen",
         __wasi_path_link(RO, 0, "ro.txt", SANDBOX, "stolen"), __WASI_ERRNO_NOTCAPABLE);
    deny("link sandbox:file.txt -> ro:planted",
         __wasi_path_link(SANDBOX, 0, "file.txt", RO, "planted"), __WASI_ERRNO_NOTCAPABLE);
    deny("link ro:rolink (followed) -> sandbox:hl",
         __wasi_path_link(RO, FOLLOW, "rolink", SANDBOX, "hl"), __WASI_ERRNO_NOTCAPABLE);
    /* Directories cannot be linked at all. */
    deny("link sub -> sub2", __wasi_path_link(SANDBOX, 0, "sub", SANDBOX, "sub2"), __WASI_ERRNO_PERM);
    deny("link sub/ -> sub2", __wasi_path_link(SANDBOX, 0, "sub/", SANDBOX, "sub2"),
         __WASI_ERRNO_PERM);
    deny("link . -> self", __wasi_path_link(SANDBOX, 0, ".", SANDBOX, "self"), __WASI_ERRNO_PERM);
    /* Unfollowed, a link to a symlink copies the symlink, which still
     * cannot be followed out. */
    must("link out_rel (unfollowed) -> hl_sym",
         __wasi_path_link(SANDBOX, 0, "out_rel", SANDBOX, "hl_sym"));
    deny("open hl_sym (followed)", try_read(SANDBOX, FOLLOW, "hl_sym"), __WASI_ERRNO_NOTCAPABLE);
    /* Inside, linking works (and follows links that stay inside). */
    must("link file.txt -> hl_in", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "hl_in"));
    must("symlink sub/inner.txt -> in_link",
         __wasi_path_symlink("sub/inner.txt", SANDBOX, "in_link"));
    must("link in_link (followed) -> hl_in2",
         __wasi_path_link(SANDBOX, FOLLOW, "in_link", SANDBOX, "hl_in2"));
    __wasi_filestat_t st;
    must("stat hl_in2", __wasi_path_filestat_get(SANDBOX, 0, "hl_in2", &st));
    fact("hl_in2 is the regular file sub/inner.txt",
         st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.nlink == 2);
    return esc_finish();
}
