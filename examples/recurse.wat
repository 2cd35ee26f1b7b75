;; recurse.wat - unbounded recursion: the engine's stack limit must end it
;; with a trap, never by overflowing the host's C stack.
(module
  (func $down (export "down") (param $n i64) (result i64)
    (i64.add (i64.const 1)
             (call $down (i64.add (local.get $n) (i64.const 1))))))
