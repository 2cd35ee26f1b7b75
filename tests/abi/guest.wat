;; guest.wat - a component that exposes each call of the "b8g" import
;; module as an export, so tests/unit/abi_test.c can drive the ABI from C
;; while every call still comes from wasm (the ABI acts for its caller).
(module
  (import "b8g" "handle_close" (func $handle_close (param i32) (result i32)))
  (import "b8g" "handle_dup" (func $handle_dup (param i32 i32) (result i32)))
  (import "b8g" "handle_replace" (func $handle_replace (param i32 i32) (result i32)))
  (import "b8g" "handle_rights" (func $handle_rights (param i32) (result i32)))
  (import "b8g" "handle_kind" (func $handle_kind (param i32) (result i32)))
  (import "b8g" "event_create" (func $event_create (result i32)))
  (import "b8g" "event_signal" (func $event_signal (param i32) (result i32)))
  (import "b8g" "event_clear" (func $event_clear (param i32) (result i32)))
  (import "b8g" "wait" (func $wait (param i32 i32 i64) (result i32)))
  (import "b8g" "wait_many" (func $wait_many (param i32 i32 i64) (result i32)))
  (import "b8g" "region_create" (func $region_create (param i64) (result i32)))
  (import "b8g" "region_size" (func $region_size (param i32) (result i64)))
  (import "b8g" "region_read" (func $region_read (param i32 i64 i32 i32) (result i32)))
  (import "b8g" "region_write" (func $region_write (param i32 i64 i32 i32) (result i32)))
  (import "b8g" "region_map" (func $region_map (param i32 i32 i32) (result i32)))
  (import "b8g" "region_unmap" (func $region_unmap (param i32 i32) (result i32)))
  (import "b8g" "stream_create" (func $stream_create (param i32 i32) (result i32)))
  (import "b8g" "stream_read" (func $stream_read (param i32 i32 i32 i32) (result i32)))
  (import "b8g" "stream_write" (func $stream_write (param i32 i32 i32 i32) (result i32)))
  (import "b8g" "channel_create" (func $channel_create (param i32) (result i32)))
  (import "b8g" "channel_write"
    (func $channel_write (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "b8g" "channel_read"
    (func $channel_read (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "b8g" "link_key" (func $link_key (param i32) (result i32)))
  (import "b8g" "link_listen" (func $link_listen (result i32)))
  (import "b8g" "link" (func $link (param i32) (result i32)))
  (import "b8g" "task_spawn"
    (func $task_spawn (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "b8g" "task_result" (func $task_result (param i32 i32) (result i32)))
  (import "b8g" "task_cancel" (func $task_cancel (param i32) (result i32)))
  (import "b8g" "timer_create" (func $timer_create (result i32)))
  (import "b8g" "timer_set" (func $timer_set (param i32 i64 i64) (result i32)))
  (import "b8g" "timer_cancel" (func $timer_cancel (param i32) (result i32)))
  (import "b8g" "timer_ack" (func $timer_ack (param i32) (result i32)))

  (memory (export "memory") 4)

  (func (export "close") (param i32) (result i32) (call $handle_close (local.get 0)))
  (func (export "dup") (param i32 i32) (result i32)
    (call $handle_dup (local.get 0) (local.get 1)))
  (func (export "replace") (param i32 i32) (result i32)
    (call $handle_replace (local.get 0) (local.get 1)))
  (func (export "rights") (param i32) (result i32) (call $handle_rights (local.get 0)))
  (func (export "kind") (param i32) (result i32) (call $handle_kind (local.get 0)))
  (func (export "event_create") (result i32) (call $event_create))
  (func (export "event_signal") (param i32) (result i32) (call $event_signal (local.get 0)))
  (func (export "event_clear") (param i32) (result i32) (call $event_clear (local.get 0)))
  (func (export "wait") (param i32 i32 i64) (result i32)
    (call $wait (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait_many") (param i32 i32 i64) (result i32)
    (call $wait_many (local.get 0) (local.get 1) (local.get 2)))
  (func (export "region_create") (param i64) (result i32) (call $region_create (local.get 0)))
  (func (export "region_size") (param i32) (result i64) (call $region_size (local.get 0)))
  (func (export "region_read") (param i32 i64 i32 i32) (result i32)
    (call $region_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "region_write") (param i32 i64 i32 i32) (result i32)
    (call $region_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "region_map") (param i32 i32 i32) (result i32)
    (call $region_map (local.get 0) (local.get 1) (local.get 2)))
  (func (export "region_unmap") (param i32 i32) (result i32)
    (call $region_unmap (local.get 0) (local.get 1)))
  (func (export "stream_create") (param i32 i32) (result i32)
    (call $stream_create (local.get 0) (local.get 1)))
  (func (export "stream_read") (param i32 i32 i32 i32) (result i32)
    (call $stream_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "stream_write") (param i32 i32 i32 i32) (result i32)
    (call $stream_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "channel_create") (param i32) (result i32)
    (call $channel_create (local.get 0)))
  (func (export "channel_write") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $channel_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                         (local.get 4) (local.get 5)))
  (func (export "channel_read") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $channel_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                        (local.get 4) (local.get 5) (local.get 6)))
  (func (export "link_key") (param i32) (result i32) (call $link_key (local.get 0)))
  (func (export "link_listen") (result i32) (call $link_listen))
  (func (export "link") (param i32) (result i32) (call $link (local.get 0)))

  (func (export "task_spawn") (param i32 i32 i32 i32 i32 i64) (result i32)
    (call $task_spawn (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                      (local.get 4) (local.get 5)))
  (func (export "task_result") (param i32 i32) (result i32)
    (call $task_result (local.get 0) (local.get 1)))
  (func (export "task_cancel") (param i32) (result i32) (call $task_cancel (local.get 0)))
  (func (export "timer_create") (result i32) (call $timer_create))
  (func (export "timer_set") (param i32 i64 i64) (result i32)
    (call $timer_set (local.get 0) (local.get 1) (local.get 2)))
  (func (export "timer_cancel") (param i32) (result i32) (call $timer_cancel (local.get 0)))
  (func (export "timer_ack") (param i32) (result i32) (call $timer_ack (local.get 0)))

  ;; Entry points of tasks started from this same module.
  ;; task_echo: signals the event it was given and returns 7.
  (func (export "task_echo") (param i32) (result i32)
    (drop (call $event_signal (local.get 0)))
    (i32.const 7))
  ;; task_spin: runs until stopped.
  (func (export "task_spin") (loop $l (br $l)))
  ;; task_block: waits for data on a stream nobody writes.
  (func (export "task_block") (param i32) (result i32)
    (call $stream_read (local.get 0) (i32.const 0) (i32.const 16) (i32.const 0)))
  ;; task_fuel: burns fuel in a loop of a million iterations, returns the count.
  (func (export "task_fuel") (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (local.get $i))

  ;; ticks: counts n ticks of a 1 ms periodic timer of its own, waiting
  ;; with wait_many for them or for h to be READABLE (items at 60000);
  ;; returns the ticks acked, -100 if h was readable first, or an error.
  (func (export "ticks") (param $h i32) (param $n i32) (result i32)
    (local $t i32) (local $r i32) (local $count i32)
    (local.set $t (call $timer_create))
    (if (i32.lt_s (local.get $t) (i32.const 0)) (then (return (local.get $t))))
    (local.set $r (call $timer_set (local.get $t) (i64.const 1000000) (i64.const 1000000)))
    (if (i32.lt_s (local.get $r) (i32.const 0)) (then (return (local.get $r))))
    (i32.store (i32.const 60000) (local.get $h))
    (i32.store (i32.const 60004) (i32.const 1))   ;; READABLE
    (i32.store (i32.const 60012) (local.get $t))
    (i32.store (i32.const 60016) (i32.const 8))   ;; SIGNALED
    (block $done
      (loop $l
        (local.set $r (call $wait_many (i32.const 60000) (i32.const 2) (i64.const -1)))
        (if (i32.lt_s (local.get $r) (i32.const 0))
          (then (local.set $count (local.get $r)) (br $done)))
        (if (i32.and (i32.load (i32.const 60008)) (i32.const 1))
          (then (local.set $count (i32.const -100)) (br $done)))
        (local.set $count (i32.add (local.get $count) (call $timer_ack (local.get $t))))
        (br_if $l (i32.lt_s (local.get $count) (local.get $n)))))
    (drop (call $handle_close (local.get $t)))
    (local.get $count))

  ;; Reads/writes one byte of this component's memory: what a mapped
  ;; window looks like from wasm code itself.
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
)
