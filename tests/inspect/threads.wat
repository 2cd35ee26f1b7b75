;; threads.wat - a shared memory: malformed to a WebAssembly 2.0 decoder,
;; which stops at its limits flags; the section scan still names it.
;; flags: --enable-threads
(module
  (memory 1 1 shared))
