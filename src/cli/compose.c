/*
 * compose.c - `b8g compose [OPTIONS] APP.json`: runs the components an
 * application file declares, wired by the objects it declares
 * (docs/compose.md).
 *
 * Every component gets its own store (its limits), the "b8g" module and a
 * WASI context holding only stdout and stderr, so a component is isolated
 * from the others except through the handles its entry point receives.
 * All are loaded, instantiated and granted first; then the process is
 * confined (no directory at all) and each component runs on a thread of
 * its own: its _initialize if it exports one (a WASI reactor), then its
 * entry point.  The host keeps no reference to the objects once they are
 * granted: when a component ends, its store goes and with it its handles,
 * so its peers see end-of-stream or a closed peer instead of waiting for
 * ever.  The summary goes to stderr, one line per component.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "cli/compose.h"
#include "cli/run.h"

typedef struct Running {
    const ComposeComponent *cc;
    b8g_module *module;
    b8g_store *store;
    b8g_wasi *wasi;
    b8g_instance *inst;
    b8g_val args[COMPOSE_MAX_ARGS];
    uint64_t timeout_ms;     /* the component's, or the app's --timeout */
    CliTrace *trace;         /* --trace, or NULL */
    pthread_t thread;
    bool started;
    /* results */
    b8g_status status;
    b8g_error err;
    int32_t result;
    bool has_result;
    bool timed_out;
    double ms;
} Running;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static b8g_status make_objects(ComposeApp *app, b8g_error *err)
{
    for (uint32_t i = 0; i < app->nobjects; i++) {
        ComposeObject *o = &app->objects[i];
        b8g_status st = B8G_OK;
        switch (o->kind) {
        case COMPOSE_EVENT: st = b8g_event_new(&o->ends[0], err); break;
        case COMPOSE_REGION: st = b8g_region_new(o->size, &o->ends[0], err); break;
        case COMPOSE_STREAM:
            if (o->size > UINT32_MAX)
                return cli_err(err, B8G_ARG, "object %s: capacity too large", o->name);
            st = b8g_stream_new((uint32_t)o->size, &o->ends[0], &o->ends[1], err);
            break;
        case COMPOSE_CHANNEL: st = b8g_channel_new(&o->ends[0], &o->ends[1], err); break;
        }
        if (st) {
            char what[sizeof err->msg];
            snprintf(what, sizeof what, "%s", err->msg);
            return cli_err(err, st, "object %s: %s", o->name, what);
        }
    }
    return B8G_OK;
}

static b8g_store *component_store(const ComposeComponent *cc)
{
    uint64_t pages = cc->max_memory / 65536;
    b8g_config cfg = {
        .fuel = cc->fuel,
        .max_stack_bytes = (size_t)cc->max_stack,
        .max_memory_pages = (uint32_t)(pages > 65536 ? 65536 : pages),
    };
    return b8g_store_new(&cfg);
}

/* Load, store, modules, instance, handles: everything before running. */
static b8g_status prepare(ComposeApp *app, Running *r, b8g_error *err)
{
    const ComposeComponent *cc = r->cc;
    uint8_t *bytes = NULL;
    size_t len = 0;
    b8g_status st = cli_read_file(cc->module_path, &bytes, &len, err);
    if (!st) st = b8g_module_load(bytes, len, &r->module, err);
    free(bytes);
    if (st) return st;
    r->store = component_store(cc);
    if (!r->store) return cli_err(err, B8G_NOMEM, "cannot create a store");
    cli_trace_attach(r->trace, r->store);
    b8g_wasi_config wc = {.stdin_fd = -1, .stdout_fd = 1, .stderr_fd = 2};
    if ((st = b8g_caps_register(r->store, err)) || (st = b8g_wasi_new(r->store, &wc, &r->wasi, err)) ||
        (st = b8g_instantiate(r->store, r->module, &r->inst, err)) ||
        (st = b8g_wasi_attach(r->wasi, r->inst, err)))
        return st;
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    if ((st = b8g_export_func(r->inst, cc->entry, &np, &pt, &nr, &rt)))
        return cli_err(err, B8G_LINK, "no exported function \"%s\"", cc->entry);
    if (np != cc->nargs || nr > 1 || (nr == 1 && rt[0] != B8G_I32))
        return cli_err(err, B8G_LINK,
                       "export \"%s\" has %u parameters and %u results, but the "
                       "application passes %u i32 args and takes at most one i32 result",
                       cc->entry, np, nr, cc->nargs);
    for (uint32_t i = 0; i < cc->nargs; i++) {
        if (pt[i] != B8G_I32)
            return cli_err(err, B8G_LINK, "export \"%s\": parameter %u is not i32", cc->entry, i);
        const ComposeArg *a = &cc->args[i];
        uint32_t h = (uint32_t)a->i32;
        if (a->object >= 0) {
            b8g_object *o = app->objects[a->object].ends[a->end];
            if ((st = b8g_grant(r->inst, o, a->rights, &h, err))) return st;
        }
        r->args[i] = (b8g_val){.type = B8G_I32, .of.i32 = (int32_t)h};
    }
    return B8G_OK;
}

static void *run_component(void *arg)
{
    Running *r = arg;
    double t0 = now_ms();
    CliTimer *timer = r->timeout_ms ? cli_timer_start(r->store, r->timeout_ms) : NULL;
    b8g_val res = {0};
    uint32_t np, nr = 0;
    const b8g_valtype *pt, *rt;
    b8g_export_func(r->inst, r->cc->entry, &np, &pt, &nr, &rt); /* checked in prepare */
    /* A reactor module (wasi-libc's -mexec-model=reactor) sets itself up
     * in _initialize, which must run before any other export. */
    r->status = B8G_OK;
    if (b8g_export_func(r->inst, "_initialize", &np, &pt, &(uint32_t){0}, &rt) == B8G_OK)
        r->status = b8g_call(r->inst, "_initialize", NULL, 0, NULL, 0, &r->err);
    if (!r->status)
        r->status = b8g_call(r->inst, r->cc->entry, r->args, r->cc->nargs, &res, nr, &r->err);
    r->timed_out = cli_timer_stop(timer);
    if (b8g_suspended(r->store)) b8g_abort(r->store);
    r->has_result = r->status == B8G_OK && nr == 1;
    r->result = res.of.i32;
    /* Its handles go now, so peers see the end instead of waiting. */
    b8g_store_free(r->store);
    r->store = NULL;
    r->ms = now_ms() - t0;
    return NULL;
}

/* What the component's outcome means for b8g's exit status; prints it. */
static int report(const Running *r)
{
    fprintf(stderr, "b8g compose: ");
    cli_put_safe(stderr, r->cc->name);
    if (r->status == B8G_TRAP && r->err.trap == B8G_TRAP_EXIT) {
        fprintf(stderr, " exited with status %d (%.1f ms)\n", r->err.exit_code, r->ms);
        return r->err.exit_code ? 1 : 0;
    }
    if (r->status) {
        b8g_error e = r->err;
        if (r->timed_out || e.code == B8G_SUSPENDED) {
            e.code = B8G_LIMIT;
            if (r->timed_out) snprintf(e.msg, sizeof e.msg, "interrupted: timeout");
        }
        fprintf(stderr, " failed (%.1f ms):\n", r->ms);
        return cli_report(&e);
    }
    if (r->has_result)
        fprintf(stderr, " returned %d (%.1f ms)\n", r->result, r->ms);
    else
        fprintf(stderr, " finished (%.1f ms)\n", r->ms);
    return r->has_result && r->result != 0 ? 1 : 0;
}

typedef struct ComposeOpts {
    uint64_t timeout_ms;
    bool no_confine;
    RunOpts trace;           /* only its --trace fields */
    const char *path;
} ComposeOpts;

static int parse_opts(int argc, char **argv, ComposeOpts *o)
{
    memset(o, 0, sizeof *o);
    int i = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_compose_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--no-confine") == 0) {
            o->no_confine = true;
        } else if (strcmp(a, "--trace") == 0) {
            o->trace.trace = true;
        } else if (strncmp(a, "--trace=", 8) == 0) {
            if (!a[8]) return cli_fail(B8G_ARG, "--trace= needs a file name or \"summary\"");
            if (strcmp(a + 8, "summary") == 0) o->trace.trace_summary = true;
            else o->trace.trace = true, o->trace.trace_file = a + 8;
        } else if (strncmp(a, "--timeout", 9) == 0 && (a[9] == '=' || a[9] == 0)) {
            const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !cli_parse_duration(v, &o->timeout_ms) || !o->timeout_ms)
                return cli_fail(B8G_ARG, "--timeout needs a positive duration such as 2s");
        } else {
            int code = cli_fail(B8G_ARG, "unknown option \"%s\"", a);
            fputs("Run 'b8g help compose' for usage.\n", stderr);
            return code;
        }
    }
    if (i != argc - 1) {
        int code = cli_fail(B8G_ARG, i >= argc ? "no application file given"
                                               : "one application file, nothing after it");
        cli_compose_usage(stderr);
        return code;
    }
    o->path = argv[i];
    return -1;
}

static int run_app(ComposeApp *app, const ComposeOpts *o)
{
    b8g_error err;
    Running *rs = cli_calloc(app->ncomponents, sizeof *rs);
    /* Every component's host calls go to one sink (opened before
     * confinement), each line naming its instance. */
    CliTrace *trace = NULL;
    int code = cli_trace_open(&o->trace, &trace);
    if (code < 0 && make_objects(app, &err)) code = cli_report(&err);
    for (uint32_t i = 0; code < 0 && i < app->ncomponents; i++) {
        rs[i].cc = &app->components[i];
        rs[i].timeout_ms = rs[i].cc->timeout_ms ? rs[i].cc->timeout_ms : o->timeout_ms;
        rs[i].trace = trace;
        if (prepare(app, &rs[i], &err)) {
            fprintf(stderr, "b8g compose: ");
            cli_put_safe(stderr, rs[i].cc->name);
            fputs(":\n", stderr);
            code = cli_report(&err);
        }
    }
    /* The components hold what they were granted; the host lets go. */
    for (uint32_t i = 0; i < app->nobjects; i++)
        for (int e = 0; e < 2; e++) {
            b8g_object_release(app->objects[i].ends[e]);
            app->objects[i].ends[e] = NULL;
        }
    if (code < 0 && !o->no_confine && b8g_confine_process(NULL, 0, NULL, &err)) {
        code = cli_report(&err);
        fputs("Run with --no-confine to go on without process confinement "
              "(see 'b8g doctor').\n", stderr);
    }
    for (uint32_t i = 0; code < 0 && i < app->ncomponents; i++) {
        if (pthread_create(&rs[i].thread, NULL, run_component, &rs[i]) != 0)
            code = cli_fail(B8G_NOMEM, "cannot start a thread for component %s", rs[i].cc->name);
        else rs[i].started = true;
    }
    int first = 0;
    for (uint32_t i = 0; i < app->ncomponents; i++) {
        if (rs[i].started) {
            pthread_join(rs[i].thread, NULL);
            int c = report(&rs[i]);
            if (!first) first = c;
        }
        b8g_store_free(rs[i].store);
        b8g_wasi_free(rs[i].wasi);
        b8g_module_free(rs[i].module);
    }
    free(rs);
    cli_trace_close(trace);
    return code >= 0 ? code : first;
}

int cli_compose(int argc, char **argv)
{
    ComposeOpts o;
    int code = parse_opts(argc, argv, &o);
    if (code >= 0) return code;
    ComposeApp *app = cli_calloc(1, sizeof *app);
    b8g_error err;
    if (compose_parse(o.path, app, &err)) code = cli_report(&err);
    else code = run_app(app, &o);
    compose_free(app);
    free(app);
    return code;
}
