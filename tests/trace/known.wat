;; known.wat - a WASI program whose host calls tests/cli/trace.sh knows
;; exactly: argument sizes, "hello\n" to stdout, in.txt opened beneath the
;; preopen (fd 3) and read, closed, a path that is not there, exit 3.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello\n")
  (data (i32.const 200) "in.txt")
  (data (i32.const 220) "missing.txt")
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 300) (i32.const 304)))
    ;; iovec at 0: {100, 6}
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 308)))
    ;; in.txt for reading (rights: fd_read)
    (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 200) (i32.const 6)
                (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 312)))
    ;; iovec at 16: {1024, 64}
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (i32.const 64))
    (drop (call $fd_read (i32.load (i32.const 312)) (i32.const 16) (i32.const 1)
                (i32.const 316)))
    (drop (call $fd_close (i32.load (i32.const 312))))
    (drop (call $path_open (i32.const 3) (i32.const 1) (i32.const 220) (i32.const 11)
                (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 312)))
    (call $proc_exit (i32.const 3))))
