/*
 * store.h - the store's inside, for the runtime and the public API layer.
 *
 * A store owns, until b8g_store_free:
 *  - every instance created in it (module and host), on the list
 *    `instances` linked through next_in_store; each instance owns the
 *    objects it defined (imports point into their exporter);
 *  - one reference to each module instantiated in it (`held`), because
 *    instances run the module's translated code and point at its types;
 *  - the canonical function types: structurally equal types get one id, so
 *    type checks at link time and in call_indirect compare integers;
 *  - the registry of names under which instances can be imported;
 *  - the engine stack (Thread), created on first use, and the result types
 *    of a suspended call so b8g_resume can type its results.
 */
#ifndef B8G_RT_STORE_H
#define B8G_RT_STORE_H

#include "rt/instance.h"
#include "wasm/limits.h"

/* Table slots all tables of one store may hold together (8 bytes each):
 * one module may define up to LIM_TABLES tables of LIM_TABLE_ELEMS each,
 * far more than any host has memory for. */
#define STORE_TABLE_SLOTS (4ull * LIM_TABLE_ELEMS)

typedef struct StoreName {
    char *name;
    uint32_t len;
    b8g_instance *inst;
} StoreName;

/* One canonical function type: its own copy of the types, plus the same
 * types as b8g_valtype for b8g_export_func. */
typedef struct CanonType {
    FuncType ft;
    b8g_valtype *api_types; /* params, then results */
    uint32_t hash;
} CanonType;

struct b8g_store {
    b8g_config cfg;
    struct Profiler *prof;      /* b8g_profile_start, or NULL */
    struct Thread *thread;      /* published atomically: see store_thread */
    int cancelled;              /* b8g_store_cancel (atomic) */
    bool fuel_unlimited;
    uint64_t fuel;              /* fuel to install when the thread is made */

    b8g_instance *instances;    /* newest first */
    uint64_t table_slots;       /* left of STORE_TABLE_SLOTS (Table.budget) */

    StoreName *names;
    uint32_t nnames, cap_names;

    CanonType **canon;          /* by id; pointers stay put when it grows */
    uint32_t ncanon, cap_canon;
    uint32_t *canon_slots;      /* open addressing: id + 1, 0 = empty */
    uint32_t canon_mask;        /* slot count - 1 (a power of two) */

    struct b8g_module **held;
    uint32_t nheld, cap_held;

    bool suspended;             /* a b8g_call is paused in `thread` */
    uint32_t susp_canon;        /* its function's canonical type */

    /* b8g_store_set_tracer (trace/trace.c).  A host call tests `tracer`
     * and nothing else when tracing is off (exec/hostcall.c). */
    b8g_trace_fn tracer;
    void *tracer_arg;
    uint64_t trace_epoch_ns;    /* CLOCK_MONOTONIC when it was set */

    /* b8g_store_set_debugger: called at every debug stop of a module
     * loaded with b8g_module_load_debug (api/debugger.c). */
    b8g_debug_fn debugger;
    void *debugger_arg;
};

/* store_thread (instance.h) returns NULL only if the engine stack cannot
 * be allocated; callers report B8G_NOMEM. */

/* The canonical type behind an id from store_canon_type. */
const CanonType *store_canon(const b8g_store *s, uint32_t id);
/* Links a new instance into the store (which then frees it). */
void store_add_instance(b8g_store *s, b8g_instance *inst);
/* The instance registered under name[0..len), or NULL. */
b8g_instance *store_lookup(const b8g_store *s, const char *name, uint32_t len);
/* Makes a table for the store, drawing `min` slots from its budget (and
 * growth later); B8G_LIMIT when the budget is spent. */
b8g_status store_new_table(b8g_store *s, Table **out, ValType type, uint32_t min,
                           uint32_t max, bool has_max, b8g_error *err);
/* Keeps a reference to m until the store is freed. */
void store_hold_module(b8g_store *s, struct b8g_module *m);

/* Instantiates without initialising segments or running start (snapshot
 * restore), and takes an instance that nothing can reference yet out of
 * its store again (inst_discard). */
b8g_status inst_instantiate_bare(b8g_store *s, const struct b8g_module *bm,
                                 b8g_instance **out, b8g_error *err);
void inst_discard(b8g_instance *inst);
/* Frees what inst owns (module or host instance) and inst itself. */
void inst_free(b8g_instance *inst);
/* Frees the objects a host instance created (b8g_host_*). */
void host_release(b8g_instance *h);

/* Slot <-> typed value, as instance.h describes slots. */
uint64_t inst_slot_from_val(const b8g_val *v);
b8g_val inst_val_from_slot(ValType t, uint64_t slot);

#endif
