#!/usr/bin/env bash
# tests/wasi/run.sh - the WASI preview1 suite: C guests (tests/wasi/guests,
# built by `make wasi-guests` into $BUILD/tests/wasi) run under `b8g run`
# and checked against tests/wasi/expected/NAME.txt, and, where both engines
# implement the same semantics, against Node's node:wasi as an oracle.
#
#   BUILD=build tests/wasi/run.sh        UPDATE=1: rewrite expected files
#
# Every case gets a fresh empty directory as --dir SB::/sandbox (fd 3).
# Expected files hold the guest's stdout and a last line "exit: STATUS".
# stderr must be empty unless the case names text it must contain.
#
# Node comparison: the same guest and options through node-run.mjs, with
# lines starting with "! " dropped on both sides (a guest marks that way
# the answers where Node is known to differ, saying why in its source);
# cases Node cannot run at all carry the reason in the table below.
# Without `node`, the comparisons are skipped with a note.
#
# Last line: "wasi: N passed, N failed"; exit status 1 on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/wasi
SRC=tests/wasi
NODE=${NODE:-node}
passed=0
failed=0
skipped_node=0

finish() {
    [ "$skipped_node" -gt 0 ] && echo "note: $skipped_node Node comparisons skipped"
    echo "wasi: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

fail() { # NAME WHY [DETAIL-FILE]
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    [ -n "${3:-}" ] && head -n 40 "$3" | sed 's/^/  /'
}

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
mkdir -p "$W" || exit 1
if ! make --no-print-directory -s BUILD="$BUILD" wasi-guests >"$W/guests.log" 2>&1; then
    fail setup "the guests do not build" "$W/guests.log"
    finish
fi
have_node=0
if command -v "$NODE" >/dev/null 2>&1; then
    have_node=1
else
    echo "note: $NODE not found, Node comparisons skipped"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/b8g-wasi.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# ro.c's read-only tree (called through a case's setup=).
# shellcheck disable=SC2317
setup_ro() {
    echo hello >"$1/hello.txt"
    mkdir "$1/sub"
    ln -s hello.txt "$1/link"
}

# run_one ENGINE OUT STDIN-MODE SETUP ENVVAR RO ARGS... : runs one engine
# (b8g or node) in fresh directories, writes stdout + "exit: N" to OUT and
# stderr to OUT.err.  RO=1 makes /sandbox read-only.  Placeholders in ARGS:
# @W (the guests), @F (fixtures), @SB2 (a second fresh directory).
run_one() {
    local engine=$1 out=$2 stdin=$3 setup=$4 envvar=$5 ro=$6
    shift 6
    local sb sb2 rc=0 a args=()
    sb=$(mktemp -d "$TMP/sb.XXXXXX") && sb2=$(mktemp -d "$TMP/sb2.XXXXXX") || exit 1
    [ -n "$setup" ] && "$setup" "$sb"
    for a in "$@"; do
        a=${a//@W/$W}
        a=${a//@F/$SRC/fixtures}
        args+=("${a//@SB2/$sb2}")
    done
    # A case that lets the guest inherit the environment gets a clean one
    # (PATH and its own variable), so whatever the caller exported cannot
    # change the expected output.
    local cmd=(env)
    [ -n "$envvar" ] && cmd+=(-i "PATH=$PATH" "$envvar")
    cmd+=(timeout 60)
    if [ "$engine" = node ]; then
        cmd+=("$NODE" --no-warnings "$SRC/node-run.mjs")
    else
        cmd+=("$B8G" run)
    fi
    local dir="$sb::/sandbox"
    [ "$ro" = 1 ] && dir="$dir:ro"
    # pipe: a real pipe, not a redirected file, is what those cases test.
    # shellcheck disable=SC2002
    case $stdin in
    none) "${cmd[@]}" --dir "$dir" "${args[@]}" >"$out" 2>"$out.err" </dev/null || rc=$? ;;
    pipe:*) cat -- "$SRC/fixtures/${stdin#pipe:}" |
        "${cmd[@]}" --dir "$dir" "${args[@]}" >"$out" 2>"$out.err" || rc=$? ;;
    slow) { sleep 0.5; echo late; } |
        "${cmd[@]}" --dir "$dir" "${args[@]}" >"$out" 2>"$out.err" || rc=$? ;;
    esac
    echo "exit: $rc" >>"$out"
    rm -rf "$sb" "$sb2"
}

# wcase NAME [node=REASON] [stdin=none|pipe:FIXTURE|slow] [err=TEXT]
#       [setup=FUNC] [env=NAME=VALUE] [ro] -- B8G-RUN-ARGS...
#   node=REASON  do not compare with Node, because REASON
#   stdin=       /dev/null, a fixture through a pipe, or a pipe that writes
#                "late" after 0.5 s
#   err=TEXT     stderr must contain TEXT (else it must be empty)
#   setup=FUNC   FUNC DIR fills /sandbox first
#   env=N=V      in the engine's own environment (for --env-inherit)
#   ro           /sandbox is preopened read-only
wcase() {
    local name=$1 node="" stdin=none err="" setup="" envvar="" ro=0
    shift
    while [ "$1" != -- ]; do
        case $1 in
        node=*) node=${1#node=} ;;
        stdin=*) stdin=${1#stdin=} ;;
        err=*) err=${1#err=} ;;
        setup=*) setup=${1#setup=} ;;
        env=*) envvar=${1#env=} ;;
        ro) ro=1 ;;
        *) echo "wcase $name: bad key $1" >&2; exit 2 ;;
        esac
        shift
    done
    shift
    local out=$TMP/$name.b8g want=$SRC/expected/$name.txt why=""
    run_one b8g "$out" "$stdin" "$setup" "$envvar" "$ro" "$@"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$out" "$want"
    fi
    if [ ! -f "$want" ]; then
        why="no expected output $want"
    elif ! diff -u "$want" "$out" >"$out.diff"; then
        why="output differs from $want"
    elif [ -z "$err" ] && [ -s "$out.err" ]; then
        why="stderr is not empty"
        cp "$out.err" "$out.diff"
    elif [ -n "$err" ] && ! grep -qF -- "$err" "$out.err"; then
        why="stderr lacks: $err"
        cp "$out.err" "$out.diff"
    fi
    if [ -n "$why" ]; then
        fail "$name" "$why" "$out.diff"
    else
        passed=$((passed + 1))
    fi

    if [ -n "$node" ]; then
        [ "${VERBOSE:-0}" = 1 ] && echo "note: $name not compared with Node: $node"
        return
    fi
    if [ "$have_node" = 0 ]; then
        skipped_node=$((skipped_node + 1))
        return
    fi
    local nout=$TMP/$name.node
    run_one node "$nout" "$stdin" "$setup" "$envvar" "$ro" "$@"
    if diff -u <(grep -v '^! ' "$nout") <(grep -v '^! ' "$out") >"$nout.diff"; then
        passed=$((passed + 1))
    else
        fail "$name vs node" "b8g (+) and Node (-) differ" "$nout.diff"
    fi
}

# ---- the cases ----------------------------------------------------------
NO_RO="Node has no read-only preopens"
wcase args -- @W/args.wasm "a b" "héllo ✓" "" --not-an-option x
wcase args-none -- @W/args.wasm
wcase env-none -- @W/env.wasm
wcase env-set -- --env B8G_A=1 --env "B8G_B=two words = é" --env B8G_EMPTY= @W/env.wasm
wcase env-not-inherited env=B8G_TEST_INHERITED=yes -- --env B8G_A=1 @W/env.wasm
wcase env-inherit env=B8G_TEST_INHERITED=yes -- --env-inherit --env B8G_A=1 @W/env.wasm
wcase stdio-file err="stdio: a line on stderr" -- --stdin @F/stdin.txt @W/stdio.wasm
wcase stdio-pipe stdin=pipe:stdin.txt err="stdio: a line on stderr" -- @W/stdio.wasm
wcase stdio-null err="stdio: a line on stderr" -- @W/stdio.wasm
wcase files -- @W/files.wasm
wcase dirs -- @W/dirs.wasm
wcase readdir -- @W/readdir.wasm
wcase open -- @W/open.wasm
wcase errno -- @W/errno.wasm
wcase rights -- @W/rights.wasm
wcase fd -- @W/fd.wasm
wcase prestat -- --dir @SB2::/data/two:ro @W/prestat.wasm
wcase ro ro setup=setup_ro node="$NO_RO" -- @W/ro.wasm
wcase poll -- @W/poll.wasm
wcase pollfd stdin=slow node="Node's poll_oneoff fails on files (EPERM), overshoots absolute deadlines and hangs after nsubscriptions=0" \
    -- @W/pollfd.wasm
wcase clock -- @W/clock.wasm
wcase exit-raw -- @W/exit.wasm raw 42
wcase exit-libc -- @W/exit.wasm libc 42
wcase exit-return -- @W/exit.wasm return 3
wcase exit-zero -- @W/exit.wasm raw 0
wcase raise err="trap: raised signal 6" node="Node's proc_raise signals the Node process" \
    -- @W/raise.wasm
wcase abort err="trap: unreachable" -- @W/raise.wasm abort
wcase sock node="Node answers ENOTCAPABLE or ENOTSUP where preview1 means ENOTSOCK" -- @W/sock.wasm
wcase strict node="Node answers EINVAL for EFAULT and deadlocks on some of these calls" \
    -- @W/strict.wasm
wcase hello -- @W/hello.wasm

# scase NAME MODE: sockio.wasm with sockets handed in as its stdio, driven
# by sockpeer.mjs (which needs Node; there is no oracle for this one).
scase() {
    local name=$1 mode=$2 out=$TMP/$1.b8g rc=0
    if [ "$have_node" = 0 ]; then
        echo "note: $name skipped: sockpeer.mjs needs $NODE"
        return
    fi
    timeout 60 "$NODE" --no-warnings "$SRC/sockpeer.mjs" "$mode" "$B8G" run "$W/sockio.wasm" \
        >"$out" 2>"$out.err" </dev/null || rc=$?
    [ "$rc" -eq 0 ] || echo "sockpeer exit: $rc" >>"$out"
    [ "${UPDATE:-0}" = 1 ] && cp "$out" "$SRC/expected/$name.txt"
    if diff -u "$SRC/expected/$name.txt" "$out" >"$out.diff"; then
        passed=$((passed + 1))
    else
        cat "$out.err" >>"$out.diff"
        fail "$name" "output differs from $SRC/expected/$name.txt" "$out.diff"
    fi
}
scase sock-stream stream
scase sock-listen listen

# ---- coverage: every preview1 function is imported by some guest --------
PREVIEW1="args_get args_sizes_get environ_get environ_sizes_get clock_res_get
clock_time_get fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get
fd_fdstat_set_flags fd_fdstat_set_rights fd_filestat_get fd_filestat_set_size
fd_filestat_set_times fd_pread fd_prestat_get fd_prestat_dir_name fd_pwrite
fd_read fd_readdir fd_renumber fd_seek fd_sync fd_tell fd_write
path_create_directory path_filestat_get path_filestat_set_times path_link
path_open path_readlink path_remove_directory path_rename path_symlink
path_unlink_file poll_oneoff proc_exit proc_raise sched_yield random_get
sock_accept sock_recv sock_send sock_shutdown"
imports=$(for f in "$W"/*.wasm; do wasm-objdump -j Import -x "$f"; done 2>/dev/null |
    sed -n 's/.*<- wasi_snapshot_preview1\.\([a-z_]*\)$/\1/p' | sort -u)
missing=""
for fn in $PREVIEW1; do
    grep -qx "$fn" <<<"$imports" || missing="$missing $fn"
done
if [ -z "$missing" ]; then
    passed=$((passed + 1))
else
    fail coverage "no guest imports:$missing"
fi
finish
