/*
 * err.c - filling b8g_error, and the status/trap name tables.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

static const char *const status_names[] = {
#define X(name, text, exit) text,
    B8G_STATUS_LIST(X)
#undef X
};

static const int status_exits[] = {
#define X(name, text, exit) exit,
    B8G_STATUS_LIST(X)
#undef X
};

static const char *const trap_names[] = {
#define X(name, text) text,
    B8G_TRAP_LIST(X)
#undef X
};

const char *b8g_status_name(b8g_status st)
{
    if ((unsigned)st >= B8G_STATUS_COUNT) return "unknown status";
    return status_names[st];
}

int b8g_status_exit_code(b8g_status st)
{
    if ((unsigned)st >= B8G_STATUS_COUNT) return 1;
    return status_exits[st];
}

const char *b8g_trap_name(b8g_trap_kind k)
{
    if ((unsigned)k >= B8G_TRAP_COUNT) return "unknown trap";
    return trap_names[k];
}

void err_clear(b8g_error *e)
{
    if (!e) return;
    memset(e, 0, offsetof(b8g_error, frames));
    e->offset = B8G_NO_OFFSET;
    e->func = B8G_NO_FUNC;
    e->msg[0] = 0;
}

b8g_status err_set(b8g_error *e, b8g_status code, uint64_t off,
                   const char *fmt, ...)
{
    if (!e) return code;
    err_clear(e);
    e->code = code;
    e->offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

b8g_status err_trap(b8g_error *e, b8g_trap_kind kind)
{
    b8g_status st = err_set(e, B8G_TRAP, B8G_NO_OFFSET, "%s", b8g_trap_name(kind));
    if (e) e->trap = kind;
    return st;
}

const char *b8g_error_format(const b8g_error *e, char *buf, size_t n)
{
    if (!buf || n == 0) return buf;
    if (!e || e->code == B8G_OK) {
        snprintf(buf, n, "ok");
        return buf;
    }
    size_t used = (size_t)snprintf(buf, n, "%s: %s", b8g_status_name(e->code), e->msg);
    if (used < n && e->offset != B8G_NO_OFFSET)
        used += (size_t)snprintf(buf + used, n - used, " at offset 0x%llx",
                                 (unsigned long long)e->offset);
    if (used < n && e->func != B8G_NO_FUNC)
        snprintf(buf + used, n - used, " (function %u)", e->func);
    return buf;
}
