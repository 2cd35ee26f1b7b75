/*
 * snap.h - capturing an instance into image bytes and restoring one from
 * a parsed image (layout: image.h; public side: src/api/snapshot.c).
 *
 * Frames in an image are checked against the translated code on restore
 * (restore.c), so a crafted image can make a guest compute nonsense but
 * never make the host read or jump outside what the module's own code
 * could: positions come from the code's map, call/return pairs are the
 * code's own calls with the callee's exact type, and no slot a function
 * could use as a reference is taken from the image as raw bits.  That last
 * rule is why functions that handle references (snap_holds_refs) may sit
 * on a captured stack only below a call, with no operand of their own.
 */
#ifndef B8G_SNAP_SNAP_H
#define B8G_SNAP_SNAP_H

#include "api/api.h"
#include "rt/store.h"
#include "snap/buf.h"
#include "snap/image.h"

/* Appends the image of inst (with WASI context w, or NULL) to out; with
 * `code`, also the translated code of every function translated so far
 * (code.c). */
b8g_status snap_capture(b8g_instance *inst, const b8g_wasi *w, bool code, Buf *out,
                        b8g_error *err);

/* Translated code (code.c, image.h ImgCode).  snap_code_capture writes the
 * code data of m's translated functions into the empty buffer out.
 * snap_code_check: every record names a function m defines (B8G_IMAGE).
 * snap_code_usable: the image has code, from this build.  snap_code_attach
 * hands it to m, a lazy module just loaded from the image, whose functions
 * then take it instead of being validated and translated: only for images
 * the embedder vouches for (B8G_IMAGE_OPEN_TRUSTED). */
b8g_status snap_code_capture(const Module *m, Buf *out, b8g_error *err);
b8g_status snap_code_check(const Image *img, const Module *m, b8g_error *err);
bool snap_code_usable(const Image *img);
void snap_code_attach(const Image *img, Module *m);
/* Restores img's context, running module m, into empty store s. */
b8g_status snap_restore(const Image *img, const b8g_module *m, b8g_store *s,
                        b8g_wasi *w, b8g_instance **out, b8g_error *err);

/* True if function `func` of m may hold a reference in an operand slot:
 * it has a reference-typed parameter or local, or an instruction that
 * produces a reference (refs.c). */
bool snap_holds_refs(const Module *m, uint32_t func);
/* A funcref slot as an image stores it: 0 for null, index + 1 for the
 * function at that index of inst's function index space; false for a
 * function of another instance.  (Externrefs are embedder pointers: only
 * null ones can be captured, and callers check that by type.) */
bool snap_ref_encode(const b8g_instance *inst, uint64_t ref, uint64_t *out);
/* The inverse: false for an index outside inst's functions. */
bool snap_ref_decode(const b8g_instance *inst, uint64_t v, uint64_t *ref);

#endif
