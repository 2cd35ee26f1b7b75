;; bench/snapshot.c's guest: 64 MiB of memory, of which `init` fills the
;; first 16 MiB with non-zero words - the pre-initialised state a snapshot
;; captures and a restore brings back.
(module
  (memory (export "memory") 1024 1024)
  (func (export "init")
    (local $a i32)
    (loop $l
      (i64.store (local.get $a)
        (i64.or (i64.extend_i32_u (local.get $a)) (i64.const 0x0101010100000000)))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 16777216)))))
  (func (export "sum") (result i64)
    (local $a i32) (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s) (i64.load (local.get $a))))
      (local.set $a (i32.add (local.get $a) (i32.const 4096)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 67108864))))
    (local.get $s))
)
