;; multi_value_block.wat - no function returns two values, but a block
;; takes a parameter, so its type is given by an index.
(module
  (func (export "inc") (param i32) (result i32)
    (local.get 0)
    (block (param i32) (result i32)
      (i32.add (i32.const 1)))))
