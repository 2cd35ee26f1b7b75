/*
 * compose_parse.c - reads an application description for `b8g compose`
 * (schema in docs/compose.md) into a ComposeApp.
 *
 * The file is untrusted input like a module: every field is checked for
 * its type and range, unknown keys are refused (a typo must not silently
 * drop a limit), and each error names the file and the JSON path of the
 * offending value.
 */
#include <jansson.h>
#include <string.h>

#include "cli/compose.h"

typedef struct Parse {
    const char *file;
    b8g_error *err;
    ComposeApp *app;
} Parse;

B8G_PRINTF(3, 4)
static b8g_status bad(Parse *p, const char *where, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cli_err(p->err, B8G_ARG, "%s: %s: %s", p->file, where, msg);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cli_calloc(n, 1);
    memcpy(d, s, n);
    return d;
}

/* Only `allowed` keys may appear in object o. */
static b8g_status check_keys(Parse *p, const char *where, json_t *o, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) return bad(p, where, "unknown key \"%s\"", key);
    }
    return B8G_OK;
}

/* A size: a positive integer or a string such as "64K", "1M". */
static b8g_status get_size(Parse *p, const char *where, json_t *v, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = (uint64_t)json_integer_value(v);
        return B8G_OK;
    }
    if (json_is_string(v) && cli_parse_size(json_string_value(v), out) && *out > 0)
        return B8G_OK;
    return bad(p, where, "expected a positive size such as 65536 or \"64K\"");
}

static b8g_status parse_object(Parse *p, const char *name, json_t *o)
{
    char where[160];
    snprintf(where, sizeof where, "objects.%s", name);
    if (!json_is_object(o)) return bad(p, where, "expected an object");
    static const char *const keys[] = {"kind", "capacity", "size", NULL};
    if (check_keys(p, where, o, keys)) return B8G_ARG;
    if (!name[0] || strchr(name, '.'))
        return bad(p, where, "an object name must be non-empty and without '.'");
    if (p->app->nobjects >= COMPOSE_MAX_OBJECTS)
        return bad(p, where, "more than %u objects", COMPOSE_MAX_OBJECTS);
    ComposeObject *obj = &p->app->objects[p->app->nobjects];
    const char *kind = json_string_value(json_object_get(o, "kind"));
    static const struct {
        const char *name;
        ComposeKind kind;
        const char *size_key;
    } kinds[] = {{"event", COMPOSE_EVENT, NULL},
                 {"stream", COMPOSE_STREAM, "capacity"},
                 {"channel", COMPOSE_CHANNEL, NULL},
                 {"region", COMPOSE_REGION, "size"}};
    size_t k = 0;
    while (k < B8G_ARRAY_LEN(kinds) && (!kind || strcmp(kinds[k].name, kind) != 0)) k++;
    if (k == B8G_ARRAY_LEN(kinds))
        return bad(p, where, "\"kind\" must be \"event\", \"stream\", \"channel\" or \"region\"");
    obj->kind = kinds[k].kind;
    for (const char *const *key = keys + 1; *key; key++) {
        json_t *v = json_object_get(o, *key);
        if (!v) continue;
        if (!kinds[k].size_key || strcmp(kinds[k].size_key, *key) != 0)
            return bad(p, where, "a %s has no \"%s\"", kinds[k].name, *key);
        if (get_size(p, where, v, &obj->size)) return B8G_ARG;
    }
    if (obj->kind == COMPOSE_REGION && !obj->size)
        return bad(p, where, "a region needs a \"size\"");
    for (uint32_t i = 0; i < p->app->nobjects; i++)
        if (strcmp(p->app->objects[i].name, name) == 0)
            return bad(p, where, "duplicate object name");
    obj->name = dup_str(name);
    p->app->nobjects++;
    return B8G_OK;
}

static const struct {
    const char *name;
    uint32_t bit;
} right_names[] = {
    {"read", B8G_RIGHT_READ},     {"write", B8G_RIGHT_WRITE},   {"map", B8G_RIGHT_MAP},
    {"call", B8G_RIGHT_CALL},     {"dup", B8G_RIGHT_DUP},       {"transfer", B8G_RIGHT_TRANSFER},
    {"wait", B8G_RIGHT_WAIT},     {"signal", B8G_RIGHT_SIGNAL}, {"inspect", B8G_RIGHT_INSPECT},
};

static b8g_status parse_rights(Parse *p, const char *where, json_t *v, uint32_t *out)
{
    if (!json_is_array(v)) return bad(p, where, "\"rights\" must be an array of names");
    *out = 0;
    size_t i;
    json_t *r;
    json_array_foreach(v, i, r) {
        const char *s = json_string_value(r);
        size_t k = 0;
        while (k < B8G_ARRAY_LEN(right_names) && (!s || strcmp(right_names[k].name, s) != 0)) k++;
        if (k == B8G_ARRAY_LEN(right_names))
            return bad(p, where, "unknown right (read, write, map, call, dup, transfer, "
                                 "wait, signal, inspect)");
        *out |= right_names[k].bit;
    }
    return B8G_OK;
}

/* "name", "stream.read", "stream.write", "channel.0", "channel.1". */
static b8g_status parse_ref(Parse *p, const char *where, const char *ref, ComposeArg *a)
{
    const char *dot = strchr(ref, '.');
    size_t len = dot ? (size_t)(dot - ref) : strlen(ref);
    const char *suffix = dot ? dot + 1 : NULL;
    for (uint32_t i = 0; i < p->app->nobjects; i++) {
        ComposeObject *o = &p->app->objects[i];
        if (strlen(o->name) != len || strncmp(o->name, ref, len) != 0) continue;
        a->object = (int)i;
        a->end = 0;
        switch (o->kind) {
        case COMPOSE_STREAM:
            if (suffix && strcmp(suffix, "read") == 0) return B8G_OK;
            a->end = 1;
            if (suffix && strcmp(suffix, "write") == 0) return B8G_OK;
            return bad(p, where, "name a stream's end: \"%s.read\" or \"%s.write\"", o->name,
                       o->name);
        case COMPOSE_CHANNEL:
            if (suffix && strcmp(suffix, "0") == 0) return B8G_OK;
            a->end = 1;
            if (suffix && strcmp(suffix, "1") == 0) return B8G_OK;
            return bad(p, where, "name a channel's end: \"%s.0\" or \"%s.1\"", o->name, o->name);
        default:
            if (suffix) return bad(p, where, "\"%s\" has no ends", o->name);
            return B8G_OK;
        }
    }
    return bad(p, where, "no object named \"%.*s\"", (int)len, ref);
}

static b8g_status parse_arg(Parse *p, const char *where, json_t *v, ComposeArg *a)
{
    a->rights = B8G_RIGHTS_ALL;
    if (json_is_string(v)) return parse_ref(p, where, json_string_value(v), a);
    if (!json_is_object(v))
        return bad(p, where, "expected \"OBJECT[.END]\", {\"handle\": ..., \"rights\": [...]} "
                             "or {\"i32\": N}");
    json_t *num = json_object_get(v, "i32");
    if (num) {
        static const char *const keys[] = {"i32", NULL};
        if (check_keys(p, where, v, keys)) return B8G_ARG;
        if (!json_is_integer(num) || json_integer_value(num) < INT32_MIN ||
            json_integer_value(num) > UINT32_MAX)
            return bad(p, where, "\"i32\" must be an integer that fits 32 bits");
        a->object = -1;
        a->i32 = (int32_t)(uint32_t)json_integer_value(num);
        return B8G_OK;
    }
    static const char *const keys[] = {"handle", "rights", NULL};
    if (check_keys(p, where, v, keys)) return B8G_ARG;
    const char *ref = json_string_value(json_object_get(v, "handle"));
    if (!ref) return bad(p, where, "\"handle\" must name an object");
    if (parse_ref(p, where, ref, a)) return B8G_ARG;
    json_t *r = json_object_get(v, "rights");
    return r ? parse_rights(p, where, r, &a->rights) : B8G_OK;
}

static b8g_status get_string(Parse *p, const char *where, json_t *c, const char *key,
                             bool required, char **out)
{
    json_t *v = json_object_get(c, key);
    if (!v && !required) return B8G_OK;
    if (!json_is_string(v) || !json_string_value(v)[0])
        return bad(p, where, "\"%s\" must be a non-empty string", key);
    *out = dup_str(json_string_value(v));
    return B8G_OK;
}

/* A module path relative to the directory of the JSON file. */
static char *resolve_path(const char *file, const char *path)
{
    const char *slash = strrchr(file, '/');
    if (path[0] == '/' || !slash) return dup_str(path);
    size_t dir = (size_t)(slash - file) + 1, n = strlen(path) + 1;
    char *out = cli_calloc(dir + n, 1);
    memcpy(out, file, dir);
    memcpy(out + dir, path, n);
    return out;
}

static b8g_status parse_limits(Parse *p, const char *where, json_t *c, ComposeComponent *cc)
{
    json_t *v;
    if ((v = json_object_get(c, "fuel"))) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return bad(p, where, "\"fuel\" must be a positive integer");
        cc->fuel = (uint64_t)json_integer_value(v);
    }
    if ((v = json_object_get(c, "max_memory")) && get_size(p, where, v, &cc->max_memory))
        return B8G_ARG;
    if ((v = json_object_get(c, "max_stack"))) {
        if (get_size(p, where, v, &cc->max_stack)) return B8G_ARG;
        if (cc->max_stack < B8G_MIN_STACK_BYTES) return bad(p, where, "\"max_stack\" below 64K");
    }
    if ((v = json_object_get(c, "timeout"))) {
        if (!json_is_string(v) || !cli_parse_duration(json_string_value(v), &cc->timeout_ms) ||
            !cc->timeout_ms)
            return bad(p, where, "\"timeout\" must be a duration such as \"250ms\" or \"2s\"");
    }
    return B8G_OK;
}

static b8g_status parse_component(Parse *p, size_t idx, json_t *c)
{
    char where[96];
    snprintf(where, sizeof where, "components[%zu]", idx);
    if (!json_is_object(c)) return bad(p, where, "expected an object");
    static const char *const keys[] = {"name", "module", "entry", "args", "fuel",
                                       "max_memory", "max_stack", "timeout", NULL};
    if (check_keys(p, where, c, keys)) return B8G_ARG;
    if (p->app->ncomponents >= COMPOSE_MAX_COMPONENTS)
        return bad(p, where, "more than %u components", COMPOSE_MAX_COMPONENTS);
    ComposeComponent *cc = &p->app->components[p->app->ncomponents++];
    char *module = NULL;
    if (get_string(p, where, c, "name", true, &cc->name) ||
        get_string(p, where, c, "module", true, &module) ||
        get_string(p, where, c, "entry", false, &cc->entry))
        return B8G_ARG;
    cc->module_path = resolve_path(p->file, module);
    free(module);
    if (!cc->entry) cc->entry = dup_str("b8g_main");
    json_t *args = json_object_get(c, "args");
    if (args && !json_is_array(args)) return bad(p, where, "\"args\" must be an array");
    if (args && json_array_size(args) > COMPOSE_MAX_ARGS)
        return bad(p, where, "more than %u args", COMPOSE_MAX_ARGS);
    size_t i;
    json_t *a;
    json_array_foreach(args, i, a) {
        char aw[128];
        snprintf(aw, sizeof aw, "%s.args[%zu]", where, i);
        if (parse_arg(p, aw, a, &cc->args[cc->nargs++])) return B8G_ARG;
    }
    return parse_limits(p, where, c, cc);
}

b8g_status compose_parse(const char *path, ComposeApp *app, b8g_error *err)
{
    memset(app, 0, sizeof *app);
    Parse p = {path, err, app};
    json_error_t jerr;
    /* Duplicate keys would let a later value silently override a limit. */
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return cli_err(err, B8G_ARG, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    b8g_status st = B8G_OK;
    static const char *const keys[] = {"objects", "components", NULL};
    json_t *objects = json_object_get(root, "objects");
    json_t *components = json_object_get(root, "components");
    if (!json_is_object(root)) st = bad(&p, "(top)", "expected an object");
    else if (check_keys(&p, "(top)", root, keys)) st = B8G_ARG;
    else if (objects && !json_is_object(objects)) st = bad(&p, "objects", "expected an object");
    else if (!json_is_array(components) || json_array_size(components) == 0)
        st = bad(&p, "components", "expected a non-empty array");
    const char *name;
    json_t *v;
    if (!st && objects) json_object_foreach(objects, name, v) {
        if ((st = parse_object(&p, name, v))) break;
    }
    size_t i;
    if (!st) json_array_foreach(components, i, v) {
        if ((st = parse_component(&p, i, v))) break;
    }
    for (uint32_t a = 0; !st && a < app->ncomponents; a++)
        for (uint32_t b = 0; !st && b < a; b++)
            if (strcmp(app->components[a].name, app->components[b].name) == 0)
                st = bad(&p, "components", "duplicate component name \"%s\"",
                         app->components[a].name);
    json_decref(root);
    return st;
}

void compose_free(ComposeApp *app)
{
    for (uint32_t i = 0; i < app->nobjects; i++) {
        free(app->objects[i].name);
        for (int e = 0; e < 2; e++) b8g_object_release(app->objects[i].ends[e]);
    }
    for (uint32_t i = 0; i < app->ncomponents; i++) {
        free(app->components[i].name);
        free(app->components[i].module_path);
        free(app->components[i].entry);
    }
    memset(app, 0, sizeof *app);
}
