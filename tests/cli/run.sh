#!/usr/bin/env bash
# tests/cli/run.sh - end-to-end tests of the b8g command-line tool: exit
# statuses, exact stdout of --invoke, the wording of diagnostics, limits.
#
# Fixtures are the .wat files here and in examples/, built with wat2wasm
# into $BUILD/tests/cli.  Last line: "cli: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/cli
SUITE=cli
CHECK_TIMEOUT=30
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing"
    finish
fi
mkdir -p "$W" || exit 1

build_fixtures() {
    local wat
    for wat in tests/cli/*.wat examples/*.wat; do
        local flags=--debug-names
        [ "$(basename "$wat")" = invalid.wat ] && flags=--no-check
        wat2wasm $flags "$wat" -o "$W/$(basename "$wat" .wat).wasm" || return 1
    done
    printf 'hello, world' >"$W/garbage.wasm"
    : >"$W/empty.wasm"
    head -c 20 "$W/fib.wasm" >"$W/truncated.wasm"
    printf '\0asm\2\0\0\0' >"$W/version2.wasm"
}
if ! build_fixtures; then
    fail setup "cannot build the fixtures"
    finish
fi

V=$W/values.wasm

# ---- version, help, usage ------------------------------------------------
check version 0 "" "" sh -c "'$B8G' version | grep -q '^b8g 0\\.1\\.0\$'"
check nul-named-export 0 "7" "" "$B8G" run --invoke f "$W/nulname.wasm"
check version-first-line 0 "b8g 0.1.0" "" sh -c "'$B8G' --version | head -n 1"
check version-bounds 0 "1" "" sh -c "'$B8G' version | grep -c -E '^bounds: (guard pages|explicit checks)$'"
check help 0 "$("$B8G" help)" "" "$B8G" help
check help-usage 0 "usage: b8g COMMAND [ARGS...]" "" sh -c "'$B8G' help | head -n 1"
check help-run 0 "usage: b8g run [OPTIONS] PROGRAM.wasm [ARGS...]" "" \
    sh -c "'$B8G' help run | head -n 1"
check run-help 0 "usage: b8g run [OPTIONS] PROGRAM.wasm [ARGS...]" "" \
    sh -c "'$B8G' run --help | head -n 1"
check no-command 2 "" "usage: b8g" "$B8G"
check unknown-command 2 "" 'b8g: bad argument: unknown command "frob"' "$B8G" frob
check no-program 2 "" "b8g: bad argument: no program given" "$B8G" run
check unknown-option 2 "" 'b8g: bad argument: unknown option "--bogus"' \
    "$B8G" run --bogus "$V"
check short-option 2 "" 'b8g: bad argument: unknown option "-x"' "$B8G" run -x "$V"
check option-no-value 2 "" "b8g: bad argument: option --fuel needs a positive integer" \
    "$B8G" run --fuel
check bad-fuel 2 "" 'b8g: bad argument: invalid value "ten" for --fuel' \
    "$B8G" run --fuel ten "$V"
check zero-fuel 2 "" 'invalid value "0" for --fuel' "$B8G" run --fuel 0 "$V"
check bad-timeout 2 "" 'invalid value "5h" for --timeout' "$B8G" run --timeout 5h "$V"
check bad-stack 2 "" 'invalid value "1T" for --max-stack' "$B8G" run --max-stack 1T "$V"
check tiny-stack 2 "" 'invalid value "1" for --max-stack: expected a size of at least 64K' "$B8G" run --max-stack 1 "$V"
check small-memory 2 "" 'invalid value "10K" for --max-memory' \
    "$B8G" run --max-memory 10K "$V"
check huge-fuel 2 "" 'invalid value "99999999999999999999" for --fuel' \
    "$B8G" run --fuel 99999999999999999999 "$V"

# ---- --invoke: arguments and results ------------------------------------
INV="$B8G run --invoke"
check i32 0 "42" "" $INV i32 "$V" 42
check i32-neg 0 "-7" "" $INV i32 "$V" -7
check i32-plus 0 "5" "" $INV i32 "$V" +5
check i32-hex 0 "255" "" $INV i32 "$V" 0xff
check i32-neg-hex 0 "-1" "" $INV i32 "$V" -0x1
check i32-max-unsigned 0 "-1" "" $INV i32 "$V" 4294967295
check i32-wrap 0 "-2147483648" "" $INV i32 "$V" 2147483648
check i32-min 0 "-2147483648" "" $INV i32 "$V" -2147483648
check i32-too-big 2 "" 'b8g: bad argument: argument 1 of "i32": "4294967296" is not a valid i32' \
    $INV i32 "$V" 4294967296
check i32-too-small 2 "" "is not a valid i32" $INV i32 "$V" -2147483649
check i32-junk 2 "" '"12abc" is not a valid i32' $INV i32 "$V" 12abc
check i32-empty 2 "" '"" is not a valid i32' $INV i32 "$V" ""
check i32-space 2 "" "is not a valid i32" $INV i32 "$V" " 1"
check i32-float 2 "" "is not a valid i32" $INV i32 "$V" 1.5
check i64 0 "-9223372036854775808" "" $INV i64 "$V" -9223372036854775808
check i64-unsigned 0 "-1" "" $INV i64 "$V" 18446744073709551615
check i64-hex 0 "81985529216486895" "" $INV i64 "$V" 0x0123456789abcdef
check i64-too-big 2 "" "is not a valid i64" $INV i64 "$V" 18446744073709551616
check add 0 "5" "" $INV add "$V" 2 3
check add-wraps 0 "-2147483648" "" $INV add "$V" 2147483647 1
check multi-value 0 $'2.5\n-3' "" $INV swap "$V" -3 2.5
check no-results 0 "" "" $INV nothing "$V"
check f32 0 "1.5" "" $INV f32 "$V" 1.5
check f32-neg 0 "-0.25" "" $INV f32 "$V" -0.25
check f32-inf 0 "inf" "" $INV f32 "$V" inf
check f32-neg-inf 0 "-inf" "" $INV f32 "$V" -inf
check f32-nan 0 "nan" "" $INV f32 "$V" nan
check f32-bits-tenth 0 "1036831949" "" $INV f32bits "$V" 0.1
check f32-bits-hex 0 "1" "" $INV f32bits "$V" 0x1p-149
check f32-bits-max 0 "2139095039" "" $INV f32bits "$V" 3.4028235e38
check f32-bits-nan 0 "2143289344" "" $INV f32bits "$V" nan
check f32-bits-neg-nan 0 "-4194304" "" $INV f32bits "$V" -nan
check f32-bits-payload 0 "2139095041" "" $INV f32bits "$V" nan:0x1
# Rounding straight to f32: via double this would round twice, to 1.0.
check f32-bits-single-rounding 0 "1065353217" "" \
    $INV f32bits "$V" 1.00000005960464477539062500001
check f32-overflow 2 "" '"1e39" is not a valid f32' $INV f32 "$V" 1e39
check f32-payload-too-big 2 "" "is not a valid f32" $INV f32 "$V" nan:0x800000
check f32-payload-zero 2 "" "is not a valid f32" $INV f32 "$V" nan:0x0
check f32-junk 2 "" '"1.5x" is not a valid f32' $INV f32 "$V" 1.5x
check f32-infinity-word 2 "" "is not a valid f32" $INV f32 "$V" infinity
check f64 0 "-1.5" "" $INV f64 "$V" -1.5
check f64-bits-tenth 0 "4591870180066957722" "" $INV f64bits "$V" 0.1
check f64-bits-hex 0 "4609434218613702656" "" $INV f64bits "$V" 0x1.8p0
check f64-bits-payload 0 "9221120237041090561" "" $INV f64bits "$V" nan:0x8000000000001
check f64-bits-neg-zero 0 "-9223372036854775808" "" $INV f64bits "$V" -0
check f64-overflow 2 "" "is not a valid f64" $INV f64 "$V" 1e309
check guest-args-after-program 0 "-5" "" $INV i32 "$V" -5
check invoke-equals 0 "9" "" "$B8G" run --invoke=i32 "$V" 9
check too-few-args 2 "" '=b8g: bad argument: "add" takes 2 arguments (i32 i32), got 1' \
    $INV add "$V" 1
check too-many-args 2 "" '"i32" takes 1 argument (i32), got 2' $INV i32 "$V" 1 2
check unknown-export 2 "" '=b8g: bad argument: unknown export "nope"' $INV nope "$V"
check export-not-func 2 "" '=b8g: bad argument: export "mem" is a memory, not a function' \
    $INV mem "$V"
check export-global 2 "" 'export "g" is a global, not a function' $INV g "$V"
check ref-arg 5 "" '=b8g: unsupported feature: argument 1 of "takes_ref" is a funcref; only i32, i64, f32 and f64 can be given on the command line' \
    $INV takes_ref "$V" 0
check stdin-program 0 "55" "" sh -c "'$B8G' run --invoke fib - 10 <'$W/fib.wasm'"
check stdout-closed 11 "" "b8g: i/o error: cannot write results" \
    sh -c "'$B8G' run --invoke fib '$W/fib.wasm' 10 >&-"
check escaped-user-name 2 "" '=b8g: bad argument: unknown export "\x1b[2Jnope"' \
    $INV $'\x1b[2Jnope' "$V"
check escaped-name 7 "" 'b8g: trap: unreachable' $INV $'\x1b[2Jboom' "$V"
# Functions without a name-section entry are named by their export.
check escaped-name-frame 7 "" '"\x1b[2Jboom"' $INV $'\x1b[2Jboom' "$V"

# ---- examples ------------------------------------------------------------
check fib 0 "75025" "" $INV fib "$W/fib.wasm" 25
check fib64 0 "2880067194370816120" "" $INV fib64 "$W/fib.wasm" 90
check average 0 "2" "" $INV average "$W/divide.wasm" 10 4
check div-zero 7 "" "b8g: trap: integer divide by zero" $INV average "$W/divide.wasm" 10 0
check backtrace-0 7 "" $'\n  #0 func 0 "divide" at offset 0x' $INV average "$W/divide.wasm" 1 0
check backtrace-1 7 "" $'\n  #1 func 1 "average" at offset 0x' $INV average "$W/divide.wasm" 1 0
check backtrace-end 1 "0" "" sh -c "'$B8G' run --invoke average '$W/divide.wasm' 1 0 2>&1 | grep -c '#2'"
check oob 7 "" "b8g: trap: out of bounds memory access" $INV peek "$W/oob.wasm" 65536
check oob-edge 0 "0" "" $INV peek "$W/oob.wasm" 65532
check oob-straddle 7 "" "out of bounds memory access" $INV peek "$W/oob.wasm" 65533
check oob-negative 7 "" "out of bounds memory access" $INV peek "$W/oob.wasm" -1
check stack 7 "" "b8g: trap: call stack exhausted" $INV down "$W/recurse.wasm" 0
check stack-small 7 "" "b8g: trap: call stack exhausted" \
    "$B8G" run --max-stack 64K --invoke down "$W/recurse.wasm" 0

# ---- limits ----------------------------------------------------------------
check fuel-out 8 "" "b8g: limit exceeded: out of fuel" \
    "$B8G" run --fuel 1000 --invoke spin "$W/spin.wasm"
check fuel-enough 0 "55" "" "$B8G" run --fuel 1000000 --invoke fib "$W/fib.wasm" 10
check fuel-recursion 8 "" "out of fuel" "$B8G" run --fuel 5000 --invoke fib "$W/fib.wasm" 30
check fuel-start 8 "" "out of fuel" "$B8G" run --fuel 1000 "$W/start_loop.wasm"
check timeout 8 "" "b8g: limit exceeded: interrupted: timeout" \
    "$B8G" run --timeout 100ms --invoke spin "$W/spin.wasm"
check timeout-start 8 "" "interrupted: timeout" "$B8G" run --timeout 100ms "$W/start_loop.wasm"
check timeout-not-reached 0 "55" "" "$B8G" run --timeout 1m --invoke fib "$W/fib.wasm" 10
start=$(date +%s%N)
"$B8G" run --timeout 300ms --invoke spin "$W/spin.wasm" 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
check timeout-prompt 0 "" "" test "$ms" -lt 3000
check timeout-and-fuel 8 "" "out of fuel" \
    "$B8G" run --timeout 1m --fuel 1000 --invoke spin "$W/spin.wasm"
check grow 0 "1" "" $INV grow "$W/memory.wasm" 1
check grow-capped 0 "-1" "" "$B8G" run --max-memory 128K --invoke grow "$W/memory.wasm" 2
check grow-to-cap 0 "1" "" "$B8G" run --max-memory 128K --invoke grow "$W/memory.wasm" 1
check memory-over-cap-at-start 8 "" "b8g: limit exceeded" \
    "$B8G" run --max-memory 1M "$W/bigmem.wasm"
check memory-within-cap 0 "" "" "$B8G" run --max-memory 2M "$W/bigmem.wasm"

# ---- _start, instantiation, linking ---------------------------------------
check start 0 "" "" "$B8G" run "$W/start.wasm"
check start-guest-args 0 "" "" "$B8G" run "$W/start.wasm" a b c
check start-trap 7 "" "b8g: trap: unreachable" "$B8G" run "$W/start_trap.wasm"
check start-section-trap 7 "" "b8g: trap: unreachable" "$B8G" run "$W/start_section.wasm"
check no-start 0 "" "" "$B8G" run "$W/reactor.wasm"
check wasi 0 "" "" "$B8G" run "$W/wasi.wasm"
check import 6 "" 'b8g: link error: unknown import "env"."foo"' "$B8G" run "$W/import.wasm"

# ---- WASI: argv, environment, stdio ----------------------------------------
P=$W/wasi_probe.wasm
SB=$W/sandbox
rm -rf "$SB" && mkdir -p "$SB/d1" "$SB/d2" "$SB/odd:name" && printf 'cat me\n' >"$SB/in.txt"
check wasi-hello 0 "hello, wasi" "=to stderr" "$B8G" run "$W/wasi_hello.wasm"
check wasi-unknown-import 6 "" \
    'b8g: link error: unknown import "wasi_snapshot_preview1"."fd_teleport"' \
    "$B8G" run "$W/wasi_unknown.wasm"
# argv[0] is the program as given; options after it are the guest's.
check wasi-argv 0 "$W/wasi_args.wasm"$'\na\nb c\n-x\n--fuel\n\xc3\xa9t\xc3\xa9' "" \
    "$B8G" run "$W/wasi_args.wasm" a "b c" -x --fuel $'\xc3\xa9t\xc3\xa9'
check wasi-no-env 0 "" "" env FOO=bar "$B8G" run --invoke environ "$W/wasi_args.wasm"
check wasi-env 0 $'A=3\nB=2\nE=' "" \
    "$B8G" run --env A=1 --env B=2 --env A=3 --env E= --invoke environ "$W/wasi_args.wasm"
check wasi-env-inherit 0 "FOO=bar" "" \
    env -i FOO=bar "$B8G" run --env-inherit --invoke environ "$W/wasi_args.wasm"
check wasi-env-override 0 $'FOO=baz\nX=1' "" \
    env -i FOO=bar "$B8G" run --env-inherit --env FOO=baz --env X=1 --invoke environ "$W/wasi_args.wasm"
check wasi-env-bad 2 "" 'invalid value "NOEQUALS" for --env: expected NAME=VALUE' \
    "$B8G" run --env NOEQUALS "$W/wasi.wasm"
check wasi-env-no-name 2 "" 'invalid value "=x" for --env' "$B8G" run --env =x "$W/wasi.wasm"
check wasi-env-inherit-value 2 "" "option --env-inherit takes no value" \
    "$B8G" run --env-inherit=1 "$W/wasi.wasm"
check wasi-stdin-file 0 "cat me" "" "$B8G" run --stdin "$SB/in.txt" "$W/wasi_cat.wasm"
check wasi-stdin-host 0 "piped" "" sh -c "echo piped | '$B8G' run '$W/wasi_cat.wasm'"
check wasi-stdin-missing 11 "" "b8g: i/o error: cannot open $SB/nope: No such file or directory" \
    "$B8G" run --stdin "$SB/nope" "$W/wasi_cat.wasm"
check wasi-stdout-closed 8 "" "" sh -c "'$B8G' run --invoke write_exit '$P' 1 >&-"
check wasi-stdout-closed-results 11 "" "b8g: i/o error: cannot write results" \
    sh -c "'$B8G' run --invoke write '$P' 1 >&-"
# A reader that goes away makes writes fail with EPIPE (64), never a signal.
check wasi-epipe 0 "64" "" \
    bash -c "'$B8G' run --invoke write_loop_exit '$P' 1000000 | head -c 3 >/dev/null; echo \${PIPESTATUS[0]}"
check wasi-stderr-to-stdout 0 $'hi\n0' "" "$B8G" run --invoke renumber_write "$P" 1

# ---- WASI: exit status -------------------------------------------------------
check wasi-exit 42 "" "" "$B8G" run --invoke exit "$P" 42
check wasi-exit-zero 0 "" "" "$B8G" run --invoke exit "$P" 0
check wasi-exit-low-byte 44 "" "" "$B8G" run --invoke exit "$P" 300
check wasi-raise 7 "" "b8g: trap: raised signal 6" "$B8G" run --invoke raise "$P" 6
check wasi-raise-backtrace 7 "" '  #0 func 41 "raise" at offset 0x' "$B8G" run --invoke raise "$P" 6

# ---- WASI: preopens and rights -------------------------------------------------
check wasi-dir-guest 0 $'/data\n0' "" "$B8G" run --dir "$SB/d1::/data" --invoke prestat_name "$P" 3
check wasi-dir-same-name 0 "$SB/d1"$'\n0' "" "$B8G" run --dir "$SB/d1" --invoke prestat_name "$P" 3
check wasi-dir-colon 0 $'/odd\n0' "" "$B8G" run --dir "$SB/odd:name::/odd" --invoke prestat_name "$P" 3
check wasi-dir-second 0 $'/two\n0' "" \
    "$B8G" run --dir "$SB/d1" --dir "$SB/d2::/two:ro" --invoke prestat_name "$P" 4
check wasi-dir-none 0 "8" "" "$B8G" run --invoke prestat "$P" 3
check wasi-dir-stdio-not-preopen 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke prestat "$P" 2
check wasi-dir-name-short 0 "37" "" "$B8G" run --dir "$SB/d1::/data" --invoke prestat_name_short "$P" 3
check wasi-dir-missing 11 "" "b8g: i/o error: cannot open directory $SB/nope: No such file or directory" \
    "$B8G" run --dir "$SB/nope" "$W/wasi.wasm"
check wasi-dir-file 11 "" "cannot open directory $SB/in.txt: Not a directory" \
    "$B8G" run --dir "$SB/in.txt" "$W/wasi.wasm"
check wasi-dir-empty 2 "" 'invalid value "::/x" for --dir' "$B8G" run --dir ::/x "$W/wasi.wasm"
check wasi-dir-type 0 "3" "" "$B8G" run --dir "$SB/d1" --invoke filetype "$P" 3
# Directory rights: everything a directory can do (264240665), and for :ro
# only open, readdir, readlink, stat and poll (136634368), passing on at
# most read, seek, tell and advise besides (136634534).
check wasi-dir-rights 0 "264240665" "" "$B8G" run --dir "$SB/d1" --invoke rights "$P" 3
check wasi-dir-ro-rights 0 "136634368" "" "$B8G" run --dir "$SB/d1:ro" --invoke rights "$P" 3
check wasi-dir-ro-inheriting 0 "136634534" "" "$B8G" run --dir "$SB/d1:ro" --invoke inheriting "$P" 3
check wasi-rights-widen 0 "76" "" "$B8G" run --dir "$SB/d1:ro" --invoke set_rights "$P" 3 264240665 0
check wasi-rights-narrow 0 "0" "" "$B8G" run --dir "$SB/d1" --invoke set_rights "$P" 3 8192 0
check wasi-rights-denied 0 "76" "" "$B8G" run --invoke write_without_right "$P"
check wasi-readdir 0 "0" "" "$B8G" run --dir "$SB/d1" --invoke readdir "$P" 3
check wasi-readdir-stdout 0 "76" "" "$B8G" run --invoke readdir "$P" 1

# ---- WASI: descriptors ---------------------------------------------------------
check wasi-renumber-onto-preopen 0 "58" "" "$B8G" run --dir "$SB/d1" --invoke renumber "$P" 1 3
check wasi-renumber-preopen 0 "58" "" "$B8G" run --dir "$SB/d1" --invoke renumber "$P" 3 1
check wasi-renumber-to-free 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke renumber "$P" 1 12345
check wasi-close-preopen 0 "0" "" "$B8G" run --dir "$SB/d1" --invoke close "$P" 3
check wasi-close-twice 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke close_twice "$P" 3
check wasi-forged-fd 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke write "$P" 12345
check wasi-forged-fd-neg 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke write "$P" -1
check wasi-forged-fd-past 0 "8" "" "$B8G" run --dir "$SB/d1" --invoke write "$P" 4
check wasi-efault 0 "21" "" "$B8G" run --invoke write_outside "$P"
check wasi-too-many-iovecs 0 "28" "" "$B8G" run --invoke write_many_iovecs "$P"
check wasi-clock-bad 0 "28" "" "$B8G" run --invoke clock "$P" 4
check wasi-clock-cputime 0 "0" "" "$B8G" run --invoke clock "$P" 3
check wasi-random-outside 0 "21" "" "$B8G" run --invoke random "$P" 100000
check wasi-sock-not-socket 0 "57" "" "$B8G" run --invoke sock_send "$P" 1
check wasi-sock-bad-fd 0 "8" "" "$B8G" run --invoke sock_send "$P" 99

# ---- WASI: blocking ends on time ---------------------------------------------
check wasi-poll-empty 0 "28" "" "$B8G" run --invoke poll_nothing "$P"
check wasi-sleep 0 "0" "" "$B8G" run --invoke sleep "$P" 20000000
check wasi-sleep-timeout 8 "" "b8g: limit exceeded: interrupted: timeout" \
    "$B8G" run --timeout 100ms --invoke sleep "$P" 10000000000
start=$(date +%s%N)
"$B8G" run --timeout 200ms --invoke sleep "$P" 10000000000 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
check wasi-sleep-timeout-prompt 0 "" "" test "$ms" -lt 1000
# The writer holds the pipe open but never writes: the read blocks.
check wasi-read-timeout 8 "" "interrupted: timeout" \
    sh -c "sleep 1 | '$B8G' run --timeout 100ms --invoke read '$P' 0"

# ---- bad modules and files ------------------------------------------------
check garbage 3 "" "b8g: malformed module: magic header not detected at offset 0x0" \
    "$B8G" run "$W/garbage.wasm"
check empty 3 "" "b8g: malformed module: " "$B8G" run "$W/empty.wasm"
check truncated 3 "" "b8g: malformed module: " "$B8G" run "$W/truncated.wasm"
check version2 3 "" "b8g: malformed module: unknown binary version" "$B8G" run "$W/version2.wasm"
check invalid 4 "" "b8g: invalid module: type mismatch" "$B8G" run --invoke f "$W/invalid.wasm"
check invalid-offset 4 "" " at offset 0x" "$B8G" run --invoke f "$W/invalid.wasm"
check simd 5 "" "b8g: unsupported feature: " "$B8G" run "$W/simd.wasm"
check missing-file 11 "" \
    "=b8g: i/o error: cannot open $W/nope.wasm: No such file or directory" \
    "$B8G" run "$W/nope.wasm"
check directory 11 "" "=b8g: i/o error: cannot read $W: Is a directory" "$B8G" run "$W"

# ---- never a crash: a sample of the spec suite's modules, valid or not -----
# Every exit status must be one the CLI documents; a signal (>= 128) or a
# timeout (124) is a failure.
sweep() {
    local f rc n=0 bad=0
    for f in $(find "$BUILD/spec" -name '*.wasm' 2>/dev/null | sort | awk 'NR % 23 == 0'); do
        n=$((n + 1))
        rc=0
        timeout 10 "$B8G" run --fuel 100000 "$f" >/dev/null 2>&1 </dev/null || rc=$?
        case $rc in
        0 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 11 | 12) ;;
        *) echo "  $f: exit status $rc"; bad=1 ;;
        esac
    done
    [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}
check spec-sweep 0 "" "" sweep

finish
