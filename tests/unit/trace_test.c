/*
 * trace_test.c - host call tracing: the JSON text of records (escaping of
 * whatever bytes a guest controls, bounds, snprintf-like lengths), the
 * decoding of arguments and results by role (bad pointers, huge lengths
 * and counts, the "b8g" ABI's errors and handles, unknown functions
 * shown raw), and the engine's side: every host call reaches the
 * tracer, nested ones too, traps included, and none once it is off.
 *
 * Every line produced is checked to be one valid JSON object in valid
 * UTF-8 with no raw control character, by a small strict validator below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"
#include "mbuild.h"
#include "rt/store.h"
#include "trace/buf.h"
#include "trace/describe.h"

/* ---- a strict JSON validator ------------------------------------------- */

typedef struct Json {
    const unsigned char *p, *end;
} Json;

static void ws(Json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t')) j->p++;
}

static bool lit(Json *j, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0) return false;
    j->p += n;
    return true;
}

static bool hex4(Json *j)
{
    for (int i = 0; i < 4; i++, j->p++)
        if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p)) return false;
    return true;
}

static bool string(Json *j)
{
    if (!lit(j, "\"")) return false;
    while (j->p < j->end) {
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c < 0x20) return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end) return false;
            c = *j->p++;
            if (c == 'u') {
                if (!hex4(j)) return false;
            } else if (!strchr("\"\\/bfnrt", c)) {
                return false;
            }
            continue;
        }
        size_t n = tb_utf8_len(j->p, (size_t)(j->end - j->p));
        if (!n) return false;
        j->p += n;
    }
    return false;
}

static bool number(Json *j)
{
    const unsigned char *s = j->p;
    if (j->p < j->end && *j->p == '-') j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') return false;
    while (j->p < j->end && strchr("0123456789.eE+-", *j->p)) j->p++;
    return j->p > s;
}

static bool value(Json *j, int depth);

static bool members(Json *j, int depth, char close, bool keyed)
{
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        ws(j);
        if (keyed) {
            if (!string(j)) return false;
            ws(j);
            if (!lit(j, ":")) return false;
        }
        if (!value(j, depth + 1)) return false;
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        return j->p < j->end && *j->p++ == (unsigned char)close;
    }
}

static bool value(Json *j, int depth)
{
    ws(j);
    if (depth > 16 || j->p >= j->end) return false;
    switch (*j->p) {
    case '{': j->p++; return members(j, depth, '}', true);
    case '[': j->p++; return members(j, depth, ']', false);
    case '"': return string(j);
    case 't': return lit(j, "true");
    case 'f': return lit(j, "false");
    case 'n': return lit(j, "null");
    default: return number(j);
    }
}

/* s is exactly one JSON object. */
static bool is_json_object(const char *s)
{
    Json j = {(const unsigned char *)s, (const unsigned char *)s + strlen(s)};
    ws(&j);
    if (j.p >= j.end || *j.p != '{' || !value(&j, 0)) return false;
    ws(&j);
    return j.p == j.end;
}

#define assert_json(s)                                                        \
    do {                                                                      \
        if (!is_json_object(s)) fail_msg("not one JSON object: %s", s);       \
    } while (0)

/* ---- the text buffer ---------------------------------------------------- */

static const char *escaped(const void *s, size_t n, size_t shown)
{
    static char out[4096];
    TraceBuf b = tb_init(out, sizeof out);
    tb_string(&b, s, n, shown);
    assert_true(tb_fits(&b));
    return out;
}

static void test_escape(void **state)
{
    (void)state;
    assert_string_equal(escaped("plain/path.txt", 14, 256), "\"plain/path.txt\"");
    assert_string_equal(escaped("a\"b\\c", 5, 256), "\"a\\\"b\\\\x5cc\"");
    assert_string_equal(escaped("\n\r\t\x01\x1b\x7f", 6, 256),
                        "\"\\n\\r\\t\\u0001\\u001b\\u007f\"");
    assert_string_equal(escaped("\0x", 2, 256), "\"\\u0000x\"");
    /* valid UTF-8 stays, C1 controls and the JS line separators do not */
    assert_string_equal(escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, 256),
                        "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    assert_string_equal(escaped("\xc2\x85\xe2\x80\xa8\xe2\x80\xa9", 8, 256),
                        "\"\\u0085\\u2028\\u2029\"");
    /* not UTF-8: lone bytes, overlong forms, surrogates, past U+10FFFF,
     * a sequence cut short; each bad byte on its own */
    assert_string_equal(escaped("\xff\xfe\x80", 3, 256), "\"\\\\xff\\\\xfe\\\\x80\"");
    assert_string_equal(escaped("\xc0\x80", 2, 256), "\"\\\\xc0\\\\x80\"");
    assert_string_equal(escaped("\xed\xa0\x80", 3, 256), "\"\\\\xed\\\\xa0\\\\x80\"");
    assert_string_equal(escaped("\xf4\x90\x80\x80", 4, 256),
                        "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"");
    assert_string_equal(escaped("\xe2\x82", 2, 256), "\"\\\\xe2\\\\x82\"");
    assert_string_equal(escaped("\xe2\x82x", 3, 256), "\"\\\\xe2\\\\x82x\"");
    /* bounded: `shown` bytes, then the marker */
    assert_string_equal(escaped("abcdef", 6, 4), "\"abcd\xe2\x80\xa6\"");
    assert_string_equal(escaped("abcd", 4, 4), "\"abcd\"");
    /* a cut through a character leaves its first bytes as bad bytes */
    assert_string_equal(escaped("\xe2\x82\xac", 3, 2), "\"\\\\xe2\\\\x82\xe2\x80\xa6\"");
}

/* Every byte value, and random strings, give a JSON string. */
static void test_escape_any_bytes(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++) all[i] = (uint8_t)i;
    char obj[4200];
    snprintf(obj, sizeof obj, "{\"s\":%s}", escaped(all, 256, 256));
    assert_json(obj);
    uint32_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        uint8_t s[64];
        size_t n = (size_t)(round % 64);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = (uint8_t)(seed >> 16);
        }
        snprintf(obj, sizeof obj, "{\"s\":%s}", escaped(s, n, 1 + round % 40));
        assert_json(obj);
    }
}

static void test_buf_bounds(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    TraceBuf b = tb_init(buf, 8);
    tb_puts(&b, "0123456789");
    assert_int_equal(b.len, 10);
    assert_false(tb_fits(&b));
    assert_string_equal(buf, "0123456");
    assert_int_equal(buf[8], 'Z'); /* nothing past cap */
    TraceBuf none = tb_init(NULL, 0);
    tb_puts(&none, "abc");
    assert_int_equal(none.len, 3);
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct Mem {
    uint8_t bytes[65536];
    TraceView v;
} Mem;

static Mem *mem_new(void)
{
    Mem *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->v = (TraceView){m->bytes, sizeof m->bytes, NULL};
    return m;
}

static void put32(Mem *m, uint32_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++) m->bytes[at + i] = (uint8_t)(v >> (8 * i));
}

static const TraceFunc *find(const char *module, const char *name, const char *sig,
                             TraceFamily *fam)
{
    const TraceFunc *f = trace_find(module, name, sig, fam);
    assert_non_null(f);
    return f;
}

static char args_text[8192];

static const char *args_of(const TraceFunc *f, const char *sig, Mem *m, const uint64_t *a)
{
    TraceBuf b = tb_init(args_text, sizeof args_text);
    trace_describe_args(f, sig, &m->v, a, &b);
    assert_true(tb_fits(&b));
    assert_json(args_text);
    return args_text;
}

static char ret_text[8192], result_text[300];

/* The "ret" of a call that returned results[0]. */
static const char *ret_of(const TraceFunc *f, TraceFamily fam, const char *sig, Mem *m,
                          const uint64_t *a, uint64_t result, bool *failed)
{
    uint64_t res[1] = {result};
    TraceOutcome o = {B8G_OK, NULL, res};
    TraceBuf b = tb_init(ret_text, sizeof ret_text);
    bool f_ = trace_describe_result(f, fam, sig, &m->v, a, &o, result_text,
                                    sizeof result_text, &b);
    if (failed) *failed = f_;
    assert_true(tb_fits(&b));
    assert_json(ret_text);
    return ret_text;
}

static void test_paths(void **state)
{
    (void)state;
    Mem *m = mem_new();
    TraceFamily fam;
    const TraceFunc *f = find("wasi_snapshot_preview1", "path_unlink_file", "iii:i", &fam);
    assert_int_equal(fam, TRACE_WASI);
    memcpy(m->bytes + 100, "dir/\"x\"\n", 8);
    assert_string_equal(args_of(f, "iii:i", m, (uint64_t[]){3, 100, 8}),
                        "{\"fd\":3,\"path\":\"dir/\\\"x\\\"\\n\"}");
    /* beyond memory, and straddling its end */
    assert_string_equal(args_of(f, "iii:i", m, (uint64_t[]){3, 0xfffffff0u, 4}),
                        "{\"fd\":3,\"path\":\"<bad pointer>\"}");
    assert_string_equal(args_of(f, "iii:i", m, (uint64_t[]){3, 65534, 4}),
                        "{\"fd\":3,\"path\":\"<bad pointer>\"}");
    /* a 4 GiB length: the first bytes, the marker and the length */
    memset(m->bytes, 'p', 300);
    const char *s = args_of(f, "iii:i", m, (uint64_t[]){3, 0, 0xffffffffu});
    assert_non_null(strstr(s, "\"path_len\":4294967295"));
    assert_non_null(strstr(s, "pppp\xe2\x80\xa6\""));
    /* an empty path at the very end of memory is fine */
    assert_string_equal(args_of(f, "iii:i", m, (uint64_t[]){3, 65536, 0}),
                        "{\"fd\":3,\"path\":\"\"}");
    /* the worst case of two paths fits the frame's buffer */
    memset(m->bytes, 0x01, 600);
    const TraceFunc *ren = find("wasi_snapshot_preview1", "path_rename", "iiiiii:i", &fam);
    char big[4096];
    TraceBuf b = tb_init(big, sizeof big);
    trace_describe_args(ren, "iiiiii:i", &m->v, (uint64_t[]){3, 0, 600, 3, 0, 600}, &b);
    assert_true(tb_fits(&b));
    assert_json(big);
    free(m);
}

static void test_iovecs(void **state)
{
    (void)state;
    Mem *m = mem_new();
    TraceFamily fam;
    const char *sig = "iiii:i";
    const TraceFunc *w = find("wasi_snapshot_preview1", "fd_write", sig, &fam);
    memcpy(m->bytes + 1000, "hello\xff", 6);
    put32(m, 0, 1000); put32(m, 4, 3);    /* "hel" */
    put32(m, 8, 1003); put32(m, 12, 3);   /* "lo\xff" */
    assert_string_equal(args_of(w, sig, m, (uint64_t[]){1, 0, 2, 500}),
                        "{\"fd\":1,\"iovs\":2,\"bytes\":6,\"preview\":\"hello\\\\xff\"}");
    /* 2^31 iovecs are not read; nor an array beyond memory */
    assert_string_equal(args_of(w, sig, m, (uint64_t[]){1, 0, 0x80000000u, 500}),
                        "{\"fd\":1,\"iovs\":2147483648,\"bytes\":\"<not read>\"}");
    assert_string_equal(args_of(w, sig, m, (uint64_t[]){1, 65532, 1, 500}),
                        "{\"fd\":1,\"iovs\":1,\"bytes\":\"<bad pointer>\"}");
    /* a buffer beyond memory: the sum still, no preview */
    put32(m, 16, 0xfffffff0u); put32(m, 20, 0xffffffffu);
    assert_string_equal(args_of(w, sig, m, (uint64_t[]){1, 16, 1, 500}),
                        "{\"fd\":1,\"iovs\":1,\"bytes\":4294967295,\"preview\":\"<bad pointer>\"}");
    /* 1024 buffers of 4 GiB - 1 add up without overflow */
    for (uint32_t i = 0; i < 1024; i++) {
        put32(m, 8192 + 8 * i, 1000);
        put32(m, 8192 + 8 * i + 4, 0xffffffffu);
    }
    const char *s = args_of(w, sig, m, (uint64_t[]){1, 8192, 1024, 500});
    assert_non_null(strstr(s, "\"bytes\":4398046510080,"));
    /* a long write is previewed at TRACE_PREVIEW bytes */
    memset(m->bytes + 2000, 'w', 100);
    put32(m, 24, 2000); put32(m, 28, 100);
    s = args_of(w, sig, m, (uint64_t[]){1, 24, 1, 500});
    assert_non_null(strstr(s, "\"preview\":\"wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww\xe2\x80\xa6\""));

    /* fd_read: what was read, as many bytes as nread says */
    const TraceFunc *r = find("wasi_snapshot_preview1", "fd_read", sig, &fam);
    memcpy(m->bytes + 3000, "abc\n\x1b", 5);
    put32(m, 32, 3000); put32(m, 36, 64);
    put32(m, 40, 5);
    bool failed = true;
    assert_string_equal(ret_of(r, fam, sig, m, (uint64_t[]){0, 32, 1, 40}, 0, &failed),
                        "{\"nread\":5,\"preview\":\"abc\\n\\u001b\"}");
    assert_false(failed);
    assert_string_equal(result_text, "ESUCCESS");
    /* nread beyond memory after the call */
    assert_string_equal(ret_of(r, fam, sig, m, (uint64_t[]){0, 32, 1, 65535}, 0, NULL),
                        "{\"nread\":\"<bad pointer>\"}");
    /* a failure shows no outputs */
    assert_string_equal(ret_of(r, fam, sig, m, (uint64_t[]){0, 32, 1, 40}, 8, &failed), "{}");
    assert_true(failed);
    assert_string_equal(result_text, "EBADF");
    ret_of(r, fam, sig, m, (uint64_t[]){0, 32, 1, 40}, 999, NULL);
    assert_string_equal(result_text, "errno 999");
    free(m);
}

static void test_abi_values(void **state)
{
    (void)state;
    Mem *m = mem_new();
    TraceFamily fam;
    const TraceFunc *sw = find("b8g", "stream_write", "iiii:i", &fam);
    assert_int_equal(fam, TRACE_ABI);
    memcpy(m->bytes + 100, "ab\"\xc3", 4);
    assert_string_equal(args_of(sw, "iiii:i", m, (uint64_t[]){77, 100, 4, 1}),
                        "{\"h\":77,\"bytes\":4,\"preview\":\"ab\\\"\\\\xc3\",\"flags\":\"0x1\"}");
    bool failed;
    assert_string_equal(ret_of(sw, fam, "iiii:i", m, (uint64_t[]){77, 100, 4, 1}, 4, &failed),
                        "{\"count\":4}");
    assert_false(failed);
    assert_string_equal(result_text, "ok");
    /* negative results are the ABI's error names */
    assert_string_equal(ret_of(sw, fam, "iiii:i", m, (uint64_t[]){77, 100, 4, 1},
                               (uint32_t)-1, &failed), "{}");
    assert_true(failed);
    assert_string_equal(result_text, "EBADH");
    ret_of(sw, fam, "iiii:i", m, (uint64_t[]){77, 100, 4, 1}, (uint32_t)-13, NULL);
    assert_string_equal(result_text, "ENOTFOUND");
    ret_of(sw, fam, "iiii:i", m, (uint64_t[]){77, 100, 4, 1}, (uint32_t)INT32_MIN, NULL);
    assert_string_equal(result_text, "error -2147483648");
    /* stream_read: the preview is as long as the result says */
    const TraceFunc *sr = find("b8g", "stream_read", "iiii:i", &fam);
    memcpy(m->bytes + 200, "xyzw", 4);
    assert_string_equal(ret_of(sr, fam, "iiii:i", m, (uint64_t[]){5, 200, 64, 0}, 3, NULL),
                        "{\"count\":3,\"preview\":\"xyz\"}");
    /* region_size is i64 */
    const TraceFunc *rs = find("b8g", "region_size", "i:I", &fam);
    ret_of(rs, fam, "i:I", m, (uint64_t[]){5}, (uint64_t)-3, &failed);
    assert_string_equal(result_text, "ERIGHTS");
    assert_string_equal(ret_of(rs, fam, "i:I", m, (uint64_t[]){5}, 1ull << 32, NULL),
                        "{\"size\":4294967296}");
    /* out pairs */
    const TraceFunc *cc = find("b8g", "channel_create", "i:i", &fam);
    put32(m, 300, 11); put32(m, 304, 12);
    assert_string_equal(ret_of(cc, fam, "i:i", m, (uint64_t[]){300}, 0, NULL),
                        "{\"value\":0,\"ends\":[11,12]}");
    assert_string_equal(ret_of(cc, fam, "i:i", m, (uint64_t[]){65532}, 0, NULL),
                        "{\"value\":0,\"ends\":\"<bad pointer>\"}");
    free(m);
}

static void test_raw_and_mismatch(void **state)
{
    (void)state;
    Mem *m = mem_new();
    TraceFamily fam;
    /* an embedder's function */
    assert_null(trace_find("env", "f", "ifFIr:F", &fam));
    assert_int_equal(fam, TRACE_RAW);
    float half = 0.5f;
    uint32_t fbits;
    memcpy(&fbits, &half, 4);
    double nan_ = __builtin_nan("");
    uint64_t dbits;
    memcpy(&dbits, &nan_, 8);
    assert_string_equal(args_of(NULL, "ifFIr:F", m,
                                (uint64_t[]){0xffffffffu, fbits, dbits, 1ull << 63, 0x1234}),
                        "{\"raw\":[-1,0.5,\"nan\",-9223372036854775808,\"ref\"]}");
    assert_string_equal(args_of(NULL, ":", m, NULL), "{}");
    bool failed;
    double two = 2.0;
    memcpy(&dbits, &two, 8);
    assert_string_equal(ret_of(NULL, TRACE_RAW, "ifFIr:F", m, NULL, dbits, &failed),
                        "{\"raw\":[2]}");
    assert_false(failed);
    assert_string_equal(result_text, "ok");
    /* a known name with another signature is not misread */
    assert_null(trace_find("wasi_snapshot_preview1", "fd_write", "ii:i", &fam));
    assert_int_equal(fam, TRACE_RAW);
    /* an unknown function of the ABI keeps the ABI's results */
    assert_null(trace_find("b8g", "future_call", "ii:i", &fam));
    assert_int_equal(fam, TRACE_ABI);
    free(m);
}

static void test_trap_result(void **state)
{
    (void)state;
    Mem *m = mem_new();
    TraceFamily fam;
    const TraceFunc *f = find("wasi_snapshot_preview1", "proc_exit", "i:", &fam);
    b8g_error e = {.code = B8G_TRAP, .trap = B8G_TRAP_EXIT, .exit_code = 3};
    TraceOutcome o = {B8G_TRAP, &e, NULL};
    TraceBuf b = tb_init(ret_text, sizeof ret_text);
    assert_false(trace_describe_result(f, fam, "i:", &m->v, (uint64_t[]){3}, &o, result_text,
                                       sizeof result_text, &b));
    assert_string_equal(result_text, "trap: exit(3)");
    assert_string_equal(ret_text, "{}");
    e = (b8g_error){.code = B8G_TRAP, .trap = B8G_TRAP_INTERRUPTED};
    snprintf(e.msg, sizeof e.msg, "interrupted");
    b = tb_init(ret_text, sizeof ret_text);
    assert_true(trace_describe_result(f, fam, "i:", &m->v, (uint64_t[]){3}, &o, result_text,
                                      sizeof result_text, &b));
    assert_string_equal(result_text, "trap: interrupted");
    free(m);
}

/* Every function the engine registers under "wasi_snapshot_preview1" and
 * "b8g" has its row, with the signature it is registered with: a new or
 * changed function fails here rather than being shown raw. */
static void sig_of(const FuncType *t, char *out)
{
    static const char letters[][2] = {{0x7f, 'i'}, {0x7e, 'I'}, {0x7d, 'f'}, {0x7c, 'F'},
                                      {0x70, 'r'}, {0x6f, 'e'}};
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++) {
        if (i == t->nparams) *out++ = ':';
        char c = '?';
        for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++)
            if ((uint8_t)letters[k][0] == t->types[i]) c = letters[k][1];
        *out++ = c;
    }
    if (t->nresults == 0) *out++ = ':';
    *out = 0;
}

static void test_rows_cover_the_engine(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_error err;
    b8g_wasi_config wc = {.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
    b8g_wasi *w = NULL;
    assert_int_equal(b8g_wasi_new(s, &wc, &w, &err), B8G_OK);
    assert_int_equal(b8g_caps_register(s, &err), B8G_OK);
    const char *modules[] = {"wasi_snapshot_preview1", "b8g"};
    uint32_t counts[2] = {0, 0};
    for (int m = 0; m < 2; m++) {
        b8g_instance *h = store_lookup(s, modules[m], (uint32_t)strlen(modules[m]));
        assert_non_null(h);
        for (uint32_t i = 0; i < h->nhost_exports; i++) {
            if (h->host_exports[i].kind != EXT_FUNC) continue;
            const FuncInst *fn = h->host_exports[i].obj;
            char sig[64];
            sig_of(fn->type, sig);
            TraceFamily fam;
            if (!trace_find(modules[m], fn->host_name, sig, &fam))
                fail_msg("no row for %s.%s %s", modules[m], fn->host_name, sig);
            counts[m]++;
        }
    }
    assert_int_equal(counts[0], trace_wasi_nfuncs);
    assert_int_equal(counts[1], trace_abi_nfuncs);
    b8g_store_free(s);
    b8g_wasi_free(w);
}

/* ---- b8g_trace_json ------------------------------------------------------ */

static void test_json_line(void **state)
{
    (void)state;
    b8g_trace_call c = {
        .start_ns = 5000, .end_ns = 5250, .epoch_ns = 1000, .instance = 7,
        .module = "mod\"ule", .name = "f\n\xff", .sig = ":",
        .result = "trap: host said \"no\"\n", .args_json = "{\"a\":1}", .ret_json = "{}",
    };
    char buf[512];
    size_t n = b8g_trace_json(&c, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "{\"t\":4000,\"inst\":7,\"fn\":\"mod\\\"ule.f\\n\\\\xff\",\"args\":"
                             "{\"a\":1},\"result\":\"trap: host said \\\"no\\\"\\n\",\"ret\":{},"
                             "\"dur_ns\":250}");
    assert_json(buf);
    /* snprintf-like: the length needed, whatever the room */
    assert_int_equal(b8g_trace_json(&c, NULL, 0), n);
    char small[10];
    memset(small, 'Z', sizeof small);
    assert_int_equal(b8g_trace_json(&c, small, 8), n);
    assert_int_equal(strlen(small), 7);
    assert_int_equal(small[8], 'Z');
    /* missing texts read as empty */
    b8g_trace_call bare = {0};
    b8g_trace_json(&bare, buf, sizeof buf);
    assert_string_equal(buf, "{\"t\":0,\"inst\":0,\"fn\":\"\",\"args\":{},\"result\":\"ok\","
                             "\"ret\":{},\"dur_ns\":0}");
}

/* ---- through the engine -------------------------------------------------- */

typedef struct Seen {
    char lines[8][2048];
    uint64_t inst[8];
    bool failed[8];
    b8g_status status[8];
    int n;
} Seen;

static void record(void *arg, const b8g_trace_call *c)
{
    Seen *s = arg;
    assert_true(s->n < 8);
    assert_true(c->end_ns >= c->start_ns);
    size_t n = b8g_trace_json(c, s->lines[s->n], sizeof s->lines[s->n]);
    assert_true(n < sizeof s->lines[s->n]);
    assert_json(s->lines[s->n]);
    s->inst[s->n] = c->instance;
    s->failed[s->n] = c->failed;
    s->status[s->n] = c->status;
    s->n++;
}

/* The member "result":... of a line, up to the end of "ret". */
static const char *from_result(const char *line)
{
    const char *p = strstr(line, ",\"result\":");
    assert_non_null(p);
    return p + 1;
}

/* (module (import "m" "event_create" ...) (import "m" "handle_close" ...)
 *   (func (export "run") (local i32)
 *     (local.set 0 (call $event_create))
 *     (drop (call $handle_close (i32.const 12345)))
 *     (drop (call $handle_close (local.get 0))))) */
static uint8_t *abi_module(size_t *len)
{
    Mb mb = {0};
    uint32_t t_create = mb_type(&mb, "", "i");
    uint32_t t_close = mb_type(&mb, "i", "i");
    uint32_t t_run = mb_type(&mb, "", "");
    mb_import(&mb, "event_create", BYTES(0x00, (uint8_t)t_create));
    mb_import(&mb, "handle_close", BYTES(0x00, (uint8_t)t_close));
    mb_func(&mb, t_run, "i",
            BYTES(0x10, 0x00, 0x21, 0x00, 0x41, 0xb9, 0xe0, 0x00, 0x10, 0x01, 0x1a, 0x20,
                  0x00, 0x10, 0x01, 0x1a, 0x0b));
    mb_export(&mb, "run", 0x00, 2);
    uint8_t *bytes = mb_build(&mb, len);
    mb_free(&mb);
    return bytes;
}

static void test_engine_abi(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = abi_module(&len);
    b8g_error err;
    b8g_module *mod = NULL;
    assert_int_equal(b8g_module_load(bytes, len, &mod, &err), B8G_OK);
    free(bytes);
    b8g_store *s = b8g_store_new(NULL);
    assert_int_equal(b8g_caps_register(s, &err), B8G_OK);
    /* the module imports "m": the ABI's host instance under a second
     * name, which the trace does not use */
    b8g_instance *abi = store_lookup(s, "b8g", 3);
    assert_non_null(abi);
    assert_int_equal(b8g_register(s, "m", abi), B8G_OK);
    assert_int_equal(b8g_instance_id(abi), 0);
    b8g_instance *inst = NULL;
    assert_int_equal(b8g_instantiate(s, mod, &inst, &err), B8G_OK);
    assert_true(b8g_instance_id(inst) >= 1);
    Seen seen = {0};
    b8g_store_set_tracer(s, record, &seen);
    assert_int_equal(b8g_call(inst, "run", NULL, 0, NULL, 0, &err), B8G_OK);
    assert_int_equal(seen.n, 3);
    for (int i = 0; i < 3; i++) assert_int_equal(seen.inst[i], b8g_instance_id(inst));
    assert_non_null(strstr(seen.lines[0], "\"fn\":\"b8g.event_create\",\"args\":{}"));
    assert_non_null(strstr(seen.lines[0], ",\"result\":\"ok\",\"ret\":{\"handle\":"));
    assert_non_null(strstr(seen.lines[0], ",\"handle_kind\":\"event\"}"));
    assert_non_null(strstr(seen.lines[1], "\"args\":{\"h\":12345,\"h_kind\":\"none\"}"));
    assert_true(strncmp(from_result(seen.lines[1]), "\"result\":\"EBADH\",\"ret\":{}", 24) == 0);
    assert_true(seen.failed[1]);
    assert_non_null(strstr(seen.lines[2], ",\"h_kind\":\"event\"}"));
    assert_true(strncmp(from_result(seen.lines[2]), "\"result\":\"ok\",\"ret\":{\"value\":0}", 30) == 0);
    assert_false(seen.failed[2]);

    /* off: nothing more is seen */
    b8g_store_set_tracer(s, NULL, &seen);
    assert_int_equal(b8g_call(inst, "run", NULL, 0, NULL, 0, &err), B8G_OK);
    assert_int_equal(seen.n, 3);
    b8g_store_free(s);
    b8g_module_free(mod);
}

/* Host functions of the embedder: "outer" calls back into the guest,
 * whose "inner" call is traced first (it ends first); "fail" traps. */
typedef struct Nest {
    b8g_instance *inst;
} Nest;

static b8g_status host_outer(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    Nest *n = call->user;
    b8g_val arg = {.type = B8G_I32, .of.i32 = (int32_t)slots[0] + 1}, res;
    b8g_status st = b8g_call(n->inst, "leaf", &arg, 1, &res, 1, err);
    slots[0] = (uint32_t)res.of.i32;
    return st;
}

static b8g_status host_inner(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)err;
    slots[0] = (uint32_t)slots[0] * 10u;
    return B8G_OK;
}

static b8g_status host_fail(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)slots;
    snprintf(err->msg, sizeof err->msg, "no \"way\"\n");
    return B8G_TRAP;
}

/* (module (import "m" "outer" (func (param i32) (result i32)))
 *         (import "m" "inner" (func (param i32) (result i32)))
 *         (import "m" "fail" (func))
 *   (func (export "top") (param i32) (result i32) (call 0 (local.get 0)))
 *   (func (export "leaf") (param i32) (result i32) (call 1 (local.get 0)))
 *   (func (export "boom") (call 2))) */
static uint8_t *nest_module(size_t *len)
{
    Mb mb = {0};
    uint32_t t_ii = mb_type(&mb, "i", "i");
    uint32_t t_v = mb_type(&mb, "", "");
    mb_import(&mb, "outer", BYTES(0x00, (uint8_t)t_ii));
    mb_import(&mb, "inner", BYTES(0x00, (uint8_t)t_ii));
    mb_import(&mb, "fail", BYTES(0x00, (uint8_t)t_v));
    mb_func(&mb, t_ii, "", BYTES(0x20, 0x00, 0x10, 0x00, 0x0b));
    mb_func(&mb, t_ii, "", BYTES(0x20, 0x00, 0x10, 0x01, 0x0b));
    mb_func(&mb, t_v, "", BYTES(0x10, 0x02, 0x0b));
    mb_export(&mb, "top", 0x00, 3);
    mb_export(&mb, "leaf", 0x00, 4);
    mb_export(&mb, "boom", 0x00, 5);
    uint8_t *bytes = mb_build(&mb, len);
    mb_free(&mb);
    return bytes;
}

static void test_engine_nested_and_trap(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = nest_module(&len);
    b8g_error err;
    b8g_module *mod = NULL;
    assert_int_equal(b8g_module_load(bytes, len, &mod, &err), B8G_OK);
    free(bytes);
    b8g_store *s = b8g_store_new(NULL);
    Nest nest = {NULL};
    b8g_instance *h = b8g_host_instance_new(s);
    assert_int_equal(b8g_host_func(h, "outer", "i:i", host_outer, &nest), B8G_OK);
    assert_int_equal(b8g_host_func(h, "inner", "i:i", host_inner, NULL), B8G_OK);
    assert_int_equal(b8g_host_func(h, "fail", ":", host_fail, NULL), B8G_OK);
    assert_int_equal(b8g_register(s, "m", h), B8G_OK);
    assert_int_equal(b8g_instantiate(s, mod, &nest.inst, &err), B8G_OK);
    b8g_instance *second = NULL;
    assert_int_equal(b8g_instantiate(s, mod, &second, &err), B8G_OK);
    assert_true(b8g_instance_id(second) > b8g_instance_id(nest.inst));

    Seen seen = {0};
    b8g_store_set_tracer(s, record, &seen);
    b8g_val arg = {.type = B8G_I32, .of.i32 = 4}, res;
    assert_int_equal(b8g_call(nest.inst, "top", &arg, 1, &res, 1, &err), B8G_OK);
    assert_int_equal(res.of.i32, 50);
    assert_int_equal(seen.n, 2);
    assert_non_null(strstr(seen.lines[0], "\"fn\":\"m.inner\",\"args\":{\"raw\":[5]},"
                                          "\"result\":\"ok\",\"ret\":{\"raw\":[50]}"));
    assert_non_null(strstr(seen.lines[1], "\"fn\":\"m.outer\",\"args\":{\"raw\":[4]},"
                                          "\"result\":\"ok\",\"ret\":{\"raw\":[50]}"));

    assert_int_equal(b8g_call(second, "boom", NULL, 0, NULL, 0, &err), B8G_TRAP);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.inst[2], b8g_instance_id(second));
    assert_int_equal(seen.status[2], B8G_TRAP);
    assert_true(seen.failed[2]);
    assert_non_null(strstr(seen.lines[2], "\"result\":\"trap: no \\\"way\\\"\\n\",\"ret\":{}"));
    b8g_store_free(s);
    b8g_module_free(mod);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_any_bytes),
        cmocka_unit_test(test_buf_bounds),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_iovecs),
        cmocka_unit_test(test_abi_values),
        cmocka_unit_test(test_raw_and_mismatch),
        cmocka_unit_test(test_trap_result),
        cmocka_unit_test(test_rows_cover_the_engine),
        cmocka_unit_test(test_json_line),
        cmocka_unit_test(test_engine_abi),
        cmocka_unit_test(test_engine_nested_and_trap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
