;; multi_value.wat - a function type with two results.
(module
  (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))
