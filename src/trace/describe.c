/*
 * describe.c - host call slots as the JSON of a trace record, by the roles
 * of funcs.c (describe.h has the contract).
 *
 * Guest memory is only read, always after checking the range against the
 * memory's size, and never more than a bounded number of bytes per call:
 * a path is cut at TRACE_PATH_SHOWN, a preview at TRACE_PREVIEW, an iovec
 * array longer than TRACE_IOVS_MAX is not read.  A guest can make its own
 * record say odd things, but not a record that is not valid JSON on one
 * line, nor make the host read outside its memory.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "trace/describe.h"

#define WASI_MODULE "wasi_snapshot_preview1"
#define ABI_MODULE "b8g"
#define BAD_POINTER "\"<bad pointer>\""

/* ---- guest memory ----------------------------------------------------- */

static bool mem_in(const TraceView *v, uint64_t ptr, uint64_t len)
{
    return ptr <= v->size && len <= v->size - ptr;
}

/* Little-endian, as wasm memory is. */
static bool mem_le(const TraceView *v, uint64_t ptr, unsigned n, uint64_t *out)
{
    if (!mem_in(v, ptr, n)) return false;
    uint64_t x = 0;
    for (unsigned i = 0; i < n; i++) x |= (uint64_t)v->base[ptr + i] << (8 * i);
    *out = x;
    return true;
}

/* A JSON string of guest bytes [ptr, ptr+len), at most `shown` of them. */
static void mem_string(TraceBuf *b, const TraceView *v, uint64_t ptr, uint64_t len,
                       size_t shown)
{
    uint64_t take = len < shown ? len : shown;
    if (!mem_in(v, ptr, take)) {
        tb_puts(b, BAD_POINTER);
        return;
    }
    static const uint8_t none[1];
    tb_string(b, take ? v->base + ptr : none, len, shown);
}

/* What an iovec array at (ptr, n) holds: the sum of its lengths and the
 * first `want` bytes of its buffers, gathered.  *why is NULL on success,
 * else what to show instead of the sum; *preview_ok is false when a
 * buffer the preview needed lies outside memory. */
typedef struct IovScan {
    uint64_t total;
    uint8_t preview[TRACE_PREVIEW];
    size_t got;
    bool preview_ok;
    const char *why;
} IovScan;

static IovScan scan_iovs(const TraceView *v, uint32_t ptr, uint32_t n, uint64_t want)
{
    IovScan s = {.preview_ok = true};
    if (want > TRACE_PREVIEW) want = TRACE_PREVIEW;
    if (n > TRACE_IOVS_MAX) {
        s.why = "\"<not read>\"";
        return s;
    }
    if (!mem_in(v, ptr, (uint64_t)n * 8)) {
        s.why = BAD_POINTER;
        return s;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t buf = 0, len = 0;
        mem_le(v, (uint64_t)ptr + 8u * i, 4, &buf);
        mem_le(v, (uint64_t)ptr + 8u * i + 4, 4, &len);
        s.total += len;
        uint64_t take = want - s.got < len ? want - s.got : len;
        if (!take) continue;
        if (!mem_in(v, buf, take)) {
            s.preview_ok = false;
            want = s.got; /* nothing after a hole is shown */
            continue;
        }
        memcpy(s.preview + s.got, v->base + buf, (size_t)take);
        s.got += (size_t)take;
    }
    return s;
}

/* The gathered bytes, with "…" when `total` says there were more. */
static void put_preview(TraceBuf *b, const IovScan *s, uint64_t total)
{
    tb_key(b, "preview");
    if (!s->preview_ok && s->got == 0) tb_puts(b, BAD_POINTER);
    else tb_string(b, s->preview, total > s->got ? s->got + 1 : s->got, s->got);
}

/* ---- names ------------------------------------------------------------ */

static void put_kind(TraceBuf *b, const char *key, const CapObject *o)
{
    tb_key2(b, key, "_kind");
    tb_printf(b, "\"%s\"", trace_kind_name(o));
}

static void put_fd(TraceBuf *b, const TraceView *v, const char *key, uint32_t fd)
{
    tb_key(b, key);
    tb_u64(b, fd);
    if (!v->handles) return;
    HandleEntry *e = cap_slot(v->handles, fd);
    put_kind(b, key, e ? e->obj : NULL);
}

static void put_handle(TraceBuf *b, const TraceView *v, const char *key, uint32_t h)
{
    tb_key(b, key);
    tb_u64(b, h);
    if (!v->handles) return;
    HandleEntry *e = cap_lookup(v->handles, h, NULL);
    put_kind(b, key, e ? e->obj : NULL);
}

static void put_enum(TraceBuf *b, const char *const *names, size_t n, uint64_t x)
{
    if (x < n) tb_printf(b, "\"%s\"", names[x]);
    else tb_u64(b, x);
}

static const char *const clock_names[] = {"realtime", "monotonic", "process_cputime",
                                          "thread_cputime"};
static const char *const whence_names[] = {"set", "cur", "end"};

/* ---- finding a row ---------------------------------------------------- */

static const TraceFunc *find_in(const TraceFunc *t, uint32_t n, const char *name,
                                const char *sig, bool *named)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) != 0) continue;
        *named = true;
        return strcmp(t[i].sig, sig) == 0 ? &t[i] : NULL;
    }
    return NULL;
}

/* The result letters of sig ("" for none). */
static const char *sig_results(const char *sig)
{
    const char *colon = strchr(sig, ':');
    return colon ? colon + 1 : "";
}

const TraceFunc *trace_find(const char *module, const char *name, const char *sig,
                            TraceFamily *family)
{
    bool named = false;
    const TraceFunc *f = NULL;
    const char *res = sig_results(sig);
    *family = TRACE_RAW;
    if (strcmp(module, WASI_MODULE) == 0) {
        f = find_in(trace_wasi_funcs, trace_wasi_nfuncs, name, sig, &named);
        if (f || (!named && strcmp(res, "i") == 0)) *family = TRACE_WASI;
    } else if (strcmp(module, ABI_MODULE) == 0) {
        f = find_in(trace_abi_funcs, trace_abi_nfuncs, name, sig, &named);
        if (f || (!named && (strcmp(res, "i") == 0 || strcmp(res, "I") == 0)))
            *family = TRACE_ABI;
    }
    /* proc_exit has no result to read a convention from: WASI all the same */
    return f;
}

/* ---- raw slots -------------------------------------------------------- */

static void put_float(TraceBuf *b, double d)
{
    if (isnan(d)) tb_puts(b, "\"nan\"");
    else if (isinf(d)) tb_puts(b, d > 0 ? "\"inf\"" : "\"-inf\"");
    else tb_printf(b, "%.17g", d);
}

static void put_slot(TraceBuf *b, char type, uint64_t x)
{
    switch (type) {
    case 'i': tb_i64(b, (int32_t)(uint32_t)x); break;
    case 'I': tb_i64(b, (int64_t)x); break;
    case 'f': {
        uint32_t bits = (uint32_t)x;
        float f;
        memcpy(&f, &bits, sizeof f);
        put_float(b, f);
        break;
    }
    case 'F': {
        double d;
        memcpy(&d, &x, sizeof d);
        put_float(b, d);
        break;
    }
    default: tb_puts(b, x ? "\"ref\"" : "null"); break; /* never an address */
    }
}

/* "raw": [slots...] for the letters types[0..n). */
static void put_raw(TraceBuf *b, const char *types, size_t n, const uint64_t *slots)
{
    tb_key(b, "raw");
    tb_open(b, '[');
    for (size_t i = 0; i < n; i++) {
        tb_elem(b);
        put_slot(b, types[i], slots[i]);
    }
    tb_close(b, ']');
}

/* ---- before the call ---------------------------------------------------- */

static void describe_param(TraceBuf *b, const TraceView *v, const TraceParam *p,
                           const uint64_t *a)
{
    uint32_t x = (uint32_t)a[0];
    switch ((TraceRole)p->role) {
    case TR_U32: tb_key(b, p->name); tb_u64(b, x); break;
    case TR_U64: tb_key(b, p->name); tb_u64(b, a[0]); break;
    case TR_S64: tb_key(b, p->name); tb_i64(b, (int64_t)a[0]); break;
    case TR_HEX: tb_key(b, p->name); tb_hex(b, a[0]); break;
    case TR_PTR: tb_key(b, p->name); tb_u64(b, x); break;
    case TR_FD: put_fd(b, v, p->name, x); break;
    case TR_HANDLE: put_handle(b, v, p->name, x); break;
    case TR_CLOCK:
        tb_key(b, p->name);
        put_enum(b, clock_names, B8G_ARRAY_LEN(clock_names), x);
        break;
    case TR_WHENCE:
        tb_key(b, p->name);
        put_enum(b, whence_names, B8G_ARRAY_LEN(whence_names), x & 0xff);
        break;
    case TR_PATH: {
        uint32_t len = (uint32_t)a[1];
        tb_key(b, p->name);
        mem_string(b, v, x, len, TRACE_PATH_SHOWN);
        if (len > TRACE_PATH_SHOWN) {
            tb_key2(b, p->name, "_len");
            tb_u64(b, len);
        }
        break;
    }
    case TR_DATA_IN: {
        uint32_t len = (uint32_t)a[1];
        tb_key(b, "bytes");
        tb_u64(b, len);
        tb_key(b, "preview");
        mem_string(b, v, x, len, TRACE_PREVIEW);
        break;
    }
    case TR_DATA_OUT:
    case TR_STR_OUT:
        tb_key2(b, p->name, "_len");
        tb_u64(b, (uint32_t)a[1]);
        break;
    case TR_IOVS_IN:
    case TR_IOVS_OUT: {
        uint32_t n = (uint32_t)a[1];
        IovScan s = scan_iovs(v, x, n, p->role == TR_IOVS_IN ? TRACE_PREVIEW : 0);
        tb_key(b, p->name);
        tb_u64(b, n);
        tb_key(b, "bytes");
        if (s.why) {
            tb_puts(b, s.why);
            break;
        }
        tb_u64(b, s.total);
        if (p->role == TR_IOVS_IN) put_preview(b, &s, s.total);
        break;
    }
    default: break; /* lengths, and out-pointers: shown after the call */
    }
}

void trace_describe_args(const TraceFunc *f, const char *sig, const TraceView *v,
                         const uint64_t *args, TraceBuf *out)
{
    tb_open(out, '{');
    if (f) {
        for (uint32_t i = 0; i < TRACE_MAX_PARAMS && f->p[i].role != TR_END; i++)
            describe_param(out, v, &f->p[i], &args[i]);
    } else {
        const char *colon = strchr(sig, ':');
        size_t n = colon ? (size_t)(colon - sig) : 0;
        if (n) put_raw(out, sig, n, args);
    }
    tb_close(out, '}');
}

/* ---- after the call --------------------------------------------------- */

/* An out-pointer's value: key: value, or key: "<bad pointer>". */
static bool put_out(TraceBuf *b, const TraceView *v, const char *key, uint64_t ptr,
                    unsigned n, uint64_t *val)
{
    tb_key(b, key);
    if (!mem_le(v, ptr, n, val)) {
        tb_puts(b, BAD_POINTER);
        return false;
    }
    tb_u64(b, *val);
    return true;
}

/* The byte count the call reports (an out-pointer, or the ABI's result):
 * what the previews of filled buffers show.  UINT64_MAX: none. */
static uint64_t reported_count(const TraceFunc *f, const TraceView *v, const uint64_t *args,
                               int64_t abi_value)
{
    for (uint32_t i = 0; i < TRACE_MAX_PARAMS && f->p[i].role != TR_END; i++) {
        uint64_t n;
        if (f->p[i].role == TR_OUT_COUNT)
            return mem_le(v, (uint32_t)args[i], 4, &n) ? n : UINT64_MAX;
    }
    return abi_value >= 0 ? (uint64_t)abi_value : UINT64_MAX;
}

static void describe_output(TraceBuf *b, const TraceView *v, const TraceParam *p,
                            const uint64_t *a, uint64_t count)
{
    uint32_t ptr = (uint32_t)a[0];
    uint64_t x, y;
    switch ((TraceRole)p->role) {
    case TR_OUT_U16: put_out(b, v, p->name, ptr, 2, &x); break;
    case TR_OUT_U32:
    case TR_OUT_COUNT: put_out(b, v, p->name, ptr, 4, &x); break;
    case TR_OUT_U64: put_out(b, v, p->name, ptr, 8, &x); break;
    case TR_OUT_FD:
        if (!mem_le(v, ptr, 4, &x)) {
            tb_key(b, p->name);
            tb_puts(b, BAD_POINTER);
        } else {
            put_fd(b, v, p->name, (uint32_t)x);
        }
        break;
    case TR_OUT_PAIR:
        tb_key(b, p->name);
        if (mem_le(v, ptr, 4, &x) && mem_le(v, (uint64_t)ptr + 4, 4, &y))
            tb_printf(b, "[%llu,%llu]", (unsigned long long)x, (unsigned long long)y);
        else
            tb_puts(b, BAD_POINTER);
        break;
    case TR_OUT_FILESTAT:
        if (!mem_le(v, (uint64_t)ptr + 16, 1, &x) || !mem_le(v, (uint64_t)ptr + 32, 8, &y)) {
            tb_key(b, p->name);
            tb_puts(b, BAD_POINTER);
            break;
        }
        tb_key(b, "filetype");
        tb_u64(b, x);
        tb_key(b, "size");
        tb_u64(b, y);
        break;
    case TR_OUT_PRESTAT: put_out(b, v, "name_len", (uint64_t)ptr + 4, 4, &x); break;
    case TR_DATA_OUT: {
        uint64_t len = (uint32_t)a[1];
        if (count == UINT64_MAX) break;
        tb_key(b, "preview");
        mem_string(b, v, ptr, count < len ? count : len, TRACE_PREVIEW);
        break;
    }
    case TR_STR_OUT: {
        uint64_t len = (uint32_t)a[1];
        tb_key(b, p->name);
        mem_string(b, v, ptr, count < len ? count : len, TRACE_PATH_SHOWN);
        break;
    }
    case TR_IOVS_OUT: {
        if (count == UINT64_MAX) break;
        IovScan s = scan_iovs(v, ptr, (uint32_t)a[1], count);
        if (s.why) break;
        put_preview(b, &s, count);
        break;
    }
    default: break;
    }
}

static bool is_preview(uint8_t role)
{
    return role == TR_DATA_OUT || role == TR_IOVS_OUT;
}

/* Values first, then the preview of the bytes they count. */
static void describe_outputs(const TraceFunc *f, const TraceView *v, const uint64_t *args,
                             int64_t abi_value, TraceBuf *b)
{
    uint64_t count = reported_count(f, v, args, abi_value);
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < TRACE_MAX_PARAMS && f->p[i].role != TR_END; i++)
            if (is_preview(f->p[i].role) == (pass == 1))
                describe_output(b, v, &f->p[i], &args[i], count);
}

/* The ABI's value: a negative one is an error, the rest named by the row. */
static void describe_abi_value(const TraceFunc *f, const TraceView *v, int64_t val,
                               TraceBuf *b)
{
    const char *key = f && f->ret.name ? f->ret.name : "value";
    uint8_t role = f && f->ret.name ? f->ret.role : TR_S64;
    if (role == TR_HANDLE) put_handle(b, v, key, (uint32_t)val);
    else if (role == TR_FD) put_fd(b, v, key, (uint32_t)val);
    else if (role == TR_HEX) { tb_key(b, key); tb_hex(b, (uint64_t)val); }
    else { tb_key(b, key); tb_i64(b, val); }
}

static bool describe_trap(const b8g_error *e, char *result, size_t cap)
{
    if (e->trap == B8G_TRAP_EXIT) {
        snprintf(result, cap, "trap: exit(%d)", (int)e->exit_code);
        return false;
    }
    snprintf(result, cap, "trap: %s", e->msg[0] ? e->msg : b8g_trap_name(e->trap));
    return true;
}

bool trace_describe_result(const TraceFunc *f, TraceFamily family, const char *sig,
                           const TraceView *v, const uint64_t *args,
                           const TraceOutcome *o, char *result, size_t cap,
                           TraceBuf *ret)
{
    bool failed = false;
    const char *res = sig_results(sig);
    tb_open(ret, '{');
    if (o->status != B8G_OK) {
        failed = describe_trap(o->err, result, cap);
    } else if (family == TRACE_WASI && res[0]) {
        uint32_t e = (uint32_t)o->results[0];
        const char *name = trace_errno_name(e);
        if (name) snprintf(result, cap, "%s", name);
        else snprintf(result, cap, "errno %u", e);
        failed = e != 0;
        if (!failed && f) describe_outputs(f, v, args, -1, ret);
    } else if (family == TRACE_ABI && res[0]) {
        int64_t val = res[0] == 'I' ? (int64_t)o->results[0] : (int32_t)(uint32_t)o->results[0];
        failed = val < 0;
        if (failed) {
            const char *name = val >= -0x7fffffff ? trace_abi_error_name((uint32_t)-val) : NULL;
            if (name) snprintf(result, cap, "%s", name);
            else snprintf(result, cap, "error %lld", (long long)val);
        } else {
            snprintf(result, cap, "ok");
            describe_abi_value(f, v, val, ret);
            if (f) describe_outputs(f, v, args, val, ret);
        }
    } else {
        snprintf(result, cap, "ok");
        if (res[0]) put_raw(ret, res, strlen(res), o->results);
    }
    tb_close(ret, '}');
    return failed;
}
