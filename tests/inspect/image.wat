;; image.wat - a module to snapshot, for inspecting an image.
(module
  (memory (export "memory") 1)
  (func (export "init") (i32.store (i32.const 0) (i32.const 42)))
  (func (export "_start")))
