#!/usr/bin/env bash
# tests/fuzz/run.sh - builds the fuzz targets and runs each for a while.
#
#   BUILD=build tests/fuzz/run.sh [SECONDS]     (`make fuzz`, `make fuzz-long`)
#
# For each target $BUILD/fuzz/fuzz_*: first the saved crash inputs in
# tests/fuzz/regress/<target>/ are replayed (each must now pass), then
# libFuzzer runs for SECONDS (default 20) on $BUILD/fuzz/corpus/<target>,
# seeded by tests/fuzz/seeds.sh.  A target passes if nothing crashed,
# leaked, hung or tripped a sanitizer; its log is $BUILD/fuzz/<target>.log
# (FUZZ_LOG_DIR overrides) and a crashing input is saved as
# $BUILD/fuzz/artifacts/<target>-crash-*.  The last line is
# "fuzz: N passed, N failed".  FUZZ_NICE (default 19) lowers the priority.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SECONDS_EACH=${1:-20}
OUT=$BUILD/fuzz
LOGS=${FUZZ_LOG_DIR:-$OUT}
NICE=${FUZZ_NICE:-19}
mkdir -p "$OUT/artifacts" "$LOGS"

if ! make -s --no-print-directory BUILD="$BUILD" fuzz-targets >"$LOGS/build.log" 2>&1; then
    tail -n 20 "$LOGS/build.log" >&2
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
# fuzz_abi drives this guest (tests/abi/guest.wat).
# fuzz_image's seeds are images of tests/abi/snapshot.wat.
make -s --no-print-directory BUILD="$BUILD" "$BUILD/tests/abi/guest.wasm" \
    "$BUILD/tests/abi/snapshot.wasm" >>"$LOGS/build.log" 2>&1
export B8G_FUZZ_ABI_GUEST=$BUILD/tests/abi/guest.wasm
tests/fuzz/seeds.sh "$BUILD" "$OUT/corpus" || echo "fuzz: seed corpus incomplete" >&2

passed=0 failed=0
for bin in "$OUT"/fuzz_*; do
    [ -x "$bin" ] || continue
    t=$(basename "$bin")
    log=$LOGS/$t.log
    ok=1
    regress=(tests/fuzz/regress/"$t"/*)
    if [ -e "${regress[0]}" ] && ! "$bin" "${regress[@]}" >"$LOGS/$t.regress.log" 2>&1; then
        echo "$t: a regression input fails, see $LOGS/$t.regress.log" >&2
        ok=0
    fi
    mkdir -p "$OUT/corpus/$t"
    if ! nice -n "$NICE" "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$t-" "$OUT/corpus/$t" >"$log" 2>&1; then
        echo "$t: finding, see $log and $OUT/artifacts/" >&2
        ok=0
    fi
    stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 |
        sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*\(exec\/s: [0-9]*\).*/\1 \2 \3/p')
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$t: $([ $ok -eq 1 ] && echo ok || echo FAILED), ${runs:-?} runs, ${stats:-no stats}"
    if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
