/*
 * host.c - a program embedding b8g: it starts a component through the
 * canonical entry b8g_main(shared, private, callback) and follows it on
 * the callback channel until it ends.
 *
 *   host COMPONENT.wasm [TEXT-FILE]        (default: the text on stdin)
 *
 * The text goes into a shared region (a u32 length, then the bytes); the
 * component (examples/components/worker.c) reports on the callback.  The
 * host never blocks anywhere but in b8g_wait, on the callback and the task
 * together, and gives the component 10 seconds before cancelling it.
 * Exit status: 0 when the component returned 0, else 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"

#define REGION_ALIGN (64u << 10)
#define MAX_TEXT ((64u << 20) - 4)
#define DEADLINE_NS 10000000000ull

static uint8_t *read_all(FILE *f, size_t limit, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *more = cap < limit + 1 ? realloc(buf, cap * 2) : NULL;
            if (!more) break;
            buf = more;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            *len = n;
            return buf;
        }
    }
    free(buf);
    return NULL;
}

static uint8_t *read_path(const char *path, size_t limit, size_t *len)
{
    FILE *f = path ? fopen(path, "rb") : stdin;
    if (!f) {
        perror(path);
        return NULL;
    }
    uint8_t *data = read_all(f, limit, len);
    if (f != stdin) fclose(f);
    if (!data) fprintf(stderr, "host: cannot read %s (at most %zu bytes)\n", path ? path : "stdin", limit);
    return data;
}

/* A region holding {len u32, text}. */
static b8g_object *shared_text(const uint8_t *text, size_t len)
{
    uint64_t size = ((uint64_t)len + 4 + REGION_ALIGN - 1) / REGION_ALIGN * REGION_ALIGN;
    b8g_object *r;
    b8g_error err;
    uint32_t n = (uint32_t)len;
    if (b8g_region_new(size, &r, &err) || b8g_region_write(r, 0, &n, 4, &err) ||
        b8g_region_write(r, 4, text, len, &err)) {
        fprintf(stderr, "host: %s\n", err.msg);
        return NULL;
    }
    return r;
}

/* Prints every message queued on the callback; false once it is closed
 * and empty.  A message is at most 64 KiB, so each one fits. */
static bool drain(b8g_object *callback)
{
    static char msg[(64u << 10) + 1];
    for (;;) {
        size_t n = 0;
        uint32_t nobj;
        b8g_error err;
        b8g_status st = b8g_channel_read(callback, msg, sizeof msg - 1, &n, NULL, 0, &nobj, &err);
        if (st == B8G_LIMIT) return true; /* nothing queued now */
        if (st) return false;             /* closed and empty */
        printf("component: %.*s\n", (int)n, msg);
    }
}

static int follow(b8g_object *task, b8g_object *callback)
{
    bool open = true, ended = false, cancelled = false;
    while (open || !ended) {
        b8g_wait_item items[2];
        uint32_t n = 0;
        if (open) items[n++] = (b8g_wait_item){callback, B8G_SIGNAL_READABLE | B8G_SIGNAL_PEER_CLOSED, 0};
        if (!ended) items[n++] = (b8g_wait_item){task, B8G_SIGNAL_SIGNALED, 0};
        b8g_error err;
        if (b8g_wait(items, n, DEADLINE_NS, &err) == B8G_LIMIT) {
            if (cancelled) break; /* cannot happen: a cancel ends a task */
            fprintf(stderr, "host: no word from the component in 10 s; cancelling it\n");
            b8g_task_cancel(task);
            cancelled = true;
            continue;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (!items[i].observed) continue;
            if (items[i].object == callback) open = drain(callback);
            else ended = true;
        }
    }
    int32_t value;
    b8g_error why;
    switch (b8g_task_result(task, &value, &why)) {
    case B8G_TASK_RETURNED:
        printf("host: the component returned %d\n", value);
        return value != 0;
    case B8G_TASK_CANCELLED:
        printf("host: the component was cancelled\n");
        return 1;
    default: {
        char line[512];
        printf("host: the component failed: %s\n", b8g_error_format(&why, line, sizeof line));
        return 1;
    }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: host COMPONENT.wasm [TEXT-FILE]\n");
        return 2;
    }
    size_t wasm_len, text_len;
    uint8_t *wasm = read_path(argv[1], 64u << 20, &wasm_len);
    uint8_t *text = wasm ? read_path(argc > 2 ? argv[2] : NULL, MAX_TEXT, &text_len) : NULL;
    b8g_module *m = NULL;
    b8g_error err;
    if (text && b8g_module_load(wasm, wasm_len, &m, &err)) {
        char line[512];
        fprintf(stderr, "host: %s\n", b8g_error_format(&err, line, sizeof line));
    }
    if (!m) {
        free(text);
        free(wasm);
        return 2;
    }
    b8g_object *shared = shared_text(text, text_len), *task, *callback;
    int rc = 2;
    /* The component's own limits: 64 MiB of memory on top of the region. */
    b8g_config cfg = {.max_memory_pages = 2048};
    if (shared && b8g_main_start(m, shared, B8G_RIGHT_READ | B8G_RIGHT_WRITE | B8G_RIGHT_MAP |
                                                B8G_RIGHT_INSPECT,
                                 REGION_ALIGN, &cfg, &task, &callback, &err) == B8G_OK) {
        rc = follow(task, callback);
        b8g_object_release(callback);
        b8g_object_release(task);
    } else if (shared) {
        fprintf(stderr, "host: %s\n", err.msg);
    }
    b8g_object_release(shared);
    b8g_module_free(m);
    free(text);
    free(wasm);
    return rc;
}
