/*
 * file.c - reading a program file: a module, or a .b8g image.
 *
 * Reads in chunks rather than trusting the file size, so pipes and
 * /dev/stdin work, and stops at a cap so that reading /dev/zero ends in an
 * error instead of exhausting memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Larger than any module the engine accepts (1 GiB). */
#define CLI_MAX_FILE_BYTES ((size_t)1 << 30)

static b8g_status read_stream(FILE *f, const char *path, uint8_t **bytes,
                              size_t *len, b8g_error *e)
{
    size_t cap = 0, n = 0;
    uint8_t *buf = NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= CLI_MAX_FILE_BYTES) {
                free(buf);
                return cli_err(e, B8G_LIMIT, "%s: file larger than 1 GiB", path);
            }
            size_t ncap = cap ? cap * 2 : 64 * 1024;
            uint8_t *nbuf = realloc(buf, ncap + 1);
            if (!nbuf) {
                free(buf);
                return cli_err(e, B8G_NOMEM, "%s: cannot allocate %zu bytes", path, ncap);
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        return cli_err(e, B8G_IO, "cannot read %s: %s", path, strerror(saved));
    }
    *bytes = buf;
    *len = n;
    return B8G_OK;
}

b8g_status cli_read_file(const char *path, uint8_t **bytes, size_t *len,
                         b8g_error *e)
{
    if (strcmp(path, "-") == 0) return read_stream(stdin, "<stdin>", bytes, len, e);
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return cli_err(e, B8G_IO, "cannot open %s: %s", path, strerror(errno));
    errno = 0;
    b8g_status st = read_stream(f, path, bytes, len, e);
    fclose(f);
    return st;
}

/* The first bytes of a .b8g image (docs/image-format.md). */
static const uint8_t image_magic[8] = {0x89, 'B', '8', 'G', 'I', 'M', 'G', '\n'};

static bool has_image_magic(const uint8_t *bytes, size_t len)
{
    return len >= sizeof image_magic && memcmp(bytes, image_magic, sizeof image_magic) == 0;
}

/* True if the file at path starts like an image; a file that cannot be
 * read is left to the module path, which reports why. */
static bool file_is_image(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    uint8_t head[sizeof image_magic];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return has_image_magic(head, got);
}

/*
 * An image is recognised by its magic, not its name: an image renamed
 * x.wasm is still one, and the module loader's "magic header not
 * detected" would only mislead.  A file path is opened by
 * b8g_image_open, which can map the memory pages; standard input is read
 * first.
 */
b8g_status cli_open_program(const char *path, unsigned how, CliProgram *p, b8g_error *e)
{
    memset(p, 0, sizeof *p);
    bool from_stdin = strcmp(path, "-") == 0;
    if (!from_stdin && file_is_image(path)) {
        uint32_t flags = how & CLI_OPEN_TRUSTED ? B8G_IMAGE_OPEN_TRUSTED : 0;
        b8g_status st = b8g_image_open(path, flags, &p->image, e);
        if (!st) p->module = b8g_image_module(p->image);
        return st;
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    b8g_status st = cli_read_file(path, &bytes, &len, e);
    if (st) return st;
    if (from_stdin && has_image_magic(bytes, len)) {
        st = b8g_image_open_bytes(bytes, len, 0, &p->image, e);
        if (!st) p->module = b8g_image_module(p->image);
    } else {
        b8g_module *m = NULL;
        st = how & CLI_OPEN_LAZY ? b8g_module_load_lazy(bytes, len, &m, e)
                                 : b8g_module_load(bytes, len, &m, e);
        p->owned = m;
        p->module = m;
    }
    free(bytes);
    return st;
}

void cli_close_program(CliProgram *p)
{
    if (p->image) b8g_image_free(p->image);
    if (p->owned) b8g_module_free(p->owned);
    memset(p, 0, sizeof *p);
}
