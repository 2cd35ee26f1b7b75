#!/usr/bin/env bash
# tests/wasi/escape/run.sh - guests that try every way out of their
# preopens, run under `b8g run`, checked from the guest and from the host.
#
#   BUILD=build tests/wasi/escape/run.sh        (VERBOSE=1: every line)
#
# Each guest tests/wasi/escape/NAME.c is built with clang for wasm32-wasi
# into $BUILD/tests/wasi/escape/NAME.wasm and run in a fresh scratch tree:
#
#   T/outside.txt, T/outside_dir/,    canaries outside every preopen
#   T/empty_dir/
#   T/root/                           --dir T/root::/sandbox    (fd 3)
#   T/ro/                             --dir T/ro::/ro:ro        (fd 4)
#
# with fixtures planted by the host (symlinks to /etc, to T/outside.txt,
# relative chains that climb out, loops); the guest gets T as argv[1].
# The guests are written so that a broken sandbox can only damage T: they
# only read through links to system files (/etc), and every attempt that
# would write, rename, link or delete aims at T's canaries.  A guest prints "OK denied ..."
# or "FAIL ..." per attempt and exits 1 on any FAIL.  The host then checks
# that nothing outside T/root changed (names, types, sizes, modes, link
# counts, mtimes and contents of T and of T/ro), that no "ESCAPED-*" name
# appeared next to T, in /tmp or in /, and that b8g ended normally.
#
# Counts: every "OK denied" line is a pass, every "FAIL" line a failure,
# plus one check per guest for its exit status and one for the host-side
# state.  Last line: "escape: N passed, N failed"; exit status 1 on failure.
set -u
cd "$(dirname "$0")/../../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
OUT=$BUILD/tests/wasi/escape
SRC=tests/wasi/escape
WASI_CC=${WASI_CC:-clang}
passed=0
failed=0

finish() {
    echo "escape: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if [ ! -x "$B8G" ]; then
    echo "escape: $B8G missing (build it first)" >&2
    failed=1
    finish
fi
mkdir -p "$OUT" || exit 1

# Builds NAME.wasm when missing or older than its sources.
build_guest() {
    local name=$1 wasm=$OUT/$1.wasm
    if [ ! -f "$wasm" ] || [ "$SRC/$name.c" -nt "$wasm" ] || [ "$SRC/escape.h" -nt "$wasm" ]; then
        "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror \
            -I"$SRC" "$SRC/$name.c" -o "$wasm" 2>"$OUT/$name.build.log" || return 1
    fi
}

# The scratch tree; $1 is its top directory.
make_tree() {
    local t=$1
    mkdir -p "$t/outside_dir" "$t/empty_dir" "$t/root/sub" "$t/root/b" "$t/root/deep/d1/d2/d3" \
        "$t/ro/rosub" || return 1
    echo canary >"$t/outside.txt"
    echo secret >"$t/outside_dir/secret.txt"
    echo file >"$t/root/file.txt"
    echo inner >"$t/root/sub/inner.txt"
    echo readonly >"$t/ro/ro.txt"
    echo x >"$t/ro/rosub/x.txt"
    ln -s /etc "$t/root/etc_link"
    ln -s /etc/passwd "$t/root/passwd_link"
    ln -s "$t/outside.txt" "$t/root/abs_out"
    ln -s "$t/outside_dir" "$t/root/abs_dir"
    ln -s .. "$t/root/up"
    ln -s ../outside.txt "$t/root/out_rel"
    ln -s sub/chain2 "$t/root/chain1"
    ln -s ../../outside.txt "$t/root/sub/chain2"
    ln -s b/../../.. "$t/root/a"
    ln -s ../../../../../outside.txt "$t/root/deep/d1/d2/d3/out"
    ln -s ../ESCAPED-dangling.txt "$t/root/dangling_out"
    ln -s loop2 "$t/root/loop1"
    ln -s loop1 "$t/root/loop2"
    ln -s ../outside.txt "$t/ro/rolink"
}

# Everything in T except the read-write preopen, with contents, so any
# change outside it shows up as a difference.
snapshot() {
    local t=$1
    (cd "$t" && find . -path ./root -prune -o \
        -printf '%p %y %s %m %n %T@ %l\n' | LC_ALL=C sort &&
        find . -path ./root -prune -o -type f -print0 | LC_ALL=C sort -z |
        xargs -0 -r sha256sum)
}

escaped_names() {
    local t=$1
    ls -d "$t"/ESCAPED-* "$t"/../ESCAPED-* /tmp/ESCAPED-* /ESCAPED-* /etc/ESCAPED-* 2>/dev/null
}

run_guest() {
    local name=$1 t log ok fails rc before after extra
    log=$OUT/$name.log
    if ! build_guest "$name"; then
        echo "FAIL $name: does not build (see $OUT/$name.build.log)"
        failed=$((failed + 1))
        return
    fi
    t=$(mktemp -d "${TMPDIR:-/tmp}/b8g-escape.XXXXXX") || exit 1
    make_tree "$t"
    before=$(snapshot "$t")
    local passwd_before
    passwd_before=$(stat -c '%s %Y %h' /etc/passwd)
    rc=0
    timeout 60 "$B8G" run --dir "$t/root::/sandbox" --dir "$t/ro::/ro:ro" \
        "$OUT/$name.wasm" "$t" >"$log" 2>"$OUT/$name.stderr" || rc=$?
    ok=$(grep -c '^OK denied' "$log")
    fails=$(grep -c '^FAIL' "$log")
    passed=$((passed + ok))
    failed=$((failed + fails))
    [ "${VERBOSE:-0}" = 1 ] && sed "s/^/  $name: /" "$log"
    [ "$fails" -eq 0 ] || grep '^FAIL' "$log" | sed "s/^/$name: /"
    if [ "$rc" -eq 0 ] && [ "$ok" -gt 0 ] && grep -q '^all denied$' "$log"; then
        passed=$((passed + 1))
    else
        echo "FAIL $name: exit status $rc, $ok denials (see $log, $OUT/$name.stderr)"
        failed=$((failed + 1))
    fi
    after=$(snapshot "$t")
    extra=$(escaped_names "$t")
    if [ "$before" = "$after" ] && [ -z "$extra" ] &&
        [ "$passwd_before" = "$(stat -c '%s %Y %h' /etc/passwd)" ]; then
        passed=$((passed + 1))
    else
        echo "FAIL $name: the host changed outside the sandbox"
        diff <(echo "$before") <(echo "$after") | head -n 20
        if [ -n "$extra" ]; then
            echo "created outside: $extra"
            # Only names the guests use; removed so a failure stays local.
            while IFS= read -r path; do rm -rf -- "$path"; done <<<"$extra"
        fi
        failed=$((failed + 1))
    fi
    rm -rf "$t"
}

if ! echo 'int main(void){return 0;}' |
    "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -x c - -o "$OUT/.probe.wasm" 2>/dev/null; then
    echo "escape: $WASI_CC cannot build wasm32-wasi (packages wasi-libc, lld, libclang-rt wasm32)" >&2
    failed=1
    finish
fi

for src in "$SRC"/*.c; do
    run_guest "$(basename "$src" .c)"
done
finish
