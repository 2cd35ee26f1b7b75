;; hostile.wat - host calls whose arguments try to break a trace record:
;; paths with quotes, newlines, control bytes, a backslash, bytes that are
;; not UTF-8 and characters JSON or terminals treat specially; a path
;; longer than a record shows; pointers and lengths outside memory; an
;; iovec count of 2^31; descriptors that do not exist.  Every call fails
;; or writes to stdout; the program then writes "survived\n" and returns.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; 22 bytes: a " b \n c \01 \1b [ 3 1 m \ff \fe \ d é(2) U+0085(2) U+2028(3)
  (data (i32.const 100) "a\"b\nc\01\1b[31m\ff\fe\\d\c3\a9\c2\85\e2\80\a8")
  (data (i32.const 200) "survived\n")
  (func $open (param $ptr i32) (param $len i32)
    (drop (call $path_open (i32.const 3) (i32.const 0) (local.get $ptr) (local.get $len)
                (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 512))))
  (func $write (param $fd i32) (param $iovs i32) (param $n i32)
    (drop (call $fd_write (local.get $fd) (local.get $iovs) (local.get $n) (i32.const 516))))
  (func (export "_start")
    ;; 1. the nasty path
    (call $open (i32.const 100) (i32.const 22))
    ;; 2. 300 bytes of 'x': shown cut at 256
    (memory.fill (i32.const 1024) (i32.const 120) (i32.const 300))
    (call $open (i32.const 1024) (i32.const 300))
    ;; 3. a path beyond the end of memory
    (call $open (i32.const 0xfffffff0) (i32.const 100))
    ;; 4. a length of 4 GiB - 1 from address 0
    (call $open (i32.const 0) (i32.const -1))
    ;; 5. the nasty bytes written to stdout
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 22))
    (call $write (i32.const 1) (i32.const 0) (i32.const 1))
    ;; 6. an iovec count of 2^31
    (call $write (i32.const 1) (i32.const 0) (i32.const 0x80000000))
    ;; 7. an iovec array beyond memory
    (call $write (i32.const 1) (i32.const 0xfffffff8) (i32.const 2))
    ;; 8. an iovec whose buffer lies beyond memory
    (i32.store (i32.const 8) (i32.const 0xfffffff0))
    (i32.store (i32.const 12) (i32.const 100))
    (call $write (i32.const 1) (i32.const 8) (i32.const 1))
    ;; 9. out-pointers beyond memory
    (drop (call $args_sizes_get (i32.const 0xfffffffc) (i32.const 65536)))
    ;; 10. descriptors that do not exist
    (drop (call $fd_close (i32.const 0x7fffffff)))
    (call $write (i32.const 0xffffffff) (i32.const 0) (i32.const 1))
    ;; the host is intact: a last write works
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.const 9))
    (call $write (i32.const 1) (i32.const 0) (i32.const 1))))
