;; wasi_unknown.wat - imports a function preview1 does not have.
(module
  (import "wasi_snapshot_preview1" "fd_teleport" (func (param i32) (result i32)))
  (func (export "_start")))
