/*
 * snapshot.c - what snapshots cost and save, measured in one run:
 *
 *   scratch    a new store, instantiating snapinit.wasm (64 MiB memory),
 *              running its initialiser (16 MiB written), freeing the store
 *   restore    a new store, restoring the image of that initialised
 *              instance (opened once from a file: its pages are mapped
 *              copy-on-write), freeing the store
 *   fork       b8g_fork of the initialised instance: one clone (the
 *              capture of the 64 MiB instance included), and FORKS in one
 *              call, whose difference is the cost of each further clone
 *   memory     private memory each of FORKS idle clones adds
 *              (/proc/self/smaps_rollup: Private_Clean + Private_Dirty,
 *              before and after), the shared image pages excepted
 *
 * Times are the best of several rounds; each restored or forked instance
 * is checked (the sum of its memory) before it counts, so nothing that
 * failed is timed.
 *
 * Usage: snapshot SNAPINIT.wasm [FORKS]   (make bench)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b8g.h"

#define ROUNDS 5

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const b8g_error *err)
{
    fprintf(stderr, "snapshot bench: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

static b8g_module *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) die(path, NULL);
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    b8g_module *m;
    b8g_error err;
    if (b8g_module_load(buf, n, &m, &err)) die("load", &err);
    return m;
}

static int64_t sum(b8g_instance *inst)
{
    b8g_val r;
    b8g_error err;
    if (b8g_call(inst, "sum", NULL, 0, &r, 1, &err)) die("sum", &err);
    return r.of.i64;
}

static void call0(b8g_instance *inst, const char *name)
{
    b8g_error err;
    if (b8g_call(inst, name, NULL, 0, NULL, 0, &err)) die(name, &err);
}

static long private_kib(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f) return -1;
    char line[256];
    long total = 0, v;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Private_Clean: %ld kB", &v) == 1 ||
            sscanf(line, "Private_Dirty: %ld kB", &v) == 1)
            total += v;
    fclose(f);
    return total;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: snapshot SNAPINIT.wasm [FORKS]\n");
        return 2;
    }
    uint32_t forks = argc > 2 ? (uint32_t)atoi(argv[2]) : 1000;
    b8g_module *m = load(argv[1]);
    b8g_config cfg = {0};
    b8g_error err;

    /* from scratch, and the state a snapshot keeps */
    double scratch = 1e30;
    int64_t want = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        b8g_store *s = b8g_store_new(&cfg);
        b8g_instance *inst;
        if (b8g_instantiate(s, m, &inst, &err)) die("instantiate", &err);
        call0(inst, "init");
        b8g_store_free(s);
        double t = now_ns() - t0;
        if (t < scratch) scratch = t;
    }
    b8g_store *origin = b8g_store_new(&cfg);
    b8g_instance *inst;
    if (b8g_instantiate(origin, m, &inst, &err)) die("instantiate", &err);
    call0(inst, "init");
    want = sum(inst);
    b8g_image *img;
    if (b8g_snapshot(inst, NULL, &img, &err)) die("snapshot", &err);
    char path[] = "/tmp/b8g-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) die("temporary file", NULL);
    close(fd);
    if (b8g_image_write(img, path, &err)) die("write", &err);
    b8g_image_free(img);
    if (b8g_image_open(path, 0, &img, &err)) die("open", &err);
    unlink(path);
    b8g_image_info info;
    b8g_image_get_info(img, &info);

    /* restore: the timed part ends when the instance is ready to run */
    double restore = 1e30;
    for (int r = 0; r < ROUNDS * 20; r++) {
        double t0 = now_ns();
        b8g_store *s = b8g_store_new(&cfg);
        b8g_instance *c;
        if (b8g_image_restore(img, s, NULL, 0, &c, &err)) die("restore", &err);
        double t = now_ns() - t0;
        if (t < restore) restore = t;
        if (r == 0 && sum(c) != want) die("restored memory differs", NULL);
        b8g_store_free(s);
    }

    /* fork: one clone (the capture dominates), then many: the difference
     * is what each further clone costs; and what idle clones hold, from
     * the first round (later ones reuse the heap the first one freed) */
    b8g_clone *clones = calloc(forks, sizeof *clones);
    double fork = 1e30, fork1 = 1e30;
    long held = -1;
    for (int r = 0; r < 3; r++) {
        double t0 = now_ns();
        if (b8g_fork(inst, NULL, &cfg, NULL, 0, 1, clones, &err)) die("fork", &err);
        double t = now_ns() - t0;
        if (t < fork1) fork1 = t;
        b8g_clone_free(&clones[0]);
        long before = private_kib();
        t0 = now_ns();
        if (b8g_fork(inst, NULL, &cfg, NULL, 0, forks, clones, &err)) die("fork", &err);
        t = now_ns() - t0;
        if (held < 0) held = private_kib() - before;
        if (t < fork) fork = t;
        if (sum(clones[forks / 2].inst) != want) die("forked memory differs", NULL);
        for (uint32_t i = 0; i < forks; i++) b8g_clone_free(&clones[i]);
    }
    printf("snapshot: image %.1f MiB for %.0f MiB of memory (%.0f MiB stored)\n",
           info.file_bytes / 1048576.0, info.memory_bytes / 1048576.0,
           info.stored_bytes / 1048576.0);
    printf("%-34s %12.1f us\n", "instantiate + initialise (scratch)", scratch / 1e3);
    printf("%-34s %12.1f us   %.0fx faster\n", "restore from the image", restore / 1e3,
           scratch / restore);
    printf("%-34s %12.1f us\n", "fork of 1 clone (capture included)", fork1 / 1e3);
    printf("%-34s %12.1f us   (%u in one call: %.1f us each)\n", "fork, each further clone",
           (fork - fork1) / (forks - 1) / 1e3, forks, fork / forks / 1e3);
    printf("%-34s %12.1f KiB  (%u clones, %ld KiB)\n", "private memory per idle clone",
           (double)held / forks, forks, held);
    free(clones);
    b8g_image_free(img);
    b8g_store_free(origin);
    b8g_module_free(m);
    return 0;
}
