;; Guest of xlstore_test: code stored in images.  "answer" returns a
;; constant the test finds in the stored code and changes, to tell code
;; taken from the image from code translated again.
(module
  (memory (export "memory") 1)
  (func $answer (export "answer") (result i32)
    (i32.const 0x12345678))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else
        (i32.add
          (call $fib (i32.sub (local.get 0) (i32.const 1)))
          (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $sum (export "sum") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
  (func $unused (export "unused") (result i32)
    (i32.const 7)))
