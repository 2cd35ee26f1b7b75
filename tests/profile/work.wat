;; work.wat - two functions doing known amounts of work for
;; tests/cli/profile.sh: heavy runs 3n loop iterations, light n; main
;; calls both, then traps if n is odd (the profile must still be written).
(module
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
    (call $light (local.get $n))
    (if (i32.and (local.get $n) (i32.const 1)) (then unreachable))))
