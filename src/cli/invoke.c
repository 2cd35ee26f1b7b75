/*
 * invoke.c - calling an export from the command line: --invoke NAME ARGS,
 * _start, or b8g snapshot's --init FUNC.
 *
 * Arguments are checked against the export's signature before anything
 * runs, so a typo never executes guest code with a half-parsed argument.
 * stdout gets the results only, one per line in the spec's notation, so
 * `b8g run --invoke f m.wasm 1 2` composes with other tools.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"

static const char *kind_name(b8g_extern_kind k)
{
    switch (k) {
    case B8G_EXTERN_FUNC: return "function";
    case B8G_EXTERN_TABLE: return "table";
    case B8G_EXTERN_MEMORY: return "memory";
    case B8G_EXTERN_GLOBAL: return "global";
    }
    return "export";
}

/* True if m exports `name`; *kind says what it is. */
static bool find_export(const b8g_module *m, const char *name, b8g_extern_kind *kind)
{
    uint32_t n = b8g_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *e = b8g_module_export_name(m, i, kind);
        if (e && strcmp(e, name) == 0) return true;
    }
    return false;
}

static b8g_status parse_args(const RunOpts *o, uint32_t np,
                             const b8g_valtype *types, b8g_val *args,
                             b8g_error *err)
{
    for (uint32_t i = 0; i < np; i++) {
        b8g_valtype t = types[i];
        if (t != B8G_I32 && t != B8G_I64 && t != B8G_F32 && t != B8G_F64)
            return cli_err(err, B8G_UNSUPPORTED,
                           "argument %u of \"%s\" is a %s; only i32, i64, f32 "
                           "and f64 can be given on the command line",
                           i + 1, o->invoke, b8g_valtype_name(t));
        if (!cli_parse_val(o->args[i], t, &args[i]))
            return cli_err(err, B8G_ARG, "argument %u of \"%s\": \"%s\" is not a valid %s",
                           i + 1, o->invoke, o->args[i], b8g_valtype_name(t));
    }
    return B8G_OK;
}

b8g_status cli_print_results(const b8g_val *res, uint32_t n, b8g_error *err)
{
    char buf[256];
    if (n && cli_stdio_closed(1))
        return cli_err(err, B8G_IO, "cannot write results: %s", strerror(EBADF));
    for (uint32_t i = 0; i < n; i++) printf("%s\n", b8g_val_format(&res[i], buf, sizeof buf));
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_err(err, B8G_IO, "cannot write results: %s", strerror(errno));
    return B8G_OK;
}

static void type_list(const b8g_valtype *t, uint32_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " " : "",
                                 b8g_valtype_name(t[i]));
}

/* The exported function `name` (exact bytes: an export whose name merely
 * starts with `name` and a NUL is a different export). */
static b8g_status check_func_export(b8g_instance *inst, const b8g_module *m,
                                    const char *name, b8g_func **f, uint32_t *np,
                                    const b8g_valtype **pt, uint32_t *nr,
                                    const b8g_valtype **rt, b8g_error *err)
{
    if (b8g_lookup_func(inst, name, strlen(name), f, NULL) == B8G_OK) {
        b8g_func_signature(*f, np, pt, nr, rt);
        return B8G_OK;
    }
    /* Not a function export: say what it is, for the message. */
    b8g_extern_kind kind = B8G_EXTERN_FUNC;
    if (find_export(m, name, &kind) && kind != B8G_EXTERN_FUNC)
        return cli_err(err, B8G_ARG, "export \"%s\" is a %s, not a function", name,
                       kind_name(kind));
    return cli_err(err, B8G_ARG, "unknown export \"%s\"", name);
}

b8g_status cli_invoke(b8g_instance *inst, const b8g_module *m, const RunOpts *o,
                      b8g_error *err)
{
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    b8g_func *f;
    b8g_status st = check_func_export(inst, m, o->invoke, &f, &np, &pt, &nr, &rt, err);
    if (st) return st;
    if (o->nargs != np) {
        char types[128];
        type_list(pt, np, types, sizeof types);
        return cli_err(err, B8G_ARG, "\"%s\" takes %u argument%s (%s), got %u",
                       o->invoke, np, np == 1 ? "" : "s", types, o->nargs);
    }
    b8g_val *args = calloc(np + 1, sizeof *args);
    b8g_val *res = calloc(nr + 1, sizeof *res);
    if (!args || !res) {
        st = cli_err(err, B8G_NOMEM, "cannot allocate arguments");
    } else {
        st = parse_args(o, np, pt, args, err);
        if (!st) st = b8g_call_func(f, args, np, res, nr, err);
        if (!st) st = cli_print_results(res, nr, err);
    }
    free(args);
    free(res);
    return st;
}

/* Calls export `name`, which must take no parameters, and drops its
 * results. */
static b8g_status call_no_args(b8g_instance *inst, const b8g_module *m,
                               const char *name, b8g_error *err)
{
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    b8g_func *f;
    b8g_status st = check_func_export(inst, m, name, &f, &np, &pt, &nr, &rt, err);
    if (st) return st;
    if (np != 0) return cli_err(err, B8G_ARG, "\"%s\" must take no arguments", name);
    b8g_val *res = calloc(nr + 1, sizeof *res);
    if (!res) return cli_err(err, B8G_NOMEM, "cannot allocate results");
    st = b8g_call_func(f, NULL, 0, res, nr, err);
    free(res);
    return st;
}

b8g_status cli_start(b8g_instance *inst, const b8g_module *m, b8g_error *err)
{
    b8g_extern_kind kind = B8G_EXTERN_FUNC;
    /* Without _start the module's work, if any, was its start function. */
    if (!find_export(m, "_start", &kind)) return B8G_OK;
    return call_no_args(inst, m, "_start", err);
}

b8g_status cli_call_init(b8g_instance *inst, const b8g_module *m,
                         const char *name, b8g_error *err)
{
    return call_no_args(inst, m, name, err);
}
