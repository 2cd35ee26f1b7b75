/*
 * code.c - the translated code an image may carry for its module
 * (image.h ImgCode, exec/xlstore.h): written at capture, checked against
 * the module at every open, and handed to the module only by trusted
 * opens of the same build.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/xlstore.h"
#include "snap/snap.h"
#include "util/err.h"

/* Has function i (defined) been translated: always in an eager module,
 * once called in a lazy one. */
static bool translated(const Module *m, uint32_t i)
{
    const XlFunc *x = __atomic_load_n(&m->funcs[i].xl, __ATOMIC_ACQUIRE);
    return x && x != m->funcs[i].stub;
}

b8g_status snap_code_capture(const Module *m, Buf *out, b8g_error *err)
{
    /* Chosen once: a store on another thread may be translating more of
     * a shared module meanwhile. */
    uint32_t ndefined = m->nfuncs - m->nimported_funcs, n = 0;
    uint32_t *which = xmalloc((ndefined ? ndefined : 1) * sizeof *which);
    for (uint32_t i = 0; i < ndefined; i++)
        if (translated(m, i)) which[n++] = i;
    uint8_t *build = buf_grow(out, IMG_BUILD_LEN);
    memset(build, 0, IMG_BUILD_LEN);
    memcpy(build, xl_build_id(), strlen(xl_build_id()));
    buf_u64(out, 0); /* the checksum, once all is written */
    buf_u32(out, n);
    buf_u32(out, 0);
    size_t records = out->n;
    memset(buf_grow(out, (size_t)n * IMG_CODE_FUNC_LEN), 0, (size_t)n * IMG_CODE_FUNC_LEN);
    b8g_status st = B8G_OK;
    for (uint32_t r = 0; r < n && !st; r++) {
        uint32_t i = which[r];
        XlExport e;
        st = xl_export(m, m->nimported_funcs + i, &e, err);
        if (st) break;
        buf_align(out, 0, 8);
        size_t rec = records + (size_t)r * IMG_CODE_FUNC_LEN;
        buf_set_le(out, rec, m->nimported_funcs + i, 4);
        buf_set_le(out, rec + 4, e.nunits, 4);
        buf_set_le(out, rec + 8, e.nstarts, 4);
        buf_set_le(out, rec + 12, e.nmap, 4);
        buf_set_le(out, rec + 16, e.max_height, 4);
        buf_set_le(out, rec + 24, out->n, 8);
        buf_put(out, e.units, (size_t)e.nunits * sizeof *e.units);
        buf_align(out, 0, 4);
        buf_put(out, e.starts, (size_t)e.nstarts * sizeof *e.starts);
        buf_put(out, e.map, (size_t)e.nmap * sizeof *e.map);
        xl_export_free(&e);
    }
    free(which);
    buf_align(out, 0, 8);
    buf_set_le(out, IMG_CODE_OFF_SUM, img_code_checksum(out->p, out->n), 8);
    return st;
}

b8g_status snap_code_check(const Image *img, const Module *m, b8g_error *err)
{
    const ImgCode *k = &img->code;
    for (uint32_t i = 0; i < k->nfuncs; i++)
        if (k->funcs[i].func < m->nimported_funcs || k->funcs[i].func >= m->nfuncs)
            return err_set(err, B8G_IMAGE, k->off + IMG_CODE_HEAD + (uint64_t)i * IMG_CODE_FUNC_LEN,
                           "code record %u: function %u is not one the module defines", i,
                           k->funcs[i].func);
    return B8G_OK;
}

bool snap_code_usable(const Image *img)
{
    return img->code.nfuncs && strcmp(img->code.build, xl_build_id()) == 0;
}

/* The code data as the module's own memory, which outlives the image:
 * mapped again from the file (the pages stay shared with the page cache),
 * or copied if that mapping fails. */
static const uint8_t *own_code_data(const Image *img, Module *m)
{
    const ImgCode *k = &img->code;
    if (img->fd >= 0) { /* always, for a trusted open */
        uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), skip = k->off % page;
        void *p = mmap(NULL, (size_t)(k->len + skip), PROT_READ, MAP_PRIVATE, img->fd,
                       (off_t)(k->off - skip));
        if (p != MAP_FAILED) {
            m->stored_mem = p;
            m->stored_len = (size_t)(k->len + skip);
            m->stored_mapped = true;
            return (const uint8_t *)p + skip;
        }
    }
    m->stored_mem = xmalloc((size_t)k->len);
    m->stored_len = (size_t)k->len;
    memcpy(m->stored_mem, img->bytes + k->off, (size_t)k->len);
    return m->stored_mem;
}

void snap_code_attach(const Image *img, Module *m)
{
    const ImgCode *k = &img->code;
    const uint8_t *data = own_code_data(img, m);
    m->stored = xcalloc(k->nfuncs, sizeof *m->stored);
    for (uint32_t i = 0; i < k->nfuncs; i++) {
        const ImgCodeFunc *f = &k->funcs[i];
        XlStored *s = &m->stored[i];
        const uint8_t *at = data + f->data;
        s->nunits = f->nunits;
        s->nstarts = f->nstarts;
        s->nmap = f->nmap;
        s->max_height = f->max_height;
        s->units = at;
        s->starts = at + ((uint64_t)f->nunits * 2 + 3) / 4 * 4;
        s->map = s->starts + (uint64_t)f->nstarts * 4;
        m->funcs[f->func - m->nimported_funcs].stored = s;
    }
}
