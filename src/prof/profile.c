/*
 * profile.c - the profiler: sampling ticks into a calling-context tree,
 * the wall-clock timer thread, and the reports (profile.h, b8g.h).
 *
 * The tree's nodes are (parent, function) pairs found through one open-
 * addressing table, so a tick costs one lookup per frame.  Functions get
 * small ids on first sight, with their label copied: reports must not
 * depend on the store, which may be gone by then.  Sizes are bounded: a
 * stack deeper than MAX_DEPTH keeps its innermost frames under a
 * "[deeper]" node, and once MAX_NODES nodes exist new stacks go to an
 * "[other]" node, so a hostile guest cannot make the host allocate
 * without bound.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prof/profile.h"
#include "rt/store.h"
#include "util/err.h"
#include "util/sort.h"
#include "wasm/module.h"

#define DEFAULT_PERIOD 61u       /* prime: no loop keeps in step with it */
#define DEFAULT_SAMPLE_US 1000u
#define MAX_DEPTH 256u
#define MAX_NODES (1u << 20)
#define MAX_FUNCS (1u << 16)
#define ROOT 0u
#define NO_FUNC UINT32_MAX

typedef struct Node {
    uint32_t parent;
    uint32_t func;         /* id in Profiler.funcs, or a marker's id */
    uint64_t units, ns;    /* self */
} Node;

typedef struct FuncInfo {
    const FuncInst *fn;    /* identity while the store lives */
    char *label;
    uint32_t index;        /* in its module */
} FuncInfo;

struct Profiler {
    b8g_store *store;      /* NULL once stopped */
    uint32_t period;       /* 0: units not counted */
    uint64_t sample_ns;
    Node *nodes;
    uint32_t nnodes, cap_nodes;
    uint32_t *slots;       /* node id + 1 by (parent, func); 0 empty */
    uint32_t nslots;       /* a power of two, at least twice nnodes */
    FuncInfo *funcs;
    uint32_t nfuncs, cap_funcs;
    const FuncInst **fslots; /* func id + 1 by FuncInst, kept as ids */
    uint32_t *fids;
    uint32_t nfslots;
    uint32_t deeper, other; /* marker function ids */
    uint32_t other_node;   /* where stacks go once the tree is full */
    uint64_t units, ns;    /* totals */
    uint64_t last_wall;
    atomic_bool wall_due;
    pthread_t timer;
    bool timer_running;
    pthread_mutex_t lock;
    pthread_cond_t stop;
    bool stopping;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (uint32_t)k;
}

/* ---- functions ------------------------------------------------------------ */

static uint32_t add_func(Profiler *p, const FuncInst *fn, const char *label, uint32_t index)
{
    if (p->nfuncs == p->cap_funcs) {
        p->cap_funcs = p->cap_funcs ? p->cap_funcs * 2 : 64;
        p->funcs = xrealloc(p->funcs, p->cap_funcs * sizeof *p->funcs);
    }
    char buf[32];
    if (!label) {
        snprintf(buf, sizeof buf, "func[%u]", index);
        label = buf;
    }
    size_t n = strlen(label) + 1;
    char *copy = xrealloc(NULL, n);
    memcpy(copy, label, n);
    p->funcs[p->nfuncs] = (FuncInfo){fn, copy, index};
    return p->nfuncs++;
}

static void grow_fslots(Profiler *p)
{
    uint32_t n = p->nfslots ? p->nfslots * 2 : 256;
    const FuncInst **fs = xcalloc(n, sizeof *fs);
    uint32_t *ids = xcalloc(n, sizeof *ids);
    for (uint32_t i = 0; i < p->nfslots; i++) {
        if (!p->fslots[i]) continue;
        uint32_t j = mix((uintptr_t)p->fslots[i]) & (n - 1);
        while (fs[j]) j = (j + 1) & (n - 1);
        fs[j] = p->fslots[i];
        ids[j] = p->fids[i];
    }
    free(p->fslots);
    free(p->fids);
    p->fslots = fs;
    p->fids = ids;
    p->nfslots = n;
}

static uint32_t func_id(Profiler *p, const FuncInst *fn)
{
    if (p->nfuncs * 2 >= p->nfslots) grow_fslots(p);
    uint32_t j = mix((uintptr_t)fn) & (p->nfslots - 1);
    while (p->fslots[j]) {
        if (p->fslots[j] == fn) return p->fids[j];
        j = (j + 1) & (p->nfslots - 1);
    }
    if (p->nfuncs >= MAX_FUNCS) return p->other;
    const Module *m = fn->inst ? fn->inst->mod : NULL;
    uint32_t id = add_func(p, fn, m ? mod_func_label(m, fn->idx) : NULL, fn->idx);
    p->fslots[j] = fn;
    p->fids[j] = id;
    return id;
}

/* ---- the tree ---------------------------------------------------------------- */

static uint32_t slot_hash(uint32_t parent, uint32_t func)
{
    return mix((uint64_t)parent << 32 | func);
}

static void grow_slots(Profiler *p)
{
    uint32_t n = p->nslots * 2;
    uint32_t *s = xcalloc(n, sizeof *s);
    for (uint32_t id = 1; id < p->nnodes; id++) {
        uint32_t j = slot_hash(p->nodes[id].parent, p->nodes[id].func) & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = id + 1;
    }
    free(p->slots);
    p->slots = s;
    p->nslots = n;
}

static uint32_t child(Profiler *p, uint32_t parent, uint32_t func)
{
    uint32_t mask = p->nslots - 1, j = slot_hash(parent, func) & mask;
    for (uint32_t id; (id = p->slots[j]); j = (j + 1) & mask) {
        const Node *n = &p->nodes[id - 1];
        if (n->parent == parent && n->func == func) return id - 1;
    }
    if (p->nnodes >= MAX_NODES) return p->other_node;
    if (p->nnodes == p->cap_nodes) {
        p->cap_nodes *= 2;
        p->nodes = xrealloc(p->nodes, p->cap_nodes * sizeof *p->nodes);
    }
    uint32_t id = p->nnodes++;
    p->nodes[id] = (Node){parent, func, 0, 0};
    p->slots[j] = id + 1;
    if (p->nnodes * 2 > p->nslots) grow_slots(p);
    return id;
}

/* The node of th's stack as it stands. */
static uint32_t stack_node(Profiler *p, const Thread *th)
{
    const Frame *first = th->frames + 1, *last = th->cur;
    uint32_t node = ROOT;
    if (last < first) return node;
    if ((size_t)(last - first) >= MAX_DEPTH) {
        node = child(p, ROOT, p->deeper);
        first = last - (MAX_DEPTH - 1);
    }
    for (const Frame *f = first; f <= last; f++) node = child(p, node, func_id(p, f->fn));
    return node;
}

void prof_tick(Profiler *p, const Thread *th, int64_t units)
{
    bool wall = atomic_exchange_explicit(&p->wall_due, false, memory_order_relaxed);
    if (units <= 0 && !wall) return;
    uint32_t node = stack_node(p, th);
    if (units > 0 && p->period) {
        p->nodes[node].units += (uint64_t)units;
        p->units += (uint64_t)units;
    }
    if (wall) {
        uint64_t now = now_ns(), d = now - p->last_wall;
        p->last_wall = now;
        p->nodes[node].ns += d;
        p->ns += d;
    }
}

/* ---- attaching and the timer --------------------------------------------------- */

void prof_attach_thread(Profiler *p, Thread *th)
{
    th->prof = p;
    th->chunk = p && p->period ? p->period : VM_CHUNK;
}

static void *timer_main(void *arg)
{
    Profiler *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        uint64_t until = now_ns() + p->sample_ns;
        struct timespec ts = {(time_t)(until / 1000000000ull), (long)(until % 1000000000ull)};
        int rc = 0;
        while (!p->stopping && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&p->stop, &p->lock, &ts);
        atomic_store_explicit(&p->wall_due, true, memory_order_relaxed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static bool start_timer(Profiler *p)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->stop, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&p->lock, NULL);
    p->timer_running = pthread_create(&p->timer, NULL, timer_main, p) == 0;
    return p->timer_running;
}

b8g_status b8g_profile_start(b8g_store *s, const b8g_profile_config *cfg, b8g_profile **out,
                             b8g_error *err)
{
    if (!s || !out) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "profile: NULL argument");
    *out = NULL;
    if (s->prof) return err_set(err, B8G_ARG, B8G_NO_OFFSET, "profile: the store has one already");
    if (s->suspended)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "profile: the store has a suspended call");
    Profiler *p = xcalloc(1, sizeof *p);
    uint32_t period = cfg && cfg->period ? cfg->period : DEFAULT_PERIOD;
    p->period = period == UINT32_MAX ? 0 : period;
    p->sample_ns = (uint64_t)(cfg && cfg->sample_us ? cfg->sample_us : DEFAULT_SAMPLE_US) * 1000u;
    p->cap_nodes = 1024;
    p->nodes = xcalloc(p->cap_nodes, sizeof *p->nodes);
    p->nodes[0] = (Node){ROOT, NO_FUNC, 0, 0};
    p->nnodes = 1;
    p->nslots = 2048;
    p->slots = xcalloc(p->nslots, sizeof *p->slots);
    p->deeper = add_func(p, NULL, "[deeper]", 0);
    p->other = add_func(p, NULL, "[other]", 0);
    p->other_node = child(p, ROOT, p->other);
    p->last_wall = now_ns();
    if (!start_timer(p)) {
        b8g_profile_free((b8g_profile *)p);
        return err_set(err, B8G_IO, B8G_NO_OFFSET, "profile: cannot start the sampling thread");
    }
    p->store = s;
    s->prof = p;
    if (s->thread) prof_attach_thread(p, s->thread);
    *out = (b8g_profile *)p;
    return B8G_OK;
}

void b8g_profile_stop(b8g_profile *bp)
{
    Profiler *p = (Profiler *)bp;
    if (!p) return;
    if (p->store) {
        if (p->store->thread) prof_attach_thread(NULL, p->store->thread);
        p->store->prof = NULL;
        p->store = NULL;
    }
    if (p->timer_running) {
        pthread_mutex_lock(&p->lock);
        p->stopping = true;
        pthread_cond_signal(&p->stop);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->timer, NULL);
        p->timer_running = false;
        pthread_cond_destroy(&p->stop);
        pthread_mutex_destroy(&p->lock);
    }
    /* Function identities die with the store: only labels remain. */
    for (uint32_t i = 0; i < p->nfuncs; i++) p->funcs[i].fn = NULL;
    free(p->fslots);
    free(p->fids);
    p->fslots = NULL;
    p->fids = NULL;
    p->nfslots = 0;
}

void b8g_profile_free(b8g_profile *bp)
{
    Profiler *p = (Profiler *)bp;
    if (!p) return;
    b8g_profile_stop(bp);
    for (uint32_t i = 0; i < p->nfuncs; i++) free(p->funcs[i].label);
    free(p->funcs);
    free(p->nodes);
    free(p->slots);
    free(p);
}

/* ---- reports -------------------------------------------------------------------- */

uint64_t b8g_profile_total(const b8g_profile *bp, bool wall)
{
    const Profiler *p = (const Profiler *)bp;
    return !p ? 0 : wall ? p->ns : p->units;
}

static int by_self(const void *a, const void *b)
{
    const b8g_profile_func *x = a, *y = b;
    if (x->self_units != y->self_units) return x->self_units < y->self_units ? 1 : -1;
    if (x->self_ns != y->self_ns) return x->self_ns < y->self_ns ? 1 : -1;
    return x->func < y->func ? -1 : x->func > y->func;
}

uint32_t b8g_profile_functions(b8g_profile *bp, b8g_profile_func *out, uint32_t cap)
{
    Profiler *p = (Profiler *)bp;
    if (!p) return 0;
    b8g_profile_func *all = xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof *all);
    /* A function counts once per stack in its total, however often it
     * recurses there: `seen` holds the node that last counted it. */
    uint32_t *seen = xcalloc(p->nfuncs ? p->nfuncs : 1, sizeof *seen);
    for (uint32_t i = 0; i < p->nfuncs; i++) {
        all[i].name = p->funcs[i].label;
        all[i].func = p->funcs[i].index;
    }
    for (uint32_t id = 1; id < p->nnodes; id++) {
        const Node *n = &p->nodes[id];
        if (!n->units && !n->ns) continue;
        all[n->func].self_units += n->units;
        all[n->func].self_ns += n->ns;
        for (uint32_t a = id; a != ROOT; a = p->nodes[a].parent) {
            uint32_t f = p->nodes[a].func;
            if (seen[f] == id) continue;
            seen[f] = id;
            all[f].total_units += n->units;
            all[f].total_ns += n->ns;
        }
    }
    /* Only functions something was counted for. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nfuncs; i++)
        if (all[i].total_units || all[i].total_ns) all[n++] = all[i];
    util_sort(all, n, sizeof *all, by_self);
    memcpy(out, all, (n < cap ? n : cap) * sizeof *all);
    free(seen);
    free(all);
    return n;
}

typedef struct Text {
    char *buf;
    size_t cap, len;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    if (t->len < t->cap) {
        size_t room = t->cap - t->len;
        memcpy(t->buf + t->len, s, n < room ? n : room);
    }
    t->len += n;
}

static void put_label(Text *t, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char o = c == ';' || c <= ' ' || c == 0x7f ? '_' : (char)c;
        put(t, &o, 1);
    }
}

static void put_path(Text *t, const Profiler *p, uint32_t id)
{
    if (p->nodes[id].parent != ROOT) {
        put_path(t, p, p->nodes[id].parent);
        put(t, ";", 1);
    }
    put_label(t, p->funcs[p->nodes[id].func].label);
}

size_t b8g_profile_folded(b8g_profile *bp, bool wall, char *buf, size_t cap)
{
    Profiler *p = (Profiler *)bp;
    Text t = {buf, cap, 0};
    for (uint32_t id = 1; p && id < p->nnodes; id++) {
        uint64_t v = wall ? p->nodes[id].ns / 1000 : p->nodes[id].units;
        if (!v) continue;
        put_path(&t, p, id);
        char num[32];
        int k = snprintf(num, sizeof num, " %llu\n", (unsigned long long)v);
        put(&t, num, (size_t)k);
    }
    if (cap) buf[t.len < cap ? t.len : cap - 1] = 0;
    return t.len;
}
