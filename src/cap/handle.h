/*
 * handle.h - capability handle tables: what an instance may touch.
 *
 * Every object an instance can reach (files, directories, host streams,
 * sockets; later regions, channels, events, tasks) is reached through an
 * entry of its HandleTable, and through nothing else.  An entry holds one
 * counted reference to the object plus the rights granted with it.
 *
 * Invariants:
 *  - Rights only shrink: an entry is created with at most the rights of the
 *    entry it derives from (cap_derive masks, it never ORs), and no
 *    operation ever adds a right to an existing entry.
 *  - Two names for one entry.  `slot` is the entry's index: WASI file
 *    descriptors are slots, because POSIX programs expect small, lowest-free
 *    numbers.  The b8g ABI hands out *handle values* = slot | generation
 *    bits, XORed with a per-table random salt: closing a slot bumps its
 *    generation, so a stale or foreign handle value fails (cap_lookup)
 *    instead of silently naming whatever reuses the slot.  A WASI file or
 *    directory is both at once (docs/abi.md, "Files and directories").
 *  - An entry's WASI rights travel with it (dup, a message, a task
 *    argument) and are never widened on the way: only WASI's own
 *    fd_fdstat_set_rights changes them, and only downwards.
 *  - A free slot has obj == NULL.  The table never holds more than `max`
 *    entries, so a guest cannot make the host allocate without bound.
 *  - Objects are freed when their last reference (entry or host-side
 *    holder) is dropped: CapObject.destroy runs exactly once.
 */
#ifndef B8G_CAP_HANDLE_H
#define B8G_CAP_HANDLE_H

#include <stdatomic.h>

#include "b8g.h"
#include "util/common.h"

typedef enum CapKind {
    CAP_KIND_FILE,      /* regular file or other non-directory host fd */
    CAP_KIND_DIR,       /* directory (preopen or opened beneath one) */
    CAP_KIND_STREAM,    /* host stdio stream lent to the guest */
    CAP_KIND_SOCKET,    /* socket handed in by the host */
    /* The component ABI's objects (object.h); WASI treats them as not
     * being descriptors, so they must stay after the WASI kinds. */
    CAP_KIND_EVENT,
    CAP_KIND_STREAM_READ,
    CAP_KIND_STREAM_WRITE,
    CAP_KIND_CHANNEL,
    CAP_KIND_REGION,
    CAP_KIND_MODULE,
    CAP_KIND_TASK,
    CAP_KIND_TIMER,
    CAP_KIND_COUNT
} CapKind;

typedef struct CapObject {
    atomic_uint refs;
    uint8_t kind;       /* CapKind */
    void (*destroy)(struct CapObject *o);
} CapObject;

/* Generic rights (the b8g ABI's); WASI rights live beside them. */
#define CAP_RIGHT_READ (1u << 0)
#define CAP_RIGHT_WRITE (1u << 1)
#define CAP_RIGHT_MAP (1u << 2)
#define CAP_RIGHT_CALL (1u << 3)
#define CAP_RIGHT_DUP (1u << 4)
#define CAP_RIGHT_TRANSFER (1u << 5)
#define CAP_RIGHT_WAIT (1u << 6)
#define CAP_RIGHT_SIGNAL (1u << 7)
#define CAP_RIGHT_INSPECT (1u << 8)
#define CAP_RIGHTS_ALL 0x1ffu
/* The generic rights of a WASI file or directory: it can be passed on (a
 * channel message, a task argument) and inspected.  No WAIT: it has no
 * signals (poll_oneoff is how WASI waits on a descriptor).  Host stdio
 * streams and sockets carry none, so they never leave their instance. */
#define CAP_RIGHTS_WASI_FILE (CAP_RIGHT_DUP | CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT)

/* The generic rights WASI gives a descriptor of kind k it makes. */
static inline uint32_t cap_wasi_generic_rights(CapKind k)
{
    return k == CAP_KIND_FILE || k == CAP_KIND_DIR ? CAP_RIGHTS_WASI_FILE : 0;
}

typedef struct HandleEntry {
    CapObject *obj;           /* NULL: free slot */
    uint32_t gen;             /* bumped each time the slot is freed */
    uint32_t rights;          /* CAP_RIGHT_* */
    uint64_t wasi_base;       /* WASI rights of this descriptor */
    uint64_t wasi_inheriting; /* WASI rights for descriptors opened from it */
} HandleEntry;

typedef struct HandleTable {
    HandleEntry *e;
    uint32_t n;        /* slots in use or freed: e[0..n) are initialised */
    uint32_t cap;      /* allocated */
    uint32_t max;      /* most entries ever allowed */
    uint32_t salt;     /* random, per table */
    uint32_t live;     /* entries with obj != NULL */
} HandleTable;

#define CAP_DEFAULT_MAX_HANDLES 4096u

void cap_table_init(HandleTable *t, uint32_t max_entries);
/* Drops every entry's reference. */
void cap_table_release(HandleTable *t);

static inline void cap_ref(CapObject *o) { atomic_fetch_add(&o->refs, 1); }
void cap_unref(CapObject *o);

/* Puts obj (taking one new reference) in the lowest free slot. B8G_LIMIT
 * when the table is full. */
b8g_status cap_insert(HandleTable *t, CapObject *obj, uint32_t rights,
                      uint64_t wasi_base, uint64_t wasi_inheriting,
                      uint32_t *slot, b8g_error *err);
/* Puts obj (taking one new reference) in exactly `slot`, which must be
 * free (a snapshot restore rebuilding a table): B8G_LIMIT past max,
 * B8G_ARG if taken. */
b8g_status cap_insert_at(HandleTable *t, uint32_t slot, CapObject *obj,
                         uint32_t rights, uint64_t wasi_base,
                         uint64_t wasi_inheriting, b8g_error *err);
/* The entry in `slot`, or NULL if out of range or free. */
HandleEntry *cap_slot(HandleTable *t, uint32_t slot);
/* Frees a slot (dropping its reference); false if it was free already. */
bool cap_close(HandleTable *t, uint32_t slot);
/* Frees a slot and hands its reference to the caller instead of dropping
 * it (a handle leaving in a message); NULL if the slot was free. */
CapObject *cap_take(HandleTable *t, uint32_t slot);
/* Moves slot `from` onto slot `to` (closing what `to` held): WASI
 * fd_renumber.  Both must be live. */
bool cap_move(HandleTable *t, uint32_t from, uint32_t to);

/* The salted handle value naming slot, and back (NULL when stale/forged). */
uint32_t cap_handle_value(const HandleTable *t, uint32_t slot);
HandleEntry *cap_lookup(HandleTable *t, uint32_t value, uint32_t *slot);

#endif
