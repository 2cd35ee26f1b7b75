#!/usr/bin/env bash
# tests/diff/run.sh - differential testing of b8g against node (V8).
#
#   BUILD=build tests/diff/run.sh [COUNT] [SEED]        (`make diff`)
#
# COUNT (default 300) random valid modules are made by binaryen's
# translate-to-fuzz mode (wasm-opt -ttf) from pseudo-random bytes, with only
# the features b8g supports.  Each is run by $BUILD/tests/diff-driver and by
# tests/diff/harness.js under node: every export called with zero
# arguments, fuzzing-support log-* calls, results, traps and the final
# memory hash compared line by line (protocol in driver.c).  One case in
# four also enables reference types, which binaryen 108 does not emit
# correctly (it treats funcref as a subtype of externref, so most such
# modules are invalid): there the validity verdicts must agree, and the
# runs too when the module is valid.
#
# A case where either side runs out (fuel for b8g, DIFF_TIMEOUT seconds for
# node) is skipped and counted.  Divergent cases are kept in
# $BUILD/diff/fail/ (module, both outputs).  The last line is
# "diff: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
COUNT=${1:-300}
SEED=${2:-${DIFF_SEED:-1}}
TIMEOUT=${DIFF_TIMEOUT:-20}
DRIVER=$BUILD/tests/diff-driver
WORK=$BUILD/diff
FEATURES="--mvp-features --enable-bulk-memory --enable-multivalue --enable-sign-ext
 --enable-nontrapping-float-to-int --enable-mutable-globals"

for tool in wasm-opt node; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "diff: $tool not installed (binaryen, nodejs)" >&2
        echo "diff: 0 passed, 1 failed"
        exit 1
    fi
done
if ! make -s --no-print-directory BUILD="$BUILD" "$DRIVER" >&2; then
    echo "diff: 0 passed, 1 failed"
    exit 1
fi
mkdir -p "$WORK/fail"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Deterministic bytes for case N: the run is reproducible from its seed.
case_bytes() { # N FILE
    local n=$1 size=$(( (($1 * 7919 + SEED * 104729) % 6000) + 500 ))
    openssl enc -aes-128-ctr -nosalt -pass "pass:b8g-diff-$SEED-$n" -pbkdf2 \
        </dev/zero 2>/dev/null | head -c "$size" >"$2"
}

passed=0 failed=0 skipped=0 invalid=0
for ((n = 0; n < COUNT; n++)); do
    feat=$FEATURES
    reftypes=$((n % 4 == 3))
    [ $reftypes -eq 1 ] && feat="$feat --enable-reference-types"
    case_bytes "$n" "$tmp/in.dat"
    # shellcheck disable=SC2086
    if ! wasm-opt "$tmp/in.dat" -ttf $feat -o "$tmp/m.wasm" 2>/dev/null; then
        skipped=$((skipped + 1))
        continue
    fi
    "$DRIVER" --sigs "$tmp/m.wasm" >"$tmp/m.sigs" 2>/dev/null
    timeout 60 "$DRIVER" "$tmp/m.wasm" >"$tmp/b8g.out" 2>"$tmp/b8g.err"
    brc=$?
    timeout "$TIMEOUT" node --stack-size=900 tests/diff/harness.js "$tmp/m.wasm" "$tmp/m.sigs" \
        >"$tmp/node.out" 2>"$tmp/node.err"
    nrc=$?
    if [ $nrc -eq 124 ] || grep -qx fuel "$tmp/b8g.out"; then
        skipped=$((skipped + 1))
        continue
    fi
    if [ $reftypes -eq 1 ]; then
        # Only the verdict on validity is comparable here.
        head -n 1 "$tmp/b8g.out" | grep -qx invalid && b=invalid || b=valid
        head -n 1 "$tmp/node.out" | grep -qx invalid && j=invalid || j=valid
        [ $b = invalid ] && invalid=$((invalid + 1))
        if [ $brc -eq 0 ] && [ $nrc -eq 0 ] && [ $b = $j ] &&
            { [ $b = invalid ] || cmp -s "$tmp/b8g.out" "$tmp/node.out"; }; then
            passed=$((passed + 1))
            continue
        fi
    elif [ $brc -eq 0 ] && [ $nrc -eq 0 ] && cmp -s "$tmp/b8g.out" "$tmp/node.out"; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    cp "$tmp/m.wasm" "$WORK/fail/case-$SEED-$n.wasm"
    cp "$tmp/b8g.out" "$WORK/fail/case-$SEED-$n.b8g"
    cp "$tmp/node.out" "$WORK/fail/case-$SEED-$n.node"
    cat "$tmp/b8g.err" "$tmp/node.err" >"$WORK/fail/case-$SEED-$n.stderr"
    echo "case $SEED-$n diverges (rc b8g $brc, node $nrc): $WORK/fail/case-$SEED-$n.*" >&2
    diff "$tmp/b8g.out" "$tmp/node.out" | head -n 6 >&2
done
echo "diff: seed $SEED, $COUNT cases: $skipped skipped (out of fuel/time or no module)," \
    "$invalid rejected by both (reference types)"
echo "diff: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
