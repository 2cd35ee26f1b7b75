/*
 * handle.c - the capability handle table (invariants in handle.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cap/handle.h"
#include "util/err.h"

/* Low bits of a handle value name the slot, the rest carry the slot's
 * generation; the salt scrambles both so values are not guessable.  Values
 * use 31 bits: the ABI returns handles and negative error codes in one
 * i32, so a handle is never negative. */
#define SLOT_BITS 20u
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define VALUE_MASK 0x7fffffffu
#define GEN_MASK (VALUE_MASK >> SLOT_BITS)

void cap_table_init(HandleTable *t, uint32_t max_entries)
{
    memset(t, 0, sizeof *t);
    t->max = max_entries && max_entries <= SLOT_MASK ? max_entries : CAP_DEFAULT_MAX_HANDLES;
    if (getrandom(&t->salt, sizeof t->salt, 0) != (ssize_t)sizeof t->salt)
        t->salt = (uint32_t)(uintptr_t)t * 2654435761u; /* never fails on Linux >= 3.17 */
    t->salt &= VALUE_MASK;
}

void cap_unref(CapObject *o)
{
    if (o && atomic_fetch_sub(&o->refs, 1) == 1 && o->destroy) o->destroy(o);
}

void cap_table_release(HandleTable *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->e[i].obj) cap_unref(t->e[i].obj);
    free(t->e);
    t->e = NULL;
    t->n = t->cap = t->live = 0;
}

/* Makes e[0..n) initialised, n <= t->max: new slots are free with
 * generation 0, so the lowest-free scan of cap_insert sees them. */
static void grow_to(HandleTable *t, uint32_t n)
{
    if (n > t->cap) {
        uint32_t cap = t->cap ? t->cap : 16;
        while (cap < n) cap *= 2;
        if (cap > t->max) cap = t->max;
        t->e = xrealloc(t->e, (size_t)cap * sizeof *t->e);
        t->cap = cap;
    }
    memset(&t->e[t->n], 0, (size_t)(n - t->n) * sizeof t->e[0]);
    t->n = n;
}

/* Fills the free slot i (its generation stays as the last close left it). */
static void fill(HandleTable *t, uint32_t i, CapObject *obj, uint32_t rights,
                 uint64_t wasi_base, uint64_t wasi_inheriting)
{
    HandleEntry *e = &t->e[i];
    cap_ref(obj);
    e->obj = obj;
    e->rights = rights & CAP_RIGHTS_ALL;
    e->wasi_base = wasi_base;
    e->wasi_inheriting = wasi_inheriting;
    t->live++;
}

b8g_status cap_insert(HandleTable *t, CapObject *obj, uint32_t rights,
                      uint64_t wasi_base, uint64_t wasi_inheriting,
                      uint32_t *slot, b8g_error *err)
{
    if (t->max == 0) cap_table_init(t, 0);
    uint32_t i = 0;
    while (i < t->n && t->e[i].obj) i++;
    if (i == t->n) {
        if (t->n >= t->max)
            return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                           "handle table full (%u entries)", t->max);
        grow_to(t, t->n + 1);
    }
    fill(t, i, obj, rights, wasi_base, wasi_inheriting);
    *slot = i;
    return B8G_OK;
}

b8g_status cap_insert_at(HandleTable *t, uint32_t slot, CapObject *obj,
                         uint32_t rights, uint64_t wasi_base,
                         uint64_t wasi_inheriting, b8g_error *err)
{
    if (t->max == 0) cap_table_init(t, 0);
    if (slot >= t->max)
        return err_set(err, B8G_LIMIT, B8G_NO_OFFSET,
                       "handle slot %u past the table's %u entries", slot, t->max);
    if (slot < t->n && t->e[slot].obj)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "handle slot %u is taken", slot);
    if (slot >= t->n) grow_to(t, slot + 1);
    fill(t, slot, obj, rights, wasi_base, wasi_inheriting);
    return B8G_OK;
}

HandleEntry *cap_slot(HandleTable *t, uint32_t slot)
{
    if (slot >= t->n || !t->e[slot].obj) return NULL;
    return &t->e[slot];
}

CapObject *cap_take(HandleTable *t, uint32_t slot)
{
    HandleEntry *e = cap_slot(t, slot);
    if (!e) return NULL;
    CapObject *o = e->obj;
    e->obj = NULL;
    e->gen++;
    t->live--;
    return o;
}

bool cap_close(HandleTable *t, uint32_t slot)
{
    CapObject *o = cap_take(t, slot);
    if (!o) return false;
    cap_unref(o);
    return true;
}

bool cap_move(HandleTable *t, uint32_t from, uint32_t to)
{
    HandleEntry *src = cap_slot(t, from), *dst = cap_slot(t, to);
    if (!src || !dst) return false;
    if (from == to) return true;
    CapObject *old = dst->obj;
    uint32_t gen = dst->gen + 1;
    *dst = *src;
    dst->gen = gen;
    src->obj = NULL;
    src->gen++;
    t->live--;
    cap_unref(old);
    return true;
}

uint32_t cap_handle_value(const HandleTable *t, uint32_t slot)
{
    uint32_t gen = t->e[slot].gen & GEN_MASK;
    return ((gen << SLOT_BITS) | slot) ^ t->salt;
}

HandleEntry *cap_lookup(HandleTable *t, uint32_t value, uint32_t *slot)
{
    if (value > VALUE_MASK) return NULL;
    uint32_t v = value ^ t->salt;
    uint32_t i = v & SLOT_MASK;
    HandleEntry *e = cap_slot(t, i);
    if (!e || (e->gen & GEN_MASK) != v >> SLOT_BITS) return NULL;
    if (slot) *slot = i;
    return e;
}
