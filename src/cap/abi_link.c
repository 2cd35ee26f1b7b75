/*
 * abi_link.c - the import module "b8g", link keys: a component reads its
 * own key, opens its inbox, and links to another component by key
 * (docs/abi.md, "Link keys"; the registry is link.c).
 *
 * Keys pass through the caller's memory (abi_span) and a stack copy that
 * is wiped before the call returns; they are never part of an error.
 */
#include <string.h>

#include "cap/abi.h"
#include "cap/link.h"
#include "util/err.h"

#define ARG(i) ((uint32_t)slots[i])
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), B8G_OK)
#define RETERR(e) RET(-(int32_t)(e))

/* The inbox's read end: read and wait on it, see what it is.  Not DUP or
 * TRANSFER: the inbox is where links to *this* context arrive, so it
 * stays with the context instead of passing to whoever it is sent to.
 * Not WRITE: nothing is ever meant to be queued to the registry's end. */
#define INBOX_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_WAIT | CAP_RIGHT_INSPECT)

/* (out_ptr) -> 0: the caller's 32-byte key, made now if it had none */
static b8g_status link_key(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    uint8_t *out = abi_span(&a, ARG(0), CAP_LINK_KEY_SIZE);
    if (!out) return RETERR(CAP_EFAULT);
    uint8_t key[CAP_LINK_KEY_SIZE];
    CapErr rc = cap_link_key(call->caller, key);
    if (!rc) memcpy(out, key, sizeof key);
    explicit_bzero(key, sizeof key);
    return rc ? RETERR(rc) : RET(0);
}

/* () -> the inbox's read end (INBOX_RIGHTS); -EINVAL while one is open */
static b8g_status link_listen(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapChannelEnd *r;
    CapErr rc = cap_link_listen(call->caller, &r);
    if (rc) return RETERR(rc);
    /* If the table is full the read end goes with our reference, which
     * closes the new inbox: a later listen may try again. */
    int64_t h = abi_insert(&a, (CapObject *)r, INBOX_RIGHTS);
    cap_unref((CapObject *)r);
    return RET(h);
}

/*
 * (key_ptr) -> a channel end whose peer now waits in the inbox of the
 * listening context with that key; -ENOTFOUND for every other case alike
 * (wrong key, gone, not listening, the caller itself), -EAGAIN if its
 * inbox is full.  Both ends carry every channel right.
 */
static b8g_status link(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    uint8_t *kp = abi_span(&a, ARG(0), CAP_LINK_KEY_SIZE);
    if (!kp) return RETERR(CAP_EFAULT);
    /* Everything that could fail whatever the key - allocating the
     * channel, the caller's table entry - is done before the lookup, so
     * those errors say nothing about the key either. */
    CapChannelEnd *mine, *theirs;
    CapErr rc = cap_channel_new(&mine, &theirs);
    if (rc) return RETERR(rc);
    const uint32_t rights = abi_kind_rights(CAP_KIND_CHANNEL);
    int64_t h = abi_insert(&a, (CapObject *)mine, rights);
    cap_unref((CapObject *)mine); /* the table's reference, if any, remains */
    if (h < 0) {
        cap_unref((CapObject *)theirs);
        return RET(h);
    }
    uint8_t key[CAP_LINK_KEY_SIZE];
    memcpy(key, kp, sizeof key);
    CapMsgHandle end = {.obj = (CapObject *)theirs, .rights = rights};
    rc = cap_link_connect(key, call->caller, &end);
    explicit_bzero(key, sizeof key);
    if (rc) {
        uint32_t slot;
        cap_unref((CapObject *)theirs);
        if (cap_lookup(a.t, (uint32_t)h, &slot)) cap_close(a.t, slot);
        return RETERR(rc);
    }
    return RET(h);
}

const AbiFuncDef abi_link_funcs[] = {
    {"link_key", "i:i", link_key},
    {"link_listen", ":i", link_listen},
    {"link", "i:i", link},
};
const uint32_t abi_link_count = B8G_ARRAY_LEN(abi_link_funcs);
