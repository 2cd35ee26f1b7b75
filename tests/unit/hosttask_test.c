/*
 * hosttask_test.c - the host's side of running components (src/api/tasks.c):
 * b8g_wait on objects, tasks started, inspected and cancelled by the host,
 * and the canonical entry b8g_main(shared, private, callback) driven through
 * its callback channel.  The guest is tests/abi/main.wat.  Every test checks
 * that the live object counts and running tasks end where they started.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cap/object.h"
#include "guest.h"

#define MS 1000000ull
#define SHARED_RIGHTS (B8G_RIGHT_READ | B8G_RIGHT_WRITE | B8G_RIGHT_MAP)

static b8g_module *guest;

static int setup(void **state)
{
    (void)state;
    guest = load_built_guest("main");
    return guest ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    b8g_module_free(guest);
    return 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {}
}

typedef struct Live {
    uint64_t n[CAP_KIND_COUNT];
    uint32_t tasks;
} Live;

static Live live_now(void)
{
    Live l;
    for (int k = 0; k < CAP_KIND_COUNT; k++) l.n[k] = cap_objects_live((CapKind)k);
    l.tasks = cap_tasks_running();
    return l;
}

/* A task's store (and what it held) goes just after it signals its end,
 * so the counts are given a moment to settle. */
static void assert_live(const Live *before)
{
    for (int tries = 0; tries < 500; tries++) {
        Live now = live_now();
        if (!memcmp(&now, before, sizeof now)) return;
        sleep_ms(2);
    }
    Live now = live_now();
    for (int k = 0; k < CAP_KIND_COUNT; k++) assert_int_equal(now.n[k], before->n[k]);
    assert_int_equal(now.tasks, before->tasks);
}

/* A shared region of 64 KiB holding {cmd, arg} at its start. */
static b8g_object *shared_with(uint32_t cmd, uint32_t arg)
{
    b8g_object *r;
    b8g_error err;
    assert_int_equal(b8g_region_new(65536, &r, &err), B8G_OK);
    uint32_t words[2] = {cmd, arg};
    assert_int_equal(b8g_region_write(r, 0, words, sizeof words, &err), B8G_OK);
    return r;
}

/* Waits (at most 10 s) for the task to end; its state and value. */
static b8g_task_state wait_task(b8g_object *task, int32_t *value, b8g_error *why)
{
    b8g_wait_item it = {task, B8G_SIGNAL_SIGNALED, 0};
    b8g_error err;
    assert_int_equal(b8g_wait(&it, 1, 10000 * MS, &err), B8G_OK);
    assert_true(it.observed & B8G_SIGNAL_SIGNALED);
    return b8g_task_result(task, value, why);
}

/* ---- b8g_wait ------------------------------------------------------------- */

static void test_wait_refuses_bad_items(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *ev, *region;
    b8g_error err;
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    assert_int_equal(b8g_region_new(65536, &region, &err), B8G_OK);
    b8g_wait_item items[B8G_WAIT_MAX + 1];
    for (uint32_t i = 0; i <= B8G_WAIT_MAX; i++) items[i] = (b8g_wait_item){ev, B8G_SIGNAL_SIGNALED, 0};
    assert_int_equal(b8g_wait(items, 0, 0, &err), B8G_ARG);
    assert_int_equal(b8g_wait(NULL, 1, 0, &err), B8G_ARG);
    assert_int_equal(b8g_wait(items, B8G_WAIT_MAX + 1, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "items"));
    /* 64 items is the most, and fine. */
    assert_int_equal(b8g_wait(items, B8G_WAIT_MAX, 0, &err), B8G_LIMIT);
    items[1].object = region;
    assert_int_equal(b8g_wait(items, 2, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "item 1"));
    items[1].object = NULL;
    assert_int_equal(b8g_wait(items, 2, 0, &err), B8G_ARG);
    items[1] = (b8g_wait_item){ev, 1u << 4, 0};
    assert_int_equal(b8g_wait(items, 2, 0, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "unknown signals"));
    b8g_object_release(ev);
    b8g_object_release(region);
    assert_live(&before);
}

typedef struct Later {
    b8g_object *ev;
    unsigned ms;
} Later;

static void *signal_later(void *arg)
{
    Later *l = arg;
    sleep_ms(l->ms);
    b8g_error err;
    b8g_event_signal(l->ev, &err);
    return NULL;
}

static void test_wait_times_out_and_wakes(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *a, *b;
    b8g_error err;
    assert_int_equal(b8g_event_new(&a, &err), B8G_OK);
    assert_int_equal(b8g_event_new(&b, &err), B8G_OK);
    b8g_wait_item it[2] = {{a, B8G_SIGNAL_SIGNALED, 99}, {b, B8G_SIGNAL_SIGNALED, 99}};
    /* Nothing asserted: a look, then a 30 ms wait, both time out. */
    assert_int_equal(b8g_wait(it, 2, 0, &err), B8G_LIMIT);
    assert_int_equal(it[0].observed, 0);
    uint64_t t0 = now_ns();
    assert_int_equal(b8g_wait(it, 2, 30 * MS, &err), B8G_LIMIT);
    assert_true(now_ns() - t0 >= 30 * MS);
    assert_non_null(strstr(err.msg, "timed out"));
    /* Another thread signals b while the host waits forever. */
    Later l = {b, 40};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, signal_later, &l), 0);
    t0 = now_ns();
    assert_int_equal(b8g_wait(it, 2, UINT64_MAX, &err), B8G_OK);
    assert_true(now_ns() - t0 >= 35 * MS);
    pthread_join(th, NULL);
    assert_int_equal(it[0].observed, 0);
    assert_int_equal(it[1].observed, B8G_SIGNAL_SIGNALED);
    b8g_object_release(a);
    b8g_object_release(b);
    assert_live(&before);
}

/* ---- b8g_main ------------------------------------------------------------- */

static void test_main_reports_through_callback(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(0, 100), *task, *cb;
    b8g_error err;
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 2 * 65536, NULL, &task, &cb, &err),
                     B8G_OK);
    /* The report: {sum, 0, size of the private region}. */
    b8g_wait_item it = {cb, B8G_SIGNAL_READABLE | B8G_SIGNAL_PEER_CLOSED, 0};
    assert_int_equal(b8g_wait(&it, 1, 10000 * MS, &err), B8G_OK);
    assert_true(it.observed & B8G_SIGNAL_READABLE);
    uint8_t msg[64];
    size_t nbytes;
    uint32_t nobj;
    assert_int_equal(b8g_channel_read(cb, msg, sizeof msg, &nbytes, NULL, 0, &nobj, &err), B8G_OK);
    assert_int_equal(nbytes, 16);
    assert_int_equal(nobj, 0);
    uint32_t sum;
    uint64_t private_size;
    memcpy(&sum, msg, 4);
    memcpy(&private_size, msg + 8, 8);
    assert_int_equal(sum, 5050);
    assert_int_equal(private_size, 2 * 65536);
    int32_t value;
    b8g_error why;
    assert_int_equal(wait_task(task, &value, &why), B8G_TASK_RETURNED);
    assert_int_equal(value, 7);
    assert_int_equal(why.code, B8G_OK);
    /* The guest wrote the sum through its window onto the shared region. */
    uint32_t seen;
    assert_int_equal(b8g_region_read(shared, 8, &seen, 4, &err), B8G_OK);
    assert_int_equal(seen, 5050);
    /* Its end went with its store: the host sees the callback close. */
    it.observed = 0;
    assert_int_equal(b8g_wait(&it, 1, 10000 * MS, &err), B8G_OK);
    assert_int_equal(it.observed & B8G_SIGNAL_PEER_CLOSED, B8G_SIGNAL_PEER_CLOSED);
    assert_int_equal(b8g_channel_read(cb, msg, sizeof msg, &nbytes, NULL, 0, &nobj, &err), B8G_IO);
    b8g_object_release(task);
    b8g_object_release(cb);
    b8g_object_release(shared);
    /* The private region, held by the task alone, is gone with it. */
    assert_live(&before);
}

static void test_main_shared_rights_only_shrink(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(0, 10), *task, *cb;
    b8g_error err;
    /* Without MAP the guest cannot put a window on the shared region. */
    assert_int_equal(b8g_main_start(guest, shared, B8G_RIGHT_READ | B8G_RIGHT_WRITE, 65536, NULL,
                                    &task, &cb, &err),
                     B8G_OK);
    int32_t value;
    assert_int_equal(wait_task(task, &value, NULL), B8G_TASK_RETURNED);
    assert_int_equal(value, -3); /* -ERIGHTS from region_map */
    uint32_t seen;
    assert_int_equal(b8g_region_read(shared, 8, &seen, 4, &err), B8G_OK);
    assert_int_equal(seen, 0);
    b8g_object_release(task);
    b8g_object_release(cb);
    b8g_object_release(shared);
    assert_live(&before);
}

static void test_main_echo_round_trips(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(2, 0), *task, *cb;
    b8g_error err;
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_OK);
    for (uint32_t i = 0; i < 200; i++) {
        char out[32], in[64];
        int n = snprintf(out, sizeof out, "ping %u", i);
        assert_int_equal(b8g_channel_write(cb, out, (size_t)n, NULL, 0, &err), B8G_OK);
        b8g_wait_item it = {cb, B8G_SIGNAL_READABLE, 0};
        assert_int_equal(b8g_wait(&it, 1, 10000 * MS, &err), B8G_OK);
        size_t nbytes;
        uint32_t nobj;
        assert_int_equal(b8g_channel_read(cb, in, sizeof in, &nbytes, NULL, 0, &nobj, &err), B8G_OK);
        assert_int_equal(nbytes, (size_t)n);
        assert_memory_equal(in, out, nbytes);
    }
    /* The task is blocked reading; dropping the host's end ends its loop
     * with -ECLOSED. */
    b8g_object_release(cb);
    int32_t value;
    assert_int_equal(wait_task(task, &value, NULL), B8G_TASK_RETURNED);
    assert_int_equal(value, -7);
    b8g_object_release(task);
    b8g_object_release(shared);
    assert_live(&before);
}

static void test_main_cancel_and_release(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(1, 0), *task, *cb;
    b8g_error err;
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_OK);
    b8g_wait_item it = {task, B8G_SIGNAL_SIGNALED, 0};
    assert_int_equal(b8g_wait(&it, 1, 50 * MS, &err), B8G_LIMIT);
    int32_t value = 99;
    assert_int_equal(b8g_task_result(task, &value, NULL), B8G_TASK_RUNNING);
    b8g_task_cancel(task);
    b8g_error why;
    assert_int_equal(wait_task(task, &value, &why), B8G_TASK_CANCELLED);
    b8g_object_release(task);
    b8g_object_release(cb);
    /* Releasing the last reference to a spinning task stops it too. */
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_OK);
    sleep_ms(20);
    assert_int_equal(cap_tasks_running(), before.tasks + 1);
    b8g_object_release(task);
    b8g_object_release(cb);
    b8g_object_release(shared);
    assert_live(&before);
}

static void test_main_limits_end_it(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(1, 0), *task, *cb;
    b8g_error err;
    b8g_config cfg = {.fuel = 100000};
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 65536, &cfg, &task, &cb, &err),
                     B8G_OK);
    int32_t value;
    b8g_error why;
    assert_int_equal(wait_task(task, &value, &why), B8G_TASK_TRAPPED);
    assert_int_equal(value, B8G_TRAP_OUT_OF_FUEL);
    assert_int_equal(why.code, B8G_LIMIT);
    assert_int_equal(why.trap, B8G_TRAP_OUT_OF_FUEL);
    /* The backtrace names the entry point. */
    assert_true(why.nframes >= 1);
    assert_string_equal(why.frames[why.nframes - 1].func_name, "b8g_main");
    b8g_object_release(task);
    b8g_object_release(cb);
    b8g_object_release(shared);
    assert_live(&before);
}

static void test_main_refuses_bad_arguments(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *shared = shared_with(0, 1), *ev, *task = (b8g_object *)1, *cb = (b8g_object *)1;
    b8g_error err;
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    assert_int_equal(b8g_main_start(guest, ev, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err), B8G_ARG);
    assert_non_null(strstr(err.msg, "not a region"));
    assert_null(task);
    assert_null(cb);
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 1000, NULL, &task, &cb, &err),
                     B8G_ARG);
    assert_int_equal(b8g_main_start(guest, shared, SHARED_RIGHTS, 0, NULL, &task, &cb, &err), B8G_ARG);
    assert_int_equal(b8g_main_start(NULL, shared, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_ARG);
    assert_int_equal(b8g_main_start(guest, NULL, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_ARG);
    /* A module without b8g_main starts, and fails at once, saying why. */
    b8g_module *other = load_built_guest("snapshot");
    assert_non_null(other);
    assert_int_equal(b8g_main_start(other, shared, SHARED_RIGHTS, 65536, NULL, &task, &cb, &err),
                     B8G_OK);
    int32_t value;
    b8g_error why;
    assert_int_equal(wait_task(task, &value, &why), B8G_TASK_FAILED);
    assert_int_equal(value, B8G_LINK);
    assert_int_equal(why.code, B8G_LINK);
    assert_non_null(strstr(why.msg, "not exported"));
    b8g_object_release(task);
    b8g_object_release(cb);
    b8g_module_free(other);
    b8g_object_release(ev);
    b8g_object_release(shared);
    assert_live(&before);
}

/* ---- b8g_task_start ------------------------------------------------------- */

static void test_task_start(void **state)
{
    (void)state;
    Live before = live_now();
    b8g_object *ev, *task;
    b8g_error err;
    assert_int_equal(b8g_event_new(&ev, &err), B8G_OK);
    b8g_object *args[2] = {ev, ev};
    uint32_t rights[2] = {B8G_RIGHTS_ALL, B8G_RIGHT_WAIT};
    /* "two" takes two i32s: it runs and returns 0. */
    assert_int_equal(b8g_task_start(guest, "two", args, rights, 2, NULL, &task, &err), B8G_OK);
    int32_t value;
    assert_int_equal(wait_task(task, &value, NULL), B8G_TASK_RETURNED);
    assert_int_equal(value, 0);
    b8g_object_release(task);
    /* The same export with a wrong number of arguments fails, saying why. */
    assert_int_equal(b8g_task_start(guest, "two", args, rights, 1, NULL, &task, &err), B8G_OK);
    b8g_error why;
    assert_int_equal(wait_task(task, &value, &why), B8G_TASK_FAILED);
    assert_non_null(strstr(why.msg, "wrong type"));
    b8g_object_release(task);
    /* Refused before anything starts. */
    assert_int_equal(b8g_task_start(guest, "", args, rights, 0, NULL, &task, &err), B8G_ARG);
    assert_int_equal(b8g_task_start(guest, "two", NULL, rights, 2, NULL, &task, &err), B8G_ARG);
    b8g_object *bad[1] = {NULL};
    assert_int_equal(b8g_task_start(guest, "two", bad, rights, 1, NULL, &task, &err), B8G_ARG);
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(b8g_task_start(guest, longname, args, rights, 0, NULL, &task, &err), B8G_ARG);
    /* Not a task. */
    assert_int_equal(b8g_task_result(ev, &value, &why), B8G_TASK_FAILED);
    assert_int_equal(value, B8G_ARG);
    assert_int_equal(why.code, B8G_ARG);
    assert_int_equal(b8g_task_result(NULL, NULL, NULL), B8G_TASK_FAILED);
    b8g_task_cancel(ev); /* harmless */
    b8g_object_release(ev);
    assert_live(&before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_refuses_bad_items),
        cmocka_unit_test(test_wait_times_out_and_wakes),
        cmocka_unit_test(test_main_reports_through_callback),
        cmocka_unit_test(test_main_shared_rights_only_shrink),
        cmocka_unit_test(test_main_echo_round_trips),
        cmocka_unit_test(test_main_cancel_and_release),
        cmocka_unit_test(test_main_limits_end_it),
        cmocka_unit_test(test_main_refuses_bad_arguments),
        cmocka_unit_test(test_task_start),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
