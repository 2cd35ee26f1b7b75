#!/usr/bin/env bash
# tests/cli/debug.sh - b8g debug, driven by --batch scripts and once
# through tmux as a person types: every command (break on a function, a
# file:line, a line, an offset; delete; continue; step; next; stepi;
# finish; backtrace; frame/up/down; info locals/wasm/globals/breakpoints/
# frame; print of C variables, wasm locals, globals and typed memory; x;
# watch; quit), C variables of every kind from DWARF 4 and 5 and from
# damaged DWARF, a trap stopping in the debugger, the end of the script,
# and bad input (unknown commands, missing functions and lines,
# out-of-range values and memory, an image, a non-module, a missing
# --batch file).
#
#   BUILD=build tests/cli/debug.sh
#
# Fixtures: tests/debug/prog.c (clang -g -O0) and tests/debug/values.wat.
# Source lines are found by their /* @tag */ markers, never written down.
# Last line: "debug: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/debug
SRC=tests/debug
WASI_CC=${WASI_CC:-clang}
SUITE=debug
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
rm -rf "$W" && mkdir -p "$W" || exit 1
if ! { "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -g -O0 -o "$W/prog.wasm" "$SRC/prog.c" &&
    "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -gdwarf-5 -O0 -o "$W/prog5.wasm" "$SRC/prog.c" &&
    wat2wasm --debug-names "$SRC/values.wat" -o "$W/values.wasm"; } >"$W/build.log" 2>&1; then
    fail setup "cannot build the fixtures" "$W/build.log"
    finish
fi

# at TAG: the line of prog.c marked /* @TAG */.
at() { grep -n "/\* @$1 \*/" "$SRC/prog.c" | cut -d: -f1; }
L_SQUARE=$(at square) L_LOOP=$(at loop) L_RETURN=$(at return)
L_DIVIDE=$(at divide) L_CALL=$(at call) L_INNER=$(at inner) L_DESCRIBE=$(at describe)

# debug CASE SCRIPT ARGS...: b8g debug --batch with SCRIPT's text; output
# in $W/CASE.out and .err, exit status in RC.
debug() {
    local case=$1
    printf '%s\n' "$2" >"$W/$case.cmd"
    shift 2
    RC=0
    timeout 60 "$B8G" debug --batch "$W/$case.cmd" "$@" >"$W/$case.out" 2>"$W/$case.err" \
        </dev/null || RC=$?
}

# has CASE REGEX [COUNT]: stdout has a line matching REGEX (COUNT times).
has() {
    local n
    n=$(grep -cE -- "$2" "$W/$1.out")
    if [ -n "${3:-}" ] && [ "$n" != "$3" ]; then
        fail "$1" "/$2/ $n times, expected $3" "$W/$1.out"
    elif [ "$n" = 0 ]; then
        fail "$1" "no line matches /$2/" "$W/$1.out"
    else
        ok
    fi
}
hasnt() {
    if grep -qE -- "$2" "$W/$1.out"; then fail "$1" "unexpected /$2/" "$W/$1.out"; else ok; fi
}
# after CASE CMD REGEX [N]: the line right after the (Nth) echo of CMD
# matches.
after() {
    local got
    got=$(grep -A1 -xF -- "(b8g) $2" "$W/$1.out" | grep -v '^--$' | sed -n "$((${4:-1} * 2))p")
    if [[ $got =~ $3 ]]; then ok; else fail "$1" "after '$2': want /$3/, got '$got'" "$W/$1.out"; fi
}
# shows CASE CMD REGEX [N]: a line of what the (Nth) CMD printed, up to
# the next command, matches.
section() {
    awk -v cmd="(b8g) $2" -v n="${3:-1}" '
        $0 == cmd { k++; on = k == n; next }
        /^\(b8g\) / { on = 0 }
        on' "$W/$1.out"
}
shows() {
    if section "$1" "$2" "${4:-1}" | grep -qE -- "$3"; then
        ok
    else
        fail "$1" "'$2' (${4:-1}) shows no /$3/" "$W/$1.out"
    fi
}
status() {
    if [ "$RC" = "$2" ]; then ok; else fail "$1" "exit status $RC, expected $2" "$W/$1.err"; fi
}
# A stop line at FUNC and prog.c:LINE.
stop_re() { echo "func [0-9]+ \"$1\" at offset 0x[0-9a-f]+ \\(([^ ()]*/)?prog\\.c:$2(:[0-9]+)?\\)\$"; }

# ---- breakpoints, continue, backtrace, the program's own output ---------

debug bt "break square
info breakpoints
continue
backtrace
continue
continue
continue" "$W/prog.wasm"
has bt '^stopped at the first instruction$'
has bt '^breakpoint 1 at func [0-9]+ "square", offset 0x[0-9a-f]+$'
after bt "info breakpoints" '^breakpoint 1: square at offset 0x[0-9a-f]+, hit 0 times$'
has bt "^breakpoint 1, $(stop_re square "[0-9]+")" 3
has bt "^  #0 func [0-9]+ \"square\""
has bt "^  #1 $(stop_re sum_squares "$L_LOOP")"
has bt "^  #2 $(stop_re main "$L_CALL")"
has bt '^sum 14 counter 21$'
has bt '^the program finished after [0-9]+ instructions$'
status bt 0

# ---- a line breakpoint fires each time the line is reached --------------

debug line "break prog.c:$L_LOOP
continue
continue
continue
info breakpoints
continue" "$W/prog.wasm"
has line "^breakpoint 1 at ([^ ]*/)?prog\\.c:$L_LOOP\$"
# once per iteration, not at each instruction of the line, and not again
# when the call on it returns
has line "^breakpoint 1, $(stop_re sum_squares "$L_LOOP")" 3
after line "info breakpoints" "^breakpoint 1: prog\\.c:$L_LOOP, hit 3 times$"
has line '^sum 14 counter 21$'

# LINE alone: the file of the frame the debugger is in
debug line_only "break square
continue
break $L_RETURN
delete 1
continue
continue" "$W/prog.wasm"
has line_only "^breakpoint 2 at ([^ ]*/)?prog\\.c:$L_RETURN\$"
after line_only "delete 1" '^deleted breakpoint 1$'
has line_only "^breakpoint 2, $(stop_re sum_squares "$L_RETURN")" 1
has line_only '^sum 14 counter 21$'

# *OFFSET: the offset a function breakpoint reported
off=$(grep -oE 'breakpoint 1 at func [0-9]+ "divide", offset (0x[0-9a-f]+)' \
    <("$B8G" debug --batch <(printf 'break divide\n') "$W/prog.wasm" 2>/dev/null) |
    grep -oE '0x[0-9a-f]+$')
debug offset "break *$off
continue
continue" "$W/prog.wasm" 7
has offset "^breakpoint 1 at offset $off in func [0-9]+\$"
has offset "^breakpoint 1, func [0-9]+ \"divide\" at offset $off "
has offset '^quotient 2$'

# ---- step, next, finish, stepi ------------------------------------------

debug steps "break prog.c:$L_LOOP
continue
step
finish
next
next
stepi
stepi 3
up
down
frame 2
frame 1
frame 0
delete
finish
quit" "$W/prog.wasm"
after steps step "^at $(stop_re square "[0-9]+")"
after steps finish "^at $(stop_re sum_squares "$L_LOOP")"
# next stays in the frame: never in square
after steps next "^(at|breakpoint 1,) $(stop_re sum_squares "[0-9]+")"
after steps next "^(at|breakpoint 1,) $(stop_re sum_squares "[0-9]+")" 2
after steps stepi '^at func [0-9]+ "sum_squares" at offset 0x[0-9a-f]+'
after steps "stepi 3" '^at func [0-9]+ "sum_squares" at offset 0x[0-9a-f]+'
after steps up "^#1 $(stop_re main "$L_CALL")"
after steps down '^#0 func [0-9]+ "sum_squares"'
after steps "frame 2" '^#2 func [0-9]+ "__main_void" at offset 0x[0-9a-f]+$'
after steps "frame 1" "^#1 $(stop_re main "$L_CALL")"
# finish: until the selected frame returns, to the caller's line
after steps finish "^at $(stop_re main "$L_CALL")" 2
status steps 0
if grep -q '^b8g: the program was ended by the debugger$' "$W/steps.err"; then ok; else fail steps "quit not reported" "$W/steps.err"; fi
hasnt steps '^sum 14'

# finish with a caller selected: until that caller returns
debug frame_finish "break square
continue
frame 1
delete
finish
quit" "$W/prog.wasm"
after frame_finish finish "^at $(stop_re main "$L_CALL")"

# stepi offsets: each one instruction on
debug stepi "break mix
continue
stepi
stepi
stepi 2" --invoke run "$W/values.wasm"
o1=$(grep -A1 -xF "(b8g) continue" "$W/stepi.out" | grep -oE 'offset 0x[0-9a-f]+' | head -n 1)
o2=$(grep -A1 -xF "(b8g) stepi" "$W/stepi.out" | grep -oE 'offset 0x[0-9a-f]+' | sed -n 1p)
o3=$(grep -A1 -xF "(b8g) stepi" "$W/stepi.out" | grep -oE 'offset 0x[0-9a-f]+' | sed -n 2p)
o5=$(grep -A1 -xF "(b8g) stepi 2" "$W/stepi.out" | grep -oE 'offset 0x[0-9a-f]+')
# local.get (2 bytes), local.get (2), i32.wrap_i64 (1), i32.add (1)
if [ -n "$o1" ] && [ "$((${o2#offset }))" = "$((${o1#offset } + 2))" ] &&
    [ "$((${o3#offset }))" = "$((${o1#offset } + 4))" ] &&
    [ "$((${o5#offset }))" = "$((${o1#offset } + 6))" ]; then
    ok
else
    fail stepi "offsets $o1 $o2 $o3 $o5" "$W/stepi.out"
fi

# ---- values: locals, globals, memory, watch -----------------------------

debug values 'break mix
continue
info frame
info locals
stepi 4
print $3
stepi
print $3
print $1
print $9
info globals
print $g1
print $g7
x 16 5
print u8 16
print i16 16
print i32 16
print f32 $0
print i32 70000
x 70000
x 65530 100
watch 32
info watch
continue
print i32 32
continue
continue' --invoke run "$W/values.wasm"
after values "info frame" '^#0 func 0 "mix" at offset 0x[0-9a-f]+$'
after values "info locals" '^\$0 \(param\) i32 = 7 \(0x7\)$'
has values '^\$1 \(param\) i64 = -3 \(0xfffffffffffffffd\)$'
has values '^\$2 \(param\) f64 = 1\.5$'
has values '^\$3 \(local\) i32 = 0 \(0x0\)$'
# before local.set the local still holds 0, after it 4
after values "stepi 4" '^at func 0 "mix" at offset 0x[0-9a-f]+$'
after values 'print $3' '^\$3 \(local\) i32 = [04] \(0x[04]\)$'
has values '^\$3 \(local\) i32 = 4 \(0x4\)$' 1
after values 'print $9' '^no local 9 \(the frame has 4\)$'
after values "info globals" '^\$g0 \(mut\) i32 = 42 \(0x2a\)$'
has values '^\$g1 \(const\) f64 = 2\.5$' 2
after values 'print $g7' '^no global 7$'
after values "x 16 5" '^0x00000010: 68 65 6c 6c 6f +hello$'
after values "print u8 16" '^u8 at 0x10: i32 = 104 \(0x68\)$'
after values "print i16 16" '^i16 at 0x10: i32 = 25960 \(0x6568\)$'
after values "print i32 16" '^i32 at 0x10: i32 = 1819043176 \(0x6c6c6568\)$'
after values 'print f32 $0' '^f32 at 0x7: f32 = '
after values "print i32 70000" '^0x11170 is outside the memory \(65536 bytes\)$'
after values "x 70000" '^0x11170 is outside the memory \(65536 bytes\)$'
has values '^0x0000fffa: 00 00 00 00 00 00  +\.\.\.\.\.\.$'
after values "watch 32" '^watch 2: 0x20, 4 bytes$'
after values "info watch" '^breakpoint 1: mix at offset'
after values continue '^breakpoint 1, func 0 "mix"'
has values '^watch 2: 0x20 \(4 bytes\): 0x0 -> 0x4$' 1
has values '^watch 2: 0x20 \(4 bytes\): 0x4 -> 0x68$' 1
after values "print i32 32" '^i32 at 0x20: i32 = 4 \(0x4\)$'
has values '^5$'
status values 0

# ---- C variables (DWARF) --------------------------------------------------

# the second time round sum_squares' loop: i is 2, total square(1)
debug vars "break prog.c:$L_LOOP
continue
continue
info locals
print counter
print total
print i
print nosuch
info globals
info wasm
up
info locals
print argv
frame 0
delete
break $L_INNER
break $L_DESCRIBE
continue
info locals
print depth
continue
info locals
print label
print tag
print at
print corners
print m
print p
print greeting
print primes
print counter
finish
print origin
print depth
continue" "$W/prog.wasm"
shows vars "info locals" '^n \(param\) int = 3$'
shows vars "info locals" '^total int = 1$'
shows vars "info locals" '^i int = 2$'
# params, then locals from the innermost block out
if [ "$(section vars "info locals" | cut -d' ' -f1 | tr '\n' ' ')" = "n i total " ]; then
    ok
else
    fail vars "order of info locals: $(section vars "info locals" | tr '\n' '|')" "$W/vars.out"
fi
after vars "print counter" '^counter int = 7$'
after vars "print total" '^total int = 1$'
after vars "print i" '^i int = 2$'
after vars "print nosuch" '^no variable nosuch here'
shows vars "info globals" '^counter int = 7$'
shows vars "info globals" '^greeting const char \* = 0x[0-9a-f]+ "hi \\"you\\"\\n"$'
# 12 primes, the first 10 shown
shows vars "info globals" '^primes int \[12\] = \{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, \.\.\.\}$'
shows vars "info globals" '^wasm globals:$'
shows vars "info globals" '^\$g0 \(mut\) i32 = '
# C globals first, then the wasm ones under their heading
if [ "$(section vars "info globals" | grep -nE '^(counter|wasm globals:)' | cut -d: -f2- | tr '\n' ' ')" = "counter int = 7 wasm globals: " ]; then
    ok
else
    fail vars "order of info globals" "$W/vars.out"
fi
shows vars "info wasm" '^\$0 \(param\) i32 = 3 \(0x3\)$'
shows vars "info locals" '^argc \(param\) int = 1$' 2
shows vars "info locals" '^argv \(param\) char \*\* = 0x[0-9a-f]+$' 2
shows vars "info locals" '^origin struct point = ' 2
after vars "print argv" '^argv \(param\) char \*\* = 0x[0-9a-f]+$'
# an inner block's depth hides the function's: listed first, printed
shows vars "info locals" '^depth int = 2$' 3
shows vars "info locals" '^depth int = 1$' 3
if [ "$(section vars "info locals" 3 | grep '^depth' | tr '\n' ' ')" = "depth int = 2 depth int = 1 " ]; then
    ok
else
    fail vars "shadowed depth: $(section vars "info locals" 3 | tr '\n' '|')" "$W/vars.out"
fi
after vars "print depth" '^depth int = 2$'
# after the block: one depth, and the tag it wrote
shows vars "info locals" '^tag char \[8\] = "pt2"$' 4
if [ "$(section vars "info locals" 4 | grep -c '^depth')" = 1 ]; then ok; else fail vars "depth after its block" "$W/vars.out"; fi
after vars "print label" '^label \(param\) const char \* = 0x[0-9a-f]+ "hi \\"you\\"\\n"$'
after vars "print tag" '^tag char \[8\] = "pt2"$'
after vars "print at" '^at struct point \* = 0x[0-9a-f]+$'
after vars "print corners" '^corners int \[3\] = \{14, -1, 4\}$'
after vars "print m" '^m \(param\) enum mode = LOUD \(4\)$'
after vars "print p" '^p \(param\) struct point = \{x = 14, y = -1\}$'
after vars "print greeting" '^greeting const char \* = 0x[0-9a-f]+ "hi '
after vars "print primes" '^primes int \[12\] = \{2, 3, '
after vars "print counter" '^counter int = 21$' 2
after vars "print origin" '^origin struct point = \{x = 14, y = -1\}$'
after vars "print depth" '^no variable depth here' 2
has vars '^sum 14 counter 21$'
status vars 0

# DWARF 5 (strx, addrx, rnglists, DW_OP_addrx): the same session, the
# same text (but heap addresses: argv[0], the path, is one byte longer)
debug vars5 "$(cat "$W/vars.cmd")" "$W/prog5.wasm"
if diff <(sed -E 's/0x1[0-9a-f]{4}\b/HEAP/' "$W/vars.out") \
    <(sed -E 's/0x1[0-9a-f]{4}\b/HEAP/' "$W/vars5.out") >"$W/vars5.diff"; then
    ok
else
    fail vars5 "differs from DWARF 4" "$W/vars5.diff"
fi

# at a function's first instruction its frame is not set up: no values
# from it (p, passed by address in a wasm local, has one); without DWARF
# info locals shows the wasm locals
debug entry "break describe
continue
info locals
print label
continue" "$W/prog.wasm"
after entry "print label" '^label \(param\) const char \* = <frame not set up yet>$'
shows entry "info locals" '^p \(param\) struct point = \{x = 14, y = -1\}$'
debug wasm_locals "break mix
continue
info locals
print nosuch
info globals" --invoke run "$W/values.wasm"
shows wasm_locals "info locals" '^\$0 \(param\) i32 = 7 \(0x7\)$'
after wasm_locals "print nosuch" '^no variable nosuch here'
hasnt wasm_locals '^wasm globals:$'

# damaged DWARF: fewer variables or none, never a crash.  The bytes
# changed are in the first units of .debug_info, prog.c's among them
# (crt1's comes first), so that they hit its variables and types.
mutate_units() { # IN OUT SEED COUNT
    python3 - "$@" <<'EOF'
import random, sys
sys.path.insert(0, 'tests/backtrace')
from dwarfedit import sections, build
src, dst, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
secs = sections(open(src, 'rb').read())
info = next(s for s in secs if s[1] == '.debug_info')[2]
end = 0
for _ in range(4):
    end += 4 + int.from_bytes(info[end:end + 4], 'little')
rng = random.Random(seed)
for _ in range(count):
    at = rng.randrange(min(end, len(info)))
    info[at] = rng.choice([0, 0xff, rng.randrange(256), info[at] ^ 0x80])
open(dst, 'wb').write(build(secs))
EOF
}
for seed in $(seq 1 16); do
    if ! mutate_units "$W/prog.wasm" "$W/mut$seed.wasm" "$seed" 3 2>"$W/mut$seed.err"; then
        fail "mut$seed" "cannot damage the DWARF" "$W/mut$seed.err"
        continue
    fi
    debug "mut$seed" "break square
continue
info locals
up
info locals
print n
print total
info globals
up
info locals
print p
print primes" "$W/mut$seed.wasm"
    has "mut$seed" '^\(end of the commands: the program is ended\)$'
    status "mut$seed" 0
done

# ---- a trap stops in the debugger, then ends the program ----------------

debug trap "continue
backtrace
info locals
continue" "$W/prog.wasm" 0
has trap '^trapped: integer divide by zero$'
has trap "^at $(stop_re divide "$L_DIVIDE")"
has trap "^  #0 $(stop_re divide "$L_DIVIDE")"
has trap "^  #1 func [0-9]+ \"main\""
status trap 7
if grep -q '^b8g: trap: integer divide by zero' "$W/trap.err"; then ok; else fail trap "no trap report" "$W/trap.err"; fi

# ---- the end of the script ends the program -----------------------------

debug eof "break square" "$W/prog.wasm"
has eof '^\(end of the commands: the program is ended\)$'
hasnt eof '^sum '
status eof 0

# ---- help, comments and mistakes ----------------------------------------

debug bad "help
# a comment
bogus
break nosuch
break prog.c:100000
break nosuch.c:3
break *0x1
break
delete 99
frame 99
watch 16 3
watch
x
print
print \$x
print i32
info nothing
continue" "$W/prog.wasm"
has bad '^break FUNC \| break FILE:LINE'
hasnt bad 'a comment'
after bad bogus "^unknown command: bogus \\('help' lists them\\)$"
after bad "break nosuch" '^no function nosuch in the module$'
after bad "break prog.c:100000" '^no code at prog\.c:100000$'
after bad "break nosuch.c:3" '^no code at nosuch\.c:3$'
after bad "break *0x1" '^no code at offset 0x1$'
after bad "delete 99" '^no breakpoint or watch 99$'
after bad "frame 99" '^no frame 99 \(the stack has [0-9]+\)$'
after bad "watch 16 3" '^watch ADDR \[LEN\], LEN 1, 2, 4 or 8$'
after bad 'print $x' '^cannot print \$x: print NAME \| \$N \| \$gN \| TYPE ADDR$'
after bad "info nothing" '^info locals \| wasm \| globals \| breakpoints \| frame$'
has bad '^sum 14 counter 21$'
status bad 0

# bad command lines: a clear error, no session
printf 'continue\n' >"$W/c.cmd"
RC=0
"$B8G" debug --batch "$W/nonexistent.cmd" "$W/prog.wasm" >"$W/nobatch.out" 2>"$W/nobatch.err" || RC=$?
if [ "$RC" != 0 ] && grep -q "^b8g: .*cannot open .*nonexistent.cmd" "$W/nobatch.err"; then ok; else fail nobatch "status $RC" "$W/nobatch.err"; fi
RC=0
"$B8G" debug --batch "$W/c.cmd" "$SRC/prog.c" >"$W/notwasm.out" 2>"$W/notwasm.err" || RC=$?
if [ "$RC" != 0 ] && grep -q "is not a WebAssembly module" "$W/notwasm.err"; then ok; else fail notwasm "status $RC" "$W/notwasm.err"; fi
RC=0
"$B8G" debug --batch "$W/c.cmd" --timeout 1s "$W/prog.wasm" >"$W/opt.out" 2>"$W/opt.err" || RC=$?
if [ "$RC" != 0 ] && grep -q 'unknown option "--timeout"' "$W/opt.err"; then ok; else fail opt "status $RC" "$W/opt.err"; fi
RC=0
"$B8G" debug --batch "$W/c.cmd" "$W/nonexistent.wasm" >"$W/nofile.out" 2>"$W/nofile.err" || RC=$?
if [ "$RC" != 0 ] && grep -q "^b8g: " "$W/nofile.err"; then ok; else fail nofile "status $RC" "$W/nofile.err"; fi

# limits still hold under the debugger
debug fuel "continue" --fuel 20 "$W/prog.wasm"
if [ "$RC" != 0 ] && grep -qi "fuel" "$W/fuel.err"; then ok; else fail fuel "status $RC" "$W/fuel.err"; fi

# ---- as a person types it: tmux -------------------------------------------

if command -v tmux >/dev/null 2>&1; then
    sock=$W/tmux.sock
    tmux -S "$sock" kill-server 2>/dev/null
    tmux -S "$sock" new-session -d -x 160 -y 50 \
        "$B8G debug $W/prog.wasm; echo \"exit status \$?\"; sleep 30"
    # type: CMD, then wait until the pane shows WANT
    type_wait() {
        [ -n "$1" ] && tmux -S "$sock" send-keys -l "$1"
        tmux -S "$sock" send-keys Enter
        for _ in $(seq 1 100); do
            tmux -S "$sock" capture-pane -p -S -200 >"$W/tmux.out"
            grep -qE -- "$2" "$W/tmux.out" && return 0
            sleep 0.1
        done
        return 1
    }
    for _ in $(seq 1 100); do
        tmux -S "$sock" capture-pane -p >"$W/tmux.out"
        grep -q '^(b8g)' "$W/tmux.out" && break
        sleep 0.1
    done
    if type_wait "break square" '^breakpoint 1 at func' &&
        type_wait "continue" '^breakpoint 1, func [0-9]+ "square"' &&
        type_wait "bt" '^  #2 func [0-9]+ "main"' &&
        type_wait "next" "\"square\" .*prog\\.c:$L_SQUARE" &&
        type_wait "" "\"sum_squares\" .*prog\\.c:$L_LOOP" &&
        type_wait "delete" '^deleted all' &&
        type_wait "continue" '^exit status 0$'; then
        ok
    else
        fail tmux "the session did not go as typed" "$W/tmux.out"
    fi
    # the prompt and the program's output as a person sees them
    if grep -q '^(b8g) break square$' "$W/tmux.out" && grep -q '^sum 14 counter 21$' "$W/tmux.out"; then
        ok
    else
        fail tmux "prompt or output missing" "$W/tmux.out"
    fi
    tmux -S "$sock" kill-server 2>/dev/null
else
    fail tmux "tmux is not installed"
fi

finish
