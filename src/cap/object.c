/*
 * object.c - process-wide counts of live capability objects (object.h).
 */
#include <stdatomic.h>

#include "cap/object.h"

static atomic_uint_fast64_t live[CAP_KIND_COUNT];

uint64_t cap_objects_live(CapKind k)
{
    return k < CAP_KIND_COUNT ? atomic_load(&live[k]) : 0;
}

void cap_object_created(CapKind k)
{
    if (k < CAP_KIND_COUNT) atomic_fetch_add(&live[k], 1);
}

void cap_object_destroyed(CapKind k)
{
    if (k < CAP_KIND_COUNT) atomic_fetch_sub(&live[k], 1);
}
