#!/usr/bin/env bash
# bench/startup.sh - whole-process start-up: `b8g run hello.wasm` against
# Node's node:wasi running the same module (tests/wasi/node-run.mjs), with
# hyperfine, and the ratio node / b8g (higher means b8g starts faster).
#
#   BUILD=build bench/startup.sh          RUNS=30 WARMUP=3 to change counts
#
# hello.wasm is tests/wasi/guests/hello.c, built by `make wasi-guests`.
# hyperfine's JSON goes to $BUILD/bench/startup.json.  The ratio is of
# medians (means are printed too); both commands must print the greeting.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
NODE=${NODE:-node}
B8G=$BUILD/b8g
HELLO=$BUILD/tests/wasi/hello.wasm
JSON=$BUILD/bench/startup.json

die() { echo "startup.sh: $*" >&2; exit 1; }
command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed"
command -v "$NODE" >/dev/null 2>&1 || die "$NODE is not installed"
[ -x "$B8G" ] || die "$B8G is missing (run make first)"
make --no-print-directory -s BUILD="$BUILD" "$HELLO" || die "cannot build $HELLO"
mkdir -p "$BUILD/bench" || exit 1

b8g_cmd="$B8G run $HELLO"
node_cmd="$NODE --no-warnings tests/wasi/node-run.mjs $HELLO"
for cmd in "$b8g_cmd" "$node_cmd"; do
    [ "$($cmd)" = "hello, world" ] || die "'$cmd' does not print hello, world"
done

hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$JSON" \
    -n "b8g run" "$b8g_cmd" -n "node node:wasi" "$node_cmd" || die "hyperfine failed"

# results[0] is b8g, results[1] node, in command order.
# shellcheck disable=SC2016 # JavaScript, not shell
"$NODE" -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
const ms = (s) => (s * 1000).toFixed(2) + " ms";
const [b, n] = r;
console.log(`b8g run:        median ${ms(b.median)}, mean ${ms(b.mean)} ± ${ms(b.stddev)}`);
console.log(`node node:wasi: median ${ms(n.median)}, mean ${ms(n.mean)} ± ${ms(n.stddev)}`);
console.log(`startup ratio node/b8g: ${(n.median / b.median).toFixed(1)}x (medians), ` +
            `${(n.mean / b.mean).toFixed(1)}x (means)`);
' "$JSON"
