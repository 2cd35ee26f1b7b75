/*
 * script.c - runs the commands of one wast2json script, in order, in one
 * store, through the public API only.
 *
 * Every failure prints "FILE:LINE: command: what happened (expected X, got
 * Y)" to stderr and the run goes on: one broken module must not hide the
 * verdicts on the commands after it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

typedef struct SpecNamed {
    char *name; /* "$M" as written in the script */
    b8g_instance *inst;
} SpecNamed;

typedef struct SpecScript {
    const SpecOptions *opt;
    char file[256]; /* "i32.wast": failure lines point at the source */
    char *dir;      /* where the NAME.N.wasm side files are */
    b8g_store *store;
    b8g_instance *current; /* last module command's instance, or NULL */
    SpecNamed *named;
    size_t nnamed;
    b8g_module **mods; /* every loaded module, freed after the store */
    size_t nmods;
    const char *cmd; /* command being run and its line, for messages */
    unsigned line;
} SpecScript;

/* The result of one action, with what the messages need to describe it. */
typedef struct SpecCall {
    char desc[512]; /* invoke "f"(i32:1, f32:...) */
    b8g_val *results;
    uint32_t nresults;
    b8g_status st;
    b8g_error err;
} SpecCall;

/* ---- reporting ----------------------------------------------------------- */

SPEC_PRINTF(2, 3)
static SpecOutcome spec_fail(SpecScript *s, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%u: %s: ", s->file, s->line, s->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return SPEC_FAIL;
}

static SpecOutcome spec_pass(SpecScript *s, const char *note)
{
    if (s->opt->verbose)
        fprintf(stderr, "%s:%u: %s: ok%s\n", s->file, s->line, s->cmd, note);
    return SPEC_PASS;
}

static SpecOutcome spec_skip(SpecScript *s, const char *reason)
{
    if (s->opt->verbose)
        fprintf(stderr, "%s:%u: %s: skipped (%s)\n", s->file, s->line, s->cmd,
                reason);
    return SPEC_SKIP;
}

/* `malformed module "unexpected end" at 0x1a` */
static const char *spec_err_str(b8g_status st, const b8g_error *e, char *buf,
                                size_t n)
{
    if (st == B8G_OK) {
        snprintf(buf, n, "success");
        return buf;
    }
    int k = snprintf(buf, n, "%s \"%s\"", b8g_status_name(st), e->msg);
    if (e->offset != B8G_NO_OFFSET && k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " at 0x%" PRIx64, e->offset);
    return buf;
}

/* The spec compares message texts loosely: engines may say more. */
static bool spec_text_match(const char *want, const char *got)
{
    if (!got || !*got)
        return false;
    size_t n = strlen(want) < strlen(got) ? strlen(want) : strlen(got);
    return strncmp(want, got, n) == 0;
}

/* Names are arbitrary UTF-8; keep failure lines one printable line. */
static void spec_quote(const char *name, char *buf, size_t n)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (k + 5 >= n)
            break;
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            buf[k++] = (char)*p;
        else
            k += (size_t)snprintf(buf + k, n - k, "\\%02x", *p);
    }
    buf[k] = '\0';
}

/* ---- modules and names --------------------------------------------------- */

static const char *spec_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static b8g_instance *spec_lookup(SpecScript *s, const char *name, bool *found)
{
    *found = true;
    if (!name)
        return s->current;
    for (size_t i = s->nnamed; i-- > 0;)
        if (strcmp(s->named[i].name, name) == 0)
            return s->named[i].inst;
    *found = false;
    return NULL;
}

static void spec_bind(SpecScript *s, const char *name, b8g_instance *inst)
{
    SpecNamed *n = realloc(s->named, (s->nnamed + 1) * sizeof *n);
    if (!n || !(n[s->nnamed].name = strdup(name))) {
        s->named = n ? n : s->named;
        return; /* lookups of this name then fail and say so */
    }
    s->named = n;
    s->named[s->nnamed++].inst = inst;
}

static void spec_keep(SpecScript *s, b8g_module *m)
{
    b8g_module **mods = realloc(s->mods, (s->nmods + 1) * sizeof *mods);
    if (!mods) {
        fprintf(stderr, "spec-runner: out of memory\n");
        exit(2);
    }
    s->mods = mods;
    s->mods[s->nmods++] = m;
}

static uint8_t *spec_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        *len = (size_t)size;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Loads the command's .wasm; B8G_IO (failure already printed) when the
 * side file is missing, which is the converter's fault, not the engine's. */
static b8g_status spec_load(SpecScript *s, json_t *cmd, b8g_module **m,
                            b8g_error *err)
{
    const char *file = spec_str(cmd, "filename");
    char path[4096];
    size_t len = 0;
    uint8_t *bytes = NULL;
    *m = NULL;
    if (file) {
        snprintf(path, sizeof path, "%s/%s", s->dir, file);
        bytes = spec_read_file(path, &len);
    }
    if (!bytes) {
        spec_fail(s, "cannot read module file %s", file ? path : "(none)");
        return B8G_IO;
    }
    memset(err, 0, sizeof *err);
    b8g_status st = s->opt->debug_stops ? b8g_module_load_debug(bytes, len, m, err)
                                        : b8g_module_load(bytes, len, m, err);
    free(bytes);
    if (st == B8G_OK)
        spec_keep(s, *m);
    return st;
}

/* ---- actions ------------------------------------------------------------- */

SPEC_PRINTF(3, 4)
static void spec_append(char *buf, size_t n, const char *fmt, ...)
{
    size_t k = strlen(buf);
    va_list ap;
    if (k + 1 >= n)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + k, n - k, fmt, ap);
    va_end(ap);
}

static bool spec_args(SpecScript *s, json_t *args, uint32_t np,
                      const b8g_valtype *pt, b8g_val *vals, SpecCall *c)
{
    char why[128], vs[96];
    if (json_array_size(args) != np) {
        spec_fail(s, "%s): signature takes %" PRIu32 " params, script passes %zu",
                  c->desc, np, json_array_size(args));
        return false;
    }
    for (uint32_t i = 0; i < np; i++) {
        if (!spec_parse_arg(json_array_get(args, i), &vals[i], why, sizeof why)) {
            spec_fail(s, "%s): argument %" PRIu32 ": %s", c->desc, i, why);
            return false;
        }
        if (vals[i].type != pt[i]) {
            spec_fail(s, "%s): argument %" PRIu32 " is %s, signature says %s",
                      c->desc, i, spec_type_name(vals[i].type),
                      spec_type_name(pt[i]));
            return false;
        }
        spec_append(c->desc, sizeof c->desc, "%s%s", i ? ", " : "",
                    spec_val_str(&vals[i], vs, sizeof vs));
    }
    spec_append(c->desc, sizeof c->desc, ")");
    return true;
}

static bool spec_invoke(SpecScript *s, b8g_instance *inst, const char *field,
                        size_t field_len, json_t *args, SpecCall *c)
{
    uint32_t np, nr;
    const b8g_valtype *pt, *rt;
    spec_append(c->desc, sizeof c->desc, "(");
    b8g_func *fn;
    b8g_status st = b8g_lookup_func(inst, field, field_len, &fn, NULL);
    if (!st) b8g_func_signature(fn, &np, &pt, &nr, &rt);
    if (st) {
        spec_fail(s, "%s): no such exported function (got %s)", c->desc,
                  b8g_status_name(st));
        return false;
    }
    b8g_val *vals = calloc(np ? np : 1, sizeof *vals);
    c->results = calloc(nr ? nr : 1, sizeof *c->results);
    c->nresults = nr;
    if (!vals || !c->results || !spec_args(s, args, np, pt, vals, c)) {
        free(vals);
        return false;
    }
    for (uint32_t i = 0; i < nr; i++)
        c->results[i].type = rt[i];
    c->st = b8g_call_func(fn, vals, np, c->results, nr, &c->err);
    free(vals);
    return true;
}

/* Performs an invoke or get.  False when no call could be made; *out then
 * holds the verdict (already reported). */
static bool spec_act(SpecScript *s, json_t *action, SpecCall *c,
                     SpecOutcome *out)
{
    const char *type = spec_str(action, "type");
    const char *mod = spec_str(action, "module");
    json_t *jfield = json_object_get(action, "field");
    const char *field = json_string_value(jfield);
    char q[256];
    bool found;
    memset(c, 0, sizeof *c);
    *out = SPEC_FAIL;
    if (!type || !field) {
        spec_fail(s, "action without type or field");
        return false;
    }
    spec_quote(field, q, sizeof q);
    snprintf(c->desc, sizeof c->desc, "%s \"%s\"", type, q);
    b8g_instance *inst = spec_lookup(s, mod, &found);
    if (!inst) {
        spec_fail(s, "%s: no module %s (it %s)", c->desc, mod ? mod : "current",
                  found ? "failed to instantiate" : "was never defined");
        return false;
    }
    if (strcmp(type, "invoke") == 0)
        return spec_invoke(s, inst, field, json_string_length(jfield),
                           json_object_get(action, "args"), c);
    if (strcmp(type, "get") == 0) {
        c->results = calloc(1, sizeof *c->results);
        c->nresults = 1;
        if (!c->results)
            return false;
        c->st = b8g_export_global(inst, field, c->results);
        if (c->st)
            snprintf(c->err.msg, sizeof c->err.msg, "no such exported global");
        return true;
    }
    spec_fail(s, "unknown action type \"%s\"", type);
    return false;
}

/* ---- commands ------------------------------------------------------------ */

static SpecOutcome cmd_module(SpecScript *s, json_t *cmd)
{
    const char *name = spec_str(cmd, "name");
    b8g_module *m;
    b8g_instance *inst = NULL;
    b8g_error err;
    char es[400];
    SpecOutcome out = SPEC_PASS;
    b8g_status st = spec_load(s, cmd, &m, &err);
    if (st == B8G_IO)
        out = SPEC_FAIL;
    else if (st)
        out = spec_fail(s, "module did not load (expected success, got %s)",
                        spec_err_str(st, &err, es, sizeof es));
    else if ((st = b8g_instantiate(s->store, m, &inst, &err)) != B8G_OK)
        out = spec_fail(s, "module did not instantiate (expected success, got %s)",
                        spec_err_str(st, &err, es, sizeof es));
    /* A failed module still replaces the current one: later commands
     * aimed at it must fail rather than silently hit its predecessor. */
    s->current = inst;
    if (name)
        spec_bind(s, name, inst);
    return out == SPEC_PASS ? spec_pass(s, "") : out;
}

static SpecOutcome cmd_register(SpecScript *s, json_t *cmd)
{
    const char *as = spec_str(cmd, "as");
    const char *name = spec_str(cmd, "name");
    bool found;
    b8g_instance *inst = spec_lookup(s, name, &found);
    if (!as)
        return spec_fail(s, "register without \"as\"");
    if (!inst)
        return spec_fail(s, "no module %s to register as \"%s\"",
                         name ? name : "(current)", as);
    b8g_status st = b8g_register(s->store, as, inst);
    if (st)
        return spec_fail(s, "register as \"%s\" failed (got %s)", as,
                         b8g_status_name(st));
    return spec_pass(s, "");
}

static SpecOutcome spec_check_results(SpecScript *s, json_t *expected,
                                      SpecCall *c)
{
    char why[128], es[400], want[96], got[96];
    if (c->st)
        return spec_fail(s, "%s failed (expected results, got %s)", c->desc,
                         spec_err_str(c->st, &c->err, es, sizeof es));
    if (json_array_size(expected) != c->nresults)
        return spec_fail(s, "%s: wrong result count (expected %zu, got %" PRIu32 ")",
                         c->desc, json_array_size(expected), c->nresults);
    for (uint32_t i = 0; i < c->nresults; i++) {
        SpecExpect e;
        if (!spec_parse_expect(json_array_get(expected, i), &e, why, sizeof why))
            return spec_fail(s, "%s: result %" PRIu32 ": %s", c->desc, i, why);
        if (!spec_match(&e, &c->results[i]))
            return spec_fail(s, "%s: wrong result %" PRIu32 " (expected %s, got %s)",
                             c->desc, i, spec_expect_str(&e, want, sizeof want),
                             spec_val_str(&c->results[i], got, sizeof got));
    }
    return spec_pass(s, "");
}

/* action, assert_return, assert_trap and assert_exhaustion. */
static SpecOutcome cmd_action(SpecScript *s, json_t *cmd, bool trap)
{
    SpecCall c;
    SpecOutcome out;
    char es[400];
    const char *text = spec_str(cmd, "text");
    if (!spec_act(s, json_object_get(cmd, "action"), &c, &out)) {
        free(c.results);
        return out;
    }
    if (!trap && strcmp(s->cmd, "action") == 0)
        out = c.st ? spec_fail(s, "%s failed (expected success, got %s)",
                               c.desc, spec_err_str(c.st, &c.err, es, sizeof es))
                   : spec_pass(s, "");
    else if (!trap)
        out = spec_check_results(s, json_object_get(cmd, "expected"), &c);
    else if (c.st != B8G_TRAP)
        out = spec_fail(s, "%s did not trap (expected trap \"%s\", got %s)",
                        c.desc, text ? text : "",
                        spec_err_str(c.st, &c.err, es, sizeof es));
    else if (text && !spec_text_match(text, c.err.msg))
        out = spec_fail(s, "%s: wrong trap (expected \"%s\", got \"%s\")",
                        c.desc, text, c.err.msg);
    else
        out = spec_pass(s, "");
    free(c.results);
    return out;
}

/* The verdict once the status is the expected one: messages are compared
 * for traps always, otherwise only in strict mode (the code is what the
 * spec fixes; texts are advice). */
static SpecOutcome spec_check_text(SpecScript *s, const char *text,
                                   const b8g_error *err, bool must)
{
    char note[400];
    if (!text || spec_text_match(text, err->msg))
        return spec_pass(s, "");
    if (must || s->opt->strict_messages)
        return spec_fail(s, "wrong message (expected \"%s\", got \"%s\")", text,
                         err->msg);
    snprintf(note, sizeof note, " (message differs: expected \"%s\", got \"%s\")",
             text, err->msg);
    return spec_pass(s, note);
}

/* assert_invalid / _malformed (want_load) and assert_unlinkable /
 * _uninstantiable (want_inst): the module must fail at exactly that step. */
static SpecOutcome cmd_assert_module(SpecScript *s, json_t *cmd,
                                     b8g_status want_load, b8g_status want_inst)
{
    const char *type = spec_str(cmd, "module_type");
    const char *text = spec_str(cmd, "text");
    b8g_module *m;
    b8g_instance *inst = NULL;
    b8g_error err;
    char es[400];
    if (type && strcmp(type, "binary") != 0)
        return spec_skip(s, "text-format module: b8g takes binary modules only");
    b8g_status st = spec_load(s, cmd, &m, &err);
    if (st == B8G_IO)
        return SPEC_FAIL;
    if (want_load != B8G_OK) {
        if (st != want_load)
            return spec_fail(s, "wrong load result (expected %s \"%s\", got %s)",
                             b8g_status_name(want_load), text ? text : "",
                             spec_err_str(st, &err, es, sizeof es));
        return spec_check_text(s, text, &err, false);
    }
    if (st)
        return spec_fail(s, "module did not load (expected %s \"%s\" at "
                         "instantiation, got %s)", b8g_status_name(want_inst),
                         text ? text : "", spec_err_str(st, &err, es, sizeof es));
    memset(&err, 0, sizeof err);
    st = b8g_instantiate(s->store, m, &inst, &err);
    if (st != want_inst)
        return spec_fail(s, "wrong instantiation result (expected %s \"%s\", got %s)",
                         b8g_status_name(want_inst), text ? text : "",
                         spec_err_str(st, &err, es, sizeof es));
    return spec_check_text(s, text, &err, want_inst == B8G_TRAP);
}

static SpecOutcome spec_command(SpecScript *s, json_t *cmd)
{
    const char *t = s->cmd;
    if (strcmp(t, "module") == 0)
        return cmd_module(s, cmd);
    if (strcmp(t, "register") == 0)
        return cmd_register(s, cmd);
    if (strcmp(t, "action") == 0 || strcmp(t, "assert_return") == 0)
        return cmd_action(s, cmd, false);
    if (strcmp(t, "assert_exhaustion") == 0)
        return cmd_action(s, cmd, true);
    if (strcmp(t, "assert_trap") == 0)
        return json_object_get(cmd, "action")
                   ? cmd_action(s, cmd, true)
                   : cmd_assert_module(s, cmd, B8G_OK, B8G_TRAP);
    if (strcmp(t, "assert_invalid") == 0)
        return cmd_assert_module(s, cmd, B8G_INVALID, B8G_OK);
    if (strcmp(t, "assert_malformed") == 0)
        return cmd_assert_module(s, cmd, B8G_MALFORMED, B8G_OK);
    if (strcmp(t, "assert_unlinkable") == 0)
        return cmd_assert_module(s, cmd, B8G_OK, B8G_LINK);
    if (strcmp(t, "assert_uninstantiable") == 0)
        return cmd_assert_module(s, cmd, B8G_OK, B8G_TRAP);
    return spec_fail(s, "unknown command type");
}

/* ---- one script ---------------------------------------------------------- */

json_t *spec_load_json(const char *json_path)
{
    json_error_t jerr;
    /* names.wast exports a name with NUL bytes in it. */
    json_t *root = json_load_file(json_path, JSON_ALLOW_NUL, &jerr);
    if (!root)
        fprintf(stderr, "%s:%d: cannot parse: %s\n", json_path, jerr.line,
                jerr.text);
    else if (!json_is_array(json_object_get(root, "commands"))) {
        fprintf(stderr, "%s: no \"commands\" array\n", json_path);
        json_decref(root);
        root = NULL;
    }
    return root;
}

long spec_count_commands(const char *json_path)
{
    json_t *root = spec_load_json(json_path);
    if (!root)
        return -1;
    long n = (long)json_array_size(json_object_get(root, "commands"));
    json_decref(root);
    return n;
}

static void spec_send(int fd, const SpecTally *t)
{
    if (fd >= 0 && write(fd, t, sizeof *t) != (ssize_t)sizeof *t)
        _exit(3); /* the parent is gone; nobody would see the verdicts */
}

/* "i32.wast" from the script's source_filename, else from the JSON name. */
static void spec_file_name(SpecScript *s, json_t *root, const char *json_path)
{
    const char *src = spec_str(root, "source_filename");
    const char *base = src ? src : json_path;
    const char *slash = strrchr(base, '/');
    base = slash ? slash + 1 : base;
    if (src) {
        snprintf(s->file, sizeof s->file, "%s", base);
        return;
    }
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    snprintf(s->file, sizeof s->file, "%.*s.wast", (int)n, base);
}

/* --debug-stops: every instruction calls this; results must not change,
 * and every stop must know where it is. */
static bool spec_check_stop(void *arg, const b8g_debug_stop *stop)
{
    (void)arg;
    b8g_frame_info f;
    if (b8g_debug_depth(stop) == 0 || !b8g_debug_frame(stop, 0, &f) ||
        f.code_offset == B8G_NO_OFFSET)
        abort();
    return true;
}

static bool spec_setup(SpecScript *s, const char *json_path)
{
    /* Default limits: the engine-managed stack (8 MiB) ends the runaway
     * recursions of assert_exhaustion in milliseconds, and no fuel limit is
     * needed since the driver's alarm catches hangs. */
    b8g_config cfg = {.fuel = 0, .max_stack_bytes = 0, .max_memory_pages = 0};
    const char *slash = strrchr(json_path, '/');
    s->dir = slash ? strndup(json_path, (size_t)(slash - json_path)) : strdup(".");
    s->store = b8g_store_new(&cfg);
    if (!s->dir || !s->store) {
        fprintf(stderr, "%s: cannot create a store\n", s->file);
        return false;
    }
    if (s->opt->debug_stops) b8g_store_set_debugger(s->store, spec_check_stop, NULL);
    b8g_status st = spec_register_spectest(s->store, s->opt->verbose);
    if (st) {
        fprintf(stderr, "%s: cannot register the spectest module (got %s)\n",
                s->file, b8g_status_name(st));
        return false;
    }
    return true;
}

static void spec_teardown(SpecScript *s)
{
    if (s->store)
        b8g_store_free(s->store);
    for (size_t i = 0; i < s->nmods; i++)
        b8g_module_free(s->mods[i]);
    for (size_t i = 0; i < s->nnamed; i++)
        free(s->named[i].name);
    free(s->mods);
    free(s->named);
    free(s->dir);
}

int spec_run_script(const char *json_path, const SpecOptions *opt, int fd,
                    SpecTally *out)
{
    SpecScript s = {.opt = opt};
    SpecTally t = {0};
    *out = t;
    json_t *root = spec_load_json(json_path);
    if (!root)
        return 2;
    json_t *cmds = json_object_get(root, "commands");
    spec_file_name(&s, root, json_path);
    t.total = (uint32_t)json_array_size(cmds);
    spec_send(fd, &t);
    int rc = spec_setup(&s, json_path) ? 0 : 2;
    for (size_t i = 0; rc == 0 && i < t.total; i++) {
        json_t *cmd = json_array_get(cmds, i);
        s.cmd = spec_str(cmd, "type");
        s.cmd = s.cmd ? s.cmd : "(untyped)";
        s.line = (unsigned)json_integer_value(json_object_get(cmd, "line"));
        t.line = s.line;
        spec_send(fd, &t);
        switch (spec_command(&s, cmd)) {
        case SPEC_PASS: t.passed++; break;
        case SPEC_FAIL: t.failed++; break;
        case SPEC_SKIP: t.skipped++; break;
        }
    }
    t.done = rc == 0;
    spec_send(fd, &t);
    *out = t;
    spec_teardown(&s);
    json_decref(root);
    return rc;
}
