;; start_trap.wat - _start traps.
(module
  (func (export "_start") (unreachable)))
