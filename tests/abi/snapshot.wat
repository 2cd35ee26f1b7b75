;; The guest of tests/unit/snapshot_test.c: memory, mutable globals (one a
;; funcref), a table filled by an active segment, passive segments to drop,
;; recursion, loops and indirect calls - everything a snapshot must carry.
(module
  (type $un (func (param i64) (result i64)))
  (memory (export "memory") 2 10)
  (global $g (export "g") (mut i64) (i64.const 7))
  (global $gref (mut funcref) (ref.func $sq))
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $sq $tw)
  (elem $passive func $sq)
  (data $pd "hello")
  (data (i32.const 65536) "second page")

  (func $sq (type $un) (i64.mul (local.get 0) (local.get 0)))
  (func $tw (type $un) (i64.add (local.get 0) (local.get 0)))

  ;; rec(n) = sum over i < n of table[i & 1](i), plus rec(n - 1); each level
  ;; bumps $g and stores its running sums into memory
  (func $rec (export "rec") (param $n i32) (result i64)
    (local $acc i64) (local $i i32)
    (if (i32.eqz (local.get $n)) (then (return (global.get $g))))
    (loop $l
      (local.set $acc
        (i64.add (local.get $acc)
          (call_indirect (type $un)
            (i64.extend_i32_u (local.get $i))
            (i32.and (local.get $i) (i32.const 1)))))
      (i64.store (i32.shl (i32.add (local.get $i) (i32.mul (local.get $n) (i32.const 64))) (i32.const 3))
                 (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (i64.add (local.get $acc) (call $rec (i32.sub (local.get $n) (i32.const 1)))))

  ;; a sum over the first 64 KiB + 16 bytes, to compare memories
  (func (export "checksum") (result i64)
    (local $a i32) (local $s i64)
    (loop $l
      (local.set $s (i64.add (i64.rotl (local.get $s) (i64.const 5)) (i64.load (local.get $a))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 65552))))
    (local.get $s))

  (func (export "drop") (data.drop $pd) (elem.drop $passive))
  (func (export "init_dropped") (memory.init $pd (i32.const 0) (i32.const 0) (i32.const 5)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "gref_is_sq") (result i32)
    (i64.eq (call_indirect (type $un) (i64.const 3) (i32.const 0)) (i64.const 9)))

  ;; holds a funcref local: may not be the innermost captured frame
  (func (export "spin_ref") (param $n i32) (result i32) (local $r funcref)
    (local.set $r (global.get $gref))
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $n))
)
