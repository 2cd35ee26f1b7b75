#!/usr/bin/env bash
# bench/js.sh - JavaScript in b8g against the same QuickJS built natively
# and against node, in one run:
#
#   start-up   whole-process time of `b8g js -e 'console.log(1+1)'`,
#              `node -e 'console.log(1+1)'` and the native QuickJS build
#              with our driver (hyperfine)
#   workloads  bench/js/json.js (JSON stringify/parse rounds) and
#              bench/js/objects.js (an object-heavy simulation) under
#              `b8g js`, native QuickJS (gcc -O2: the limit for running
#              QuickJS's interpreter inside a wasm interpreter) and node
#              (a JIT), each checked to print the same line
#
#   BUILD=build bench/js.sh            JSON_ROUNDS=30 OBJECT_STEPS=30 RUNS=3
#
# The native build is $(BUILD)/bench/qjs-native (make it with
# `make $(BUILD)/bench/qjs-native`): the engine sources and js/driver.c
# compiled for the host, without the wasm-only compat layer.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
JSON_ROUNDS=${JSON_ROUNDS:-30}
OBJECT_STEPS=${OBJECT_STEPS:-30}
make --no-print-directory -s BUILD="$BUILD" all js "$BUILD/bench/qjs-native" || exit 1
command -v hyperfine >/dev/null || { echo "bench/js.sh: hyperfine is needed" >&2; exit 1; }
command -v node >/dev/null || { echo "bench/js.sh: node is needed" >&2; exit 1; }
B8G=$BUILD/b8g
NATIVE=$BUILD/bench/qjs-native
OUT=$BUILD/bench/js
mkdir -p "$OUT"

echo "== start-up: console.log(1+1), whole process"
hyperfine -N --warmup 5 --runs 40 --export-json "$OUT/startup.json" \
    "$B8G js -e console.log(1+1)" \
    "node -e console.log(1+1)" \
    "$NATIVE -e console.log(1+1)" | grep -E 'Benchmark|Time'

# Every engine must print the same line for a workload.
check() { # NAME ARG
    local want got
    want=$(node "bench/js/$1.js" "$2")
    for cmd in "$B8G js bench/js/$1.js $2" "$NATIVE bench/js/$1.js $2"; do
        got=$($cmd) || { echo "bench/js.sh: $cmd failed" >&2; exit 1; }
        [ "$got" = "$want" ] || { echo "bench/js.sh: $cmd printed '$got', node '$want'" >&2; exit 1; }
    done
    echo "$want"
}

for w in "json $JSON_ROUNDS" "objects $OBJECT_STEPS"; do
    set -- $w
    echo "== $1 ($2)"
    check "$1" "$2"
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/$1.json" \
        "$B8G js bench/js/$1.js $2" \
        "$NATIVE bench/js/$1.js $2" \
        "node bench/js/$1.js $2" | grep -E 'Benchmark|Time'
done

# The ratios, from hyperfine's means.
python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
def means(name):
    r = json.load(open(f"{out}/{name}.json"))["results"]
    return [x["mean"] for x in r]
b, n, q = means("startup")
print(f"start-up: b8g js {b*1e3:.1f} ms, node {n*1e3:.1f} ms, native QuickJS {q*1e3:.1f} ms: "
      f"b8g is {n/b:.1f}x faster than node")
for w in ("json", "objects"):
    b, q, n = means(w)
    print(f"{w}: b8g js {b:.2f} s, native QuickJS {q:.2f} s, node {n:.2f} s: "
          f"b8g/native {b/q:.2f}x, b8g/node {b/n:.1f}x")
EOF
