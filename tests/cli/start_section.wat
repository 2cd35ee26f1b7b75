;; start_section.wat - the start function traps during instantiation.
(module
  (func $init (unreachable))
  (start $init))
