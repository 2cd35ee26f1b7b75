/*
 * confine.c - b8g_wasi_confine: confining the process to what a WASI
 * context grants.
 *
 * The Landlock rules are the context's preopened directory descriptors,
 * read-only preopens as read-only, so the kernel enforces beneath them the
 * same line resolve.c draws.  Stdio and a --stdin file were opened before
 * and stay usable.
 */
#include <stdlib.h>

#include "util/err.h"
#include "wasi/wasi.h"

b8g_status b8g_wasi_confine(const b8g_wasi *w, b8g_confine_report *report,
                            b8g_error *err)
{
    if (!w) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "b8g_wasi_confine: NULL context");
    b8g_confine_dir *dirs = xcalloc(w->npreopens + 1, sizeof *dirs);
    for (uint32_t i = 0; i < w->npreopens; i++) {
        dirs[i].fd = w->preopens[i]->fd;
        dirs[i].writable = !w->preopen_ro[i];
    }
    b8g_status st = b8g_confine_process(dirs, w->npreopens, report, err);
    free(dirs);
    return st;
}
