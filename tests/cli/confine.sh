#!/usr/bin/env bash
# tests/cli/confine.sh - `b8g run` confines its own process: while a guest
# sleeps in poll_oneoff, /proc/PID/status of every thread of b8g shows
# no_new_privs and a seccomp filter; with --no-confine it shows neither.
# `b8g doctor` and `b8g version` report what the kernel offers.
#
#   BUILD=build tests/cli/confine.sh
#
# The sleeping guest is tests/cli/wasi_probe.wat's "sleep" export, built
# here with wat2wasm.  Last line: "confine: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/confine
SUITE=confine
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing"
    finish
fi
mkdir -p "$W" || exit 1
if ! wat2wasm tests/cli/wasi_probe.wat -o "$W/probe.wasm"; then
    fail setup "cannot build the probe guest"
    finish
fi

# ---- doctor and version ------------------------------------------------------
rc=0
"$B8G" doctor >"$W/doctor.out" 2>&1 || rc=$?
if [ "$rc" -eq 0 ]; then ok; else fail doctor "exit status $rc"; sed 's/^/  /' "$W/doctor.out"; fi
for line in "Landlock: " "seccomp filter: ok" "no_new_privs: ok" \
    "guard-page reservations: ok" "SIGSEGV handler: ok"; do
    if grep -q "^$line" "$W/doctor.out"; then ok; else fail "doctor-line" "no line starting \"$line\""; fi
done
if grep -q '^Landlock: ok (ABI [0-9]*)$\|^Landlock: missing' "$W/doctor.out"; then ok
else fail doctor-landlock "Landlock line malformed"; fi
if "$B8G" version | grep -q '^confinement: seccomp allow-list, no_new_privs'; then ok
else fail version "no confinement line"; fi
if "$B8G" help run | grep -q -- '--no-confine'; then ok
else fail help "--no-confine is not documented"; fi
if "$B8G" help | grep -q '^  doctor '; then ok
else fail help "doctor is not listed"; fi

# ---- /proc/PID/status while the guest sleeps --------------------------------
# watch NAME PID: every 20 ms until PID exits, samples NoNewPrivs and
# Seccomp of each of its threads (one line per thread into
# $W/NAME.samples) and how many threads it has (into $W/NAME.threads).
# Bounded (30 s) and ends at a zombie too, whoever reaps it.
watch() {
    local name=$1 pid=$2 t n i
    : >"$W/$name.samples"
    : >"$W/$name.threads"
    for ((i = 0; i < 1500; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        grep -q '^State:[[:space:]]*Z' /proc/"$pid"/status 2>/dev/null && break
        n=0
        for t in /proc/"$pid"/task/*; do
            awk '/^(NoNewPrivs|Seccomp):/ {printf "%s=%s ", $1, $2} END {print ""}' \
                "$t/status" 2>/dev/null >>"$W/$name.samples" && n=$((n + 1))
        done
        echo "$n" >>"$W/$name.threads"
        sleep 0.02
    done
}

# A 1 s sleep under --timeout, so the watchdog thread is running too.
"$B8G" run --timeout 30s --invoke sleep "$W/probe.wasm" 1000000000 >"$W/confined.out" 2>&1 &
pid=$!
watch confined "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$W/confined.out")" = 0 ]; then ok
else fail confined-run "exit status $rc, output $(cat "$W/confined.out")"; fi
if grep -q 'NoNewPrivs:=1 Seccomp:=2' "$W/confined.samples"; then ok
else fail confined-status "never saw NoNewPrivs: 1 and Seccomp: 2"; fi
# Once the filter is in, every thread sampled has it: the timer thread too.
threads=$(awk '/Seccomp:=2/ {seen = 1} seen && NF' "$W/confined.samples" | sort -u)
if [ "$threads" = "NoNewPrivs:=1 Seccomp:=2 " ]; then ok
else fail confined-threads "a thread without the filter: $(echo "$threads" | tr '\n' '|')"; fi
if [ "$(sort -n "$W/confined.threads" | tail -n 1)" -ge 2 ]; then ok
else fail confined-threads "never saw the timer thread"; fi

"$B8G" run --no-confine --timeout 30s --invoke sleep "$W/probe.wasm" 500000000 \
    >"$W/free.out" 2>&1 &
pid=$!
watch free "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$W/free.out")" = 0 ]; then ok
else fail no-confine-run "exit status $rc, output $(cat "$W/free.out")"; fi
if grep -q 'Seccomp:=0' "$W/free.samples" && ! grep -q 'Seccomp:=[12]\|NoNewPrivs:=1' "$W/free.samples"
then ok
else fail no-confine-status "saw a filter or no_new_privs with --no-confine"; fi

# ---- confined, the guest still reaches what it was granted -----------------
rm -rf "$W/dir" && mkdir -p "$W/dir" && printf 'granted\n' >"$W/dir/in.txt"
if [ "$("$B8G" run --dir "$W/dir::/d" --invoke prestat_name "$W/probe.wasm" 3)" = $'/d\n0' ]; then ok
else fail confined-preopen "the preopen is not visible"; fi
if [ "$("$B8G" run --stdin "$W/dir/in.txt" --invoke read "$W/probe.wasm" 0 2>&1)" = 0 ]; then ok
else fail confined-stdin "reading --stdin failed"; fi
# --no-confine takes no value.
if "$B8G" run --no-confine=1 "$W/probe.wasm" 2>&1 | grep -q 'option --no-confine takes no value'; then ok
else fail no-confine-value "--no-confine=1 accepted"; fi

finish
