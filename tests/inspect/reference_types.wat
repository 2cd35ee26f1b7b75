;; reference_types.wat - table.get and a funcref result.
(module
  (table 1 funcref)
  (func (export "first") (result funcref) (table.get 0 (i32.const 0))))
