#!/usr/bin/env bash
# tests/cli/snapshot.sh - .b8g images through the CLI: `b8g snapshot`
# (pre-initialisation), `b8g run IMAGE`, `--suspend-to` and `b8g resume`,
# `b8g inspect`, and their refusals.
#
#   BUILD=build tests/cli/snapshot.sh
#
# The main test is pause/resume equivalence: for every program of a
# corpus (the WASI test guests that need no special setup, the fixtures in
# tests/snapshot/ and the kernels of ../shared/bench at small sizes), T is
# the fuel it needs to finish (bisection on --fuel); at SNAP_POINTS fuel
# points spread evenly over [1, T] (default 50: the first, the last, and
# points inside recursion and loops alike), `b8g run --fuel F
# --suspend-to S` then `b8g resume S` in a new process must together
# print exactly what the uninterrupted run prints, end with its exit
# status (and stderr), and leave its scratch directory as it leaves it.
# A chain of resumes, each with --fuel and --suspend-to again, must too.
#
# Fixtures (tests/snapshot/*.c) are built here with clang for wasm32-wasi;
# the kernels in $BUILD/tests/snapshot-bench from a copy of
# ../shared/bench (BENCH_DIR), skipped with a note if that cannot be built.
# SNAP_POINTS=N tests N points per program; SNAP_JOBS (default 2) programs
# run at once.  Last line: "snapshot: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/snapshot
BENCH_DIR=${BENCH_DIR:-../shared/bench}
BENCH_W=$BUILD/tests/snapshot-bench
SNAP_POINTS=${SNAP_POINTS:-50}
SNAP_JOBS=${SNAP_JOBS:-2}
WASI_CC=${WASI_CC:-clang}
SUITE=snapshot
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
case $SNAP_POINTS in
'' | *[!0-9]*) fail setup "SNAP_POINTS must be a number"; finish ;;
esac
[ "$SNAP_POINTS" -ge 2 ] || SNAP_POINTS=2
rm -rf "$W" && mkdir -p "$W" || exit 1
B8G=$(cd "$(dirname "$B8G")" && pwd)/$(basename "$B8G")

build_fixtures() {
    local c
    make --no-print-directory -s BUILD="$BUILD" wasi-guests || return 1
    for c in tests/snapshot/*.c; do
        "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror \
            -o "$W/$(basename "$c" .c).wasm" "$c" || return 1
    done
}
if ! build_fixtures >"$W/build.log" 2>&1; then
    fail setup "cannot build the fixtures"
    sed 's/^/  | /' "$W/build.log"
    finish
fi
G=$(cd "$BUILD/tests/wasi" && pwd)
F=$(cd "$W" && pwd)

# The kernels: built from a copy, so ../shared/bench stays untouched (cp -p
# keeps the times, so make rebuilds only what changed).
K=""
if [ -d "$BENCH_DIR/kernels" ] && mkdir -p "$BENCH_W" &&
    cp -p "$BENCH_DIR/Makefile" "$BENCH_W/" && cp -rp "$BENCH_DIR/kernels" "$BENCH_W/" &&
    make --no-print-directory -s -C "$BENCH_W" wasm >"$W/bench.log" 2>&1; then
    K=$(cd "$BENCH_W/build/wasm" && pwd)
else
    echo "note: the ../shared/bench kernels are skipped: cannot build them from $BENCH_DIR"
fi

# expect_file NAME PATH: PATH exists; expect_no_file NAME PATH: it does not.
expect_file() { if [ -f "$2" ]; then ok; else fail "$1" "$2 was not written"; fi; }
expect_no_file() { if [ -e "$2" ]; then fail "$1" "$2 exists"; else ok; fi; }
# no_temp NAME DIR: no temporary image file was left in DIR.
no_temp() {
    local left
    left=$(find "$2" -maxdepth 1 -name '.*.tmp' | head -n 3)
    if [ -z "$left" ]; then ok; else fail "$1" "temporary files left: $left"; fi
}

inspect_has() { # NAME FILE LINE...: FILE has each line exactly
    local name=$1 file=$2 line missing=""
    shift 2
    for line in "$@"; do grep -qxF -- "$line" "$file" || missing="$missing [$line]"; done
    if [ -z "$missing" ]; then ok; else fail "$name" "missing lines:$missing"; sed 's/^/  | /' "$file"; fi
}
inspect_match() { # NAME FILE REGEX...: FILE has a line matching each
    local name=$1 file=$2 re missing=""
    shift 2
    for re in "$@"; do grep -qE -- "^$re\$" "$file" || missing="$missing [$re]"; done
    if [ -z "$missing" ]; then ok; else fail "$name" "no line matches:$missing"; sed 's/^/  | /' "$file"; fi
}

# min_fuel PREPARE RUN-ARGS...: the least fuel with which `b8g run
# RUN-ARGS` finishes (doubling, then bisection), on stdout; PREPARE runs
# before every attempt (":" for nothing).
min_fuel() {
    local prepare=$1 lo=0 hi=1 mid rc
    shift
    while :; do
        "$prepare"
        rc=0
        timeout 60 "$B8G" run --fuel "$hi" "$@" >/dev/null 2>&1 </dev/null || rc=$?
        [ "$rc" != 8 ] && break
        lo=$hi
        hi=$((hi * 2))
        [ "$hi" -gt 4000000000000 ] && return
    done
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        "$prepare"
        rc=0
        timeout 60 "$B8G" run --fuel "$mid" "$@" >/dev/null 2>&1 </dev/null || rc=$?
        if [ "$rc" = 8 ]; then lo=$mid; else hi=$mid; fi
    done
    echo "$hi"
}

S=$W/state.b8g

# ---- snapshot --init, then run the image ----------------------------------------
SQ_HEAD="squares: 20000, sum 2666466670000, table[7] = 49, table[19999] = 399960001"
check snapshot 0 "" "" "$B8G" snapshot "$F/squares.wasm" --init init -o "$W/sq.b8g" snap-arg
expect_file snapshot-written "$W/sq.b8g"
no_temp snapshot-no-temp "$W"
check module-without-init 0 "init ran 0 time(s)
squares: 0, sum 0, table[7] = 0, table[19999] = 0
argv[0] = $F/squares.wasm" "" "$B8G" run "$F/squares.wasm"
# init ran once, in the snapshot: the image starts with its table; its
# argv is this command line's, not the snapshot's.
check run-image 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = $W/sq.b8g
argv[1] = x
argv[2] = -y z" "" "$B8G" run "$W/sq.b8g" x "-y z"
check run-image-again 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = $W/sq.b8g" "" "$B8G" run "$W/sq.b8g"
# --code stores the translated code of what init ran; b8g run opens the
# image untrusted, translating from the module, with the same result.
check snapshot-code 0 "" "" "$B8G" snapshot "$F/squares.wasm" --init init --code -o "$W/sq-code.b8g"
check run-image-code 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = $W/sq-code.b8g" "" "$B8G" run "$W/sq-code.b8g"
"$B8G" inspect "$W/sq-code.b8g" >"$W/inspect-code.out" 2>&1
inspect_match inspect-code "$W/inspect-code.out" \
    'code: [1-9][0-9]* functions translated, [1-9][0-9]* bytes, by this build'
# Recognised by its magic, not its name.
cp "$W/sq.b8g" "$W/sq-renamed.wasm"
check run-image-by-magic 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = $W/sq-renamed.wasm" "" "$B8G" run "$W/sq-renamed.wasm"
check run-image-stdin 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = -
argv[1] = in" "" sh -c "'$B8G' run - in <'$W/sq.b8g'"
# Options may follow the program; -- ends them.
check snapshot-options-after 0 "" "" "$B8G" snapshot --fuel 100000000 "$F/squares.wasm" \
    -o "$W/sq2.b8g" --init=init -- --not-an-option
"$B8G" inspect "$W/sq2.b8g" >"$W/inspect-sq2.out" 2>&1
inspect_has snapshot-options-after-parsed "$W/inspect-sq2.out" "argv: 2" "checksum: ok"
check snapshot-options-after-args 0 "init ran 1 time(s)
$SQ_HEAD
argv[0] = $W/sq2.b8g" "" "$B8G" run "$W/sq2.b8g"
# A failing init writes nothing.
check snapshot-init-fuel 8 "" "b8g: limit exceeded: out of fuel" \
    "$B8G" snapshot "$F/squares.wasm" --init init --fuel 1000 -o "$W/none.b8g"
expect_no_file snapshot-init-fuel-nothing "$W/none.b8g"
no_temp snapshot-init-fuel-no-temp "$W"
check snapshot-init-missing 2 "" 'b8g: bad argument: unknown export "nope"' \
    "$B8G" snapshot "$F/squares.wasm" --init nope -o "$W/none.b8g"
expect_no_file snapshot-init-missing-nothing "$W/none.b8g"
check snapshot-no-init 2 "" "b8g: bad argument: no --init FUNC given" \
    "$B8G" snapshot "$F/squares.wasm" -o "$W/none.b8g"
check snapshot-no-output 2 "" "b8g: bad argument: no -o IMAGE given" \
    "$B8G" snapshot "$F/squares.wasm" --init init
check snapshot-of-image 2 "" "is an image: b8g snapshot takes a module" \
    "$B8G" snapshot "$W/sq.b8g" --init init -o "$W/none.b8g"
check snapshot-no-invoke 2 "" 'b8g: bad argument: unknown option "--invoke"' \
    "$B8G" snapshot --invoke f "$F/squares.wasm" --init init -o "$W/none.b8g"

# ---- inspect -------------------------------------------------------------------------
rc=0
"$B8G" inspect "$W/sq.b8g" >"$W/inspect.out" 2>"$W/inspect.err" || rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$W/inspect.err" ]; then ok; else fail inspect "exit status $rc"; cat "$W/inspect.err"; fi
size=$(stat -c %s "$W/sq.b8g")
inspect_has inspect-fields "$W/inspect.out" "image: $W/sq.b8g" "contexts: 1" "rehashable: yes" \
    "checksum: ok" "file size: $size bytes" "code: none" "memories: 1" "suspended: no" \
    "fuel left: unlimited" "argv: 2" "env: 0" "handles: 3" \
    '  fd 0 stdio name "stdin" path "" rights 0x820002e inheriting 0x0' \
    '  fd 1 stdio name "stdout" path "" rights 0x82000fd inheriting 0x0' \
    '  fd 2 stdio name "stderr" path "" rights 0x82000fd inheriting 0x0'
inspect_match inspect-values "$W/inspect.out" 'version: b8g-image/2 engine/[0-9.]+ module/xxh3:[0-9a-f]{16}' \
    'module size: [1-9][0-9]* bytes' 'memory: [1-9][0-9]* bytes, [1-9][0-9]* stored'
# A damaged copy: one byte flipped in the middle (memory pages, here).
cp "$W/sq.b8g" "$W/bad.b8g"
mid=$((size / 2))
byte=$(od -An -tu1 -j "$mid" -N1 "$W/bad.b8g" | tr -d ' ')
printf '%b' "$(printf '\\0%03o' $(((byte + 1) % 256)))" |
    dd of="$W/bad.b8g" bs=1 seek="$mid" conv=notrunc status=none
if cmp -s "$W/sq.b8g" "$W/bad.b8g"; then fail corrupt "the byte was not flipped"; else ok; fi
rc=0
"$B8G" inspect "$W/bad.b8g" >"$W/inspect-bad.out" 2>"$W/inspect-bad.err" || rc=$?
if [ "$rc" -eq 10 ]; then ok; else fail inspect-bad-status "exit status $rc, expected 10"; fi
inspect_has inspect-bad-fields "$W/inspect-bad.out" "checksum: BAD" "file size: $size bytes" \
    "suspended: no" "handles: 3"
if grep -q "^b8g: bad image: .*checksum" "$W/inspect-bad.err"; then ok
else fail inspect-bad-stderr "$(cat "$W/inspect-bad.err")"; fi
check run-bad-image 10 "" "b8g: bad image" "$B8G" run "$W/bad.b8g"
check resume-bad-image 10 "" "b8g: bad image" "$B8G" resume "$W/bad.b8g"
head -c 100 "$W/sq.b8g" >"$W/short.b8g"
check inspect-truncated 10 "" "b8g: bad image" "$B8G" inspect "$W/short.b8g"
check run-truncated 10 "" "b8g: bad image" "$B8G" run "$W/short.b8g"
# A module is told from an image by its magic (tests/cli/inspect.sh covers modules).
check inspect-module 0 "module: $F/squares.wasm" "" sh -c "'$B8G' inspect '$F/squares.wasm' | head -n 1"
check inspect-no-file 2 "" "b8g: bad argument: no module or image given" "$B8G" inspect
check inspect-help 0 "usage: b8g inspect [--json] MODULE.wasm|IMAGE.b8g" "" sh -c "'$B8G' inspect --help | head -n 1"

# ---- suspend, refusals -------------------------------------------------------------------
rm -f "$S"
check suspend-fuel 9 "" "=b8g: suspended (out of fuel): state written to $S" \
    "$B8G" run --fuel 5 --suspend-to "$S" "$G/hello.wasm"
expect_file suspend-fuel-written "$S"
no_temp suspend-no-temp "$W"
"$B8G" inspect "$S" >"$W/inspect-s.out" 2>&1
inspect_has inspect-suspended "$W/inspect-s.out" "fuel left: 0" "argv: 1" "checksum: ok"
inspect_match inspect-suspended-frames "$W/inspect-s.out" 'suspended: yes \((1 frame|[1-9][0-9]+ frames|[2-9] frames)\)'
# Deep in recursion: every frame is in the image.
rm -f "$W/deep.b8g"
check suspend-deep 9 "recursing" "state written to $W/deep.b8g" \
    "$B8G" run --max-stack 64K --fuel 300 --suspend-to "$W/deep.b8g" "$G/recurse.wasm"
"$B8G" inspect "$W/deep.b8g" >"$W/inspect-deep.out" 2>&1
inspect_match inspect-deep-frames "$W/inspect-deep.out" 'suspended: yes \(([2-9]|[1-9][0-9]+) frames\)'
# Suspended after the guest read entropy: not rehashable.
T=$(min_fuel : "$F/secret.wasm")
rm -f "$W/secret.b8g"
check suspend-secret 9 "drew a secret: yes" "state written to $W/secret.b8g" \
    "$B8G" run --fuel "$((T - 1))" --suspend-to "$W/secret.b8g" "$F/secret.wasm"
"$B8G" inspect "$W/secret.b8g" >"$W/inspect-secret.out" 2>&1
inspect_has inspect-not-rehashable "$W/inspect-secret.out" "rehashable: no" \
    "warning: captured after the guest read entropy, a clock or a link key: restoring it more than once forks the secrets it read"
if grep -q '^warning:' "$W/inspect-s.out"; then fail inspect-rehashable-no-warning "a warning for a rehashable image"
else ok; fi
check run-suspended-refused 2 "" "holds a suspended call: continue it with 'b8g resume $S'" \
    "$B8G" run "$S"
check resume-init-refused 2 "" "nothing to resume; use 'b8g run $W/sq.b8g'" \
    "$B8G" resume "$W/sq.b8g"
check resume 0 "hello, world" "" "$B8G" resume "$S"
check resume-args-refused 2 "" "a resumed guest keeps its recorded arguments" \
    "$B8G" resume "$S" extra
check resume-env-refused 2 "" 'unknown option "--env"' "$B8G" resume "$S" --env A=1
check resume-missing 11 "" "b8g: i/o error" "$B8G" resume "$W/nonexistent.b8g"
check resume-module 10 "" "b8g: bad image" "$B8G" resume "$G/hello.wasm"
# Without --suspend-to nothing changes: a limit, no file.
rm -f "$S"
check no-suspend-to 8 "" "b8g: limit exceeded: out of fuel" "$B8G" run --fuel 5 "$G/hello.wasm"
expect_no_file no-suspend-to-nothing "$S"
# A run that finishes writes nothing and leaves no temporary file.
check suspend-not-needed 0 "hello, world" "" "$B8G" run --suspend-to "$S" "$G/hello.wasm"
expect_no_file suspend-not-needed-nothing "$S"
no_temp suspend-not-needed-no-temp "$W"
# A bad output path is found before the guest runs (it would print).
check suspend-to-no-dir 11 "" "b8g: i/o error: cannot open directory $W/no/such for $W/no/such/s.b8g: No such file or directory" \
    "$B8G" run --fuel 5 --suspend-to "$W/no/such/s.b8g" "$G/hello.wasm"
check snapshot-to-no-dir 11 "" "b8g: i/o error: cannot open directory" \
    "$B8G" snapshot "$F/squares.wasm" --init init -o "$W/no/such/x.b8g"
mkdir -p "$W/adir"
check suspend-to-dir 11 "" "Is a directory" \
    "$B8G" run --fuel 5 --suspend-to "$W/adir" "$G/hello.wasm"
# A write that fails (file size limit: EFBIG) leaves nothing behind.
rm -f "$S"
check suspend-write-fails 11 "" "File too large" \
    bash -c "trap '' XFSZ; ulimit -f 8; exec '$B8G' run --fuel 5 --suspend-to '$S' '$G/hello.wasm'"
expect_no_file suspend-write-fails-nothing "$S"
no_temp suspend-write-fails-no-temp "$W"
# An --invoke'd call resumes and prints its results.
# shellcheck disable=SC2016 # $l is a WAT label
printf '(module (func (export "sum") (param i32) (result i32 i64) (local i32 i32)
  (loop $l (local.set 2 (i32.add (local.get 2) (local.get 1)))
    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
  (local.get 2) (i64.extend_i32_u (local.get 0))))' >"$W/sum.wat"
if wat2wasm "$W/sum.wat" -o "$W/sum.wasm"; then ok; else fail sum-build "wat2wasm failed"; fi
rm -f "$S"
check invoke-suspend 9 "" "=b8g: suspended (out of fuel): state written to $S" \
    "$B8G" run --fuel 50 --suspend-to "$S" --invoke sum "$W/sum.wasm" 1000
check invoke-resume 0 "499500
1000" "" "$B8G" resume "$S"
# A limit at resume without --suspend-to is a limit, as for b8g run.
check resume-fuel-limit 8 "" "b8g: limit exceeded: out of fuel" "$B8G" resume --fuel 10 "$S"

# ---- a different host directory for the same guest path ----------------------------------
D1=$W/d1 D2=$W/d2
mkdir -p "$D1" && seq 1 300 | sed 's/^/line /' >"$D1/in.txt"
tr '[:lower:]' '[:upper:]' <"$D1/in.txt" >"$W/copy.want"
rm -f "$S"
check copy-suspend 9 "" "=b8g: suspended (out of fuel): state written to $S" \
    "$B8G" run --fuel 5000 --suspend-to "$S" --dir "$D1::/data" "$F/copy.wasm"
size=$(stat -c %s "$D1/out.txt" 2>/dev/null || echo 0)
if [ "$size" -gt 0 ] && [ "$size" -lt "$(stat -c %s "$W/copy.want")" ]; then ok
else fail copy-midway "out.txt has $size bytes: not suspended mid-copy"; fi
"$B8G" inspect "$S" >"$W/inspect-copy.out" 2>&1
inspect_match inspect-copy "$W/inspect-copy.out" \
    '  fd 3 preopen name "/data" path "" rights 0x[0-9a-f]+ inheriting 0x[0-9a-f]+' \
    '  fd 4 file name "/data" path "in.txt" rights 0x[0-9a-f]+ inheriting 0x[0-9a-f]+' \
    '  fd 5 file name "/data" path "out.txt" rights 0x[0-9a-f]+ inheriting 0x[0-9a-f]+'
check resume-no-dir 10 "" "b8g: bad image: fd 3: no preopened directory \"/data\" to restore" \
    "$B8G" resume "$S"
check resume-wrong-guest-path 10 "" '"/data"' "$B8G" resume "$S" --dir "$D1::/other"
cp -a "$D1" "$D2" && mv "$D1" "$D1.old"
check copy-resume 0 "copied 2592 bytes in 162 chunks" "" "$B8G" resume "$S" --dir "$D2::/data"
check copy-result 0 "" "" cmp "$W/copy.want" "$D2/out.txt"
# The old directory was not touched (the copy was made before resuming).
check copy-old-untouched 0 "" "" cmp -n "$size" "$W/copy.want" "$D1.old/out.txt"
if [ "$(stat -c %s "$D1.old/out.txt")" -eq "$size" ]; then ok
else fail copy-old-size "the original out.txt changed"; fi

# ---- SIGUSR1 and --timeout suspend a looping guest ------------------------------------
N=400000000
COUNT_OUT="counting to $N
done: sum $((N * (N - 1) / 2))"
rm -f "$S"
"$B8G" run --suspend-to "$S" "$F/count.wasm" "$N" >"$W/usr1.out" 2>"$W/usr1.err" &
pid=$!
for _ in $(seq 200); do grep -q counting "$W/usr1.out" 2>/dev/null && break; sleep 0.01; done
# Confined while it runs, though it will write an image.
if grep -q '^Seccomp:[[:space:]]*2$' "/proc/$pid/status" &&
    grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$pid/status"; then ok
else fail suspend-to-confined "no seccomp filter or no_new_privs in /proc/$pid/status"; fi
kill -USR1 "$pid"
rc=0
wait "$pid" || rc=$?
if [ "$rc" -eq 9 ]; then ok; else fail sigusr1 "exit status $rc, expected 9"; cat "$W/usr1.err"; fi
if [ "$(cat "$W/usr1.err")" = "b8g: suspended (interrupted: signal): state written to $S" ]; then ok
else fail sigusr1-message "$(cat "$W/usr1.err")"; fi
check sigusr1-resume 0 "done: sum $((N * (N - 1) / 2))" "" "$B8G" resume "$S"
if [ "$(cat "$W/usr1.out" "$W/out")" = "$COUNT_OUT" ]; then ok; else fail sigusr1-output "differs"; fi
rm -f "$S"
check timeout-suspend 9 "counting to $N" "=b8g: suspended (interrupted: timeout): state written to $S" \
    "$B8G" run --timeout 50ms --suspend-to "$S" "$F/count.wasm" "$N"
check timeout-resume 0 "done: sum $((N * (N - 1) / 2))" "" "$B8G" resume "$S"
# Resumed with a timeout again, and suspended again.
rm -f "$S" "$W/s2.b8g"
check timeout-suspend-2 9 "counting to $N" "suspended (interrupted: timeout)" \
    "$B8G" run --timeout 50ms --suspend-to "$S" "$F/count.wasm" "$N"
check timeout-resume-suspend 9 "" "=b8g: suspended (interrupted: timeout): state written to $W/s2.b8g" \
    "$B8G" resume --timeout 50ms --suspend-to "$W/s2.b8g" "$S"
check timeout-resume-end 0 "done: sum $((N * (N - 1) / 2))" "" "$B8G" resume "$W/s2.b8g"
# Without --suspend-to, SIGUSR1 keeps its default action.
"$B8G" run "$F/count.wasm" "$N" >"$W/usr1b.out" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q counting "$W/usr1b.out" 2>/dev/null && break; sleep 0.01; done
kill -USR1 "$pid"
rc=0
{ wait "$pid"; } 2>/dev/null || rc=$?
if [ "$rc" -eq $((128 + 10)) ]; then ok; else fail sigusr1-default "exit status $rc, expected 138"; fi

# ---- pause/resume equivalence over the corpus -----------------------------------------------
# Each program runs in the background and writes one line per check to
# $W/eq/NAME.log: "ok" or "FAIL what".  A program with setup "dir" gets a
# fresh scratch directory as /sandbox for every run (the suspended run's
# is the resumed run's), and its final contents are compared too.
mkdir -p "$W/eq"

# eq_exec OUT ARGS...: one b8g command; OUT.out, OUT.err, OUT.rc.
eq_exec() {
    local out=$1
    shift
    local rc=0
    timeout 60 "$B8G" "$@" >"$out.out" 2>"$out.err" </dev/null || rc=$?
    echo "$rc" >"$out.rc"
}

# The scratch directory's contents as one line per file: path and digest.
tree_digest() {
    (cd "$1" && find . -mindepth 1 \( -type f -printf '%p %s\n' -exec sha1sum {} + \) \
        -o \( ! -type f -printf '%p %y\n' \) | sort)
}

# equiv NAME SETUP OPTS -- PROGRAM ARGS...: the whole test of one program.
# OPTS go to every run and resume (limits that change the program's
# course, such as --max-stack, must be the same both ways), --env to runs
# only.
equiv() {
    local name=$1 setup=$2
    shift 2
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    # Resumes keep the recorded environment: no --env for them.
    local ropts=() k
    for ((k = 0; k < ${#opts[@]}; k++)); do
        case ${opts[k]} in
        --env) k=$((k + 1)) ;;
        --env=* | --env-inherit) ;;
        *) ropts+=("${opts[k]}") ;;
        esac
    done
    local prog=("$@") d=$W/eq/$name log=$W/eq/$name.log
    mkdir -p "$d"
    : >"$log"
    # A fresh scratch directory per run, when the program wants one.
    local sb=()
    fresh() {
        [ "$setup" = dir ] || return 0
        rm -rf "$d/sb" && mkdir "$d/sb"
        sb=(--dir "$d/sb::/sandbox")
    }
    fresh
    eq_exec "$d/ref" run "${opts[@]}" "${sb[@]}" "${prog[@]}"
    [ "$setup" = dir ] && tree_digest "$d/sb" >"$d/ref.tree"
    local ref_rc
    ref_rc=$(cat "$d/ref.rc")
    if [ "$ref_rc" = 8 ] || [ "$ref_rc" = 124 ]; then
        echo "FAIL $name: the reference run did not finish (status $ref_rc)" >>"$log"
        return
    fi
    local T
    T=$(min_fuel fresh "${opts[@]}" "${sb[@]}" "${prog[@]}")
    if [ -z "$T" ]; then
        echo "FAIL $name: no fuel bound found" >>"$log"
        return
    fi
    echo "T $T" >>"$log"
    # SNAP_POINTS points evenly over [1, T], the first and the last included.
    local n=$SNAP_POINTS points=() i f last=0
    [ "$T" -lt "$n" ] && n=$T
    for ((i = 0; i < n; i++)); do
        if [ "$n" -eq 1 ]; then f=1; else f=$((1 + (T - 1) * i / (n - 1))); fi
        [ "$f" -gt "$last" ] && points+=("$f") && last=$f
    done
    local state=$d/s.b8g why want_err
    for f in "${points[@]}"; do
        fresh
        rm -f "$state"
        eq_exec "$d/a" run "${opts[@]}" --fuel "$f" --suspend-to "$state" "${sb[@]}" "${prog[@]}"
        why=""
        rc=$(cat "$d/a.rc")
        if [ "$f" -ge "$T" ]; then
            # Enough fuel: the run finishes, exactly as the reference.
            if [ "$rc" != "$ref_rc" ]; then why="status $rc, expected $ref_rc"
            elif ! cmp -s "$d/a.out" "$d/ref.out"; then why="stdout differs"
            elif ! cmp -s "$d/a.err" "$d/ref.err"; then why="stderr differs"
            elif [ -e "$state" ]; then why="a state file was written"
            fi
        else
            want_err="b8g: suspended (out of fuel): state written to $state"
            if [ "$rc" != 9 ]; then why="run: status $rc, expected 9: $(head -c 300 "$d/a.err")"
            elif [ "$(cat "$d/a.err")" != "$want_err" ]; then why="run: stderr: $(head -c 300 "$d/a.err")"
            elif [ ! -f "$state" ]; then why="no state file"
            else
                eq_exec "$d/b" resume "${ropts[@]}" "$state" "${sb[@]}"
                rc=$(cat "$d/b.rc")
                if [ "$rc" != "$ref_rc" ]; then why="resume: status $rc, expected $ref_rc: $(head -c 300 "$d/b.err")"
                elif ! cat "$d/a.out" "$d/b.out" | cmp -s - "$d/ref.out"; then why="stdout differs"
                elif ! cmp -s "$d/b.err" "$d/ref.err"; then why="resume: stderr differs: $(head -c 300 "$d/b.err")"
                fi
            fi
        fi
        if [ -z "$why" ] && [ "$setup" = dir ] && ! tree_digest "$d/sb" | cmp -s - "$d/ref.tree"; then
            why="the scratch directory differs"
        fi
        if [ -n "$why" ]; then echo "FAIL $name at fuel $f of $T: $why" >>"$log"; else echo ok >>"$log"; fi
    done
    # The chain: run and every resume get a quarter of T and --suspend-to.
    local q=$(((T + 3) / 4)) seg=1 cur=$d/c0.b8g next
    fresh
    rm -f "$d"/c*.b8g
    eq_exec "$d/c0" run "${opts[@]}" --fuel "$q" --suspend-to "$cur" "${sb[@]}" "${prog[@]}"
    cp "$d/c0.out" "$d/chain.out"
    rc=$(cat "$d/c0.rc")
    why=""
    while [ "$rc" = 9 ] && [ -z "$why" ]; do
        next=$d/c$seg.b8g
        eq_exec "$d/c$seg" resume "${ropts[@]}" --fuel "$q" --suspend-to "$next" "$cur" "${sb[@]}"
        cat "$d/c$seg.out" >>"$d/chain.out"
        rc=$(cat "$d/c$seg.rc")
        seg=$((seg + 1))
        cur=$next
        [ "$seg" -gt 64 ] && why="more than 64 segments"
    done
    if [ -n "$why" ]; then :
    elif [ "$T" -gt 8 ] && [ "$seg" -lt 3 ]; then why="only $seg segments"
    elif [ "$rc" != "$ref_rc" ]; then why="status $rc, expected $ref_rc"
    elif ! cmp -s "$d/chain.out" "$d/ref.out"; then why="stdout differs"
    elif [ "$setup" = dir ] && ! tree_digest "$d/sb" | cmp -s - "$d/ref.tree"; then
        why="the scratch directory differs"
    fi
    if [ -n "$why" ]; then echo "FAIL $name chain of $seg: $why" >>"$log"; else echo ok >>"$log"; fi
}

# corpus NAME SETUP OPTS -- PROGRAM ARGS...: tests one program in the
# background, SNAP_JOBS at a time.
names=()
corpus() {
    names+=("$1")
    while [ "$(jobs -rp | wc -l)" -ge "$SNAP_JOBS" ]; do wait -n; done
    equiv "$@" &
}
start=$(date +%s)
corpus hello none -- "$G/hello.wasm"
corpus args none -- "$G/args.wasm" "a b" "héllo" "" --not-an-option x
corpus env none --env B8G_A=1 --env "B8G_B=two words" -- "$G/env.wasm"
corpus exit-raw none -- "$G/exit.wasm" raw 42
corpus exit-libc none -- "$G/exit.wasm" libc 7
corpus exit-return none -- "$G/exit.wasm" return 3
corpus recurse none --max-stack 64K -- "$G/recurse.wasm"
corpus grow none --max-memory 4M -- "$G/grow.wasm"
corpus files dir -- "$G/files.wasm"
corpus fd dir -- "$G/fd.wasm"
corpus dirs dir -- "$G/dirs.wasm"
corpus readdir dir -- "$G/readdir.wasm"
corpus open dir -- "$G/open.wasm"
corpus secret none -- "$F/secret.wasm"
corpus count none -- "$F/count.wasm" 3000
corpus squares-image none -- "$W/sq.b8g" img-arg
if [ -n "$K" ]; then
    corpus fib none -- "$K/fib.wasm" 20
    corpus sieve none -- "$K/sieve.wasm" 100000
    corpus nbody none -- "$K/nbody.wasm" 1000
    corpus fannkuch none -- "$K/fannkuch.wasm" 6
    corpus spectral none -- "$K/spectral.wasm" 50
    corpus mandel none -- "$K/mandel.wasm" 40
    corpus matmul none -- "$K/matmul.wasm" 40
    corpus hashtab none -- "$K/hashtab.wasm" 5000
    corpus sha256 none -- "$K/sha256.wasm" 1
    corpus trees none -- "$K/trees.wasm" 2
    corpus vm none -- "$K/vm.wasm" 1000
    corpus sort none -- "$K/sort.wasm" 2000
fi
wait
for name in "${names[@]}"; do
    log=$W/eq/$name.log
    n_ok=$(grep -c '^ok$' "$log")
    n_fail=$(grep -c '^FAIL' "$log")
    passed=$((passed + n_ok))
    failed=$((failed + n_fail))
    grep '^FAIL' "$log" | head -n 5
    [ "$n_ok" -eq 0 ] && [ "$n_fail" -eq 0 ] && fail "$name" "no result"
    [ "${VERBOSE:-0}" = 1 ] && echo "note: $name: T=$(sed -n 's/^T //p' "$log"), $n_ok ok"
done
echo "note: equivalence over ${#names[@]} programs, $SNAP_POINTS points each, in $(($(date +%s) - start)) s"

# ---- help ------------------------------------------------------------------------------------
check help-lists 0 "" "" sh -c "'$B8G' help | grep -q '^  snapshot ' && '$B8G' help | grep -q '^  resume ' && '$B8G' help | grep -q '^  inspect '"
check help-snapshot 0 "usage: b8g snapshot PROGRAM.wasm --init FUNC -o IMAGE.b8g [OPTIONS] [--] [ARGS...]" "" \
    sh -c "'$B8G' help snapshot | head -n 1"
check help-resume 0 "usage: b8g resume STATE.b8g [OPTIONS]" "" sh -c "'$B8G' resume --help | head -n 1"
check help-suspend-to 0 "" "" sh -c "'$B8G' help run | grep -q -- '--suspend-to STATE'"
finish
