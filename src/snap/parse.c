/*
 * parse.c - reading a .b8g image (layout: image.h) without trusting it.
 *
 * Every read is bounds-checked against its section; every count is
 * checked against the bytes left for the smallest record it could name
 * before an array is sized by it, so no image makes the loader allocate
 * more than a small multiple of its own size.  Errors are B8G_IMAGE at the
 * file offset of the bad field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "snap/image.h"
#include "util/err.h"

typedef struct Cur {
    const uint8_t *base; /* the file: offsets in errors count from here */
    const uint8_t *p, *end;
    b8g_error *err;
} Cur;

B8G_PRINTF(2, 3)
static bool bad(Cur *c, const char *fmt, ...)
{
    b8g_error tmp;
    b8g_error *e = c->err ? c->err : &tmp;
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(e, B8G_IMAGE, (uint64_t)(c->p - c->base), "%s", msg);
    return false;
}

static bool need(Cur *c, uint64_t n, const char *what)
{
    if (n <= (uint64_t)(c->end - c->p)) return true;
    return bad(c, "truncated %s", what);
}

static bool get(Cur *c, int n, uint64_t *v, const char *what)
{
    if (!need(c, (uint64_t)n, what)) return false;
    *v = img_le(c->p, n);
    c->p += n;
    return true;
}

static bool get32(Cur *c, uint32_t *v, const char *what)
{
    uint64_t x;
    if (!get(c, 4, &x, what)) return false;
    *v = (uint32_t)x;
    return true;
}

/* A count of records of at least `each` bytes that must still fit. */
static bool count(Cur *c, uint32_t *n, uint64_t each, const char *what)
{
    const uint8_t *at = c->p;
    if (!get32(c, n, what)) return false;
    if ((uint64_t)*n * each <= (uint64_t)(c->end - c->p)) return true;
    c->p = at;
    return bad(c, "%s: count %u exceeds the bytes left", what, *n);
}

static bool bytes(Cur *c, uint64_t n, const uint8_t **out, const char *what)
{
    if (!need(c, n, what)) return false;
    *out = c->p;
    c->p += n;
    return true;
}

static bool str(Cur *c, ImgStr *s, const char *what)
{
    uint32_t n;
    const uint8_t *at = c->p, *b;
    if (!get32(c, &n, what)) return false;
    if (n > IMG_MAX_STR) {
        c->p = at;
        return bad(c, "%s: string of %u bytes (at most %u)", what, n, IMG_MAX_STR);
    }
    if (!bytes(c, n, &b, what)) return false;
    if (memchr(b, 0, n)) {
        c->p = at;
        return bad(c, "%s: string holds a NUL byte", what);
    }
    s->s = xmalloc((size_t)n + 1);
    memcpy(s->s, b, n);
    s->s[n] = 0;
    s->len = n;
    return true;
}

/* Arrays sized by validated counts: calloc so that release can run on a
 * half-parsed image. */
#define ALLOC(n, p) ((p) = (n) ? xcalloc((n), sizeof *(p)) : NULL)

/* ---- header ------------------------------------------------------------- */

typedef struct Section {
    uint64_t off, len;
} Section;

static bool section(Cur *c, uint64_t at, uint64_t min_off, Section *s, const char *what)
{
    c->p = c->base + at;
    if (!get(c, 8, &s->off, what) || !get(c, 8, &s->len, what)) return false;
    uint64_t size = (uint64_t)(c->end - c->base);
    c->p = c->base + at;
    if (s->off < min_off) return bad(c, "%s starts at 0x%llx, inside what precedes it", what,
                                     (unsigned long long)s->off);
    if (s->off > size || s->len > size - s->off)
        return bad(c, "%s [0x%llx, +0x%llx) lies outside the file of 0x%llx bytes", what,
                   (unsigned long long)s->off, (unsigned long long)s->len,
                   (unsigned long long)size);
    return true;
}

static bool header(Image *img, Cur *c, ImgSum mode, Section *st, Section *ro,
                   Section *cx)
{
    if (!need(c, IMG_OFF_CTX, "header")) return false;
    if (memcmp(c->p, IMG_MAGIC, IMG_MAGIC_LEN) != 0) return bad(c, "not a b8g image (bad magic)");
    uint64_t n = img_le(c->base + IMG_OFF_NCTX, 8), rh = img_le(c->base + IMG_OFF_REHASH, 8);
    c->p = c->base + IMG_OFF_NCTX;
    if (n < 1 || n > IMG_MAX_CONTEXTS)
        return bad(c, "%llu contexts (this engine restores 1 to %u)", (unsigned long long)n,
                   IMG_MAX_CONTEXTS);
    c->p = c->base + IMG_OFF_REHASH;
    if (rh > 1) return bad(c, "rehashability flag %llu is neither 0 nor 1", (unsigned long long)rh);
    img->rehashable = rh == 1;
    uint64_t sum = img_le(c->base + IMG_OFF_CHECKSUM, 8);
    size_t held = (size_t)(c->end - c->base);
    uint64_t covered = img_code_start(c->base, held, img->file_len);
    c->p = c->base + IMG_OFF_CHECKSUM;
    if (covered > held) return bad(c, "the image's code data is gone, or other bytes with it");
    img->checksum_ok = mode == IMG_SUM_TRUSTED || sum == img_checksum(c->base, (size_t)covered);
    if (!img->checksum_ok && mode == IMG_SUM_VERIFY) return bad(c, "checksum mismatch: the image is corrupted");
    const uint8_t *v = c->base + IMG_OFF_VERSION;
    size_t vlen = strnlen((const char *)v, IMG_VERSION_LEN);
    c->p = v;
    for (size_t i = 0; i < IMG_VERSION_LEN; i++)
        if (i < vlen ? (v[i] < 0x20 || v[i] > 0x7e) : v[i] != 0)
            return bad(c, "version string is not NUL-padded printable ASCII");
    memcpy(img->version, v, vlen);
    img->version[vlen] = 0;
    uint64_t hdr = IMG_HEADER_LEN(n);
    if (!section(c, IMG_OFF_STARTUP, hdr, st, "startup data") ||
        !section(c, IMG_OFF_RO, st->off + st->len, ro, "read-only data") ||
        !section(c, IMG_OFF_CTX, ro->off + ro->len, cx, "context 0"))
        return false;
    return true;
}

/* The version must be this engine's, for the module the image holds. */
static bool check_version(Image *img, Cur *c)
{
    char want[IMG_VERSION_LEN + 1];
    img_version(want, img->module_hash);
    c->p = c->base + IMG_OFF_VERSION;
    const char *mod = strstr(want, " module/");
    size_t prefix = (size_t)(mod - want);
    if (strncmp(img->version, want, prefix) != 0 || img->version[prefix] != ' ')
        return bad(c, "image version \"%s\" is not this engine's (\"%.*s\")", img->version,
                   (int)prefix, want);
    if (strcmp(img->version, want) != 0)
        return bad(c, "module hash in \"%s\" does not match the module bytes (\"%s\")",
                   img->version, want + prefix + 1);
    return true;
}

/* ---- startup data ------------------------------------------------------- */

static bool startup(Image *img, Cur *c, const Section *ro)
{
    uint32_t nmod, ctx_mod;
    if (!get32(c, &nmod, "module table")) return false;
    if (nmod < 1 || nmod > IMG_MAX_MODULES) {
        c->p -= 4;
        return bad(c, "%u modules (this engine restores 1)", nmod);
    }
    uint64_t off, len, hash;
    const uint8_t *at = c->p;
    if (!get(c, 8, &off, "module table") || !get(c, 8, &len, "module table") ||
        !get(c, 8, &hash, "module table"))
        return false;
    if (off > ro->len || len > ro->len - off) {
        c->p = at;
        return bad(c, "module bytes lie outside the read-only data");
    }
    img->module_bytes = c->base + ro->off + off;
    img->module_len = len;
    img->module_hash = img_hash(img->module_bytes, (size_t)len);
    if (img->module_hash != hash) {
        c->p = at + 16;
        return bad(c, "module hash does not match the module bytes");
    }
    uint64_t code_off, code_len;
    at = c->p;
    if (!get(c, 8, &code_off, "module table") || !get(c, 8, &code_len, "module table")) return false;
    if (code_len ? img_code_fits(code_off, code_len, img->file_len) != code_off : code_off != 0) {
        c->p = at;
        return bad(c, "code data [0x%llx, +0x%llx) does not end the file at an 8-byte boundary",
                   (unsigned long long)code_off, (unsigned long long)code_len);
    }
    img->code.off = code_off;
    img->code.len = code_len;
    if (!count(c, &img->nimports, 13, "imports")) return false;
    ALLOC(img->nimports, img->imports);
    for (uint32_t i = 0; i < img->nimports; i++) {
        ImgImport *im = &img->imports[i];
        uint32_t mi;
        uint64_t kind;
        if (!get32(c, &mi, "import") || !get(c, 1, &kind, "import")) return false;
        if (mi >= nmod || kind > B8G_EXTERN_GLOBAL) {
            c->p -= 5;
            return bad(c, "import %u: module %u, kind %llu", i, mi, (unsigned long long)kind);
        }
        im->kind = (uint8_t)kind;
        if (!str(c, &im->module, "import") || !str(c, &im->field, "import")) return false;
    }
    ImgContext *x = &img->ctx;
    if (!get32(c, &ctx_mod, "manifest")) return false;
    if (ctx_mod >= nmod) {
        c->p -= 4;
        return bad(c, "context 0 runs module %u of %u", ctx_mod, nmod);
    }
    if (!count(c, &x->nhandles, 32, "manifest")) return false;
    ALLOC(x->nhandles, x->handles);
    for (uint32_t i = 0; i < x->nhandles; i++) {
        ImgHandle *h = &x->handles[i];
        uint64_t kind, ft, pad;
        at = c->p;
        if (!get32(c, &h->fd, "manifest") || !get(c, 1, &kind, "manifest") ||
            !get(c, 1, &ft, "manifest") || !get(c, 2, &pad, "manifest") ||
            !get(c, 8, &h->rights, "manifest") || !get(c, 8, &h->inheriting, "manifest"))
            return false;
        if (kind > B8G_MANIFEST_DIR || ft > 7 || pad) {
            c->p = at;
            return bad(c, "manifest entry %u: kind %llu, file type %llu", i,
                       (unsigned long long)kind, (unsigned long long)ft);
        }
        if (i && h->fd <= x->handles[i - 1].fd) {
            c->p = at;
            return bad(c, "manifest entry %u: fd %u out of order", i, h->fd);
        }
        h->kind = (uint8_t)kind;
        h->filetype = (uint8_t)ft;
        if (!str(c, &h->name, "manifest") || !str(c, &h->path, "manifest")) return false;
    }
    if (c->p != c->end) return bad(c, "startup data: %zu unexpected bytes", (size_t)(c->end - c->p));
    return true;
}

/* ---- code data ---------------------------------------------------------- */

/* The records and where their arrays lie; what the arrays hold is checked
 * only by a trusted open that uses them (exec/xlstore.h). */
static bool code_data(Image *img, Cur *c, ImgSum mode)
{
    ImgCode *k = &img->code;
    const uint8_t *build;
    uint64_t pad, sum;
    if (!bytes(c, IMG_BUILD_LEN, &build, "code data") || !get(c, 8, &sum, "code data"))
        return false;
    if (mode != IMG_SUM_TRUSTED && sum != img_code_checksum(c->base + k->off, (size_t)k->len)) {
        img->checksum_ok = false;
        if (mode == IMG_SUM_VERIFY) {
            c->p -= 8;
            return bad(c, "code data: checksum mismatch: the image is corrupted");
        }
    }
    size_t blen = strnlen((const char *)build, IMG_BUILD_LEN);
    for (size_t i = 0; i < IMG_BUILD_LEN; i++)
        if (i < blen ? (build[i] < 0x20 || build[i] > 0x7e) : build[i] != 0) {
            c->p = build;
            return bad(c, "code data: build id is not NUL-padded printable ASCII");
        }
    memcpy(k->build, build, blen);
    if (!count(c, &k->nfuncs, IMG_CODE_FUNC_LEN, "code data") || !get(c, 4, &pad, "code data"))
        return false;
    if (pad) return bad(c, "code data: padding is not zero");
    ALLOC(k->nfuncs, k->funcs);
    for (uint32_t i = 0; i < k->nfuncs; i++) {
        ImgCodeFunc *f = &k->funcs[i];
        const uint8_t *at = c->p;
        if (!get32(c, &f->func, "code record") || !get32(c, &f->nunits, "code record") ||
            !get32(c, &f->nstarts, "code record") || !get32(c, &f->nmap, "code record") ||
            !get32(c, &f->max_height, "code record") || !get(c, 4, &pad, "code record") ||
            !get(c, 8, &f->data, "code record"))
            return false;
        c->p = at;
        if (pad) return bad(c, "code record %u: padding is not zero", i);
        if (i && f->func <= k->funcs[i - 1].func)
            return bad(c, "code record %u: function %u out of order", i, f->func);
        if (f->data % 8 || f->data > k->len || img_code_bytes(f) > k->len - f->data)
            return bad(c, "code record %u: its arrays lie outside the code data", i);
        c->p = at + IMG_CODE_FUNC_LEN;
    }
    return true;
}

/* ---- context data ------------------------------------------------------- */

static bool strings(Cur *c, uint32_t *n, ImgStr **out, const char *what)
{
    if (!count(c, n, 4, what)) return false;
    ALLOC(*n, *out);
    for (uint32_t i = 0; i < *n; i++)
        if (!str(c, &(*out)[i], what)) return false;
    return true;
}

static bool memory(Cur *c, ImgMemory *m, uint32_t mi, const Section *cx, uint64_t *file_end)
{
    const uint8_t *at = c->p;
    if (!get32(c, &m->pages, "memory") || !count(c, &m->nruns, 24, "memory runs")) return false;
    if (m->pages > 65536) {
        c->p = at;
        return bad(c, "memory %u: %u pages (at most 65536)", mi, m->pages);
    }
    uint64_t size = (uint64_t)m->pages * 65536, prev = 0, prev_file = *file_end;
    ALLOC(m->nruns, m->runs);
    for (uint32_t i = 0; i < m->nruns; i++) {
        ImgRun *r = &m->runs[i];
        at = c->p;
        if (!get(c, 8, &r->addr, "run") || !get(c, 8, &r->len, "run") ||
            !get(c, 8, &r->file_off, "run"))
            return false;
        c->p = at;
        if (r->addr % IMG_PAGE || r->len % IMG_PAGE || !r->len || r->file_off % IMG_PAGE)
            return bad(c, "memory %u run %u is not page-aligned", mi, i);
        if (r->addr < prev || r->addr > size || r->len > size - r->addr)
            return bad(c, "memory %u run %u [0x%llx, +0x%llx) overlaps another or lies outside "
                          "the memory", mi, i, (unsigned long long)r->addr,
                       (unsigned long long)r->len);
        if (r->file_off < prev_file || r->file_off > cx->off + cx->len ||
            r->len > cx->off + cx->len - r->file_off)
            return bad(c, "memory %u run %u: its bytes at 0x%llx overlap others or lie outside "
                          "the context", mi, i, (unsigned long long)r->file_off);
        prev = r->addr + r->len;
        prev_file = r->file_off + r->len;
        c->p = at + 24;
    }
    *file_end = prev_file;
    return true;
}

static bool tables(Cur *c, ImgContext *x)
{
    if (!count(c, &x->ntables, 4, "tables")) return false;
    ALLOC(x->ntables, x->tables);
    for (uint32_t i = 0; i < x->ntables; i++) {
        ImgTable *t = &x->tables[i];
        if (!count(c, &t->size, 4, "table") || !bytes(c, (uint64_t)t->size * 4, &t->elems, "table"))
            return false;
    }
    return true;
}

static bool flags_array(Cur *c, uint32_t *n, const uint8_t **out, const char *what)
{
    if (!count(c, n, 1, what) || !bytes(c, *n, out, what)) return false;
    for (uint32_t i = 0; i < *n; i++)
        if ((*out)[i] > 1) {
            c->p = *out + i;
            return bad(c, "%s %u: flag %u is neither 0 nor 1", what, i, (*out)[i]);
        }
    return true;
}

static bool handle_states(Cur *c, ImgContext *x)
{
    uint32_t n;
    if (!get32(c, &n, "handle states")) return false;
    if (n != x->nhandles) {
        c->p -= 4;
        return bad(c, "%u handle states for %u manifest entries", n, x->nhandles);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t fl, pad;
        const uint8_t *at = c->p;
        if (!get(c, 2, &fl, "handle state") || !get(c, 2, &pad, "handle state") ||
            !get(c, 8, &x->handles[i].offset, "handle state"))
            return false;
        if (fl > 0x1f || pad) {
            c->p = at;
            return bad(c, "handle state %u: fd flags 0x%llx", i, (unsigned long long)fl);
        }
        x->handles[i].fdflags = (uint16_t)fl;
    }
    return true;
}

static bool frames(Cur *c, ImgContext *x)
{
    if (!count(c, &x->nframes, 16, "frames")) return false;
    bool suspended = x->flags & IMG_CTX_SUSPENDED;
    if (suspended != (x->nframes > 0)) {
        c->p -= 4;
        return bad(c, "%u frames in a context that is%s suspended", x->nframes,
                   suspended ? "" : " not");
    }
    ALLOC(x->nframes, x->frames);
    for (uint32_t i = 0; i < x->nframes; i++) {
        ImgFrame *f = &x->frames[i];
        uint64_t kind, pad;
        const uint8_t *at = c->p;
        if (!get32(c, &f->func, "frame") || !get32(c, &f->offset, "frame") ||
            !get(c, 1, &kind, "frame") || !get(c, 3, &pad, "frame") ||
            !count(c, &f->nslots, 8, "frame slots"))
            return false;
        uint64_t want = i + 1 == x->nframes ? IMG_FRAME_AT : IMG_FRAME_RETURN;
        if (kind != want || pad) {
            c->p = at;
            return bad(c, "frame %u: kind %llu (the innermost frame alone re-executes)", i,
                       (unsigned long long)kind);
        }
        f->kind = (uint8_t)kind;
        if (!bytes(c, (uint64_t)f->nslots * 8, &f->slots, "frame slots")) return false;
        x->total_slots += f->nslots;
    }
    return true;
}

static bool context(Image *img, Cur *c, const Section *cx)
{
    ImgContext *x = &img->ctx;
    uint64_t pad;
    const uint8_t *at = c->p;
    if (!get32(c, &x->flags, "context") || !get(c, 4, &pad, "context") ||
        !get(c, 8, &x->fuel, "context"))
        return false;
    if (x->flags & ~IMG_CTX_FLAGS_ALL || pad) {
        c->p = at;
        return bad(c, "context flags 0x%x", x->flags);
    }
    if (!strings(c, &x->argc, &x->argv, "arguments") ||
        !strings(c, &x->envc, &x->env, "environment") ||
        !count(c, &x->nmems, 8, "memories"))
        return false;
    ALLOC(x->nmems, x->mems);
    uint64_t file_end = cx->off; /* page data of all memories in file order */
    for (uint32_t i = 0; i < x->nmems; i++)
        if (!memory(c, &x->mems[i], i, cx, &file_end)) return false;
    if (!count(c, &x->nglobals, 8, "globals") ||
        !bytes(c, (uint64_t)x->nglobals * 8, &x->globals, "globals") || !tables(c, x) ||
        !flags_array(c, &x->nelems, &x->elem_dropped, "element segment") ||
        !flags_array(c, &x->ndatas, &x->data_dropped, "data segment") ||
        !handle_states(c, x) || !frames(c, x))
        return false;
    /* Page data lies after every record. */
    uint64_t records_end = (uint64_t)(c->p - c->base);
    for (uint32_t i = 0; i < x->nmems; i++)
        if (x->mems[i].nruns && x->mems[i].runs[0].file_off < records_end)
            return bad(c, "memory %u: page data overlaps the context's records", i);
    return true;
}

b8g_status img_parse(Image *img, ImgSum sum, b8g_error *err)
{
    Cur c = {img->bytes, img->bytes, img->bytes + img->len, err};
    Section st = {0}, ro = {0}, cx = {0};
    if (!header(img, &c, sum, &st, &ro, &cx)) return B8G_IMAGE;
    Cur s = {img->bytes, img->bytes + st.off, img->bytes + st.off + st.len, err};
    if (!startup(img, &s, &ro) || !check_version(img, &c)) return B8G_IMAGE;
    c.p = c.base + IMG_OFF_CTX;
    if (cx.off + cx.len != (img->code.len ? img->code.off : img->file_len)) {
        bad(&c, "the file does not end where the last context ends%s",
            img->code.len ? ", or its code data" : "");
        return B8G_IMAGE;
    }
    /* code data left out (img_code_start) is not read at all */
    if (img->code.len && img->len == img->file_len) {
        Cur k = {img->bytes, img->bytes + img->code.off, img->bytes + img->file_len, err};
        if (!code_data(img, &k, sum)) return B8G_IMAGE;
    }
    Cur x = {img->bytes, img->bytes + cx.off, img->bytes + cx.off + cx.len, err};
    if (!context(img, &x, &cx)) return B8G_IMAGE;
    return B8G_OK;
}

static void free_strs(ImgStr *s, uint32_t n)
{
    for (uint32_t i = 0; s && i < n; i++) free(s[i].s);
    free(s);
}

void img_release(Image *img)
{
    ImgContext *x = &img->ctx;
    free_strs(x->argv, x->argc);
    free_strs(x->env, x->envc);
    for (uint32_t i = 0; x->mems && i < x->nmems; i++) free(x->mems[i].runs);
    free(x->mems);
    free(x->tables);
    for (uint32_t i = 0; x->handles && i < x->nhandles; i++) {
        free(x->handles[i].name.s);
        free(x->handles[i].path.s);
    }
    free(x->handles);
    free(x->frames);
    for (uint32_t i = 0; img->imports && i < img->nimports; i++) {
        free(img->imports[i].module.s);
        free(img->imports[i].field.s);
    }
    free(img->imports);
    free(img->code.funcs);
    if (img->mapped) munmap(img->bytes, img->len);
    else free(img->bytes);
    if (img->fd >= 0) close(img->fd);
    memset(img, 0, sizeof *img);
    img->fd = -1;
}
