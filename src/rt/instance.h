/*
 * instance.h - runtime objects: function, global and module instances, and
 * the store that owns them.
 *
 * Ownership: a store owns every instance and every memory, table, global
 * and function object created in it; they live until b8g_store_free.  An
 * instance that imports an object points at the exporter's object, so two
 * instances share it exactly when linking says so and never otherwise.
 *
 * Slots: values in globals, tables and on the engine stack are 64-bit slots:
 * i32 zero-extended, i64 as is, f32/f64 as their bits, references as
 * pointers (NULL = null).
 */
#ifndef B8G_RT_INSTANCE_H
#define B8G_RT_INSTANCE_H

#include "b8g.h"
#include "cap/handle.h"
#include "rt/memory.h"
#include "rt/table.h"
#include "wasm/module.h"

struct XlFunc;
struct Thread;

typedef struct FuncInst {
    uint32_t canon;              /* canonical type id in the store: equal ids
                                    <=> structurally equal function types */
    const FuncType *type;
    struct b8g_instance *inst;   /* defining instance */
    uint32_t idx;                /* function index in its module */
    const struct XlFunc *code;   /* translated body; NULL for host functions */
    b8g_host_fn host;
    void *user;
    const char *host_name;       /* host functions: the name given to
                                    b8g_host_func (owned by the host
                                    instance's export list), for traces */
} FuncInst;

typedef struct GlobalInst {
    uint64_t val;
    ValType type;
    bool mut;
} GlobalInst;

typedef struct HostExport {
    Name name;
    ExternKind kind;
    void *obj; /* FuncInst*, Table*, Memory* or GlobalInst* */
} HostExport;

struct b8g_instance {
    b8g_store *store;
    const Module *mod;       /* NULL for host instances */
    uint64_t id;             /* b8g_instance_id: unique in the process, from
                                1 (module instances; 0 for host ones) */
    const char *host_module; /* host instances: the first name registered
                                under (owned by the store's registry), for
                                traces; NULL if never registered */
    FuncInst **funcs;        /* index space incl. imports */
    uint32_t nfuncs;
    Table **tables;
    uint32_t ntables;
    Memory **mems;
    uint32_t nmems;
    GlobalInst **globals;
    uint32_t nglobals;
    Memory *mem0;            /* mems[0] or NULL: the interpreter's fast path */
    uint32_t *type_canon;    /* canonical id of each module type index, so
                                call_indirect compares one integer */
    /* element segments evaluated to references; a dropped segment has
     * elem_len 0 (the spec's "dropped" is exactly "empty") */
    uint64_t **elem_refs;
    uint32_t *elem_len;
    uint32_t nelems;
    /* data segments: len becomes 0 when dropped */
    uint32_t *data_len;
    uint32_t ndatas;
    HandleTable handles;     /* capabilities granted to this instance; all
                                zero (max 0) until first granted */
    bool read_secrets;       /* read entropy or a clock through WASI: a
                                snapshot of it is not rehashable */
    bool link_registered;    /* has an entry in cap/link.c's registry (a
                                link key); written under its lock, read
                                unlocked by inst_free on the store's thread */
    HostExport *host_exports; /* host instances only */
    uint32_t nhost_exports;
    struct b8g_instance *next_in_store;
    /* name -> export index + 1 (open addressing, 0 = empty), built on the
     * first lookup in a module instance, so linking N imports against M
     * exports costs N + M, not N * M */
    uint32_t *export_index;
    uint32_t export_mask;
};

/* Finds an export of inst (module or host instance): object and kind. */
bool inst_find_export(b8g_instance *inst, const char *name, uint32_t len,
                      ExternKind *kind, void **obj);

/* Canonical id of a function type, interned in the store. */
uint32_t store_canon_type(b8g_store *s, const FuncType *t);
/* The store's engine-managed stack (created on first use). */
struct Thread *store_thread(b8g_store *s);
uint32_t store_max_pages(const b8g_store *s);

#endif
