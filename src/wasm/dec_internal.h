/*
 * dec_internal.h - what the decoder's files share (not for other modules).
 *
 * The decoder reads the whole module through one Reader bounded by the end
 * of the input, not by the current section, and checks after each section
 * that it ended exactly where its size said ("section size mismatch").  That
 * is how the reference interpreter reads, so a section whose count or
 * lengths lie produces the same error the spec tests expect (e.g. a name
 * length that runs past the input is "length out of bounds" even when it
 * also runs past its section).
 *
 * Everything allocated is hung on the Module at once, so on any failure
 * mod_free() releases a partially built module.
 */
#ifndef B8G_WASM_DEC_INTERNAL_H
#define B8G_WASM_DEC_INTERNAL_H

#include "util/err.h"
#include "util/reader.h"
#include "wasm/instr.h"
#include "wasm/limits.h"
#include "wasm/module.h"

typedef struct Dec {
    Module *m;
    Reader r;            /* over the whole module; offsets count from byte 0 */
    b8g_error *err;
    uint32_t ndeclared;  /* entries of the function section */
    uint32_t ncode;      /* bodies in the code section */
    uint64_t total_locals; /* over all bodies so far (LIM_TOTAL_LOCALS) */
    uint32_t customs_cap;  /* allocated entries of m->customs */
    bool names_seen;       /* a "name" section was met (only the first counts) */
} Dec;

/* A count, bounded by the input (rd_len) and by cap (B8G_LIMIT, naming
 * `what` in the message). */
b8g_status dec_count(Dec *d, uint32_t cap, const char *what, uint32_t *out);
/* A UTF-8 name copied into out (caller frees out->str). */
b8g_status dec_name(Dec *d, Name *out);
b8g_status dec_limits(Dec *d, Limits *out);
b8g_status dec_const_expr(Dec *d, ConstExpr *out);

/* Section bodies: the reader stands after the section size. */
b8g_status dec_type_section(Dec *d);
b8g_status dec_import_section(Dec *d);
b8g_status dec_function_section(Dec *d);
b8g_status dec_table_section(Dec *d);
b8g_status dec_memory_section(Dec *d);
b8g_status dec_global_section(Dec *d);
b8g_status dec_export_section(Dec *d);
b8g_status dec_start_section(Dec *d);
b8g_status dec_elem_section(Dec *d);
b8g_status dec_datacount_section(Dec *d);
b8g_status dec_code_section(Dec *d);
b8g_status dec_data_section(Dec *d);
b8g_status dec_custom_section(Dec *d, uint32_t size);

/* Fills the index spaces of kinds whose section was absent (imports only). */
void dec_finish_index_spaces(Dec *d);

/* Parses a "name" section payload into m->names; a malformed one leaves
 * m->names empty and is not an error (custom sections are not validated). */
void dec_names(Module *m, const uint8_t *data, size_t len);

#endif
