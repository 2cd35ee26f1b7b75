#!/bin/sh
# test.sh - installs what is missing, then runs every suite in four builds:
# the normal one (make test), ASan+UBSan (make san), clang (make clang) and
# explicit bounds checks with switch dispatch (make portable), and the unit
# tests under ThreadSanitizer (make tsan).  The last line
# sums them all: "N passed, N failed".  A build that fails before its tests
# report counts as one failure.
cd "$(dirname "$0")" || exit 1
. tests/deps.sh
deps_ensure || exit 1
mkdir -p build || exit 1

passed=0
failed=0
for target in test san clang tsan portable; do
    log=build/make-$target.log
    make "$target" 2>&1 | tee "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "test.sh: make $target produced no totals (see $log)"
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
    failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
