/*
 * b8g_abi.h - the component side of the b8g ABI, for C compiled to
 * wasm32 (clang --target=wasm32-wasi).  Each function is an import of the
 * module "b8g"; docs/abi.md is the contract.  Results >= 0 are success
 * (a handle, a count, signals), negative ones are -B8G_E* codes.
 */
#ifndef B8G_ABI_H
#define B8G_ABI_H

#include <stdint.h>

#define B8G_IMPORT(name) __attribute__((import_module("b8g"), import_name(name)))

/* Error codes (negated in results). */
enum {
    B8G_EBADH = 1, B8G_EKIND, B8G_ERIGHTS, B8G_EINVAL, B8G_EFAULT, B8G_EAGAIN,
    B8G_ECLOSED, B8G_ETIMEDOUT, B8G_ELIMIT, B8G_ENOMEM, B8G_EBUSY,
    B8G_ENOTFOUND = 13, /* link: no listening context with that key (12 never reaches guests) */
};

/* Rights. */
#define B8G_R_READ (1u << 0)
#define B8G_R_WRITE (1u << 1)
#define B8G_R_MAP (1u << 2)
#define B8G_R_CALL (1u << 3)
#define B8G_R_DUP (1u << 4)
#define B8G_R_TRANSFER (1u << 5)
#define B8G_R_WAIT (1u << 6)
#define B8G_R_SIGNAL (1u << 7)
#define B8G_R_INSPECT (1u << 8)

/* Signals. */
#define B8G_S_READABLE (1u << 0)
#define B8G_S_WRITABLE (1u << 1)
#define B8G_S_PEER_CLOSED (1u << 2)
#define B8G_S_SIGNALED (1u << 3)

#define B8G_NONBLOCK 1u
#define B8G_FOREVER ((int64_t)-1)

typedef struct b8g_wait_item {
    uint32_t handle, mask, observed;
} b8g_wait_item;

B8G_IMPORT("handle_close") int32_t b8g_handle_close(int32_t h);
B8G_IMPORT("handle_dup") int32_t b8g_handle_dup(int32_t h, uint32_t rights);
B8G_IMPORT("handle_replace") int32_t b8g_handle_replace(int32_t h, uint32_t rights);
B8G_IMPORT("handle_rights") int32_t b8g_handle_rights(int32_t h);
B8G_IMPORT("handle_kind") int32_t b8g_handle_kind(int32_t h);

/* Kinds (handle_kind). */
enum {
    B8G_KIND_EVENT = 1, B8G_KIND_STREAM_READ, B8G_KIND_STREAM_WRITE, B8G_KIND_CHANNEL,
    B8G_KIND_REGION, B8G_KIND_MODULE, B8G_KIND_TASK, B8G_KIND_TIMER, B8G_KIND_FILE,
    B8G_KIND_DIRECTORY,
};

/* A WASI file or directory is a descriptor and a handle at once: these
 * give one name from the other, to send it in a message or pass it to a
 * task, and to use a received one with WASI (its WASI rights travel
 * with it).  -B8G_EKIND for stdio, sockets and the ABI's own objects. */
B8G_IMPORT("fd_handle") int32_t b8g_fd_handle(int32_t fd);
B8G_IMPORT("handle_fd") int32_t b8g_handle_fd(int32_t h);

B8G_IMPORT("event_create") int32_t b8g_event_create(void);
B8G_IMPORT("event_signal") int32_t b8g_event_signal(int32_t h);
B8G_IMPORT("event_clear") int32_t b8g_event_clear(int32_t h);

B8G_IMPORT("wait") int32_t b8g_wait(int32_t h, uint32_t mask, int64_t timeout_ns);
B8G_IMPORT("wait_many") int32_t b8g_wait_many(b8g_wait_item *items, uint32_t n,
                                              int64_t timeout_ns);

B8G_IMPORT("region_create") int32_t b8g_region_create(int64_t size);
B8G_IMPORT("region_size") int64_t b8g_region_size(int32_t h);
B8G_IMPORT("region_read") int32_t b8g_region_read(int32_t h, int64_t off, void *buf,
                                                  uint32_t len);
B8G_IMPORT("region_write") int32_t b8g_region_write(int32_t h, int64_t off, const void *buf,
                                                    uint32_t len);
/* addr and len: multiples of 64 KiB inside this component's memory. */
B8G_IMPORT("region_map") int32_t b8g_region_map(int32_t h, void *addr, uint32_t len);
B8G_IMPORT("region_unmap") int32_t b8g_region_unmap(void *addr, uint32_t len);

/* out[0] = read end, out[1] = write end. */
B8G_IMPORT("stream_create") int32_t b8g_stream_create(uint32_t capacity, int32_t out[2]);
B8G_IMPORT("stream_read") int32_t b8g_stream_read(int32_t h, void *buf, uint32_t len,
                                                  uint32_t flags);
B8G_IMPORT("stream_write") int32_t b8g_stream_write(int32_t h, const void *buf, uint32_t len,
                                                    uint32_t flags);

B8G_IMPORT("channel_create") int32_t b8g_channel_create(int32_t out[2]);
B8G_IMPORT("channel_write") int32_t b8g_channel_write(int32_t h, const void *bytes,
                                                      uint32_t nbytes, const int32_t *handles,
                                                      uint32_t nhandles, uint32_t flags);
/* actual[0] = bytes, actual[1] = handles of the message read (or needed). */
B8G_IMPORT("channel_read") int32_t b8g_channel_read(int32_t h, void *bytes, uint32_t cap,
                                                    int32_t *handles, uint32_t cap_handles,
                                                    uint32_t actual[2], uint32_t flags);

/* Link keys (docs/abi.md): this component's secret 32-byte key; its
 * inbox (a channel read end where links arrive, one message with one
 * channel end each); a link to the listening component with that key. */
#define B8G_LINK_KEY_SIZE 32u
B8G_IMPORT("link_key") int32_t b8g_link_key(uint8_t key[B8G_LINK_KEY_SIZE]);
B8G_IMPORT("link_listen") int32_t b8g_link_listen(void);
B8G_IMPORT("link") int32_t b8g_link(const uint8_t key[B8G_LINK_KEY_SIZE]);

/* Tasks: out = {state, value}; states below. */
#define B8G_TASK_RETURNED 1
#define B8G_TASK_TRAPPED 2
#define B8G_TASK_CANCELLED 3
#define B8G_TASK_FAILED 4
B8G_IMPORT("task_spawn") int32_t b8g_task_spawn(int32_t module, const char *entry,
                                                uint32_t entry_len, const int32_t *handles,
                                                uint32_t nhandles, int64_t fuel);
B8G_IMPORT("task_result") int32_t b8g_task_result(int32_t task, int32_t out[2]);
B8G_IMPORT("task_cancel") int32_t b8g_task_cancel(int32_t task);

/* Timers: SIGNALED delay_ns (> 0) from now, then every period_ns (0:
 * once; else >= 1 ms) until set again, cancelled or acked; ack returns
 * the expirations since the last set, cancel or ack. */
B8G_IMPORT("timer_create") int32_t b8g_timer_create(void);
B8G_IMPORT("timer_set") int32_t b8g_timer_set(int32_t h, int64_t delay_ns, int64_t period_ns);
B8G_IMPORT("timer_cancel") int32_t b8g_timer_cancel(int32_t h);
B8G_IMPORT("timer_ack") int32_t b8g_timer_ack(int32_t h);

#endif
