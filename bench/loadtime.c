/*
 * loadtime.c - how fast b8g turns module bytes into runnable code.
 *
 * Generates a large valid module in memory (functions whose bodies mix
 * locals, integer and float arithmetic, loads/stores, nested blocks, loops,
 * br_if/br_table and calls, so decoding, validation and translation all do
 * representative work), then times b8g_module_load over it and reports
 * MB/s and ns per byte of code.  Usage: loadtime [MEGABYTES] [REPEATS]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b8g.h"

typedef struct Buf {
    uint8_t *p;
    size_t len, cap;
} Buf;

static void put(Buf *b, const void *src, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) { perror("realloc"); exit(1); }
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void byte(Buf *b, uint8_t v) { put(b, &v, 1); }

static void uleb(Buf *b, uint64_t v)
{
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        byte(b, (uint8_t)(c | (v ? 0x80 : 0)));
    } while (v);
}

static void sleb(Buf *b, int64_t v)
{
    for (;;) {
        uint8_t c = v & 0x7f;
        v >>= 7;
        bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
        byte(b, (uint8_t)(c | (done ? 0 : 0x80)));
        if (done) break;
    }
}

static void section(Buf *mod, uint8_t id, const Buf *content)
{
    byte(mod, id);
    uleb(mod, content->len);
    put(mod, content->p, content->len);
}

/* One chunk of a body: params 0,1 (i32), locals 2,3 (i32), 4 (f64). */
static void body_chunk(Buf *c, uint32_t callee, uint32_t k)
{
    byte(c, 0x02); byte(c, 0x40);                    /* block */
    byte(c, 0x03); byte(c, 0x40);                    /*  loop */
    byte(c, 0x20); uleb(c, 2); byte(c, 0x41); sleb(c, 1); byte(c, 0x6b);
    byte(c, 0x22); uleb(c, 2); byte(c, 0x45); byte(c, 0x0d); uleb(c, 1);
    byte(c, 0x20); uleb(c, 2); byte(c, 0x28); uleb(c, 2); uleb(c, 4 + k % 64);
    byte(c, 0x20); uleb(c, 3); byte(c, 0x73); byte(c, 0x21); uleb(c, 3);
    byte(c, 0x20); uleb(c, 2); byte(c, 0x20); uleb(c, 3); byte(c, 0x41);
    sleb(c, 7); byte(c, 0x74); byte(c, 0x36); uleb(c, 2); uleb(c, 0);
    byte(c, 0x20); uleb(c, 4); byte(c, 0x44);        /*  f64.const 1.5 */
    double d = 1.5 + k;
    put(c, &d, 8);
    byte(c, 0xa2); byte(c, 0x21); uleb(c, 4);        /*  f64.mul, local.set */
    byte(c, 0x20); uleb(c, 3); byte(c, 0x0e); uleb(c, 2);
    uleb(c, 0); uleb(c, 1); uleb(c, 0);              /*  br_table 0 1 0 */
    byte(c, 0x0b); byte(c, 0x0b);                    /* end end */
    byte(c, 0x20); uleb(c, 3);
    byte(c, 0x20); uleb(c, 3); byte(c, 0x20); uleb(c, 0);
    byte(c, 0x10); uleb(c, callee); byte(c, 0x6a); byte(c, 0x21); uleb(c, 3);
}

static Buf make_module(size_t target_bytes, size_t *code_bytes)
{
    Buf mod = {0}, sec = {0}, body = {0}, code = {0};
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    put(&mod, header, sizeof header);
    /* type 0: (i32 i32) -> i32 */
    static const uint8_t types[] = {1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f};
    sec.len = 0; put(&sec, types, sizeof types); section(&mod, 1, &sec);

    enum { CHUNKS = 24 };
    /* size one body to learn how many functions reach the target */
    body.len = 0;
    for (uint32_t k = 0; k < CHUNKS; k++) body_chunk(&body, 0, k);
    size_t nfuncs = target_bytes / (body.len + 8) + 1;

    sec.len = 0; uleb(&sec, nfuncs);
    for (size_t i = 0; i < nfuncs; i++) uleb(&sec, 0);
    section(&mod, 3, &sec);
    static const uint8_t memory[] = {1, 0, 1};
    sec.len = 0; put(&sec, memory, sizeof memory); section(&mod, 5, &sec);

    code.len = 0; uleb(&code, nfuncs);
    for (size_t i = 0; i < nfuncs; i++) {
        body.len = 0;
        static const uint8_t locals[] = {2, 2, 0x7f, 1, 0x7c};
        put(&body, locals, sizeof locals);
        for (uint32_t k = 0; k < CHUNKS; k++)
            body_chunk(&body, (uint32_t)(i ? i - 1 : 0), (uint32_t)(i + k));
        byte(&body, 0x20); uleb(&body, 3); byte(&body, 0x0b);
        uleb(&code, body.len);
        put(&code, body.p, body.len);
    }
    *code_bytes = code.len;
    section(&mod, 10, &code);
    free(sec.p);
    free(body.p);
    free(code.p);
    return mod;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    double mb = argc > 1 ? atof(argv[1]) : 10.0;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (mb <= 0 || repeats <= 0) {
        fprintf(stderr, "usage: loadtime [MEGABYTES] [REPEATS]\n");
        return 2;
    }
    size_t code_bytes;
    Buf mod = make_module((size_t)(mb * 1024 * 1024), &code_bytes);
    double best = 1e9;
    for (int r = 0; r < repeats; r++) {
        b8g_module *m = NULL;
        b8g_error err;
        double t0 = now();
        b8g_status st = b8g_module_load(mod.p, mod.len, &m, &err);
        double t = now() - t0;
        if (st) {
            char msg[512];
            fprintf(stderr, "loadtime: %s\n", b8g_error_format(&err, msg, sizeof msg));
            return 1;
        }
        b8g_module_free(m);
        if (t < best) best = t;
    }
    printf("module %.2f MB (code %.2f MB): load+validate+translate best of %d: "
           "%.3f s, %.1f MB/s, %.1f ns/byte\n",
           mod.len / 1048576.0, code_bytes / 1048576.0, repeats, best,
           mod.len / 1048576.0 / best, best * 1e9 / (double)mod.len);
    free(mod.p);
    return 0;
}
