/*
 * micro.c - in-process costs an embedder pays per operation:
 *
 *   instantiate   a new store, instantiating small.wasm in it (memory with
 *                 a data segment, global, table, element segment), freeing
 *                 the store: the whole life of a throw-away sandbox
 *   host->wasm    b8g_call_func of an export that adds 1
 *   wasm->host    a host function called from a wasm loop, less the cost
 *                 of the same loop without the call
 *   traced        the same with a tracer set on the store (one that only
 *                 counts): what decoding and recording a call adds; the
 *                 row above is the untraced path, whose cost tracing must
 *                 not change
 *   fd_write      a wasm loop writing one byte to /dev/null through WASI
 *                 (the write(2) itself included), less the bare loop
 *
 * Each figure is the best of several rounds, in ns per operation, and the
 * results the guest computed are checked so nothing is optimised away or
 * silently failing.  The native column times the same work done directly
 * in C where one exists (a C call through a function pointer; write(2)),
 * in the same run, so the ratios say what the sandbox adds.
 *
 * Usage: micro SMALL.wasm CALLS.wasm   (make bench builds both from the
 * .wat files in bench/micro)
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b8g.h"

#define ROUNDS 7

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const b8g_error *err)
{
    fprintf(stderr, "micro: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf) die("out of memory", NULL);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

static b8g_module *load(const char *path)
{
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    b8g_module *m = NULL;
    b8g_error err;
    if (b8g_module_load(bytes, len, &m, &err)) die(path, &err);
    free(bytes);
    return m;
}

/* ---- instantiate ------------------------------------------------------ */

static void instantiate_once(const b8g_module *m)
{
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    if (!s) die("b8g_store_new", NULL);
    b8g_instance *inst = NULL;
    b8g_error err;
    if (b8g_instantiate(s, m, &inst, &err)) die("instantiate small.wasm", &err);
    b8g_store_free(s);
}

static double bench_instantiate(const b8g_module *m, int n)
{
    double best = 1e300;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++) instantiate_once(m);
        double per = (now_ns() - t0) / n;
        if (per < best) best = per;
    }
    return best;
}

/* The instance works: the data segment, table and global are in place. */
static void check_small(const b8g_module *m)
{
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *inst = NULL;
    b8g_error err;
    if (!s || b8g_instantiate(s, m, &inst, &err)) die("instantiate small.wasm", &err);
    b8g_val r;
    if (b8g_call(inst, "checksum", NULL, 0, &r, 1, &err)) die("checksum", &err);
    unsigned expect = 0;
    for (const char *p = "the quick brown fox jumps over the lazy dog"; *p; p++)
        expect += (unsigned char)*p;
    b8g_val args[3] = {{.type = B8G_I32, .of.i32 = 0}, {.type = B8G_I32, .of.i32 = 40},
                       {.type = B8G_I32, .of.i32 = 2}};
    b8g_val sum;
    if (b8g_call(inst, "apply", args, 3, &sum, 1, &err)) die("apply", &err);
    if ((unsigned)r.of.i32 != expect || sum.of.i32 != 42) die("small.wasm computed wrong results", NULL);
    b8g_store_free(s);
}

/* ---- calls ------------------------------------------------------------ */

static uint64_t host_calls;

static b8g_status host_nop(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)err;
    host_calls++;
    slots[0] = (uint32_t)slots[0] ^ 1u;
    return B8G_OK;
}

static uint64_t traced_calls;

static void count_trace(void *arg, const b8g_trace_call *c)
{
    (void)arg;
    traced_calls += c->nargs;
}

/* The C baseline of host->wasm: an indirect call the compiler cannot
 * inline, of a function doing the same addition. */
static int32_t c_inc(int32_t x) { return x + 1; }
static int32_t (*volatile c_inc_ptr)(int32_t) = c_inc;

static double bench_c_call(int n)
{
    double best = 1e300;
    for (int r = 0; r < ROUNDS; r++) {
        int32_t x = 0;
        double t0 = now_ns();
        for (int i = 0; i < n; i++) x = c_inc_ptr(x);
        double per = (now_ns() - t0) / n;
        if (x != n) die("C baseline miscounted", NULL);
        if (per < best) best = per;
    }
    return best;
}

static double bench_export_call(b8g_func *f, int n)
{
    double best = 1e300;
    b8g_error err;
    for (int r = 0; r < ROUNDS; r++) {
        b8g_val v = {.type = B8G_I32, .of.i32 = 0};
        double t0 = now_ns();
        for (int i = 0; i < n; i++)
            if (b8g_call_func(f, &v, 1, &v, 1, &err)) die("inc", &err);
        double per = (now_ns() - t0) / n;
        if (v.of.i32 != n) die("inc returned a wrong count", NULL);
        if (per < best) best = per;
    }
    return best;
}

/* ns per iteration of the loop export `name` run n times. */
static double bench_loop(b8g_instance *inst, const char *name, int n, int32_t *result)
{
    double best = 1e300;
    b8g_error err;
    for (int r = 0; r < ROUNDS; r++) {
        b8g_val a = {.type = B8G_I32, .of.i32 = n}, res;
        double t0 = now_ns();
        if (b8g_call(inst, name, &a, 1, &res, 1, &err)) die(name, &err);
        double per = (now_ns() - t0) / n;
        *result = res.of.i32;
        if (per < best) best = per;
    }
    return best;
}

static double bench_c_write(int fd, int n)
{
    double best = 1e300;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++)
            if (write(fd, ".", 1) != 1) die("write to /dev/null", NULL);
        double per = (now_ns() - t0) / n;
        if (per < best) best = per;
    }
    return best;
}

static void row(const char *what, double b8g_ns, double native_ns, const char *native_what)
{
    if (native_ns > 0)
        printf("%-12s %9.1f ns %9.1f ns %7.2fx  (native: %s)\n", what, b8g_ns, native_ns,
               b8g_ns / native_ns, native_what);
    else
        printf("%-12s %9.1f ns %12s %8s  %s\n", what, b8g_ns, "-", "-", native_what);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: micro SMALL.wasm CALLS.wasm\n");
        return 2;
    }
    b8g_module *small = load(argv[1]);
    b8g_module *calls = load(argv[2]);
    check_small(small);

    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0) die("cannot open /dev/null", NULL);
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    if (!s) die("b8g_store_new", NULL);
    b8g_error err;
    b8g_wasi_config wc = {.stdin_fd = -1, .stdout_fd = devnull, .stderr_fd = -1};
    b8g_wasi *w = NULL;
    if (b8g_wasi_new(s, &wc, &w, &err)) die("b8g_wasi_new", &err);
    b8g_instance *host = b8g_host_instance_new(s);
    if (!host || b8g_host_func(host, "nop", "i:i", host_nop, NULL) ||
        b8g_register(s, "bench", host))
        die("host module", NULL);
    b8g_instance *inst = NULL;
    if (b8g_instantiate(s, calls, &inst, &err)) die("instantiate calls.wasm", &err);
    if (b8g_wasi_attach(w, inst, &err)) die("b8g_wasi_attach", &err);
    b8g_func *inc = NULL;
    if (b8g_lookup_func(inst, "inc", 3, &inc, &err)) die("inc", &err);

    const int n = 2000000;
    int32_t loop_res, host_res, written;
    double t_inst = bench_instantiate(small, 20000);
    double t_export = bench_export_call(inc, n);
    double t_c_call = bench_c_call(n);
    double t_loop = bench_loop(inst, "loop", n, &loop_res);
    host_calls = 0;
    double t_host = bench_loop(inst, "call_host", n, &host_res);
    if (host_calls != (uint64_t)n * ROUNDS) die("the host function was not called n times", NULL);
    b8g_store_set_tracer(s, count_trace, NULL);
    double t_traced = bench_loop(inst, "call_host", n, &host_res);
    b8g_store_set_tracer(s, NULL, NULL);
    if (traced_calls != (uint64_t)n * ROUNDS) die("the tracer did not see every call", NULL);
    double t_write = bench_loop(inst, "write_byte", n / 4, &written);
    if (written != n / 4) die("fd_write did not write every byte", NULL);
    double t_c_write = bench_c_write(devnull, n / 4);

    printf("b8g in-process micro-benchmarks (best of %d rounds, per operation)\n", ROUNDS);
    printf("%-12s %12s %12s %8s\n", "operation", "b8g", "native", "ratio");
    row("instantiate", t_inst, 0, "new store + small.wasm + free");
    row("host->wasm", t_export, t_c_call, "indirect C call");
    row("wasm->host", t_host - t_loop, 0, "call from a wasm loop, loop subtracted");
    row("traced", t_traced - t_loop, 0, "the same, with a tracer set");
    row("fd_write 1B", t_write - t_loop, t_c_write, "write(2) of 1 byte");
    printf("(bare wasm loop iteration: %.2f ns)\n", t_loop);

    b8g_store_free(s);
    b8g_wasi_free(w);
    close(devnull);
    b8g_module_free(small);
    b8g_module_free(calls);
    return 0;
}
