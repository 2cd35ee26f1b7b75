/*
 * args.c - the process-level part of preview1: argv and environment,
 * clocks, random bytes, proc_exit/proc_raise and sched_yield.
 *
 * argv and environ are copied into the context at b8g_wasi_new, so a guest
 * sees exactly what the embedder chose and nothing of the host's process.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "util/err.h"
#include "rt/instance.h"
#include "wasi/wasi.h"

/* random_get fills at most this much per getrandom call, so a huge request
 * still notices an interrupt between pieces. */
#define WASI_RANDOM_CHUNK ((size_t)1 << 20)

#define ARG(i) ((uint32_t)slots[i])
#define RET(errno_) (slots[0] = (uint64_t)(errno_), B8G_OK)

/* Writes n pointers at vec_ptr and the strings, NUL-terminated, from
 * buf_ptr on: the layout args_get and environ_get share. */
static int put_strings(b8g_hostcall *call, char **v, uint32_t n, size_t bytes,
                       uint32_t vec_ptr, uint32_t buf_ptr)
{
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, vec_ptr, (uint64_t)n * 4) || !wasi_in(&m, buf_ptr, bytes))
        return WASI_EFAULT;
    uint32_t at = buf_ptr;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        wasi_put_u32(&m, vec_ptr + 4 * i, at);
        memcpy(m.base + at, v[i], len);
        at += (uint32_t)len;
    }
    return WASI_ESUCCESS;
}

static int put_sizes(b8g_hostcall *call, uint32_t n, size_t bytes, uint32_t n_ptr,
                     uint32_t bytes_ptr)
{
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, n_ptr, 4) || !wasi_in(&m, bytes_ptr, 4)) return WASI_EFAULT;
    wasi_put_u32(&m, n_ptr, n);
    wasi_put_u32(&m, bytes_ptr, (uint32_t)bytes);
    return WASI_ESUCCESS;
}

static b8g_status args_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    b8g_wasi *w = call->user;
    return RET(put_strings(call, w->argv, w->argc, w->argv_bytes, ARG(0), ARG(1)));
}

static b8g_status args_sizes_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    b8g_wasi *w = call->user;
    return RET(put_sizes(call, w->argc, w->argv_bytes, ARG(0), ARG(1)));
}

static b8g_status environ_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    b8g_wasi *w = call->user;
    return RET(put_strings(call, w->env, w->envc, w->env_bytes, ARG(0), ARG(1)));
}

static b8g_status environ_sizes_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    b8g_wasi *w = call->user;
    return RET(put_sizes(call, w->envc, w->env_bytes, ARG(0), ARG(1)));
}

/* ---- clocks ---------------------------------------------------------------- */

static bool host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ns_of(const struct timespec *t)
{
    return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

bool wasi_clock_now(uint32_t id, uint64_t *ns)
{
    clockid_t c;
    struct timespec t;
    if (!host_clock(id, &c) || clock_gettime(c, &t) != 0) return false;
    *ns = ns_of(&t);
    return true;
}

static b8g_status clock_res_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    clockid_t c;
    struct timespec t;
    if (!host_clock(ARG(0), &c)) return RET(WASI_EINVAL);
    if (clock_getres(c, &t) != 0) return RET(wasi_errno(errno));
    WasiMem m = wasi_mem(call);
    return RET(wasi_put_u64(&m, ARG(1), ns_of(&t)) ? WASI_ESUCCESS : WASI_EFAULT);
}

/* The guest is about to see a value a replay would not reproduce, so a
 * snapshot taken from here on is not rehashable (wasi.h). */
static void secrets_read(b8g_hostcall *call)
{
    b8g_wasi *w = call->user;
    atomic_store(&w->secrets_used, true);
    /* the instance too: it may call WASI without being attached to w */
    if (call->caller) __atomic_store_n(&call->caller->read_secrets, true, __ATOMIC_RELAXED);
}

/* (id, precision, time_ptr): the precision is a hint we need not honour. */
static b8g_status clock_time_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    uint64_t ns;
    if (!wasi_clock_now(ARG(0), &ns)) return RET(WASI_EINVAL);
    secrets_read(call);
    WasiMem m = wasi_mem(call);
    return RET(wasi_put_u64(&m, ARG(2), ns) ? WASI_ESUCCESS : WASI_EFAULT);
}

/* ---- random, process, scheduling ------------------------------------------- */

static b8g_status random_get(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    uint32_t ptr = ARG(0), len = ARG(1);
    WasiMem m = wasi_mem(call);
    if (!wasi_in(&m, ptr, len)) return RET(WASI_EFAULT);
    secrets_read(call);
    size_t done = 0;
    while (done < len) {
        size_t want = len - done < WASI_RANDOM_CHUNK ? len - done : WASI_RANDOM_CHUNK;
        ssize_t got = getrandom(m.base + ptr + done, want, 0);
        if (got < 0 && errno != EINTR) return RET(wasi_errno(errno));
        if (got > 0) done += (size_t)got;
        if (wasi_interrupted(call, err)) return B8G_TRAP;
    }
    return RET(WASI_ESUCCESS);
}

/* Ends the guest: a trap of kind EXIT carrying the status, which the
 * embedder (the CLI) turns into the process exit status. */
static b8g_status proc_exit(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    uint32_t code = ARG(0);
    err_set(err, B8G_TRAP, B8G_NO_OFFSET, "exit %u", code);
    err->trap = B8G_TRAP_EXIT;
    err->exit_code = (int32_t)code;
    return B8G_TRAP;
}

/* Signals do not exist for a guest; raising one ends it as a trap. */
static b8g_status proc_raise(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    err_set(err, B8G_TRAP, B8G_NO_OFFSET, "raised signal %u", ARG(0));
    err->trap = B8G_TRAP_HOST;
    return B8G_TRAP;
}

static b8g_status sched_yield_(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)err;
    sched_yield();
    return RET(WASI_ESUCCESS);
}

const WasiFuncDef wasi_args_funcs[] = {
    {"args_get", "ii:i", args_get},
    {"args_sizes_get", "ii:i", args_sizes_get},
    {"environ_get", "ii:i", environ_get},
    {"environ_sizes_get", "ii:i", environ_sizes_get},
    {"clock_res_get", "ii:i", clock_res_get},
    {"clock_time_get", "iIi:i", clock_time_get},
    {"random_get", "ii:i", random_get},
    {"proc_exit", "i:", proc_exit},
    {"proc_raise", "i:i", proc_raise},
    {"sched_yield", ":i", sched_yield_},
};
const uint32_t wasi_args_nfuncs = B8G_ARRAY_LEN(wasi_args_funcs);
