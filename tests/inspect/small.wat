;; small.wat - an MVP module with one of most sections: its exact section
;; list, types, imports and exports are checked, and no feature is reported.
;; flags: --debug-names
(module
  (type $binop (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "table" (table 1 4 funcref))
  (memory (export "mem") 1 2)
  (global $count (mut i32) (i32.const 0))
  (global $limit i64 (i64.const 100))
  (func $add (export "add") (type $binop)
    (call $log (local.get 0))
    (i32.add (local.get 0) (local.get 1)))
  (func $init
    (global.set $count (i32.const 1)))
  (start $init)
  (elem (i32.const 0) $add)
  (data (i32.const 16) "hi"))
