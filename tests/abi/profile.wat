;; profile.wat - known amounts of work for tests/unit/profile_test.c:
;; heavy runs 3n loop iterations, light n (one fuel unit each), main calls
;; both; rec recurses n deep, each level looping 10 times; "odd;name here"
;; has a label that folded stacks must sanitise.
(module
  (func $loop (param $n i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func $heavy (export "heavy") (param $n i32)
    (local.set $n (i32.mul (local.get $n) (i32.const 3)))
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func $light (export "light") (param $n i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func (export "main") (param $n i32)
    (call $heavy (local.get $n))
    (call $light (local.get $n)))
  (func $rec (export "rec") (param $n i32)
    (call $loop (i32.const 10))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then (call $rec (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "odd;name here") (param $n i32)
    (call $light (local.get $n))))
