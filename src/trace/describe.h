/*
 * describe.h - what a host call's arguments and results mean, as JSON
 * (the "args", "result" and "ret" of a trace record; docs/trace.md).
 *
 * funcs.c has one row per known function - WASI preview1 and the "b8g"
 * ABI - giving each parameter a role; describe.c turns the slots into
 * text by role.  Inputs are described before the call (a path, the bytes
 * a write offers, the kind of an fd that the call may close), outputs
 * after it (an errno, what an out-pointer received, the bytes a read
 * delivered).  Everything read from guest memory is bounds-checked
 * against the memory's size at that moment, and every length is bounded:
 * a pointer that does not fit shows as "<bad pointer>", never as a fault.
 *
 * A function is known only by module name, function name AND signature:
 * an embedder's own module that happens to reuse a name with another
 * type is shown raw, slot by slot, like any unknown function.
 */
#ifndef B8G_TRACE_DESCRIBE_H
#define B8G_TRACE_DESCRIBE_H

#include "b8g.h"
#include "cap/handle.h"
#include "trace/buf.h"

/* Bytes of a path or name shown, and of data previewed. */
#define TRACE_PATH_SHOWN 256u
#define TRACE_PREVIEW 32u
/* Iovec arrays longer than this are not read (WASI refuses them too). */
#define TRACE_IOVS_MAX 1024u

/* How a parameter is shown.  The PAIR roles take this slot as a guest
 * pointer and the next slot as its length or count; that next slot's
 * role is TR_LEN. */
typedef enum TraceRole {
    TR_END = 0,    /* no more parameters */
    TR_LEN,        /* second half of a pair: not shown on its own */
    TR_U32,        /* unsigned decimal (low 32 bits) */
    TR_U64,
    TR_S64,        /* signed 64-bit: offsets, timeouts where -1 means ever */
    TR_HEX,        /* flags, rights, masks: "0x..." */
    TR_PTR,        /* a guest address whose contents are not shown (a
                      structure, or a secret such as a link key) */
    TR_FD,         /* WASI descriptor: number and "<name>_kind" */
    TR_HANDLE,     /* b8g ABI handle: value and "<name>_kind" */
    TR_CLOCK,      /* WASI clock id, by name */
    TR_WHENCE,     /* WASI whence, by name */
    /* pairs: (ptr, len) or (ptr, count) */
    TR_PATH,       /* a string the call reads: at most TRACE_PATH_SHOWN */
    TR_DATA_IN,    /* bytes the call reads: "bytes" and "preview" */
    TR_DATA_OUT,   /* a buffer the call fills: "<name>_len"; after, the
                      "preview" of what it reports having filled */
    TR_STR_OUT,    /* a buffer the call fills with a string: after, the
                      string (TR_OUT_COUNT bytes of it, else all) */
    TR_IOVS_IN,    /* iovecs the call reads: count, "bytes", "preview" */
    TR_IOVS_OUT,   /* iovecs the call fills: count, "bytes"; after, the
                      "preview" of what it reports having filled */
    /* out-pointers, shown after a successful call only */
    TR_OUT_U16,
    TR_OUT_U32,
    TR_OUT_U64,
    TR_OUT_COUNT,  /* u32: bytes moved, the count of the previews above */
    TR_OUT_FD,     /* u32: a new descriptor, with its kind */
    TR_OUT_PAIR,   /* two u32, as an array */
    TR_OUT_FILESTAT, /* WASI filestat: "filetype" and "size" */
    TR_OUT_PRESTAT,  /* WASI prestat: "name_len" */
} TraceRole;

typedef enum TraceFamily {
    TRACE_RAW,     /* unknown: slots as numbers, result "ok" */
    TRACE_WASI,    /* i32 result is a WASI errno */
    TRACE_ABI,     /* result < 0 is -CapErr, else a value (docs/abi.md) */
} TraceFamily;

typedef struct TraceParam {
    const char *name;
    uint8_t role;  /* TraceRole */
} TraceParam;

#define TRACE_MAX_PARAMS 9

typedef struct TraceFunc {
    const char *name;
    const char *sig;        /* b8g_host_func notation */
    TraceParam p[TRACE_MAX_PARAMS];
    TraceParam ret;         /* ABI: what a result >= 0 is ({NULL,0}: "value";
                               TR_HANDLE and TR_FD show their kind) */
} TraceFunc;

/* What a description may look at: the caller's memory 0 (base NULL and
 * size 0 when it has none) and its handle table (NULL: not an instance). */
typedef struct TraceView {
    const uint8_t *base;
    uint64_t size;
    HandleTable *handles;
} TraceView;

/* The row for module.name with signature sig, or NULL; *family says how
 * results read (TRACE_RAW when unknown, though "b8g" and WASI modules
 * keep their result convention for functions without a row). */
const TraceFunc *trace_find(const char *module, const char *name, const char *sig,
                            TraceFamily *family);

/* The "args" object for a call of f (NULL: raw slots by sig). */
void trace_describe_args(const TraceFunc *f, const char *sig, const TraceView *v,
                         const uint64_t *args, TraceBuf *out);

/* How the call ended, for the "result" member and the summary. */
typedef struct TraceOutcome {
    b8g_status status;        /* B8G_OK or B8G_TRAP */
    const b8g_error *err;     /* the trap */
    const uint64_t *results;  /* B8G_OK: result slots */
} TraceOutcome;

/* The "result" text (into result[0..cap)), whether it is a failure, and
 * the "ret" object of outputs, read from memory as it is after the call. */
bool trace_describe_result(const TraceFunc *f, TraceFamily family, const char *sig,
                           const TraceView *v, const uint64_t *args,
                           const TraceOutcome *o, char *result, size_t cap,
                           TraceBuf *ret);

/* Names: a WASI errno ("ENOENT"), a b8g ABI error ("EBADH"), the kind of
 * object a descriptor or handle names ("file", "event"; "none" for NULL). */
const char *trace_errno_name(uint32_t e);
const char *trace_abi_error_name(uint32_t e);
const char *trace_kind_name(const CapObject *o);

/* The tables (funcs.c). */
extern const TraceFunc trace_wasi_funcs[];
extern const uint32_t trace_wasi_nfuncs;
extern const TraceFunc trace_abi_funcs[];
extern const uint32_t trace_abi_nfuncs;

#endif
