/*
 * err.h - how errors travel.
 *
 * A fallible function returns b8g_status and fills the caller's b8g_error
 * through err_set() at the point the failure is found, with the byte offset
 * it concerns.  Callers pass the status up unchanged ("if (st) return st;"),
 * never rewriting the message, so what the user reads names the first real
 * cause.  err may be NULL when the caller only wants the code.
 */
#ifndef B8G_UTIL_ERR_H
#define B8G_UTIL_ERR_H

#include "b8g.h"
#include "util/common.h"

B8G_PRINTF(4, 5)
b8g_status err_set(b8g_error *e, b8g_status code, uint64_t off,
                   const char *fmt, ...);
/* Like err_set for a trap: kind's spec text becomes the message. */
b8g_status err_trap(b8g_error *e, b8g_trap_kind kind);
void err_clear(b8g_error *e);

#endif
