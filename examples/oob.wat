;; oob.wat - reads past the end of its one 64 KiB page of memory.
(module
  (memory 1)
  (func $peek (export "peek") (param $addr i32) (result i32)
    (i32.load (local.get $addr))))
