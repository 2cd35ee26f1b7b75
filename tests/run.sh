#!/usr/bin/env bash
# tests/run.sh - runs every test suite of a build and prints the totals.
#
#   BUILD=build tests/run.sh      (what `make test` runs, after building)
#
# Suites: the cmocka unit tests ($BUILD/tests/*_test), the spec suite
# ($BUILD/tests/spec-runner on $BUILD/spec; again as spec-debug with the
# debugger's translation), the debugger (tests/cli/debug.sh), the CLI
# tests (tests/cli/run.sh),
# b8g run's process confinement (tests/cli/confine.sh), b8g compose
# (tests/cli/compose.sh), host-call traces (tests/cli/trace.sh), profiles
# (tests/cli/profile.sh), snapshot images (tests/cli/snapshot.sh), module
# inspection (tests/cli/inspect.sh), JavaScript through QuickJS
# (tests/cli/js.sh, node as the oracle), the WASI guests
# (tests/wasi/run.sh), the sandbox escape attempts
# (tests/wasi/escape/run.sh), the runaway guests (tests/wasi/runaway.sh),
# the mutation test ($BUILD/tests/mutate), and in the normal build the short
# fuzz runs and the differential test against node (see below).
# One line per suite, then "N passed, N failed" as the very last line; exit
# status 1 if anything failed.  A suite that cannot run, or dies without
# reporting, counts as a failure rather than vanishing from the totals.
#
# THREADED_ONLY=1 runs the unit tests and the suites whose b8g processes
# run threads - cli (timeout watchdog), compose, trace, runaway, profile
# (its sampling thread) - alone (what `make tsan` uses).
# MUTATE_COUNT overrides the number of mutants (default: mutate's own).
# SUITE_TIMEOUT (seconds, default 900) bounds every suite, so a hang fails
# the run instead of stalling it.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-900}
limit() { timeout --kill-after=10 "$SUITE_TIMEOUT" "$@"; }
LOG=$BUILD/tests/logs
mkdir -p "$LOG" || exit 1
total_passed=0
total_failed=0

tally() { # NAME PASSED FAILED [NOTE]
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    printf '%-28s %d passed, %d failed%s\n' "$1:" "$2" "$3" "${4:+ ($4)}"
}

# The end of a failing suite's log, on stderr so stdout keeps one line per
# suite while a CI log still shows what went wrong.
show_log() {
    tail -n 25 "$1" | sed 's/^/    | /' >&2
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s),".
run_unit() {
    local bin=$1 name log p f rc=0
    name=$(basename "$bin")
    log=$LOG/$name.log
    limit "$bin" >"$log" 2>&1 || rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        tally "unit $name" "$p" 1 "exit status $rc, see $log"
    else
        tally "unit $name" "$p" "$f" "$([ "$f" -ne 0 ] && echo "see $log")"
    fi
    [ "$rc" -eq 0 ] || show_log "$log"
}

# The runner's last line: "spec: P passed, F failed, S skipped".  Run as
# NAME with the runner's extra options (spec-debug: the code a debugger
# runs, with a stop before every instruction, must behave the same).
run_spec() { # NAME [OPTIONS...]
    local name=$1 bin=$BUILD/tests/spec-runner log=$LOG/$1.log last p f s
    shift
    if [ ! -x "$bin" ] || [ ! -d "$BUILD/spec" ]; then
        tally "$name" 0 1 "runner or converted suite missing"
        return
    fi
    limit "$bin" "$@" "$BUILD/spec" >"$log" 2>"$LOG/$name.stderr"
    last=$(tail -n 1 "$log")
    if [[ $last =~ ^spec:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
        p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
        tally "$name" "$p" "$f" "$s skipped$([ "$f" -ne 0 ] && echo ", see $log")"
    else
        tally "$name" 0 1 "no summary line, see $log"
        show_log "$LOG/$name.stderr"
    fi
}

# Suites whose last line is "NAME: P passed, F failed".
run_counted() { # NAME LOG CMD...
    local name=$1 log=$2 last rc=0
    shift 2
    limit "$@" >"$log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || show_log "$log"
    last=$(tail -n 1 "$log")
    if [[ $last =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        tally "$name" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" \
            "$([ "${BASH_REMATCH[2]}" -ne 0 ] && echo "see $log")"
    else
        tally "$name" 0 1 "no summary line, see $log"
    fi
}

shopt -s nullglob
for bin in "$BUILD"/tests/*_test; do
    [ -x "$bin" ] && run_unit "$bin"
done
run_counted cli "$LOG/cli.log" env BUILD="$BUILD" tests/cli/run.sh
run_counted compose "$LOG/compose.log" env BUILD="$BUILD" tests/cli/compose.sh
run_counted trace "$LOG/trace.log" env BUILD="$BUILD" tests/cli/trace.sh
run_counted backtrace "$LOG/backtrace.log" env BUILD="$BUILD" tests/cli/backtrace.sh
run_counted runaway "$LOG/runaway.log" env BUILD="$BUILD" tests/wasi/runaway.sh
run_counted profile "$LOG/profile.log" env BUILD="$BUILD" tests/cli/profile.sh
run_counted debug "$LOG/debug.log" env BUILD="$BUILD" tests/cli/debug.sh
if [ "${THREADED_ONLY:-0}" = 1 ]; then
    echo "$total_passed passed, $total_failed failed"
    [ "$total_failed" -eq 0 ]
    exit
fi
run_spec spec
run_spec spec-debug --debug-stops
run_counted confine "$LOG/confine.log" env BUILD="$BUILD" tests/cli/confine.sh
run_counted snapshot "$LOG/snapshot.log" env BUILD="$BUILD" tests/cli/snapshot.sh
run_counted inspect "$LOG/inspect.log" env BUILD="$BUILD" tests/cli/inspect.sh
run_counted js "$LOG/js.log" env BUILD="$BUILD" tests/cli/js.sh
run_counted wasi "$LOG/wasi.log" env BUILD="$BUILD" tests/wasi/run.sh
run_counted escape "$LOG/escape.log" env BUILD="$BUILD" tests/wasi/escape/run.sh
if [ -x "$BUILD/tests/mutate" ]; then
    run_counted mutate "$LOG/mutate.log" \
        "$BUILD/tests/mutate" ${MUTATE_COUNT:+--count "$MUTATE_COUNT"} "$BUILD/spec"
else
    tally mutate 0 1 "$BUILD/tests/mutate missing"
fi

# Short fuzz runs (tests/fuzz/run.sh, FUZZ_TIME seconds per target) and
# differential testing against node (tests/diff/run.sh, DIFF_COUNT modules)
# run in the normal build only - they bring their own instrumented build -
# or in any build when B8G_FUZZ=1; B8G_FUZZ=0 skips them.
if [ "${B8G_FUZZ:-$([ "$BUILD" = build ] && echo 1)}" = 1 ]; then
    run_counted fuzz "$LOG/fuzz.log" env BUILD="$BUILD" FUZZ_LOG_DIR="$LOG/fuzz" \
        tests/fuzz/run.sh "${FUZZ_TIME:-15}"
    run_counted diff "$LOG/diff.log" env BUILD="$BUILD" tests/diff/run.sh "${DIFF_COUNT:-300}"
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
