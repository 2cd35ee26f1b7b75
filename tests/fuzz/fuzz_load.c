/*
 * fuzz_load.c - libFuzzer target: bytes -> b8g_module_load.
 *
 * Any input may be rejected, but a rejection must be well-formed: a status
 * the API defines, a message, and an offset inside the input (or none).
 * Anything else - a crash, a sanitizer report, a malformed error - is a
 * finding, reported by abort() so libFuzzer keeps the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"

static void check_error(const b8g_error *err, size_t len)
{
    if (err->code <= B8G_OK || err->code >= B8G_STATUS_COUNT) {
        fprintf(stderr, "fuzz_load: failed load with status %d\n", (int)err->code);
        abort();
    }
    if (!memchr(err->msg, '\0', sizeof err->msg) || err->msg[0] == '\0') {
        fprintf(stderr, "fuzz_load: empty or unterminated message\n");
        abort();
    }
    if (err->offset != B8G_NO_OFFSET && err->offset > len) {
        fprintf(stderr, "fuzz_load: offset %llu beyond input of %zu bytes (%s)\n",
                (unsigned long long)err->offset, len, err->msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    b8g_module *m = NULL;
    b8g_error err;
    memset(&err, 0, sizeof err);
    b8g_status st = b8g_module_load(data, size, &m, &err);
    if (st != B8G_OK) {
        if (m || st != err.code) {
            fprintf(stderr, "fuzz_load: status %d but error says %d\n", (int)st,
                    (int)err.code);
            abort();
        }
        check_error(&err, size);
        return 0;
    }
    /* Walk what the module reports so the accessors see every shape. */
    for (uint32_t i = 0; i < b8g_module_export_count(m); i++) {
        b8g_extern_kind k;
        if (!b8g_module_export_name(m, i, &k)) abort();
    }
    for (uint32_t i = 0; i < b8g_module_import_count(m); i++) {
        b8g_import_info info;
        char sig[64];
        if (b8g_module_import(m, i, &info) != B8G_OK) abort();
        b8g_module_import_sig(m, i, sig, sizeof sig);
    }
    for (uint32_t i = 0; i < b8g_module_custom_count(m); i++) {
        const char *name;
        size_t len;
        if (!b8g_module_custom(m, i, &name, &len)) abort();
    }
    b8g_module_free(m);
    return 0;
}
