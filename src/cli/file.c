/*
 * file.c - reading a program file.
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
