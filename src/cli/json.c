/*
 * json.c - the JSON writer: separators and indentation, and byte strings
 * turned into JSON string literals (the rules are in json.h).
 */
#include <inttypes.h>
#include <string.h>

#include "cli/json.h"
#include "util/reader.h"

void jw_init(JsonWriter *w, FILE *f)
{
    w->f = f;
    w->depth = 0;
    w->flat = 0;
    w->has_items = false;
    w->after_key = false;
}

void jw_finish(JsonWriter *w)
{
    fputc('\n', w->f);
}

static void newline_indent(JsonWriter *w)
{
    fputc('\n', w->f);
    for (unsigned i = 0; i < w->depth; i++) fputs("  ", w->f);
}

/* What goes before any value or key: nothing after a key (the value
 * shares its line), else a comma after a sibling and a fresh line, or in
 * a flat container a comma and a space. */
static void before_item(JsonWriter *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->has_items) fputs(w->flat ? ", " : ",", w->f);
    if (w->depth > 0 && !w->flat) newline_indent(w);
    w->has_items = true;
}

static void open_container(JsonWriter *w, char c, bool flat)
{
    before_item(w);
    fputc(c, w->f);
    w->depth++;
    if (flat && !w->flat) w->flat = w->depth;
    w->has_items = false;
}

/* An empty container closes on its own line: "[]" rather than "[\n]". */
static void close_container(JsonWriter *w, char c)
{
    bool own_line = w->has_items && !w->flat;
    w->depth--;
    if (w->flat > w->depth) w->flat = 0;
    if (own_line) newline_indent(w);
    fputc(c, w->f);
    w->has_items = true;
}

void jw_object_begin(JsonWriter *w) { open_container(w, '{', false); }
void jw_object_end(JsonWriter *w) { close_container(w, '}'); }
void jw_array_begin(JsonWriter *w) { open_container(w, '[', false); }
void jw_array_end(JsonWriter *w) { close_container(w, ']'); }
void jw_object_begin_flat(JsonWriter *w) { open_container(w, '{', true); }
void jw_array_begin_flat(JsonWriter *w) { open_container(w, '[', true); }

size_t jw_utf8_len(const uint8_t *s, size_t n)
{
    size_t len;
    if (s[0] < 0x80) len = 1;
    else if (s[0] >= 0xc2 && s[0] <= 0xdf) len = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef) len = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) len = 4;
    else return 0;
    /* the lead byte only gives the length; the engine's own check rules
     * out overlongs, surrogates and what lies past U+10FFFF */
    return len <= n && utf8_valid(s, len) ? len : 0;
}

static const char *short_escape(uint8_t c)
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return NULL;
    }
}

/* One character (or stray byte) of a string; returns the bytes used. */
static size_t put_char(FILE *f, const uint8_t *s, size_t n)
{
    size_t len = jw_utf8_len(s, n);
    if (len == 0) {
        fputs("\\ufffd", f);
        return 1;
    }
    const char *esc = len == 1 ? short_escape(s[0]) : NULL;
    if (esc) fputs(esc, f);
    else if (len == 1 && (s[0] < 0x20 || s[0] == 0x7f)) fprintf(f, "\\u%04x", s[0]);
    else if (len == 2 && s[0] == 0xc2 && s[1] <= 0x9f) fprintf(f, "\\u%04x", s[1]);
    else fwrite(s, 1, len, f);
    return len;
}

void jw_string(JsonWriter *w, const char *s, size_t n)
{
    before_item(w);
    const uint8_t *p = (const uint8_t *)s;
    fputc('"', w->f);
    for (size_t i = 0; i < n;) i += put_char(w->f, p + i, n - i);
    fputc('"', w->f);
}

void jw_key(JsonWriter *w, const char *key)
{
    jw_string(w, key, strlen(key));
    fputs(": ", w->f);
    w->after_key = true;
}

void jw_cstr(JsonWriter *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_string(w, s, strlen(s));
}

void jw_uint(JsonWriter *w, uint64_t v)
{
    before_item(w);
    fprintf(w->f, "%" PRIu64, v);
}

void jw_bool(JsonWriter *w, bool v)
{
    before_item(w);
    fputs(v ? "true" : "false", w->f);
}

void jw_null(JsonWriter *w)
{
    before_item(w);
    fputs("null", w->f);
}

void jw_field_cstr(JsonWriter *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_cstr(w, s);
}

void jw_field_uint(JsonWriter *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_uint(w, v);
}

void jw_field_bool(JsonWriter *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_field_null(JsonWriter *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}
