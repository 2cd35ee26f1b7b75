;; names.wat - names with a control character, an escape, a quote, a
;; backslash, a NUL and a C1 control (U+0085), which both outputs escape.
(module
  (import "ev\1bil" "f" (func))
  (func (export "a\01b") (call 0))
  (func (export "q\"uote\\back\00nul") (call 0))
  (memory (export "c1\c2\85end") 1))
