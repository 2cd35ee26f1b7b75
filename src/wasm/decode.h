/*
 * decode.h - the binary format decoder.
 *
 * dec_module copies the bytes and decodes every section into a Module,
 * checking everything the spec calls malformed that can be seen outside
 * function bodies (section order and sizes, LEB128 limits, UTF-8 names,
 * counts that disagree, ...).  Instruction encodings inside bodies are
 * checked when the validator walks them (instr.c).  Errors carry the byte
 * offset of the offending input.
 */
#ifndef B8G_WASM_DECODE_H
#define B8G_WASM_DECODE_H

#include "wasm/module.h"

b8g_status dec_module(const uint8_t *bytes, size_t len, Module **out,
                      b8g_error *err);

#endif
