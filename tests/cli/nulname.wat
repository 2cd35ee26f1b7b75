;; An export whose name starts with another export's name and a NUL byte.
(module (memory (export "f\00x") 1) (func (export "f") (result i32) i32.const 7))
