/*
 * fuzz_abi.c - libFuzzer target: random sequences of component-ABI calls.
 *
 * Two instances of tests/abi/guest.wat (each export calls one function of
 * the "b8g" module, so every call comes from wasm) start with handles the
 * host granted them, with rights drawn from the input; then the input is
 * read as a program of calls on handles (values returned earlier, or any
 * 32-bit number), pointers and lengths inside or outside memory, sizes and
 * flags.  Calls never block: waits use timeout 0 and reads and writes
 * NONBLOCK, so a run ends.  Every result is acceptable; the findings are
 * crashes, sanitizer reports, a trap out of an ABI call, and objects still
 * alive once the store is freed (a leak or a lost reference).
 *
 * The guest module is read from $B8G_FUZZ_ABI_GUEST (tests/fuzz/run.sh
 * sets it), else build/tests/abi/guest.wasm.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"
#include "cap/object.h"

#define POOL 32u
#define MEM_BYTES (4u * 65536u)

static b8g_module *guest;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = getenv("B8G_FUZZ_ABI_GUEST");
    if (!path) path = "build/tests/abi/guest.wasm";
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_abi: cannot open %s\n", path);
        exit(1);
    }
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    b8g_error err;
    if (b8g_module_load(buf, n, &guest, &err)) {
        fprintf(stderr, "fuzz_abi: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

typedef struct In {
    const uint8_t *p;
    size_t n;
} In;

static uint32_t take(In *in, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | (in->n ? *in->p : 0);
        if (in->n) in->p++, in->n--;
    }
    return v;
}

typedef struct World {
    b8g_instance *inst[2];
    uint32_t pool[POOL];
    uint32_t npool;
} World;

static void remember(World *w, int64_t v)
{
    if (v < 0) return;
    w->pool[w->npool % POOL] = (uint32_t)v;
    w->npool++;
}

/* A handle argument: one seen before, mostly; sometimes any number. */
static uint32_t handle_arg(World *w, In *in)
{
    uint32_t sel = take(in, 1);
    if (sel < 224 && w->npool) return w->pool[sel % (w->npool < POOL ? w->npool : POOL)];
    return take(in, 4);
}

/* A pointer: inside memory with room after it, mostly. */
static uint32_t ptr_arg(In *in)
{
    uint32_t v = take(in, 4);
    return (v & 0x80000000u) ? v : v % (MEM_BYTES - 4096);
}

static uint32_t len_arg(In *in)
{
    uint32_t v = take(in, 2);
    return (v & 0x8000u) ? take(in, 4) : v % 4096;
}

static b8g_val I32(uint32_t v) { return (b8g_val){.type = B8G_I32, .of.i32 = (int32_t)v}; }
static b8g_val I64(uint64_t v) { return (b8g_val){.type = B8G_I64, .of.i64 = (int64_t)v}; }

static int64_t call(b8g_instance *inst, const char *name, const b8g_val *args, uint32_t n)
{
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    if (b8g_export_func(inst, name, &np, &pt, &nr, &rt) || np != n) abort();
    b8g_val res = {0};
    b8g_error err;
    /* The ABI never traps on its own: a trap here is a finding. */
    if (b8g_call(inst, name, args, n, &res, nr, &err) != B8G_OK) abort();
    if (!nr) return 0;
    return res.type == B8G_I64 ? res.of.i64 : res.of.i32;
}

static uint32_t mem_u32(b8g_instance *inst, uint32_t at)
{
    uint64_t size;
    uint8_t *m = b8g_instance_memory(inst, &size);
    uint32_t v = 0;
    if (m && (uint64_t)at + 4 <= size) memcpy(&v, m + at, 4);
    return v;
}

/* Writes pool handles at ptr (for wait items, channel handles). */
static void put_handles(World *w, b8g_instance *inst, uint32_t ptr, uint32_t n, In *in, bool items)
{
    uint64_t size;
    uint8_t *m = b8g_instance_memory(inst, &size);
    uint32_t stride = items ? 12 : 4;
    for (uint32_t i = 0; i < n && m && (uint64_t)ptr + (i + 1) * stride <= size; i++) {
        uint32_t rec[3] = {handle_arg(w, in), take(in, 1) & 0xf, 0};
        memcpy(m + ptr + i * stride, rec, stride);
    }
}

static void step(World *w, In *in)
{
    uint32_t op = take(in, 1);
    b8g_instance *a = w->inst[op >> 7];
    b8g_val v[8];
    uint32_t p, n;
    switch (op % 28) {
    case 0: v[0] = I32(handle_arg(w, in)); call(a, "close", v, 1); break;
    case 1: v[0] = I32(handle_arg(w, in)); v[1] = I32(take(in, 2));
        remember(w, call(a, "dup", v, 2)); break;
    case 2: v[0] = I32(handle_arg(w, in)); v[1] = I32(take(in, 2));
        remember(w, call(a, "replace", v, 2)); break;
    case 3: v[0] = I32(handle_arg(w, in)); call(a, "rights", v, 1); call(a, "kind", v, 1); break;
    case 4: remember(w, call(a, "event_create", NULL, 0)); break;
    case 5: v[0] = I32(handle_arg(w, in));
        call(a, (take(in, 1) & 1) ? "event_signal" : "event_clear", v, 1); break;
    case 6: v[0] = I32(handle_arg(w, in)); v[1] = I32(take(in, 1)); v[2] = I64(0);
        call(a, "wait", v, 3); break;
    case 7: p = ptr_arg(in); n = take(in, 1) % 70;
        put_handles(w, a, p, n, in, true);
        v[0] = I32(p); v[1] = I32(n); v[2] = I64(0); call(a, "wait_many", v, 3); break;
    case 8: v[0] = I64((uint64_t)(take(in, 1) % 5) * 65536 + (take(in, 1) == 0 ? 1 : 0));
        remember(w, call(a, "region_create", v, 1)); break;
    case 9: v[0] = I32(handle_arg(w, in)); call(a, "region_size", v, 1); break;
    case 10:
    case 11: v[0] = I32(handle_arg(w, in)); v[1] = I64(take(in, 4)); v[2] = I32(ptr_arg(in));
        v[3] = I32(len_arg(in)); call(a, op % 28 == 10 ? "region_read" : "region_write", v, 4); break;
    case 12: v[0] = I32(handle_arg(w, in)); v[1] = I32((take(in, 1) % 6) * 65536);
        v[2] = I32((take(in, 1) % 4) * 65536); call(a, "region_map", v, 3); break;
    case 13: v[0] = I32((take(in, 1) % 6) * 65536); v[1] = I32((take(in, 1) % 4) * 65536);
        call(a, "region_unmap", v, 2); break;
    case 14: p = ptr_arg(in); v[0] = I32(take(in, 4) % (1u << 21)); v[1] = I32(p);
        if (call(a, "stream_create", v, 2) == 0) {
            remember(w, mem_u32(a, p));
            remember(w, mem_u32(a, p + 4));
        }
        break;
    case 15:
    case 16: v[0] = I32(handle_arg(w, in)); v[1] = I32(ptr_arg(in)); v[2] = I32(len_arg(in));
        v[3] = I32(1 | (take(in, 1) & 2));
        call(a, op % 28 == 15 ? "stream_read" : "stream_write", v, 4); break;
    case 17: p = ptr_arg(in); v[0] = I32(p);
        if (call(a, "channel_create", v, 1) == 0) {
            remember(w, mem_u32(a, p));
            remember(w, mem_u32(a, p + 4));
        }
        break;
    case 18: p = ptr_arg(in); n = take(in, 1) % 70; put_handles(w, a, p, n, in, false);
        v[0] = I32(handle_arg(w, in)); v[1] = I32(ptr_arg(in)); v[2] = I32(len_arg(in));
        v[3] = I32(p); v[4] = I32(n); v[5] = I32(1);
        call(a, "channel_write", v, 6); break;
    case 19: p = ptr_arg(in); n = take(in, 1) % 70;
        v[0] = I32(handle_arg(w, in)); v[1] = I32(ptr_arg(in)); v[2] = I32(len_arg(in));
        v[3] = I32(p); v[4] = I32(n); v[5] = I32(ptr_arg(in)); v[6] = I32(1);
        if (call(a, "channel_read", v, 7) == 0)
            for (uint32_t i = 0; i < n && i < 4; i++) remember(w, mem_u32(a, p + 4 * i));
        break;
    case 20: v[0] = I32(ptr_arg(in)); call(a, "link_key", v, 1); break;
    case 21: remember(w, call(a, "link_listen", NULL, 0)); break;
    case 22: {
        /* the other instance's key, one bit flipped now and then */
        b8g_instance *b = w->inst[!(op >> 7)];
        p = ptr_arg(in) % (MEM_BYTES - 64);
        v[0] = I32(p);
        if (call(b, "link_key", v, 1) == 0) {
            uint64_t size;
            uint8_t *mb = b8g_instance_memory(b, &size), *ma = b8g_instance_memory(a, &size);
            memcpy(ma + p, mb + p, 32);
            uint32_t flip = take(in, 1);
            if (flip < 32) ma[p + flip % 32] ^= 1;
        }
        remember(w, call(a, "link", v, 1));
        break;
    }
    case 23: remember(w, call(a, "timer_create", NULL, 0)); break;
    case 24: v[0] = I32(handle_arg(w, in)); v[1] = I64(take(in, 4)); v[2] = I64(take(in, 1) ? 0 : take(in, 4));
        call(a, "timer_set", v, 3); break;
    case 25: v[0] = I32(handle_arg(w, in));
        call(a, (take(in, 1) & 1) ? "timer_cancel" : "timer_ack", v, 1); break;
    case 26: /* a store by the guest itself, e.g. into a window; in bounds,
              * since an out-of-bounds store traps by design */
        v[0] = I32(take(in, 4) % MEM_BYTES); v[1] = I32(take(in, 1));
        call(a, "poke", v, 2); break;
    default: v[0] = I32(handle_arg(w, in)); call(a, "close", v, 1); break;
    }
}

static uint64_t live_objects(void)
{
    uint64_t n = 0;
    for (int k = CAP_KIND_EVENT; k < CAP_KIND_COUNT; k++) n += cap_objects_live((CapKind)k);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    uint64_t live0 = live_objects();
    b8g_config cfg = {.max_memory_pages = 8};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_error err;
    if (!s || b8g_caps_register(s, &err)) abort();
    World w = {0};
    for (int i = 0; i < 2; i++)
        if (b8g_instantiate(s, guest, &w.inst[i], &err)) abort();
    In in = {data, size};
    /* Host-made objects granted with rights from the input. */
    b8g_object *objs[6] = {0};
    b8g_event_new(&objs[0], &err);
    b8g_stream_new(4096, &objs[1], &objs[2], &err);
    b8g_channel_new(&objs[3], &objs[4], &err);
    b8g_region_new(65536, &objs[5], &err);
    for (int i = 0; i < 6; i++) {
        uint32_t h;
        if (objs[i] && b8g_grant(w.inst[i & 1], objs[i], take(&in, 2), &h, &err) == B8G_OK)
            remember(&w, h);
        b8g_object_release(objs[i]);
    }
    for (int steps = 0; in.n && steps < 512; steps++) step(&w, &in);
    b8g_store_free(s);
    if (live_objects() != live0) abort(); /* something kept a reference */
    return 0;
}
