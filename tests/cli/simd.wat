;; simd.wat - uses a v128 value (SIMD is not supported by this engine).
(module
  (func (export "f") (param v128) (result i32) (i32.const 0)))
