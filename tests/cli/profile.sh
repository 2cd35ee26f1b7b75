#!/usr/bin/env bash
# tests/cli/profile.sh - `b8g run --profile`, `--profile-wall` and
# `--profile-period` (docs/profile.md): folded stacks in the documented
# form, two functions doing known amounts of work in the right
# proportions (within 5%), the table on stderr, profiles of runs that
# trap or run out of fuel, and bad options and files refused.
#
#   BUILD=build tests/cli/profile.sh
#
# Last line: "profile: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/profile
SUITE=profile
. tests/cli/lib.sh

rm -rf "$W" && mkdir -p "$W" || exit 1
if [ ! -x "$B8G" ] || ! wat2wasm --debug-names tests/profile/work.wat -o "$W/work.wasm"; then
    fail setup "cannot build b8g or the fixture"
    finish
fi

# run NAME WANT-STATUS B8G-ARGS...: stdout and stderr in $W/NAME.{out,err}
run() {
    local name=$1 want=$2 rc=0
    shift 2
    timeout 120 "$B8G" "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
        sed 's/^/  | /' "$W/$name.err" | head -n 20
        return 1
    fi
    ok
}

# folded_ok NAME FILE: every line is "frame;...;frame COUNT", COUNT > 0
folded_ok() {
    if [ -s "$2" ] && ! grep -qvE '^[^ ;]+(;[^ ;]+)* [1-9][0-9]*$' "$2"; then ok
    else fail "$1" "not folded stacks: $(head -c 300 "$2")"; fi
}

# share FILE STACK: STACK's count as a fraction of the file's total
share() {
    awk -v s="$2" '{ n = $NF; t += n; if ($1 == s) v += n } END { if (t) printf "%.4f", v / t; else print 0 }' "$1"
}

# near NAME GOT WANT: within 5% of WANT
near() {
    if awk -v g="$2" -v w="$3" 'BEGIN { exit !(g >= w * 0.95 && g <= w * 1.05) }'; then ok
    else fail "$1" "$2 is not within 5% of $3"; fi
}

# ---- known work -----------------------------------------------------------------
if run known 0 run --profile="$W/units.folded" --profile-wall="$W/wall.folded" \
    --invoke main "$W/work.wasm" 2000000; then
    folded_ok known-units-form "$W/units.folded"
    folded_ok known-wall-form "$W/wall.folded"
    near known-heavy "$(share "$W/units.folded" "main;heavy")" 0.75
    near known-light "$(share "$W/units.folded" "main;light")" 0.25
    total=$(awk '{ t += $NF } END { print t }' "$W/units.folded")
    near known-total "$total" 8000000
    # The table: a header, then heavy first with 75% of the self cost.
    if grep -q '^b8g: profile: [0-9]* fuel units, [0-9.]* s sampled; top 3 of 3 functions' "$W/known.err"; then ok
    else fail known-table-header "$(head -n 2 "$W/known.err")"; fi
    first=$(sed -n 3p "$W/known.err")
    if [[ $first =~ ^\ +7[45]\.[0-9][0-9]\ +7[45]\.[0-9][0-9]\ .*\ heavy$ ]]; then ok
    else fail known-table-first "$first"; fi
    if grep -qE '^ +0\.00 +100\.00 .* main$' "$W/known.err"; then ok
    else fail known-table-main "$(cat "$W/known.err")"; fi
    # Nothing on stdout but the guest's (no results here).
    if [ ! -s "$W/known.out" ]; then ok; else fail known-stdout "$(cat "$W/known.out")"; fi
fi

# ---- wall time only -------------------------------------------------------------------
if run wall-only 0 run --profile="$W/wo.folded" --profile-wall="$W/wo.wall" \
    --profile-period=0 --invoke main "$W/work.wasm" 2000000; then
    if [ ! -s "$W/wo.folded" ]; then ok; else fail wall-only-units "units were counted"; fi
    folded_ok wall-only-form "$W/wo.wall"
    if grep -q '^b8g: profile: 0 fuel units' "$W/wall-only.err"; then ok
    else fail wall-only-table "$(head -n 1 "$W/wall-only.err")"; fi
fi

# ---- runs that do not return ------------------------------------------------------
if run trapped 7 run --profile="$W/trap.folded" --invoke main "$W/work.wasm" 200001; then
    folded_ok trapped-form "$W/trap.folded"
    if grep -q "unreachable" "$W/trapped.err" && grep -q "^b8g: profile:" "$W/trapped.err"; then ok
    else fail trapped-report "$(cat "$W/trapped.err")"; fi
fi
if run fuel 8 run --fuel 100000 --profile="$W/fuel.folded" --invoke main "$W/work.wasm" 2000000; then
    total=$(awk '{ t += $NF } END { print t }' "$W/fuel.folded")
    if [ "$total" = 100000 ]; then ok; else fail fuel-total "$total units, expected 100000"; fi
fi

# ---- refused ---------------------------------------------------------------------------
run bad-period 2 run --profile-period=lots --profile="$W/x" --invoke main "$W/work.wasm" 1 &&
    { grep -q "profile-period" "$W/bad-period.err" && ok || fail bad-period-msg "$(cat "$W/bad-period.err")"; }
run empty-file 2 run --profile= --invoke main "$W/work.wasm" 1
run unwritable 11 run --profile="$W/no/such/dir/p" --invoke main "$W/work.wasm" 1 &&
    { grep -q "cannot open the profile" "$W/unwritable.err" && ok || fail unwritable-msg "$(cat "$W/unwritable.err")"; }
# Without --profile nothing extra is printed.
run plain 0 run --invoke main "$W/work.wasm" 1000 &&
    { [ ! -s "$W/plain.err" ] && ok || fail plain-stderr "$(cat "$W/plain.err")"; }
finish
