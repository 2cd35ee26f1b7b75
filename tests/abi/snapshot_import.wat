;; A module importing a global: state a snapshot would overwrite but does
;; not own, so capture refuses it (tests/unit/snapshot_test.c).
(module
  (import "host" "g" (global $g i32))
  (func (export "get") (result i32) (global.get $g)))
