;; mutable_global.wat - an exported mutable global.
(module
  (global (export "counter") (mut i32) (i32.const 0)))
