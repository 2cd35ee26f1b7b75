;; calls.wat - the module of bench/micro.c's call benchmarks.  Each loop
;; export runs its body n times, so the host divides by n; "loop" is the
;; same loop with nothing in it, the overhead the others include.
(module
  (import "bench" "nop" (func $nop (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (func (export "inc") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)

  (func (export "loop") (param $n i32) (result i32)
    (local $acc i32)
    (loop $top
      local.get $acc
      local.get $n
      i32.add
      local.set $acc
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $top)
    local.get $acc)

  (func (export "call_host") (param $n i32) (result i32)
    (local $acc i32)
    (loop $top
      local.get $acc
      local.get $n
      call $nop
      i32.add
      local.set $acc
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $top)
    local.get $acc)

  ;; One byte from offset 16 to fd 1, through an iovec at 0; the count of
  ;; bytes written accumulates, so the host can check every write happened.
  (func (export "write_byte") (param $n i32) (result i32)
    (local $total i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 1))
    (i32.store8 (i32.const 16) (i32.const 0x2e))
    (loop $top
      (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
        (then (return (i32.const -1))))
      (local.set $total (i32.add (local.get $total) (i32.load (i32.const 8))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $top (local.get $n)))
    local.get $total)
)
