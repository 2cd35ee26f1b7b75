;; main.wat - a component with the canonical entry b8g_main(shared,
;; private, callback), driven by tests/unit/hosttask_test.c.  It maps the
;; shared region at 64 KiB of its memory and reads a command there:
;;   shared[0] = 0: sum 1..shared[4] into shared[8] (through the window),
;;                  the sum into the private region, and a 16-byte report
;;                  {sum u32, 0 u32, private size u64} on the callback;
;;                  returns 7
;;   shared[0] = 1: spins forever (for cancelling)
;;   shared[0] = 2: echoes every callback message back until the host's end
;;                  closes; returns the error of that read (-ECLOSED)
;; An error of the ABI ends it at once with that (negative) error.
(module
  (import "b8g" "region_map" (func $region_map (param i32 i32 i32) (result i32)))
  (import "b8g" "region_write" (func $region_write (param i32 i64 i32 i32) (result i32)))
  (import "b8g" "region_size" (func $region_size (param i32) (result i64)))
  (import "b8g" "channel_write"
    (func $channel_write (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "b8g" "channel_read"
    (func $channel_read (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory 2)

  (func $sum (param $private i32) (param $cb i32) (result i32)
    (local $n i32) (local $i i32) (local $sum i32) (local $rc i32)
    (local.set $n (i32.load (i32.const 65540)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $sum (i32.add (local.get $sum) (local.get $i)))
        (br $next)))
    (i32.store (i32.const 65544) (local.get $sum))
    (i32.store (i32.const 0) (local.get $sum))
    (i32.store (i32.const 4) (i32.const 0))
    (local.set $rc (call $region_write (local.get $private) (i64.const 0) (i32.const 0) (i32.const 4)))
    (if (local.get $rc) (then (return (local.get $rc))))
    (i64.store (i32.const 8) (call $region_size (local.get $private)))
    (local.set $rc (call $channel_write (local.get $cb) (i32.const 0) (i32.const 16)
                                        (i32.const 0) (i32.const 0) (i32.const 0)))
    (if (local.get $rc) (then (return (local.get $rc))))
    (i32.const 7))

  (func $echo (param $cb i32) (result i32)
    (local $rc i32)
    (loop $next
      ;; message bytes at 256 (up to 1 KiB), actual sizes at 32
      (local.set $rc (call $channel_read (local.get $cb) (i32.const 256) (i32.const 1024)
                                         (i32.const 0) (i32.const 0) (i32.const 32) (i32.const 0)))
      (if (local.get $rc) (then (return (local.get $rc))))
      (local.set $rc (call $channel_write (local.get $cb) (i32.const 256) (i32.load (i32.const 32))
                                          (i32.const 0) (i32.const 0) (i32.const 0)))
      (if (local.get $rc) (then (return (local.get $rc))))
      (br $next))
    (unreachable))

  (func (export "b8g_main") (param $shared i32) (param $private i32) (param $cb i32) (result i32)
    (local $rc i32) (local $cmd i32)
    (local.set $rc (call $region_map (local.get $shared) (i32.const 65536) (i32.const 65536)))
    (if (local.get $rc) (then (return (local.get $rc))))
    (local.set $cmd (i32.load (i32.const 65536)))
    (if (i32.eq (local.get $cmd) (i32.const 0))
      (then (return (call $sum (local.get $private) (local.get $cb)))))
    (if (i32.eq (local.get $cmd) (i32.const 1))
      (then (loop $spin (br $spin))))
    (if (i32.eq (local.get $cmd) (i32.const 2))
      (then (return (call $echo (local.get $cb)))))
    (i32.const -4))

  ;; An entry with the wrong shape for b8g_main_start's tests of failure.
  (func (export "two") (param i32 i32) (result i32) (i32.const 0)))
