/*
 * js/driver.c - qjs.wasm: QuickJS as a WASI command, run by `b8g run`.
 *
 *   qjs.wasm [-m|--module] SCRIPT [ARGS...]   evaluate the file SCRIPT
 *   qjs.wasm [-m|--module] -e CODE [ARGS...]  evaluate CODE
 *
 * SCRIPT is an ES module with --module, when it ends in ".mjs", or when
 * it contains top-level import or export (JS_DetectModule); otherwise a
 * classic script.  Imports resolve relative to the importing file and are
 * read with plain stdio, so the sandbox's preopens decide what can be
 * imported.  scriptArgs is [SCRIPT, ARGS...], or [ARGS...] with -e.
 *
 * Globals beyond the language: console (console.js, formatting as node's
 * util.inspect does), print, setTimeout/setInterval and their clear
 * functions on a virtual clock, queueMicrotask (timers.c).  After the
 * script, promise jobs and timers run until none is left.  An uncaught
 * exception or unhandled rejection is printed to stderr and the exit
 * status is 1; otherwise it is 0 (2 for a bad command line).
 *
 * Pre-initialisation: the export b8g_js_init makes the runtime, the
 * context and every built-in, so `b8g snapshot qjs.wasm --init
 * b8g_js_init -o js.b8g` saves them and `b8g run js.b8g SCRIPT` starts
 * with them made.  main makes them only if no init did.  wasm-ld wraps
 * each export of a WASI command, b8g_js_init as well as _start, in calls
 * of the constructors and destructors, so both run twice across a
 * snapshot: wasi-libc's constructor registers the preopened directories
 * (a second run appends the current run's preopens, so the table stays
 * right, at worst listing the image's ones twice) and its destructor
 * flushes stdio (leaving it usable).  Nothing here has a constructor, and
 * everything that belongs to one run (arguments, the seed of
 * Math.random, the stack top) is set by main, never by the init.
 */
#include "driver.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console_js.h" /* generated from js/console.js */

/*
 * The JS stack limit.  QuickJS measures its depth on the C stack, which
 * for wasm32 is the shadow stack in linear memory (sized at link time,
 * QJS_STACK_SIZE in the Makefile, and placed first so that overflowing it
 * traps instead of overwriting data).  The limit leaves a margin below the
 * shadow stack for the C code that runs between two of QuickJS's checks.
 * It also has to trip before b8g's own call stack (--max-stack, 8M by
 * default) is exhausted by the wasm frames of the same recursion.  With
 * the 2 MiB shadow stack, plain recursion stops at about 7200 JS calls
 * and recursion through native frames (Array.prototype.map) at about
 * 2000, both using 3-4 MiB of b8g's stack; b8g's 8M default leaves twice
 * that, and tests/cli/js.sh checks that both end in a catchable error.
 * (Node 20 stops plain recursion at about 14000 calls.)
 */
#ifndef QJS_STACK_SIZE
#error "QJS_STACK_SIZE (the linked shadow stack size) must be defined"
#endif
#define JS_STACK_MARGIN (128 * 1024)
#define JS_STACK_LIMIT (QJS_STACK_SIZE - JS_STACK_MARGIN)

JSRuntime *js_rt;
JSContext *js_ctx;

/* console.js's exports: { inspect(value) }. */
static JSValue console_exports;
/* Math.random's state (xorshift64*), seeded by each run. */
static uint64_t random_state;

typedef struct Options {
    bool module;      /* -m, --module */
    const char *code; /* -e CODE, else NULL */
    const char *file; /* SCRIPT, else NULL */
    int rest;         /* index in argv of the first script argument */
} Options;

/* ---- natives used by console.js and the globals ----------------------- */

/* Writes s to f.  QuickJS encodes a lone surrogate as the three bytes
 * ED A0..BF xx, which is not UTF-8; node writes U+FFFD instead, and so does
 * this (surrogate pairs arrive already combined into four-byte sequences). */
static void write_utf8(FILE *f, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i + 2 < len; i++) {
        unsigned char c0 = (unsigned char)s[i], c1 = (unsigned char)s[i + 1];
        if (c0 == 0xED && c1 >= 0xA0 && c1 <= 0xBF) {
            fwrite(s + start, 1, i - start, f);
            fputs("\xEF\xBF\xBD", f);
            i += 2;
            start = i + 1;
        }
    }
    fwrite(s + start, 1, len - start, f);
}

/* write(fd, string): fd 1 is stdout, anything else stderr. */
static JSValue native_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    int fd = 1;
    size_t len;
    if (argc < 2 || JS_ToInt32(ctx, &fd, argv[0]))
        return JS_EXCEPTION;
    const char *s = JS_ToCStringLen(ctx, &len, argv[1]);
    if (!s)
        return JS_EXCEPTION;
    if (fd == 1) {
        write_utf8(stdout, s, len);
    } else {
        fflush(stdout); /* keep the two streams in order on a terminal */
        write_utf8(stderr, s, len);
    }
    JS_FreeCString(ctx, s);
    return JS_UNDEFINED;
}

static JSValue native_is_error(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    return JS_NewBool(ctx, argc > 0 && JS_IsError(ctx, argv[0]));
}

static JSValue js_math_random(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    uint64_t x = random_state * 0x2545f4914f6cdd1dull;
    return JS_NewFloat64(ctx, (double)(x >> 11) * 0x1.0p-53);
}

/* A snapshot would otherwise hand every run of an image the sequence that
 * QuickJS seeded from the clock at init time. */
static void seed_random(void)
{
    if (getentropy(&random_state, sizeof random_state) != 0 || random_state == 0)
        random_state = 0x9e3779b97f4a7c15ull;
}

/* ---- setting up the runtime ------------------------------------------- */

static int set_function(JSContext *ctx, JSValueConst obj, const char *name, JSCFunction *fn,
                        int length)
{
    return JS_SetPropertyStr(ctx, obj, name, JS_NewCFunction(ctx, fn, name, length));
}

/* Runs console.js, a function expression taking the natives; it defines
 * console and print and returns { inspect }. */
static int install_console(JSContext *ctx)
{
    JSValue fn = JS_Eval(ctx, (const char *)b8g_console_js, b8g_console_js_len, "<console>",
                         JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
    if (JS_IsException(fn))
        return -1;
    JSValue natives = JS_NewObject(ctx);
    if (set_function(ctx, natives, "write", native_write, 2) < 0 ||
        set_function(ctx, natives, "isError", native_is_error, 1) < 0) {
        JS_FreeValue(ctx, natives);
        JS_FreeValue(ctx, fn);
        return -1;
    }
    JSValue ret = JS_Call(ctx, fn, JS_UNDEFINED, 1, (JSValueConst *)&natives);
    JS_FreeValue(ctx, natives);
    JS_FreeValue(ctx, fn);
    if (JS_IsException(ret))
        return -1;
    console_exports = ret;
    return 0;
}

static int install_random(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue math = JS_GetPropertyStr(ctx, global, "Math");
    int r = JS_IsException(math) ? -1 : set_function(ctx, math, "random", js_math_random, 0);
    JS_FreeValue(ctx, math);
    JS_FreeValue(ctx, global);
    return r;
}

static JSModuleDef *load_module(JSContext *ctx, const char *name, void *opaque);

/* Makes the runtime, the context and every global the driver adds. */
static bool setup(void)
{
    JSRuntime *rt = JS_NewRuntime();
    if (!rt)
        return false;
    JS_SetMaxStackSize(rt, JS_STACK_LIMIT);
    JS_SetModuleLoaderFunc(rt, NULL, load_module, NULL);
    JS_SetHostPromiseRejectionTracker(rt, js_track_rejection, NULL);
    JSContext *ctx = JS_NewContext(rt);
    if (!ctx) {
        JS_FreeRuntime(rt);
        return false;
    }
    js_rt = rt;
    js_ctx = ctx;
    if (install_console(ctx) < 0 || js_timers_install(ctx) < 0 || install_random(ctx) < 0 ||
        js_radix_install(ctx) < 0) {
        JSValue exc = JS_GetException(ctx);
        const char *s = JS_ToCString(ctx, exc);
        fprintf(stderr, "qjs: setting up the globals failed: %s\n", s ? s : "?");
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, exc);
        js_ctx = NULL;
        js_rt = NULL;
        return false; /* the half-made runtime is left to the process's end */
    }
    return true;
}

/*
 * What nearly every script does once - compile and call, build objects
 * and arrays, format values as console.log does, throw and catch, await -
 * run by the init alone, so that `b8g snapshot --code` stores the
 * translated code of those paths with the image and a run starts without
 * translating them.  It prints nothing, reads no clock or entropy, and
 * leaves nothing reachable behind (a collection follows).
 */
static const char warm_up_js[] =
    "(inspect) => {\n"
    "  class Point { #x; constructor(x, y) { this.#x = x; this.y = y; } get x() { return this.#x; } }\n"
    "  const values = [0, 1, -1.5, 2 ** 53, NaN, 'text', `t${1}`, true, null, undefined, 10n,\n"
    "    [1, 'two', [3]], { a: 1, b: { c: [2, 3] } }, new Point(1, 2), new Map([[1, 'a']]),\n"
    "    new Set([1]), Symbol('s'), /a(?<n>b)/gu, new Date(0), new Uint8Array(2), () => 1,\n"
    "    Point, Promise.resolve(1), new Error('e')];\n"
    "  for (const v of values) inspect(v);\n"
    "  const o = JSON.parse(JSON.stringify({ k: [1, 2.5, 'x', { y: null }] }));\n"
    "  const s = [3, 1, 2].sort((p, q) => p - q).map((n) => n * 2).filter(Boolean).join(',');\n"
    "  inspect([o, s, 'a-b'.split('-'), 'abc'.replace(/b/, 'x'), (12.5).toFixed(1), parseInt('7'),\n"
    "    Object.keys(o), Object.entries(o), [...'ab'], { ...o }, Math.max(1, 2), String(1.5)]);\n"
    "  try { null.x; } catch (e) { inspect(e); inspect(e.stack); }\n"
    "  (async () => { for await (const v of [1]) inspect(await v); })();\n"
    "}\n";

static void report_pending_exception(void);

static void warm_up(void)
{
    JSValue fn = JS_Eval(js_ctx, warm_up_js, sizeof warm_up_js - 1, "<warm-up>",
                         JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
    JSValue inspect = JS_GetPropertyStr(js_ctx, console_exports, "inspect");
    JSValue ret = JS_IsException(fn) ? JS_EXCEPTION
                                     : JS_Call(js_ctx, fn, JS_UNDEFINED, 1, (JSValueConst *)&inspect);
    JS_FreeValue(js_ctx, inspect);
    JS_FreeValue(js_ctx, fn);
    if (JS_IsException(ret)) {
        report_pending_exception();
        exit(1);
    }
    JS_FreeValue(js_ctx, ret);
    JSContext *job_ctx;
    while (JS_ExecutePendingJob(js_rt, &job_ctx) > 0) {
    }
    JS_RunGC(js_rt);
}

/* The pre-initialisation export (see the top of the file). */
__attribute__((export_name("b8g_js_init"))) void b8g_js_init(void)
{
    if (!js_ctx && !setup())
        exit(1);
    warm_up();
}

/* ---- reporting -------------------------------------------------------- */

/* console.log's rendering of value, or NULL (no exception left pending). */
static const char *inspect_cstring(JSValueConst value)
{
    JSValue fn = JS_GetPropertyStr(js_ctx, console_exports, "inspect");
    JSValue s = JS_Call(js_ctx, fn, JS_UNDEFINED, 1, &value);
    JS_FreeValue(js_ctx, fn);
    if (JS_IsException(s)) {
        JS_FreeValue(js_ctx, JS_GetException(js_ctx));
        return NULL;
    }
    const char *c = JS_ToCString(js_ctx, s);
    JS_FreeValue(js_ctx, s);
    if (!c)
        JS_FreeValue(js_ctx, JS_GetException(js_ctx));
    return c;
}

/* "Name: message", then QuickJS's stack ("    at f (file.js:3)" lines). */
static void report_error(JSValueConst err)
{
    const char *head = JS_ToCString(js_ctx, err); /* Error.prototype.toString */
    if (!head)
        JS_FreeValue(js_ctx, JS_GetException(js_ctx));
    fprintf(stderr, "%s\n", head ? head : "Error");
    JS_FreeCString(js_ctx, head);
    JSValue stack = JS_GetPropertyStr(js_ctx, err, "stack");
    if (JS_IsString(stack)) {
        const char *s = JS_ToCString(js_ctx, stack);
        if (s) {
            size_t n = strlen(s);
            fprintf(stderr, "%s%s", s, n && s[n - 1] != '\n' ? "\n" : "");
        }
        JS_FreeCString(js_ctx, s);
    } else if (JS_IsException(stack)) {
        JS_FreeValue(js_ctx, JS_GetException(js_ctx));
    }
    JS_FreeValue(js_ctx, stack);
}

void js_report(JSValueConst value, const char *prefix)
{
    fflush(stdout);
    if (JS_IsError(js_ctx, value)) {
        report_error(value);
    } else {
        const char *s = inspect_cstring(value);
        fprintf(stderr, "%s%s\n", prefix, s ? s : "(a value that cannot be shown)");
        JS_FreeCString(js_ctx, s);
    }
    fflush(stderr);
}

static void report_pending_exception(void)
{
    JSValue exc = JS_GetException(js_ctx);
    js_report(exc, "Uncaught ");
    JS_FreeValue(js_ctx, exc);
}

/* ---- files and modules ------------------------------------------------ */

/* The whole file, NUL-terminated (JS_Eval wants that), or NULL with errno. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f) || feof(f))
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            errno = ENOMEM;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = !buf || ferror(f);
    int saved = failed && buf ? EIO : errno;
    fclose(f);
    if (failed) {
        free(buf);
        errno = saved;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* import.meta.url and import.meta.main, as node has them. */
static int set_import_meta(JSContext *ctx, JSValueConst module_fn, const char *name, bool main)
{
    JSModuleDef *m = JS_VALUE_GET_PTR(module_fn);
    JSValue meta = JS_GetImportMeta(ctx, m);
    if (JS_IsException(meta))
        return -1;
    size_t len = strlen(name) + sizeof "file://";
    char *url = malloc(len);
    int r = -1;
    if (url) {
        snprintf(url, len, "%s%s", name[0] == '/' ? "file://" : "", name);
        r = JS_SetPropertyStr(ctx, meta, "url", JS_NewString(ctx, url));
        free(url);
    }
    if (r >= 0)
        r = JS_SetPropertyStr(ctx, meta, "main", JS_NewBool(ctx, main));
    JS_FreeValue(ctx, meta);
    return r;
}

/* QuickJS's module loader: NAME is already resolved against the importing
 * module's path by QuickJS's default normaliser. */
static JSModuleDef *load_module(JSContext *ctx, const char *name, void *opaque)
{
    (void)opaque;
    size_t len;
    char *src = read_file(name, &len);
    if (!src) {
        JS_ThrowReferenceError(ctx, "cannot load module '%s': %s", name, strerror(errno));
        return NULL;
    }
    JSValue fn = JS_Eval(ctx, src, len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    free(src);
    if (JS_IsException(fn))
        return NULL;
    if (set_import_meta(ctx, fn, name, false) < 0) {
        JS_FreeValue(ctx, fn);
        return NULL;
    }
    JSModuleDef *m = JS_VALUE_GET_PTR(fn);
    JS_FreeValue(ctx, fn); /* the runtime keeps the module */
    return m;
}

/* Compiles and runs SRC (NUL-terminated at len); false if it threw, which
 * has been reported. */
static bool eval_source(const char *src, size_t len, const char *name, bool module)
{
    JSValue v;
    if (module) {
        v = JS_Eval(js_ctx, src, len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
        if (!JS_IsException(v) && set_import_meta(js_ctx, v, name, true) < 0) {
            JS_FreeValue(js_ctx, v);
            v = JS_EXCEPTION;
        }
        if (!JS_IsException(v))
            v = JS_EvalFunction(js_ctx, v);
    } else {
        v = JS_Eval(js_ctx, src, len, name, JS_EVAL_TYPE_GLOBAL);
    }
    if (JS_IsException(v)) {
        report_pending_exception();
        return false;
    }
    JS_FreeValue(js_ctx, v);
    return true;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool run_file(const char *path, bool module)
{
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "qjs: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    module = module || has_suffix(path, ".mjs") || JS_DetectModule(src, len);
    bool ok = eval_source(src, len, path, module);
    free(src);
    return ok;
}

/* ---- the command line ------------------------------------------------- */

static void usage(void)
{
    fputs("usage: qjs.wasm [-m|--module] SCRIPT [ARGS...]\n"
          "       qjs.wasm [-m|--module] -e CODE [ARGS...]\n",
          stderr);
}

static bool parse_args(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-m") || !strcmp(a, "--module")) {
            o->module = true;
        } else if (!strcmp(a, "-e") || !strcmp(a, "--eval")) {
            if (++i == argc)
                return false;
            o->code = argv[i];
            o->rest = i + 1;
            return true;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else {
            fprintf(stderr, "qjs: unknown option %s\n", a);
            return false;
        }
    }
    if (i == argc)
        return false;
    o->file = argv[i];
    o->rest = i; /* scriptArgs[0] is the script itself */
    return true;
}

static int set_script_args(int argc, char **argv, int first)
{
    JSValue arr = JS_NewArray(js_ctx);
    if (JS_IsException(arr))
        return -1;
    for (int i = first; i < argc; i++)
        if (JS_SetPropertyUint32(js_ctx, arr, (uint32_t)(i - first), JS_NewString(js_ctx, argv[i])) < 0) {
            JS_FreeValue(js_ctx, arr);
            return -1;
        }
    JSValue global = JS_GetGlobalObject(js_ctx);
    int r = JS_SetPropertyStr(js_ctx, global, "scriptArgs", arr);
    JS_FreeValue(js_ctx, global);
    return r;
}

int main(int argc, char **argv)
{
    Options o;
    if (!parse_args(argc, argv, &o)) {
        usage();
        return 2;
    }
    if (!js_ctx && !setup()) {
        fprintf(stderr, "qjs: cannot create the JavaScript runtime\n");
        return 1;
    }
    /* A runtime made by b8g_js_init measured its stack from that call. */
    JS_UpdateStackTop(js_rt);
    seed_random();
    if (set_script_args(argc, argv, o.rest) < 0) {
        report_pending_exception();
        return 1;
    }
    bool ok = o.code ? eval_source(o.code, strlen(o.code), "<cmdline>", o.module)
                     : run_file(o.file, o.module);
    if (ok)
        ok = js_run_loop();
    /* The runtime is not freed: the process ends here, and freeing every
     * object would only cost time. */
    return ok ? 0 : 1;
}
