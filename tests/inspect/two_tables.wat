;; two_tables.wat - a second table is all this module has past the MVP.
(module
  (table 1 funcref)
  (table 1 funcref))
