;; values.wat - identity functions and signatures for argument parsing and
;; result printing.
(module
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "f32bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f64bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (func (export "takes_ref") (param funcref) (result i32) (i32.const 0))
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 1))
  ;; A name that would drive a terminal if printed raw.
  (func (export "\1b[2Jboom") (unreachable)))
