;; values.wat - wasm-level values for the debugger's tests
;; (tests/cli/debug.sh): typed params and locals, globals, memory, and a
;; store the tests watch.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (global $count (mut i32) (i32.const 42))
  (global $scale f64 (f64.const 2.5))
  (func $mix (param $a i32) (param $b i64) (param $c f64) (result i32)
    (local $t i32)
    (local.set $t (i32.add (local.get $a) (i32.wrap_i64 (local.get $b))))
    (i32.store (i32.const 32) (local.get $t))
    (i32.store (i32.const 32) (i32.add (i32.load (i32.const 32)) (i32.const 100)))
    (global.set $count (local.get $t))
    (i32.add (local.get $t) (i32.trunc_f64_s (local.get $c))))
  (func (export "run") (result i32)
    (call $mix (i32.const 7) (i64.const -3) (f64.const 1.5))))
