;; spin.wat - a guest that never returns.
(module
  (func $spin (export "spin")
    (loop $forever
      (br $forever))))
