/*
 * limits.h - caps on what hostile input can make the engine allocate.
 *
 * Every count read from a module is checked against these before anything
 * is sized by it, so a tiny malicious module cannot ask for gigabytes.  The
 * values follow the limits web engines agree on (the JS API's
 * implementation limits), which every real module respects.
 */
#ifndef B8G_WASM_LIMITS_H
#define B8G_WASM_LIMITS_H

#define LIM_MODULE_BYTES (1024u * 1024u * 1024u)
#define LIM_TYPES 1000000u
#define LIM_FUNCS 1000000u
#define LIM_IMPORTS 100000u
#define LIM_EXPORTS 100000u
#define LIM_GLOBALS 1000000u
#define LIM_DATA_SEGMENTS 100000u
#define LIM_ELEM_SEGMENTS 100000u /* as data segments: each costs host memory per instance */
#define LIM_TABLES 100000u
#define LIM_MEMORIES 100000u
#define LIM_PARAMS 1000u
#define LIM_RESULTS 1000u
#define LIM_LOCALS 50000u     /* declared locals per function */
/* declared locals over all functions: each costs a byte once expanded, and
 * one run "50000 x i32" encodes in 4 bytes, so without a module-wide cap a
 * small module could ask for gigabytes */
#define LIM_TOTAL_LOCALS 50000000u
#define LIM_FUNC_BYTES (7654321u)
#define LIM_BR_TABLE 1000000u
#define LIM_BLOCK_DEPTH 100000u
#define LIM_NAME_BYTES 100000u
#define LIM_TABLE_ELEMS 10000000u
#define LIM_CUSTOMS 100000u

#endif
