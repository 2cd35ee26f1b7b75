/*
 * wasi_test.c - the WASI core: checked guest memory, errno mapping, the
 * handle table behind descriptors, rights narrowing, and the args, fd,
 * poll and sock functions called directly on a scratch directory.
 *
 * Each test gets a fixture: a temporary directory preopened as "/sandbox"
 * (fd 3) and read-only as "/ro" (fd 4), stdin and stdout on pipes, stderr
 * closed (so fd 2 is free), and an instance of a module with one page of
 * memory.  Host functions are called through their WasiFuncDef tables with
 * a b8g_hostcall naming that instance as the caller, as the engine would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "b8g.h"
#include "rt/instance.h"
#include "wasi/wasi.h"

/* (module (memory (export "memory") 1) (func (export "nop"))) */
static const uint8_t mod_mem[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x10, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03,
    0x6e, 0x6f, 0x70, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

typedef struct Fixture {
    char dir[64];
    int in[2], out[2];     /* stdin and stdout pipes */
    b8g_store *store;
    b8g_module *mod;
    b8g_instance *inst;
    b8g_wasi *wasi;
    uint8_t *mem;
    b8g_hostcall call;
    b8g_error err;
} Fixture;

static const WasiFuncDef *find_func(const char *name)
{
    const WasiFuncDef *tables[] = {wasi_args_funcs, wasi_fd_funcs, wasi_path_funcs,
                                   wasi_poll_funcs, wasi_sock_funcs};
    const uint32_t *counts[] = {&wasi_args_nfuncs, &wasi_fd_nfuncs, &wasi_path_nfuncs,
                                &wasi_poll_nfuncs, &wasi_sock_nfuncs};
    for (int t = 0; t < 5; t++)
        for (uint32_t i = 0; i < *counts[t]; i++)
            if (strcmp(tables[t][i].name, name) == 0) return &tables[t][i];
    fail_msg("no WASI function %s", name);
    return NULL;
}

/* Calls a WASI function as the instance would; returns its status. */
static b8g_status call_status(Fixture *fx, const char *name, uint64_t *slots)
{
    return find_func(name)->fn(&fx->call, slots, &fx->err);
}

/* Calls a WASI function that must return normally; returns its errno. */
static uint32_t call_errno(Fixture *fx, const char *name, uint64_t *slots)
{
    assert_int_equal(call_status(fx, name, slots), B8G_OK);
    return (uint32_t)slots[0];
}

#define WASI(fx, name, ...) call_errno(fx, name, (uint64_t[8]){__VA_ARGS__})

static uint32_t get32(Fixture *fx, uint32_t p)
{
    uint32_t v;
    memcpy(&v, fx->mem + p, 4);
    return v;
}

static uint64_t get64(Fixture *fx, uint32_t p)
{
    uint64_t v;
    memcpy(&v, fx->mem + p, 8);
    return v;
}

static void put32(Fixture *fx, uint32_t p, uint32_t v) { memcpy(fx->mem + p, &v, 4); }
static void put64(Fixture *fx, uint32_t p, uint64_t v) { memcpy(fx->mem + p, &v, 8); }

/* Writes an iovec {buf, len} at p. */
static void put_iov(Fixture *fx, uint32_t p, uint32_t buf, uint32_t len)
{
    put32(fx, p, buf);
    put32(fx, p + 4, len);
}

static int setup(void **state)
{
    Fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/b8g-wasi-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    assert_int_equal(pipe(fx->in), 0);
    assert_int_equal(pipe(fx->out), 0);
    fx->store = b8g_store_new(NULL);
    const char *argv[] = {"prog", "a b", ""};
    const char *env[] = {"A=1", "EMPTY="};
    b8g_wasi_dir dirs[] = {{fx->dir, "/sandbox", false}, {fx->dir, "/ro", true}};
    b8g_wasi_config cfg = {3, argv, 2, env, fx->in[0], fx->out[1], -1, 2, dirs};
    assert_int_equal(b8g_wasi_new(fx->store, &cfg, &fx->wasi, &fx->err), B8G_OK);
    assert_int_equal(b8g_module_load(mod_mem, sizeof mod_mem, &fx->mod, &fx->err), B8G_OK);
    assert_int_equal(b8g_instantiate(fx->store, fx->mod, &fx->inst, &fx->err), B8G_OK);
    assert_int_equal(b8g_wasi_attach(fx->wasi, fx->inst, &fx->err), B8G_OK);
    /* A first call makes the store's thread, which interrupts need. */
    assert_int_equal(b8g_call(fx->inst, "nop", NULL, 0, NULL, 0, &fx->err), B8G_OK);
    uint64_t size;
    fx->mem = b8g_instance_memory(fx->inst, &size);
    assert_int_equal(size, 65536);
    fx->call = (b8g_hostcall){fx->store, fx->inst, fx->wasi};
    *state = fx;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    b8g_store_free(fx->store);
    b8g_wasi_free(fx->wasi);
    b8g_module_free(fx->mod);
    close(fx->in[0]);
    close(fx->in[1]);
    close(fx->out[0]);
    close(fx->out[1]);
    nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* Opens (creating) a file in the scratch directory and gives the guest a
 * descriptor for it with all file rights; returns the fd number. */
static uint32_t give_file(Fixture *fx, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    WasiFile *f = wasi_file_new(fd, false, WASI_FILETYPE_REGULAR_FILE, CAP_KIND_FILE);
    uint32_t slot;
    assert_int_equal(cap_insert(&fx->inst->handles, &f->base, 0, WASI_RIGHTS_FILE, 0, &slot, NULL),
                     B8G_OK);
    cap_unref(&f->base);
    return slot;
}

/* ---- memory, errno, handle table ------------------------------------------ */

static void test_mem_accessors(void **state)
{
    (void)state;
    uint8_t buf[16] = {0};
    WasiMem m = {buf, sizeof buf};
    assert_true(wasi_in(&m, 0, 16));
    assert_true(wasi_in(&m, 16, 0));
    assert_false(wasi_in(&m, 16, 1));
    assert_false(wasi_in(&m, 17, 0));
    assert_false(wasi_in(&m, 8, UINT64_MAX));
    assert_false(wasi_in(&m, UINT32_MAX, 2));
    assert_true(wasi_put_u32(&m, 12, 0x11223344));
    assert_int_equal(buf[12], 0x44); /* little-endian whatever the host */
    assert_int_equal(buf[15], 0x11);
    assert_false(wasi_put_u32(&m, 13, 1));
    assert_false(wasi_put_u64(&m, 9, 1));
    assert_true(wasi_put_u64(&m, 8, 0x0102030405060708ull));
    uint64_t v64 = 0;
    uint32_t v32 = 0;
    assert_true(wasi_get_u64(&m, 8, &v64));
    assert_int_equal(v64, 0x0102030405060708ull);
    assert_true(wasi_get_u32(&m, 1, &v32)); /* unaligned is fine */
    assert_false(wasi_get_u32(&m, 13, &v32));
    assert_true(wasi_put_u16(&m, 14, 0xabcd));
    assert_false(wasi_put_u16(&m, 15, 1));
    assert_true(wasi_put_u8(&m, 15, 7));
    assert_false(wasi_put_u8(&m, 16, 7));
    /* No caller: no memory and no descriptors. */
    b8g_hostcall none = {NULL, NULL, NULL};
    assert_int_equal(wasi_mem(&none).size, 0);
    assert_null(wasi_handles(&none));
    WasiFile *f;
    assert_int_equal(wasi_fd(&none, 0, 0, &f, NULL), WASI_EBADF);
}

static void test_errno_map(void **state)
{
    (void)state;
    assert_int_equal(wasi_errno(0), WASI_ESUCCESS);
    assert_int_equal(wasi_errno(ENOENT), WASI_ENOENT);
    assert_int_equal(wasi_errno(EAGAIN), WASI_EAGAIN);
    assert_int_equal(wasi_errno(EWOULDBLOCK), WASI_EAGAIN);
    assert_int_equal(wasi_errno(EOPNOTSUPP), WASI_ENOTSUP);
    assert_int_equal(wasi_errno(EXDEV), WASI_EXDEV);
    assert_int_equal(wasi_errno(ELOOP), WASI_ELOOP);
    assert_int_equal(wasi_errno(EPIPE), WASI_EPIPE);
    assert_int_equal(wasi_errno(ENOTEMPTY), WASI_ENOTEMPTY);
    assert_int_equal(wasi_errno(EDQUOT), WASI_EDQUOT);
    assert_int_equal(wasi_errno(ETXTBSY), WASI_ETXTBSY);
    assert_int_equal(wasi_errno(ESHUTDOWN), WASI_EPIPE);
    assert_int_equal(wasi_errno(99999), WASI_EIO);
    /* Every host errno maps into WASI's range. */
    for (int e = 0; e < 4096; e++) {
        int w = wasi_errno(e);
        assert_true(w >= 0 && w <= WASI_ENOTCAPABLE);
        assert_true(e == 0 || w != 0);
    }
}

static WasiFile *dummy(void)
{
    return wasi_file_new(-1, true, WASI_FILETYPE_UNKNOWN, CAP_KIND_STREAM);
}

static void test_handle_table(void **state)
{
    (void)state;
    HandleTable t;
    cap_table_init(&t, 4);
    WasiFile *objs[5];
    uint32_t slot, values[4];
    for (int i = 0; i < 4; i++) {
        objs[i] = dummy();
        assert_int_equal(cap_insert(&t, &objs[i]->base, 0, 1, 0, &slot, NULL), B8G_OK);
        assert_int_equal(slot, i);
        values[i] = cap_handle_value(&t, slot);
        cap_unref(&objs[i]->base);
    }
    objs[4] = dummy();
    b8g_error err;
    assert_int_equal(cap_insert(&t, &objs[4]->base, 0, 1, 0, &slot, &err), B8G_LIMIT);
    assert_non_null(cap_lookup(&t, values[2], NULL));
    assert_true(cap_close(&t, 2));
    assert_false(cap_close(&t, 2));
    assert_null(cap_lookup(&t, values[2], NULL)); /* stale after close */
    assert_int_equal(cap_insert(&t, &objs[4]->base, 0, 1, 0, &slot, NULL), B8G_OK);
    assert_int_equal(slot, 2);
    assert_null(cap_lookup(&t, values[2], NULL)); /* and after reuse */
    assert_non_null(cap_lookup(&t, cap_handle_value(&t, 2), NULL));
    cap_unref(&objs[4]->base);
    /* Renumbering: the source slot becomes free, the target holds it. */
    CapObject *moved = t.e[0].obj;
    assert_true(cap_move(&t, 0, 3));
    assert_ptr_equal(t.e[3].obj, moved);
    assert_null(cap_slot(&t, 0));
    assert_null(cap_lookup(&t, values[3], NULL));
    assert_false(cap_move(&t, 0, 1));
    assert_int_equal(t.live, 3);
    cap_table_release(&t);
}

/* ---- the context ----------------------------------------------------------- */

static void test_attach_layout(void **state)
{
    Fixture *fx = *state;
    HandleTable *t = &fx->inst->handles;
    assert_non_null(cap_slot(t, 0));
    assert_non_null(cap_slot(t, 1));
    assert_null(cap_slot(t, 2)); /* stderr was not given */
    WasiFile *f;
    HandleEntry *e;
    assert_int_equal(wasi_fd(&fx->call, 3, 0, &f, &e), 0);
    assert_string_equal(f->preopen_name, "/sandbox");
    assert_int_equal(e->wasi_base, WASI_RIGHTS_DIR);
    assert_int_equal(wasi_fd(&fx->call, 4, 0, &f, &e), 0);
    assert_string_equal(f->preopen_name, "/ro");
    assert_int_equal(e->wasi_base & ~WASI_RIGHTS_READ_ONLY, 0);
    assert_int_equal(e->wasi_inheriting & ~WASI_RIGHTS_READ_ONLY, 0);
    assert_true(e->wasi_inheriting & WASI_RIGHT_FD_READ);
    assert_int_equal(wasi_fd(&fx->call, 2, 0, &f, NULL), WASI_EBADF);
    assert_int_equal(wasi_fd(&fx->call, 5, 0, &f, NULL), WASI_EBADF);
    assert_int_equal(wasi_fd(&fx->call, 0, WASI_RIGHT_FD_WRITE, &f, NULL), WASI_ENOTCAPABLE);
    /* A second attach would shift every descriptor: refused. */
    assert_int_equal(b8g_wasi_attach(fx->wasi, fx->inst, &fx->err), B8G_ARG);
    /* The next open takes the lowest free number, as POSIX does. */
    assert_int_equal(give_file(fx, "f"), 2);
}

static void test_new_errors(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_wasi *w = NULL;
    b8g_error err;
    b8g_wasi_dir missing = {"/nonexistent/b8g", NULL, false};
    b8g_wasi_config cfg = {0, NULL, 0, NULL, -1, -1, -1, 1, &missing};
    assert_int_equal(b8g_wasi_new(s, &cfg, &w, &err), B8G_IO);
    assert_null(w);
    assert_non_null(strstr(err.msg, "/nonexistent/b8g"));
    cfg.ndirs = 0;
    cfg.argc = 1; /* with a NULL argv */
    assert_int_equal(b8g_wasi_new(s, &cfg, &w, &err), B8G_ARG);
    b8g_store_free(s);
}

/* ---- args, clocks, random, proc ---------------------------------------------- */

static void test_args_env(void **state)
{
    Fixture *fx = *state;
    assert_int_equal(WASI(fx, "args_sizes_get", 0, 4), 0);
    assert_int_equal(get32(fx, 0), 3);
    assert_int_equal(get32(fx, 4), sizeof "prog" + sizeof "a b" + 1);
    assert_int_equal(WASI(fx, "args_get", 64, 1024), 0);
    assert_int_equal(get32(fx, 64), 1024);
    assert_string_equal((char *)fx->mem + get32(fx, 64), "prog");
    assert_string_equal((char *)fx->mem + get32(fx, 68), "a b");
    assert_string_equal((char *)fx->mem + get32(fx, 72), "");
    assert_int_equal(WASI(fx, "environ_sizes_get", 0, 4), 0);
    assert_int_equal(get32(fx, 0), 2);
    assert_int_equal(WASI(fx, "environ_get", 64, 1024), 0);
    assert_string_equal((char *)fx->mem + get32(fx, 68), "EMPTY=");
    /* The string area or the pointer array past the end of memory. */
    assert_int_equal(WASI(fx, "args_get", 64, 65536 - 5), WASI_EFAULT);
    assert_int_equal(WASI(fx, "args_get", 65536 - 8, 1024), WASI_EFAULT);
    assert_int_equal(WASI(fx, "args_sizes_get", 65536 - 2, 4), WASI_EFAULT);
}

static void test_clocks_random(void **state)
{
    Fixture *fx = *state;
    for (uint32_t id = 0; id < 4; id++) {
        assert_int_equal(WASI(fx, "clock_time_get", id, 1, 8), 0);
        assert_int_equal(WASI(fx, "clock_res_get", id, 16), 0);
        assert_true(get64(fx, 16) > 0);
    }
    assert_int_equal(WASI(fx, "clock_time_get", 4, 0, 8), WASI_EINVAL);
    assert_int_equal(WASI(fx, "clock_res_get", 99, 8), WASI_EINVAL);
    assert_int_equal(WASI(fx, "clock_time_get", 0, 0, 65530), WASI_EFAULT);
    assert_int_equal(WASI(fx, "clock_time_get", 1, 0, 8), 0);
    uint64_t t0 = get64(fx, 8);
    assert_int_equal(WASI(fx, "clock_time_get", 1, 0, 8), 0);
    assert_true(get64(fx, 8) >= t0);
    memset(fx->mem + 100, 0, 64);
    assert_int_equal(WASI(fx, "random_get", 100, 64), 0);
    uint8_t zero[64] = {0};
    assert_memory_not_equal(fx->mem + 100, zero, 64);
    assert_int_equal(WASI(fx, "random_get", 65000, 537), WASI_EFAULT);
    assert_int_equal(WASI(fx, "random_get", 0, 65536), 0);
    assert_int_equal(WASI(fx, "sched_yield", 0), 0);
}

static void test_proc(void **state)
{
    Fixture *fx = *state;
    uint64_t slots[2] = {42};
    assert_int_equal(call_status(fx, "proc_exit", slots), B8G_TRAP);
    assert_int_equal(fx->err.trap, B8G_TRAP_EXIT);
    assert_int_equal(fx->err.exit_code, 42);
    assert_string_equal(fx->err.msg, "exit 42");
    slots[0] = 6;
    assert_int_equal(call_status(fx, "proc_raise", slots), B8G_TRAP);
    assert_int_equal(fx->err.trap, B8G_TRAP_HOST);
    assert_string_equal(fx->err.msg, "raised signal 6");
}

/* ---- fd_* ------------------------------------------------------------------------ */

static void test_file_io(void **state)
{
    Fixture *fx = *state;
    uint32_t fd = give_file(fx, "data");
    memcpy(fx->mem + 1000, "hello, world", 12);
    put_iov(fx, 0, 1000, 5);
    put_iov(fx, 8, 1005, 7);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 2, 16), 0);
    assert_int_equal(get32(fx, 16), 12);
    assert_int_equal(WASI(fx, "fd_tell", fd, 24), 0);
    assert_int_equal(get64(fx, 24), 12);
    assert_int_equal(WASI(fx, "fd_seek", fd, (uint64_t)-5, WASI_WHENCE_CUR, 24), 0);
    assert_int_equal(get64(fx, 24), 7);
    assert_int_equal(WASI(fx, "fd_seek", fd, 0, 3, 24), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_seek", fd, (uint64_t)-100, WASI_WHENCE_SET, 24), WASI_EINVAL);
    put_iov(fx, 0, 2000, 100);
    assert_int_equal(WASI(fx, "fd_read", fd, 0, 1, 16), 0);
    assert_int_equal(get32(fx, 16), 5);
    assert_memory_equal(fx->mem + 2000, "world", 5);
    assert_int_equal(WASI(fx, "fd_pread", fd, 0, 1, 0, 16), 0);
    assert_int_equal(get32(fx, 16), 12);
    put_iov(fx, 0, 1000, 5);
    assert_int_equal(WASI(fx, "fd_pwrite", fd, 0, 1, 100, 16), 0);
    assert_int_equal(WASI(fx, "fd_pwrite", fd, 0, 1, (uint64_t)-1, 16), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(fx->mem[128 + 16], WASI_FILETYPE_REGULAR_FILE);
    assert_int_equal(get64(fx, 128 + 32), 105);
    assert_int_equal(WASI(fx, "fd_filestat_set_size", fd, 3), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(get64(fx, 128 + 32), 3);
    assert_int_equal(WASI(fx, "fd_filestat_set_size", fd, (uint64_t)-1), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_allocate", fd, 0, 4096), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(get64(fx, 128 + 32), 4096);
    assert_int_equal(WASI(fx, "fd_advise", fd, 0, 10, 2), 0);
    assert_int_equal(WASI(fx, "fd_advise", fd, 0, 10, 6), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_sync", fd), 0);
    assert_int_equal(WASI(fx, "fd_datasync", fd), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 65500), WASI_EFAULT);
}

static void test_file_times(void **state)
{
    Fixture *fx = *state;
    uint32_t fd = give_file(fx, "times");
    uint64_t t = 1000000000ull * 1234567 + 89;
    assert_int_equal(WASI(fx, "fd_filestat_set_times", fd, t, t + 1,
                          WASI_FSTFLAG_ATIM | WASI_FSTFLAG_MTIM), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(get64(fx, 128 + 40), t);
    assert_int_equal(get64(fx, 128 + 48), t + 1);
    assert_int_equal(WASI(fx, "fd_filestat_set_times", fd, 0, 0,
                          WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_filestat_set_times", fd, 0, 0,
                          WASI_FSTFLAG_MTIM | WASI_FSTFLAG_MTIM_NOW), WASI_EINVAL);
    assert_int_equal(WASI(fx, "fd_filestat_set_times", fd, 0, 0, 0x10), WASI_EINVAL);
    /* Only mtime to now: atime stays. */
    assert_int_equal(WASI(fx, "fd_filestat_set_times", fd, 0, 0, WASI_FSTFLAG_MTIM_NOW), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(get64(fx, 128 + 40), t);
    assert_true(get64(fx, 128 + 48) > t + 1);
}

static void test_iovec_limits(void **state)
{
    Fixture *fx = *state;
    uint32_t fd = give_file(fx, "iov");
    assert_int_equal(WASI(fx, "fd_write", fd, 0, WASI_IOV_MAX + 1, 16), WASI_EINVAL);
    put_iov(fx, 0, 65530, 7);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 1, 16), WASI_EFAULT);
    assert_int_equal(WASI(fx, "fd_write", fd, 65532, 1, 16), WASI_EFAULT);
    /* A bad result pointer fails before anything is written. */
    put_iov(fx, 0, 100, 7);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 1, 65534), WASI_EFAULT);
    assert_int_equal(WASI(fx, "fd_tell", fd, 24), 0);
    assert_int_equal(get64(fx, 24), 0);
    /* The whole IOV_MAX of iovecs is fine. */
    for (uint32_t i = 0; i < WASI_IOV_MAX; i++) put_iov(fx, 8192 + 8 * i, 100, 1);
    assert_int_equal(WASI(fx, "fd_write", fd, 8192, WASI_IOV_MAX, 16), 0);
    assert_int_equal(get32(fx, 16), WASI_IOV_MAX);
}

static void test_stdio(void **state)
{
    Fixture *fx = *state;
    put_iov(fx, 0, 1000, 3);
    memcpy(fx->mem + 1000, "out", 3);
    assert_int_equal(WASI(fx, "fd_write", 1, 0, 1, 16), 0);
    char buf[8] = {0};
    assert_int_equal(read(fx->out[0], buf, sizeof buf), 3);
    assert_string_equal(buf, "out");
    assert_int_equal(WASI(fx, "fd_write", 0, 0, 1, 16), WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_read", 1, 0, 1, 16), WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_write", 2, 0, 1, 16), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_seek", 0, 0, WASI_WHENCE_SET, 16), WASI_ENOTCAPABLE);
    /* A pipe has no WASI file type; stdout may write but not read. */
    assert_int_equal(WASI(fx, "fd_fdstat_get", 1, 32), 0);
    assert_int_equal(fx->mem[32], WASI_FILETYPE_UNKNOWN);
    assert_true(get64(fx, 40) & WASI_RIGHT_FD_WRITE);
    assert_false(get64(fx, 40) & WASI_RIGHT_FD_READ);
    /* NONBLOCK on lent stdin is emulated: an empty pipe says EAGAIN. */
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", 0, WASI_FDFLAG_NONBLOCK), 0);
    assert_int_equal(WASI(fx, "fd_fdstat_get", 0, 32), 0);
    assert_int_equal(get32(fx, 32) >> 16, WASI_FDFLAG_NONBLOCK);
    put_iov(fx, 0, 1000, 3);
    assert_int_equal(WASI(fx, "fd_read", 0, 0, 1, 16), WASI_EAGAIN);
    assert_int_equal(fcntl(fx->in[0], F_GETFL) & O_NONBLOCK, 0); /* host untouched */
    assert_int_equal(write(fx->in[1], "in", 2), 2);
    assert_int_equal(WASI(fx, "fd_read", 0, 0, 1, 16), 0);
    assert_int_equal(get32(fx, 16), 2);
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", 1, WASI_FDFLAG_APPEND), WASI_ENOTSUP);
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", 1, WASI_FDFLAG_SYNC), WASI_ENOTSUP);
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", 1, 0x20), WASI_EINVAL);
}

static void test_append_flag(void **state)
{
    Fixture *fx = *state;
    uint32_t fd = give_file(fx, "app");
    memcpy(fx->mem + 1000, "abcdef", 6);
    put_iov(fx, 0, 1000, 6);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 1, 16), 0);
    assert_int_equal(WASI(fx, "fd_seek", fd, 0, WASI_WHENCE_SET, 24), 0);
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", fd, WASI_FDFLAG_APPEND), 0);
    assert_int_equal(WASI(fx, "fd_fdstat_get", fd, 32), 0);
    assert_int_equal(fx->mem[34], WASI_FDFLAG_APPEND);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 1, 16), 0);
    assert_int_equal(WASI(fx, "fd_filestat_get", fd, 128), 0);
    assert_int_equal(get64(fx, 128 + 32), 12);
}

static void test_rights_narrowing(void **state)
{
    Fixture *fx = *state;
    uint64_t all = WASI_RIGHTS_DIR, inh = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
    assert_int_equal(WASI(fx, "fd_readdir", 3, 1024, 512, 0, 16), 0);
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 3, all & ~WASI_RIGHT_FD_READDIR, inh), 0);
    assert_int_equal(WASI(fx, "fd_readdir", 3, 1024, 512, 0, 16), WASI_ENOTCAPABLE);
    /* Widening back, or adding any right, fails and changes nothing. */
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 3, all, inh), WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 3, 0, inh | WASI_RIGHT_SOCK_ACCEPT),
                     WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_fdstat_get", 3, 32), 0);
    assert_int_equal(get64(fx, 40), all & ~WASI_RIGHT_FD_READDIR);
    assert_int_equal(get64(fx, 48), inh);
    /* The read-only preopen cannot gain a write right. */
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 4, WASI_RIGHT_PATH_CREATE_FILE, 0),
                     WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 4, 0, WASI_RIGHT_FD_WRITE), WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", 99, 0, 0), WASI_EBADF);
    uint32_t fd = give_file(fx, "r");
    assert_int_equal(WASI(fx, "fd_fdstat_set_rights", fd, WASI_RIGHT_FD_READ, 0), 0);
    put_iov(fx, 0, 1000, 1);
    assert_int_equal(WASI(fx, "fd_write", fd, 0, 1, 16), WASI_ENOTCAPABLE);
    assert_int_equal(WASI(fx, "fd_read", fd, 0, 1, 16), 0);
    assert_int_equal(WASI(fx, "fd_tell", fd, 16), WASI_ENOTCAPABLE);
}

/* Collects names from fd_readdir output in buf[0..used) into names (one
 * string, '/'-separated); returns the cookie of the last whole entry. */
static uint64_t scan_dirents(const uint8_t *buf, uint32_t used, char *names, size_t cap,
                             int *count)
{
    uint64_t cookie = 0;
    uint32_t at = 0;
    while (at + 24 <= used) {
        uint64_t next;
        uint32_t namlen;
        memcpy(&next, buf + at, 8);
        memcpy(&namlen, buf + at + 16, 4);
        if (at + 24 + namlen > used) break; /* cut off: read again */
        size_t len = strlen(names);
        assert_true(len + namlen + 2 < cap);
        memcpy(names + len, buf + at + 24, namlen);
        names[len + namlen] = '/';
        names[len + namlen + 1] = 0;
        cookie = next;
        (*count)++;
        at += 24 + namlen;
    }
    return cookie;
}

static void test_readdir_cookies(void **state)
{
    Fixture *fx = *state;
    char path[128];
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "%s/entry-%02d", fx->dir, i);
        close(open(path, O_CREAT | O_WRONLY, 0644));
    }
    snprintf(path, sizeof path, "%s/sub", fx->dir);
    mkdir(path, 0755);
    /* All at once. */
    static char all[8192], part[8192];
    all[0] = part[0] = 0;
    int n_all = 0, n_part = 0;
    assert_int_equal(WASI(fx, "fd_readdir", 3, 4096, 32768, 0, 16), 0);
    uint32_t used = get32(fx, 16);
    assert_true(used < 32768);
    scan_dirents(fx->mem + 4096, used, all, sizeof all, &n_all);
    assert_int_equal(n_all, 43); /* ., .., 40 files, sub */
    assert_non_null(strstr(all, "entry-07/"));
    /* In pieces of 100 bytes: the last entry of each is cut off exactly at
     * the end, and its cookie continues where the previous one ended. */
    uint64_t cookie = 0;
    for (int rounds = 0; rounds < 200; rounds++) {
        memset(fx->mem + 4096, 0xee, 200);
        assert_int_equal(WASI(fx, "fd_readdir", 3, 4096, 100, cookie, 16), 0);
        used = get32(fx, 16);
        assert_int_equal(fx->mem[4096 + 100], 0xee); /* never past the buffer */
        int before = n_part;
        uint64_t c = scan_dirents(fx->mem + 4096, used, part, sizeof part, &n_part);
        if (used < 100) break;
        assert_true(n_part > before); /* 100 bytes fit at least one entry */
        cookie = c;
    }
    assert_int_equal(n_part, n_all);
    assert_string_equal(part, all);
    /* A restart from an old cookie gives the same continuation. */
    assert_int_equal(WASI(fx, "fd_readdir", 3, 4096, 100, 0, 16), 0);
    char first[8192] = "";
    int n_first = 0;
    scan_dirents(fx->mem + 4096, get32(fx, 16), first, sizeof first, &n_first);
    assert_memory_equal(first, all, strlen(first));
    /* Type of the subdirectory entry. */
    assert_int_equal(WASI(fx, "fd_readdir", 3, 4096, 32768, 0, 16), 0);
    used = get32(fx, 16);
    bool seen = false;
    for (uint32_t at = 0; at + 24 <= used;) {
        uint32_t namlen;
        memcpy(&namlen, fx->mem + 4096 + at + 16, 4);
        if (namlen == 3 && memcmp(fx->mem + 4096 + at + 24, "sub", 3) == 0) {
            assert_int_equal(fx->mem[4096 + at + 20], WASI_FILETYPE_DIRECTORY);
            seen = true;
        }
        at += 24 + namlen;
    }
    assert_true(seen);
    /* Errors: no buffer room in memory, a file, a bad fd, a tiny buffer. */
    assert_int_equal(WASI(fx, "fd_readdir", 3, 65000, 1000, 0, 16), WASI_EFAULT);
    assert_int_equal(WASI(fx, "fd_readdir", 3, 4096, 10, 0, 16), 0);
    assert_int_equal(get32(fx, 16), 10);
    assert_int_equal(WASI(fx, "fd_readdir", 77, 4096, 100, 0, 16), WASI_EBADF);
    uint32_t fd = give_file(fx, "notdir");
    assert_int_equal(WASI(fx, "fd_readdir", fd, 4096, 100, 0, 16), WASI_ENOTCAPABLE);
}

static void test_prestat(void **state)
{
    Fixture *fx = *state;
    assert_int_equal(WASI(fx, "fd_prestat_get", 3, 0), 0);
    assert_int_equal(fx->mem[0], WASI_PREOPENTYPE_DIR);
    assert_int_equal(get32(fx, 4), 8);
    memset(fx->mem + 100, 'x', 16);
    assert_int_equal(WASI(fx, "fd_prestat_dir_name", 3, 100, 8), 0);
    assert_memory_equal(fx->mem + 100, "/sandboxx", 9); /* exactly 8 bytes */
    assert_int_equal(WASI(fx, "fd_prestat_dir_name", 3, 100, 7), WASI_ENAMETOOLONG);
    assert_int_equal(WASI(fx, "fd_prestat_dir_name", 3, 65532, 8), WASI_EFAULT);
    assert_int_equal(WASI(fx, "fd_prestat_get", 4, 0), 0);
    assert_int_equal(get32(fx, 4), 3);
    assert_int_equal(WASI(fx, "fd_prestat_get", 0, 0), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_prestat_get", 5, 0), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_prestat_get", 0xffffffff, 0), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_prestat_get", 3, 65530), WASI_EFAULT);
}

static void test_renumber_close(void **state)
{
    Fixture *fx = *state;
    uint32_t fd = give_file(fx, "rn"); /* slot 2 */
    uint32_t fd2 = give_file(fx, "rn2"); /* slot 5 */
    assert_int_equal(WASI(fx, "fd_renumber", fd, 3), WASI_ENOTSUP);
    assert_int_equal(WASI(fx, "fd_renumber", 3, fd), WASI_ENOTSUP);
    assert_int_equal(WASI(fx, "fd_renumber", fd, 12345), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_renumber", 12345, fd), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_renumber", fd2, fd2), 0);
    assert_int_equal(WASI(fx, "fd_renumber", fd2, 0), 0); /* onto stdin */
    assert_int_equal(WASI(fx, "fd_tell", fd2, 16), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_tell", 0, 16), 0); /* now the file */
    assert_int_equal(WASI(fx, "fd_close", fd), 0);
    assert_int_equal(WASI(fx, "fd_close", fd), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_close", 3), 0); /* a preopen may close */
    assert_int_equal(WASI(fx, "fd_prestat_get", 3, 0), WASI_EBADF);
    assert_int_equal(WASI(fx, "fd_close", 0xffffffff), WASI_EBADF);
    /* The context still holds the preopen for other instances. */
    assert_non_null(fx->wasi->preopens[0]);
}

/* ---- poll_oneoff ----------------------------------------------------------------- */

/* A subscription at p: clock (id, timeout, flags) or fd (type, fd). */
static void sub_clock(Fixture *fx, uint32_t p, uint64_t user, uint32_t id, uint64_t ns,
                      uint16_t flags)
{
    memset(fx->mem + p, 0, 48);
    put64(fx, p, user);
    fx->mem[p + 8] = WASI_EVENTTYPE_CLOCK;
    put32(fx, p + 16, id);
    put64(fx, p + 24, ns);
    memcpy(fx->mem + p + 40, &flags, 2);
}

static void sub_fd(Fixture *fx, uint32_t p, uint64_t user, uint8_t type, uint32_t fd)
{
    memset(fx->mem + p, 0, 48);
    put64(fx, p, user);
    fx->mem[p + 8] = type;
    put32(fx, p + 16, fd);
}

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void test_poll_clock(void **state)
{
    Fixture *fx = *state;
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 0, 2000), WASI_EINVAL);
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 100000, 2000), WASI_EINVAL);
    sub_clock(fx, 0, 77, WASI_CLOCK_MONOTONIC, 30000000, 0);
    uint64_t t0 = now_ms();
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 1, 2000), 0);
    assert_true(now_ms() - t0 >= 30);
    assert_int_equal(get32(fx, 2000), 1);
    assert_int_equal(get64(fx, 1024), 77);
    assert_int_equal(fx->mem[1024 + 10], WASI_EVENTTYPE_CLOCK);
    assert_int_equal(fx->mem[1024 + 8], 0);
    /* An absolute time in the past fires at once; so does the earlier of
     * two clocks, alone. */
    sub_clock(fx, 0, 1, WASI_CLOCK_REALTIME, 1000, WASI_SUBCLOCK_ABSTIME);
    sub_clock(fx, 48, 2, WASI_CLOCK_MONOTONIC, 5000000000ull, 0);
    t0 = now_ms();
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 2, 2000), 0);
    assert_true(now_ms() - t0 < 1000);
    assert_int_equal(get32(fx, 2000), 1);
    assert_int_equal(get64(fx, 1024), 1);
    /* An unknown clock is an event with EINVAL. */
    sub_clock(fx, 0, 3, 9, 0, 0);
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 1, 2000), 0);
    assert_int_equal(fx->mem[1024 + 8], WASI_EINVAL);
    /* An unknown subscription type fails the call. */
    fx->mem[8] = 9;
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 1, 2000), WASI_EINVAL);
    assert_int_equal(WASI(fx, "poll_oneoff", 65500, 1024, 1, 2000), WASI_EFAULT);
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 65530, 1, 16), WASI_EFAULT);
}

static void test_poll_fds(void **state)
{
    Fixture *fx = *state;
    assert_int_equal(write(fx->in[1], "hello", 5), 5);
    sub_fd(fx, 0, 10, WASI_EVENTTYPE_FD_READ, 0);
    sub_fd(fx, 48, 11, WASI_EVENTTYPE_FD_READ, 99);   /* bad fd */
    sub_fd(fx, 96, 12, WASI_EVENTTYPE_FD_WRITE, 0);   /* stdin: no write right */
    sub_fd(fx, 144, 13, WASI_EVENTTYPE_FD_WRITE, 1);
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 4, 2000), 0);
    assert_int_equal(get32(fx, 2000), 4);
    assert_int_equal(get64(fx, 1024), 10);
    assert_int_equal(fx->mem[1024 + 10], WASI_EVENTTYPE_FD_READ);
    assert_int_equal(get64(fx, 1024 + 16), 5); /* bytes ready */
    assert_int_equal(get64(fx, 1056), 11);
    assert_int_equal(fx->mem[1056 + 8], WASI_EBADF);
    assert_int_equal(fx->mem[1088 + 8], WASI_ENOTCAPABLE);
    assert_int_equal(get64(fx, 1120), 13);
    assert_int_equal(fx->mem[1120 + 8], 0);
    /* Hang-up: the writer is gone. */
    close(fx->in[1]);
    fx->in[1] = -1;
    char buf[8];
    assert_int_equal(read(fx->in[0], buf, sizeof buf), 5);
    assert_int_equal(WASI(fx, "poll_oneoff", 0, 1024, 1, 2000), 0);
    assert_int_equal(fx->mem[1024 + 24], 1); /* flags: hangup */
}

static void test_interrupt(void **state)
{
    Fixture *fx = *state;
    /* A long sleep and a read of an empty pipe both end on an interrupt. */
    sub_clock(fx, 0, 1, WASI_CLOCK_MONOTONIC, 10000000000ull, 0);
    b8g_store_interrupt(fx->store);
    uint64_t t0 = now_ms();
    uint64_t slots[4] = {0, 1024, 1, 2000};
    assert_int_equal(call_status(fx, "poll_oneoff", slots), B8G_TRAP);
    assert_int_equal(fx->err.trap, B8G_TRAP_INTERRUPTED);
    put_iov(fx, 0, 1000, 10);
    uint64_t rd[4] = {0, 0, 1, 16};
    assert_int_equal(call_status(fx, "fd_read", rd), B8G_TRAP);
    assert_int_equal(fx->err.trap, B8G_TRAP_INTERRUPTED);
    assert_true(now_ms() - t0 < 500);
}

/* ---- sockets ---------------------------------------------------------------------- */

static uint32_t give_socket(Fixture *fx, int fd, uint64_t rights)
{
    WasiFile *f = wasi_file_new(fd, false, WASI_FILETYPE_SOCKET_STREAM, CAP_KIND_SOCKET);
    uint32_t slot;
    assert_int_equal(cap_insert(&fx->inst->handles, &f->base, 0, rights, rights, &slot, NULL),
                     B8G_OK);
    cap_unref(&f->base);
    return slot;
}

static void test_sockets(void **state)
{
    Fixture *fx = *state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    uint32_t s = give_socket(fx, sv[0], WASI_RIGHTS_SOCKET & ~WASI_RIGHT_SOCK_ACCEPT);
    memcpy(fx->mem + 1000, "ping", 4);
    put_iov(fx, 0, 1000, 4);
    assert_int_equal(WASI(fx, "sock_send", s, 0, 1, 0, 16), 0);
    assert_int_equal(get32(fx, 16), 4);
    assert_int_equal(WASI(fx, "sock_send", s, 0, 1, 1, 16), WASI_EINVAL);
    char buf[8] = {0};
    assert_int_equal(read(sv[1], buf, sizeof buf), 4);
    assert_string_equal(buf, "ping");
    assert_int_equal(write(sv[1], "pong", 4), 4);
    put_iov(fx, 0, 2000, 16);
    assert_int_equal(WASI(fx, "sock_recv", s, 0, 1, 1 /* peek */, 16, 20), 0);
    assert_int_equal(get32(fx, 16), 4);
    assert_int_equal(WASI(fx, "sock_recv", s, 0, 1, 0, 16, 20), 0);
    assert_int_equal(get32(fx, 16), 4);
    assert_memory_equal(fx->mem + 2000, "pong", 4);
    assert_int_equal(WASI(fx, "sock_recv", s, 0, 1, 4, 16, 20), WASI_EINVAL);
    assert_int_equal(WASI(fx, "sock_shutdown", s, 0), WASI_EINVAL);
    assert_int_equal(WASI(fx, "sock_shutdown", s, 2), 0);
    assert_int_equal(read(sv[1], buf, sizeof buf), 0);
    /* Not a socket, no socket, no right. */
    assert_int_equal(WASI(fx, "sock_send", 1, 0, 1, 0, 16), WASI_ENOTSOCK);
    assert_int_equal(WASI(fx, "sock_recv", 3, 0, 1, 0, 16, 20), WASI_ENOTSOCK);
    assert_int_equal(WASI(fx, "sock_shutdown", 77, 3), WASI_EBADF);
    assert_int_equal(WASI(fx, "sock_accept", 0, 0, 16), WASI_ENOTSOCK);
    assert_int_equal(WASI(fx, "sock_accept", s, 0, 16), WASI_ENOTCAPABLE);
    close(sv[1]);
}

static void test_sock_accept(void **state)
{
    Fixture *fx = *state;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s/sock", fx->dir);
    int lst = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(bind(lst, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(lst, 4), 0);
    uint64_t rights = WASI_RIGHTS_SOCKET;
    uint32_t l = give_socket(fx, lst, rights);
    assert_int_equal(WASI(fx, "sock_accept", l, 1, 16), WASI_EINVAL);
    int cl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(connect(cl, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(WASI(fx, "sock_accept", l, 0, 16), 0);
    uint32_t c = get32(fx, 16);
    assert_int_equal(WASI(fx, "fd_fdstat_get", c, 32), 0);
    assert_int_equal(fx->mem[32], WASI_FILETYPE_SOCKET_STREAM);
    assert_false(get64(fx, 40) & WASI_RIGHT_SOCK_ACCEPT); /* cannot accept in turn */
    assert_true(get64(fx, 40) & WASI_RIGHT_FD_READ);
    assert_int_equal(write(cl, "x", 1), 1);
    put_iov(fx, 0, 2000, 4);
    assert_int_equal(WASI(fx, "fd_read", c, 0, 1, 20), 0);
    assert_int_equal(get32(fx, 20), 1);
    /* Nothing pending and non-blocking: EAGAIN. */
    assert_int_equal(WASI(fx, "fd_fdstat_set_flags", l, WASI_FDFLAG_NONBLOCK), 0);
    assert_int_equal(WASI(fx, "sock_accept", l, 0, 16), WASI_EAGAIN);
    close(cl);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_accessors),
        cmocka_unit_test(test_errno_map),
        cmocka_unit_test(test_handle_table),
        cmocka_unit_test(test_new_errors),
        T(test_attach_layout),
        T(test_args_env),
        T(test_clocks_random),
        T(test_proc),
        T(test_file_io),
        T(test_file_times),
        T(test_iovec_limits),
        T(test_stdio),
        T(test_append_flag),
        T(test_rights_narrowing),
        T(test_readdir_cookies),
        T(test_prestat),
        T(test_renumber_close),
        T(test_poll_clock),
        T(test_poll_fds),
        T(test_interrupt),
        T(test_sockets),
        T(test_sock_accept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
