#!/usr/bin/env bash
# tests/wasi/runaway.sh - guests that never stop on their own, under
# `b8g run` limits: each must end with its documented exit status and a
# one-line reason (with the wasm backtrace where code was running), on
# time, and without harming the host process.
#
#   BUILD=build tests/wasi/runaway.sh
#
# Timing: wall time of the whole `b8g run` process, measured here with
# `date +%s%N`.  A --timeout of 200 ms must end the process within 50 ms of
# the deadline, plus the measured start-up of `b8g run hello.wasm` (which
# is large only in sanitizer builds); the overshoot is printed either way.
# Last line: "runaway: N passed, N failed"; exit status 1 on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/wasi
passed=0
failed=0
LIMIT_STATUS=8 # B8G_LIMIT in include/b8g.h
TRAP_STATUS=7  # B8G_TRAP

finish() {
    echo "runaway: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if [ ! -x "$B8G" ]; then
    echo "FAIL setup: $B8G is missing"
    failed=1
    finish
fi
mkdir -p "$W" || exit 1
if ! make --no-print-directory -s BUILD="$BUILD" wasi-guests >"$W/guests.log" 2>&1; then
    echo "FAIL setup: the guests do not build (see $W/guests.log)"
    failed=1
    finish
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/b8g-runaway.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/out
ERR=$TMP/err

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# timed CMD...: runs CMD with stdout/stderr in $OUT/$ERR; sets rc and ms.
timed() {
    local t0
    t0=$(now_ms)
    rc=0
    timeout 60 "$@" >"$OUT" 2>"$ERR" </dev/null || rc=$?
    ms=$(($(now_ms) - t0))
}

# result NAME WHY: a pass when WHY is empty, else a failure with the output.
result() {
    if [ -z "$2" ]; then
        passed=$((passed + 1))
        echo "ok   $1"
    else
        failed=$((failed + 1))
        echo "FAIL $1: $2"
        sed 's/^/  stdout: /' "$OUT" | head -n 5
        sed 's/^/  stderr: /' "$ERR" | head -n 8
    fi
}

# expect_stop NAME STATUS REASON BACKTRACE(yes|no): status, reason text,
# exactly one diagnostic line (plus backtrace frames), a backtrace if asked.
expect_stop() {
    local name=$1 want=$2 reason=$3 bt=$4 why=""
    local first
    first=$(head -n 1 "$ERR")
    if [ "$rc" -ne "$want" ]; then
        why="exit status $rc, expected $want"
    elif ! grep -qF -- "$reason" <<<"$first"; then
        why="first stderr line lacks \"$reason\""
    elif [ "$(grep -cv '^  ' "$ERR")" -ne 1 ]; then
        why="more than one diagnostic line"
    elif [ "$bt" = yes ] && ! grep -q '^  #0 func ' "$ERR"; then
        why="no wasm backtrace"
    fi
    result "$name" "$why"
}

# Start-up allowance: the fastest of three runs of hello.wasm.
startup=1000000
for _ in 1 2 3; do
    timed "$B8G" run "$W/hello.wasm"
    [ "$ms" -lt "$startup" ] && startup=$ms
done
echo "note: b8g run hello.wasm takes ${startup} ms here"

on_time() { # NAME DEADLINE-MS
    local over=$((ms - $2)) why=""
    echo "note: $1: ended after $ms ms, $over ms past the deadline"
    [ "$over" -le $((50 + startup)) ] || why="ended $over ms after the deadline (allowed $((50 + startup)))"
    [ "$over" -ge 0 ] || why="ended $((-over)) ms before the deadline"
    result "$1 on time" "$why"
}

# ---- while (1) {} ---------------------------------------------------------
timed "$B8G" run --timeout 200ms "$W/spin.wasm"
expect_stop "spin --timeout 200ms" $LIMIT_STATUS timeout yes
on_time "spin --timeout 200ms" 200
timed "$B8G" run --fuel 100000000 "$W/spin.wasm"
expect_stop "spin --fuel 100000000" $LIMIT_STATUS "out of fuel" yes
timed "$B8G" run --fuel 100000000 --timeout 10s "$W/spin.wasm"
expect_stop "spin --fuel before --timeout" $LIMIT_STATUS "out of fuel" yes

# ---- blocked in host calls ------------------------------------------------
timed "$B8G" run --timeout 200ms "$W/sleep.wasm"
expect_stop "sleep(10) --timeout 200ms" $LIMIT_STATUS timeout yes
on_time "sleep(10) --timeout 200ms" 200
# stdin is a pipe that stays open and empty for 3 s.
t0=$(now_ms)
rc=0
timeout 60 "$B8G" run --timeout 200ms "$W/stdio.wasm" >"$OUT" 2>"$ERR" < <(sleep 3) || rc=$?
ms=$(($(now_ms) - t0))
expect_stop "fd_read on a silent pipe --timeout 200ms" $LIMIT_STATUS timeout yes
on_time "fd_read on a silent pipe --timeout 200ms" 200

# ---- memory ---------------------------------------------------------------
timed "$B8G" run --max-memory 64M "$W/grow.wasm"
mib=$(sed -n 's/^malloc failed after \([0-9]*\) MiB$/\1/p' "$OUT")
why=""
if [ "$rc" -ne 3 ]; then why="exit status $rc, expected 3 (the guest's own)"
elif [ -z "$mib" ] || [ "$mib" -ge 64 ] || [ "$mib" -lt 32 ]; then why="malloc failed after '$mib' MiB, expected 32..63"
elif [ -s "$ERR" ]; then why="stderr is not empty"
fi
result "malloc forever --max-memory 64M" "$why"
timed "$B8G" run --max-memory 64M "$W/bigmem.wasm"
expect_stop "96 MiB static data --max-memory 64M" $LIMIT_STATUS "exceeds the limit" no
[ -s "$OUT" ] && why="the guest ran" || why=""
result "96 MiB static data never started" "$why"

# ---- the call stack -------------------------------------------------------
timed "$B8G" run "$W/recurse.wasm"
expect_stop "unbounded recursion" $TRAP_STATUS "call stack exhausted" yes
timed "$B8G" run --max-stack 64K "$W/recurse.wasm"
expect_stop "unbounded recursion --max-stack 64K" $TRAP_STATUS "call stack exhausted" yes

# ---- stdout closed early --------------------------------------------------
t0=$(now_ms)
"$B8G" run "$W/flood.wasm" 2>"$ERR" </dev/null | head -c 100 >"$OUT"
rc=${PIPESTATUS[0]}
ms=$(($(now_ms) - t0))
why=""
if [ "$rc" -ne 4 ]; then why="exit status $rc, expected 4 (the guest's, after EPIPE)"
elif ! grep -q 'failed with errno 64 ' "$ERR"; then why="the guest did not see EPIPE (64)"
elif [ "$(wc -c <"$OUT")" -ne 100 ]; then why="head did not get 100 bytes"
elif [ "$ms" -ge 5000 ]; then why="took $ms ms"
fi
echo "note: 1 GiB to a closed pipe: ended after $ms ms"
result "1 GiB to stdout | head -c 100" "$why"

# ---- the host is still fine -----------------------------------------------
timed "$B8G" run "$W/hello.wasm"
[ "$rc" -eq 0 ] && [ "$(cat "$OUT")" = "hello, world" ] && why="" || why="hello failed with $rc"
result "hello after all that" "$why"
finish
