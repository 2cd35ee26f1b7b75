#!/usr/bin/env bash
# bench/yardstick.sh - the shared yardstick (../shared/bench/run.sh): twelve
# C kernels run natively, by `b8g run` and by Node's WASI, interleaved in
# one run, as ratios to native.  Skipped with a note when ../shared/bench
# is not beside the checkout.
#
#   BUILD=build bench/yardstick.sh      RUNS=5 ONLY=fib,vm to narrow it
#   FUEL_COST=1 bench/yardstick.sh      adds the cost of metering: b8g with
#       a --fuel limit, and a build without safe-point counting at all
#       (-DB8G_BENCH_UNMETERED in build-unmetered; measuring only: it has
#       no fuel and cannot be interrupted)
#   PROFILE_COST=1 bench/yardstick.sh   adds the cost of profiling: b8g
#       with --profile (fuel units at the default period, and wall time)
#       and with wall-time sampling alone (--profile-period 0)
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
SHARED=${SHARED:-../shared/bench}

if [ ! -x "$SHARED/run.sh" ]; then
    echo "yardstick: $SHARED/run.sh not found; skipped (see ../shared/bench/README.md)"
    exit 0
fi
[ -x "$BUILD/b8g" ] || { echo "yardstick: $BUILD/b8g is missing (run make first)" >&2; exit 1; }

engines=(--engine "$PWD/$BUILD/b8g run" --engine "$SHARED/engines/node-wasi")
if [ "${FUEL_COST:-0}" = 1 ]; then
    make --no-print-directory -s BUILD=build-unmetered \
        EXTRA_CFLAGS=-DB8G_BENCH_UNMETERED build-unmetered/b8g || exit 1
    engines+=(--engine "$PWD/$BUILD/b8g run --fuel 1000000000000000"
              --engine "$PWD/build-unmetered/b8g run")
fi
if [ "${PROFILE_COST:-0}" = 1 ]; then
    engines+=(--engine "$PWD/$BUILD/b8g run --profile /dev/null"
              --engine "$PWD/$BUILD/b8g run --profile-period 0 --profile-wall /dev/null")
fi
only=()
[ -n "${ONLY:-}" ] && only=(--only "$ONLY")
exec "$SHARED/run.sh" "${engines[@]}" --runs "$RUNS" "${only[@]}"
