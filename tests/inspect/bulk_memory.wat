;; bulk_memory.wat - memory.fill, and nothing else past the MVP.
(module
  (memory 1)
  (func (export "clear") (memory.fill (i32.const 0) (i32.const 0) (i32.const 16))))
