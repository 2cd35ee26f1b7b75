/*
 * mutate.c - robustness of the loader and interpreter against mutated
 * modules.
 *
 *   mutate [--seed N] [--count N] [--only I] [--dump FILE] [-v] DIR
 *
 * Reads every .wasm under DIR (the converted spec suite) and derives
 * --count mutants from them: byte flips, inserts, deletes, truncation,
 * splices of two modules and bumped LEB128 lengths.  Each mutant goes
 * through b8g_module_load, which must either succeed or fail as
 * MALFORMED/INVALID/UNSUPPORTED/LIMIT with a message and an offset inside
 * the input.  Mutants that load are instantiated with no imports available
 * (so those that import anything stop at linking) and every export taking
 * no parameters is called on little fuel, ignoring traps: the point is that
 * nothing crashes, hangs or leaks (run under ASan too).
 *
 * Mutant I depends only on the seed, I and the corpus, so a failure is
 * reproduced alone with --only I and saved with --dump.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b8g.h"

#define MUT_DEFAULT_SEED 0xb8e5eedu
#define MUT_DEFAULT_COUNT 50000u
#define MUT_FUEL 10000u
#define MUT_MAX_PAGES 16u                /* 1 MiB per memory */
#define MUT_MAX_STACK (256u * 1024u)
#define MUT_WATCHDOG_S 600u              /* the whole run; a hang is a bug */
#define MUT_MAX_REPORTS 20u

/* ---- corpus ------------------------------------------------------------ */

typedef struct Input {
    char *path;
    uint8_t *bytes;
    size_t len;
} Input;

/* valid[] indexes the inputs that load unmutated: most spec modules are
 * deliberately broken, and mutants of those rarely get past the decoder,
 * so valid bases are preferred to reach validation and execution too. */
typedef struct Corpus {
    Input *in;
    size_t n, cap;
    size_t *valid;
    size_t nvalid;
    uint64_t *valid_end; /* running byte totals of valid[], for picking by size */
} Corpus;

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

static bool read_all(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    bool ok = buf && !ferror(f);
    fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

static void corpus_add(Corpus *c, char *path)
{
    uint8_t *bytes;
    size_t len;
    if (!read_all(path, &bytes, &len)) {
        fprintf(stderr, "mutate: cannot read %s: %s\n", path, strerror(errno));
        free(path);
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->in = realloc(c->in, c->cap * sizeof *c->in);
        if (!c->in) abort();
    }
    c->in[c->n++] = (Input){path, bytes, len};
}

static void corpus_scan(Corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char *path;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) abort();
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            corpus_scan(c, path);
            free(path);
        } else if (has_suffix(path, ".wasm")) {
            corpus_add(c, path);
        } else {
            free(path);
        }
    }
    closedir(d);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const Input *)a)->path, ((const Input *)b)->path);
}

static void corpus_classify(Corpus *c)
{
    c->valid = calloc(c->n + 1, sizeof *c->valid);
    c->valid_end = calloc(c->n + 1, sizeof *c->valid_end);
    if (!c->valid || !c->valid_end) abort();
    uint64_t total = 0;
    for (size_t i = 0; i < c->n; i++) {
        b8g_module *m = NULL;
        b8g_error err;
        if (b8g_module_load(c->in[i].bytes, c->in[i].len, &m, &err) != B8G_OK) continue;
        b8g_module_free(m);
        total += c->in[i].len;
        c->valid_end[c->nvalid] = total;
        c->valid[c->nvalid++] = i;
    }
}


/* ---- randomness: splitmix64, one independent stream per mutant --------- */

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static uint64_t rng_below(Rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/*
 * The base of a mutant: half the time a valid module picked by size (the
 * suite is mostly tiny modules; big ones hold most of the code paths), a
 * third of the time any valid module, else any input at all.
 */
static size_t pick_base(Rng *r, const Corpus *c)
{
    uint64_t dice = rng_below(r, 6);
    if (!c->nvalid || dice == 0) return rng_below(r, c->n);
    if (dice <= 2) return c->valid[rng_below(r, c->nvalid)];
    uint64_t at = rng_below(r, c->valid_end[c->nvalid - 1]);
    size_t lo = 0, hi = c->nvalid - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->valid_end[mid] > at) hi = mid;
        else lo = mid + 1;
    }
    return c->valid[lo];
}

/* ---- mutations ------------------------------------------------------------ */

typedef struct Buf {
    uint8_t *p;
    size_t len, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra)
{
    if (b->len + extra <= b->cap) return;
    b->cap = (b->len + extra) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
}

/* Replaces n bytes at pos with the k bytes of src. */
static void buf_splice(Buf *b, size_t pos, size_t n, const uint8_t *src, size_t k)
{
    if (k > n) buf_reserve(b, k - n);
    memmove(b->p + pos + k, b->p + pos + n, b->len - pos - n);
    if (k) memcpy(b->p + pos, src, k);
    b->len = b->len - n + k;
}

static void mut_flip(Rng *r, Buf *b)
{
    if (!b->len) return;
    b->p[rng_below(r, b->len)] ^= (uint8_t)(1 + rng_below(r, 255));
}

static void mut_insert(Rng *r, Buf *b)
{
    uint8_t byte = (uint8_t)rng_next(r);
    buf_splice(b, rng_below(r, b->len + 1), 0, &byte, 1);
}

static void mut_delete(Rng *r, Buf *b)
{
    if (b->len) buf_splice(b, rng_below(r, b->len), 1, NULL, 0);
}

static void mut_truncate(Rng *r, Buf *b)
{
    b->len = rng_below(r, b->len + 1);
}

/* A prefix of this module followed by a suffix of another one. */
static void mut_splice(Rng *r, Buf *b, const Corpus *c)
{
    const Input *o = &c->in[rng_below(r, c->n)];
    size_t cut = rng_below(r, b->len + 1);
    size_t from = rng_below(r, o->len + 1);
    b->len = cut;
    buf_splice(b, cut, 0, o->bytes + from, o->len - from);
}

/* Writes v as a LEB128 of exactly `width` bytes (padded); false if v does
 * not fit. */
static bool leb_padded(uint64_t v, size_t width, uint8_t *out)
{
    for (size_t i = 0; i < width; i++) {
        out[i] = (uint8_t)((v & 0x7f) | (i + 1 < width ? 0x80 : 0));
        v >>= 7;
    }
    return v == 0;
}

/* Offsets and widths of the section-size LEBs, walking the section list. */
static size_t section_sizes(const Buf *b, size_t *pos, size_t *width, size_t max)
{
    size_t n = 0, off = 8;
    while (off < b->len && n < max) {
        off++; /* section id */
        size_t start = off;
        uint64_t v = 0;
        unsigned shift = 0;
        while (off < b->len && shift < 35) {
            uint8_t byte = b->p[off++];
            v |= (uint64_t)(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80)) break;
        }
        if (off > b->len || off - start == 0) break;
        pos[n] = start;
        width[n++] = off - start;
        if (v > b->len - off) break;
        off += v;
    }
    return n;
}

static const uint64_t leb_specials[] = {
    0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x7fffffff, 0x80000000, 0xffffffff,
    UINT64_C(0x100000000), UINT64_C(0x7ffffffff),
};

/* A LEB128 somewhere made larger, smaller, huge or overlong: lengths and
 * counts are where decoders trust their input. */
static void mut_leb_bump(Rng *r, Buf *b)
{
    size_t pos[64], width[64];
    size_t n = section_sizes(b, pos, width, 64);
    uint8_t enc[10];
    if (n && rng_below(r, 2)) {
        size_t k = rng_below(r, n);
        uint64_t v = 0;
        for (size_t i = 0; i < width[k]; i++)
            v |= (uint64_t)(b->p[pos[k] + i] & 0x7f) << (7 * i);
        int64_t delta = (int64_t)rng_below(r, 9) - 4;
        uint64_t nv = (uint64_t)((int64_t)v + delta) & 0xffffffffu;
        if (leb_padded(nv, width[k], enc)) {
            memcpy(b->p + pos[k], enc, width[k]);
            return;
        }
        size_t w = 5;
        leb_padded(nv, w, enc);
        buf_splice(b, pos[k], width[k], enc, w);
        return;
    }
    if (!b->len) return;
    /* Any position: overwrite one byte or insert a whole wide LEB. */
    size_t at = rng_below(r, b->len);
    uint64_t v = leb_specials[rng_below(r, sizeof leb_specials / sizeof *leb_specials)];
    size_t w = 1 + rng_below(r, 6);
    while (!leb_padded(v, w, enc)) w++;
    if (rng_below(r, 2))
        buf_splice(b, at, 1, enc, w);
    else
        b->p[at] = (uint8_t)(b->p[at] + 1 + rng_below(r, 3)) | (uint8_t)(rng_below(r, 2) << 7);
}

static void mutate(Rng *r, Buf *b, const Corpus *c)
{
    /* Mostly one mutation: small damage reaches deeper into the engine. */
    unsigned ops = rng_below(r, 4) ? 1 : 2 + (unsigned)rng_below(r, 3);
    for (unsigned i = 0; i < ops; i++) {
        switch (rng_below(r, 10)) {
        case 0: case 1: case 2: mut_flip(r, b); break;
        case 3: mut_insert(r, b); break;
        case 4: mut_delete(r, b); break;
        case 5: mut_truncate(r, b); break;
        case 6: mut_splice(r, b, c); break;
        default: mut_leb_bump(r, b); break;
        }
    }
}

/* ---- checking --------------------------------------------------------- */

typedef struct Options {
    uint64_t seed;
    uint64_t count;
    int64_t only;      /* -1: all */
    const char *dump;
    bool verbose;
    const char *dir;
} Options;

typedef struct Stats {
    uint64_t loaded;       /* mutants that decoded and validated */
    uint64_t rejected;     /* mutants refused with a proper error */
    uint64_t instantiated; /* loaded mutants that also linked and started */
    uint64_t calls;        /* exports called */
    unsigned reported;     /* violations printed so far */
    unsigned checksum;     /* of the bytes accessors return; keeps reads live */
} Stats;

/* Calls every export that takes no parameters, on little fuel. */
static void exercise(b8g_store *s, b8g_instance *inst, const b8g_module *m,
                     Stats *stats)
{
    b8g_val results[64];
    uint32_t n = b8g_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        b8g_extern_kind kind;
        const char *name = b8g_module_export_name(m, i, &kind);
        if (!name || kind != B8G_EXTERN_FUNC) continue;
        uint32_t np, nr;
        const b8g_valtype *pt, *rt;
        if (b8g_export_func(inst, name, &np, &pt, &nr, &rt) != B8G_OK) continue;
        if (np != 0 || nr > 64) continue;
        b8g_error err;
        b8g_store_set_fuel(s, MUT_FUEL);
        stats->calls++;
        b8g_status st = b8g_call(inst, name, NULL, 0, results, nr, &err);
        if (st == B8G_SUSPENDED || b8g_suspended(s)) b8g_abort(s);
        char buf[512];
        b8g_error_format(&err, buf, sizeof buf); /* must not crash either */
    }
}

/* Reads every byte the module's accessors hand out, so ASan sees any that
 * point outside what the engine owns. */
static unsigned touch_accessors(const b8g_module *m)
{
    unsigned sum = 0;
    uint32_t n = b8g_module_custom_count(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *name = NULL;
        size_t len = 0;
        const uint8_t *p = b8g_module_custom(m, i, &name, &len);
        for (size_t k = 0; p && k < len; k++) sum += p[k];
        sum += name ? (unsigned)strlen(name) : 0;
    }
    n = b8g_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        b8g_extern_kind kind;
        const char *name = b8g_module_export_name(m, i, &kind);
        sum += name ? (unsigned)strlen(name) + (unsigned)kind : 0;
    }
    return sum;
}

static void run_loaded(const b8g_module *m, Stats *stats)
{
    stats->checksum += touch_accessors(m);
    b8g_config cfg = {.fuel = MUT_FUEL, .max_stack_bytes = MUT_MAX_STACK,
                      .max_memory_pages = MUT_MAX_PAGES};
    b8g_store *s = b8g_store_new(&cfg);
    if (!s) return;
    b8g_instance *inst = NULL;
    b8g_error err;
    /* Nothing is registered, so any import fails to link: those are
     * skipped, and start functions run on the store's fuel. */
    if (b8g_instantiate(s, m, &inst, &err) == B8G_OK && inst) {
        stats->instantiated++;
        exercise(s, inst, m, stats);
    }
    if (b8g_suspended(s)) b8g_abort(s);
    b8g_store_free(s);
}

static bool load_failure_ok(b8g_status st, const b8g_error *e, size_t len,
                            char *why, size_t n)
{
    if (st != B8G_MALFORMED && st != B8G_INVALID && st != B8G_UNSUPPORTED &&
        st != B8G_LIMIT)
        snprintf(why, n, "unexpected status %s", b8g_status_name(st));
    else if (e->code != st)
        snprintf(why, n, "status %s but error code %s", b8g_status_name(st),
                 b8g_status_name(e->code));
    else if (!e->msg[0])
        snprintf(why, n, "empty message");
    else if (e->offset == B8G_NO_OFFSET)
        snprintf(why, n, "no offset");
    else if (e->offset > len)
        snprintf(why, n, "offset 0x%llx beyond the input (0x%zx bytes)",
                 (unsigned long long)e->offset, len);
    else
        return true;
    return false;
}

static void dump(const char *path, const Buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len)
        fprintf(stderr, "mutate: cannot write %s\n", path);
    if (f) fclose(f);
}

static volatile sig_atomic_t current_mutant;

/* Async-signal-safe: names the mutant that hangs, then fails the run. */
static void on_alarm(int sig)
{
    (void)sig;
    char msg[128] = "mutate: watchdog expired in mutant ";
    size_t n = strlen(msg);
    char digits[24];
    size_t k = 0;
    unsigned long v = (unsigned long)current_mutant;
    do digits[k++] = (char)('0' + v % 10); while ((v /= 10) && k < sizeof digits);
    while (k) msg[n++] = digits[--k];
    static const char tail[] = "\nmutate: 0 passed, 1 failed\n";
    memcpy(msg + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    if (write(1, msg, n) < 0) _exit(2);
    _exit(1);
}

/* Returns true if mutant i behaves. */
static bool check_one(const Options *o, const Corpus *c, uint64_t i, Buf *b,
                      Stats *stats)
{
    Rng r = {o->seed ^ (i * UINT64_C(0xd1b54a32d192ed03))};
    rng_next(&r);
    const Input *src = &c->in[pick_base(&r, c)];
    b->len = 0;
    buf_reserve(b, src->len + 1);
    memcpy(b->p, src->bytes, src->len);
    b->len = src->len;
    mutate(&r, b, c);
    if (o->verbose) fprintf(stderr, "mutant %llu from %s (%zu bytes)\n",
                            (unsigned long long)i, src->path, b->len);
    if (o->dump) dump(o->dump, b);
    current_mutant = (sig_atomic_t)i;

    b8g_module *m = NULL;
    b8g_error err;
    b8g_status st = b8g_module_load(b->p, b->len, &m, &err);
    if (st == B8G_OK) {
        stats->loaded++;
        run_loaded(m, stats);
        b8g_module_free(m);
        return true;
    }
    char why[256];
    if (load_failure_ok(st, &err, b->len, why, sizeof why)) {
        stats->rejected++;
        return true;
    }
    if (stats->reported++ < MUT_MAX_REPORTS) {
        char buf[512];
        printf("mutate: mutant %llu (seed %llu, from %s): %s: %s\n",
               (unsigned long long)i, (unsigned long long)o->seed, src->path, why,
               b8g_error_format(&err, buf, sizeof buf));
    }
    return false;
}

static bool parse_u64_arg(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || errno || *s == '-') return false;
    *out = v;
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: mutate [--seed N] [--count N] [--only I] [--dump FILE] [-v] DIR\n");
    return 2;
}

static bool parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){MUT_DEFAULT_SEED, MUT_DEFAULT_COUNT, -1, NULL, false, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        uint64_t v;
        if (strcmp(a, "-v") == 0) o->verbose = true;
        else if (strcmp(a, "--seed") == 0 && has_val && parse_u64_arg(argv[++i], &v)) o->seed = v;
        else if (strcmp(a, "--count") == 0 && has_val && parse_u64_arg(argv[++i], &v)) o->count = v;
        else if (strcmp(a, "--only") == 0 && has_val && parse_u64_arg(argv[++i], &v)) o->only = (int64_t)v;
        else if (strcmp(a, "--dump") == 0 && has_val) o->dump = argv[++i];
        else if (a[0] != '-' && !o->dir) o->dir = a;
        else return false;
    }
    return o->dir != NULL;
}

int main(int argc, char **argv)
{
    Options o;
    if (!parse_options(argc, argv, &o)) return usage();
    Corpus c = {0};
    corpus_scan(&c, o.dir);
    if (c.n == 0) {
        printf("mutate: no .wasm files under %s\nmutate: 0 passed, 1 failed\n", o.dir);
        return 1;
    }
    qsort(c.in, c.n, sizeof *c.in, by_path);
    corpus_classify(&c);
    signal(SIGALRM, on_alarm);
    alarm(MUT_WATCHDOG_S);

    uint64_t first = o.only >= 0 ? (uint64_t)o.only : 0;
    uint64_t last = o.only >= 0 ? first + 1 : o.count;
    uint64_t passed = 0, failed = 0;
    Stats stats = {0};
    Buf b = {0};
    for (uint64_t i = first; i < last; i++) {
        if (check_one(&o, &c, i, &b, &stats)) passed++;
        else failed++;
    }
    printf("mutate: %zu inputs (%zu valid), seed %llu: %llu mutants rejected, "
           "%llu loaded, %llu instantiated, %llu calls\n", c.n, c.nvalid,
           (unsigned long long)o.seed, (unsigned long long)stats.rejected,
           (unsigned long long)stats.loaded, (unsigned long long)stats.instantiated,
           (unsigned long long)stats.calls);
    printf("mutate: %llu passed, %llu failed\n", (unsigned long long)passed,
           (unsigned long long)failed);
    free(b.p);
    for (size_t i = 0; i < c.n; i++) {
        free(c.in[i].path);
        free(c.in[i].bytes);
    }
    free(c.in);
    free(c.valid);
    free(c.valid_end);
    return failed ? 1 : 0;
}
