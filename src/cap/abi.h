/*
 * abi.h - the import module "b8g": how components use their handles
 * (internal; the guest-facing contract is docs/abi.md).
 *
 * Every function finds handles in the *calling instance's* table and
 * touches the caller's memory 0 only through abi_span, so a guest value
 * can name nothing but its own handles and its own memory.  Results are
 * i32 (or i64): >= 0 on success, -CapErr on failure; only an interrupt
 * (timeout, cancel) while blocked stops the guest, as a trap.
 */
#ifndef B8G_CAP_ABI_H
#define B8G_CAP_ABI_H

#include "cap/object.h"
#include "rt/instance.h"

#define ABI_MODULE "b8g"

/* Flags of the reading and writing calls. */
#define ABI_NONBLOCK 1u

/* What a call of the module works on. */
typedef struct AbiCall {
    b8g_hostcall *call;
    HandleTable *t;      /* the caller's table */
    Memory *mem;         /* the caller's memory 0, or NULL */
    CapCancel cancel;    /* the store's interrupt */
} AbiCall;

typedef struct AbiFuncDef {
    const char *name;
    const char *sig;
    b8g_host_fn fn;
} AbiFuncDef;

extern const AbiFuncDef abi_core_funcs[]; /* abi.c: handles, events, waits */
extern const uint32_t abi_core_count;
extern const AbiFuncDef abi_io_funcs[];   /* abi_io.c: regions, streams, channels */
extern const uint32_t abi_io_count;
extern const AbiFuncDef abi_link_funcs[]; /* abi_link.c: link keys */
extern const uint32_t abi_link_count;
extern const AbiFuncDef abi_task_funcs[]; /* abi_task.c: tasks */
extern const uint32_t abi_task_count;
extern const AbiFuncDef abi_timer_funcs[]; /* abi_timer.c: timers */
extern const uint32_t abi_timer_count;

/* False (and nothing usable in a) if the caller is not a module instance. */
bool abi_begin(b8g_hostcall *call, AbiCall *a);

/* The live entry for handle value h, of kind `kind` (CAP_KIND_COUNT: any
 * kind of the ABI's, WASI files and directories included) with every
 * right of `need`. */
CapErr abi_get(AbiCall *a, uint32_t h, CapKind kind, uint32_t need, HandleEntry **e,
               uint32_t *slot);

/* [ptr, ptr+len) of the caller's memory, or NULL if it is not all inside. */
uint8_t *abi_span(AbiCall *a, uint32_t ptr, uint64_t len);

/* Puts obj (taking a new reference) into the table; the handle value or
 * -CapErr.  For objects a call makes, which carry no WASI rights. */
int64_t abi_insert(AbiCall *a, CapObject *obj, uint32_t rights);
/* The same for a handle that carries WASI rights (a dup, a received
 * handle): rights are masked to the kind's, WASI rights to the object's
 * bound (wasi.h), so what comes out is never more than what went in. */
int64_t abi_insert_held(AbiCall *a, const CapMsgHandle *h);
/* What entry e becomes in flight with generic rights `rights` (the caller
 * has checked they are a subset of e's): its object and WASI rights. */
CapMsgHandle abi_entry_handle(const HandleEntry *e, uint32_t rights);
/* What a host object given with `rights` carries: rights masked to its
 * kind, and for a file or directory the WASI rights it was opened with. */
CapMsgHandle abi_host_handle(CapObject *o, uint32_t rights);
/* Puts h into inst's table as abi_insert_held does; *handle gets its
 * value.  B8G_LIMIT when the table is full. */
b8g_status abi_grant(b8g_instance *inst, const CapMsgHandle *h, uint32_t *handle,
                     b8g_error *err);

/* Rights an object of kind k can carry: what handles to it are masked to. */
uint32_t abi_kind_rights(CapKind k);

/* For blocking calls: a cancelled wait becomes the interrupt trap. */
b8g_status abi_interrupted(AbiCall *a, b8g_error *err);

#endif
