;; sign_extension.wat - i32.extend8_s.
(module
  (func (export "f") (param i32) (result i32) (i32.extend8_s (local.get 0))))
