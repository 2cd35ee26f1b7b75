/*
 * abi_test.c - the component ABI as guests see it: handles, rights,
 * transfer, regions, streams, channels, timers and waits, driven through
 * tests/abi/guest.wat (each export calls one function of the "b8g"
 * module, so every call comes from wasm) and the embedding API; WASI
 * files and directories as handles through tests/abi/files.wat.
 *
 * Live-object counts (cap_objects_live) prove that closing the last
 * reference frees, and that nothing leaks when a test ends.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "b8g.h"
#include "guest.h"
#include "cap/link.h"
#include "cap/object.h"
#include "wasi/wasi.h"

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

static b8g_module *guest, *files_guest; /* tests/abi/guest.wat, files.wat */
static int devnull = -1;                 /* the files guests' stdio */

static int load_guest(void **state)
{
    (void)state;
    guest = load_built_guest("guest");
    files_guest = load_built_guest("files");
    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    return guest && files_guest && devnull >= 0 ? 0 : -1;
}

static int free_guest(void **state)
{
    (void)state;
    b8g_module_free(guest);
    b8g_module_free(files_guest);
    close(devnull);
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

/* b8g_store_cancel is sticky: a call that starts after it stops at its
 * first safe point, and so does every later one (a plain interrupt is
 * forgotten when the next call starts). */
static void test_store_cancel_sticky(void **state)
{
    (void)state;
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    b8g_error err;
    b8g_store_interrupt(s); /* forgotten by the next call */
    assert_int_equal(callv(a, "kind", "i", 0), EBADH);
    b8g_store_cancel(s);
    for (int i = 0; i < 2; i++) {
        b8g_status st = b8g_call(a, "task_spin", NULL, 0, NULL, 0, &err);
        assert_true(st == B8G_TRAP || st == B8G_SUSPENDED);
        assert_int_equal(err.trap, B8G_TRAP_INTERRUPTED);
        if (b8g_suspended(s)) b8g_abort(s);
    }
    b8g_store_free(s);
}

/* The host talks over a channel like a component: bytes and objects in,
 * a reply out, with the objects' references moving. */
static void test_host_channel(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    b8g_object *mine, *theirs, *ev;
    b8g_error err;
    assert_int_equal(b8g_channel_new(&mine, &theirs, &err), B8G_OK);
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    uint32_t h;
    assert_int_equal(b8g_grant(a, theirs, B8G_RIGHTS_ALL, &h, &err), B8G_OK);
    b8g_object_release(theirs);
    assert_int_equal(b8g_channel_write(mine, "job", 3, &ev, 1, &err), B8G_OK);
    /* ev's reference is the message's now: the host does not release it. */
    assert_int_equal(callv(a, "channel_read", "iiiiiii", h, 100, 16, 200, 4, 300, 1), 0);
    assert_memory_equal(mem_of(a) + 100, "job", 3);
    uint32_t got = u32_at(a, 200);
    assert_int_equal(callv(a, "event_signal", "i", got), 0);
    memcpy(mem_of(a) + 100, "done", 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", h, 100, 4, 0, 0, 1), 0);
    char buf[8];
    size_t n = 0;
    uint32_t nobj = 9;
    b8g_object *objs[2];
    /* Too small a buffer: told the size, message kept. */
    assert_int_equal(b8g_channel_read(mine, buf, 2, &n, objs, 2, &nobj, &err), B8G_LIMIT);
    assert_int_equal(n, 4);
    assert_int_equal(b8g_channel_read(mine, buf, sizeof buf, &n, objs, 2, &nobj, &err), B8G_OK);
    assert_int_equal(n, 4);
    assert_int_equal(nobj, 0);
    assert_memory_equal(buf, "done", 4);
    assert_int_equal(b8g_channel_read(mine, buf, sizeof buf, &n, objs, 2, &nobj, &err), B8G_LIMIT);
    /* A channel cannot carry its own end; a non-object is refused. */
    assert_int_equal(b8g_channel_write(mine, NULL, 0, &mine, 1, &err), B8G_ARG);
    assert_int_equal(b8g_channel_write(ev, "x", 1, NULL, 0, &err), B8G_ARG);
    b8g_store_free(s); /* the component's end goes: the peer is closed */
    assert_int_equal(b8g_channel_write(mine, "x", 1, NULL, 0, &err), B8G_IO);
    b8g_object_release(mine);
    assert_int_equal(live_total(), live0);
}

/* ---- tasks ------------------------------------------------------------------ */

/* Starts `entry` of the guest module (granted to a as module handle hm)
 * with the given handles; returns task_spawn's result. */
static int64_t spawn(b8g_instance *a, uint32_t hm, const char *entry, const uint32_t *hs,
                     uint32_t n, int64_t fuel)
{
    uint8_t *m = mem_of(a);
    size_t len = strlen(entry);
    memcpy(m + 1024, entry, len);
    if (n) memcpy(m + 2048, hs, n * 4);
    return callv(a, "task_spawn", "iiiiiI", hm, 1024, (int32_t)len, 2048, n, fuel);
}

static uint32_t grant_module(b8g_instance *a, uint32_t rights)
{
    b8g_object *mo;
    b8g_error err;
    assert_int_equal(b8g_module_object(guest, &mo, &err), B8G_OK);
    uint32_t h;
    assert_int_equal(b8g_grant(a, mo, rights, &h, &err), B8G_OK);
    b8g_object_release(mo);
    return h;
}

/* Waits for the task and returns its {state, value}. */
static void task_outcome(b8g_instance *a, uint32_t task, uint32_t *state, int32_t *value)
{
    assert_true(callv(a, "wait", "iiI", task, CAP_SIGNAL_SIGNALED, (int64_t)5000000000) >= 0);
    assert_int_equal(callv(a, "task_result", "ii", task, 512), 0);
    *state = u32_at(a, 512);
    *value = (int32_t)u32_at(a, 516);
}

static void wait_tasks_gone(void)
{
    for (int i = 0; i < 500 && cap_tasks_running() > 0; i++) usleep(10000);
    assert_int_equal(cap_tasks_running(), 0);
}

static void test_task_runs_with_moved_handles(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    uint32_t hm = grant_module(a, B8G_RIGHT_CALL);
    int64_t ev = callv(a, "event_create", "");
    int64_t watch = callv(a, "dup", "ii", ev, CAP_RIGHT_WAIT);
    uint32_t pass = (uint32_t)ev;
    int64_t task = spawn(a, hm, "task_echo", &pass, 1, 0);
    assert_true(task >= 0);
    /* The handle moved to the task. */
    assert_int_equal(callv(a, "rights", "i", ev), EBADH);
    uint32_t st;
    int32_t v;
    task_outcome(a, (uint32_t)task, &st, &v);
    assert_int_equal(st, CAP_TASK_RETURNED);
    assert_int_equal(v, 7);
    /* It signalled the event it was given. */
    assert_int_equal(callv(a, "wait", "iiI", watch, CAP_SIGNAL_SIGNALED, (int64_t)0),
                     CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "kind", "i", task), 7);
    /* Without CALL no task; a handle without TRANSFER cannot be passed. */
    uint32_t weak = grant_module(a, B8G_RIGHT_INSPECT);
    assert_int_equal(spawn(a, weak, "task_echo", &pass, 0, 0), ERIGHTS);
    uint32_t w = (uint32_t)watch;
    assert_int_equal(spawn(a, hm, "task_echo", &w, 1, 0), ERIGHTS);
    assert_int_equal(callv(a, "rights", "i", watch), CAP_RIGHT_WAIT); /* still here */
    /* A bad entry point fails the task, not the parent. */
    int64_t bad = spawn(a, hm, "no_such_export", NULL, 0, 0);
    assert_true(bad >= 0);
    task_outcome(a, (uint32_t)bad, &st, &v);
    assert_int_equal(st, CAP_TASK_FAILED);
    assert_int_equal(v, B8G_LINK);
    assert_int_equal(spawn(a, hm, "", NULL, 0, 0), EINVAL);
    b8g_store_free(s);
    wait_tasks_gone();
    assert_int_equal(live_total(), live0);
}

static void test_task_cancel_frees(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    uint32_t hm = grant_module(a, B8G_RIGHTS_ALL);
    /* A spinning task stops when cancelled. */
    int64_t spin = spawn(a, hm, "task_spin", NULL, 0, 0);
    assert_true(spin >= 0);
    usleep(20000);
    assert_int_equal(callv(a, "task_result", "ii", spin, 512), EAGAIN);
    assert_int_equal(callv(a, "task_cancel", "i", spin), 0);
    uint32_t st;
    int32_t v;
    task_outcome(a, (uint32_t)spin, &st, &v);
    assert_int_equal(st, CAP_TASK_CANCELLED);
    /* A task blocked in a read, holding a stream and a region it was
     * given, is stopped and everything it held is freed. */
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    uint32_t rd = u32_at(a, 0), wr = u32_at(a, 4);
    int64_t reg = callv(a, "region_create", "I", (int64_t)PAGE);
    uint32_t pass[2] = {rd, (uint32_t)reg};
    /* task_block takes one handle: pass the stream; the region goes to a
     * second task that only holds it. */
    int64_t blocked = spawn(a, hm, "task_block", pass, 1, 0);
    assert_true(blocked >= 0);
    usleep(20000);
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), 1);
    assert_int_equal(callv(a, "task_cancel", "i", blocked), 0);
    task_outcome(a, (uint32_t)blocked, &st, &v);
    assert_int_equal(st, CAP_TASK_CANCELLED);
    wait_tasks_gone();
    assert_int_equal(cap_objects_live(CAP_KIND_STREAM_READ), 0); /* freed with the task */
    /* The writer sees the reader gone. */
    assert_int_equal(callv(a, "stream_write", "iiii", wr, 0, 1, 1), ECLOSED);
    /* Closing the last handle to a running task cancels it too. */
    int64_t orphan = spawn(a, hm, "task_spin", NULL, 0, 0);
    assert_true(orphan >= 0);
    usleep(10000);
    assert_int_equal(callv(a, "close", "i", orphan), 0);
    wait_tasks_gone();
    (void)pass[1];
    b8g_store_free(s);
    wait_tasks_gone();
    assert_int_equal(live_total(), live0);
}

static void test_task_fuel_comes_from_parent(void **state)
{
    (void)state;
    b8g_config cfg = {.fuel = 10000000};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_error err;
    assert_int_equal(b8g_caps_register(s, &err), B8G_OK);
    b8g_instance *a = component(s);
    uint32_t hm = grant_module(a, B8G_RIGHTS_ALL);
    /* Unlimited, or all that is left, is refused to a metered parent. */
    assert_int_equal(spawn(a, hm, "task_fuel", NULL, 0, 0), ELIMIT);
    assert_int_equal(spawn(a, hm, "task_fuel", NULL, 0, 20000000), ELIMIT);
    uint64_t before = b8g_store_fuel(s);
    int64_t small = spawn(a, hm, "task_fuel", NULL, 0, 5000);
    assert_true(small >= 0);
    assert_true(b8g_store_fuel(s) <= before - 5000);
    uint32_t st;
    int32_t v;
    task_outcome(a, (uint32_t)small, &st, &v);
    assert_int_equal(st, CAP_TASK_TRAPPED); /* 5000 is not enough */
    assert_int_equal(v, B8G_TRAP_OUT_OF_FUEL);
    int64_t enough = spawn(a, hm, "task_fuel", NULL, 0, 5000000);
    assert_true(enough >= 0);
    task_outcome(a, (uint32_t)enough, &st, &v);
    assert_int_equal(st, CAP_TASK_RETURNED);
    assert_int_equal(v, 1000000);
    b8g_store_free(s);
    wait_tasks_gone();
}

/* ---- link keys ------------------------------------------------------------------ */

#define ENOTFOUND (-(int64_t)CAP_ENOTFOUND)
#define INBOX_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_WAIT | CAP_RIGHT_INSPECT)
#define CHANNEL_RIGHTS                                                                  \
    (CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_WAIT | CAP_RIGHT_DUP | CAP_RIGHT_TRANSFER | \
     CAP_RIGHT_INSPECT)

/* Guest memory the link tests use: a key read, a key passed, a received
 * handle and the {bytes, handles} counts, outgoing and incoming bytes. */
#define AT_KEY_OUT 4096u
#define AT_KEY_IN 8192u
#define AT_HANDLE 12288u
#define AT_ACTUAL 12296u
#define AT_SAY 16384u
#define AT_HEAR 20480u

/* inst's key as its own link_key export reads it. */
static void guest_key(b8g_instance *inst, uint8_t key[32])
{
    assert_int_equal(callv(inst, "link_key", "i", AT_KEY_OUT), 0);
    memcpy(key, mem_of(inst) + AT_KEY_OUT, 32);
}

/* inst links with key (copied into its memory); the handle or -error. */
static int64_t link_with(b8g_instance *inst, const uint8_t key[32])
{
    memcpy(mem_of(inst) + AT_KEY_IN, key, 32);
    return callv(inst, "link", "i", AT_KEY_IN);
}

/* The next link waiting in inst's inbox: one message, no bytes, one
 * channel end, whose handle is returned (or -error). */
static int64_t accept_link(b8g_instance *inst, uint32_t inbox)
{
    int64_t rc = callv(inst, "channel_read", "iiiiiii", inbox, 0, 0, AT_HANDLE, 1, AT_ACTUAL, 1);
    if (rc) return rc;
    assert_int_equal(u32_at(inst, AT_ACTUAL), 0);
    assert_int_equal(u32_at(inst, AT_ACTUAL + 4), 1);
    return u32_at(inst, AT_HANDLE);
}

static void say(b8g_instance *inst, uint32_t h, const char *msg)
{
    memcpy(mem_of(inst) + AT_SAY, msg, strlen(msg));
    assert_int_equal(
        callv(inst, "channel_write", "iiiiii", h, AT_SAY, (int32_t)strlen(msg), 0, 0, 1), 0);
}

static void hear(b8g_instance *inst, uint32_t h, const char *msg)
{
    assert_int_equal(callv(inst, "channel_read", "iiiiiii", h, AT_HEAR, 64, 0, 0, AT_ACTUAL, 1),
                     0);
    assert_int_equal(u32_at(inst, AT_ACTUAL), strlen(msg));
    assert_memory_equal(mem_of(inst) + AT_HEAR, msg, strlen(msg));
}

/* The compare behind every lookup: equal exactly when all 256 bits are. */
static void test_link_key_equal(void **state)
{
    (void)state;
    uint8_t x[32], y[32];
    for (int i = 0; i < 32; i++) x[i] = (uint8_t)(i * 37 + 1);
    memcpy(y, x, 32);
    assert_int_equal(cap_link_key_equal(x, y), 1);
    for (int bit = 0; bit < 256; bit++) {
        y[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(cap_link_key_equal(x, y), 0);
        assert_int_equal(cap_link_key_equal(y, x), 0);
        y[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    memset(x, 0, 32);
    memset(y, 0, 32);
    assert_int_equal(cap_link_key_equal(x, y), 1);
    memset(y, 0xff, 32);
    assert_int_equal(cap_link_key_equal(x, y), 0);
    memset(x, 0xff, 32);
    assert_int_equal(cap_link_key_equal(x, y), 1);
}

static void test_link_same_store(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    size_t reg0 = cap_link_registered();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s);
    b8g_error err;
    /* a opens its inbox: once, read-only, and it cannot be passed on. */
    int64_t inbox = callv(a, "link_listen", "");
    assert_true(inbox >= 0);
    assert_int_equal(callv(a, "rights", "i", inbox), INBOX_RIGHTS);
    assert_int_equal(callv(a, "kind", "i", inbox), 4); /* a channel end */
    assert_int_equal(callv(a, "link_listen", ""), EINVAL);
    assert_int_equal(callv(a, "dup", "ii", inbox, 0), ERIGHTS);
    /* The key a reads is the host's, and it stays the same. */
    uint8_t key[32], again[32], host[32];
    guest_key(a, key);
    guest_key(a, again);
    assert_memory_equal(key, again, 32);
    assert_int_equal(b8g_link_key(a, host, &err), B8G_OK);
    assert_memory_equal(key, host, 32);

    /* b links with it; a finds the other end in its inbox. */
    int64_t hb = link_with(b, key);
    assert_true(hb >= 0);
    assert_int_equal(callv(b, "rights", "i", hb), CHANNEL_RIGHTS);
    assert_int_equal(callv(a, "wait", "iiI", inbox, CAP_SIGNAL_READABLE, (int64_t)0) &
                         CAP_SIGNAL_READABLE,
                     CAP_SIGNAL_READABLE);
    int64_t ha = accept_link(a, (uint32_t)inbox);
    assert_true(ha >= 0);
    assert_int_equal(callv(a, "rights", "i", ha), CHANNEL_RIGHTS);
    say(b, (uint32_t)hb, "ping");
    hear(a, (uint32_t)ha, "ping");
    say(a, (uint32_t)ha, "pong");
    hear(b, (uint32_t)hb, "pong");
    assert_int_equal(accept_link(a, (uint32_t)inbox), EAGAIN);
    /* No TRANSFER: the inbox cannot travel in a message. */
    uint32_t iv = (uint32_t)inbox;
    memcpy(mem_of(a) + 64, &iv, 4);
    assert_int_equal(callv(a, "channel_write", "iiiiii", ha, 0, 0, 64, 1, 1), ERIGHTS);

    /* Every failure is the same ENOTFOUND, and leaves nothing behind. */
    uint64_t live1 = live_total();
    assert_int_equal(link_with(a, key), ENOTFOUND); /* a itself */
    uint8_t kb[32];
    guest_key(b, kb);
    assert_int_equal(link_with(a, kb), ENOTFOUND); /* b does not listen */
    static const unsigned bits[] = {0, 1, 7, 8, 63, 100, 128, 200, 254, 255};
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        uint8_t wrong[32];
        memcpy(wrong, key, 32);
        wrong[bits[i] / 8] ^= (uint8_t)(1u << (bits[i] % 8));
        assert_int_equal(link_with(b, wrong), ENOTFOUND);
    }
    uint8_t zeros[32] = {0};
    assert_int_equal(link_with(b, zeros), ENOTFOUND);
    assert_int_equal(live_total(), live1);
    assert_int_equal(accept_link(a, (uint32_t)inbox), EAGAIN);
    /* Keys outside memory are refused. */
    assert_int_equal(callv(b, "link", "i", 4 * PAGE - 16), EFAULT);
    assert_int_equal(callv(b, "link_key", "i", 4 * PAGE - 16), EFAULT);

    /* A closed inbox is not listening; a new one is. */
    assert_int_equal(callv(a, "close", "i", inbox), 0);
    assert_int_equal(link_with(b, key), ENOTFOUND);
    int64_t inbox2 = callv(a, "link_listen", "");
    assert_true(inbox2 >= 0);
    int64_t hb2 = link_with(b, key);
    assert_true(hb2 >= 0);
    int64_t ha2 = accept_link(a, (uint32_t)inbox2);
    assert_true(ha2 >= 0);
    say(b, (uint32_t)hb2, "again");
    hear(a, (uint32_t)ha2, "again");

    assert_int_equal(cap_link_registered(), reg0 + 2);
    b8g_store_free(s);
    assert_int_equal(cap_link_registered(), reg0);
    assert_int_equal(live_total(), live0);
}

static void test_link_across_stores(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    size_t reg0 = cap_link_registered();
    b8g_store *s1 = new_store(), *s2 = new_store();
    b8g_instance *a = component(s1), *b = component(s2);
    b8g_error err;
    int64_t inbox = callv(a, "link_listen", "");
    assert_true(inbox >= 0);
    /* The host hands a's key to b. */
    uint8_t key[32];
    assert_int_equal(b8g_link_key(a, key, &err), B8G_OK);
    int64_t hb = link_with(b, key);
    assert_true(hb >= 0);
    int64_t ha = accept_link(a, (uint32_t)inbox);
    assert_true(ha >= 0);
    say(b, (uint32_t)hb, "across");
    hear(a, (uint32_t)ha, "across");
    say(a, (uint32_t)ha, "and back");
    hear(b, (uint32_t)hb, "and back");
    /* One more link, left unread in a's inbox. */
    int64_t pending = link_with(b, key);
    assert_true(pending >= 0);
    assert_int_equal(cap_link_registered(), reg0 + 1);

    /* a's store goes: its key names nothing, b's ends see it gone. */
    b8g_store_free(s1);
    assert_int_equal(cap_link_registered(), reg0);
    assert_int_equal(link_with(b, key), ENOTFOUND);
    assert_true(callv(b, "wait", "iiI", hb, CAP_SIGNAL_PEER_CLOSED, (int64_t)0) &
                CAP_SIGNAL_PEER_CLOSED);
    assert_true(callv(b, "wait", "iiI", pending, CAP_SIGNAL_PEER_CLOSED, (int64_t)0) &
                CAP_SIGNAL_PEER_CLOSED);
    b8g_store_free(s2);
    assert_int_equal(live_total(), live0);
}

/* The host links like a guest; its failures all read the same. */
static void test_host_link(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s), *c = component(s);
    b8g_error err;
    int64_t inbox = callv(a, "link_listen", "");
    assert_true(inbox >= 0);
    uint8_t key[32], kb[32];
    assert_int_equal(b8g_link_key(a, key, &err), B8G_OK);
    b8g_object *end = NULL;
    assert_int_equal(b8g_link(key, &end, &err), B8G_OK);
    assert_non_null(end);
    int64_t ha = accept_link(a, (uint32_t)inbox);
    assert_true(ha >= 0);
    /* The host's end works wherever it is granted. */
    uint32_t hc;
    assert_int_equal(b8g_grant(c, end, B8G_RIGHTS_ALL, &hc, &err), B8G_OK);
    b8g_object_release(end);
    say(c, hc, "from the host");
    hear(a, (uint32_t)ha, "from the host");
    say(a, (uint32_t)ha, "to the host");
    hear(c, hc, "to the host");

    /* A wrong key, one that does not listen: the same answer. */
    char first[sizeof err.msg];
    uint8_t wrong[32];
    memcpy(wrong, key, 32);
    wrong[31] ^= 0x80;
    end = (b8g_object *)1;
    assert_int_equal(b8g_link(wrong, &end, &err), B8G_ARG);
    assert_null(end);
    snprintf(first, sizeof first, "%s", err.msg);
    assert_int_equal(b8g_link_key(b, kb, &err), B8G_OK);
    assert_int_equal(b8g_link(kb, &end, &err), B8G_ARG);
    assert_string_equal(err.msg, first);
    assert_int_equal(callv(a, "close", "i", inbox), 0);
    assert_int_equal(b8g_link(key, &end, &err), B8G_ARG);
    assert_string_equal(err.msg, first);
    assert_int_equal(b8g_link_key(NULL, kb, &err), B8G_ARG);
    assert_int_equal(b8g_link(NULL, &end, &err), B8G_ARG);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* A full inbox says EAGAIN, but only to a holder of the right key. */
static void test_link_inbox_full(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s);
    b8g_error err;
    int64_t inbox = callv(a, "link_listen", "");
    uint8_t key[32], wrong[32];
    guest_key(a, key);
    memcpy(wrong, key, 32);
    wrong[0] ^= 1;
    for (uint32_t i = 0; i < CAP_CHANNEL_MAX_QUEUED; i++) assert_true(link_with(b, key) >= 0);
    assert_int_equal(link_with(b, key), EAGAIN);
    assert_int_equal(link_with(b, wrong), ENOTFOUND);
    b8g_object *end;
    assert_int_equal(b8g_link(key, &end, &err), B8G_LIMIT);
    /* Room again once a takes one. */
    assert_true(accept_link(a, (uint32_t)inbox) >= 0);
    assert_true(link_with(b, key) >= 0);
    assert_int_equal(link_with(b, key), EAGAIN);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* What restoring a snapshot will do: a new key, the old one dead. */
static void test_link_key_rotates(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    b8g_store *s = new_store();
    b8g_instance *a = component(s), *b = component(s);
    int64_t inbox = callv(a, "link_listen", "");
    uint8_t old[32], fresh[32];
    guest_key(a, old);
    assert_int_equal(cap_link_rotate(a), CAP_OK);
    guest_key(a, fresh);
    assert_memory_not_equal(old, fresh, 32);
    assert_int_equal(link_with(b, old), ENOTFOUND);
    assert_true(link_with(b, fresh) >= 0); /* the inbox stayed */
    assert_true(accept_link(a, (uint32_t)inbox) >= 0);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* Two threads, each with its own store, link to each other's listener at
 * once, while stores made and freed beside them register and forget keys.
 * No cmocka calls on the threads: failures are counted and checked after
 * the join. */
#define LINK_RUNS 40u

typedef struct LinkRun {
    pthread_barrier_t *bar;
    uint8_t key[32];               /* this thread's listener's */
    const uint8_t *target;         /* the other thread's listener's key */
    uint32_t mine[LINK_RUNS];      /* the linker's ends */
    int failures;
} LinkRun;

static int64_t tcall(b8g_instance *inst, const char *name, uint32_t n, ...)
{
    b8g_val args[8], res = {0};
    va_list ap;
    va_start(ap, n);
    for (uint32_t i = 0; i < n; i++)
        args[i] = (b8g_val){.type = B8G_I32, .of.i32 = va_arg(ap, int32_t)};
    va_end(ap);
    b8g_error err;
    if (b8g_call(inst, name, args, n, &res, 1, &err)) return INT64_MIN;
    return res.of.i32;
}

static b8g_store *tstore(b8g_instance **inst)
{
    b8g_config cfg = {0};
    b8g_error err;
    b8g_store *s = b8g_store_new(&cfg);
    if (!s) return NULL;
    if (b8g_caps_register(s, &err) || b8g_instantiate(s, guest, inst, &err)) {
        b8g_store_free(s);
        return NULL;
    }
    return s;
}

static void *link_thread(void *arg)
{
    LinkRun *r = arg;
    b8g_error err;
    b8g_instance *listener = NULL, *linker = NULL;
    b8g_store *s = tstore(&listener);
    if (!s || b8g_instantiate(s, guest, &linker, &err)) r->failures++;
    int64_t inbox = s && linker ? tcall(listener, "link_listen", 0) : -1;
    if (inbox < 0 || b8g_link_key(listener, r->key, &err)) r->failures++;
    pthread_barrier_wait(r->bar); /* both keys are known */
    if (r->failures) {
        pthread_barrier_wait(r->bar);
        pthread_barrier_wait(r->bar);
        pthread_barrier_wait(r->bar);
        if (s) b8g_store_free(s);
        return NULL;
    }
    uint64_t msize;
    uint8_t *m = b8g_instance_memory(linker, &msize);
    for (uint32_t i = 0; i < LINK_RUNS; i++) {
        memcpy(m + AT_KEY_IN, r->target, 32);
        int64_t h = tcall(linker, "link", 1, AT_KEY_IN);
        if (h < 0) r->failures++;
        r->mine[i] = (uint32_t)h;
        if (i % 8 == 0) { /* churn: a key made and forgotten */
            b8g_instance *tmp;
            uint8_t k[32];
            b8g_store *t = tstore(&tmp);
            if (!t || b8g_link_key(tmp, k, &err)) r->failures++;
            if (t) b8g_store_free(t);
        }
    }
    pthread_barrier_wait(r->bar); /* both inboxes are full of links */
    uint8_t *lm = b8g_instance_memory(listener, &msize);
    for (uint32_t i = 0; i < LINK_RUNS; i++) {
        if (tcall(listener, "channel_read", 7, (uint32_t)inbox, 0, 0, AT_HANDLE, 1, AT_ACTUAL, 1))
            r->failures++;
        uint32_t h;
        memcpy(&h, lm + AT_HANDLE, 4);
        lm[AT_SAY] = (uint8_t)i;
        if (tcall(listener, "channel_write", 6, h, AT_SAY, 1, 0, 0, 1)) r->failures++;
    }
    pthread_barrier_wait(r->bar); /* every link was answered */
    for (uint32_t i = 0; i < LINK_RUNS; i++) {
        if (tcall(linker, "channel_read", 7, r->mine[i], AT_HEAR, 16, 0, 0, AT_ACTUAL, 1) ||
            m[AT_HEAR] != (uint8_t)i)
            r->failures++;
    }
    pthread_barrier_wait(r->bar); /* both are done with the other's ends */
    b8g_store_free(s);
    return NULL;
}

static void test_link_two_threads(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    size_t reg0 = cap_link_registered();
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, 2);
    static LinkRun runs[2];
    memset(runs, 0, sizeof runs);
    runs[0].bar = runs[1].bar = &bar;
    runs[0].target = runs[1].key;
    runs[1].target = runs[0].key;
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, link_thread, &runs[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&bar);
    assert_int_equal(runs[0].failures, 0);
    assert_int_equal(runs[1].failures, 0);
    assert_int_equal(cap_link_registered(), reg0);
    assert_int_equal(live_total(), live0);
}

/* ---- timers ---------------------------------------------------------------------- */

#define TIMER_RIGHTS \
    (CAP_RIGHT_WAIT | CAP_RIGHT_SIGNAL | CAP_RIGHT_DUP | CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT)

/* A guest's timer: kind and rights, bad arguments, and waits on it beside
 * a stream, from the test and from wasm itself (export "ticks"). */
static void test_timer_guest(void **state)
{
    (void)state;
    uint64_t live0 = live_total();
    uint32_t armed0 = cap_timers_armed();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    int64_t t = callv(a, "timer_create", "");
    assert_true(t >= 0);
    assert_int_equal(callv(a, "kind", "i", t), 8);
    assert_int_equal(callv(a, "rights", "i", t), TIMER_RIGHTS);
    const int64_t ms = 1000000;
    assert_int_equal(callv(a, "timer_set", "iII", t, (int64_t)0, (int64_t)0), EINVAL);
    assert_int_equal(callv(a, "timer_set", "iII", t, (int64_t)-5, (int64_t)0), EINVAL);
    assert_int_equal(callv(a, "timer_set", "iII", t, ms, (int64_t)-1), EINVAL);
    assert_int_equal(callv(a, "timer_set", "iII", t, ms, (int64_t)1), EINVAL);
    assert_int_equal(cap_timers_armed(), armed0);
    assert_int_equal(callv(a, "timer_ack", "i", t), 0);

    /* One-shot, with an empty stream beside it: the timer ends the wait,
     * not before its delay, and stays SIGNALED until acked. */
    assert_int_equal(callv(a, "stream_create", "ii", 0, 0), 0);
    uint32_t rd = u32_at(a, 0), wr = u32_at(a, 4);
    put_item(a, 16, rd, CAP_SIGNAL_READABLE);
    put_item(a, 28, (uint32_t)t, CAP_SIGNAL_SIGNALED);
    double t0 = now_ms();
    assert_int_equal(callv(a, "timer_set", "iII", t, 30 * ms, (int64_t)0), 0);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 2, (int64_t)-1), 1);
    double took = now_ms() - t0;
    assert_true(took >= 30.0 - 1e-3);
    assert_true(took < 2000.0);
    assert_int_equal(u32_at(a, 24) & CAP_SIGNAL_READABLE, 0);
    assert_int_equal(u32_at(a, 36), CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "wait", "iiI", t, CAP_SIGNAL_SIGNALED, (int64_t)0),
                     CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "timer_ack", "i", t), 1);
    assert_int_equal(callv(a, "wait", "iiI", t, CAP_SIGNAL_SIGNALED, (int64_t)0), ETIMEDOUT);

    /* Cancelled, it never comes. */
    assert_int_equal(callv(a, "timer_set", "iII", t, 20 * ms, (int64_t)0), 0);
    assert_int_equal(callv(a, "timer_cancel", "i", t), 0);
    assert_int_equal(callv(a, "wait", "iiI", t, CAP_SIGNAL_SIGNALED, 80 * ms), ETIMEDOUT);

    /* The guest counts ticks of a periodic timer in its own loop, and
     * stops when the stream has data instead. */
    t0 = now_ms();
    int64_t ticks = callv(a, "ticks", "ii", rd, 5);
    assert_true(ticks >= 5);
    assert_true(now_ms() - t0 >= 5.0 - 1e-3);
    assert_int_equal(callv(a, "stream_write", "iiii", wr, 0, 1, 0), 1);
    assert_int_equal(callv(a, "ticks", "ii", rd, 1000000), -100);
    assert_int_equal(cap_timers_armed(), armed0); /* its timers were closed */

    /* A far timer and a ready stream: the stream wins at once. */
    assert_int_equal(callv(a, "timer_set", "iII", t, 3600000 * ms, (int64_t)0), 0);
    assert_int_equal(callv(a, "wait_many", "iiI", 16, 2, (int64_t)2000 * ms), 1);
    assert_true(u32_at(a, 24) & CAP_SIGNAL_READABLE);
    assert_int_equal(u32_at(a, 36), 0);
    b8g_store_free(s); /* frees the armed timer with its handle */
    assert_int_equal(cap_timers_armed(), armed0);
    assert_int_equal(live_total(), live0);
}

/* Setting and cancelling need SIGNAL, acking and waiting WAIT; closing
 * the last handle of an armed timer frees and disarms it. */
static void test_timer_rights_and_close(void **state)
{
    (void)state;
    uint64_t tm0 = cap_objects_live(CAP_KIND_TIMER);
    uint32_t armed0 = cap_timers_armed();
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    const int64_t ms = 1000000;
    int64_t t = callv(a, "timer_create", "");
    int64_t waiter = callv(a, "dup", "ii", t, CAP_RIGHT_WAIT | CAP_RIGHT_DUP);
    int64_t setter = callv(a, "dup", "ii", t, CAP_RIGHT_SIGNAL);
    assert_true(waiter >= 0 && setter >= 0);
    assert_int_equal(callv(a, "timer_set", "iII", waiter, ms, (int64_t)0), ERIGHTS);
    assert_int_equal(callv(a, "timer_cancel", "i", waiter), ERIGHTS);
    assert_int_equal(callv(a, "timer_ack", "i", setter), ERIGHTS);
    assert_int_equal(callv(a, "wait", "iiI", setter, CAP_SIGNAL_SIGNALED, (int64_t)0), ERIGHTS);
    assert_int_equal(callv(a, "dup", "ii", waiter, CAP_RIGHT_SIGNAL), ERIGHTS);
    /* Each does its part. */
    assert_int_equal(callv(a, "timer_set", "iII", setter, ms, (int64_t)0), 0);
    assert_int_equal(callv(a, "wait", "iiI", waiter, CAP_SIGNAL_SIGNALED, (int64_t)-1),
                     CAP_SIGNAL_SIGNALED);
    assert_int_equal(callv(a, "timer_ack", "i", waiter), 1);
    assert_int_equal(callv(a, "timer_cancel", "i", setter), 0);
    /* Another kind is not a timer, a timer not an event. */
    int64_t ev = callv(a, "event_create", "");
    assert_int_equal(callv(a, "timer_set", "iII", ev, ms, (int64_t)0), EKIND);
    assert_int_equal(callv(a, "timer_ack", "i", ev), EKIND);
    assert_int_equal(callv(a, "event_signal", "i", t), EKIND);
    assert_int_equal(callv(a, "timer_ack", "i", 12345), EBADH);
    assert_int_equal(callv(a, "close", "i", ev), 0);

    /* Armed for an hour, then every handle closed: gone at once. */
    assert_int_equal(callv(a, "timer_set", "iII", t, 3600000 * ms, 10 * ms), 0);
    assert_int_equal(cap_timers_armed(), armed0 + 1);
    assert_int_equal(cap_objects_live(CAP_KIND_TIMER), tm0 + 1);
    assert_int_equal(callv(a, "close", "i", t), 0);
    assert_int_equal(callv(a, "close", "i", setter), 0);
    assert_int_equal(cap_timers_armed(), armed0 + 1); /* waiter holds it */
    assert_int_equal(callv(a, "close", "i", waiter), 0);
    assert_int_equal(cap_objects_live(CAP_KIND_TIMER), tm0);
    assert_int_equal(cap_timers_armed(), armed0);
    b8g_store_free(s);
}

/* The host makes a timer, grants it (rights masked to a timer's) and arms
 * it; the guest waits. */
static void test_host_timer(void **state)
{
    (void)state;
    uint64_t live0 = live_total(), tm0 = cap_objects_live(CAP_KIND_TIMER);
    b8g_store *s = new_store();
    b8g_instance *a = component(s);
    b8g_error err;
    b8g_object *tm, *ev;
    assert_int_equal(b8g_timer_new(&tm, &err), B8G_OK);
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    uint32_t h;
    assert_int_equal(b8g_grant(a, tm, CAP_RIGHT_WAIT | CAP_RIGHT_READ | CAP_RIGHT_MAP, &h, &err),
                     B8G_OK);
    assert_int_equal(callv(a, "rights", "i", h), CAP_RIGHT_WAIT);
    assert_int_equal(callv(a, "timer_cancel", "i", h), ERIGHTS);
    double t0 = now_ms();
    assert_int_equal(b8g_timer_set(tm, 20000000, 0, &err), B8G_OK);
    assert_int_equal(callv(a, "wait", "iiI", h, CAP_SIGNAL_SIGNALED, (int64_t)-1),
                     CAP_SIGNAL_SIGNALED);
    assert_true(now_ms() - t0 >= 20.0 - 1e-3);
    assert_int_equal(b8g_timer_cancel(tm, &err), B8G_OK);
    assert_int_equal(callv(a, "wait", "iiI", h, CAP_SIGNAL_SIGNALED, (int64_t)0), ETIMEDOUT);
    assert_int_equal(b8g_timer_set(tm, 0, 0, &err), B8G_ARG);
    assert_int_equal(b8g_timer_set(tm, (uint64_t)INT64_MAX + 1, 0, &err), B8G_ARG);
    assert_int_equal(b8g_timer_set(tm, 1000000, 1, &err), B8G_ARG);
    assert_int_equal(b8g_timer_set(ev, 1000000, 0, &err), B8G_ARG);
    assert_int_equal(b8g_timer_cancel(ev, &err), B8G_ARG);
    assert_int_equal(b8g_timer_set(tm, 3600000000000ull, 0, &err), B8G_OK);
    b8g_object_release(tm); /* the guest's handle keeps it */
    b8g_object_release(ev);
    assert_int_equal(cap_objects_live(CAP_KIND_TIMER), tm0 + 1);
    b8g_store_free(s);
    assert_int_equal(live_total(), live0);
}

/* ---- files and directories ------------------------------------------------------- */

/*
 * Components with WASI (tests/abi/files.wat), each in a store of its own
 * with a context whose one preopen (fd 3, guest path "/data") is `dir`,
 * or none.  A scratch tree per test:
 *   ROOT/secret.txt           outside every directory given out
 *   ROOT/shared/f.txt         "hello"
 *   ROOT/shared/sub/          a subdirectory
 *   ROOT/shared/abs -> ROOT/secret.txt, up -> ../secret.txt
 *   ROOT/other/f.txt          "other": another directory named "/data"
 */
#define WASI_FOLLOW 1
#define FILE_RIGHTS (CAP_RIGHT_DUP | CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT)
#define KIND_FILE 9
#define KIND_DIR 10
#define PATH_AT 1024u   /* guest paths written by the test */
#define DATA_AT 2048u   /* bytes read or written */
#define HANDLES_AT 3072u /* handles of a message */
#define ACTUAL_AT 3200u

typedef struct Tree {
    char root[64], shared[128], other[128];
} Tree;

typedef struct Comp {
    b8g_store *s;
    b8g_wasi *w;
    b8g_instance *inst;
} Comp;

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void tree_make(Tree *t)
{
    strcpy(t->root, "/tmp/b8g-files-XXXXXX");
    assert_non_null(mkdtemp(t->root));
    snprintf(t->shared, sizeof t->shared, "%s/shared", t->root);
    snprintf(t->other, sizeof t->other, "%s/other", t->root);
    char p[256];
    assert_int_equal(mkdir(t->shared, 0755), 0);
    assert_int_equal(mkdir(t->other, 0755), 0);
    snprintf(p, sizeof p, "%s/sub", t->shared);
    assert_int_equal(mkdir(p, 0755), 0);
    write_file(t->root, "secret.txt", "secret");
    write_file(t->shared, "f.txt", "hello");
    write_file(t->other, "f.txt", "other");
    char target[256];
    snprintf(target, sizeof target, "%s/secret.txt", t->root);
    snprintf(p, sizeof p, "%s/abs", t->shared);
    assert_int_equal(symlink(target, p), 0);
    snprintf(p, sizeof p, "%s/up", t->shared);
    assert_int_equal(symlink("../secret.txt", p), 0);
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void tree_remove(Tree *t)
{
    assert_int_equal(nftw(t->root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static int tree_setup(void **state)
{
    Tree *t = calloc(1, sizeof *t);
    tree_make(t);
    *state = t;
    return 0;
}

static int tree_teardown(void **state)
{
    tree_remove(*state);
    free(*state);
    return 0;
}

static void comp_new(Comp *c, const char *dir, bool readonly)
{
    b8g_error err;
    c->s = new_store();
    b8g_wasi_dir d = {dir, "/data", readonly};
    b8g_wasi_config cfg = {0, NULL, 0, NULL, devnull, devnull, devnull, dir ? 1 : 0, &d};
    assert_int_equal(b8g_wasi_new(c->s, &cfg, &c->w, &err), B8G_OK);
    if (b8g_instantiate(c->s, files_guest, &c->inst, &err)) fail_msg("instantiate: %s", err.msg);
    assert_int_equal(b8g_wasi_attach(c->w, c->inst, &err), B8G_OK);
}

static void comp_free(Comp *c)
{
    b8g_store_free(c->s);
    b8g_wasi_free(c->w);
}

/* path_open beneath dirfd (following symlinks): the new fd or -errno. */
static int64_t open_in(Comp *c, int64_t dirfd, const char *path, uint32_t oflags,
                       uint64_t base, uint64_t inheriting)
{
    size_t len = strlen(path);
    memcpy(mem_of(c->inst) + PATH_AT, path, len);
    return callv(c->inst, "open", "iiiiiII", (int32_t)dirfd, WASI_FOLLOW, PATH_AT,
                 (int32_t)len, oflags, (int64_t)base, (int64_t)inheriting);
}

/* Reads fd through WASI; true when it held exactly `want`. */
static bool reads(Comp *c, int64_t fd, const char *want)
{
    int64_t n = callv(c->inst, "read", "iii", (int32_t)fd, DATA_AT, 64);
    return n == (int64_t)strlen(want) && memcmp(mem_of(c->inst) + DATA_AT, want, (size_t)n) == 0;
}

static int64_t write_str(Comp *c, int64_t fd, const char *s)
{
    memcpy(mem_of(c->inst) + DATA_AT, s, strlen(s));
    return callv(c->inst, "write", "iii", (int32_t)fd, DATA_AT, (int32_t)strlen(s));
}

static int64_t fd_rights(Comp *c, int64_t fd)
{
    return callv(c->inst, "fd_rights", "i", (int32_t)fd);
}

/* channel_write of n handles, no bytes. */
static int64_t send_handles(Comp *c, uint32_t ch, const int64_t *hs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)hs[i];
        memcpy(mem_of(c->inst) + HANDLES_AT + 4 * i, &h, 4);
    }
    return callv(c->inst, "channel_write", "iiiiii", ch, 0, 0, HANDLES_AT, n, 0);
}

/* channel_read of a message of n handles (non-blocking) into hs. */
static void recv_handles(Comp *c, uint32_t ch, int64_t *hs, uint32_t n)
{
    assert_int_equal(callv(c->inst, "channel_read", "iiiiiii", ch, 0, 0, HANDLES_AT, n,
                           ACTUAL_AT, 1),
                     0);
    assert_int_equal(u32_at(c->inst, ACTUAL_AT + 4), n);
    for (uint32_t i = 0; i < n; i++) hs[i] = u32_at(c->inst, HANDLES_AT + 4 * i);
}

/* A channel between two components: *ca is a's end, *cb b's. */
static void connect(Comp *a, Comp *b, uint32_t *ca, uint32_t *cb)
{
    b8g_object *x, *y;
    b8g_error err;
    assert_int_equal(b8g_channel_new(&x, &y, &err), B8G_OK);
    assert_int_equal(b8g_grant(a->inst, x, B8G_RIGHTS_ALL, ca, &err), B8G_OK);
    assert_int_equal(b8g_grant(b->inst, y, B8G_RIGHTS_ALL, cb, &err), B8G_OK);
    b8g_object_release(x);
    b8g_object_release(y);
}

/* A's directory (fd 3), moved to b over a new channel; its fd in b. */
static int64_t give_dir(Comp *a, Comp *b)
{
    uint32_t ca, cb;
    connect(a, b, &ca, &cb);
    int64_t h = callv(a->inst, "fd_handle", "i", 3);
    assert_true(h >= 0);
    assert_int_equal(send_handles(a, ca, &h, 1), 0);
    int64_t got;
    recv_handles(b, cb, &got, 1);
    int64_t fd = callv(b->inst, "handle_fd", "i", (int32_t)got);
    assert_true(fd >= 0);
    return fd;
}

static void test_file_handle_convert(void **state)
{
    Tree *t = *state;
    Comp a;
    comp_new(&a, t->shared, false);
    b8g_instance *i = a.inst;
    /* A preopen's fd names a handle, and the handle names the fd back. */
    int64_t hd = callv(i, "fd_handle", "i", 3);
    assert_true(hd >= 0);
    assert_int_equal(callv(i, "fd_handle", "i", 3), hd);
    assert_int_equal(callv(i, "handle_fd", "i", hd), 3);
    assert_int_equal(callv(i, "kind", "i", hd), KIND_DIR);
    assert_int_equal(callv(i, "rights", "i", hd), FILE_RIGHTS);
    int64_t f = open_in(&a, 3, "f.txt", 0, WASI_RIGHT_FD_READ, 0);
    assert_int_equal(f, 4);
    int64_t hf = callv(i, "fd_handle", "i", 4);
    assert_true(hf >= 0);
    assert_int_equal(callv(i, "kind", "i", hf), KIND_FILE);
    assert_int_equal(callv(i, "handle_fd", "i", hf), 4);
    /* Stdio has no handle name; a free fd is no descriptor at all. */
    for (int32_t fd = 0; fd < 3; fd++) assert_int_equal(callv(i, "fd_handle", "i", fd), EKIND);
    assert_int_equal(callv(i, "fd_handle", "i", 5), EBADH);
    assert_int_equal(callv(i, "fd_handle", "i", -1), EBADH);
    assert_int_equal(callv(i, "handle_fd", "i", hf ^ 1), EBADH);
    /* An object of the ABI is no descriptor either way. */
    int64_t ev = callv(i, "event_create", "");
    assert_true(ev >= 0);
    assert_int_equal(callv(i, "handle_fd", "i", ev), EKIND);
    assert_int_equal(callv(i, "fd_handle", "i", 5), EKIND); /* the event's slot */
    /* Calls for other kinds answer as for any wrong kind; no WAIT right. */
    assert_int_equal(callv(i, "stream_read", "iiii", hf, DATA_AT, 4, 1), EKIND);
    assert_int_equal(callv(i, "wait", "iiI", hd, CAP_SIGNAL_READABLE, (int64_t)0), ERIGHTS);
    /* A dup is a second descriptor of the same file with the same rights. */
    int64_t d = callv(i, "dup", "ii", hf, CAP_RIGHT_INSPECT);
    assert_true(d >= 0);
    int64_t fd2 = callv(i, "handle_fd", "i", d);
    assert_int_equal(fd2, 6);
    assert_int_equal(fd_rights(&a, fd2), fd_rights(&a, 4));
    assert_true(reads(&a, fd2, "hello"));
    assert_int_equal(callv(i, "dup", "ii", d, CAP_RIGHT_INSPECT), ERIGHTS);
    /* Closed through the ABI, gone for WASI; closed by WASI, gone for the ABI. */
    assert_int_equal(callv(i, "close", "i", hf), 0);
    assert_int_equal(fd_rights(&a, 4), -(int64_t)WASI_EBADF);
    assert_int_equal(callv(i, "fd_close", "i", fd2), 0);
    assert_int_equal(callv(i, "kind", "i", d), EBADH);
    comp_free(&a);
}

/* A directory sent in a message leaves its sender and works in the
 * receiver as the preopen it was, with the same WASI rights. */
static void test_file_dir_moves(void **state)
{
    Tree *t = *state;
    Comp a, b;
    comp_new(&a, t->shared, false);
    comp_new(&b, NULL, false);
    int64_t base = fd_rights(&a, 3);
    int64_t inh = callv(a.inst, "fd_inheriting", "i", 3);
    assert_true(base > 0 && inh > 0);
    uint32_t ca, cb;
    connect(&a, &b, &ca, &cb);
    int64_t h = callv(a.inst, "fd_handle", "i", 3);
    assert_int_equal(send_handles(&a, ca, &h, 1), 0);
    /* Gone from A under both names. */
    assert_int_equal(fd_rights(&a, 3), -(int64_t)WASI_EBADF);
    assert_int_equal(open_in(&a, 3, "f.txt", 0, WASI_RIGHT_FD_READ, 0), -(int64_t)WASI_EBADF);
    assert_int_equal(callv(a.inst, "fd_handle", "i", 3), EBADH);
    assert_int_equal(callv(a.inst, "handle_fd", "i", h), EBADH);
    /* B holds it with the rights it left with. */
    int64_t got;
    recv_handles(&b, cb, &got, 1);
    assert_int_equal(callv(b.inst, "kind", "i", got), KIND_DIR);
    assert_int_equal(callv(b.inst, "rights", "i", got), FILE_RIGHTS);
    int64_t fd = callv(b.inst, "handle_fd", "i", got);
    assert_int_equal(fd, 4); /* B's lowest free: after stdio and its channel end */
    assert_int_equal(fd_rights(&b, fd), base);
    assert_int_equal(callv(b.inst, "fd_inheriting", "i", fd), inh);
    int64_t f = open_in(&b, fd, "f.txt", 0, WASI_RIGHT_FD_READ, 0);
    assert_true(f >= 0);
    assert_true(reads(&b, f, "hello"));
    int64_t n = open_in(&b, fd, "sub/new.txt", WASI_OFLAG_CREAT,
                        WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE, 0);
    assert_true(n >= 0);
    assert_int_equal(write_str(&b, n, "made by b"), 9);
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/sub/new.txt", t->shared);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 9);
    comp_free(&a);
    comp_free(&b);
}

/* Generic rights shrink on the way and stop a handle travelling on; WASI
 * rights arrive exactly as they left, and a read-only directory stays
 * read-only in its new holder. */
static void test_file_rights_travel(void **state)
{
    Tree *t = *state;
    Comp a, b;
    comp_new(&a, t->shared, true);
    comp_new(&b, NULL, false);
    uint32_t ca, cb;
    connect(&a, &b, &ca, &cb);
    const uint64_t rw = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE;
    /* Without TRANSFER a file stays, and no replace gives TRANSFER back. */
    int64_t f = open_in(&a, 3, "f.txt", 0, rw, 0);
    assert_true(f >= 0);
    assert_int_equal(fd_rights(&a, f) & WASI_RIGHT_FD_WRITE, 0); /* a read-only preopen */
    assert_int_equal(callv(a.inst, "set_rights", "iII", (int32_t)f,
                           (int64_t)WASI_RIGHT_FD_READ, (int64_t)0),
                     0);
    int64_t stuck = callv(a.inst, "replace", "ii", callv(a.inst, "fd_handle", "i", f),
                          CAP_RIGHT_INSPECT);
    assert_true(stuck >= 0);
    assert_int_equal(send_handles(&a, ca, &stuck, 1), ERIGHTS);
    assert_int_equal(callv(a.inst, "replace", "ii", stuck, FILE_RIGHTS), ERIGHTS);
    /* replace made a new entry, so a new fd, and freed the old one */
    int64_t sfd = callv(a.inst, "handle_fd", "i", stuck);
    assert_true(sfd >= 0 && sfd != f);
    assert_int_equal(fd_rights(&a, f), -(int64_t)WASI_EBADF);
    assert_int_equal(fd_rights(&a, sfd), WASI_RIGHT_FD_READ);
    assert_true(reads(&a, sfd, "hello"));
    /* With TRANSFER but not DUP it travels, once, with its WASI rights. */
    f = open_in(&a, 3, "f.txt", 0, rw, 0);
    assert_true(f >= 0);
    assert_int_equal(callv(a.inst, "set_rights", "iII", (int32_t)f,
                           (int64_t)WASI_RIGHT_FD_READ, (int64_t)0),
                     0);
    int64_t hs[2];
    hs[0] = callv(a.inst, "replace", "ii", callv(a.inst, "fd_handle", "i", f),
                  CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT);
    hs[1] = callv(a.inst, "fd_handle", "i", 3);
    uint64_t dir_rights = (uint64_t)fd_rights(&a, 3);
    assert_int_equal(dir_rights, WASI_RIGHTS_DIR & WASI_RIGHTS_READ_ONLY);
    assert_int_equal(send_handles(&a, ca, hs, 2), 0);
    int64_t got[2];
    recv_handles(&b, cb, got, 2);
    assert_int_equal(callv(b.inst, "rights", "i", got[0]), CAP_RIGHT_TRANSFER | CAP_RIGHT_INSPECT);
    assert_int_equal(callv(b.inst, "kind", "i", got[0]), KIND_FILE);
    assert_int_equal(callv(b.inst, "dup", "ii", got[0], CAP_RIGHT_INSPECT), ERIGHTS);
    int64_t bf = callv(b.inst, "handle_fd", "i", got[0]);
    assert_int_equal(fd_rights(&b, bf), WASI_RIGHT_FD_READ);
    assert_true(reads(&b, bf, "hello"));
    int64_t kept = callv(b.inst, "replace", "ii", got[0], CAP_RIGHT_INSPECT);
    assert_true(kept >= 0);
    assert_int_equal(send_handles(&b, cb, &kept, 1), ERIGHTS);
    /* The directory is read-only here too: nothing created, nothing
     * opened for writing, whatever is asked for. */
    int64_t bd = callv(b.inst, "handle_fd", "i", got[1]);
    assert_int_equal(fd_rights(&b, bd), dir_rights);
    assert_int_equal(open_in(&b, bd, "new.txt", WASI_OFLAG_CREAT, rw, 0),
                     -(int64_t)WASI_ENOTCAPABLE);
    int64_t g = open_in(&b, bd, "f.txt", 0, rw, 0);
    assert_true(g >= 0);
    assert_int_equal(fd_rights(&b, g) & WASI_RIGHT_FD_WRITE, 0);
    assert_int_equal(write_str(&b, g, "x"), -(int64_t)WASI_ENOTCAPABLE);
    assert_true(reads(&b, g, "hello"));
    /* fd_fdstat_set_rights cannot win back what the trip kept out. */
    assert_int_equal(callv(b.inst, "set_rights", "iII", (int32_t)bd,
                           (int64_t)(dir_rights | WASI_RIGHT_PATH_CREATE_FILE), (int64_t)0),
                     WASI_ENOTCAPABLE);
    comp_free(&a);
    comp_free(&b);
}

/* A received directory confines paths exactly as a preopen does. */
static void test_file_received_dir_confines(void **state)
{
    Tree *t = *state;
    Comp a, b;
    comp_new(&a, t->shared, false);
    comp_new(&b, NULL, false);
    int64_t fd = give_dir(&a, &b);
    const uint64_t r = WASI_RIGHT_FD_READ;
    const int64_t refused = -(int64_t)WASI_ENOTCAPABLE;
    assert_int_equal(open_in(&b, fd, "../secret.txt", 0, r, 0), refused);
    assert_int_equal(open_in(&b, fd, "sub/../../secret.txt", 0, r, 0), refused);
    assert_int_equal(open_in(&b, fd, "abs", 0, r, 0), refused);  /* absolute symlink */
    assert_int_equal(open_in(&b, fd, "up", 0, r, 0), refused);   /* relative, escaping */
    char outside[256];
    snprintf(outside, sizeof outside, "%s/secret.txt", t->root);
    assert_int_equal(open_in(&b, fd, outside, 0, r, 0), refused); /* absolute path */
    /* Beneath it, `..` is fine. */
    int64_t f = open_in(&b, fd, "sub/../f.txt", 0, r, 0);
    assert_true(f >= 0);
    assert_true(reads(&b, f, "hello"));
    /* So is a directory opened beneath it and then passed on again. */
    int64_t sub = open_in(&b, fd, "sub", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR,
                          WASI_RIGHTS_DIR | WASI_RIGHTS_FILE);
    assert_true(sub >= 0);
    Comp c;
    comp_new(&c, NULL, false);
    uint32_t bc, cc;
    connect(&b, &c, &bc, &cc);
    int64_t h = callv(b.inst, "fd_handle", "i", (int32_t)sub);
    assert_int_equal(send_handles(&b, bc, &h, 1), 0);
    int64_t got;
    recv_handles(&c, cc, &got, 1);
    int64_t cfd = callv(c.inst, "handle_fd", "i", got);
    assert_int_equal(open_in(&c, cfd, "../f.txt", 0, r, 0), refused);
    assert_int_equal(open_in(&c, cfd, "../../secret.txt", 0, r, 0), refused);
    comp_free(&c);
    comp_free(&a);
    comp_free(&b);
}

/* The host's own descriptors as objects: rights bounded by read_only and
 * by how the host opened them, confined like a preopen. */
static void test_file_host_object(void **state)
{
    Tree *t = *state;
    Comp b;
    comp_new(&b, NULL, false);
    b8g_error err;
    int dfd = open(t->shared, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    b8g_object *ro, *rw;
    assert_int_equal(b8g_file_object(dfd, true, &ro, &err), B8G_OK);
    assert_int_equal(b8g_file_object(dfd, false, &rw, &err), B8G_OK);
    close(dfd); /* the objects have their own */
    const uint64_t r = WASI_RIGHT_FD_READ, rwr = r | WASI_RIGHT_FD_WRITE;
    uint32_t h;
    assert_int_equal(b8g_grant(b.inst, ro, B8G_RIGHTS_ALL, &h, &err), B8G_OK);
    assert_int_equal(callv(b.inst, "rights", "i", h), FILE_RIGHTS);
    assert_int_equal(callv(b.inst, "kind", "i", h), KIND_DIR);
    int64_t fd = callv(b.inst, "handle_fd", "i", h);
    assert_int_equal(fd_rights(&b, fd), WASI_RIGHTS_DIR & WASI_RIGHTS_READ_ONLY);
    int64_t f = open_in(&b, fd, "f.txt", 0, rwr, 0);
    assert_true(f >= 0);
    assert_true(reads(&b, f, "hello"));
    assert_int_equal(write_str(&b, f, "x"), -(int64_t)WASI_ENOTCAPABLE);
    assert_int_equal(open_in(&b, fd, "new.txt", WASI_OFLAG_CREAT, rwr, 0),
                     -(int64_t)WASI_ENOTCAPABLE);
    assert_int_equal(open_in(&b, fd, "../secret.txt", 0, r, 0), -(int64_t)WASI_ENOTCAPABLE);
    assert_int_equal(open_in(&b, fd, "abs", 0, r, 0), -(int64_t)WASI_ENOTCAPABLE);
    /* Writable: creates. */
    assert_int_equal(b8g_grant(b.inst, rw, CAP_RIGHT_INSPECT, &h, &err), B8G_OK);
    assert_int_equal(callv(b.inst, "rights", "i", h), CAP_RIGHT_INSPECT);
    fd = callv(b.inst, "handle_fd", "i", h);
    int64_t m = open_in(&b, fd, "made.txt", WASI_OFLAG_CREAT, rwr, 0);
    assert_true(m >= 0);
    assert_int_equal(write_str(&b, m, "abc"), 3);
    /* A file: a host descriptor opened for reading has no write right,
     * whatever read_only says. */
    char p[256];
    snprintf(p, sizeof p, "%s/f.txt", t->shared);
    int rfd = open(p, O_RDONLY | O_CLOEXEC);
    snprintf(p, sizeof p, "%s/made.txt", t->shared);
    int wfd = open(p, O_RDWR | O_CLOEXEC);
    assert_true(rfd >= 0 && wfd >= 0);
    b8g_object *rf, *wf, *wro;
    assert_int_equal(b8g_file_object(rfd, false, &rf, &err), B8G_OK);
    assert_int_equal(b8g_file_object(wfd, false, &wf, &err), B8G_OK);
    assert_int_equal(b8g_file_object(wfd, true, &wro, &err), B8G_OK);
    close(rfd);
    close(wfd);
    assert_int_equal(b8g_grant(b.inst, rf, B8G_RIGHTS_ALL, &h, &err), B8G_OK);
    assert_int_equal(callv(b.inst, "kind", "i", h), KIND_FILE);
    fd = callv(b.inst, "handle_fd", "i", h);
    assert_int_equal(fd_rights(&b, fd) & WASI_RIGHT_FD_WRITE, 0);
    assert_true(fd_rights(&b, fd) & WASI_RIGHT_FD_READ);
    assert_true(reads(&b, fd, "hello"));
    assert_int_equal(write_str(&b, fd, "x"), -(int64_t)WASI_ENOTCAPABLE);
    assert_int_equal(b8g_grant(b.inst, wro, B8G_RIGHTS_ALL, &h, &err), B8G_OK);
    fd = callv(b.inst, "handle_fd", "i", h);
    assert_int_equal(write_str(&b, fd, "x"), -(int64_t)WASI_ENOTCAPABLE);
    assert_int_equal(b8g_grant(b.inst, wf, B8G_RIGHTS_ALL, &h, &err), B8G_OK);
    fd = callv(b.inst, "handle_fd", "i", h);
    assert_int_equal(write_str(&b, fd, "XY"), 2); /* at the shared position 0 */
    /* Sent by the host in a message (which takes the host's reference):
     * arrives with the object's rights. */
    b8g_object *x, *y;
    assert_int_equal(b8g_channel_new(&x, &y, &err), B8G_OK);
    uint32_t cb;
    assert_int_equal(b8g_grant(b.inst, y, B8G_RIGHTS_ALL, &cb, &err), B8G_OK);
    assert_int_equal(b8g_channel_write(x, NULL, 0, &ro, 1, &err), B8G_OK);
    int64_t got;
    recv_handles(&b, cb, &got, 1);
    assert_int_equal(callv(b.inst, "rights", "i", got), FILE_RIGHTS);
    fd = callv(b.inst, "handle_fd", "i", got);
    assert_int_equal(fd_rights(&b, fd), WASI_RIGHTS_DIR & WASI_RIGHTS_READ_ONLY);
    /* What is not a regular file or a directory, or not open, is refused. */
    b8g_object *bad = (b8g_object *)&err;
    assert_int_equal(b8g_file_object(-1, false, &bad, &err), B8G_ARG);
    assert_null(bad);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(b8g_file_object(pipefd[0], false, &bad, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "neither a regular file nor a directory"));
    close(pipefd[0]);
    close(pipefd[1]);
    assert_int_equal(b8g_file_object(pipefd[0], false, &bad, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "not an open descriptor"));
    assert_int_equal(b8g_file_object(0, false, NULL, &err), B8G_ARG);
    b8g_object *objs[] = {rw, rf, wf, wro, x, y};
    for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++) b8g_object_release(objs[k]);
    comp_free(&b);
    snprintf(p, sizeof p, "%s/made.txt", t->shared);
    FILE *made = fopen(p, "r");
    char text[8] = {0};
    assert_non_null(made);
    assert_int_equal(fread(text, 1, sizeof text - 1, made), 3);
    fclose(made);
    assert_string_equal(text, "XYc");
}

/* Starts task_cat on directory handle hd; its result once it returned. */
static int32_t cat_task(Comp *a, uint32_t hm, int64_t hd)
{
    uint8_t *m = mem_of(a->inst);
    memcpy(m + PATH_AT, "task_cat", 8);
    uint32_t h = (uint32_t)hd;
    memcpy(m + HANDLES_AT, &h, 4);
    int64_t task = callv(a->inst, "task_spawn", "iiiiiI", hm, PATH_AT, 8, HANDLES_AT, 1,
                         (int64_t)0);
    assert_true(task >= 0);
    assert_true(callv(a->inst, "wait", "iiI", task, CAP_SIGNAL_SIGNALED, (int64_t)5000000000) >=
                0);
    assert_int_equal(callv(a->inst, "task_result", "ii", task, ACTUAL_AT), 0);
    assert_int_equal(u32_at(a->inst, ACTUAL_AT), CAP_TASK_RETURNED);
    assert_int_equal(callv(a->inst, "close", "i", task), 0);
    return (int32_t)u32_at(a->inst, ACTUAL_AT + 4);
}

/* A directory passed to a task as its argument is a WASI descriptor there,
 * with the WASI rights it had, not those it was opened with. */
static void test_file_task_argument(void **state)
{
    Tree *t = *state;
    Comp a;
    comp_new(&a, t->shared, true);
    b8g_error err;
    b8g_object *mo;
    assert_int_equal(b8g_module_object(files_guest, &mo, &err), B8G_OK);
    uint32_t hm;
    assert_int_equal(b8g_grant(a.inst, mo, B8G_RIGHTS_ALL, &hm, &err), B8G_OK);
    b8g_object_release(mo);
    int64_t hd = callv(a.inst, "fd_handle", "i", 3);
    /* A second descriptor of it that passes no FD_READ on. */
    int64_t narrow = callv(a.inst, "dup", "ii", hd, FILE_RIGHTS);
    int64_t nfd = callv(a.inst, "handle_fd", "i", narrow);
    int64_t inh = callv(a.inst, "fd_inheriting", "i", (int32_t)nfd);
    assert_true(inh & WASI_RIGHT_FD_READ);
    assert_int_equal(callv(a.inst, "set_rights", "iII", (int32_t)nfd, fd_rights(&a, nfd),
                           inh & ~(int64_t)WASI_RIGHT_FD_READ),
                     0);
    assert_int_equal(cat_task(&a, hm, hd), 5); /* "hello" */
    assert_int_equal(fd_rights(&a, 3), -(int64_t)WASI_EBADF);
    assert_int_equal(cat_task(&a, hm, narrow), -(int32_t)WASI_ENOTCAPABLE);
    assert_int_equal(fd_rights(&a, nfd), -(int64_t)WASI_EBADF);
    comp_free(&a);
    wait_tasks_gone();
}

/* A component holding another's directory cannot be captured: the image
 * would name it by a guest path that means another directory here. */
static void test_file_snapshot_refuses_received(void **state)
{
    Tree *t = *state;
    Comp a, b;
    comp_new(&a, t->shared, false);
    comp_new(&b, t->other, false); /* its own "/data" */
    uint32_t ca, cb;
    connect(&a, &b, &ca, &cb);
    int64_t h = callv(a.inst, "fd_handle", "i", 3);
    assert_int_equal(send_handles(&a, ca, &h, 1), 0);
    int64_t got;
    recv_handles(&b, cb, &got, 1);
    b8g_error err;
    assert_int_equal(b8g_revoke(b.inst, cb, &err), B8G_OK); /* no ABI object left */
    int64_t fd = callv(b.inst, "handle_fd", "i", got);
    b8g_image *img = NULL;
    assert_int_equal(b8g_snapshot(b.inst, b.w, &img, &err), B8G_UNSUPPORTED);
    assert_null(img);
    char want[32];
    snprintf(want, sizeof want, "fd %d:", (int)fd);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "not beneath this context's preopens"));
    /* Without it the component is captured. */
    assert_int_equal(callv(b.inst, "close", "i", got), 0);
    assert_int_equal(b8g_snapshot(b.inst, b.w, &img, &err), B8G_OK);
    b8g_image_free(img);
    comp_free(&a);
    comp_free(&b);
}

int main(void)
{
#define FILE_TEST(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)
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
        cmocka_unit_test(test_host_channel),
        cmocka_unit_test(test_store_cancel_sticky),
        cmocka_unit_test(test_task_runs_with_moved_handles),
        cmocka_unit_test(test_task_cancel_frees),
        cmocka_unit_test(test_task_fuel_comes_from_parent),
        cmocka_unit_test(test_link_key_equal),
        cmocka_unit_test(test_link_same_store),
        cmocka_unit_test(test_link_across_stores),
        cmocka_unit_test(test_host_link),
        cmocka_unit_test(test_link_inbox_full),
        cmocka_unit_test(test_link_key_rotates),
        cmocka_unit_test(test_link_two_threads),
        cmocka_unit_test(test_timer_guest),
        cmocka_unit_test(test_timer_rights_and_close),
        cmocka_unit_test(test_host_timer),
        FILE_TEST(test_file_handle_convert),
        FILE_TEST(test_file_dir_moves),
        FILE_TEST(test_file_rights_travel),
        FILE_TEST(test_file_received_dir_confines),
        FILE_TEST(test_file_host_object),
        FILE_TEST(test_file_task_argument),
        FILE_TEST(test_file_snapshot_refuses_received),
    };
    return cmocka_run_group_tests(tests, load_guest, free_guest);
}
