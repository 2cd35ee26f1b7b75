/*
 * link.c - the link-key registry (link.h; docs/abi.md, "Link keys").
 *
 * One array for the process, under one mutex: instances of every store,
 * on every thread, link to each other through it.  An entry names its
 * instance by pointer only to recognise it (forget, self-link), never to
 * reach into it, so a store freed on another thread cannot be touched
 * through the registry; inst_free removes the entry before anything of
 * the instance goes.
 *
 * Secrecy.  Keys come from getrandom and nothing else: if the kernel will
 * not give random bytes the call fails rather than make a guessable key.
 * A lookup compares against every entry, branch-free, and picks the match
 * with masks, so its time depends on the number of entries and not on the
 * key, on whether one matched, or on which.  What follows the scan (is
 * the match listening, is it the caller) is folded into the same mask, so
 * a wrong key, a context that is gone, one that does not listen and the
 * caller's own key all leave by the same path.  Keys are never printed;
 * copies the registry gives up (a removed entry, an outgrown array, a
 * rotated key) are wiped first.
 *
 * Lock order: the registry lock is taken before a channel's locks (the
 * listen check reads the inbox's signals), never after.  References are
 * dropped only after it is released: dropping one can free a store (a
 * task's), whose inst_free comes back here for the lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cap/link.h"
#include "rt/instance.h"

typedef struct LinkEntry {
    b8g_instance *inst;              /* identity only, never dereferenced */
    uint8_t key[CAP_LINK_KEY_SIZE];
    CapChannelEnd *inbox;            /* write end of inst's inbox; NULL until
                                        it listens */
} LinkEntry;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static LinkEntry *reg;               /* reg[0..reg_n) in use */
static size_t reg_n, reg_cap;

uint32_t cap_link_key_equal(const uint8_t a[CAP_LINK_KEY_SIZE],
                            const uint8_t b[CAP_LINK_KEY_SIZE])
{
    uint32_t d = 0;
    for (size_t i = 0; i < CAP_LINK_KEY_SIZE; i++) d |= (uint32_t)(a[i] ^ b[i]);
    /* An empty asm the compiler cannot see through: it may not reason
     * about d's value, so the test below cannot become a branch. */
    __asm__ volatile("" : "+r"(d));
    /* d is 0..255: d - 1 wraps to all ones exactly when d == 0. */
    return 1u & ((d - 1u) >> 8);
}

/* 32 bytes from the kernel CSPRNG, or CAP_ENOMEM (with key wiped). */
static CapErr random_key(uint8_t key[CAP_LINK_KEY_SIZE])
{
    size_t got = 0;
    while (got < CAP_LINK_KEY_SIZE) {
        ssize_t n = getrandom(key + got, CAP_LINK_KEY_SIZE - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            explicit_bzero(key, CAP_LINK_KEY_SIZE);
            return CAP_ENOMEM;
        }
        got += (size_t)n;
    }
    return CAP_OK;
}

/* inst's entry, or NULL; under reg_lock. */
static LinkEntry *find_locked(const b8g_instance *inst)
{
    for (size_t i = 0; i < reg_n; i++)
        if (reg[i].inst == inst) return &reg[i];
    return NULL;
}

/* Room for one more entry; under reg_lock.  Not realloc: the old block
 * holds keys and must be wiped before the allocator gets it back. */
static bool reserve_locked(void)
{
    if (reg_n < reg_cap) return true;
    size_t cap = reg_cap ? reg_cap * 2 : 16;
    LinkEntry *n = malloc(cap * sizeof *n);
    if (!n) return false;
    if (reg_n) memcpy(n, reg, reg_n * sizeof *n);
    if (reg) {
        explicit_bzero(reg, reg_cap * sizeof *reg);
        free(reg);
    }
    reg = n;
    reg_cap = cap;
    return true;
}

/* inst's entry, registering it with a new key if it has none; under
 * reg_lock.  Two keys colliding has probability 2^-256 per pair: not
 * checked (the lookup would still stay in bounds, see connect). */
static CapErr entry_locked(b8g_instance *inst, LinkEntry **out)
{
    LinkEntry *e = find_locked(inst);
    if (!e) {
        if (!reserve_locked()) return CAP_ENOMEM;
        e = &reg[reg_n];
        memset(e, 0, sizeof *e);
        CapErr rc = random_key(e->key);
        if (rc) return rc;
        e->inst = inst;
        reg_n++;
        inst->link_registered = true;
    }
    *out = e;
    return CAP_OK;
}

CapErr cap_link_key(b8g_instance *inst, uint8_t out[CAP_LINK_KEY_SIZE])
{
    pthread_mutex_lock(&reg_lock);
    LinkEntry *e;
    CapErr rc = entry_locked(inst, &e);
    if (!rc) memcpy(out, e->key, CAP_LINK_KEY_SIZE);
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

CapErr cap_link_listen(b8g_instance *inst, CapChannelEnd **reader)
{
    *reader = NULL;
    CapChannelEnd *r, *w, *old = NULL;
    CapErr rc = cap_channel_new(&r, &w); /* outside the lock: it allocates */
    if (rc) return rc;
    pthread_mutex_lock(&reg_lock);
    LinkEntry *e;
    rc = entry_locked(inst, &e);
    /* One inbox at a time: a second would split the links between two
     * readers.  An inbox whose read end was closed is over, though. */
    if (!rc && e->inbox &&
        !(cap_signals_get(cap_channel_signals(e->inbox)) & CAP_SIGNAL_PEER_CLOSED))
        rc = CAP_EINVAL;
    if (!rc) {
        old = e->inbox;
        e->inbox = w;
        w = NULL;
    }
    pthread_mutex_unlock(&reg_lock);
    if (old) cap_unref((CapObject *)old);
    if (rc) {
        cap_unref((CapObject *)r);
        cap_unref((CapObject *)w);
        return rc;
    }
    *reader = r;
    return CAP_OK;
}

CapErr cap_link_connect(const uint8_t key[CAP_LINK_KEY_SIZE], const b8g_instance *self,
                        const CapMsgHandle *end)
{
    CapChannelEnd *inbox = NULL;
    pthread_mutex_lock(&reg_lock);
    /* Every entry, every byte: nothing here depends on the key but the
     * values of the masks. */
    uint32_t found = 0;
    size_t idx = 0;
    for (size_t i = 0; i < reg_n; i++) {
        uint32_t m = cap_link_key_equal(key, reg[i].key);
        size_t mask = (size_t)0 - (size_t)m;
        idx = (idx & ~mask) | (i & mask); /* a select, so idx stays < reg_n */
        found |= m;
    }
    if (reg_n) {
        const LinkEntry *e = &reg[idx];
        uint32_t ok = found & (uint32_t)(e->inbox != NULL) & (uint32_t)(e->inst != self);
        if (ok) {
            inbox = e->inbox;
            cap_ref((CapObject *)inbox);
        }
    }
    pthread_mutex_unlock(&reg_lock);
    if (!inbox) return CAP_ENOTFOUND;
    CapErr rc = cap_channel_write(inbox, NULL, 0, end, 1, false, NULL);
    cap_unref((CapObject *)inbox);
    /* The read end was closed: the context no longer listens. */
    if (rc == CAP_ECLOSED) rc = CAP_ENOTFOUND;
    return rc;
}

void cap_link_forget(b8g_instance *inst)
{
    if (!inst->link_registered) return; /* most instances: no lock at all */
    CapChannelEnd *inbox = NULL;
    pthread_mutex_lock(&reg_lock);
    LinkEntry *e = find_locked(inst);
    if (e) {
        inbox = e->inbox;
        *e = reg[reg_n - 1];
        explicit_bzero(&reg[reg_n - 1], sizeof *reg);
        reg_n--;
    }
    if (reg_n == 0 && reg) {
        explicit_bzero(reg, reg_cap * sizeof *reg);
        free(reg);
        reg = NULL;
        reg_cap = 0;
    }
    inst->link_registered = false;
    pthread_mutex_unlock(&reg_lock);
    if (inbox) cap_unref((CapObject *)inbox);
}

CapErr cap_link_rotate(b8g_instance *inst)
{
    uint8_t fresh[CAP_LINK_KEY_SIZE];
    CapErr rc = random_key(fresh);
    if (rc) return rc;
    pthread_mutex_lock(&reg_lock);
    /* No entry: no key was ever made, so none can be in anyone's hands;
     * the next request makes a fresh one anyway. */
    LinkEntry *e = find_locked(inst);
    if (e) memcpy(e->key, fresh, sizeof fresh);
    pthread_mutex_unlock(&reg_lock);
    explicit_bzero(fresh, sizeof fresh);
    return CAP_OK;
}

size_t cap_link_registered(void)
{
    pthread_mutex_lock(&reg_lock);
    size_t n = reg_n;
    pthread_mutex_unlock(&reg_lock);
    return n;
}
