;; small.wat - a small module of the kind a sandbox starts by the thousand:
;; one page of memory with a data segment, a mutable global, a table of
;; two functions, and exports.  bench/micro.c times instantiating it.
(module
  (memory (export "memory") 1 16)
  (data (i32.const 1024) "the quick brown fox jumps over the lazy dog")
  (global $counter (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $add $count)
  (type $binop (func (param i32 i32) (result i32)))
  (func $add (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func $count (param i32 i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "apply") (param $f i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $f)))
  (func (export "checksum") (result i32)
    (local $i i32) (local $sum i32)
    (loop $top
      (local.set $sum (i32.add (local.get $sum)
                               (i32.load8_u offset=1024 (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (i32.const 43))))
    local.get $sum)
)
