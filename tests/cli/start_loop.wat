;; start_loop.wat - the start function never returns; limits must still apply.
(module
  (func $init (loop $l (br $l)))
  (start $init))
