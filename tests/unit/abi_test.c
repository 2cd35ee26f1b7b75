/*
 * abi_test.c - the component ABI as guests see it: handles, rights,
 * transfer, regions, streams, channels and waits, driven through
 * tests/abi/guest.wat (each export calls one function of the "b8g"
 * module, so every call comes from wasm) and the embedding API.
 *
 * Live-object counts (cap_objects_live) prove that closing the last
 * reference frees, and that nothing leaks when a test ends.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "b8g.h"
#include "cap/object.h"

#define EBADH (-(int64_t)CAP_EBADH)
#define EKIND (-(int64_t)CAP_EKIND)
#define ERIGHTS (-(int64_t)CAP_ERIGHTS)
#define EINVAL (-(int64_t)CAP_EINVAL)
#define EFAULT (-(int64_t)CAP_EFAULT)
#define EAGAIN (-(int64_t)CAP_EAGAIN)
#define ECLOSED (-(int64_t)CAP_ECLOSED)
#define ETIMEDOUT (-(int64_t)CAP_ETIMEDOUT)
#define ELIMIT (-(int64_t)CAP_ELIMIT)
#define EBUSY (-(int64_t)CAP_EBUSY)

#define PAGE 65536u

static b8g_module *guest;

static int load_guest(void **state)
{
    (void)state;
    const char *build = getenv("BUILD");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/abi/guest.wasm", build ? build : "build");
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "abi_test: cannot open %s\n", path);
        return -1;
    }
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    b8g_error err;
    if (b8g_module_load(buf, n, &guest, &err)) {
        fprintf(stderr, "abi_test: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_guest(void **state)
{
    (void)state;
    b8g_module_free(guest);
    return 0;
}

static b8g_store *new_store(void)
{
    b8g_config cfg = {0};
    b8g_store *s = b8g_store_new(&cfg);
    assert_non_null(s);
    b8g_error err;
    assert_int_equal(b8g_caps_register(s, &err), B8G_OK);
    return s;
}

static b8g_instance *component(b8g_store *s)
{
    b8g_instance *inst = NULL;
    b8g_error err;
    if (b8g_instantiate(s, guest, &inst, &err)) fail_msg("instantiate: %s", err.msg);
    return inst;
}

/* Calls export `name` with arguments typed by `types` ('i' int32, 'I'
 * int64); returns its result, an i32 sign-extended. */
static int64_t callv(b8g_instance *inst, const char *name, const char *types, ...)
{
    b8g_val args[8], res[1] = {{0}};
    uint32_t n = 0;
    va_list ap;
    va_start(ap, types);
    for (const char *t = types; *t; t++, n++) {
        if (*t == 'I') args[n] = (b8g_val){.type = B8G_I64, .of.i64 = va_arg(ap, int64_t)};
        else args[n] = (b8g_val){.type = B8G_I32, .of.i32 = va_arg(ap, int32_t)};
    }
    va_end(ap);
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    assert_int_equal(b8g_export_func(inst, name, &np, &pt, &nr, &rt), B8G_OK);
    b8g_error err;
    b8g_status st = b8g_call(inst, name, args, n, res, nr, &err);
    if (st) fail_msg("%s: %s", name, err.msg);
    if (nr == 0) return 0;
    return res[0].type == B8G_I64 ? res[0].of.i64 : (int64_t)res[0].of.i32;
}

static uint8_t *mem_of(b8g_instance *inst)
{
    uint64_t size;
    uint8_t *m = b8g_instance_memory(inst, &size);
    assert_non_null(m);
    return m;
}

static uint32_t u32_at(b8g_instance *inst, uint32_t addr)
{
    uint32_t v;
    memcpy(&v, mem_of(inst) + addr, 4);
    return v;
}

static uint64_t live_total(void)
{
    uint64_t n = 0;
    for (int k = CAP_KIND_EVENT; k < CAP_KIND_COUNT; k++) n += cap_objects_live((CapKind)k);
    return n;
}

/* ---- handles ------------------------------------------------------------- */

static void test_no_handle_no_access(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    /* A fresh component holds nothing: any value is not a handle. */
    static const int32_t guesses[] = {0, 1, 2, 3, 4, 5, -1, 0x100000, 0x12345678};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++) {
        assert_int_equal(callv(a, "close", "i", guesses[i]), EBADH);
        assert_int_equal(callv(a, "rights", "i", guesses[i]), EBADH);
        assert_int_equal(callv(a, "stream_read", "iiii", guesses[i], 0, 16, 1), EBADH);
        assert_int_equal(callv(a, "region_map", "iii", guesses[i], 0, PAGE), EBADH);
        assert_int_equal(callv(a, "event_signal", "i", guesses[i]), EBADH);
    }
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

static void test_forged_stale_foreign(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s);
    b8g_object *ev;
    b8g_error err;
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    uint32_t ha, hb;
    assert_int_equal(b8g_grant(a, ev, B8G_RIGHTS_ALL, &ha, &err), B8G_OK);
    assert_int_equal(b8g_grant(b, ev, B8G_RIGHTS_ALL, &hb, &err), B8G_OK);
    assert_int_equal(callv(a, "event_signal", "i", ha), 0);
    /* Foreign: b's value means nothing in a's table, and vice versa. */
    assert_int_equal(callv(a, "event_signal", "i", hb), EBADH);
    assert_int_equal(callv(b, "event_signal", "i", ha), EBADH);
    /* Forged: neighbouring values. */
    for (uint32_t bit = 0; bit < 32; bit++)
        assert_int_equal(callv(a, "event_signal", "i", ha ^ (1u << bit)), EBADH);
    /* Closed, then stale even when the slot is reused. */
    assert_int_equal(callv(a, "close", "i", ha), 0);
    assert_int_equal(callv(a, "close", "i", ha), EBADH);
    int64_t again = callv(a, "event_create", "");
    assert_true(again >= 0);
    assert_int_not_equal((uint32_t)again, ha);
    assert_int_equal(callv(a, "event_signal", "i", ha), EBADH);
    /* The host can take back what it granted, whatever the rights. */
    assert_int_equal(b8g_revoke(b, hb, &err), B8G_OK);
    assert_int_equal(callv(b, "event_signal", "i", hb), EBADH);
    assert_int_equal(b8g_revoke(b, hb, &err), B8G_ARG);
    b8g_object_release(ev);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

static void test_rights_only_shrink(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    int64_t h = callv(a, "event_create", "");
    assert_true(h >= 0);
    uint32_t all = (uint32_t)callv(a, "rights", "i", h);
    assert_true(all & CAP_RIGHT_SIGNAL);
    assert_true(all & CAP_RIGHT_DUP);
    /* A dup keeps or drops rights, never adds. */
    int64_t wait_only = callv(a, "dup", "ii", h, CAP_RIGHT_WAIT | CAP_RIGHT_DUP);
    assert_true(wait_only >= 0);
    assert_int_equal(callv(a, "rights", "i", wait_only), CAP_RIGHT_WAIT | CAP_RIGHT_DUP);
    assert_int_equal(callv(a, "event_signal", "i", wait_only), ERIGHTS);
    assert_int_equal(callv(a, "dup", "ii", wait_only, CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL), ERIGHTS);
    assert_int_equal(callv(a, "kind", "i", wait_only), ERIGHTS); /* no INSPECT */
    assert_int_equal(callv(a, "kind", "i", h), 1);                 /* an event */
    /* Without DUP there is no dup at all. */
    int64_t no_dup = callv(a, "dup", "ii", wait_only, CAP_RIGHT_WAIT);
    assert_true(no_dup >= 0);
    assert_int_equal(callv(a, "dup", "ii", no_dup, CAP_RIGHT_WAIT), ERIGHTS);
    /* replace consumes the original and cannot widen either. */
    assert_int_equal(callv(a, "replace", "ii", no_dup, CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL), ERIGHTS);
    int64_t r = callv(a, "replace", "ii", no_dup, 0);
    assert_true(r >= 0);
    assert_int_equal(callv(a, "rights", "i", no_dup), EBADH);
    assert_int_equal(callv(a, "rights", "i", r), 0);
    /* The host cannot grant a right the kind does not have. */
    b8g_object *reg;
    b8g_error err;
    assert_int_equal(b8g_region_new(PAGE, &reg, &err), B8G_OK);
    uint32_t hr;
    assert_int_equal(b8g_grant(a, reg, B8G_RIGHTS_ALL, &hr, &err), B8G_OK);
    assert_int_equal(callv(a, "rights", "i", hr) & (CAP_RIGHT_SIGNAL | CAP_RIGHT_WAIT), 0);
    b8g_object_release(reg);
    b8g_store_free(s);
}

static void test_close_last_reference_frees(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    uint64_t ev0 = cap_objects_live(CAP_KIND_EVENT);
    int64_t h = callv(a, "event_create", "");
    int64_t d = callv(a, "dup", "ii", h, CAP_RIGHT_WAIT);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), ev0 + 1);
    assert_int_equal(callv(a, "close", "i", h), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), ev0 + 1); /* d still holds it */
    assert_int_equal(callv(a, "close", "i", d), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), ev0);
    /* Handles still open when the store goes are dropped with it. */
    assert_true(callv(a, "event_create", "") >= 0);
    assert_true(callv(a, "region_create", "I", (int64_t)PAGE) >= 0);
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    assert_int_equal(callv(a, "channel_create", "i", 8), 0);
    assert_true(live_total() > ev0);
    b8g_store_free(s);
    assert_int_equal(cap_objects_live(CAP_KIND_EVENT), ev0);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_CHANNEL), 0);
}

/* ---- channels and transfer ---------------------------------------------------- */

static void test_transfer_moves(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s);
    b8g_object *ca, *cb;
    b8g_error err;
    assert_int_equal(b8g_channel_new(&ca, &cb, &err), B8G_OK);
    uint32_t ha, hb;
    assert_int_equal(b8g_grant(a, ca, B8G_RIGHTS_ALL, &ha, &err), B8G_OK);
    assert_int_equal(b8g_grant(b, cb, B8G_RIGHTS_ALL, &hb, &err), B8G_OK);
    b8g_object_release(ca);
    b8g_object_release(cb);

    /* a sends "hi" and an event handle with WAIT|SIGNAL|TRANSFER. */
    int64_t ev = callv(a, "event_create", "");
    int64_t sent = callv(a, "replace", "ii", ev,
                         CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL | CAP_RIGHT_TRANSFER);
    uint8_t *ma = mem_of(a);
    memcpy(ma + 100, "hi", 2);
    uint32_t hv = (uint32_t)sent;
    memcpy(ma + 200, &hv, 4);
    /* sent has no DUP, so it cannot be copied; without TRANSFER a handle
     * cannot travel. */
    assert_int_equal(callv(a, "dup", "ii", sent, 0), ERIGHTS);
    int64_t other = callv(a, "event_create", "");
    int64_t no_transfer = callv(a, "replace", "ii", other, CAP_RIGHT_WAIT);
    uint32_t nt = (uint32_t)no_transfer;
    memcpy(ma + 300, &nt, 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", ha, 100, 2, 300, 1, 0), ERIGHTS);
    assert_int_equal(callv(a, "rights", "i", no_transfer), CAP_RIGHT_WAIT); /* still there */
    /* The same handle twice, and the channel inside itself, are refused. */
    memcpy(ma + 400, &hv, 4);
    memcpy(ma + 404, &hv, 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", ha, 100, 2, 400, 2, 0), EINVAL);
    uint32_t self = ha;
    memcpy(ma + 500, &self, 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", ha, 100, 2, 500, 1, 0), EINVAL);
    assert_true(callv(a, "rights", "i", ha) >= 0);

    assert_int_equal(callv(a, "channel_write", "iiiiii", ha, 100, 2, 200, 1, 0), 0);
    /* Gone from the sender. */
    assert_int_equal(callv(a, "rights", "i", sent), EBADH);
    assert_int_equal(callv(a, "event_signal", "i", sent), EBADH);

    /* b reads: a buffer too small for the bytes is told the size. */
    assert_int_equal(callv(b, "channel_read", "iiiiiii", hb, 100, 1, 200, 4, 300, 0), ELIMIT);
    assert_int_equal(u32_at(b, 300), 2);
    assert_int_equal(u32_at(b, 304), 1);
    assert_int_equal(callv(b, "channel_read", "iiiiiii", hb, 100, 16, 200, 4, 300, 0), 0);
    uint8_t *mb = mem_of(b);
    assert_memory_equal(mb + 100, "hi", 2);
    assert_int_equal(u32_at(b, 300), 2);
    assert_int_equal(u32_at(b, 304), 1);
    uint32_t got = u32_at(b, 200);
    assert_int_equal(callv(b, "rights", "i", got),
                     CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL | CAP_RIGHT_TRANSFER);
    assert_int_equal(callv(b, "event_signal", "i", got), 0);
    /* Empty now: non-blocking read says so. */
    assert_int_equal(callv(b, "channel_read", "iiiiiii", hb, 100, 16, 200, 4, 300, 1), EAGAIN);
    /* The peer closes: the reader learns it. */
    assert_int_equal(callv(a, "close", "i", ha), 0);
    assert_int_equal(callv(b, "channel_read", "iiiiiii", hb, 100, 16, 200, 4, 300, 1), ECLOSED);
    assert_int_equal(callv(b, "channel_write", "iiiiii", hb, 100, 2, 0, 0, 1), ECLOSED);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* A handle in a message nobody reads is freed with the channel. */
static void test_in_flight_handles_freed(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    assert_int_equal(callv(a, "channel_create", "i", 0), 0);
    uint32_t c0 = u32_at(a, 0), c1 = u32_at(a, 4);
    int64_t reg = callv(a, "region_create", "I", (int64_t)PAGE);
    uint32_t rv = (uint32_t)reg;
    memcpy(mem_of(a) + 64, &rv, 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", c0, 0, 0, 64, 1, 0), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), 1);
    assert_int_equal(callv(a, "close", "i", c1), 0); /* the receiving end */
    assert_int_equal(cap_objects_live(CAP_KIND_REGION), 0);
    assert_int_equal(callv(a, "close", "i", c0), 0);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* ---- regions -------------------------------------------------------------------- */

static void test_region_zero_copy(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s), *c = component(s);
    b8g_object *reg;
    b8g_error err;
    assert_int_equal(b8g_region_new(2 * PAGE, &reg, &err), B8G_OK);
    uint32_t ha, hb;
    assert_int_equal(b8g_grant(a, reg, B8G_RIGHTS_ALL, &ha, &err), B8G_OK);
    assert_int_equal(b8g_grant(b, reg, B8G_RIGHTS_ALL, &hb, &err), B8G_OK);
    assert_int_equal(callv(a, "region_size", "i", ha), 2 * PAGE);
    /* a maps it at page 1, b at page 2 of their own memories. */
    assert_int_equal(callv(a, "region_map", "iii", ha, PAGE, 2 * PAGE), 0);
    assert_int_equal(callv(b, "region_map", "iii", hb, 2 * PAGE, 2 * PAGE), 0);
    callv(a, "poke", "ii", PAGE + 5, 42);
    assert_int_equal(callv(b, "peek", "i", 2 * PAGE + 5), 42);
    callv(b, "poke", "ii", 3 * PAGE + 7, 7);
    assert_int_equal(callv(a, "peek", "i", 2 * PAGE + 7), 7);
    /* The host sees it too, by copy. */
    uint8_t byte = 0;
    assert_int_equal(b8g_region_read(reg, 5, &byte, 1, &err), B8G_OK);
    assert_int_equal(byte, 42);
    /* c holds nothing: its memory at the same places stays its own. */
    assert_int_equal(callv(c, "peek", "i", PAGE + 5), 0);
    assert_int_equal(callv(c, "peek", "i", 2 * PAGE + 5), 0);
    assert_int_equal(callv(c, "region_map", "iii", ha, PAGE, PAGE), EBADH);
    /* Bad windows: misaligned, past the memory, overlapping, too long. */
    assert_int_equal(callv(a, "region_map", "iii", ha, 100, PAGE), EINVAL);
    assert_int_equal(callv(a, "region_map", "iii", ha, 4 * PAGE, PAGE), EINVAL);
    assert_int_equal(callv(a, "region_map", "iii", ha, 2 * PAGE, PAGE), EBUSY);
    assert_int_equal(callv(a, "region_map", "iii", ha, 0, 3 * PAGE), EINVAL);
    /* By copy, with bounds. */
    memcpy(mem_of(c) + 10, "abc", 3);
    assert_int_equal(callv(a, "region_read", "iIii", ha, (int64_t)5, 0, 1), 0);
    assert_int_equal(mem_of(a)[0], 42);
    assert_int_equal(callv(a, "region_read", "iIii", ha, (int64_t)2 * PAGE - 1, 0, 2), EINVAL);
    assert_int_equal(callv(a, "region_read", "iIii", ha, (int64_t)0, 4 * PAGE - 1, 2), EFAULT);
    /* Without WRITE a handle reads by copy but cannot map or write. */
    int64_t ro = callv(a, "dup", "ii", ha, CAP_RIGHT_READ | CAP_RIGHT_MAP);
    assert_int_equal(callv(a, "region_write", "iIii", ro, (int64_t)0, 0, 1), ERIGHTS);
    assert_int_equal(callv(a, "region_map", "iii", ro, 3 * PAGE, PAGE), ERIGHTS);
    assert_int_equal(callv(a, "region_read", "iIii", ro, (int64_t)0, 0, 1), 0);
    /* Unmapping gives a private zero page back; b still sees the data. */
    assert_int_equal(callv(a, "region_unmap", "ii", PAGE, 2 * PAGE), 0);
    assert_int_equal(callv(a, "peek", "i", PAGE + 5), 0);
    assert_int_equal(callv(b, "peek", "i", 2 * PAGE + 5), 42);
    assert_int_equal(callv(a, "region_unmap", "ii", PAGE, 2 * PAGE), EINVAL);
    b8g_object_release(reg);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* ---- streams ---------------------------------------------------------------------- */

static void test_stream_backpressure_and_close(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    b8g_object *r, *w;
    b8g_error err;
    assert_int_equal(b8g_stream_new(PAGE, &r, &w, &err), B8G_OK);
    uint32_t hw;
    assert_int_equal(b8g_grant(a, w, B8G_RIGHTS_ALL, &hw, &err), B8G_OK);
    b8g_object_release(w);
    memset(mem_of(a), 'x', 2 * PAGE);
    /* Full after one capacity: the rest waits (non-blocking: EAGAIN). */
    assert_int_equal(callv(a, "stream_write", "iiii", hw, 0, 2 * PAGE, 1), PAGE);
    assert_int_equal(callv(a, "stream_write", "iiii", hw, 0, 10, 1), EAGAIN);
    assert_int_equal(callv(a, "wait", "iiI", hw, CAP_SIGNAL_WRITABLE, (int64_t)1000000), ETIMEDOUT);
    static uint8_t buf[PAGE];
    size_t done = 0;
    assert_int_equal(b8g_stream_read(r, buf, 100, &done, &err), B8G_OK);
    assert_int_equal(done, 100);
    assert_int_equal(callv(a, "wait", "iiI", hw, CAP_SIGNAL_WRITABLE, (int64_t)0) & CAP_SIGNAL_WRITABLE,
                     CAP_SIGNAL_WRITABLE);
    assert_int_equal(callv(a, "stream_write", "iiii", hw, 0, 1000, 1), 100);
    /* A read end cannot be written, nor the write end read. */
    assert_int_equal(callv(a, "stream_read", "iiii", hw, 0, 10, 1), EKIND);
    /* The reader goes: writing fails with CLOSED, and the signal says so. */
    b8g_object_release(r);
    assert_int_equal(callv(a, "stream_write", "iiii", hw, 0, 10, 1), ECLOSED);
    assert_true(callv(a, "wait", "iiI", hw, CAP_SIGNAL_PEER_CLOSED, (int64_t)0) &
                CAP_SIGNAL_PEER_CLOSED);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

static void test_stream_end_of_stream(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    uint32_t rd = u32_at(a, 0), wr = u32_at(a, 4);
    memcpy(mem_of(a) + 64, "hello", 5);
    assert_int_equal(callv(a, "stream_write", "iiii", wr, 64, 5, 0), 5);
    assert_int_equal(callv(a, "close", "i", wr), 0);
    /* Buffered data first, then end-of-stream (0), with PEER_CLOSED. */
    assert_int_equal(callv(a, "stream_read", "iiii", rd, 128, 3, 0), 3);
    assert_int_equal(callv(a, "stream_read", "iiii", rd, 131, 16, 0), 2);
    assert_memory_equal(mem_of(a) + 128, "hello", 5);
    assert_int_equal(callv(a, "stream_read", "iiii", rd, 128, 16, 0), 0);
    assert_true(callv(a, "wait", "iiI", rd, CAP_SIGNAL_PEER_CLOSED, (int64_t)-1) &
                CAP_SIGNAL_PEER_CLOSED);
    /* Buffers outside memory are refused before anything moves. */
    assert_int_equal(callv(a, "stream_read", "iiii", rd, 4 * PAGE - 2, 16, 0), EFAULT);
    assert_int_equal(callv(a, "stream_create", "ii", 0, 4 * PAGE - 4), EFAULT);
    b8g_store_free(s);
}

/* ---- waiting -------------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct Later {
    b8g_object *ev;
    unsigned delay_ms;
} Later;

static void *signal_later(void *arg)
{
    Later *l = arg;
    usleep(l->delay_ms * 1000);
    b8g_error err;
    b8g_event_signal(l->ev, &err);
    return NULL;
}

static void put_item(b8g_instance *inst, uint32_t at, uint32_t h, uint32_t mask)
{
    uint32_t item[3] = {h, mask, 0xdeadbeef};
    memcpy(mem_of(inst) + at, item, sizeof item);
}

static void test_wait_many(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    b8g_object *ev;
    b8g_error err;
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    uint32_t he;
    assert_int_equal(b8g_grant(a, ev, CAP_RIGHT_WAIT, &he, &err), B8G_OK);
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    uint32_t rd = u32_at(a, 0);
    /* Nothing ready: the deadline passes, observed is written. */
    put_item(a, 16, rd, CAP_SIGNAL_READABLE);
    put_item(a, 28, he, CAP_SIGNAL_SIGNALED);
    double t0 = now_ms();
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 2, (int64_t)20000000), ETIMEDOUT);
    assert_true(now_ms() - t0 >= 19.0);
    assert_int_equal(u32_at(a, 24), 0);
    assert_int_equal(u32_at(a, 36), 0);
    /* The event fires from another thread while we wait. */
    Later l = {ev, 30};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, signal_later, &l), 0);
    t0 = now_ms();
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 2, (int64_t)-1), 1);
    assert_true(now_ms() - t0 >= 20.0);
    pthread_join(th, NULL);
    assert_int_equal(u32_at(a, 24) & CAP_SIGNAL_READABLE, 0);
    assert_int_equal(u32_at(a, 36) & CAP_SIGNAL_SIGNALED, CAP_SIGNAL_SIGNALED);
    b8g_object_release(ev);
    b8g_store_free(s);
}

static void test_wait_rights_and_bounds(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    int64_t ev = callv(a, "event_create", "");
    int64_t blind = callv(a, "dup", "ii", ev, CAP_RIGHT_SIGNAL);
    assert_true(blind >= 0);
    put_item(a, 16, (uint32_t)blind, CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 1, (int64_t)0), ERIGHTS);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 0, (int64_t)0), EINVAL);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, CAP_WAIT_MAX + 1, (int64_t)0), EINVAL);
    assert_int_equal(callv(a, "wait_many", "iiI", 4 * PAGE - 4, 1, (int64_t)0), EFAULT);
    put_item(a, 16, (uint32_t)ev, 1u << 20);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 1, (int64_t)0), EINVAL);
    /* Signal and clear. */
    assert_int_equal(callv(a, "event_signal", "i", ev), 0);
    assert_int_equal(callv(a, "wait", "iiI", ev, CAP_SIGNAL_SIGNALED, (int64_t)0), CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "event_clear", "i", ev), 0);
    assert_int_equal(callv(a, "wait", "iiI", ev, CAP_SIGNAL_SIGNALED, (int64_t)0), ETIMEDOUT);
    b8g_store_free(s);
}

/* A guest blocked in a read stops when the store is interrupted (what
 * --timeout does): the call traps, nothing hangs. */
typedef struct Interrupter {
    b8g_store *s;
    unsigned delay_ms;
} Interrupter;

static void *interrupt_later(void *arg)
{
    Interrupter *in = arg;
    usleep(in->delay_ms * 1000);
    b8g_store_interrupt(in->s);
    return NULL;
}

static void test_blocked_read_interrupted(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    uint32_t rd = u32_at(a, 0);
    Interrupter in = {s, 30};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupt_later, &in), 0);
    b8g_val args[4] = {{.type = B8G_I32, .of.i32 = (int32_t)rd}, {.type = B8G_I32, .of.i32 = 64},
                       {.type = B8G_I32, .of.i32 = 16}, {.type = B8G_I32, .of.i32 = 0}};
    b8g_val res;
    b8g_error err;
    b8g_status st = b8g_call(a, "stream_read", args, 4, &res, 1, &err);
    pthread_join(th, NULL);
    assert_true(st == B8G_TRAP || st == B8G_SUSPENDED);
    if (st == B8G_TRAP) assert_int_equal(err.trap, B8G_TRAP_INTERRUPTED);
    if (b8g_suspended(s)) b8g_abort(s);
    b8g_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_handle_no_access),
        cmocka_unit_test(test_forged_stale_foreign),
        cmocka_unit_test(test_rights_only_shrink),
        cmocka_unit_test(test_close_last_reference_frees),
        cmocka_unit_test(test_transfer_moves),
        cmocka_unit_test(test_in_flight_handles_freed),
        cmocka_unit_test(test_region_zero_copy),
        cmocka_unit_test(test_stream_backpressure_and_close),
        cmocka_unit_test(test_stream_end_of_stream),
        cmocka_unit_test(test_wait_many),
        cmocka_unit_test(test_wait_rights_and_bounds),
        cmocka_unit_test(test_blocked_read_interrupted),
    };
    return cmocka_run_group_tests(tests, load_guest, free_guest);
}
