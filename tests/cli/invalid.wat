;; invalid.wat - type mismatch; built with wat2wasm --no-check.
(module
  (func (export "f") (result i32) (i64.const 1)))
