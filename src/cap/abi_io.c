/*
 * abi_io.c - the import module "b8g", part two: memory regions, streams
 * and channels (docs/abi.md).
 *
 * Data moves straight between an object and the caller's memory 0: a
 * guest buffer is checked to lie inside it (abi_span) before anything is
 * copied, and a blocking call leaves the guest stopped but its memory in
 * place (base never moves, size only grows), so the span stays valid.
 */
#include <errno.h>
#include <string.h>

#include "cap/abi.h"
#include "util/err.h"

#define ARG(i) ((uint32_t)slots[i])
#define ARG64(i) (slots[i])
#define RET(v) (slots[0] = (uint64_t)(uint32_t)(int32_t)(v), B8G_OK)
#define RET64(v) (slots[0] = (uint64_t)(int64_t)(v), B8G_OK)
#define RETERR(e) RET(-(int32_t)(e))

/* ---- regions ------------------------------------------------------------------ */

/* (size i64) -> a new region's handle; size a positive multiple of 64 KiB */
static b8g_status region_create(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapRegion *r;
    CapErr rc = cap_region_new(ARG64(0), &r);
    if (rc) return RETERR(rc);
    int64_t h = abi_insert(&a, &r->base, CAP_RIGHTS_ALL);
    cap_unref(&r->base);
    return RET(h);
}

/* (h) -> size in bytes (i64); needs INSPECT */
static b8g_status region_size(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RET64(-(int64_t)CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_REGION, CAP_RIGHT_INSPECT, &e, NULL);
    if (rc) return RET64(-(int64_t)rc);
    return RET64(((CapRegion *)e->obj)->size);
}

static b8g_status region_copy(b8g_hostcall *call, uint64_t *slots, bool out)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_REGION, out ? CAP_RIGHT_WRITE : CAP_RIGHT_READ,
                        &e, NULL);
    if (rc) return RETERR(rc);
    uint8_t *p = abi_span(&a, ARG(2), ARG(3));
    if (!p) return RETERR(CAP_EFAULT);
    CapRegion *r = (CapRegion *)e->obj;
    rc = out ? cap_region_write(r, ARG64(1), p, ARG(3)) : cap_region_read(r, ARG64(1), p, ARG(3));
    return rc ? RETERR(rc) : RET(0);
}

/* (h, offset i64, ptr, len) -> 0; READ copies region -> memory */
static b8g_status region_read(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return region_copy(call, slots, false);
}

/* (h, offset i64, ptr, len) -> 0; WRITE copies memory -> region */
static b8g_status region_write(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    return region_copy(call, slots, true);
}

static CapErr errno_to_cap(int e)
{
    switch (e) {
    case 0: return CAP_OK;
    case EINVAL: return CAP_EINVAL;
    case EBUSY: return CAP_EBUSY;
    default: return CAP_ENOMEM;
    }
}

/*
 * (h, addr, len) -> 0: the region's first len bytes appear at addr of the
 * caller's memory 0, shared.  Needs MAP, READ and WRITE: a window is
 * always writable (docs/abi.md says why).
 */
static b8g_status region_map(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_REGION,
                        CAP_RIGHT_MAP | CAP_RIGHT_READ | CAP_RIGHT_WRITE, &e, NULL);
    if (rc) return RETERR(rc);
    CapRegion *r = (CapRegion *)e->obj;
    if (!a.mem) return RETERR(CAP_EFAULT);
    if (ARG(2) == 0 || ARG(2) > r->size) return RETERR(CAP_EINVAL);
    return RETERR(errno_to_cap(mem_map_window(a.mem, ARG(1), ARG(2), r->fd)));
}

/* (addr, len) -> 0: a window mapped earlier becomes private zero pages */
static b8g_status region_unmap(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    if (!a.mem) return RETERR(CAP_EINVAL);
    return RETERR(errno_to_cap(mem_unmap_window(a.mem, ARG(0), ARG(1))));
}

/* ---- streams ------------------------------------------------------------------ */

/* Writes two handle values at ptr: the pair an object constructor made,
 * each holding the caller's reference, which goes to the table.  On
 * failure neither handle exists. */
static b8g_status insert_pair(AbiCall *a, uint64_t *slots, uint32_t ptr, CapObject *x,
                              CapObject *y)
{
    uint8_t *out = abi_span(a, ptr, 8);
    int64_t hx = out ? abi_insert(a, x, CAP_RIGHTS_ALL) : -(int64_t)CAP_EFAULT;
    int64_t hy = hx >= 0 ? abi_insert(a, y, CAP_RIGHTS_ALL) : hx;
    if (hx >= 0 && hy < 0) {
        uint32_t slot;
        if (cap_lookup(a->t, (uint32_t)hx, &slot)) cap_close(a->t, slot);
    }
    cap_unref(x);
    cap_unref(y);
    if (hy < 0) return RET(hy);
    uint32_t vx = (uint32_t)hx, vy = (uint32_t)hy;
    memcpy(out, &vx, 4);
    memcpy(out + 4, &vy, 4);
    return RET(0);
}

/* (capacity, out_ptr) -> 0; out: read end, write end (0: 64 KiB) */
static b8g_status stream_create(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    if (!abi_span(&a, ARG(1), 8)) return RETERR(CAP_EFAULT);
    CapStreamEnd *r, *w;
    CapErr rc = cap_stream_new(ARG(0), &r, &w);
    if (rc) return RETERR(rc);
    return insert_pair(&a, slots, ARG(1), (CapObject *)r, (CapObject *)w);
}

static b8g_status stream_io(b8g_hostcall *call, uint64_t *slots, b8g_error *err, bool out)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), out ? CAP_KIND_STREAM_WRITE : CAP_KIND_STREAM_READ,
                        out ? CAP_RIGHT_WRITE : CAP_RIGHT_READ, &e, NULL);
    if (rc) return RETERR(rc);
    if (ARG(3) & ~ABI_NONBLOCK) return RETERR(CAP_EINVAL);
    uint8_t *p = abi_span(&a, ARG(1), ARG(2));
    if (!p) return RETERR(CAP_EFAULT);
    /* Results are i32: one call moves at most 1 GiB. */
    size_t len = ARG(2) > (1u << 30) ? (1u << 30) : ARG(2), done = 0;
    bool block = !(ARG(3) & ABI_NONBLOCK);
    CapStreamEnd *s = (CapStreamEnd *)e->obj;
    cap_ref(e->obj); /* the host may revoke the handle while we block */
    rc = out ? cap_stream_write(s, p, len, block, &a.cancel, &done)
             : cap_stream_read(s, p, len, block, &a.cancel, &done);
    cap_unref((CapObject *)s);
    if (rc == CAP_EINTR) return abi_interrupted(&a, err);
    return rc ? RETERR(rc) : RET(done);
}

/* (h, ptr, len, flags) -> bytes read; 0 at end of stream */
static b8g_status stream_read(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    return stream_io(call, slots, err, false);
}

/* (h, ptr, len, flags) -> bytes written */
static b8g_status stream_write(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    return stream_io(call, slots, err, true);
}

/* ---- channels ----------------------------------------------------------------- */

/* (out_ptr) -> 0; out: the two endpoints */
static b8g_status channel_create(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    AbiCall a;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    if (!abi_span(&a, ARG(0), 8)) return RETERR(CAP_EFAULT);
    CapChannelEnd *x, *y;
    CapErr rc = cap_channel_new(&x, &y);
    if (rc) return RETERR(rc);
    return insert_pair(&a, slots, ARG(0), (CapObject *)x, (CapObject *)y);
}

/*
 * (h, bytes, nbytes, handles, nhandles, flags) -> 0.  Needs WRITE on h and
 * TRANSFER on every handle sent; the handles leave the caller's table
 * when the message is queued, and stay if it is not.  A handle may appear
 * once; the channel's own endpoint cannot travel in itself.
 */
static b8g_status channel_write(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_CHANNEL, CAP_RIGHT_WRITE, &e, NULL);
    if (rc) return RETERR(rc);
    uint32_t nbytes = ARG(2), nh = ARG(4);
    if (ARG(5) & ~ABI_NONBLOCK) return RETERR(CAP_EINVAL);
    if (nbytes > CAP_MSG_MAX_BYTES || nh > CAP_MSG_MAX_HANDLES) return RETERR(CAP_ELIMIT);
    uint8_t *bytes = abi_span(&a, ARG(1), nbytes);
    uint8_t *hp = abi_span(&a, ARG(3), (uint64_t)nh * 4);
    if (!bytes || !hp) return RETERR(CAP_EFAULT);
    CapMsgHandle msg[CAP_MSG_MAX_HANDLES];
    uint32_t slot_of[CAP_MSG_MAX_HANDLES];
    for (uint32_t i = 0; i < nh; i++) {
        uint32_t h;
        memcpy(&h, hp + 4 * i, 4);
        HandleEntry *x;
        rc = abi_get(&a, h, CAP_KIND_COUNT, CAP_RIGHT_TRANSFER, &x, &slot_of[i]);
        if (rc) return RETERR(rc);
        for (uint32_t j = 0; j < i; j++)
            if (slot_of[j] == slot_of[i]) return RETERR(CAP_EINVAL);
        msg[i] = abi_entry_handle(x, x->rights);
    }
    CapChannelEnd *c = (CapChannelEnd *)e->obj;
    cap_ref(e->obj);
    /* The message gets references of its own, so a reader on another
     * thread cannot free an object our table still names; the table's go
     * once the message is queued. */
    for (uint32_t i = 0; i < nh; i++) cap_ref(msg[i].obj);
    rc = cap_channel_write(c, bytes, nbytes, msg, nh, !(ARG(5) & ABI_NONBLOCK), &a.cancel);
    cap_unref((CapObject *)c);
    if (rc) {
        for (uint32_t i = 0; i < nh; i++) cap_unref(msg[i].obj);
        return rc == CAP_EINTR ? abi_interrupted(&a, err) : RETERR(rc);
    }
    for (uint32_t i = 0; i < nh; i++) cap_close(a.t, slot_of[i]);
    return RET(0);
}

/*
 * (h, bytes, cap, handles, cap_handles, actual, flags) -> 0.  actual gets
 * {nbytes u32, nhandles u32}: of the message read, or, with -LIMIT, what
 * the next message needs (it stays queued).  Received handles are new
 * entries in the caller's table, with the rights they were sent with
 * (a file or directory: its WASI rights too).
 */
static b8g_status channel_read(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    AbiCall a;
    HandleEntry *e;
    if (!abi_begin(call, &a)) return RETERR(CAP_EBADH);
    CapErr rc = abi_get(&a, ARG(0), CAP_KIND_CHANNEL, CAP_RIGHT_READ, &e, NULL);
    if (rc) return RETERR(rc);
    if (ARG(6) & ~ABI_NONBLOCK) return RETERR(CAP_EINVAL);
    uint32_t cap_bytes = ARG(2), cap_h = ARG(4);
    if (cap_h > CAP_MSG_MAX_HANDLES) cap_h = CAP_MSG_MAX_HANDLES;
    uint8_t *bytes = abi_span(&a, ARG(1), cap_bytes);
    uint8_t *hp = abi_span(&a, ARG(3), (uint64_t)cap_h * 4);
    uint8_t *actual = abi_span(&a, ARG(5), 8);
    if (!bytes || !hp || !actual) return RETERR(CAP_EFAULT);
    /* Room in the table first: a message once taken cannot be put back. */
    if (a.t->max - a.t->live < cap_h) return RETERR(CAP_ELIMIT);
    CapMsgHandle msg[CAP_MSG_MAX_HANDLES];
    size_t nbytes = 0;
    uint32_t nh = 0;
    CapChannelEnd *c = (CapChannelEnd *)e->obj;
    cap_ref(e->obj);
    rc = cap_channel_read(c, bytes, cap_bytes, &nbytes, msg, cap_h, &nh,
                          !(ARG(6) & ABI_NONBLOCK), &a.cancel);
    cap_unref((CapObject *)c);
    if (rc == CAP_EINTR) return abi_interrupted(&a, err);
    if (rc == CAP_OK || rc == CAP_ELIMIT) {
        uint32_t sizes[2] = {(uint32_t)nbytes, nh};
        memcpy(actual, sizes, 8);
    }
    if (rc) return RETERR(rc);
    for (uint32_t i = 0; i < nh; i++) {
        int64_t h = abi_insert_held(&a, &msg[i]);
        cap_unref(msg[i].obj); /* the table holds its own now */
        uint32_t v = h >= 0 ? (uint32_t)h : 0; /* room was checked */
        memcpy(hp + 4 * i, &v, 4);
    }
    return RET(0);
}

const AbiFuncDef abi_io_funcs[] = {
    {"region_create", "I:i", region_create},
    {"region_size", "i:I", region_size},
    {"region_read", "iIii:i", region_read},
    {"region_write", "iIii:i", region_write},
    {"region_map", "iii:i", region_map},
    {"region_unmap", "ii:i", region_unmap},
    {"stream_create", "ii:i", stream_create},
    {"stream_read", "iiii:i", stream_read},
    {"stream_write", "iiii:i", stream_write},
    {"channel_create", "i:i", channel_create},
    {"channel_write", "iiiiii:i", channel_write},
    {"channel_read", "iiiiiii:i", channel_read},
};
const uint32_t abi_io_count = B8G_ARRAY_LEN(abi_io_funcs);
