;; wasi_probe.wat - one WASI call per export, for `b8g run --invoke`: each
;; returns the call's WASI errno (or the value asked for), so the CLI tests
;; check preopens, rights, descriptors and blocking without a C toolchain.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get"
    (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights"
    (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber"
    (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir"
    (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send"
    (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: scratch results; 32: fdstat; 64: iovec; 96: "hi\n"; 128: one
  ;; subscription; 256: its event; 1024: buffers
  (data (i32.const 96) "hi\n")

  (func (export "prestat") (param $fd i32) (result i32)
    (call $fd_prestat_get (local.get $fd) (i32.const 0)))

  ;; Prints the preopen's name on a line of its own.
  (func (export "prestat_name") (param $fd i32) (result i32) (local $e i32) (local $n i32)
    (local.set $e (call $fd_prestat_get (local.get $fd) (i32.const 0)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $n (i32.load (i32.const 4)))
    (local.set $e (call $fd_prestat_dir_name (local.get $fd) (i32.const 1024) (local.get $n)))
    (if (local.get $e) (then (return (local.get $e))))
    (i32.store8 (i32.add (i32.const 1024) (local.get $n)) (i32.const 10))
    (i32.store (i32.const 64) (i32.const 1024))
    (i32.store (i32.const 68) (i32.add (local.get $n) (i32.const 1)))
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 0)))

  (func (export "prestat_name_short") (param $fd i32) (result i32)
    (call $fd_prestat_dir_name (local.get $fd) (i32.const 1024) (i32.const 1)))

  (func $fdstat (param $fd i32) (result i32)
    (call $fd_fdstat_get (local.get $fd) (i32.const 32)))
  (func (export "filetype") (param $fd i32) (result i32)
    (if (result i32) (call $fdstat (local.get $fd))
      (then (i32.const -1)) (else (i32.load8_u (i32.const 32)))))
  (func (export "rights") (param $fd i32) (result i64)
    (if (result i64) (call $fdstat (local.get $fd))
      (then (i64.const -1)) (else (i64.load (i32.const 40)))))
  (func (export "inheriting") (param $fd i32) (result i64)
    (if (result i64) (call $fdstat (local.get $fd))
      (then (i64.const -1)) (else (i64.load (i32.const 48)))))

  (func (export "set_rights") (param $fd i32) (param $base i64) (param $inh i64) (result i32)
    (call $fd_fdstat_set_rights (local.get $fd) (local.get $base) (local.get $inh)))

  ;; Drops every right of fd 1, then tries to write to it.
  (func (export "write_without_right") (result i32)
    (drop (call $fd_fdstat_set_rights (i32.const 1) (i64.const 0) (i64.const 0)))
    (call $write (i32.const 1)))

  (func (export "close") (param $fd i32) (result i32) (call $fd_close (local.get $fd)))
  (func (export "close_twice") (param $fd i32) (result i32)
    (drop (call $fd_close (local.get $fd)))
    (call $fd_close (local.get $fd)))
  (func (export "renumber") (param $from i32) (param $to i32) (result i32)
    (call $fd_renumber (local.get $from) (local.get $to)))
  ;; Renumbers from onto 1, then writes "hi" to fd 1.
  (func (export "renumber_write") (param $from i32) (result i32) (local $e i32)
    (local.set $e (call $fd_renumber (local.get $from) (i32.const 1)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $write (i32.const 1)))

  (func $write (export "write") (param $fd i32) (result i32)
    (i32.store (i32.const 64) (i32.const 96))
    (i32.store (i32.const 68) (i32.const 3))
    (call $fd_write (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 0)))
  ;; An iovec whose buffer runs past the end of memory.
  (func (export "write_outside") (result i32)
    (i32.store (i32.const 64) (i32.const 65534))
    (i32.store (i32.const 68) (i32.const 3))
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 0)))
  (func (export "write_many_iovecs") (result i32)
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 5000) (i32.const 0)))
  ;; Writes "hi\n" n times with one call each.
  (func $write_loop (export "write_loop") (param $n i32) (result i32) (local $e i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $e (call $write (i32.const 1)))
        (br_if $done (local.get $e))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $e))

  ;; The same two, ending the guest with the errno as its exit status.
  (func (export "write_exit") (param $fd i32)
    (call $proc_exit (call $write (local.get $fd))))
  (func (export "write_loop_exit") (param $n i32)
    (call $proc_exit (call $write_loop (local.get $n))))

  (func (export "read") (param $fd i32) (result i32)
    (i32.store (i32.const 64) (i32.const 1024))
    (i32.store (i32.const 68) (i32.const 64))
    (call $fd_read (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 0)))

  (func (export "readdir") (param $fd i32) (result i32)
    (call $fd_readdir (local.get $fd) (i32.const 1024) (i32.const 4096) (i64.const 0)
      (i32.const 0)))

  ;; Sleeps $ns nanoseconds on the monotonic clock.
  (func (export "sleep") (param $ns i64) (result i32)
    (i64.store (i32.const 128) (i64.const 7))
    (i32.store8 (i32.const 136) (i32.const 0))
    (i32.store (i32.const 144) (i32.const 1))
    (i64.store (i32.const 152) (local.get $ns))
    (i64.store (i32.const 160) (i64.const 0))
    (i32.store16 (i32.const 168) (i32.const 0))
    (call $poll_oneoff (i32.const 128) (i32.const 256) (i32.const 1) (i32.const 0)))
  (func (export "poll_nothing") (result i32)
    (call $poll_oneoff (i32.const 128) (i32.const 256) (i32.const 0) (i32.const 0)))

  (func (export "clock") (param $id i32) (result i32)
    (call $clock_time_get (local.get $id) (i64.const 0) (i32.const 0)))
  (func (export "random") (param $len i32) (result i32)
    (call $random_get (i32.const 1024) (local.get $len)))
  (func (export "sock_send") (param $fd i32) (result i32)
    (call $sock_send (local.get $fd) (i32.const 64) (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "raise") (param $sig i32) (result i32) (call $proc_raise (local.get $sig)))
  (func (export "exit") (param $code i32) (call $proc_exit (local.get $code))))
