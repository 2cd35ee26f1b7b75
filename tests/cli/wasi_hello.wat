;; wasi_hello.wat - writes a line to stdout and one to stderr, returns from
;; _start (exit status 0).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, wasi\n")
  (data (i32.const 32) "to stderr\n")
  ;; iovecs at 0 and 8: {16, 12}, {32, 10}
  (data (i32.const 0) "\10\00\00\00\0c\00\00\00\20\00\00\00\0a\00\00\00")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 64)))
    (drop (call $fd_write (i32.const 2) (i32.const 8) (i32.const 1) (i32.const 64)))))
