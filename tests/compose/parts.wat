;; parts.wat - small components for tests/cli/compose.sh; each export is an
;; entry point a test application names.
(module
  (import "b8g" "stream_write" (func $stream_write (param i32 i32 i32 i32) (result i32)))
  (import "b8g" "stream_read" (func $stream_read (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  ;; Returns its argument: the exit status follows what components return.
  (func (export "ret") (param i32) (result i32) (local.get 0))
  (func (export "none"))
  (func (export "trap") (param i32) (result i32) unreachable)
  (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
  ;; Writes one byte to the handle it gets and returns what the write said,
  ;; so a test sees a right being refused (-3).
  (func (export "write1") (param i32) (result i32)
    (call $stream_write (local.get 0) (i32.const 0) (i32.const 1) (i32.const 1)))
  ;; Reads to end-of-stream; returns the byte count.
  (func (export "drain") (param i32) (result i32)
    (local $n i32) (local $r i32)
    (block $done
      (loop $l
        (local.set $r (call $stream_read (local.get 0) (i32.const 0) (i32.const 4096) (i32.const 0)))
        (br_if $done (i32.le_s (local.get $r) (i32.const 0)))
        (local.set $n (i32.add (local.get $n) (local.get $r)))
        (br $l)))
    (local.get $n))
  (func (export "two") (param i32 i32) (result i32) (i32.const 0))
)
