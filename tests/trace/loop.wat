;; loop.wat - writes "line 0\n" .. "line 4\n", spinning between writes so
;; that a --fuel stop lands between two of them (tests/cli/trace.sh
;; suspends it there and resumes it, traced on both sides).  "init" does
;; nothing: it is there for `b8g snapshot --init`, to make an image.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "line 0\n")
  (func (export "init"))
  (func (export "_start") (local $i i32) (local $j i32)
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 7))
    (loop $lines
      (i32.store8 (i32.const 105) (i32.add (i32.const 48) (local.get $i)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $j (i32.const 0))
      (loop $spin
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $spin (i32.lt_u (local.get $j) (i32.const 1000))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $lines (i32.lt_u (local.get $i) (i32.const 5))))))
