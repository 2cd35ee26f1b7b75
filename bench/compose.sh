#!/usr/bin/env bash
# bench/compose.sh - the component examples against plain pipes, in one
# run: examples/pipeline.json (1 GiB through producer -> transformer ->
# consumer over two b8g streams) and examples/pingpong.json (20,000
# round trips through a shared region and two events), beside
# bench/pipes.c doing the same between two host processes.
#
#   BUILD=build bench/compose.sh
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
make --no-print-directory -s BUILD="$BUILD" "$BUILD/b8g" "$BUILD/bench/pipes" examples || exit 1

now() { date +%s.%N; }
t0=$(now)
"$BUILD/b8g" compose examples/pipeline.json 2>"$BUILD/bench/pipeline.log" || {
    cat "$BUILD/bench/pipeline.log" >&2; exit 1; }
t1=$(now)
"$BUILD/bench/pipes" throughput 1024 | tee "$BUILD/bench/pipes.txt" || exit 1
b8g_ping=$("$BUILD/b8g" compose examples/pingpong.json 2>"$BUILD/bench/pingpong.log") || {
    cat "$BUILD/bench/pingpong.log" >&2; exit 1; }
echo "$b8g_ping"
pipe_ping=$("$BUILD/bench/pipes" pingpong 20000) || exit 1
echo "$pipe_ping"

awk -v t0="$t0" -v t1="$t1" -v bp="$b8g_ping" -v pp="$pipe_ping" '
function us(s) { sub(/ us each.*/, "", s); sub(/.*, /, "", s); return s + 0 }
END {
    b8g = 1073741824 / (t1 - t0) / 1e9
    getline line < ARGV[1]; split(line, f, ", "); pipe = f[2] + 0
    printf "pipeline: b8g compose %.2f GB/s (whole process, 3 stages), pipe %.2f GB/s: %.2fx of a pipe\n", b8g, pipe, b8g / pipe
    printf "ping-pong: b8g %.2f us per round trip, pipe %.2f us: %.2fx of a pipe\n", us(bp), us(pp), us(bp) / us(pp)
}' "$BUILD/bench/pipes.txt" </dev/null
