;; sat_conversion.wat - a saturating float-to-int conversion.
(module
  (func (export "f") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0))))
