;; bigmem.wat - needs 32 pages (2 MiB) at instantiation.
(module
  (memory 32)
  (func (export "_start")))
