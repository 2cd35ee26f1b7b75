/*
 * xlsize.c - how big translated code is next to the wasm it came from.
 *
 * Loads each module given and prints, per module and in total, the bytes
 * of function bodies in the code section against the bytes of translated
 * code (16-bit units) and of its pc map.  The translator aims at code
 * within 3x the wasm bytes.  Usage: xlsize MODULE.wasm...
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "exec/xl.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            buf = realloc(buf, cap);
            if (!buf) exit(1);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    uint64_t tw = 0, tc = 0, tm = 0;
    for (int i = 1; i < argc; i++) {
        size_t len;
        uint8_t *bytes = slurp(argv[i], &len);
        b8g_module *bm;
        b8g_error err;
        if (!bytes || b8g_module_load(bytes, len, &bm, &err)) {
            fprintf(stderr, "%s: cannot load\n", argv[i]);
            return 1;
        }
        const Module *m = bm->mod;
        uint64_t wasm = 0, code = 0, map = 0;
        for (uint32_t f = 0; f < m->nfuncs - m->nimported_funcs; f++) {
            const Func *fn = &m->funcs[f];
            wasm += fn->code_offset + fn->code_len - fn->body_offset;
            code += (uint64_t)fn->xl->nunits * sizeof(XlUnit);
            map += (uint64_t)fn->xl->nmap * sizeof(XlPcMap);
        }
        printf("%-28s wasm %8llu  code %8llu (%.2fx)  map %7llu (%.2fx)\n", argv[i],
               (unsigned long long)wasm, (unsigned long long)code,
               wasm ? (double)code / wasm : 0.0, (unsigned long long)map,
               wasm ? (double)map / wasm : 0.0);
        tw += wasm;
        tc += code;
        tm += map;
        b8g_module_free(bm);
        free(bytes);
    }
    if (argc > 2)
        printf("%-28s wasm %8llu  code %8llu (%.2fx)  map %7llu (%.2fx)\n", "total",
               (unsigned long long)tw, (unsigned long long)tc, tw ? (double)tc / tw : 0.0,
               (unsigned long long)tm, tw ? (double)tm / tw : 0.0);
    return 0;
}
