;; simd_type.wat - a v128 parameter: the decoder refuses the type section.
(module
  (func (export "f") (param v128)))
