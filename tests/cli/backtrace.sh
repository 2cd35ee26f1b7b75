#!/usr/bin/env bash
# tests/cli/backtrace.sh - source locations in b8g run's backtraces: C
# programs built with -g that trap (out-of-bounds load, division by zero,
# abort, __builtin_trap/__builtin_unreachable, stack exhaustion) or are
# stopped (--fuel, --timeout) must show the right functions at the right
# source lines, inlined calls included (-O2); a module without DWARF must
# print the plain backtrace, and one whose DWARF is damaged a backtrace
# without (or with less) source info and the trap's exit status.
#
#   BUILD=build tests/cli/backtrace.sh
#
# Fixtures (tests/backtrace/*.c) are built here with clang for wasm32-wasi.
# Expected lines are not written down: each faulting or calling line has a
# marker comment (/* trap: divide */, /* call: divide */, ...) and the line
# number is found with grep, so editing a fixture cannot silently break a
# check.  Last line: "backtrace: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/backtrace
SRC=tests/backtrace
WASI_CC=${WASI_CC:-clang}
SUITE=backtrace
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
rm -rf "$W" && mkdir -p "$W" || exit 1

# build NAME SOURCE FLAGS...: compiled, then linked without -O, because
# clang runs wasm-opt (binaryen) after an optimising link, which drops the
# DWARF.
build() {
    local name=$1 src=$2
    shift 2
    "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -Wall -Wextra "$@" \
        -c -o "$W/$name.o" "$SRC/$src" &&
        "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -o "$W/$name.wasm" "$W/$name.o"
}
build_fixtures() {
    local c
    for c in divide oob abort unreachable recurse spin; do
        build "$c" "$c.c" -g -O0 || return 1
    done
    build divide5 divide.c -gdwarf-5 -O0 &&
        build inline inline.c -g -O2 &&
        build inline5 inline.c -gdwarf-5 -O2 &&
        build divide_nog divide.c -O0 &&
        python3 "$SRC/dwarfedit.py" "$W/divide.wasm" "$W/divide_strip.wasm" strip
}
if ! build_fixtures >"$W/build.log" 2>&1; then
    fail setup "cannot build the fixtures" "$W/build.log"
    finish
fi

# marker FILE TAG: the line number of the one line of FILE marked /* TAG */.
marker() {
    local lines
    lines=$(grep -n "/\* $2 \*/" "$SRC/$1" | cut -d: -f1)
    if [ "$(printf '%s\n' "$lines" | grep -c .)" != 1 ]; then
        echo "no single /* $2 */ in $1" >&2
        echo 0
        return
    fi
    echo "$lines"
}

# run CASE ARGS...: b8g run ARGS, its stderr in $W/CASE.err, status in RC.
run() {
    local case=$1
    shift
    RC=0
    timeout 60 "$B8G" run "$@" >"$W/$case.out" 2>"$W/$case.err" </dev/null || RC=$?
}

# status CASE WANT TEXT: exit status WANT and TEXT in the first line.
status() {
    if [ "$RC" != "$2" ]; then
        fail "$1" "exit status $RC, expected $2" "$W/$1.err"
    elif ! head -n 1 "$W/$1.err" | grep -qF "b8g: $3"; then
        fail "$1" "first line is not 'b8g: $3...'" "$W/$1.err"
    else
        ok
    fi
}

# A location FILE:LINE[:COLUMN] ending in the fixture's name, as a regex.
loc_re() {
    local file=${1//./\\.}
    echo "([^ ()]*/)?$file:$2(:[0-9]+)?"
}

# frame CASE N FUNC FILE LINE: frame #N is function FUNC; at FILE:LINE,
# or with no source location at all when LINE is empty.
frame() {
    local case=$1 n=$2 func=$3 file=$4 line=$5 got re
    got=$(grep -E "^  #$n func " "$W/$case.err" | head -n 1)
    re="^  #$n func [0-9]+ \"$func\"( at offset 0x[0-9a-f]+)?"
    if [ -n "$line" ]; then re="$re \\($(loc_re "$file" "$line")\\)\$"; else re="$re\$"; fi
    if [[ $got =~ $re ]]; then ok; else fail "$case" "frame #$n: want $func at $file:${line:-(none)}, got '$got'" "$W/$case.err"; fi
}

# line CASE K REGEX: line K of stderr matches REGEX (whole line).
line() {
    local got
    got=$(sed -n "$2p" "$W/$1.err")
    if [[ $got =~ ^$3$ ]]; then ok; else fail "$1" "line $2: want /$3/, got '$got'" "$W/$1.err"; fi
}

# ---- traps in -O0 code ---------------------------------------------------

for v in divide divide5; do
    run "$v" "$W/$v.wasm"
    status "$v" 7 "trap: integer divide by zero"
    frame "$v" 0 divide divide.c "$(marker divide.c 'trap: divide')"
    frame "$v" 1 main divide.c "$(marker divide.c 'call: divide')"
done

# A guard-page fault names its instruction too: the interpreter finds its
# pc among the registers the fault handler saved, so frame #0 has its
# offset and line as with explicit bounds checks.  Where the registers
# leave two instructions possible (this fixture's two loads in a row, as
# clang's build keeps the pc), or pc lives on the stack (a sanitizer
# build), frame #0 lacks both, and the function and the caller's line are
# what is checked; the default build must name the line.
run oob "$W/oob.wasm"
status oob 7 "trap: out of bounds memory access"
case $BUILD in
build-san | build-clang) if grep -qE '^  #0 func .* at offset' "$W/oob.err"; then
        frame oob 0 load oob.c "$(marker oob.c 'trap: load')"
    else
        frame oob 0 load oob.c ""
    fi ;;
*) frame oob 0 load oob.c "$(marker oob.c 'trap: load')" ;;
esac
frame oob 1 main oob.c "$(marker oob.c 'call: load')"

run abort "$W/abort.wasm"
status abort 7 "trap: unreachable"
if grep -qE '^  #0 func [0-9]+ "abort"' "$W/abort.err"; then ok; else fail abort "frame #0 is not abort" "$W/abort.err"; fi
frame abort 1 give_up abort.c "$(marker abort.c 'call: abort')"
frame abort 2 main abort.c "$(marker abort.c 'call: give_up')"

run builtin_trap "$W/unreachable.wasm" x
status builtin_trap 7 "trap: unreachable"
frame builtin_trap 0 never unreachable.c "$(marker unreachable.c 'trap: builtin_trap')"
frame builtin_trap 1 main unreachable.c "$(marker unreachable.c 'call: never')"
run builtin_unreachable "$W/unreachable.wasm"
status builtin_unreachable 7 "trap: unreachable"
frame builtin_unreachable 0 never unreachable.c "$(marker unreachable.c 'trap: builtin_unreachable')"
frame builtin_unreachable 1 main unreachable.c "$(marker unreachable.c 'call: never')"

run recurse --max-stack 64K "$W/recurse.wasm"
status recurse 7 "trap: call stack exhausted"
frame recurse 0 down recurse.c "$(marker recurse.c 'trap: down')"
frame recurse 1 down recurse.c "$(marker recurse.c 'trap: down')"
if grep -qE '^  \.\.\. [0-9]+ more identical frames$' "$W/recurse.err"; then ok; else fail recurse "repeated frames not counted" "$W/recurse.err"; fi

# ---- limits ----------------------------------------------------------------

run fuel --fuel 100000 "$W/spin.wasm"
status fuel 8 "limit exceeded: out of fuel"
frame fuel 0 spin spin.c "$(marker spin.c 'stop: spin')"
frame fuel 1 main spin.c "$(marker spin.c 'call: spin')"

run timeout --timeout 200ms "$W/spin.wasm"
status timeout 8 "limit exceeded: interrupted: timeout"
frame timeout 0 spin spin.c "$(marker spin.c 'stop: spin')"
frame timeout 1 main spin.c "$(marker spin.c 'call: spin')"

# ---- inlined calls (-O2) -----------------------------------------------------

for v in inline inline5; do
    run "$v" "$W/$v.wasm"
    status "$v" 7 "trap: integer divide by zero"
    line "$v" 2 "  #0 inlined \"ratio\" at $(loc_re inline.c "$(marker inline.c 'trap: ratio')")"
    line "$v" 3 "  #0 inlined \"scale\" at $(loc_re inline.c "$(marker inline.c 'call: ratio')")"
    line "$v" 4 "  #0 func [0-9]+ \"main\" at offset 0x[0-9a-f]+ \\($(loc_re inline.c "$(marker inline.c 'call: scale')")\\)"
    line "$v" 5 "  #1 func [0-9]+ \"__main_void\".*"
done

# ---- without DWARF -----------------------------------------------------------

# Without -g the program's own functions have no DWARF (wasi-libc's may).
run nog "$W/divide_nog.wasm"
status nog 7 "trap: integer divide by zero"
frame nog 0 divide divide.c ""
frame nog 1 main divide.c ""

# With no DWARF at all, every frame reads as it always did.
run strip "$W/divide_strip.wasm"
status strip 7 "trap: integer divide by zero"
if tail -n +2 "$W/strip.err" | grep -vqE '^  #[0-9]+ func [0-9]+( "[^"]*")?( at offset 0x[0-9a-f]+)?$'; then
    fail strip "a frame is not in the plain format" "$W/strip.err"
else
    ok
fi

# ---- damaged DWARF -------------------------------------------------------------

# damaged CASE ACTION...: DWARF edited by dwarfedit.py; the trap is still
# reported, with its backtrace and exit status; sets $W/CASE.err.
damaged() {
    local case=$1
    shift
    if ! python3 "$SRC/dwarfedit.py" "$W/divide.wasm" "$W/$case.wasm" "$@" 2>"$W/$case.err"; then
        fail "$case" "dwarfedit failed" "$W/$case.err"
        return 1
    fi
    run "$case" "$W/$case.wasm"
    status "$case" 7 "trap: integer divide by zero"
}

# No line table (or no compile units to find them by): no source lines.
for edit in "truncate .debug_line 10" "truncate .debug_line 0" "fill .debug_line 0xff" \
    "fill .debug_info 0xff" "truncate .debug_abbrev 3"; do
    case=$(echo "$edit" | tr -c 'a-z0-9\n' '_')
    # shellcheck disable=SC2086 # the edit is several words
    damaged "$case" $edit || continue
    frame "$case" 0 divide divide.c ""
    frame "$case" 1 main divide.c ""
done

# Damage anywhere: whatever is left, the frames are there.
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
    damaged "mutate_$seed" mutate "$seed" $((seed * 150)) || continue
    if grep -qE '^  #0 func [0-9]+ "divide"' "$W/mutate_$seed.err" &&
        grep -qE '^  #1 func [0-9]+ "main"' "$W/mutate_$seed.err"; then
        ok
    else
        fail "mutate_$seed" "frames missing" "$W/mutate_$seed.err"
    fi
done

finish
