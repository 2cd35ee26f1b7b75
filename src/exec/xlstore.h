/*
 * xlstore.h - translated code in the form images carry it, so that a
 * process of the same build can run it without validating and translating
 * the function again.
 *
 * The stored form is the XlFunc's code with every handler written as its
 * XOp number in the handler's first unit (the others zero), the unit where
 * each instruction starts (what finds the handlers again), and the map.
 * Handler numbers and operand layouts belong to one build of the
 * translator and interpreter: code is used only where xl_build_id() equals
 * the id it was stored with.  Nothing else about stored code can be
 * checked cheaply - its slot indices and branch distances are trusted - so
 * only images the embedder vouches for hand code to a module
 * (B8G_IMAGE_OPEN_TRUSTED).
 */
#ifndef B8G_EXEC_XLSTORE_H
#define B8G_EXEC_XLSTORE_H

#include "exec/xl.h"

/* Longest build id, without its NUL. */
#define XL_BUILD_ID_LEN 63

/* One function's stored code; the arrays are in host byte order (part of
 * the build id) at any alignment. */
typedef struct XlStored {
    const uint8_t *units;   /* nunits XlUnits */
    const uint8_t *starts;  /* nstarts u32: unit of each instruction, rising */
    const uint8_t *map;     /* nmap (u32 pc, u32 offset): XlPcMap */
    uint32_t nunits, nstarts, nmap, max_height;
} XlStored;

/* This build's id: a hash of the translator's and interpreter's sources,
 * the handler width and the byte order. */
const char *xl_build_id(void);

/* Function fidx of m translated into the stored form (arrays malloc'd).
 * The body must have been validated (it has been translated, or m was
 * validated whole) - or taken from a trusted image, whose word covers it
 * as it covers the stored code.  Fails only on the translator's caps. */
typedef struct XlExport {
    XlUnit *units;
    uint32_t *starts;
    XlPcMap *map;
    uint32_t nunits, nstarts, nmap, max_height;
} XlExport;
b8g_status xl_export(const Module *m, uint32_t fidx, XlExport *out, b8g_error *err);
void xl_export_free(XlExport *e);

/* Function fidx of m built from its stored code, or NULL when the record
 * does not fit together (a start past the code, an unknown XOp, a map
 * entry out of order, a frame over XL_MAX_SLOTS).  What is checked keeps
 * the host's reads inside the arrays; what the code does is trusted. */
XlFunc *xl_import(const Module *m, uint32_t fidx, const XlStored *s);

/* The translator's side (translate.c): function fidx of m translated into
 * a new XlFunc, with where each instruction starts (malloc'd). */
b8g_status xl_translate_starts(const Module *m, uint32_t fidx, XlFunc **out, uint32_t **starts,
                               uint32_t *nstarts, b8g_error *err);
/* The interpreter's side (interp.c): the XOp whose handler is written at
 * `at`, or XOP_COUNT if none is. */
XOp vm_handler_op(const XlUnit *at);

#endif
