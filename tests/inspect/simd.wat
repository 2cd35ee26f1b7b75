;; simd.wat - a v128 value inside a body only: the module decodes, its
;; contents print, and the engine refuses the instruction (status 5).
(module
  (func (export "f") (result i32) (drop (v128.const i32x4 1 2 3 4)) (i32.const 0)))
