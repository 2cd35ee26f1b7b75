/*
 * js/driver.h - the parts of qjs.wasm, the JavaScript guest, that share
 * state: driver.c (the runtime, running a script or module, reporting),
 * timers.c (timers on a virtual clock, microtasks, the run loop) and
 * radix.c (Number.prototype.toString with a radix).
 *
 * Lifetime: the runtime and context are made once, by b8g_js_init (a
 * pre-initialisation export, so that `b8g snapshot --init b8g_js_init`
 * can capture them) or by main when no snapshot made them.  Everything a
 * single run adds - scriptArgs, timers, pending rejections, the seed of
 * Math.random - is set up by main, after any restore, never by the init.
 */
#ifndef B8G_JS_DRIVER_H
#define B8G_JS_DRIVER_H

#include <stdbool.h>

#include <quickjs.h>

/* The one runtime and context of the guest (NULL until set up). */
extern JSRuntime *js_rt;
extern JSContext *js_ctx;

/* Prints an uncaught exception or rejection reason to stderr:
 * "Name: message" and the stack for an Error, else PREFIX and the value as
 * console.log shows it. */
void js_report(JSValueConst value, const char *prefix);

/* timers.c: adds setTimeout, setInterval, their clear functions and
 * queueMicrotask to the global object. */
int js_timers_install(JSContext *ctx);
/* Runs promise jobs and timers until none is left (the virtual clock
 * jumping to each timer in turn); false if something was left uncaught,
 * which has been reported. */
bool js_run_loop(void);
/* The promise rejection tracker (JS_SetHostPromiseRejectionTracker). */
void js_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                        JS_BOOL is_handled, void *opaque);

/* radix.c: replaces Number.prototype.toString by one that formats
 * fractions and large numbers in radixes other than 10 (QuickJS
 * 2021-03-27 prints those in decimal). */
int js_radix_install(JSContext *ctx);

#endif
