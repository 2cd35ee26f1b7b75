#!/bin/bash
# icount.sh - host instructions per yardstick kernel, b8g against native.
#
# Wall-clock times on a shared 2-core machine drift with the load; counts
# of executed host instructions (valgrind's cachegrind, no cache model) do
# not, so this is the measure for deciding between two builds.  For each
# kernel it prints the instructions of the native build (gcc -O2) and of
# `b8g run`, and their ratio.  The sizes are small so that a run under
# valgrind takes seconds; start-up (load, validate, translate) is included.
#
#   bench/icount.sh [--b8g PATH] [--bench DIR] [kernel[:size] ...]
#
# PATH defaults to build/b8g, DIR to ../shared/bench (its Makefile builds
# the kernels, as its run.sh does).
set -euo pipefail

B8G=build/b8g
BENCH=../shared/bench
while [ $# -gt 0 ]; do
    case "$1" in
        --b8g) B8G=$2; shift 2 ;;
        --bench) BENCH=$2; shift 2 ;;
        *) break ;;
    esac
done
KERNELS=("$@")
if [ ${#KERNELS[@]} -eq 0 ]; then
    KERNELS=(fannkuch:8 sieve:2000000 nbody:20000 spectral:150 mandel:120 matmul:80
             hashtab:40000 sha256:1 fib:27 trees:3 vm:1500 sort:15000)
fi
command -v valgrind >/dev/null || { echo "icount.sh: needs valgrind" >&2; exit 2; }
make -s -C "$BENCH" wasm native >&2

# Instructions executed by a command (its output is discarded).
icount() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 \
        >/dev/null | awk '/I *refs/ { gsub(",", "", $NF); print $NF }'
}

printf '%-10s %-10s %14s %14s %8s\n' kernel size native b8g ratio
for ks in "${KERNELS[@]}"; do
    k=${ks%%:*}
    s=${ks#*:}
    [ "$s" = "$ks" ] && s=""
    n=$(icount "$BENCH/build/native/$k" $s)
    # --no-confine: under valgrind there is no seccomp, and b8g run refuses
    # to go on unconfined unless told to
    b=$(icount "$B8G" run --no-confine "$BENCH/build/wasm/$k.wasm" $s)
    awk -v k="$k" -v s="$s" -v n="$n" -v b="$b" \
        'BEGIN { printf "%-10s %-10s %14d %14d %7.2fx\n", k, s, n, b, b / n }'
done
