/*
 * store.c - stores: configuration, fuel, the registry of importable names,
 * canonical function types, and freeing everything (see store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "prof/profile.h"
#include "rt/store.h"
#include "util/err.h"

b8g_store *b8g_store_new(const b8g_config *cfg)
{
    b8g_store *s = xcalloc(1, sizeof *s);
    if (cfg) s->cfg = *cfg;
    s->fuel_unlimited = s->cfg.fuel == 0;
    s->fuel = s->cfg.fuel;
    /* Tables are guest-controlled host memory as much as linear memory is:
     * without an explicit budget, a memory cap bounds them too. */
    if (s->cfg.max_table_elements)
        s->table_slots = s->cfg.max_table_elements;
    else if (s->cfg.max_memory_pages)
        s->table_slots = (uint64_t)s->cfg.max_memory_pages * 65536u / sizeof(uint64_t);
    else
        s->table_slots = STORE_TABLE_SLOTS;
    return s;
}

/* Unlimited fuel is handed to the interpreter as UINT64_MAX, which no real
 * run can exhaust. */
static uint64_t store_vm_fuel(const b8g_store *s)
{
    return s->fuel_unlimited ? UINT64_MAX : s->fuel;
}

struct Thread *store_thread(b8g_store *s)
{
    if (!s->thread) {
        struct Thread *th = vm_thread_new(s->cfg.max_stack_bytes);
        if (!th) return NULL;
        vm_set_fuel(th, store_vm_fuel(s));
        prof_attach_thread(s->prof, th);
        /* b8g_store_interrupt may read the pointer from another thread.
         * Publish, then look for a cancellation: b8g_store_cancel sets its
         * flag, then looks for the thread, so one of the two sees the
         * other. */
        __atomic_store_n(&s->thread, th, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&s->cancelled, __ATOMIC_SEQ_CST)) vm_cancel(th);
    }
    return s->thread;
}

uint32_t store_max_pages(const b8g_store *s)
{
    uint32_t cap = s->cfg.max_memory_pages;
    return cap && cap < WASM_MAX_PAGES ? cap : WASM_MAX_PAGES;
}

uint64_t b8g_store_fuel(const b8g_store *s)
{
    if (s->fuel_unlimited) return UINT64_MAX;
    return s->thread ? vm_fuel(s->thread) : s->fuel;
}

void b8g_store_set_fuel(b8g_store *s, uint64_t fuel)
{
    s->fuel_unlimited = fuel == 0;
    s->fuel = fuel;
    if (s->thread) vm_set_fuel(s->thread, store_vm_fuel(s));
}

void b8g_store_interrupt(b8g_store *s)
{
    /* No thread yet means nothing is running, so nothing to stop. */
    struct Thread *th = __atomic_load_n(&s->thread, __ATOMIC_ACQUIRE);
    if (th) vm_interrupt(th);
}

void b8g_store_cancel(b8g_store *s)
{
    __atomic_store_n(&s->cancelled, 1, __ATOMIC_SEQ_CST);
    struct Thread *th = __atomic_load_n(&s->thread, __ATOMIC_SEQ_CST);
    if (th) vm_cancel(th);
}

bool b8g_store_interrupt_pending(const b8g_store *s)
{
    struct Thread *th = __atomic_load_n(&s->thread, __ATOMIC_ACQUIRE);
    return th && vm_interrupt_pending(th);
}

/* ---- registry ----------------------------------------------------------- */

static StoreName *store_find_name(const b8g_store *s, const char *name,
                                  uint32_t len)
{
    for (uint32_t i = 0; i < s->nnames; i++) {
        StoreName *n = &s->names[i];
        if (n->len == len && memcmp(n->name, name, len) == 0) return n;
    }
    return NULL;
}

b8g_instance *store_lookup(const b8g_store *s, const char *name, uint32_t len)
{
    StoreName *n = store_find_name(s, name, len);
    return n ? n->inst : NULL;
}

b8g_status b8g_register(b8g_store *s, const char *name, b8g_instance *inst)
{
    /* Objects never cross stores: linking another store's instance would
     * share memories and functions between two isolated contexts. */
    if (!s || !name || !inst || inst->store != s) return B8G_ARG;
    size_t len = strlen(name);
    if (len > UINT32_MAX) return B8G_ARG;
    StoreName *n = store_find_name(s, name, (uint32_t)len);
    if (n) {
        n->inst = inst;
    } else {
        if (s->nnames == s->cap_names) {
            s->cap_names = s->cap_names ? s->cap_names * 2 : 8;
            s->names = xrealloc(s->names, s->cap_names * sizeof *s->names);
        }
        n = &s->names[s->nnames++];
        *n = (StoreName){xstrndup(name, len), (uint32_t)len, inst};
    }
    /* The name strings live as long as the store, whatever they come to
     * name later: a trace can point at one. */
    if (!inst->mod && !inst->host_module) inst->host_module = n->name;
    return B8G_OK;
}

/* ---- canonical function types -------------------------------------------- */

static uint32_t canon_hash(const FuncType *t)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    uint32_t n = t->nparams + t->nresults;
    const uint32_t head[2] = {t->nparams, t->nresults};
    for (size_t i = 0; i < sizeof head; i++) h = (h ^ ((const uint8_t *)head)[i]) * 16777619u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ t->types[i]) * 16777619u;
    return h;
}

static bool canon_equal(const FuncType *a, const FuncType *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

/* Doubles the slot array; keeps the load factor at most 1/2. */
static void canon_rehash(b8g_store *s)
{
    uint32_t nslots = s->canon_mask ? (s->canon_mask + 1) * 2 : 64;
    free(s->canon_slots);
    s->canon_slots = xcalloc(nslots, sizeof *s->canon_slots);
    s->canon_mask = nslots - 1;
    for (uint32_t id = 0; id < s->ncanon; id++) {
        uint32_t i = s->canon[id]->hash & s->canon_mask;
        while (s->canon_slots[i]) i = (i + 1) & s->canon_mask;
        s->canon_slots[i] = id + 1;
    }
}

static uint32_t canon_add(b8g_store *s, const FuncType *t, uint32_t h)
{
    uint32_t n = t->nparams + t->nresults;
    CanonType *c = xcalloc(1, sizeof *c);
    c->ft.nparams = t->nparams;
    c->ft.nresults = t->nresults;
    c->ft.types = xmalloc(n);
    memcpy(c->ft.types, t->types, n);
    c->api_types = xmalloc(n * sizeof *c->api_types);
    for (uint32_t i = 0; i < n; i++) c->api_types[i] = (b8g_valtype)t->types[i];
    c->hash = h;
    if (s->ncanon == s->cap_canon) {
        s->cap_canon = s->cap_canon ? s->cap_canon * 2 : 16;
        s->canon = xrealloc(s->canon, s->cap_canon * sizeof *s->canon);
    }
    s->canon[s->ncanon] = c;
    return s->ncanon++;
}

uint32_t store_canon_type(b8g_store *s, const FuncType *t)
{
    if ((uint64_t)(s->ncanon + 1) * 2 > (uint64_t)s->canon_mask + 1) canon_rehash(s);
    uint32_t h = canon_hash(t);
    uint32_t i = h & s->canon_mask;
    for (; s->canon_slots[i]; i = (i + 1) & s->canon_mask) {
        const CanonType *c = s->canon[s->canon_slots[i] - 1];
        if (c->hash == h && canon_equal(&c->ft, t)) return s->canon_slots[i] - 1;
    }
    uint32_t id = canon_add(s, t, h);
    s->canon_slots[i] = id + 1;
    return id;
}

const CanonType *store_canon(const b8g_store *s, uint32_t id)
{
    return id < s->ncanon ? s->canon[id] : NULL;
}

/* ---- ownership ----------------------------------------------------------- */

void store_add_instance(b8g_store *s, b8g_instance *inst)
{
    inst->store = s;
    inst->next_in_store = s->instances;
    s->instances = inst;
}

b8g_status store_new_table(b8g_store *s, Table **out, ValType type, uint32_t min,
                           uint32_t max, bool has_max, b8g_error *err)
{
    *out = NULL;
    if (min > s->table_slots)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "table too large: %u elements exceed the %llu left of the "
                       "store's table budget", min, (unsigned long long)s->table_slots);
    Table *t = xcalloc(1, sizeof *t);
    b8g_status st = table_init(t, type, min, max, has_max, err);
    if (st) {
        free(t);
        return st;
    }
    s->table_slots -= min;
    t->budget = &s->table_slots;
    *out = t;
    return B8G_OK;
}

void store_hold_module(b8g_store *s, struct b8g_module *m)
{
    if (s->nheld == s->cap_held) {
        s->cap_held = s->cap_held ? s->cap_held * 2 : 8;
        s->held = xrealloc(s->held, s->cap_held * sizeof *s->held);
    }
    s->held[s->nheld++] = m;
}

void b8g_store_free(b8g_store *s)
{
    if (!s) return;
    /* A profile outlives its store, with labels only. */
    if (s->prof) b8g_profile_stop((b8g_profile *)s->prof);
    if (s->thread) vm_thread_free(s->thread);
    for (b8g_instance *i = s->instances, *next; i; i = next) {
        next = i->next_in_store;
        inst_free(i);
    }
    for (uint32_t i = 0; i < s->nnames; i++) free(s->names[i].name);
    free(s->names);
    for (uint32_t i = 0; i < s->ncanon; i++) {
        free(s->canon[i]->ft.types);
        free(s->canon[i]->api_types);
        free(s->canon[i]);
    }
    free(s->canon);
    free(s->canon_slots);
    /* Modules last: instances point into them until freed above. */
    for (uint32_t i = 0; i < s->nheld; i++) b8g_module_free(s->held[i]);
    free(s->held);
    free(s);
}
