/*
 * b8g.h - public embedding API of the b8g WebAssembly engine.
 *
 * Everything an embedder may touch is declared here with the b8g_ prefix;
 * all structures behind the handles are opaque.  Fallible functions return
 * a b8g_status and, on failure, fill a caller-supplied b8g_error with the
 * first error found (code, byte offset, function index, message).
 *
 * Object model:
 *   b8g_module    decoded, validated and translated code; immutable, may be
 *                 instantiated many times, into any store.
 *   b8g_store     one isolated execution context: the instances linked into
 *                 it, their memories/tables/globals, the engine-managed call
 *                 stack, limits (fuel, stack) and the names under which
 *                 instances are registered for linking.  Nothing is shared
 *                 between stores.
 *   b8g_instance  a module instance (or a host module built by the embedder)
 *                 owned by its store.
 */
#ifndef B8G_H
#define B8G_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(B8G_BUILDING) && defined(__GNUC__)
#define B8G_API __attribute__((visibility("default")))
#else
#define B8G_API
#endif

#define B8G_VERSION "0.1.0"

/*
 * The single list of status codes.  X(NAME, "name", exit_code): the CLI
 * exits with exit_code when a command fails with that status.
 */
#define B8G_STATUS_LIST(X)                                                     \
    X(OK, "ok", 0)                                                             \
    X(MALFORMED, "malformed module", 3)                                        \
    X(INVALID, "invalid module", 4)                                            \
    X(UNSUPPORTED, "unsupported feature", 5)                                   \
    X(LINK, "link error", 6)                                                   \
    X(TRAP, "trap", 7)                                                         \
    X(LIMIT, "limit exceeded", 8)                                              \
    X(SUSPENDED, "suspended", 9)                                               \
    X(IMAGE, "bad image", 10)                                                  \
    X(IO, "i/o error", 11)                                                     \
    X(NOMEM, "out of memory", 12)                                              \
    X(ARG, "bad argument", 2)

typedef enum b8g_status {
#define B8G_X_ENUM(name, text, exit) B8G_##name,
    B8G_STATUS_LIST(B8G_X_ENUM)
#undef B8G_X_ENUM
    B8G_STATUS_COUNT
} b8g_status;

/* Why execution stopped with B8G_TRAP (or B8G_SUSPENDED / B8G_LIMIT). */
#define B8G_TRAP_LIST(X)                                                       \
    X(NONE, "no trap")                                                         \
    X(UNREACHABLE, "unreachable")                                              \
    X(INT_OVERFLOW, "integer overflow")                                        \
    X(INT_DIV_ZERO, "integer divide by zero")                                  \
    X(BAD_CONVERSION, "invalid conversion to integer")                         \
    X(MEM_OOB, "out of bounds memory access")                                  \
    X(TABLE_OOB, "out of bounds table access")                                 \
    X(UNDEFINED_ELEMENT, "undefined element")                                  \
    X(UNINIT_ELEMENT, "uninitialized element")                                 \
    X(INDIRECT_MISMATCH, "indirect call type mismatch")                        \
    X(STACK_EXHAUSTED, "call stack exhausted")                                 \
    X(OUT_OF_FUEL, "out of fuel")                                              \
    X(INTERRUPTED, "interrupted")                                              \
    X(HOST, "host function failed")                                            \
    X(EXIT, "exit")                                                            \
    X(INVALID_CODE, "invalid function body")

typedef enum b8g_trap_kind {
#define B8G_X_ENUM(name, text) B8G_TRAP_##name,
    B8G_TRAP_LIST(B8G_X_ENUM)
#undef B8G_X_ENUM
    B8G_TRAP_COUNT
} b8g_trap_kind;

#define B8G_NO_OFFSET ((uint64_t)-1)
#define B8G_NO_FUNC ((uint32_t)-1)
#define B8G_MAX_BACKTRACE 32

/* One wasm frame of a backtrace, innermost first.  The name strings belong
 * to the module and stay valid as long as it does (the store that ran it
 * keeps it alive). */
typedef struct b8g_frame_info {
    uint32_t func;        /* function index in its module */
    uint64_t code_offset; /* byte offset in the module, or B8G_NO_OFFSET */
    const char *func_name; /* from the name section / exports, or NULL */
    const char *module_name; /* module name from the name section, or NULL */
    const struct b8g_module *module; /* the module of the frame's code, for
                                        b8g_module_source; valid as long as
                                        the module is, like the names */
} b8g_frame_info;

typedef struct b8g_error {
    b8g_status code;
    b8g_trap_kind trap;  /* for B8G_TRAP / B8G_SUSPENDED / B8G_LIMIT */
    uint64_t offset;     /* byte offset in the module/image, or B8G_NO_OFFSET */
    uint32_t func;       /* function index, or B8G_NO_FUNC */
    int32_t exit_code;   /* B8G_TRAP_EXIT: the guest's exit status */
    uint32_t nframes;    /* backtrace length (traps only) */
    b8g_frame_info frames[B8G_MAX_BACKTRACE];
    char msg[256];       /* e.g. "type mismatch in i32.add" */
} b8g_error;

B8G_API const char *b8g_status_name(b8g_status st);
B8G_API int b8g_status_exit_code(b8g_status st);
B8G_API const char *b8g_trap_name(b8g_trap_kind k);
/* Formats "invalid module: type mismatch in i32.add at offset 0x1a3
 * (function 4)" into buf; returns buf. */
B8G_API const char *b8g_error_format(const b8g_error *e, char *buf, size_t n);

/* ---- source locations ----------------------------------------------------
 *
 * A module compiled with debug info (clang -g) carries DWARF in custom
 * sections; these map a code offset (b8g_frame_info.code_offset) back to the
 * source.  The DWARF is read on the first call for a module, once, from any
 * thread; a module without usable DWARF (none, or malformed) just has no
 * source locations.  Strings belong to the module, like frame names.
 */
typedef struct b8g_source_loc {
    const char *function; /* the function's name in the DWARF, or NULL */
    const char *file;     /* source path (the compile directory joined to a
                             relative name), or NULL */
    uint32_t line;        /* 0: no line (code the compiler made up) */
    uint32_t column;      /* 0: no column */
    bool inlined;         /* `function` is inlined into the next entry */
} b8g_source_loc;

/*
 * The chain of source locations of the code at code_offset (a byte offset
 * in the module), innermost first: entry 0 is the most deeply inlined
 * function and where in it the code is; each next entry is the function
 * that one was inlined into and the line of that call; the last is the
 * function the code really belongs to (inlined false).  Returns the chain's
 * length and writes its first min(length, cap) entries; 0 when there is no
 * debug info for that offset.
 */
B8G_API uint32_t b8g_module_source(const struct b8g_module *m,
                                   uint64_t code_offset, b8g_source_loc *out,
                                   uint32_t cap);
/*
 * The reverse: module offsets of the code of source line `line` of `file`
 * (a path as the DWARF has it, or its last components: "buggy.c",
 * "src/buggy.c"), in address order.  Returns their count and writes the
 * first min(count, cap); *path, if not NULL, is the full path matched (a
 * string of the module), or NULL when there is none.
 */
B8G_API uint32_t b8g_module_line_offsets(const struct b8g_module *m, const char *file,
                                         uint32_t line, uint64_t *out, uint32_t cap,
                                         const char **path);
/* True if the module has DWARF that b8g_module_source can use. */
B8G_API bool b8g_module_has_debug_info(const struct b8g_module *m);

/* ---- values ------------------------------------------------------------ */

typedef enum b8g_valtype {
    B8G_I32 = 0x7f,
    B8G_I64 = 0x7e,
    B8G_F32 = 0x7d,
    B8G_F64 = 0x7c,
    B8G_V128 = 0x7b,
    B8G_FUNCREF = 0x70,
    B8G_EXTERNREF = 0x6f,
} b8g_valtype;

/*
 * A typed value.  Floats travel as their IEEE bit patterns so NaN payloads
 * survive.  References are pointers: NULL is the null reference; a funcref
 * points at an engine function object, an externref is any non-NULL value
 * the embedder chooses.
 */
typedef struct b8g_val {
    b8g_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32; /* bits */
        uint64_t f64; /* bits */
        void *ref;
    } of;
} b8g_val;

/* ---- modules ----------------------------------------------------------- */

typedef struct b8g_module b8g_module;
typedef struct b8g_store b8g_store;
typedef struct b8g_instance b8g_instance;

/* Decodes, validates and translates a binary module (the bytes are copied). */
B8G_API b8g_status b8g_module_load(const uint8_t *bytes, size_t len,
                                   b8g_module **out, b8g_error *err);
/* The same, except that each function body is validated and translated on
 * its first call: quicker for a large module of which a run calls little.
 * An invalid body is found only then, as a B8G_TRAP_INVALID_CODE trap
 * (it never runs).  Images load their modules this way, and an image
 * captured with B8G_SNAPSHOT_CODE from such a module carries the code of
 * exactly the functions that have run. */
B8G_API b8g_status b8g_module_load_lazy(const uint8_t *bytes, size_t len,
                                        b8g_module **out, b8g_error *err);

/* How a module's code was made ready so far: what start-up cost went to. */
typedef struct b8g_code_stats {
    bool lazy;            /* b8g_module_load_lazy, or an image's module */
    uint32_t functions;   /* defined functions */
    uint32_t translated;  /* lazy: validated and translated on first call */
    uint32_t taken;       /* lazy: taken from a trusted image's code */
} b8g_code_stats;
B8G_API void b8g_module_code_stats(const b8g_module *m, b8g_code_stats *out);
B8G_API void b8g_module_free(b8g_module *m);

typedef enum b8g_extern_kind {
    B8G_EXTERN_FUNC = 0,
    B8G_EXTERN_TABLE = 1,
    B8G_EXTERN_MEMORY = 2,
    B8G_EXTERN_GLOBAL = 3,
} b8g_extern_kind;

/* Number of exports / custom sections, and access by position. */
B8G_API uint32_t b8g_module_export_count(const b8g_module *m);
B8G_API const char *b8g_module_export_name(const b8g_module *m, uint32_t i,
                                           b8g_extern_kind *kind);
B8G_API uint32_t b8g_module_custom_count(const b8g_module *m);
B8G_API const uint8_t *b8g_module_custom(const b8g_module *m, uint32_t i,
                                         const char **name, size_t *len);

/* An import of a module.  Names point into the module (NUL-terminated, but
 * a wasm name may itself contain NUL bytes: use the lengths). */
typedef struct b8g_import_info {
    const char *module;
    size_t module_len;
    const char *field;
    size_t field_len;
    b8g_extern_kind kind;
    b8g_valtype type;     /* global: its value type; table: element type */
    bool mutable_;        /* global */
    uint32_t min, max;    /* table, memory: limits */
    bool has_max;
} b8g_import_info;

B8G_API uint32_t b8g_module_import_count(const b8g_module *m);
/* B8G_ARG if i is out of range. */
B8G_API b8g_status b8g_module_import(const b8g_module *m, uint32_t i,
                                     b8g_import_info *out);
/* A function import's signature in b8g_host_func's notation ("ii:i") into
 * buf; returns the length it needs (excluding the NUL, like snprintf), or
 * 0 if import i is not a function or has a type with no such letter. */
B8G_API size_t b8g_module_import_sig(const b8g_module *m, uint32_t i,
                                     char *buf, size_t n);

/* ---- stores, limits and host modules ------------------------------------ */

#define B8G_MIN_STACK_BYTES ((size_t)64 << 10)

typedef struct b8g_config {
    uint64_t fuel;            /* 0: unlimited */
    size_t max_stack_bytes;   /* engine-managed value+frame stack; 0: default
                                 8 MiB; smaller than B8G_MIN_STACK_BYTES is
                                 raised to it */
    uint32_t max_memory_pages; /* cap on every memory; 0: 65536 (4 GiB) */
    uint64_t max_table_elements; /* all tables of the store together; 0: as
                                  many 8-byte slots as fit in the memory cap
                                  when one is set, else 40 million */
} b8g_config;

B8G_API b8g_store *b8g_store_new(const b8g_config *cfg);
B8G_API void b8g_store_free(b8g_store *s);

/* Fuel left (UINT64_MAX when unlimited) and refuelling (0: unlimited). */
B8G_API uint64_t b8g_store_fuel(const b8g_store *s);
B8G_API void b8g_store_set_fuel(b8g_store *s, uint64_t fuel);
/* Asks running code to stop at its next safe point; thread-safe. */
B8G_API void b8g_store_interrupt(b8g_store *s);
/* Stops whatever runs in s at its next safe point, and every later call
 * at its first one (all trap as interrupted); for tearing a store down
 * from another thread without a window in which a new call escapes.
 * Thread-safe; cannot be undone. */
B8G_API void b8g_store_cancel(b8g_store *s);
/* True while an interrupt is requested but not yet seen by running code:
 * host functions that block (sleep, poll, read) check it to end early by
 * returning a B8G_TRAP_INTERRUPTED trap. */
B8G_API bool b8g_store_interrupt_pending(const b8g_store *s);

/*
 * Host functions see their arguments in slots[0..nparams) and write their
 * results to slots[0..nresults).  i32 is stored zero-extended in a slot,
 * f32/f64 as bits, references as pointers.  Return B8G_OK or B8G_TRAP (fill
 * err->msg; the engine adds the backtrace).
 */
typedef struct b8g_hostcall {
    b8g_store *store;
    b8g_instance *caller; /* instance of the calling function, or NULL */
    void *user;
} b8g_hostcall;
typedef b8g_status (*b8g_host_fn)(b8g_hostcall *call, uint64_t *slots,
                                  b8g_error *err);

/* An empty host instance to which functions/globals/... are added. */
B8G_API b8g_instance *b8g_host_instance_new(b8g_store *s);
/* sig is "PARAMS:RESULTS" with i,I,f,F,r (funcref),e (externref):
 * "ii:i" = (i32,i32)->i32, ":" = ()->(). */
B8G_API b8g_status b8g_host_func(b8g_instance *h, const char *name,
                                 const char *sig, b8g_host_fn fn, void *user);
B8G_API b8g_status b8g_host_global(b8g_instance *h, const char *name,
                                   b8g_val v, bool mutable_);
B8G_API b8g_status b8g_host_memory(b8g_instance *h, const char *name,
                                   uint32_t min_pages, uint32_t max_pages,
                                   bool has_max);
B8G_API b8g_status b8g_host_table(b8g_instance *h, const char *name,
                                  b8g_valtype elem, uint32_t min, uint32_t max,
                                  bool has_max);

/* Makes inst's exports importable under module name `name` (replacing any
 * earlier registration of that name). */
B8G_API b8g_status b8g_register(b8g_store *s, const char *name,
                                b8g_instance *inst);

/* Resolves imports against registered names, allocates, initialises
 * segments and runs the start function.  On a trap in segment
 * initialisation or start, *out is still NULL and err says why. */
B8G_API b8g_status b8g_instantiate(b8g_store *s, const b8g_module *m,
                                   b8g_instance **out, b8g_error *err);

/* ---- tracing host calls (docs/trace.md) ----------------------------------- */

/*
 * A tracer set on a store sees every call from wasm into a host function
 * of that store - WASI, the "b8g" ABI, the embedder's own - once it has
 * returned or trapped, on the thread that made it.  Arguments and
 * results come as slots and as the engine's decoding of them (paths,
 * descriptors with their kind, byte counts and previews, errno names).
 * Every pointer in the record is valid only during the callback.  With
 * no tracer, a host call pays one test of a pointer for this.
 */
typedef struct b8g_trace_call {
    uint64_t start_ns, end_ns; /* CLOCK_MONOTONIC around the host function */
    uint64_t epoch_ns;         /* CLOCK_MONOTONIC when the tracer was set */
    uint64_t instance;         /* b8g_instance_id of the caller; 0: the
                                  embedder called the host function itself */
    const char *module;        /* the name its host instance was first
                                  registered under ("" if never) */
    const char *name;          /* its name in b8g_host_func */
    const char *sig;           /* its signature, b8g_host_func notation */
    uint32_t nargs, nresults;
    const uint64_t *args;      /* the argument slots it was given */
    const uint64_t *results;   /* its result slots (status B8G_OK only) */
    b8g_status status;         /* B8G_OK, or B8G_TRAP: the call trapped */
    const b8g_error *error;    /* B8G_TRAP: kind, exit code, message */
    bool failed;               /* a trap other than an exit, a WASI errno
                                  other than ESUCCESS, or a negative
                                  result of the "b8g" ABI */
    const char *result;        /* "ESUCCESS", "ENOENT", "EBADH", "ok",
                                  "trap: exit(3)", ... (docs/trace.md) */
    const char *args_json;     /* the arguments decoded: a JSON object */
    const char *ret_json;      /* results and outputs: a JSON object */
} b8g_trace_call;

typedef void (*b8g_trace_fn)(void *arg, const b8g_trace_call *c);

/* Sets s's tracer (fn NULL: none) for calls that start afterwards; not
 * while another thread runs code in s. */
B8G_API void b8g_store_set_tracer(b8g_store *s, b8g_trace_fn fn, void *arg);
/* A number no other instance of this process has had, from 1 up, given
 * when a module is instantiated or an image restored (0 for host
 * instances). */
B8G_API uint64_t b8g_instance_id(const b8g_instance *inst);
/* c as one line of JSON (without the newline), like snprintf: writes at
 * most cap bytes including a NUL and returns the length the whole line
 * needs. */
B8G_API size_t b8g_trace_json(const b8g_trace_call *c, char *buf, size_t cap);

/* ---- profiling (docs/profile.md) ----------------------------------------- */

/*
 * A profile of what a store's guests run: fuel units (one per loop
 * back-edge and per call, what --fuel meters) and wall time, each
 * attributed to the call stack it ran under.  Units are counted by
 * sampling every `period` units (the whole period goes to the stack
 * standing when it ends), wall time every `sample_us` microseconds (the
 * time since the last sample goes to the stack at the next safe point;
 * time blocked in a host call goes to the function that made it).
 * Without a profile the engine pays nothing; with one, each sample walks
 * the stack.  One profile per store; the store's thread is the only one
 * that adds to it, so read it only while no call runs.
 */
typedef struct b8g_profile b8g_profile;

typedef struct b8g_profile_config {
    uint32_t period;    /* fuel units per sample; 0: 61.  UINT32_MAX:
                           wall time only (units are not counted) */
    uint32_t sample_us; /* wall-clock sampling interval; 0: 1000 */
} b8g_profile_config;

typedef struct b8g_profile_func {
    const char *name;      /* from the name section or exports, else
                              "func[N]"; valid while the profile is */
    uint32_t func;         /* index in its module */
    uint64_t self_units;   /* fuel units with it innermost */
    uint64_t total_units;  /* fuel units with it anywhere on the stack */
    uint64_t self_ns, total_ns; /* the same for wall time */
} b8g_profile_func;

/* Starts profiling s (cfg may be NULL).  B8G_ARG when s already has one;
 * B8G_NOMEM / B8G_IO when the sampling thread cannot be made. */
B8G_API b8g_status b8g_profile_start(b8g_store *s, const b8g_profile_config *cfg,
                                     b8g_profile **out, b8g_error *err);
/* Stops counting: the store runs at full speed again; the data stay. */
B8G_API void b8g_profile_stop(b8g_profile *p);
/* Stops it if need be, and frees it. */
B8G_API void b8g_profile_free(b8g_profile *p);
/* Fuel units (wall false) or nanoseconds (wall true) recorded in all. */
B8G_API uint64_t b8g_profile_total(const b8g_profile *p, bool wall);
/* The functions seen, most self units first (then most self time), into
 * out[0..cap); returns how many there are. */
B8G_API uint32_t b8g_profile_functions(b8g_profile *p, b8g_profile_func *out,
                                       uint32_t cap);
/* Folded stacks, one "outer;...;inner COUNT" line per distinct stack -
 * what flamegraph.pl and speedscope read - of fuel units (wall false) or
 * microseconds (wall true), into buf[0..cap) with a NUL; returns the
 * length the whole text needs, as snprintf does.  Names are the
 * functions' labels with ';', spaces and control bytes made '_'. */
B8G_API size_t b8g_profile_folded(b8g_profile *p, bool wall, char *buf, size_t cap);

/* ---- calling ------------------------------------------------------------ */

/* A function: what funcref values point at, and what b8g_lookup_func finds. */
typedef struct b8g_func b8g_func;

/* Looks up an exported function by a name of name_len bytes (wasm names may
 * contain NUL bytes).  The handle lives as long as its store. */
B8G_API b8g_status b8g_lookup_func(b8g_instance *inst, const char *name,
                                   size_t name_len, b8g_func **out,
                                   b8g_error *err);
B8G_API void b8g_func_signature(const b8g_func *f, uint32_t *nparams,
                                const b8g_valtype **params, uint32_t *nresults,
                                const b8g_valtype **results);
/* Calls f; same contract as b8g_call. */
B8G_API b8g_status b8g_call_func(b8g_func *f, const b8g_val *args,
                                 uint32_t nargs, b8g_val *results,
                                 uint32_t nresults, b8g_error *err);

/* Looks up an exported function; fills its signature. */
B8G_API b8g_status b8g_export_func(b8g_instance *inst, const char *name,
                                   uint32_t *nparams, const b8g_valtype **params,
                                   uint32_t *nresults,
                                   const b8g_valtype **results);

/*
 * Calls an exported function.  args must match the signature; results must
 * have room for every result.  Returns B8G_OK, B8G_TRAP (err has kind and
 * backtrace) or B8G_SUSPENDED (fuel ran out or an interrupt arrived at a
 * safe point: b8g_resume continues exactly there, b8g_abort discards).
 */
B8G_API b8g_status b8g_call(b8g_instance *inst, const char *name,
                            const b8g_val *args, uint32_t nargs,
                            b8g_val *results, uint32_t nresults,
                            b8g_error *err);
B8G_API b8g_status b8g_resume(b8g_store *s, b8g_val *results,
                              uint32_t nresults, b8g_error *err);
B8G_API void b8g_abort(b8g_store *s);
/* True while a call is suspended in s. */
B8G_API bool b8g_suspended(const b8g_store *s);
/* The result types of the call suspended in s (its count; 0 and *types
 * NULL when none is), e.g. to size b8g_resume's results after a restore. */
B8G_API uint32_t b8g_suspended_results(const b8g_store *s,
                                       const b8g_valtype **types);

/* ---- WASI preview1 -------------------------------------------------------- */

/*
 * A WASI context grants a guest exactly what its config names: argv, the
 * environment, three host descriptors lent as stdio, and preopened
 * directories.  b8g_wasi_new registers the host module
 * "wasi_snapshot_preview1" in the store; b8g_wasi_attach puts the stdio and
 * preopen descriptors into an instance's capability handle table.  An
 * instance that was not attached can call WASI functions but holds no
 * descriptors.  Nothing else of the host is reachable: paths resolve only
 * beneath a preopened directory.
 */
typedef struct b8g_wasi b8g_wasi;

typedef struct b8g_wasi_dir {
    const char *host_path;  /* directory on the host */
    const char *guest_path; /* name the guest sees (prestat); NULL: host_path */
    bool readonly;          /* no right that writes or creates */
} b8g_wasi_dir;

typedef struct b8g_wasi_config {
    uint32_t argc;
    const char *const *argv;
    uint32_t envc;
    const char *const *env;  /* "NAME=VALUE" */
    int stdin_fd;            /* host descriptors lent as fds 0-2; -1: that
                                fd stays closed (preopens still start at 3) */
    int stdout_fd;
    int stderr_fd;
    uint32_t ndirs;
    const b8g_wasi_dir *dirs; /* fds 3.. in this order */
} b8g_wasi_config;

B8G_API b8g_status b8g_wasi_new(b8g_store *s, const b8g_wasi_config *cfg,
                                b8g_wasi **out, b8g_error *err);
/* B8G_ARG if inst is of another store or already holds descriptors. */
B8G_API b8g_status b8g_wasi_attach(b8g_wasi *w, b8g_instance *inst,
                                   b8g_error *err);
/* Frees the context (after the store's calls into it have ended). */
B8G_API void b8g_wasi_free(b8g_wasi *w);

/* ---- snapshots: the .b8g image (docs/image-format.md) --------------------- */

/*
 * A snapshot is the complete state of one module instance - memories,
 * globals, tables, dropped segments, its WASI descriptors and, when a call
 * is suspended in its store, that call's whole stack - in one
 * position-independent image.  Host resources are never in it: a restore
 * re-grants each descriptor the image's manifest names (by the guest path
 * of its preopened directory) from the WASI context it is given, with at
 * most the recorded rights, or fails.
 *
 * What can be captured: a store holding exactly one module instance (plus
 * host instances such as WASI's), whose imports are all functions, whose
 * handle table holds only WASI descriptors (stdio, preopens and what was
 * opened beneath them), with no non-null externref in a table or global
 * and, on a suspended stack, no function that handles references (see
 * docs/image-format.md).  Anything else fails with B8G_UNSUPPORTED.
 */
typedef struct b8g_image b8g_image;

/* Captures inst (attached to w, or w NULL for no WASI) into an image held
 * in memory.  The store must be idle, or hold a suspended call - which is
 * then captured, to continue after a restore with b8g_resume. */
B8G_API b8g_status b8g_snapshot(b8g_instance *inst, const b8g_wasi *w,
                                b8g_image **out, b8g_error *err);

/* b8g_snapshot with flags.  B8G_SNAPSHOT_CODE also stores the translated
 * code of every function translated so far (with a lazily loaded module:
 * those that have run), marked with this build's id, so that a trusted
 * open by the same build (B8G_IMAGE_OPEN_TRUSTED) runs them without
 * validating and translating them again.  Any other open ignores it. */
#define B8G_SNAPSHOT_CODE 1u
B8G_API b8g_status b8g_snapshot_ex(b8g_instance *inst, const b8g_wasi *w,
                                   uint32_t flags, b8g_image **out,
                                   b8g_error *err);
/* Writes img to path atomically: a temporary file beside it, fsync,
 * rename, fsync of the directory.  A crash leaves the old file or none.
 * B8G_ARG for an image b8g_image_open read without its code data (write
 * the file it came from instead). */
B8G_API b8g_status b8g_image_write(const b8g_image *img, const char *path,
                                   b8g_error *err);
/* Writes img to the start of an open, empty, writable file and fsyncs it
 * (for a file created before the process was confined). */
B8G_API b8g_status b8g_image_write_fd(const b8g_image *img, int fd,
                                      b8g_error *err);

#define B8G_IMAGE_OPEN_INSPECT 1u /* accept a bad checksum (the image can
                                     then only be inspected, not restored) */
/*
 * B8G_IMAGE_OPEN_TRUSTED: the caller vouches for the file - it was written
 * by this build of b8g, and nobody who could not also replace the b8g
 * binary can change it (b8g js passes it for its own image, installed
 * beside the executable).  The file is then mapped rather than copied, and
 * the translated code it carries (B8G_SNAPSHOT_CODE) runs without being
 * validated or translated again: stored code is not checked, so a crafted
 * trusted image runs what it likes in the host process.  The library
 * trusts a file only if it is owned by the effective user or root and
 * writable by nobody else, and uses code only from this very build;
 * otherwise the flag is ignored (b8g_image_info says what was used).
 * b8g_image_open_bytes ignores it.  The file stays mapped while the
 * image and its module live: replace it by renaming a new file over it
 * (as b8g_image_write does), never by rewriting it in place.
 */
#define B8G_IMAGE_OPEN_TRUSTED 2u

/* Opens an image file: checks magic, version, checksum and every offset,
 * count and length, and loads its module.  B8G_IMAGE for anything wrong,
 * with what and where. */
B8G_API b8g_status b8g_image_open(const char *path, uint32_t flags,
                                  b8g_image **out, b8g_error *err);
/* The same from bytes in memory (copied). */
B8G_API b8g_status b8g_image_open_bytes(const uint8_t *bytes, size_t len,
                                        uint32_t flags, b8g_image **out,
                                        b8g_error *err);
B8G_API void b8g_image_free(b8g_image *img);

typedef struct b8g_image_info {
    char version[129];        /* the header's version string */
    uint32_t ncontexts;
    bool rehashable;          /* false: captured after the guest read
                                 entropy, a clock or a link key */
    bool checksum_ok;
    uint64_t file_bytes;
    uint64_t module_bytes;
    bool suspended;           /* holds a suspended call */
    uint32_t nframes;         /* of that call */
    uint64_t fuel;            /* fuel left at capture; UINT64_MAX: unlimited */
    uint32_t nmemories;
    uint64_t memory_bytes;    /* memory 0: its size */
    uint64_t stored_bytes;    /* memory 0: the non-zero pages stored */
    uint32_t nhandles;        /* manifest entries */
    uint32_t argc, envc;      /* recorded arguments and environment */
    uint32_t code_funcs;      /* functions with stored translated code
                                 (0 when the open did not read it) */
    uint64_t code_bytes;      /* the code data's size */
    bool code_this_build;     /* that code was made by this build */
    bool code_used;           /* and a trusted open took it */
} b8g_image_info;

B8G_API void b8g_image_get_info(const b8g_image *img, b8g_image_info *out);
/* The module an image runs (owned by the image: valid until it is freed). */
B8G_API const b8g_module *b8g_image_module(const b8g_image *img);
/* Recorded argument / environment string i ("NAME=VALUE"), or NULL. */
B8G_API const char *b8g_image_arg(const b8g_image *img, uint32_t i);
B8G_API const char *b8g_image_env(const b8g_image *img, uint32_t i);

typedef enum b8g_manifest_kind {
    B8G_MANIFEST_STDIO = 0,   /* lent stdio stream n (name "stdin" ...) */
    B8G_MANIFEST_PREOPEN = 1, /* a preopened directory: name = guest path */
    B8G_MANIFEST_FILE = 2,    /* opened beneath preopen `name` at `path` */
    B8G_MANIFEST_DIR = 3,
} b8g_manifest_kind;

typedef struct b8g_manifest_entry {
    b8g_manifest_kind kind;
    uint32_t fd;              /* the descriptor number the guest uses */
    const char *name;         /* stdio name or preopen guest path */
    const char *path;         /* FILE/DIR: path beneath it; else "" */
    uint64_t rights;          /* WASI base rights */
    uint64_t inheriting;      /* WASI inheriting rights */
} b8g_manifest_entry;

/* Manifest entry i (B8G_ARG past the end); strings owned by the image. */
B8G_API b8g_status b8g_image_manifest(const b8g_image *img, uint32_t i,
                                      b8g_manifest_entry *out);

#define B8G_RESTORE_FORK 1u /* allow restoring a non-rehashable image more
                               than once (each restore forks its secrets) */

/*
 * Restores the image's context into store s, which must hold no module
 * instance yet, with WASI context w of that store (NULL: the image may
 * hold no descriptor).  Each manifest entry is granted from w, in its
 * recorded fd: stdio by stream name, preopens by guest path, files and
 * directories reopened beneath them (at their recorded position); a
 * missing one fails with B8G_IMAGE naming it.  The store's fuel becomes
 * the recorded fuel (b8g_store_set_fuel afterwards replaces it).  If the
 * image holds a suspended call, s holds it suspended afterwards:
 * b8g_resume continues it exactly where it stopped.  Every
 * restore is a fresh context: new link keys, new handle salts.
 */
B8G_API b8g_status b8g_image_restore(b8g_image *img, b8g_store *s,
                                     b8g_wasi *w, uint32_t flags,
                                     b8g_instance **out, b8g_error *err);

/* One clone made by b8g_fork: its own store, WASI context and instance. */
typedef struct b8g_clone {
    b8g_store *store;
    b8g_wasi *wasi;           /* NULL when made without WASI */
    b8g_instance *inst;
} b8g_clone;

/*
 * Clones inst (attached to w, or NULL) n times.  Each clone gets a new
 * store (cfg; NULL: defaults) and a WASI context made from wcfg (NULL: no
 * WASI), and starts from inst's state: memory pages nobody writes stay
 * shared copy-on-write.  Fails (making none) if inst cannot be captured or
 * has read entropy, clocks or link keys, unless flags has
 * B8G_RESTORE_FORK.  Free each clone with b8g_clone_free.
 */
B8G_API b8g_status b8g_fork(b8g_instance *inst, const b8g_wasi *w,
                            const b8g_config *cfg, const b8g_wasi_config *wcfg,
                            uint32_t flags, uint32_t n, b8g_clone *clones,
                            b8g_error *err);
B8G_API void b8g_clone_free(b8g_clone *c);

/* ---- capabilities: the component ABI (docs/abi.md) ------------------------ */

/*
 * Kernel objects a host shares with components: events, timers, streams
 * (one direction, two ends), channels (messages with bytes and handles,
 * two ends), memory regions, modules and tasks.  The host holds counted references
 * (b8g_object); b8g_grant puts one into an instance's handle table with
 * rights, and the guest reaches it only through that handle and the
 * import module "b8g" that b8g_caps_register adds to a store.  Rights
 * only shrink; an object is freed when its last reference, host's or
 * handle's, goes.
 */
typedef struct b8g_object b8g_object;

#define B8G_RIGHT_READ (1u << 0)
#define B8G_RIGHT_WRITE (1u << 1)
#define B8G_RIGHT_MAP (1u << 2)
#define B8G_RIGHT_CALL (1u << 3)
#define B8G_RIGHT_DUP (1u << 4)
#define B8G_RIGHT_TRANSFER (1u << 5)
#define B8G_RIGHT_WAIT (1u << 6)
#define B8G_RIGHT_SIGNAL (1u << 7)
#define B8G_RIGHT_INSPECT (1u << 8)
#define B8G_RIGHTS_ALL 0x1ffu

/* Registers the import module "b8g" in s (once per store). */
B8G_API b8g_status b8g_caps_register(b8g_store *s, b8g_error *err);

B8G_API b8g_status b8g_event_new(b8g_object **out, b8g_error *err);
/* capacity 0: 64 KiB; at most 16 MiB. */
B8G_API b8g_status b8g_stream_new(uint32_t capacity, b8g_object **reader,
                                  b8g_object **writer, b8g_error *err);
B8G_API b8g_status b8g_channel_new(b8g_object **a, b8g_object **b,
                                   b8g_error *err);
/* size: a positive multiple of 64 KiB, at most 4 GiB. */
B8G_API b8g_status b8g_region_new(uint64_t size, b8g_object **out,
                                  b8g_error *err);
/* A timer, unarmed (docs/abi.md, "Timers"). */
B8G_API b8g_status b8g_timer_new(b8g_object **out, b8g_error *err);
/* A loaded module as an object: a component holding it with the CALL
 * right can start it as a task (docs/abi.md).  Takes its own module
 * reference. */
B8G_API b8g_status b8g_module_object(b8g_module *m, b8g_object **out,
                                     b8g_error *err);
/* Drops the host's reference. */
B8G_API void b8g_object_release(b8g_object *o);

/* Grants o to inst with `rights` (masked to what o's kind can use); the
 * handle value the guest will use goes to *handle. */
B8G_API b8g_status b8g_grant(b8g_instance *inst, b8g_object *o,
                             uint32_t rights, uint32_t *handle,
                             b8g_error *err);
/* Closes a handle of inst, whatever its rights: the host can always take
 * back what it granted. */
B8G_API b8g_status b8g_revoke(b8g_instance *inst, uint32_t handle,
                              b8g_error *err);

/*
 * Link keys (docs/abi.md, "Link keys").  Every module instance has a
 * secret 32-byte key from the OS CSPRNG (made when first asked for); a
 * holder of the key can link to the instance once it listens (the
 * guest's link_listen): a new channel's one end arrives in its inbox, the
 * other comes back to the linker.  Without the key an instance cannot be
 * named at all.  Keys are never logged; treat them as secrets.
 *
 * b8g_link_key copies inst's key to key, for the host to hand to another
 * component (in a channel message, a region, its memory).  b8g_link links
 * as a guest would; the end goes to *channel_end (release it with
 * b8g_object_release).  A wrong key, an instance that is gone and one
 * that does not listen all give B8G_ARG "no such context"; B8G_LIMIT
 * when the instance's inbox is full (only reachable with its key).
 */
B8G_API b8g_status b8g_link_key(b8g_instance *inst, uint8_t key[32],
                                b8g_error *err);
B8G_API b8g_status b8g_link(const uint8_t key[32], b8g_object **channel_end,
                            b8g_error *err);

/* Host-side use of objects, never blocking: copies (regions), moves bytes
 * (streams: *done bytes, 0 at end-of-stream for a read; B8G_LIMIT when it
 * would block), signals (events). */
B8G_API b8g_status b8g_region_read(b8g_object *r, uint64_t off, void *buf,
                                   size_t len, b8g_error *err);
B8G_API b8g_status b8g_region_write(b8g_object *r, uint64_t off,
                                    const void *buf, size_t len,
                                    b8g_error *err);
B8G_API b8g_status b8g_stream_read(b8g_object *reader, void *buf, size_t len,
                                   size_t *done, b8g_error *err);
B8G_API b8g_status b8g_stream_write(b8g_object *writer, const void *buf,
                                    size_t len, size_t *done, b8g_error *err);
B8G_API b8g_status b8g_event_signal(b8g_object *e, b8g_error *err);
/* Arms a timer as a guest's timer_set does: SIGNALED delay_ns (> 0) from
 * now, then every period_ns (0: once; else at least 1 ms).  B8G_LIMIT
 * when the process has 65536 timers armed.  Cancelling disarms it and
 * clears SIGNALED. */
B8G_API b8g_status b8g_timer_set(b8g_object *timer, uint64_t delay_ns,
                                 uint64_t period_ns, b8g_error *err);
B8G_API b8g_status b8g_timer_cancel(b8g_object *timer, b8g_error *err);
/* Channels, never blocking (B8G_LIMIT when the peer's queue is full or
 * nothing is queued; B8G_IO when the peer is gone).  Objects sent move
 * the host's references into the message: on success the host no longer
 * holds them.  A read gives the host one reference per object received
 * (b8g_object_release each); if the next message does not fit (*nbytes
 * and *nobjects say what it needs) it stays queued and B8G_LIMIT comes
 * back. */
B8G_API b8g_status b8g_channel_write(b8g_object *end, const void *bytes,
                                     size_t nbytes, b8g_object *const *objects,
                                     uint32_t nobjects, b8g_error *err);
B8G_API b8g_status b8g_channel_read(b8g_object *end, void *buf, size_t cap,
                                    size_t *nbytes, b8g_object **objects,
                                    uint32_t cap_objects, uint32_t *nobjects,
                                    b8g_error *err);

/*
 * Waiting on objects from the host (docs/abi.md, "Signals and waiting"):
 * blocks until some item's object asserts one of its `signals`, or
 * timeout_ns passes (UINT64_MAX: forever; 0: just look).  B8G_OK with
 * every item's `observed` filled (at least one matching); B8G_LIMIT on
 * timeout (observed filled too); B8G_ARG for n of 0 or above 64, a NULL
 * object or one that cannot be waited on (a region, a module).
 */
#define B8G_SIGNAL_READABLE (1u << 0)    /* data or a message to read */
#define B8G_SIGNAL_WRITABLE (1u << 1)    /* room to write */
#define B8G_SIGNAL_PEER_CLOSED (1u << 2) /* the other end is gone */
#define B8G_SIGNAL_SIGNALED (1u << 3)    /* event signalled, timer expired,
                                            task ended */
#define B8G_WAIT_MAX 64u

typedef struct b8g_wait_item {
    b8g_object *object;  /* in */
    uint32_t signals;    /* in: B8G_SIGNAL_* that end the wait */
    uint32_t observed;   /* out: the object's signals when it ended */
} b8g_wait_item;

B8G_API b8g_status b8g_wait(b8g_wait_item *items, uint32_t n,
                            uint64_t timeout_ns, b8g_error *err);

/*
 * Tasks started by the host: m's export `entry` (one i32 parameter per
 * argument, nothing or one i32 back) runs on the process's task threads
 * in a store of its own with cfg's limits (NULL: defaults), the "b8g"
 * module and an empty WASI context.  args[i] is granted to the task with
 * rights[i] (masked to its kind) and its handle value is the i-th
 * argument; the task takes its own references.  *task is signalled
 * (B8G_SIGNAL_SIGNALED) when the task has ended; releasing the last
 * reference to it cancels it.  B8G_LIMIT when 64 tasks are running.
 */
typedef enum b8g_task_state {
    B8G_TASK_RUNNING = 0,
    B8G_TASK_RETURNED = 1,  /* value: the entry's i32 result, or 0 */
    B8G_TASK_TRAPPED = 2,   /* value: the b8g_trap_kind */
    B8G_TASK_CANCELLED = 3,
    B8G_TASK_FAILED = 4,    /* could not start; value: the b8g_status */
} b8g_task_state;

B8G_API b8g_status b8g_task_start(b8g_module *m, const char *entry,
                                  b8g_object *const *args,
                                  const uint32_t *rights, uint32_t nargs,
                                  const b8g_config *cfg, b8g_object **task,
                                  b8g_error *err);
/* The state and (once ended) value of a task object; B8G_TASK_FAILED with
 * value B8G_ARG for an object that is not a task.  why (may be NULL) gets
 * how a trapped or failed task ended - the error with its message and
 * backtrace, whose names stay valid while the task object is held - and
 * code B8G_OK otherwise.  value and why may be NULL. */
B8G_API b8g_task_state b8g_task_result(b8g_object *task, int32_t *value,
                                       b8g_error *why);
/* Stops a task; its end is seen as usual (B8G_TASK_CANCELLED). */
B8G_API void b8g_task_cancel(b8g_object *task);

/*
 * The canonical component entry, b8g_main(shared, private, callback):
 * starts m's export "b8g_main" as a task with three handles - `shared`
 * (a region others may map too) with shared_rights, a new private region
 * of private_size bytes (a positive multiple of 64 KiB) that nobody else
 * holds, and one end of a new channel, the callback, through which the
 * component reports results and events.  The other end comes back in
 * *callback: wait on it (b8g_wait, READABLE | PEER_CLOSED) and read it
 * (b8g_channel_read); wait on *task for the end.  Release both.
 */
B8G_API b8g_status b8g_main_start(b8g_module *m, b8g_object *shared,
                                  uint32_t shared_rights,
                                  uint64_t private_size,
                                  const b8g_config *cfg, b8g_object **task,
                                  b8g_object **callback, b8g_error *err);

/*
 * Host files and directories as objects (docs/abi.md, "Files and
 * directories"): what a component holding one sees as a WASI descriptor,
 * and what it may pass on in a channel message like any handle.  fd is
 * duplicated (the caller keeps its own; the two share position and
 * flags); read_only leaves only the WASI rights that read (for a
 * directory: also everything opened beneath it), and a file the host
 * opened read-only gets no writing rights anyway.  b8g_grant gives it
 * with the WASI rights the object allows.  B8G_ARG for a descriptor that
 * is not open or is neither a regular file nor a directory.
 */
B8G_API b8g_status b8g_file_object(int fd, bool read_only, b8g_object **out,
                                   b8g_error *err);

/*
 * Process confinement (Linux).  After setup, an embedder that runs only
 * guests in this process can shut the rest of the system out of it: this
 * sets no_new_privs, installs a Landlock ruleset that lets files be
 * reached only beneath the listed directories (read-only ones without any
 * write right), and a seccomp-bpf allow-list of the system calls the
 * engine and the WASI layer make; any other call kills the process.  The
 * whole process is confined, every thread included, and it cannot be
 * undone.  Landlock is used as far as the kernel supports it (report
 * says how far); seccomp and no_new_privs are required.  docs/security.md
 * lists what is allowed and why.
 */
typedef struct b8g_confine_dir {
    int fd;         /* an open directory (O_PATH is enough) */
    bool writable;  /* false: read and list only */
    bool create_only; /* only create and replace (rename over) regular
                         files here, and remove them; nothing is read or
                         written through a path (writable is ignored).
                         For a file made before confining and renamed
                         into place afterwards, such as an image. */
} b8g_confine_dir;

typedef struct b8g_confine_report {
    int landlock_abi;     /* the kernel's Landlock ABI version; 0: none */
    bool landlock;        /* a Landlock ruleset is in force */
    bool seccomp;         /* the seccomp allow-list is in force */
    bool no_new_privs;
} b8g_confine_report;

/* What this kernel offers, without confining anything. */
B8G_API void b8g_confine_probe(b8g_confine_report *out);
/* Confines the calling process to dirs (may be NULL when ndirs is 0).
 * report may be NULL. */
B8G_API b8g_status b8g_confine_process(const b8g_confine_dir *dirs,
                                       uint32_t ndirs,
                                       b8g_confine_report *report,
                                       b8g_error *err);
/* The same, with the directories the WASI context w grants (its
 * preopens, read-only ones as such). */
B8G_API b8g_status b8g_wasi_confine(const b8g_wasi *w,
                                    b8g_confine_report *report,
                                    b8g_error *err);

/* Reads an exported global. */
B8G_API b8g_status b8g_export_global(b8g_instance *inst, const char *name,
                                     b8g_val *out);

/* Exported memory 0 of an instance: base and size in bytes (NULL if none). */
B8G_API uint8_t *b8g_instance_memory(b8g_instance *inst, uint64_t *size);

/* ---- debugging --------------------------------------------------------- */

/*
 * A module loaded with b8g_module_load_debug is translated for a debugger:
 * before each of its instructions there is a stop, where the store's
 * debugger (b8g_store_set_debugger) is called and can look at every frame,
 * local, global and the memory, exactly as the wasm program has them at
 * that instruction.  No instructions are fused, so such code runs several
 * times slower; without a debugger set the stops only cost their dispatch.
 * Its instances cannot be captured into images (b8g_snapshot refuses).
 */
B8G_API b8g_status b8g_module_load_debug(const uint8_t *bytes, size_t len,
                                         b8g_module **out, b8g_error *err);
/* Functions of a module, imports first (the wasm function index space). */
B8G_API uint32_t b8g_module_func_count(const b8g_module *m);
/* Its name from the name section or an export, or NULL. */
B8G_API const char *b8g_module_func_name(const b8g_module *m, uint32_t func);
/* Module offset of its first instruction; B8G_NO_OFFSET for an import. */
B8G_API uint64_t b8g_module_func_offset(const b8g_module *m, uint32_t func);
/* The defined function whose body holds code_offset, or B8G_NO_FUNC. */
B8G_API uint32_t b8g_module_func_at(const b8g_module *m, uint64_t code_offset);

/* Where a debug stop is; valid only during the debugger call. */
typedef struct b8g_debug_stop b8g_debug_stop;
/* Called at each debug stop, on the thread running the guest; returns
 * true to go on, false to end the call (a B8G_TRAP_INTERRUPTED trap). */
typedef bool (*b8g_debug_fn)(void *arg, const b8g_debug_stop *stop);
/* Sets or (fn NULL) clears the store's debugger. */
B8G_API void b8g_store_set_debugger(b8g_store *s, b8g_debug_fn fn, void *arg);
/* NONE at a stop before an instruction; else the trap the instruction at
 * the stop raised (the call ends with it whatever the debugger returns). */
B8G_API b8g_trap_kind b8g_debug_trap(const b8g_debug_stop *stop);
/* Wasm frames on the stack at the stop (at least 1). */
B8G_API uint32_t b8g_debug_depth(const b8g_debug_stop *stop);
/* Frame i, 0 the innermost: its code_offset is the instruction about to
 * run (frame 0) or the call it is in (the others).  False if i >= depth. */
B8G_API bool b8g_debug_frame(const b8g_debug_stop *stop, uint32_t i,
                             b8g_frame_info *out);
/* The instance frame i runs in, or NULL if i >= depth. */
B8G_API b8g_instance *b8g_debug_instance(const b8g_debug_stop *stop, uint32_t i);
/* Frame i's locals, params first (*nparams of them): their count. */
B8G_API uint32_t b8g_debug_local_count(const b8g_debug_stop *stop, uint32_t i,
                                       uint32_t *nparams);
/* Local `local` of frame i, typed; false if either is out of range. */
B8G_API bool b8g_debug_local(const b8g_debug_stop *stop, uint32_t i,
                             uint32_t local, b8g_val *out);

/*
 * Variables of the C source (DWARF from clang -g; -O0 code is what they
 * describe fully).  The source variables in scope at frame i: the
 * parameters of its function, then its locals from the innermost lexical
 * block out, then the file-scope variables of its compile unit.  Values
 * are read from that frame's wasm locals, the instance's globals and its
 * memory; a variable whose location this debugger does not evaluate
 * (location lists, composite expressions) formats as
 * "<unsupported location>", one without a location as "<optimized out>".
 */
typedef struct b8g_source_var {
    const char *name;   /* the module's string */
    char type[96];      /* as C spells it: "unsigned int", "char *",
                           "struct point", "int [10]"; cut with "..." */
    bool param;         /* a parameter of the function */
    bool global;        /* file scope */
    uint32_t scope;     /* 0 file scope, 1 the function's body, +1 for each
                           nested block: among equal names, the largest
                           is the one the code sees */
    uint32_t id;        /* names it to b8g_debug_variable_format */
} b8g_source_var;
/* The source variables in scope at frame i of the stop: their count; the
 * first min(count, cap) are written to out.  0 when the frame's code has
 * no DWARF function (or i >= depth). */
B8G_API uint32_t b8g_debug_variables(const b8g_debug_stop *stop, uint32_t i,
                                     b8g_source_var *out, uint32_t cap);
/* The value of var (from b8g_debug_variables for the same stop and frame)
 * as text in buf: "14", "0x1070 \"hello\"", "{x = 1, y = 2}",
 * "{1, 2, 3, ...}", "GREEN (5)", "<optimized out>", "<cannot read
 * 0x...>"; aggregates show one level, strings and arrays their start, and
 * what does not fit in cap ends in "...".  Names in it are the module's.
 * Returns buf ("" if var is not in scope there). */
B8G_API const char *b8g_debug_variable_format(const b8g_debug_stop *stop, uint32_t i,
                                              const b8g_source_var *var, char *buf,
                                              size_t cap);

/* An instance's globals, imports first: count, and global i's value
 * (false if out of range; *mutable_ may be NULL). */
B8G_API uint32_t b8g_instance_global_count(const b8g_instance *inst);
B8G_API bool b8g_instance_global(const b8g_instance *inst, uint32_t i,
                                 b8g_val *out, bool *mutable_);

/* "i32", "i64", "f32", "f64", "v128", "funcref", "externref". */
B8G_API const char *b8g_valtype_name(b8g_valtype t);

/* Text for a value in the spec's notation ("42", "-1.5", "nan:0x200000",
 * "inf", "null"); returns buf. */
B8G_API const char *b8g_val_format(const b8g_val *v, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
