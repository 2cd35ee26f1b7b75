/*
 * funcs.c - the functions a trace knows by name: WASI preview1 (witx
 * parameter names) and the "b8g" component ABI (docs/abi.md), each
 * parameter with its role (describe.h), and the names of their errors.
 *
 * Each row's signature is the one the engine registers (the tables of
 * src/wasi and src/cap/abi*.c); trace_find matches on it, so a row that
 * drifted from its function shows that function raw instead of misreading
 * it, and tests/unit/trace_test.c fails until every registered function
 * has its row.  A pair (pointer, length) is one role on the pointer and
 * TR_LEN on the length.
 */
#include "cap/object.h"
#include "trace/describe.h"
#include "wasi/wasi.h"

#define P(name, role) {name, role}
#define LEN {NULL, TR_LEN}
#define FD P("fd", TR_FD)
#define H P("h", TR_HANDLE)
#define PATH P("path", TR_PATH), LEN

const TraceFunc trace_wasi_funcs[] = {
    {"args_get", "ii:i", {P("argv", TR_PTR), P("argv_buf", TR_PTR)}, {0}},
    {"args_sizes_get", "ii:i", {P("argc", TR_OUT_U32), P("argv_buf_size", TR_OUT_U32)}, {0}},
    {"environ_get", "ii:i", {P("environ", TR_PTR), P("environ_buf", TR_PTR)}, {0}},
    {"environ_sizes_get", "ii:i",
     {P("environc", TR_OUT_U32), P("environ_buf_size", TR_OUT_U32)}, {0}},
    {"clock_res_get", "ii:i", {P("clock", TR_CLOCK), P("resolution", TR_OUT_U64)}, {0}},
    {"clock_time_get", "iIi:i",
     {P("clock", TR_CLOCK), P("precision", TR_U64), P("time", TR_OUT_U64)}, {0}},
    /* the bytes are never shown: they may become keys */
    {"random_get", "ii:i", {P("buf", TR_PTR), P("buf_len", TR_U32)}, {0}},
    {"proc_exit", "i:", {P("code", TR_U32)}, {0}},
    {"proc_raise", "i:i", {P("sig", TR_U32)}, {0}},
    {"sched_yield", ":i", {{0}}, {0}},
    {"fd_advise", "iIIi:i",
     {FD, P("offset", TR_U64), P("len", TR_U64), P("advice", TR_U32)}, {0}},
    {"fd_allocate", "iII:i", {FD, P("offset", TR_U64), P("len", TR_U64)}, {0}},
    {"fd_close", "i:i", {FD}, {0}},
    {"fd_datasync", "i:i", {FD}, {0}},
    {"fd_fdstat_get", "ii:i", {FD, P("buf", TR_PTR)}, {0}},
    {"fd_fdstat_set_flags", "ii:i", {FD, P("fdflags", TR_HEX)}, {0}},
    {"fd_fdstat_set_rights", "iII:i",
     {FD, P("rights_base", TR_HEX), P("rights_inheriting", TR_HEX)}, {0}},
    {"fd_filestat_get", "ii:i", {FD, P("buf", TR_OUT_FILESTAT)}, {0}},
    {"fd_filestat_set_size", "iI:i", {FD, P("size", TR_U64)}, {0}},
    {"fd_filestat_set_times", "iIIi:i",
     {FD, P("atim", TR_U64), P("mtim", TR_U64), P("fst_flags", TR_HEX)}, {0}},
    {"fd_pread", "iiiIi:i",
     {FD, P("iovs", TR_IOVS_OUT), LEN, P("offset", TR_U64), P("nread", TR_OUT_COUNT)}, {0}},
    {"fd_prestat_get", "ii:i", {FD, P("buf", TR_OUT_PRESTAT)}, {0}},
    {"fd_prestat_dir_name", "iii:i", {FD, P("name", TR_STR_OUT), LEN}, {0}},
    {"fd_pwrite", "iiiIi:i",
     {FD, P("iovs", TR_IOVS_IN), LEN, P("offset", TR_U64), P("nwritten", TR_OUT_U32)}, {0}},
    {"fd_read", "iiii:i", {FD, P("iovs", TR_IOVS_OUT), LEN, P("nread", TR_OUT_COUNT)}, {0}},
    {"fd_readdir", "iiiIi:i",
     {FD, P("buf", TR_PTR), P("buf_len", TR_U32), P("cookie", TR_U64),
      P("bufused", TR_OUT_U32)}, {0}},
    {"fd_renumber", "ii:i", {FD, P("to", TR_FD)}, {0}},
    {"fd_seek", "iIii:i",
     {FD, P("offset", TR_S64), P("whence", TR_WHENCE), P("newoffset", TR_OUT_U64)}, {0}},
    {"fd_sync", "i:i", {FD}, {0}},
    {"fd_tell", "ii:i", {FD, P("offset", TR_OUT_U64)}, {0}},
    {"fd_write", "iiii:i", {FD, P("iovs", TR_IOVS_IN), LEN, P("nwritten", TR_OUT_U32)}, {0}},
    {"path_create_directory", "iii:i", {FD, PATH}, {0}},
    {"path_filestat_get", "iiiii:i",
     {FD, P("flags", TR_HEX), PATH, P("buf", TR_OUT_FILESTAT)}, {0}},
    {"path_filestat_set_times", "iiiiIIi:i",
     {FD, P("flags", TR_HEX), PATH, P("atim", TR_U64), P("mtim", TR_U64),
      P("fst_flags", TR_HEX)}, {0}},
    {"path_link", "iiiiiii:i",
     {P("old_fd", TR_FD), P("old_flags", TR_HEX), P("old_path", TR_PATH), LEN,
      P("new_fd", TR_FD), P("new_path", TR_PATH), LEN}, {0}},
    {"path_open", "iiiiiIIii:i",
     {FD, P("dirflags", TR_HEX), PATH, P("oflags", TR_HEX), P("rights_base", TR_HEX),
      P("rights_inheriting", TR_HEX), P("fdflags", TR_HEX), P("fd", TR_OUT_FD)}, {0}},
    {"path_readlink", "iiiiii:i",
     {FD, PATH, P("target", TR_STR_OUT), LEN, P("bufused", TR_OUT_COUNT)}, {0}},
    {"path_remove_directory", "iii:i", {FD, PATH}, {0}},
    {"path_rename", "iiiiii:i",
     {FD, P("old_path", TR_PATH), LEN, P("new_fd", TR_FD), P("new_path", TR_PATH), LEN}, {0}},
    {"path_symlink", "iiiii:i",
     {P("old_path", TR_PATH), LEN, FD, P("new_path", TR_PATH), LEN}, {0}},
    {"path_unlink_file", "iii:i", {FD, PATH}, {0}},
    {"poll_oneoff", "iiii:i",
     {P("in", TR_PTR), P("out", TR_PTR), P("nsubscriptions", TR_U32),
      P("nevents", TR_OUT_U32)}, {0}},
    {"sock_accept", "iii:i", {FD, P("flags", TR_HEX), P("fd", TR_OUT_FD)}, {0}},
    {"sock_recv", "iiiiii:i",
     {FD, P("iovs", TR_IOVS_OUT), LEN, P("ri_flags", TR_HEX), P("ro_datalen", TR_OUT_COUNT),
      P("ro_flags", TR_OUT_U16)}, {0}},
    {"sock_send", "iiiii:i",
     {FD, P("iovs", TR_IOVS_IN), LEN, P("si_flags", TR_HEX), P("so_datalen", TR_OUT_U32)}, {0}},
    {"sock_shutdown", "ii:i", {FD, P("how", TR_HEX)}, {0}},
};
const uint32_t trace_wasi_nfuncs = B8G_ARRAY_LEN(trace_wasi_funcs);

#define RET_HANDLE P("handle", TR_HANDLE)

const TraceFunc trace_abi_funcs[] = {
    {"handle_close", "i:i", {H}, {0}},
    {"handle_dup", "ii:i", {H, P("rights", TR_HEX)}, RET_HANDLE},
    {"handle_replace", "ii:i", {H, P("rights", TR_HEX)}, RET_HANDLE},
    {"handle_rights", "i:i", {H}, P("rights", TR_HEX)},
    {"handle_kind", "i:i", {H}, P("kind", TR_U32)},
    {"fd_handle", "i:i", {FD}, RET_HANDLE},
    {"handle_fd", "i:i", {H}, P("fd", TR_FD)},
    {"event_create", ":i", {{0}}, RET_HANDLE},
    {"event_signal", "i:i", {H}, {0}},
    {"event_clear", "i:i", {H}, {0}},
    {"wait", "iiI:i", {H, P("mask", TR_HEX), P("timeout_ns", TR_S64)}, P("signals", TR_HEX)},
    {"wait_many", "iiI:i",
     {P("items", TR_PTR), P("n", TR_U32), P("timeout_ns", TR_S64)}, P("ready", TR_U32)},
    {"region_create", "I:i", {P("size", TR_U64)}, RET_HANDLE},
    {"region_size", "i:I", {H}, P("size", TR_U64)},
    {"region_read", "iIii:i",
     {H, P("offset", TR_U64), P("ptr", TR_PTR), P("len", TR_U32)}, {0}},
    {"region_write", "iIii:i", {H, P("offset", TR_U64), P("data", TR_DATA_IN), LEN}, {0}},
    {"region_map", "iii:i", {H, P("addr", TR_PTR), P("len", TR_U32)}, {0}},
    {"region_unmap", "ii:i", {P("addr", TR_PTR), P("len", TR_U32)}, {0}},
    {"stream_create", "ii:i", {P("capacity", TR_U32), P("ends", TR_OUT_PAIR)}, {0}},
    {"stream_read", "iiii:i", {H, P("buf", TR_DATA_OUT), LEN, P("flags", TR_HEX)},
     P("count", TR_U32)},
    {"stream_write", "iiii:i", {H, P("data", TR_DATA_IN), LEN, P("flags", TR_HEX)},
     P("count", TR_U32)},
    {"channel_create", "i:i", {P("ends", TR_OUT_PAIR)}, {0}},
    {"channel_write", "iiiiii:i",
     {H, P("data", TR_DATA_IN), LEN, P("handles", TR_PTR), P("nhandles", TR_U32),
      P("flags", TR_HEX)}, {0}},
    {"channel_read", "iiiiiii:i",
     {H, P("bytes", TR_PTR), P("cap", TR_U32), P("handles", TR_PTR), P("cap_handles", TR_U32),
      P("actual", TR_OUT_PAIR), P("flags", TR_HEX)}, {0}},
    /* keys are secrets: only where they are */
    {"link_key", "i:i", {P("out", TR_PTR)}, {0}},
    {"link_listen", ":i", {{0}}, RET_HANDLE},
    {"link", "i:i", {P("key", TR_PTR)}, RET_HANDLE},
    {"task_spawn", "iiiiiI:i",
     {P("module", TR_HANDLE), P("entry", TR_PATH), LEN, P("handles", TR_PTR),
      P("nhandles", TR_U32), P("fuel", TR_U64)}, RET_HANDLE},
    {"task_result", "ii:i", {P("task", TR_HANDLE), P("out", TR_OUT_PAIR)}, {0}},
    {"task_cancel", "i:i", {P("task", TR_HANDLE)}, {0}},
    {"timer_create", ":i", {{0}}, RET_HANDLE},
    {"timer_set", "iII:i", {H, P("delay_ns", TR_S64), P("period_ns", TR_S64)}, {0}},
    {"timer_cancel", "i:i", {H}, {0}},
    {"timer_ack", "i:i", {H}, P("count", TR_U32)},
};
const uint32_t trace_abi_nfuncs = B8G_ARRAY_LEN(trace_abi_funcs);

/* witx errno order: the value is the index. */
static const char *const errno_names[] = {
    "ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT",
    "EAGAIN", "EALREADY", "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD",
    "ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ", "EDOM",
    "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ",
    "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE",
    "EMLINK", "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET",
    "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK",
    "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN",
    "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO",
    "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT",
    "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT",
    "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};
_Static_assert(B8G_ARRAY_LEN(errno_names) == WASI_ENOTCAPABLE + 1, "one name per errno");

const char *trace_errno_name(uint32_t e)
{
    return e < B8G_ARRAY_LEN(errno_names) ? errno_names[e] : NULL;
}

/* CapErr order (cap/object.h): the value is the index. */
static const char *const abi_error_names[] = {
    "OK", "EBADH", "EKIND", "ERIGHTS", "EINVAL", "EFAULT", "EAGAIN", "ECLOSED",
    "ETIMEDOUT", "ELIMIT", "ENOMEM", "EBUSY", "EINTR", "ENOTFOUND",
};
_Static_assert(B8G_ARRAY_LEN(abi_error_names) == CAP_ENOTFOUND + 1, "one name per CapErr");

const char *trace_abi_error_name(uint32_t e)
{
    return e < B8G_ARRAY_LEN(abi_error_names) ? abi_error_names[e] : NULL;
}

/* CapKind order (cap/handle.h). */
static const char *const kind_names[] = {
    "file", "dir", "stdio", "socket", "event", "stream_read", "stream_write",
    "channel", "region", "module", "task", "timer",
};

const char *trace_kind_name(const CapObject *o)
{
    if (!o) return "none";
    return o->kind < B8G_ARRAY_LEN(kind_names) ? kind_names[o->kind] : "object";
}
