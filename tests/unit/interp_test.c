/*
 * interp_test.c - the interpreter through the public API: numeric edge
 * cases, every trap kind with its message and backtrace, stack exhaustion,
 * multi-value blocks and br_table, branches too far for 16 bits, fuel
 * suspension and resumption, interrupts, and calls that re-enter the engine
 * from a host function.
 *
 * The modules are the .wat in the comments, built with
 * `wat2wasm --debug-names` (names feed the backtrace checks), except the
 * far-branch one, which is too long to list and is generated.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b8g.h"

#include "mbuild.h"

/*
 * (module
 *   (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *   (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
 *   (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
 *   (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
 *   (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
 *   (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
 *   (func (export "popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
 *   (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
 *   (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
 *   (func (export "shl64") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
 *   (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
 *   (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
 *   (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
 *   (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
 *   (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
 *   (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
 *   (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
 *   (func (export "sat_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
 *   (func (export "sat_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
 *   (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
 *   (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
 *   (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
 * )
 */
static const uint8_t mod_arith[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x3c, 0x0b, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x02, 0x7d,
    0x7d, 0x01, 0x7d, 0x60, 0x02, 0x7c, 0x7c, 0x01, 0x7c, 0x60, 0x01, 0x7d,
    0x01, 0x7d, 0x60, 0x01, 0x7d, 0x01, 0x7f, 0x60, 0x01, 0x7c, 0x01, 0x7e,
    0x60, 0x01, 0x7e, 0x01, 0x7d, 0x60, 0x01, 0x7e, 0x01, 0x7f, 0x03, 0x17,
    0x16, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x02, 0x00, 0x00, 0x01, 0x04,
    0x05, 0x06, 0x06, 0x05, 0x07, 0x08, 0x07, 0x08, 0x09, 0x02, 0x0a, 0x07,
    0xbf, 0x01, 0x16, 0x05, 0x64, 0x69, 0x76, 0x5f, 0x73, 0x00, 0x00, 0x05,
    0x72, 0x65, 0x6d, 0x5f, 0x73, 0x00, 0x01, 0x07, 0x72, 0x65, 0x6d, 0x5f,
    0x73, 0x36, 0x34, 0x00, 0x02, 0x07, 0x64, 0x69, 0x76, 0x5f, 0x75, 0x36,
    0x34, 0x00, 0x03, 0x03, 0x63, 0x6c, 0x7a, 0x00, 0x04, 0x05, 0x63, 0x74,
    0x7a, 0x36, 0x34, 0x00, 0x05, 0x06, 0x70, 0x6f, 0x70, 0x63, 0x6e, 0x74,
    0x00, 0x06, 0x04, 0x72, 0x6f, 0x74, 0x6c, 0x00, 0x07, 0x05, 0x73, 0x68,
    0x72, 0x5f, 0x73, 0x00, 0x08, 0x05, 0x73, 0x68, 0x6c, 0x36, 0x34, 0x00,
    0x09, 0x03, 0x6d, 0x69, 0x6e, 0x00, 0x0a, 0x05, 0x6d, 0x61, 0x78, 0x36,
    0x34, 0x00, 0x0b, 0x07, 0x6e, 0x65, 0x61, 0x72, 0x65, 0x73, 0x74, 0x00,
    0x0c, 0x03, 0x6e, 0x65, 0x67, 0x00, 0x0d, 0x08, 0x63, 0x6f, 0x70, 0x79,
    0x73, 0x69, 0x67, 0x6e, 0x00, 0x0e, 0x07, 0x74, 0x72, 0x75, 0x6e, 0x63,
    0x5f, 0x73, 0x00, 0x0f, 0x09, 0x74, 0x72, 0x75, 0x6e, 0x63, 0x5f, 0x75,
    0x36, 0x34, 0x00, 0x10, 0x05, 0x73, 0x61, 0x74, 0x5f, 0x73, 0x00, 0x11,
    0x07, 0x73, 0x61, 0x74, 0x5f, 0x75, 0x36, 0x34, 0x00, 0x12, 0x0a, 0x75,
    0x36, 0x34, 0x5f, 0x74, 0x6f, 0x5f, 0x66, 0x33, 0x32, 0x00, 0x13, 0x04,
    0x65, 0x78, 0x74, 0x38, 0x00, 0x14, 0x04, 0x77, 0x72, 0x61, 0x70, 0x00,
    0x15, 0x0a, 0x9b, 0x01, 0x16, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6f, 0x0b, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x81, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x80,
    0x0b, 0x05, 0x00, 0x20, 0x00, 0x67, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x7a,
    0x0b, 0x05, 0x00, 0x20, 0x00, 0x69, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x77, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x75, 0x0b, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x86, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x96, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0xa5, 0x0b, 0x05,
    0x00, 0x20, 0x00, 0x90, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8c, 0x0b, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0xa6, 0x0b, 0x05, 0x00, 0x20, 0x00, 0xa8,
    0x0b, 0x05, 0x00, 0x20, 0x00, 0xb1, 0x0b, 0x06, 0x00, 0x20, 0x00, 0xfc,
    0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0xfc, 0x07, 0x0b, 0x05, 0x00, 0x20,
    0x00, 0xb5, 0x0b, 0x05, 0x00, 0x20, 0x00, 0xc0, 0x0b, 0x05, 0x00, 0x20,
    0x00, 0xa7, 0x0b, 0x00, 0x34, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x02, 0x2d,
    0x16, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05,
    0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x0b,
    0x00, 0x0c, 0x00, 0x0d, 0x00, 0x0e, 0x00, 0x0f, 0x00, 0x10, 0x00, 0x11,
    0x00, 0x12, 0x00, 0x13, 0x00, 0x14, 0x00, 0x15, 0x00,
};

/*
 * (module
 *   (import "env" "fail" (func $fail))
 *   (type $v_i (func (result i32)))
 *   (type $i_i (func (param i32) (result i32)))
 *   (memory 1)
 *   (table $t 4 funcref)
 *   (elem (i32.const 0) $ret7 $id)
 *   (func $ret7 (type $v_i) (i32.const 7))
 *   (func $id (type $i_i) (local.get 0))
 *   (func (export "unreachable") unreachable)
 *   (func (export "div0") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
 *   (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
 *   (func (export "badconv") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
 *   (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func (export "store") (param i32) (i32.store offset=4 (local.get 0) (i32.const 1)))
 *   (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0xaa) (local.get 1)))
 *   (func (export "tget") (param i32) (result funcref) (table.get $t (local.get 0)))
 *   (func (export "icall") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0)))
 *   (func $rec (export "recurse") (param i32) (result i32)
 *     (i32.add (i32.const 1) (call $rec (local.get 0))))
 *   (func (export "host") (call $fail))
 *   (func $inner unreachable)
 *   (func $middle (call $inner))
 *   (func (export "outer") (call $middle))
 * )
 */
static const uint8_t mod_traps[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x07, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60,
    0x01, 0x7d, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f,
    0x00, 0x60, 0x01, 0x7f, 0x01, 0x70, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e,
    0x76, 0x04, 0x66, 0x61, 0x69, 0x6c, 0x00, 0x02, 0x03, 0x11, 0x10, 0x00,
    0x01, 0x02, 0x01, 0x00, 0x03, 0x01, 0x04, 0x05, 0x06, 0x01, 0x01, 0x02,
    0x02, 0x02, 0x02, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x03, 0x01,
    0x00, 0x01, 0x07, 0x69, 0x0c, 0x0b, 0x75, 0x6e, 0x72, 0x65, 0x61, 0x63,
    0x68, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x03, 0x04, 0x64, 0x69, 0x76, 0x30,
    0x00, 0x04, 0x08, 0x6f, 0x76, 0x65, 0x72, 0x66, 0x6c, 0x6f, 0x77, 0x00,
    0x05, 0x07, 0x62, 0x61, 0x64, 0x63, 0x6f, 0x6e, 0x76, 0x00, 0x06, 0x04,
    0x6c, 0x6f, 0x61, 0x64, 0x00, 0x07, 0x05, 0x73, 0x74, 0x6f, 0x72, 0x65,
    0x00, 0x08, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x09, 0x04, 0x74, 0x67,
    0x65, 0x74, 0x00, 0x0a, 0x05, 0x69, 0x63, 0x61, 0x6c, 0x6c, 0x00, 0x0b,
    0x07, 0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x0c, 0x04, 0x68,
    0x6f, 0x73, 0x74, 0x00, 0x0d, 0x05, 0x6f, 0x75, 0x74, 0x65, 0x72, 0x00,
    0x10, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02, 0x0a,
    0x74, 0x10, 0x04, 0x00, 0x41, 0x07, 0x0b, 0x04, 0x00, 0x20, 0x00, 0x0b,
    0x03, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x01, 0x20, 0x00, 0x6e, 0x0b,
    0x0b, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x41, 0x7f, 0x6d, 0x0b,
    0x05, 0x00, 0x20, 0x00, 0xa8, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02,
    0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x36, 0x02, 0x04, 0x0b,
    0x0c, 0x00, 0x20, 0x00, 0x41, 0xaa, 0x01, 0x20, 0x01, 0xfc, 0x0b, 0x00,
    0x0b, 0x06, 0x00, 0x20, 0x00, 0x25, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00,
    0x11, 0x00, 0x00, 0x0b, 0x09, 0x00, 0x41, 0x01, 0x20, 0x00, 0x10, 0x0c,
    0x6a, 0x0b, 0x04, 0x00, 0x10, 0x00, 0x0b, 0x03, 0x00, 0x00, 0x0b, 0x04,
    0x00, 0x10, 0x0e, 0x0b, 0x04, 0x00, 0x10, 0x0f, 0x0b, 0x00, 0x64, 0x04,
    0x6e, 0x61, 0x6d, 0x65, 0x01, 0x25, 0x06, 0x00, 0x04, 0x66, 0x61, 0x69,
    0x6c, 0x01, 0x04, 0x72, 0x65, 0x74, 0x37, 0x02, 0x02, 0x69, 0x64, 0x0c,
    0x03, 0x72, 0x65, 0x63, 0x0e, 0x05, 0x69, 0x6e, 0x6e, 0x65, 0x72, 0x0f,
    0x06, 0x6d, 0x69, 0x64, 0x64, 0x6c, 0x65, 0x02, 0x23, 0x11, 0x00, 0x00,
    0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05, 0x00, 0x06, 0x00,
    0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00,
    0x0d, 0x00, 0x0e, 0x00, 0x0f, 0x00, 0x10, 0x00, 0x04, 0x0b, 0x02, 0x00,
    0x03, 0x76, 0x5f, 0x69, 0x01, 0x03, 0x69, 0x5f, 0x69, 0x05, 0x04, 0x01,
    0x00, 0x01, 0x74,
};

/*
 * (module
 *   (import "env" "poke" (func $poke))
 *   (import "env" "reenter" (func $reenter (param i32) (result i64)))
 *   (func (export "sum") (param i32) (result i64) (local i64)
 *     (block $done
 *       (loop $l
 *         (br_if $done (i32.eqz (local.get 0)))
 *         (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
 *         (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
 *         (br $l)))
 *     (local.get 1))
 *   (func $count (export "count") (param i32) (result i32)
 *     (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
 *     (local.get 0))
 *   (func (export "poke_then_count") (param i32) (result i32)
 *     (call $poke)
 *     (call $count (local.get 0)))
 *   (func (export "outer_sum") (param i32) (result i64)
 *     (i64.add (i64.const 1000) (call $reenter (local.get 0))))
 * )
 */
static const uint8_t mod_loops[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x03, 0x60,
    0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x02, 0x1a, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x70, 0x6f, 0x6b, 0x65,
    0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x07, 0x72, 0x65, 0x65, 0x6e, 0x74,
    0x65, 0x72, 0x00, 0x01, 0x03, 0x05, 0x04, 0x01, 0x02, 0x02, 0x01, 0x07,
    0x2d, 0x04, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x02, 0x05, 0x63, 0x6f, 0x75,
    0x6e, 0x74, 0x00, 0x03, 0x0f, 0x70, 0x6f, 0x6b, 0x65, 0x5f, 0x74, 0x68,
    0x65, 0x6e, 0x5f, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x04, 0x09, 0x6f,
    0x75, 0x74, 0x65, 0x72, 0x5f, 0x73, 0x75, 0x6d, 0x00, 0x05, 0x0a, 0x49,
    0x04, 0x22, 0x01, 0x01, 0x7e, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45,
    0x0d, 0x01, 0x20, 0x01, 0x20, 0x00, 0xad, 0x7c, 0x21, 0x01, 0x20, 0x00,
    0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b,
    0x10, 0x00, 0x03, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d,
    0x00, 0x0b, 0x20, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x20, 0x00, 0x10,
    0x03, 0x0b, 0x0a, 0x00, 0x42, 0xe8, 0x07, 0x20, 0x00, 0x10, 0x01, 0x7c,
    0x0b, 0x00, 0x2d, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x17, 0x03, 0x00,
    0x04, 0x70, 0x6f, 0x6b, 0x65, 0x01, 0x07, 0x72, 0x65, 0x65, 0x6e, 0x74,
    0x65, 0x72, 0x03, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x02, 0x0d, 0x06,
    0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05, 0x00,
};

/*
 * (module
 *   (func (export "three") (param i32) (result i32 i64 f64)
 *     (local.get 0) (i64.extend_i32_s (local.get 0)) (f64.convert_i32_s (local.get 0)))
 *   (func (export "brmove") (result i32 i32)
 *     (block $b (result i32 i32)
 *       (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)
 *       (br $b)))
 *   (func (export "blockparams") (param i32 i32) (result i32)
 *     (local.get 0) (local.get 1)
 *     (block (param i32 i32) (result i32) (i32.sub)))
 *   (func (export "loopmove") (param i32) (result i32) (local i32)
 *     (i32.const 0)
 *     (loop $l (param i32) (result i32)
 *       (local.get 0) (i32.add)
 *       (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
 *       (local.get 0)
 *       (if (param i32) (result i32)
 *         (then (local.set 1) (i32.const 555) (local.get 1) (br $l)))))
 *   (func (export "brtable") (param i32) (result i32)
 *     (block $b2 (result i32)
 *       (block $b1 (result i32)
 *         (block $b0 (result i32)
 *           (i32.const 10) (i32.const 20)
 *           (local.get 0)
 *           (br_table $b0 $b1 $b2 $b2))
 *         (i32.const 1) (i32.add) (return))
 *       (i32.const 2) (i32.add) (return))
 *     (i32.const 3) (i32.add))
 *   (func (export "brtable_ret") (param i32) (result i32 i32)
 *     (i32.const 5)
 *     (block $b (result i32 i32)
 *       (i32.const 6) (i32.const 7)
 *       (local.get 0)
 *       (br_table $b 1 1))
 *     (drop) (drop) (drop) (i32.const 8) (i32.const 9))
 *   (func (export "ifelse") (param i32) (result i32)
 *     (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
 * )
 */
static const uint8_t mod_multi[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1e, 0x05, 0x60,
    0x01, 0x7f, 0x03, 0x7f, 0x7e, 0x7c, 0x60, 0x00, 0x02, 0x7f, 0x7f, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01,
    0x7f, 0x02, 0x7f, 0x7f, 0x03, 0x08, 0x07, 0x00, 0x01, 0x02, 0x03, 0x03,
    0x04, 0x03, 0x07, 0x4c, 0x07, 0x05, 0x74, 0x68, 0x72, 0x65, 0x65, 0x00,
    0x00, 0x06, 0x62, 0x72, 0x6d, 0x6f, 0x76, 0x65, 0x00, 0x01, 0x0b, 0x62,
    0x6c, 0x6f, 0x63, 0x6b, 0x70, 0x61, 0x72, 0x61, 0x6d, 0x73, 0x00, 0x02,
    0x08, 0x6c, 0x6f, 0x6f, 0x70, 0x6d, 0x6f, 0x76, 0x65, 0x00, 0x03, 0x07,
    0x62, 0x72, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x04, 0x0b, 0x62, 0x72,
    0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x72, 0x65, 0x74, 0x00, 0x05, 0x06,
    0x69, 0x66, 0x65, 0x6c, 0x73, 0x65, 0x00, 0x06, 0x0a, 0x93, 0x01, 0x07,
    0x0a, 0x00, 0x20, 0x00, 0x20, 0x00, 0xac, 0x20, 0x00, 0xb7, 0x0b, 0x0f,
    0x00, 0x02, 0x01, 0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x41, 0x04, 0x0c,
    0x00, 0x0b, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x02, 0x02, 0x6b,
    0x0b, 0x0b, 0x21, 0x01, 0x01, 0x7f, 0x41, 0x00, 0x03, 0x03, 0x20, 0x00,
    0x6a, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x20, 0x00, 0x04, 0x03,
    0x21, 0x01, 0x41, 0xab, 0x04, 0x20, 0x01, 0x0c, 0x01, 0x0b, 0x0b, 0x0b,
    0x22, 0x00, 0x02, 0x7f, 0x02, 0x7f, 0x02, 0x7f, 0x41, 0x0a, 0x41, 0x14,
    0x20, 0x00, 0x0e, 0x03, 0x00, 0x01, 0x02, 0x02, 0x0b, 0x41, 0x01, 0x6a,
    0x0f, 0x0b, 0x41, 0x02, 0x6a, 0x0f, 0x0b, 0x41, 0x03, 0x6a, 0x0b, 0x19,
    0x00, 0x41, 0x05, 0x02, 0x01, 0x41, 0x06, 0x41, 0x07, 0x20, 0x00, 0x0e,
    0x02, 0x00, 0x01, 0x01, 0x0b, 0x1a, 0x1a, 0x1a, 0x41, 0x08, 0x41, 0x09,
    0x0b, 0x0c, 0x00, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02,
    0x0b, 0x0b, 0x00, 0x16, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x02, 0x0f, 0x07,
    0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05, 0x00,
    0x06, 0x00,
};

/* ---- helpers --------------------------------------------------------------- */

/*
 * cmocka installs its own SIGSEGV/SIGBUS handlers around every test and
 * restores the previous ones after, which drops the engine's guard-page
 * handler if it was installed during an earlier test.  main() makes the
 * engine install it first and keeps a copy; tests that fault on purpose
 * put it back for their duration.
 */
static struct sigaction g_guard_segv, g_guard_bus;

static void restore_guard_handler(void)
{
    sigaction(SIGSEGV, &g_guard_segv, NULL);
    sigaction(SIGBUS, &g_guard_bus, NULL);
}

static b8g_val i32v(int32_t x) { return (b8g_val){.type = B8G_I32, .of.i32 = x}; }
static b8g_val i64v(int64_t x) { return (b8g_val){.type = B8G_I64, .of.i64 = x}; }
static b8g_val f32b(uint32_t bits) { return (b8g_val){.type = B8G_F32, .of.f32 = bits}; }
static b8g_val f64b(uint64_t bits) { return (b8g_val){.type = B8G_F64, .of.f64 = bits}; }

static uint32_t bits32(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static uint64_t bits64(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static b8g_instance *g_loops; /* the instance env.reenter calls back into */
static int g_host_calls;

/* env.fail: always fails, with its own message. */
static b8g_status host_fail(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    (void)slots;
    snprintf(err->msg, sizeof err->msg, "boom");
    return B8G_TRAP;
}

/* env.poke: asks the running call to stop at its next safe point. */
static b8g_status host_poke(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)slots;
    (void)err;
    g_host_calls++;
    b8g_store_interrupt(call->store);
    return B8G_OK;
}

/* env.reenter(n) -> i64: calls the guest's "sum"(n) from inside a call. */
static b8g_status host_reenter(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)call;
    b8g_val arg = i32v((int32_t)slots[0]), res;
    b8g_status st = b8g_call(g_loops, "sum", &arg, 1, &res, 1, err);
    if (st) return st;
    slots[0] = (uint64_t)res.of.i64;
    return B8G_OK;
}

/* A store with the env host functions, and one instance of `bytes`. */
static b8g_instance *load(b8g_store *s, const uint8_t *bytes, size_t len)
{
    b8g_instance *h = b8g_host_instance_new(s);
    assert_int_equal(b8g_host_func(h, "fail", ":", host_fail, NULL), B8G_OK);
    assert_int_equal(b8g_host_func(h, "poke", ":", host_poke, NULL), B8G_OK);
    assert_int_equal(b8g_host_func(h, "reenter", "i:I", host_reenter, NULL), B8G_OK);
    assert_int_equal(b8g_register(s, "env", h), B8G_OK);
    b8g_module *m;
    b8g_error err;
    if (b8g_module_load(bytes, len, &m, &err)) fail_msg("load: %s", err.msg);
    b8g_instance *inst = NULL;
    if (b8g_instantiate(s, m, &inst, &err)) fail_msg("instantiate: %s", err.msg);
    b8g_module_free(m);
    return inst;
}

#define LOAD(s, mod) load((s), (mod), sizeof(mod))

/* Calls name(args) expecting success; returns result 0. */
static b8g_val call_ok(b8g_instance *inst, const char *name, b8g_val *args, uint32_t n)
{
    b8g_val res[4];
    b8g_error err;
    b8g_status st = b8g_call(inst, name, args, n, res, 4, &err);
    if (st) fail_msg("%s: %s", name, err.msg);
    return res[0];
}

static b8g_val call1(b8g_instance *inst, const char *name, b8g_val a)
{
    return call_ok(inst, name, &a, 1);
}

static int32_t call_i32(b8g_instance *inst, const char *name, b8g_val a)
{
    return call1(inst, name, a).of.i32;
}

static int32_t call_i32_2(b8g_instance *inst, const char *name, b8g_val a, b8g_val b)
{
    b8g_val args[2] = {a, b};
    return call_ok(inst, name, args, 2).of.i32;
}

/* Calls name(args) expecting a trap of `kind`; returns the error. */
static b8g_error call_trap(b8g_instance *inst, const char *name, b8g_val *args,
                           uint32_t n, b8g_trap_kind kind)
{
    b8g_val res[4];
    b8g_error err;
    b8g_status st = b8g_call(inst, name, args, n, res, 4, &err);
    if (st != B8G_TRAP) fail_msg("%s: status %d, expected a trap", name, (int)st);
    assert_int_equal(err.code, B8G_TRAP);
    assert_int_equal(err.trap, kind);
    assert_true(err.nframes >= 1);
    return err;
}

/* ---- arithmetic ------------------------------------------------------------ */

static void test_integer_edges(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *a = LOAD(s, mod_arith);
    assert_int_equal(call_i32_2(a, "div_s", i32v(-7), i32v(2)), -3);
    assert_int_equal(call_i32_2(a, "rem_s", i32v(-7), i32v(2)), -1);
    assert_int_equal(call_i32_2(a, "rem_s", i32v(INT32_MIN), i32v(-1)), 0);
    b8g_val r64[2] = {i64v(INT64_MIN), i64v(-1)};
    assert_int_equal(call_ok(a, "rem_s64", r64, 2).of.i64, 0);
    b8g_val d64[2] = {i64v(-1), i64v(3)};
    assert_int_equal((uint64_t)call_ok(a, "div_u64", d64, 2).of.i64, UINT64_MAX / 3);
    assert_int_equal(call_i32(a, "clz", i32v(0)), 32);
    assert_int_equal(call_i32(a, "clz", i32v(1)), 31);
    assert_int_equal(call1(a, "ctz64", i64v(0)).of.i64, 64);
    assert_int_equal(call_i32(a, "popcnt", i32v(0)), 0);
    assert_int_equal(call_i32(a, "popcnt", i32v(-1)), 32);
    assert_int_equal(call_i32_2(a, "rotl", i32v((int32_t)0x80000001u), i32v(33)), 3);
    assert_int_equal(call_i32_2(a, "shr_s", i32v(INT32_MIN), i32v(31)), -1);
    assert_int_equal(call_i32_2(a, "shr_s", i32v(-8), i32v(32 + 1)), -4);
    b8g_val sh[2] = {i64v(1), i64v(64 + 3)};
    assert_int_equal(call_ok(a, "shl64", sh, 2).of.i64, 8);
    assert_int_equal(call_i32(a, "ext8", i32v(0x80)), -128);
    assert_int_equal(call_i32(a, "wrap", i64v(0x123456789abcdefLL)), (int32_t)0x89abcdef);
    b8g_store_free(s);
}

static void test_float_edges(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *a = LOAD(s, mod_arith);
    b8g_val mm[2] = {f32b(0x80000000), f32b(0)};
    assert_int_equal(call_ok(a, "min", mm, 2).of.f32, 0x80000000); /* -0 < +0 */
    mm[0] = f32b(0), mm[1] = f32b(0x80000000);
    assert_int_equal(call_ok(a, "min", mm, 2).of.f32, 0x80000000);
    mm[0] = f32b(0x7fc00001), mm[1] = f32b(bits32(1.0f));
    assert_true((call_ok(a, "min", mm, 2).of.f32 & 0x7fc00000) == 0x7fc00000); /* NaN */
    b8g_val mx[2] = {f64b(0x8000000000000000ull), f64b(0)};
    assert_int_equal(call_ok(a, "max64", mx, 2).of.f64, 0);
    /* nearest rounds half to even */
    assert_int_equal(call1(a, "nearest", f32b(bits32(2.5f))).of.f32, bits32(2.0f));
    assert_int_equal(call1(a, "nearest", f32b(bits32(3.5f))).of.f32, bits32(4.0f));
    assert_int_equal(call1(a, "nearest", f32b(bits32(-0.5f))).of.f32, 0x80000000);
    /* neg and copysign only touch the sign bit, even of a signalling NaN */
    assert_int_equal(call1(a, "neg", f32b(0x7fa00001)).of.f32, 0xffa00001);
    b8g_val cs[2] = {f64b(0x7ff4000000000001ull), f64b(bits64(-1.0))};
    assert_int_equal(call_ok(a, "copysign", cs, 2).of.f64, 0xfff4000000000001ull);
    b8g_store_free(s);
}

static void test_conversions(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *a = LOAD(s, mod_arith);
    /* i32.trunc_f32_s is valid exactly on (-2147483904, 2147483648) */
    assert_int_equal(call_i32(a, "trunc_s", f32b(bits32(-2147483648.0f))), INT32_MIN);
    assert_int_equal(call_i32(a, "trunc_s", f32b(bits32(-1.9f))), -1);
    b8g_val v = f32b(bits32(2147483648.0f));
    call_trap(a, "trunc_s", &v, 1, B8G_TRAP_INT_OVERFLOW);
    v = f32b(bits32(-2147483904.0f));
    call_trap(a, "trunc_s", &v, 1, B8G_TRAP_INT_OVERFLOW);
    v = f32b(0x7fc00000);
    b8g_error e = call_trap(a, "trunc_s", &v, 1, B8G_TRAP_BAD_CONVERSION);
    assert_string_equal(e.msg, "invalid conversion to integer");
    v = f64b(bits64(18446744073709549568.0)); /* largest double below 2^64 */
    assert_int_equal((uint64_t)call_ok(a, "trunc_u64", &v, 1).of.i64, 18446744073709549568ull);
    v = f64b(bits64(-0.99));
    assert_int_equal(call_ok(a, "trunc_u64", &v, 1).of.i64, 0);
    v = f64b(bits64(18446744073709551616.0));
    call_trap(a, "trunc_u64", &v, 1, B8G_TRAP_INT_OVERFLOW);
    /* saturating forms clamp and map NaN to 0 */
    assert_int_equal(call_i32(a, "sat_s", f32b(bits32(3e9f))), INT32_MAX);
    assert_int_equal(call_i32(a, "sat_s", f32b(bits32(-3e9f))), INT32_MIN);
    assert_int_equal(call_i32(a, "sat_s", f32b(0xffc00000)), 0);
    v = f64b(bits64(-5.0));
    assert_int_equal(call_ok(a, "sat_u64", &v, 1).of.i64, 0);
    v = f64b(bits64(1e30));
    assert_int_equal((uint64_t)call_ok(a, "sat_u64", &v, 1).of.i64, UINT64_MAX);
    /* u64 -> f32 rounds once, to nearest even (values checked with node) */
    assert_int_equal(call1(a, "u64_to_f32", i64v(-1)).of.f32, 0x5f800000);
    assert_int_equal(call1(a, "u64_to_f32", i64v((int64_t)0x8000008000000001ull)).of.f32,
                     0x5f000001);
    assert_int_equal(call1(a, "u64_to_f32", i64v((int64_t)0x8000008000000000ull)).of.f32,
                     0x5f000000);
    b8g_store_free(s);
}

/* ---- traps ----------------------------------------------------------------- */

static void test_every_trap(void **state)
{
    (void)state;
    restore_guard_handler();
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *t = LOAD(s, mod_traps);
    b8g_val v;
    b8g_error e = call_trap(t, "unreachable", NULL, 0, B8G_TRAP_UNREACHABLE);
    assert_string_equal(e.msg, "unreachable");
    assert_int_not_equal(e.offset, B8G_NO_OFFSET);
    v = i32v(0);
    e = call_trap(t, "div0", &v, 1, B8G_TRAP_INT_DIV_ZERO);
    assert_string_equal(e.msg, "integer divide by zero");
    e = call_trap(t, "overflow", NULL, 0, B8G_TRAP_INT_OVERFLOW);
    assert_string_equal(e.msg, "integer overflow");
    v = i32v(65533);
    e = call_trap(t, "load", &v, 1, B8G_TRAP_MEM_OOB);
    assert_string_equal(e.msg, "out of bounds memory access");
    v = i32v(-1);
    call_trap(t, "load", &v, 1, B8G_TRAP_MEM_OOB);
    v = i32v(65532 - 4 + 1);
    call_trap(t, "store", &v, 1, B8G_TRAP_MEM_OOB);
    v = i32v(65532 - 4);
    assert_int_equal(b8g_call(t, "store", &v, 1, NULL, 0, &e), B8G_OK);
    /* bulk memory checks the whole range first and writes nothing */
    b8g_val fill[2] = {i32v(65530), i32v(7)};
    call_trap(t, "fill", fill, 2, B8G_TRAP_MEM_OOB);
    uint64_t size;
    uint8_t *mem = b8g_instance_memory(t, &size);
    if (mem) {
        assert_int_equal(size, 65536);
        assert_int_equal(mem[65530], 0);
    }
    fill[1] = i32v(6);
    assert_int_equal(b8g_call(t, "fill", fill, 2, NULL, 0, &e), B8G_OK);
    if (mem) assert_int_equal(mem[65535], 0xaa);
    v = i32v(4);
    e = call_trap(t, "tget", &v, 1, B8G_TRAP_TABLE_OOB);
    assert_string_equal(e.msg, "out of bounds table access");
    v = i32v(0);
    assert_int_equal(call_i32(t, "icall", v), 7);
    v = i32v(1);
    e = call_trap(t, "icall", &v, 1, B8G_TRAP_INDIRECT_MISMATCH);
    assert_string_equal(e.msg, "indirect call type mismatch");
    v = i32v(3);
    e = call_trap(t, "icall", &v, 1, B8G_TRAP_UNINIT_ELEMENT);
    assert_string_equal(e.msg, "uninitialized element");
    v = i32v(4);
    e = call_trap(t, "icall", &v, 1, B8G_TRAP_UNDEFINED_ELEMENT);
    assert_string_equal(e.msg, "undefined element");
    e = call_trap(t, "host", NULL, 0, B8G_TRAP_HOST);
    assert_string_equal(e.msg, "boom");
    b8g_store_free(s);
}

static void test_backtrace(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *t = LOAD(s, mod_traps);
    b8g_error e = call_trap(t, "outer", NULL, 0, B8G_TRAP_UNREACHABLE);
    assert_int_equal(e.nframes, 3);
    assert_string_equal(e.frames[0].func_name, "inner");
    assert_string_equal(e.frames[1].func_name, "middle");
    assert_int_equal(e.func, e.frames[0].func);
    assert_int_equal(e.frames[1].func, e.frames[0].func + 1);
    for (uint32_t i = 0; i < 3; i++) assert_int_not_equal(e.frames[i].code_offset, B8G_NO_OFFSET);
    /* each frame points at its call, in order through the module */
    assert_true(e.frames[0].code_offset < e.frames[1].code_offset);
    assert_true(e.frames[1].code_offset < e.frames[2].code_offset);
    /* a host failure is reported at the wasm call that made it */
    e = call_trap(t, "host", NULL, 0, B8G_TRAP_HOST);
    assert_int_equal(e.nframes, 1);
    assert_int_not_equal(e.frames[0].code_offset, B8G_NO_OFFSET);
    b8g_store_free(s);
}

static void test_stack_exhaustion(void **state)
{
    (void)state;
    b8g_config cfg = {.max_stack_bytes = 256 << 10};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *t = LOAD(s, mod_traps);
    b8g_val v = i32v(0);
    for (int round = 0; round < 3; round++) {
        b8g_error e = call_trap(t, "recurse", &v, 1, B8G_TRAP_STACK_EXHAUSTED);
        assert_string_equal(e.msg, "call stack exhausted");
        assert_int_equal(e.nframes, B8G_MAX_BACKTRACE);
        /* the thread is idle again and works */
        assert_int_equal(call_i32(t, "icall", i32v(0)), 7);
    }
    b8g_store_free(s);
    /* the default stack is deep, and still ends in a trap */
    s = b8g_store_new(NULL);
    t = LOAD(s, mod_traps);
    call_trap(t, "recurse", &v, 1, B8G_TRAP_STACK_EXHAUSTED);
    b8g_store_free(s);
}

/* ---- control flow ---------------------------------------------------------- */

static void test_multi_value(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *m = LOAD(s, mod_multi);
    b8g_val res[3];
    b8g_error e;
    b8g_val v = i32v(-5);
    assert_int_equal(b8g_call(m, "three", &v, 1, res, 3, &e), B8G_OK);
    assert_int_equal(res[0].of.i32, -5);
    assert_int_equal(res[1].of.i64, -5);
    assert_int_equal(res[2].of.f64, bits64(-5.0));
    assert_int_equal(b8g_call(m, "brmove", NULL, 0, res, 2, &e), B8G_OK);
    assert_int_equal(res[0].of.i32, 3);
    assert_int_equal(res[1].of.i32, 4);
    assert_int_equal(call_i32_2(m, "blockparams", i32v(10), i32v(3)), 7);
    assert_int_equal(call_i32(m, "loopmove", i32v(4)), 10);
    assert_int_equal(call_i32(m, "ifelse", i32v(0)), 2);
    assert_int_equal(call_i32(m, "ifelse", i32v(7)), 1);
    b8g_store_free(s);
}

static void test_br_table(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *m = LOAD(s, mod_multi);
    static const int32_t want[] = {21, 22, 23, 23, 23};
    static const int32_t idx[] = {0, 1, 2, 3, -1};
    for (size_t i = 0; i < 5; i++) assert_int_equal(call_i32(m, "brtable", i32v(idx[i])), want[i]);
    b8g_val res[2];
    b8g_error e;
    for (int32_t i = 0; i < 3; i++) {
        b8g_val v = i32v(i);
        assert_int_equal(b8g_call(m, "brtable_ret", &v, 1, res, 2, &e), B8G_OK);
        assert_int_equal(res[0].of.i32, i == 0 ? 8 : 6);
        assert_int_equal(res[1].of.i32, i == 0 ? 9 : 7);
    }
    b8g_store_free(s);
}

/*
 * Branches past what a 16-bit distance reaches, which the translator
 * handles by translating such a function again in far mode.  Each body
 * has FAR_PAD copies of "acc += 1" (local 1) where the branch must jump
 * over them, more code than 32K units in any build:
 *
 *   far_fwd (param $n i32) (result i32)   ;; n * FAR_PAD
 *     block loop
 *       (br_if 1 (i32.eqz (local.get $n)))  pad
 *       (local.set $n (i32.add (local.get $n) (i32.const -1)))  (br 0)
 *     end end (local.get $acc)
 *   far_if (param $c i32) (result i32)    ;; c ? FAR_PAD : 100
 *     (if (local.get $c) (then pad) (else acc += 100)) (local.get $acc)
 *   far_loop (param $n i32) (result i32)  ;; n * FAR_PAD, n >= 1
 *     loop pad (br_if 0 (local.tee $n (i32.add (local.get $n) (i32.const -1))))
 *     end (local.get $acc)
 */
#define FAR_PAD 10000u

static void put_pad(Bytes *b)
{
    for (uint32_t i = 0; i < FAR_PAD; i++)
        b_put(b, BYTES(0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01));
}

/* The module above; *loop_br is the module offset of far_loop's br_if. */
static uint8_t *far_module(size_t *len, size_t *loop_br)
{
    Mb mb = {0};
    Bytes body[3] = {{0}};
    uint32_t type = mb_type(&mb, "i", "i");
    b_put(&body[0], BYTES(0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01));
    put_pad(&body[0]);
    b_put(&body[0], BYTES(0x20, 0x00, 0x41, 0x7f, 0x6a, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b,
                          0x20, 0x01, 0x0b));
    b_put(&body[1], BYTES(0x20, 0x00, 0x04, 0x40));
    put_pad(&body[1]);
    b_put(&body[1], BYTES(0x05, 0x20, 0x01, 0x41, 0xe4, 0x00, 0x6a, 0x21, 0x01, 0x0b,
                          0x20, 0x01, 0x0b));
    b_put(&body[2], BYTES(0x03, 0x40));
    put_pad(&body[2]);
    b_put(&body[2], BYTES(0x20, 0x00, 0x41, 0x7f, 0x6a, 0x22, 0x00, 0x0d, 0x00, 0x0b,
                          0x20, 0x01, 0x0b));
    static const char *const names[] = {"far_fwd", "far_if", "far_loop"};
    for (uint32_t i = 0; i < 3; i++) {
        mb_func(&mb, type, "i", body[i].p, body[i].n);
        mb_export(&mb, names[i], 0, i);
        free(body[i].p);
    }
    uint8_t *bytes = mb_build(&mb, len);
    mb_free(&mb);
    /* "local.tee 0, br_if 0" occurs only there */
    static const uint8_t tee_br[] = {0x22, 0x00, 0x0d, 0x00};
    for (*loop_br = 0; memcmp(bytes + *loop_br, tee_br, sizeof tee_br); ++*loop_br)
        assert_true(*loop_br + sizeof tee_br < *len);
    *loop_br += 2;
    return bytes;
}

static void test_far_branches(void **state)
{
    (void)state;
    size_t len, loop_br;
    uint8_t *m = far_module(&len, &loop_br);
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *f = load(s, m, len);
    assert_int_equal(call_i32(f, "far_fwd", i32v(0)), 0);
    assert_int_equal(call_i32(f, "far_fwd", i32v(3)), 3 * FAR_PAD);
    assert_int_equal(call_i32(f, "far_if", i32v(1)), FAR_PAD);
    assert_int_equal(call_i32(f, "far_if", i32v(0)), 100);
    assert_int_equal(call_i32(f, "far_loop", i32v(4)), 4 * FAR_PAD);
    b8g_store_free(s);

    /* the far back-edge is a safe point, reported at the br_if */
    b8g_config cfg = {.fuel = 2};
    s = b8g_store_new(&cfg);
    f = load(s, m, len);
    b8g_val v = i32v(4), res;
    b8g_error e;
    assert_int_equal(b8g_call(f, "far_loop", &v, 1, &res, 1, &e), B8G_SUSPENDED);
    assert_int_equal(e.trap, B8G_TRAP_OUT_OF_FUEL);
    assert_int_equal(e.offset, loop_br);
    b8g_store_set_fuel(s, 0);
    assert_int_equal(b8g_resume(s, &res, 1, &e), B8G_OK);
    assert_int_equal(res.of.i32, 4 * FAR_PAD);
    b8g_store_free(s);
    free(m);
}

/* ---- fuel, interrupts, re-entry ------------------------------------------ */

static void test_fuel_suspend_resume(void **state)
{
    (void)state;
    const uint32_t n = 100000;
    b8g_config cfg = {.fuel = 1000};
    b8g_store *s = b8g_store_new(&cfg);
    b8g_instance *l = LOAD(s, mod_loops);
    b8g_val v = i32v((int32_t)n), res;
    b8g_error e;
    b8g_status st = b8g_call(l, "sum", &v, 1, &res, 1, &e);
    unsigned stops = 0;
    while (st == B8G_SUSPENDED) {
        assert_int_equal(e.code, B8G_SUSPENDED);
        assert_int_equal(e.trap, B8G_TRAP_OUT_OF_FUEL);
        assert_string_equal(e.msg, "out of fuel");
        assert_true(b8g_suspended(s));
        assert_int_equal(b8g_store_fuel(s), 0);
        /* a new call is refused while one is paused */
        assert_int_equal(b8g_call(l, "count", &v, 1, &res, 1, &e), B8G_ARG);
        stops++;
        b8g_store_set_fuel(s, 1000);
        st = b8g_resume(s, &res, 1, &e);
    }
    assert_int_equal(st, B8G_OK);
    assert_int_equal(res.of.i64, (int64_t)n * (n + 1) / 2);
    /* one unit per back-edge, n in all: the last of n / 1000 slices ends */
    assert_int_equal(stops, n / 1000 - 1);
    assert_false(b8g_suspended(s));

    /* abort drops a paused call; the store then runs new ones */
    b8g_store_set_fuel(s, 10);
    assert_int_equal(b8g_call(l, "sum", &v, 1, &res, 1, &e), B8G_SUSPENDED);
    b8g_abort(s);
    assert_false(b8g_suspended(s));
    b8g_store_set_fuel(s, 0);
    v = i32v(100);
    assert_int_equal(b8g_call(l, "sum", &v, 1, &res, 1, &e), B8G_OK);
    assert_int_equal(res.of.i64, 5050);
    assert_int_equal(b8g_store_fuel(s), UINT64_MAX);
    b8g_store_free(s);
}

static void test_interrupt(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *l = LOAD(s, mod_loops);
    b8g_val v = i32v(1000), res;
    b8g_error e;
    /* a stale interrupt does not stop a call that starts later */
    b8g_store_interrupt(s);
    assert_int_equal(b8g_call(l, "count", &v, 1, &res, 1, &e), B8G_OK);
    g_host_calls = 0;
    assert_int_equal(b8g_call(l, "poke_then_count", &v, 1, &res, 1, &e), B8G_SUSPENDED);
    assert_int_equal(e.trap, B8G_TRAP_INTERRUPTED);
    assert_string_equal(e.msg, "interrupted");
    assert_int_equal(g_host_calls, 1);
    /* resuming re-runs only the safe point: the host is not called again */
    assert_int_equal(b8g_resume(s, &res, 1, &e), B8G_OK);
    assert_int_equal(res.of.i32, 0);
    assert_int_equal(g_host_calls, 1);
    b8g_store_free(s);
}

static void test_reentry(void **state)
{
    (void)state;
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *l = g_loops = LOAD(s, mod_loops);
    b8g_val v = i32v(100), res;
    b8g_error e;
    assert_int_equal(b8g_call(l, "outer_sum", &v, 1, &res, 1, &e), B8G_OK);
    assert_int_equal(res.of.i64, 1000 + 5050);
    /* the inner call cannot pause: running out of fuel there is a trap */
    b8g_store_set_fuel(s, 50);
    assert_int_equal(b8g_call(l, "outer_sum", &v, 1, &res, 1, &e), B8G_TRAP);
    assert_int_equal(e.trap, B8G_TRAP_OUT_OF_FUEL);
    assert_false(b8g_suspended(s));
    assert_true(e.nframes >= 2); /* sum, then the guest function that called the host */
    b8g_store_set_fuel(s, 0);
    assert_int_equal(b8g_call(l, "outer_sum", &v, 1, &res, 1, &e), B8G_OK);
    assert_int_equal(res.of.i64, 6050);
    g_loops = NULL;
    b8g_store_free(s);
}

int main(void)
{
    /* the first call makes the engine stack, which installs the handler */
    b8g_store *s = b8g_store_new(NULL);
    b8g_instance *a = LOAD(s, mod_arith);
    assert_int_equal(call_i32(a, "clz", i32v(0)), 32);
    b8g_store_free(s);
    sigaction(SIGSEGV, NULL, &g_guard_segv);
    sigaction(SIGBUS, NULL, &g_guard_bus);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_edges),
        cmocka_unit_test(test_float_edges),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_every_trap),
        cmocka_unit_test(test_backtrace),
        cmocka_unit_test(test_stack_exhaustion),
        cmocka_unit_test(test_multi_value),
        cmocka_unit_test(test_br_table),
        cmocka_unit_test(test_far_branches),
        cmocka_unit_test(test_fuel_suspend_resume),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_reentry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
