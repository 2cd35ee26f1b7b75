#!/usr/bin/env bash
# tests/cli/trace.sh - host call tracing through the CLI: `--trace`,
# `--trace=FILE`, `--trace=summary` (docs/trace.md).
#
#   BUILD=build tests/cli/trace.sh
#
# tests/trace/known.wat makes a fixed list of WASI calls; its trace must
# be exactly that list (compared member by member once the timestamps
# and durations are taken out), whether on stderr or in a file, confined
# or not, and its summary must count exactly those calls and failures.
# tests/trace/hostile.wat passes quotes, control and non-UTF-8 bytes,
# pointers and lengths outside memory and an iovec count of 2^31: every
# line must still be one JSON object (python3's json, on the bytes decoded
# as strict UTF-8) saying what the guest passed, and the run must go on.
# tests/trace/loop.wat is traced across a --suspend-to / resume and as an
# image.  Last line: "trace: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/trace
SUITE=trace
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
if ! command -v python3 >/dev/null; then
    fail setup "python3 is needed to parse the JSON lines"
    finish
fi
rm -rf "$W" && mkdir -p "$W/data" || exit 1
for wat in tests/trace/*.wat; do
    if ! wat2wasm "$wat" -o "$W/$(basename "$wat" .wat).wasm" 2>"$W/build.log"; then
        fail setup "cannot build $wat"
        sed 's/^/  | /' "$W/build.log"
        finish
    fi
done
printf 'some data\n' >"$W/data/in.txt"

# run NAME WANT_STATUS WANT_STDOUT CMD...: runs CMD with stdout in $W/out
# and stderr in $W/err; checks the status and the exact stdout (without
# its final newline; "-": any).  False (and a failure counted) if they
# differ.
run() {
    local name=$1 want_rc=$2 want_out=$3 rc=0
    shift 3
    timeout 30 "$@" >"$W/out" 2>"$W/err" </dev/null || rc=$?
    if [ -n "$want_out" ]; then printf '%s\n' "$want_out"; fi >"$W/want"
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit status $rc, expected $want_rc"
    elif [ "$want_out" != - ] && ! cmp -s "$W/out" "$W/want"; then
        fail "$name" "stdout differs"
    else
        return 0
    fi
    echo "  command: $*"
    sed 's/^/  stdout: /' "$W/out"
    sed 's/^/  stderr: /' "$W/err"
    return 1
}

# pycheck NAME SCRIPT ARGS...: counts a pass if the python script exits 0;
# else a failure with what it printed.
pycheck() {
    local name=$1 script=$2 out
    shift 2
    if out=$(python3 -c "$script" "$@" 2>&1); then
        ok
    else
        fail "$name" "see below"
        printf '%s\n' "$out" | sed 's/^/  | /'
    fi
}

# Shared by the checks below: the lines of a trace file, each one JSON
# object with exactly the documented members in order, timestamps that
# never go back; stripped of "t" and "dur_ns".
LOAD='
import json, sys
def load(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # strict: every line must be valid UTF-8
    assert text.endswith("\n") or text == "", "no final newline"
    recs, last = [], -1
    for n, line in enumerate(text.splitlines(), 1):
        assert all(" " <= c != "\x7f" and not "\x80" <= c <= "\x9f" for c in line), \
            "raw control character in line %d" % n
        rec = json.loads(line)
        keys = list(rec)
        assert keys == ["t", "inst", "fn", "args", "result", "ret", "dur_ns"], "line %d: members %s" % (n, keys)
        assert isinstance(rec["t"], int) and rec["t"] >= last, "line %d: t" % n
        assert isinstance(rec["dur_ns"], int) and rec["dur_ns"] >= 0, "line %d: dur_ns" % n
        assert isinstance(rec["args"], dict) and isinstance(rec["ret"], dict), "line %d" % n
        last = rec["t"]
        del rec["t"], rec["dur_ns"]
        recs.append(rec)
    return recs
def same(got, want):
    if got == want:
        return
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g != w:
            print("record %d:\n  got  %s\n  want %s" % (i + 1, json.dumps(g), json.dumps(w)))
    sys.exit(1)
'

# ---- the known program -----------------------------------------------------

KNOWN=$W/known.wasm
DIR="$W/data::/data"
EXPECT_KNOWN=$LOAD'
W = "wasi_snapshot_preview1."
argv = [sys.argv[2], "a", "b"]
size = sum(len(a.encode()) + 1 for a in argv)
def call(fn, args, result, ret):
    return {"inst": 1, "fn": W + fn, "args": args, "result": result, "ret": ret}
open_args = lambda path: {"fd": 3, "fd_kind": "dir", "dirflags": "0x1", "path": path,
    "oflags": "0x0", "rights_base": "0x2", "rights_inheriting": "0x0", "fdflags": "0x0"}
want = [
    call("args_sizes_get", {}, "ESUCCESS", {"argc": 3, "argv_buf_size": size}),
    call("fd_write", {"fd": 1, "fd_kind": "stdio", "iovs": 1, "bytes": 6, "preview": "hello\n"},
         "ESUCCESS", {"nwritten": 6}),
    call("path_open", open_args("in.txt"), "ESUCCESS", {"fd": 4, "fd_kind": "file"}),
    call("fd_read", {"fd": 4, "fd_kind": "file", "iovs": 1, "bytes": 64}, "ESUCCESS",
         {"nread": 10, "preview": "some data\n"}),
    call("fd_close", {"fd": 4, "fd_kind": "file"}, "ESUCCESS", {}),
    call("path_open", open_args("missing.txt"), "ENOENT", {}),
    call("proc_exit", {"code": 3}, "trap: exit(3)", {}),
]
same(load(sys.argv[1]), want)
'

if run known-stderr 3 hello "$B8G" run --trace --dir "$DIR" "$KNOWN" a b; then
    ok
    pycheck known-stderr-lines "$EXPECT_KNOWN" "$W/err" "$KNOWN"
fi

# a file: stderr stays clean; under confinement (the default) and without
for mode in confined no-confine; do
    flags=()
    [ $mode = no-confine ] && flags=(--no-confine)
    rm -f "$W/known.trace"
    if run "known-file-$mode" 3 hello "$B8G" run "${flags[@]}" --trace="$W/known.trace" \
        --dir "$DIR" "$KNOWN" a b; then
        if [ -s "$W/err" ]; then fail "known-file-$mode" "stderr is not empty"; else ok; fi
        pycheck "known-file-$mode-lines" "$EXPECT_KNOWN" "$W/known.trace" "$KNOWN"
    fi
done

# the summary: exact counts per function, failures, the total
SUMMARY='
import re, sys
want = {"args_sizes_get": (1, 0), "fd_write": (1, 0), "path_open": (2, 1), "fd_read": (1, 0),
        "fd_close": (1, 0), "proc_exit": (1, 0)}
lines = open(sys.argv[1]).read().splitlines()
assert lines[0].split() == ["%", "time", "seconds", "ns/call", "calls", "errors", "function"], lines[0]
got, total, pct = {}, None, 0.0
row = re.compile(r"^ *([0-9.]+) +([0-9.]+) +([0-9]+) +([0-9]+) +([0-9]+) (\S+)$")
for line in lines[1:]:
    if line.startswith("---"):
        continue
    m = re.match(r"^ *([0-9.]+) +([0-9.]+) +([0-9]+) +([0-9]+) total$", line)
    if m:
        total = (int(m.group(3)), int(m.group(4)))
        continue
    m = row.match(line)
    assert m, "not a row: %r" % line
    fn = m.group(6)
    assert fn.startswith("wasi_snapshot_preview1."), fn
    got[fn.split(".", 1)[1]] = (int(m.group(4)), int(m.group(5)))
    pct += float(m.group(1))
assert got == want, got
assert total == (7, 1), total
assert 99.0 <= pct <= 101.0, pct
'
if run known-summary 3 hello "$B8G" run --trace=summary --dir "$DIR" "$KNOWN" a b; then
    ok
    pycheck known-summary-counts "$SUMMARY" "$W/err"
fi
rm -f "$W/both.trace"
if run known-lines-and-summary 3 hello "$B8G" run --trace="$W/both.trace" --trace=summary \
    --dir "$DIR" "$KNOWN" a b; then
    ok
    pycheck both-summary "$SUMMARY" "$W/err"
    pycheck both-lines "$EXPECT_KNOWN" "$W/both.trace" "$KNOWN"
fi

# without --trace nothing is added
if run untraced 3 hello "$B8G" run --dir "$DIR" "$KNOWN" a b; then
    if [ -s "$W/err" ]; then fail untraced "stderr is not empty"; else ok; fi
fi

# ---- a hostile program -------------------------------------------------------

HOSTILE='
recs = load(sys.argv[1])
assert len(recs) == 12, len(recs)
fns = [r["fn"].split(".", 1)[1] for r in recs]
assert fns == ["path_open"] * 4 + ["fd_write"] * 4 + ["args_sizes_get", "fd_close"] + ["fd_write"] * 2, fns
nasty = "a\"b\nc\x01\x1b[31m\\xff\\xfe\\x5cd\u00e9\u0085\u2028"
assert recs[0]["args"]["path"] == nasty, recs[0]
assert recs[1]["args"]["path"] == "x" * 256 + "\u2026" and recs[1]["args"]["path_len"] == 300, recs[1]
assert recs[2]["args"]["path"] == "<bad pointer>" and recs[2]["result"] == "EFAULT", recs[2]
assert recs[3]["args"]["path_len"] == 4294967295 and recs[3]["result"] == "EFAULT", recs[3]
assert recs[4]["args"]["preview"] == nasty and recs[4]["ret"] == {"nwritten": 22}, recs[4]
assert recs[5]["args"] == {"fd": 1, "fd_kind": "stdio", "iovs": 2147483648, "bytes": "<not read>"}, recs[5]
assert recs[5]["result"] == "EINVAL", recs[5]
assert recs[6]["args"]["bytes"] == "<bad pointer>" and recs[6]["result"] == "EFAULT", recs[6]
assert recs[7]["args"]["preview"] == "<bad pointer>" and recs[7]["result"] == "EFAULT", recs[7]
assert recs[8]["result"] == "EFAULT" and recs[8]["ret"] == {}, recs[8]
assert recs[9]["args"] == {"fd": 2147483647, "fd_kind": "none"} and recs[9]["result"] == "EBADF", recs[9]
assert recs[10]["args"]["fd_kind"] == "none" and recs[10]["result"] == "EBADF", recs[10]
assert recs[11]["args"]["preview"] == "survived\n" and recs[11]["result"] == "ESUCCESS", recs[11]
'
rm -f "$W/hostile.trace"
printf 'a"b\nc\001\033[31m\377\376\\d\303\251\302\205\342\200\250survived\n' >"$W/hostile.out"
if run hostile 0 "$(cat "$W/hostile.out")" "$B8G" run --trace="$W/hostile.trace" \
    --dir "$DIR" "$W/hostile.wasm"; then
    if [ -s "$W/err" ]; then fail hostile "stderr is not empty"; else ok; fi
    pycheck hostile-lines "$LOAD$HOSTILE" "$W/hostile.trace"
fi
# on stderr the lines stay lines, whatever the guest wrote to stdout
if run hostile-stderr 0 "$(cat "$W/hostile.out")" "$B8G" run --trace --dir "$DIR" \
    "$W/hostile.wasm"; then
    ok
    pycheck hostile-stderr-lines "$LOAD$HOSTILE" "$W/err"
fi

# ---- suspended and resumed, and an image -----------------------------------

# the previews of two traces together are the five lines; the first has
# between MIN and 4 of them
LINES='
a, b = load(sys.argv[1]), load(sys.argv[2])
assert int(sys.argv[3]) <= len(a) <= 4, len(a)
previews = [r["args"]["preview"] for r in a + b]
assert previews == ["line %d\n" % i for i in range(5)], previews
assert all(r["inst"] == 1 and r["result"] == "ESUCCESS" for r in a + b)
'
resumed=""
for fuel in 2500 1500 3500; do
    rm -f "$W/s.b8g" "$W/before.trace" "$W/after.trace"
    "$B8G" run --trace="$W/before.trace" --fuel $fuel --suspend-to "$W/s.b8g" \
        "$W/loop.wasm" >/dev/null 2>&1 </dev/null
    [ $? -eq 9 ] || continue
    resumed=$fuel
    if run resume 0 - "$B8G" resume --trace="$W/after.trace" "$W/s.b8g"; then
        ok
        pycheck resume-lines "$LOAD$LINES" "$W/before.trace" "$W/after.trace" 1
    fi
    break
done
[ -n "$resumed" ] || fail resume "no --fuel value suspended loop.wasm"

rm -f "$W/loop.b8g" "$W/image.trace"
if run snapshot 0 "" "$B8G" snapshot "$W/loop.wasm" --init init -o "$W/loop.b8g" &&
    run image 0 "$(printf 'line %d\n' 0 1 2 3 4)" "$B8G" run --trace="$W/image.trace" \
        "$W/loop.b8g"; then
    ok
    : >"$W/empty.trace"
    pycheck image-lines "$LOAD$LINES" "$W/empty.trace" "$W/image.trace" 0
fi

# ---- the option ---------------------------------------------------------------

if run empty-value 2 "" "$B8G" run --trace= "$KNOWN"; then
    if grep -q 'invalid value "" for --trace' "$W/err"; then ok; else fail empty-value "message"; fi
fi
if run unwritable 11 "" "$B8G" run --trace="$W/no/such/dir/t" "$KNOWN"; then
    if grep -q 'cannot open the trace' "$W/err"; then ok; else fail unwritable "message"; fi
fi
if "$B8G" help run | grep -q -- '--trace'; then ok; else fail help "b8g help run lacks --trace"; fi

finish
