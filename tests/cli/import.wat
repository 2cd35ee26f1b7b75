;; import.wat - imports something nobody provides.
(module
  (import "env" "foo" (func $foo))
  (func (export "_start") (call $foo)))
