/*
 * fuzz_image.c - libFuzzer target: bytes -> b8g_image_open_bytes ->
 * b8g_image_restore -> b8g_resume on a little fuel.
 *
 * The checksums (the header's, and the code data's when the module table
 * names some) are recomputed over each input before it is opened, so
 * mutations reach the structural checks and the restore instead of all
 * dying at a checksum (which tests/unit/snapshot_test.c covers).  Code
 * data is parsed but never run: only a trusted open runs stored code, and
 * trusting is what no fuzzed input gets.  Any
 * input may be refused, but a refusal must be a well-formed error, and an
 * accepted image must restore or fail cleanly and then run or trap
 * cleanly.  Findings abort() so libFuzzer keeps the input.
 *
 * Seeds: with B8G_FUZZ_IMAGE_SEEDS=DIR and B8G_FUZZ_IMAGE_GUEST=WASM set,
 * the target writes images of that guest (idle, and suspended at several
 * fuel points of its "rec" export) into DIR and exits (tests/fuzz/seeds.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "b8g.h"
#include "snap/image.h"

static void check_error(const b8g_error *err, const char *what)
{
    if (err->code <= B8G_OK || err->code >= B8G_STATUS_COUNT ||
        !memchr(err->msg, '\0', sizeof err->msg) || err->msg[0] == '\0') {
        fprintf(stderr, "fuzz_image: %s failed with status %d and no proper message\n", what,
                (int)err->code);
        abort();
    }
}

static void run(b8g_image *img)
{
    b8g_config cfg = {.fuel = 20000, .max_memory_pages = 64, .max_stack_bytes = 1 << 20};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *inst = NULL;
    b8g_error err;
    memset(&err, 0, sizeof err);
    b8g_status st = b8g_image_restore(img, s, NULL, B8G_RESTORE_FORK, &inst, &err);
    if (st) {
        check_error(&err, "restore");
    } else if (b8g_suspended(s)) {
        b8g_store_set_fuel(s, 20000);
        b8g_val res[8];
        const b8g_valtype *types;
        if (b8g_suspended_results(s, &types) > 8) abort(); /* the guests return one value */
        st = b8g_resume(s, res, 8, &err);
        if (st == B8G_SUSPENDED) b8g_abort(s);
        else if (st) check_error(&err, "resume");
    }
    b8g_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = malloc(size ? size : 1);
    memcpy(p, data, size);
    if (size >= 32) {
        size_t code = (size_t)img_code_start(p, size, size);
        if (code < size && size - code >= IMG_CODE_HEAD) {
            uint64_t h = img_code_checksum(p + code, size - code);
            for (int i = 0; i < 8; i++) p[code + IMG_CODE_OFF_SUM + i] = (uint8_t)(h >> (8 * i));
        }
        uint64_t h = img_checksum(p, code);
        for (int i = 0; i < 8; i++) p[24 + i] = (uint8_t)(h >> (8 * i));
    }
    b8g_image *img = NULL;
    b8g_error err;
    memset(&err, 0, sizeof err);
    if (b8g_image_open_bytes(p, size, 0, &img, &err) == B8G_OK) {
        b8g_image_info info;
        b8g_image_get_info(img, &info);
        if (!info.checksum_ok) abort();
        run(img);
        b8g_image_free(img);
    } else {
        check_error(&err, "open");
        if (err.code != B8G_IMAGE) {
            fprintf(stderr, "fuzz_image: open refused with %d, not B8G_IMAGE: %s\n",
                    (int)err.code, err.msg);
            abort();
        }
    }
    free(p);
    return 0;
}

/* ---- seeds ---------------------------------------------------------------- */

static void seed(b8g_instance *inst, const char *dir, int i, uint32_t flags)
{
    b8g_image *img;
    b8g_error err;
    if (b8g_snapshot_ex(inst, NULL, flags, &img, &err)) {
        fprintf(stderr, "fuzz_image: seed %d: %s\n", i, err.msg);
        exit(1);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%d.b8g", dir, i);
    if (b8g_image_write(img, path, &err)) {
        fprintf(stderr, "fuzz_image: %s\n", err.msg);
        exit(1);
    }
    b8g_image_free(img);
}

static void make_seeds(const char *dir, const char *guest)
{
    FILE *f = fopen(guest, "rb");
    static uint8_t buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    b8g_module *m;
    b8g_error err;
    if (!n || b8g_module_load(buf, n, &m, &err)) {
        fprintf(stderr, "fuzz_image: cannot load %s\n", guest);
        exit(1);
    }
    static const uint64_t fuel[] = {0, 1, 7, 30, 90, 250};
    for (int i = 0; i < (int)(sizeof fuel / sizeof fuel[0]); i++) {
        b8g_config cfg = {0};
        b8g_store *s = b8g_store_new(&cfg);
        b8g_instance *inst;
        if (b8g_instantiate(s, m, &inst, &err)) exit(1);
        if (fuel[i]) {
            b8g_store_set_fuel(s, fuel[i]);
            b8g_val a = {.type = B8G_I32, .of.i32 = 8}, r;
            b8g_call(inst, "rec", &a, 1, &r, 1, &err);
        }
        seed(inst, dir, i, 0);
        b8g_store_free(s);
    }
    b8g_module_free(m);
    /* and one with the code of what ran */
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *inst;
    if (b8g_module_load_lazy(buf, n, &m, &err) || b8g_instantiate(s, m, &inst, &err)) exit(1);
    b8g_val a = {.type = B8G_I32, .of.i32 = 3}, r;
    if (b8g_call(inst, "rec", &a, 1, &r, 1, &err)) exit(1);
    seed(inst, dir, (int)(sizeof fuel / sizeof fuel[0]), B8G_SNAPSHOT_CODE);
    b8g_store_free(s);
    b8g_module_free(m);
    exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("B8G_FUZZ_IMAGE_SEEDS"), *guest = getenv("B8G_FUZZ_IMAGE_GUEST");
    if (dir && guest) make_seeds(dir, guest);
    return 0;
}
