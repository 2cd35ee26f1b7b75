;; files.wat - a component that holds WASI files and directories as
;; handles: each export wraps one call of the "b8g" or the
;; "wasi_snapshot_preview1" module, so tests/unit/abi_test.c drives both
;; from C while every call still comes from wasm.  WASI wrappers answer
;; a descriptor or a count, or -errno.
(module
  (import "b8g" "handle_close" (func $handle_close (param i32) (result i32)))
  (import "b8g" "handle_dup" (func $handle_dup (param i32 i32) (result i32)))
  (import "b8g" "handle_replace" (func $handle_replace (param i32 i32) (result i32)))
  (import "b8g" "handle_rights" (func $handle_rights (param i32) (result i32)))
  (import "b8g" "handle_kind" (func $handle_kind (param i32) (result i32)))
  (import "b8g" "fd_handle" (func $fd_handle (param i32) (result i32)))
  (import "b8g" "handle_fd" (func $handle_fd (param i32) (result i32)))
  (import "b8g" "wait" (func $wait (param i32 i32 i64) (result i32)))
  (import "b8g" "stream_read" (func $stream_read (param i32 i32 i32 i32) (result i32)))
  (import "b8g" "event_create" (func $event_create (result i32)))
  (import "b8g" "channel_write"
    (func $channel_write (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "b8g" "channel_read"
    (func $channel_read (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "b8g" "task_spawn"
    (func $task_spawn (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "b8g" "task_result" (func $task_result (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get"
    (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights"
    (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))

  ;; 0: an iovec; 8: a result; 16: an fdstat (24 bytes); 64: "f.txt";
  ;; 256..: what task_cat reads.  Tests use 1024 and up.
  (memory (export "memory") 1)
  (data (i32.const 64) "f.txt")

  (func (export "close") (param i32) (result i32) (call $handle_close (local.get 0)))
  (func (export "dup") (param i32 i32) (result i32)
    (call $handle_dup (local.get 0) (local.get 1)))
  (func (export "replace") (param i32 i32) (result i32)
    (call $handle_replace (local.get 0) (local.get 1)))
  (func (export "rights") (param i32) (result i32) (call $handle_rights (local.get 0)))
  (func (export "kind") (param i32) (result i32) (call $handle_kind (local.get 0)))
  (func (export "fd_handle") (param i32) (result i32) (call $fd_handle (local.get 0)))
  (func (export "handle_fd") (param i32) (result i32) (call $handle_fd (local.get 0)))
  (func (export "wait") (param i32 i32 i64) (result i32)
    (call $wait (local.get 0) (local.get 1) (local.get 2)))
  (func (export "stream_read") (param i32 i32 i32 i32) (result i32)
    (call $stream_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "event_create") (result i32) (call $event_create))
  (func (export "channel_write") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $channel_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                         (local.get 4) (local.get 5)))
  (func (export "channel_read") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $channel_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                        (local.get 4) (local.get 5) (local.get 6)))
  (func (export "task_spawn") (param i32 i32 i32 i32 i32 i64) (result i32)
    (call $task_spawn (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                      (local.get 4) (local.get 5)))
  (func (export "task_result") (param i32 i32) (result i32)
    (call $task_result (local.get 0) (local.get 1)))

  ;; A WASI errno as a negative result, or the u32 at 8.
  (func $result (param $errno i32) (result i32)
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 8)))))

  ;; open(dirfd, lookupflags, path, len, oflags, base, inheriting) -> fd
  (func $open (export "open") (param i32 i32 i32 i32 i32 i64 i64) (result i32)
    (call $result
      (call $path_open (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                       (local.get 4) (local.get 5) (local.get 6) (i32.const 0)
                       (i32.const 8))))

  ;; read(fd, ptr, len) / write(fd, ptr, len) -> bytes moved
  (func $read (export "read") (param i32 i32 i32) (result i32)
    (i32.store (i32.const 0) (local.get 1))
    (i32.store (i32.const 4) (local.get 2))
    (call $result (call $fd_read (local.get 0) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "write") (param i32 i32 i32) (result i32)
    (i32.store (i32.const 0) (local.get 1))
    (i32.store (i32.const 4) (local.get 2))
    (call $result (call $fd_write (local.get 0) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; fd_close(fd) -> errno
  (func (export "fd_close") (param i32) (result i32) (call $fd_close (local.get 0)))
  ;; set_rights(fd, base, inheriting) -> errno
  (func (export "set_rights") (param i32 i64 i64) (result i32)
    (call $fd_fdstat_set_rights (local.get 0) (local.get 1) (local.get 2)))
  ;; fd_rights(fd) / fd_inheriting(fd) -> the WASI rights, or -errno
  (func $fdstat (param i32) (param $at i32) (result i64)
    (local $e i32)
    (local.set $e (call $fd_fdstat_get (local.get 0) (i32.const 16)))
    (if (result i64) (local.get $e)
      (then (i64.sub (i64.const 0) (i64.extend_i32_u (local.get $e))))
      (else (i64.load (local.get $at)))))
  (func (export "fd_rights") (param i32) (result i64)
    (call $fdstat (local.get 0) (i32.const 24)))
  (func (export "fd_inheriting") (param i32) (result i64)
    (call $fdstat (local.get 0) (i32.const 32)))

  ;; A task's entry: reads "f.txt" beneath the directory handle it is
  ;; given, through WASI; returns the bytes read or a negative error.
  (func (export "task_cat") (param $dir i32) (result i32)
    (local $fd i32)
    (local.set $fd (call $handle_fd (local.get $dir)))
    (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (return (local.get $fd))))
    (local.set $fd
      (call $open (local.get $fd) (i32.const 0) (i32.const 64) (i32.const 5) (i32.const 0)
                  (i64.const 2) (i64.const 0)))  ;; FD_READ
    (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (return (local.get $fd))))
    (call $read (local.get $fd) (i32.const 256) (i32.const 100)))
)
