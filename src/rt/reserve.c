/*
 * reserve.c - address-space reservations for linear memories, kept for
 * reuse.
 *
 * Reserving and releasing 8 GiB of address space per memory is most of
 * what instantiating a small module costs: mmap, mprotect and above all
 * munmap, whose page-table walk over the whole range dwarfs the rest.  A
 * released guard-page reservation is therefore parked here instead of
 * unmapped, after madvise(MADV_DONTNEED) has dropped the pages of its
 * accessible part: the next user reads zeros, never the last guest's data,
 * and a parked reservation costs address space only.  Its accessible part
 * stays read/write, so a memory of the same initial size (the common case:
 * the same module again) is ready without any mprotect; otherwise only the
 * difference changes protection.  At most RESERVE_POOL are parked per
 * process; beyond that, and for any other size, they are unmapped.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "rt/memory.h"

#define RESERVE_POOL 32

typedef struct Parked {
    uint8_t *base;
    uint64_t accessible; /* read/write bytes at base, all zero-filled */
} Parked;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static Parked pool[RESERVE_POOL];
static unsigned pooled;

/* Pops the parked reservation whose accessible size is closest to want
 * (an exact match ends the search); false if none is parked. */
static bool unpark(uint64_t want, Parked *out)
{
    pthread_mutex_lock(&pool_lock);
    bool found = pooled > 0;
    if (found) {
        unsigned best = pooled - 1;
        for (unsigned i = pooled; i-- > 0 && pool[best].accessible != want;)
            if (pool[i].accessible == want) best = i;
        *out = pool[best];
        pool[best] = pool[--pooled];
    }
    pthread_mutex_unlock(&pool_lock);
    return found;
}

/* Sets exactly [0, size) of a parked reservation read/write. */
static bool fit(Parked *r, uint64_t size)
{
    int rc = 0;
    if (r->accessible > size)
        rc = mprotect(r->base + size, r->accessible - size, PROT_NONE);
    else if (r->accessible < size)
        rc = mprotect(r->base + r->accessible, size - r->accessible, PROT_READ | PROT_WRITE);
    if (rc != 0) return false;
    r->accessible = size;
    return true;
}

uint8_t *reserve_take(uint64_t bytes, uint64_t size)
{
    Parked r;
    if (bytes == MEM_RESERVE && unpark(size, &r)) {
        if (fit(&r, size)) return r.base;
        munmap(r.base, bytes);
    }
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    if (size && mprotect(p, size, PROT_READ | PROT_WRITE) != 0) {
        munmap(p, bytes);
        return NULL;
    }
    return p;
}

void reserve_give(uint8_t *p, uint64_t bytes, uint64_t size)
{
    if (!p) return;
    if (bytes == MEM_RESERVE && size <= bytes &&
        (size == 0 || madvise(p, size, MADV_DONTNEED) == 0)) {
        pthread_mutex_lock(&pool_lock);
        bool kept = pooled < RESERVE_POOL;
        if (kept) pool[pooled++] = (Parked){p, size};
        pthread_mutex_unlock(&pool_lock);
        if (kept) return;
    }
    munmap(p, bytes);
}
