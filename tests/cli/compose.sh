#!/usr/bin/env bash
# tests/cli/compose.sh - `b8g compose`: applications that run, the exit
# status of each way a component can end, rights narrowed in the file,
# close propagation between components, and every kind of bad file
# refused with its location.
#
#   BUILD=build tests/cli/compose.sh
#
# Components: tests/compose/parts.wat (built here with wat2wasm) and the
# example pipeline stages (make examples).  Last line:
# "compose: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/compose
SUITE=compose
. tests/cli/lib.sh

rm -rf "$W" && mkdir -p "$W" || exit 1
if [ ! -x "$B8G" ] || ! wat2wasm tests/compose/parts.wat -o "$W/parts.wasm" ||
    ! make --no-print-directory -s BUILD="$BUILD" examples; then
    fail setup "cannot build b8g or the components"
    finish
fi
EX=$(cd "$BUILD/examples" && pwd)

# expect NAME STATUS PATTERN JSON: writes JSON to a file, runs b8g compose
# on it, checks the exit status and that stderr matches PATTERN.
expect() {
    local name=$1 want=$2 pattern=$3 rc=0
    printf '%s\n' "$4" >"$W/$name.json"
    timeout 60 "$B8G" compose "$W/$name.json" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
        sed 's/^/  | /' "$W/$name.err"
    elif ! grep -q -- "$pattern" "$W/$name.err"; then
        fail "$name" "stderr does not match \"$pattern\""
        sed 's/^/  | /' "$W/$name.err"
    else
        ok
    fi
}

part() { # ENTRY ARGS-JSON [EXTRA]
    printf '{"name": "%s", "module": "parts.wasm", "entry": "%s", "args": %s%s}' \
        "$1" "$1" "$2" "${3:-}"
}

# ---- applications that run ------------------------------------------------------
expect pipeline 0 "consumer returned 0" "{
  \"objects\": {\"raw\": {\"kind\": \"stream\"}, \"cooked\": {\"kind\": \"stream\", \"capacity\": 4096}},
  \"components\": [
    {\"name\": \"producer\", \"module\": \"$EX/producer.wasm\", \"args\": [\"raw.write\", {\"i32\": 8}]},
    {\"name\": \"transformer\", \"module\": \"$EX/transformer.wasm\", \"args\": [\"raw.read\", \"cooked.write\"]},
    {\"name\": \"consumer\", \"module\": \"$EX/consumer.wasm\", \"args\": [\"cooked.read\", {\"i32\": 8}]}]}"
if grep -q "^consumer: 8 MiB, checksum [0-9a-f]*, 0 bad words$" "$W/pipeline.out"; then ok
else fail pipeline-output "$(cat "$W/pipeline.out")"; fi
for c in producer transformer; do
    if grep -q "$c returned 0" "$W/pipeline.err"; then ok; else fail "pipeline-$c" "did not return 0"; fi
done
expect nothing-returned 0 "none finished" "{\"components\": [$(part none '[]')]}"
expect returns-zero 0 "ret returned 0" "{\"components\": [$(part ret '[{"i32": 0}]')]}"

# ---- how components end -----------------------------------------------------------
expect returns-nonzero 1 "ret returned 5" "{\"components\": [$(part ret '[{"i32": 5}]')]}"
expect trap 7 "unreachable" "{\"components\": [$(part trap '[{"i32": 0}]')]}"
expect timeout 8 "timeout" "{\"components\": [$(part spin '[]' ', "timeout": "200ms"')]}"
expect fuel 8 "fuel" "{\"components\": [$(part spin '[]' ', "fuel": 10000')]}"
printf '{"components": [%s]}\n' "$(part spin '[]')" >"$W/app-timeout.json"
rc=0
timeout 60 "$B8G" compose --timeout 300ms "$W/app-timeout.json" 2>"$W/app-timeout.err" || rc=$?
if [ "$rc" -eq 8 ] && grep -q timeout "$W/app-timeout.err"; then ok; else fail app-timeout-option "exit $rc"; fi

# ---- rights and handles ---------------------------------------------------------------
# write1 holds the write end with WAIT only: the write is refused (-3).
expect rights-narrowed 1 "write1 returned -3" "{
  \"objects\": {\"s\": {\"kind\": \"stream\"}},
  \"components\": [$(part write1 '[{"handle": "s.write", "rights": ["wait"]}]')]}"
# With the right the byte goes through to a reader; without a reader the
# write end finds the stream closed (-7).
expect rights-full 1 "drain returned 1" "{
  \"objects\": {\"s\": {\"kind\": \"stream\"}},
  \"components\": [$(part write1 '["s.write"]'), $(part drain '["s.read"]')]}"
if grep -q "write1 returned 1" "$W/rights-full.err"; then ok; else fail rights-full-write "no 1-byte write"; fi
expect no-reader 1 "write1 returned -7" "{
  \"objects\": {\"s\": {\"kind\": \"stream\"}},
  \"components\": [$(part write1 '["s.write"]')]}"
# The writer traps; its end closes with it and the reader sees the end
# of the stream instead of waiting for ever.
expect close-propagates 7 "drain returned 0" "{
  \"objects\": {\"s\": {\"kind\": \"stream\"}},
  \"components\": [$(part trap '["s.write"]'), $(part drain '["s.read"]')]}"

# ---- --trace: every component's host calls, the "b8g" ABI's decoded ---------------
cat >"$W/traced.json" <<EOF_JSON
{"objects": {"raw": {"kind": "stream"}, "cooked": {"kind": "stream", "capacity": 4096}},
 "components": [
  {"name": "producer", "module": "$EX/producer.wasm", "args": ["raw.write", {"i32": 1}]},
  {"name": "transformer", "module": "$EX/transformer.wasm", "args": ["raw.read", "cooked.write"]},
  {"name": "consumer", "module": "$EX/consumer.wasm", "args": ["cooked.read", {"i32": 1}]}]}
EOF_JSON
rc=0
timeout 60 "$B8G" compose --trace="$W/traced.jsonl" --trace=summary "$W/traced.json" \
    >"$W/traced.out" 2>"$W/traced.err" || rc=$?
if [ "$rc" -eq 0 ] && python3 - "$W/traced.jsonl" <<'EOF_PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
insts = {l["inst"] for l in lines}
fns = {l["fn"] for l in lines}
writes = [l for l in lines if l["fn"] == "b8g.stream_write"]
assert len(insts) == 3, insts
assert {"b8g.stream_read", "b8g.stream_write"} <= fns, fns
assert all(l["args"]["h_kind"] == "stream_write" and l["result"] == "ok" for l in writes)
# 1 MiB from the producer, and the transformer's copy of it
assert sum(l["ret"]["count"] for l in writes) == 2 << 20
EOF_PY
then ok; else fail compose-trace "exit $rc or bad trace lines"; fi
if grep -qE '^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +0 b8g\.stream_read$' "$W/traced.err"; then ok
else fail compose-trace-summary "$(cat "$W/traced.err")"; fi

# ---- a host program embedding the library (examples/host.c) ------------------
# It starts worker.wasm through b8g_main(shared, private, callback) and
# prints what the component reports on the callback.
host_check() { # NAME WANT-STATUS PATTERN [HOST ARGS...]
    local name=$1 want=$2 pattern=$3 rc=0
    shift 3
    timeout 60 "$EX/host" "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
        sed 's/^/  | /' "$W/$name.out" "$W/$name.err"
    elif ! grep -q -- "$pattern" "$W/$name.out" "$W/$name.err"; then
        fail "$name" "output does not match \"$pattern\""
        sed 's/^/  | /' "$W/$name.out" "$W/$name.err"
    else
        ok
    fi
}
python3 -c '
import random
random.seed(7)
words = ["alpha", "beta", "gamma", "delta", "eee", "x"]
print("\n".join(" ".join(random.choice(words) for _ in range(random.randint(0, 12))) for _ in range(30000)))
' >"$W/text.txt"
read -r lines words bytes < <(wc -l -w -c <"$W/text.txt")
host_check host-worker 0 "^component: done $lines $words $bytes a$" "$EX/worker.wasm" "$W/text.txt"
if [ "$(grep -c '^component: progress ' "$W/host-worker.out")" -eq $((bytes / 65536)) ]; then ok
else fail host-worker-progress "$(grep -c progress "$W/host-worker.out") progress reports"; fi
host_check host-worker-returned 0 "the component returned 0" "$EX/worker.wasm" "$W/text.txt"
printf '' >"$W/empty.txt"
host_check host-worker-empty 0 "^component: done 0 0 0 a$" "$EX/worker.wasm" "$W/empty.txt"
# Components without the entry, or with another shape of it: started,
# they fail at once, and say why.
host_check host-no-entry 1 "not exported" "$W/parts.wasm" "$W/empty.txt"
host_check host-wrong-entry 1 "wrong type" "$EX/producer.wasm" "$W/empty.txt"
host_check host-not-wasm 2 "host: " "$W/text.txt" "$W/empty.txt"

# ---- bad files ----------------------------------------------------------------------
expect syntax 2 "syntax.json:1:17: " "{\"components\": [}"
expect unknown-key 2 'unknown key "fule"' "{\"components\": [$(part ret '[{"i32": 0}]' ', "fule": 5')]}"
expect unknown-top 2 'unknown key "object"' "{\"object\": {}, \"components\": [$(part none '[]')]}"
expect no-components 2 "non-empty array" '{"components": []}'
expect unknown-object 2 'no object named "nope"' "{\"components\": [$(part ret '["nope"]')]}"
expect stream-end 2 'name a stream' "{\"objects\": {\"s\": {\"kind\": \"stream\"}}, \"components\": [$(part ret '["s"]')]}"
expect bad-kind 2 '"kind" must be' "{\"objects\": {\"s\": {\"kind\": \"pipe\"}}, \"components\": [$(part none '[]')]}"
expect region-size 2 'needs a "size"' "{\"objects\": {\"r\": {\"kind\": \"region\"}}, \"components\": [$(part none '[]')]}"
expect bad-right 2 'unknown right' "{\"objects\": {\"e\": {\"kind\": \"event\"}}, \"components\": [$(part ret '[{"handle": "e", "rights": ["own"]}]')]}"
expect duplicate-key 2 'duplicate' '{"components": [], "components": []}'
expect duplicate-name 2 'duplicate component name' "{\"components\": [$(part none '[]'), $(part none '[]')]}"
expect bad-size 2 'positive size' "{\"objects\": {\"s\": {\"kind\": \"stream\", \"capacity\": \"lots\"}}, \"components\": [$(part none '[]')]}"
expect wrong-arity 6 'has 1 parameters and 1 results, but the application passes 0' "{\"components\": [$(part ret '[]')]}"
expect no-entry 6 'no exported function "b8g_main"' '{"components": [{"name": "x", "module": "parts.wasm"}]}'
expect missing-module 11 'nothing.wasm' '{"components": [{"name": "x", "module": "nothing.wasm"}]}'
rc=0; "$B8G" compose >/dev/null 2>"$W/noarg.err" || rc=$?
if [ "$rc" -eq 2 ] && grep -q "no application file" "$W/noarg.err"; then ok; else fail no-file "exit $rc"; fi
if "$B8G" help compose | grep -q "^usage: b8g compose"; then ok; else fail help "no usage"; fi
finish
