/*
 * json.h - writing one JSON document to a stream (b8g inspect --json).
 *
 * A JsonWriter is a cursor: containers are opened and closed in order,
 * keys precede values inside objects, and the writer puts the commas,
 * newlines and two-space indentation in between (or, inside a "flat"
 * container, a comma and a space).  Nothing is buffered
 * beyond the FILE, so a document of any size costs no memory.
 *
 * Strings are byte strings (names read from a module or an image), so the
 * writer decides how bytes become JSON text: `"` and `\` are escaped,
 * control characters (C0, DEL and the C1 range U+0080..U+009F) become
 * \u00XX (or \n, \t, ... where JSON has a short form) so the output cannot
 * drive a terminal it is shown on, well-formed UTF-8 is copied, and each
 * byte that does not begin a well-formed UTF-8 character becomes U+FFFD
 * (\ufffd): JSON text is Unicode, and a byte is not a character.
 *
 * The jw_ prefix keeps clear of jansson's json_ names, which the compose
 * reader links into the same program.
 */
#ifndef B8G_CLI_JSON_H
#define B8G_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct JsonWriter {
    FILE *f;
    unsigned depth;  /* open containers */
    unsigned flat;   /* depth of the outermost one-line container, 0 if none */
    bool has_items;  /* the innermost container has a value already */
    bool after_key;  /* a key was written: its value follows on the same line */
} JsonWriter;

void jw_init(JsonWriter *w, FILE *f);
/* Ends the document with a newline. */
void jw_finish(JsonWriter *w);

void jw_object_begin(JsonWriter *w);
void jw_object_end(JsonWriter *w);
void jw_array_begin(JsonWriter *w);
void jw_array_end(JsonWriter *w);
/* A container written on one line with everything inside it: one line per
 * list item (a section, an import) reads better than a line per field. */
void jw_object_begin_flat(JsonWriter *w);
void jw_array_begin_flat(JsonWriter *w);
void jw_key(JsonWriter *w, const char *key);

void jw_string(JsonWriter *w, const char *s, size_t n);
void jw_cstr(JsonWriter *w, const char *s); /* NULL writes null */
void jw_uint(JsonWriter *w, uint64_t v);
void jw_bool(JsonWriter *w, bool v);
void jw_null(JsonWriter *w);

/* A key and its value in one call, for the common flat fields. */
void jw_field_cstr(JsonWriter *w, const char *key, const char *s);
void jw_field_uint(JsonWriter *w, const char *key, uint64_t v);
void jw_field_bool(JsonWriter *w, const char *key, bool v);
void jw_field_null(JsonWriter *w, const char *key);

/* Length of the well-formed UTF-8 character at s (at most n bytes), or 0
 * if s[0] does not begin one; for escapers that treat bytes and
 * characters differently. */
size_t jw_utf8_len(const uint8_t *s, size_t n);

#endif
