#!/bin/sh
# demo.sh - b8g running untrusted code: results, traps with backtraces, and
# the limits that stop a guest which will not stop by itself, for C and
# JavaScript guests alike.
#
# Run from anywhere after `make`; BUILD selects the build directory.
# Exits non-zero if any step did not end the way it claims.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
OUT=$BUILD/examples
unexpected=0

mkdir -p "$OUT" || exit 1
for wat in examples/*.wat; do
    # --debug-names keeps the function names, so backtraces can show them.
    wat2wasm --debug-names "$wat" -o "$OUT/$(basename "$wat" .wat).wasm" || exit 1
done
clang --target=wasm32-wasi --sysroot=/usr -O2 examples/sandbox.c \
    -o "$OUT/sandbox.wasm" || exit 1
# With -g: DWARF in the module, so backtraces name source lines.
clang --target=wasm32-wasi --sysroot=/usr -g -O0 -fdebug-prefix-map="$PWD"=. examples/buggy.c \
    -o "$OUT/buggy.wasm" || exit 1

# The sandboxed program's world: an input directory (granted read-only, with
# a planted link pointing out of it) and an output directory.
SANDBOX=$OUT/sandbox
rm -rf "$SANDBOX"
mkdir -p "$SANDBOX/in" "$SANDBOX/out" || exit 1
echo "the quick brown fox jumps over the lazy dog" >"$SANDBOX/in/fox.txt"
printf 'to be or not to be\nthat is the question\n' >"$SANDBOX/in/hamlet.txt"
ln -s /etc/passwd "$SANDBOX/in/escape"

step() {
    printf '\n== %s\n' "$1"
}

# show WANT_STATUS CMD...: echoes the command, runs it, checks its status.
show() {
    want=$1
    shift
    printf '$ %s\n' "$*"
    "$@" 2>&1
    rc=$?
    if [ "$rc" -eq "$want" ]; then
        printf '(exit status %d)\n' "$rc"
    else
        printf '(exit status %d, expected %d)\n' "$rc" "$want"
        unexpected=$((unexpected + 1))
    fi
}

step "The engine"
show 0 "$B8G" version

step "A C program compiled to wasm32-wasi, given two directories and nothing else"
show 0 "$B8G" run --dir "$SANDBOX/in::/in:ro" --dir "$SANDBOX/out::/out" \
    "$OUT/sandbox.wasm" --verbose
printf '$ cat %s\n' "$SANDBOX/out/report.txt"
cat "$SANDBOX/out/report.txt"
if [ -e "$SANDBOX/in/new.txt" ] || [ -e "$SANDBOX/escaped.txt" ]; then
    echo "the guest wrote where it was not allowed to"
    unexpected=$((unexpected + 1))
fi

step "Call an export: arguments are parsed by the function's types, results printed one per line"
show 0 "$B8G" run --invoke fib "$OUT/fib.wasm" 25
show 0 "$B8G" run --invoke fib64 "$OUT/fib.wasm" 90

step "A trap ends the call cleanly, with the wasm backtrace (exit 7)"
show 0 "$B8G" run --invoke average "$OUT/divide.wasm" 10 4
show 7 "$B8G" run --invoke average "$OUT/divide.wasm" 10 0

step "What the code did and where it failed: a C program built with -g divides by zero"
mkdir -p "$OUT/buggy" && printf '3 4 5\n' >"$OUT/buggy/numbers.txt" && : >"$OUT/buggy/empty.txt"
show 0 "$B8G" run --dir "$OUT/buggy::/data" "$OUT/buggy.wasm" /data/numbers.txt
show 7 "$B8G" run --trace=summary --dir "$OUT/buggy::/data" "$OUT/buggy.wasm" /data/empty.txt

step "An infinite loop stopped by fuel: every loop iteration and call costs fuel (exit 8)"
show 8 "$B8G" run --fuel 1000000 --invoke spin "$OUT/spin.wasm"

step "A snapshot: a call stopped by fuel is saved mid-recursion (exit 9), inspected, and resumed in a new process"
show 9 "$B8G" run --fuel 100000 --suspend-to "$OUT/fib.b8g" --invoke fib "$OUT/fib.wasm" 27
show 0 "$B8G" inspect "$OUT/fib.b8g"
show 0 "$B8G" resume "$OUT/fib.b8g"

step "The same loop stopped by wall-clock time: a watchdog interrupts it (exit 8)"
show 8 "$B8G" run --timeout 200ms --invoke spin "$OUT/spin.wasm"

step "Unbounded recursion hits the engine's stack limit, not the host's (exit 7)"
show 7 "$B8G" run --max-stack 1M --invoke down "$OUT/recurse.wasm" 0

step "Memory accesses are confined to the guest's linear memory (exit 7)"
show 0 "$B8G" run --invoke peek "$OUT/oob.wasm" 65532
show 7 "$B8G" run --invoke peek "$OUT/oob.wasm" 65536
show 7 "$B8G" run --invoke peek "$OUT/oob.wasm" -1

step "JavaScript: QuickJS pre-initialised in an image, given the script's directory read-only and nothing else"
show 0 "$B8G" js examples/hello.js demo
show 0 "$B8G" js -e 'import("/etc/passwd").then(() => console.log("read it"), (e) => console.log("refused:", e.message))'
show 8 "$B8G" js --timeout 200ms -e 'for (;;) {}'

step "Components wired by capabilities: 1 GiB through producer -> transformer -> consumer over two streams"
show 0 "$B8G" compose examples/pipeline.json

step "Two components sharing a memory region zero-copy, taking turns through two events"
show 0 "$B8G" compose examples/pingpong.json

if [ "$unexpected" -ne 0 ]; then
    printf '\ndemo: %d step(s) ended unexpectedly\n' "$unexpected"
    exit 1
fi
printf '\ndemo: every step ended as expected\n'
