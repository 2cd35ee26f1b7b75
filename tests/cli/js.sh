#!/usr/bin/env bash
# tests/cli/js.sh - JavaScript in the sandbox: $BUILD/js/qjs.wasm (QuickJS
# with the driver in js/, `make js`) run by `b8g run`.
#
#   BUILD=build tests/cli/js.sh
#
# The corpus: every tests/js/*.js and *.mjs runs once under b8g, as
# `b8g run --dir tests/js::/js qjs.wasm /js/NAME`, and once under node,
# the oracle, and the two must print the same stdout and end with the same
# exit status.  A script whose output must differ from node's has
# NAME.expected beside it, holding b8g's stdout, and a header comment
# saying why; only the exit status is then compared with node.  Scripts
# that import read tests/js/modules/ through the preopen.
#
# Then the driver itself, where node is no oracle: how uncaught exceptions
# and rejections are reported, -e, scriptArgs, module detection, imports
# that leave the preopened directories, number formatting, the stack
# limit, the virtual clock, and pre-initialisation with `b8g snapshot
# --init b8g_js_init`.  Last line: "js: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
QJS=$BUILD/js/qjs.wasm
W=$BUILD/tests/js
NODE=${NODE:-node}
passed=0
failed=0

finish() {
    echo "js: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
ok() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
}

for need in "$B8G" "$QJS"; do
    [ -f "$need" ] || { fail setup "$need is missing (make all js)"; finish; }
done
command -v "$NODE" >/dev/null 2>&1 || { fail setup "no $NODE: the oracle is missing"; finish; }
rm -rf "$W" && mkdir -p "$W" || exit 1
B8G=$(cd "$(dirname "$B8G")" && pwd)/$(basename "$B8G")
QJS=$(cd "$(dirname "$QJS")" && pwd)/$(basename "$QJS")
CORPUS=$(cd tests/js && pwd)

# ---- the corpus, against node ------------------------------------------

# Dates are printed in UTC only, but TZ=UTC keeps node's clock-dependent
# defaults the same as QuickJS's under WASI (which has no time zones).
corpus() {
    local f name want nrc brc
    for f in "$CORPUS"/*.js "$CORPUS"/*.mjs; do
        name=$(basename "$f")
        TZ=UTC timeout 60 "$NODE" "$f" >"$W/$name.node" 2>"$W/$name.node.err" </dev/null
        nrc=$?
        timeout 60 "$B8G" run --dir "$CORPUS::/js" "$QJS" "/js/$name" \
            >"$W/$name.out" 2>"$W/$name.err" </dev/null
        brc=$?
        want=$W/$name.node
        [ -f "$CORPUS/${name%.*}.expected" ] && want=$CORPUS/${name%.*}.expected
        if [ "$brc" != "$nrc" ]; then
            fail "$name" "exit status $brc, node's $nrc"
            sed 's/^/  stderr: /' "$W/$name.err" | head -n 5
        elif ! cmp -s "$W/$name.out" "$want"; then
            fail "$name" "stdout differs from $([ "$want" = "$W/$name.node" ] && echo node || echo "${name%.*}.expected")"
            diff "$W/$name.out" "$want" | head -n 10 | sed 's/^/  /'
        else
            ok
        fi
    done
}
corpus

# ---- the driver ---------------------------------------------------------

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR CMD...: as tests/cli/run.sh
#   WANT_STDOUT is the exact stdout without its final newline; WANT_STDERR
#   is "" (must be empty), "=TEXT" (exactly), or text stderr must contain.
check() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc=0 err why=""
    shift 4
    local run=(timeout 60)
    declare -F "$1" >/dev/null && run=() # shell functions time their own steps
    "${run[@]}" "$@" >"$W/out" 2>"$W/err" </dev/null || rc=$?
    if [ -n "$want_out" ]; then printf '%s\n' "$want_out"; fi >"$W/want"
    err=$(cat "$W/err")
    if [ "$rc" != "$want_rc" ]; then
        why="exit status $rc, expected $want_rc"
    elif ! cmp -s "$W/out" "$W/want"; then
        why="stdout differs"
    else
        case $want_err in
        "") [ -z "$err" ] || why="stderr should be empty" ;;
        =*) [ "$err" = "${want_err#=}" ] || why="stderr differs" ;;
        *) case $err in *"$want_err"*) ;; *) why="stderr lacks: $want_err" ;; esac ;;
        esac
    fi
    if [ -z "$why" ]; then
        ok
        return
    fi
    fail "$name" "$why"
    echo "  command: $*"
    sed 's/^/  stdout: /' "$W/out"
    echo "$err" | sed 's/^/  stderr: /'
}

# js GUEST_ARGS...: b8g run of qjs.wasm with tests/js preopened as /js.
js() {
    timeout 60 "$B8G" run --dir "$CORPUS::/js" "$QJS" "$@"
}

# Reporting: "Name: message" and QuickJS's stack on stderr, status 1.
check uncaught-exception 1 $'before the throw\ncaught the first one: deliberate failure' \
    'TypeError: deliberate failure' js /js/uncaught_error.js
if grep -q '^    at fail (/js/uncaught_error.js:9)$' "$W/err"; then ok; else
    fail uncaught-stack "no stack line for fail() in: $(cat "$W/err")"
fi
check unhandled-rejection 1 $'start\nend of script\nasync function about to throw\nlate handler got: handled in a microtask' \
    'RangeError: nobody catches this' js /js/unhandled_rejection.js
check throw-non-error 1 "" '=Uncaught 42' js -e 'throw 42'
check reject-non-error 1 "" "=Uncaught (in promise) { reason: 'x' }" js -e "Promise.reject({ reason: 'x' })"
check microtask-throws 1 "" 'Error: in a microtask' js -e "queueMicrotask(() => { throw new Error('in a microtask'); })"
check timer-throws 1 "first" 'Error: in a timer' \
    js -e "setTimeout(() => { throw new Error('in a timer'); }, 5); setTimeout(() => console.log('first'), 1); setTimeout(() => console.log('never'), 9)"
check syntax-error 1 "" 'SyntaxError' js -e 'let = ;'
check missing-script 1 "" 'qjs: cannot read /js/no-such-file.js' js /js/no-such-file.js
check usage 2 "" 'usage: qjs.wasm' js
check unknown-option 2 "" 'qjs: unknown option --bogus' js --bogus x.js

# -e, scriptArgs, print, console's streams.
check eval 0 "42" "" js -e 'console.log(6 * 7)'
check eval-args 0 '["a","--b","c d"]' "" js -e 'console.log(JSON.stringify(scriptArgs))' a --b 'c d'
cat >"$W/args.js" <<'EOF'
console.log(JSON.stringify(scriptArgs));
EOF
check script-args 0 '["/w/args.js","x","--flag"]' "" \
    "$B8G" run --dir "$W::/w" "$QJS" /w/args.js x --flag
check print 0 'a 1 1,2 [object Object] null' "" js -e 'print("a", 1, [1, 2], {}, null)'
check console-streams 0 "out" "=err: { a: 1 }" js -e 'console.error("err:", { a: 1 }); console.log("out")'

# Modules: --module, .mjs, detection of import/export in a .js file,
# imports relative to the importing file, and no way out of the preopens.
check module-flag 0 "25" "" js -m -e 'import { square } from "/js/modules/math.mjs"; console.log(square(5))'
check eval-not-module 1 "" 'SyntaxError' js -e 'import { square } from "/js/modules/math.mjs"'
mkdir -p "$W/app/lib" "$W/outside"
cat >"$W/app/main.js" <<'EOF'
import { twice } from './lib/util.js';
console.log(twice(21), import.meta.main, import.meta.url);
EOF
cat >"$W/app/lib/util.js" <<'EOF'
export const twice = (x) => x * 2;
EOF
cat >"$W/outside/secret.mjs" <<'EOF'
export const secret = 'must not be readable';
EOF
cat >"$W/app/escape.mjs" <<'EOF'
import { secret } from '../outside/secret.mjs';
console.log(secret);
EOF
OUTSIDE=$(cd "$W/outside" && pwd)
cat >"$W/app/absolute.mjs" <<EOF
import { secret } from '$OUTSIDE/secret.mjs';
console.log(secret);
EOF
cat >"$W/app/dynamic.mjs" <<EOF
import('$OUTSIDE/secret.mjs').then(
  (m) => console.log('imported', m.secret),
  (e) => console.log('refused:', e.name, e.message));
EOF
check detect-module 0 '42 true file:///app/main.js' "" "$B8G" run --dir "$W/app::/app" "$QJS" /app/main.js
check import-escape-dotdot 1 "" "cannot load module" "$B8G" run --dir "$W/app::/app" "$QJS" /app/escape.mjs
check import-escape-absolute 1 "" "cannot load module '$OUTSIDE/secret.mjs'" \
    "$B8G" run --dir "$W/app::/app" "$QJS" /app/absolute.mjs
check import-escape-dynamic 0 \
    "refused: ReferenceError cannot load module '$OUTSIDE/secret.mjs': Capabilities insufficient" "" \
    "$B8G" run --dir "$W/app::/app" "$QJS" /app/dynamic.mjs

# Number formatting: ties round away from zero (printf would round them to
# even), radix conversion of fractions and of numbers beyond 2^53.
check number-ties 0 '3 -3 1.3 1.00 8.35 1.4 1.3e+2 1.3e-1' "" \
    js -e 'console.log((2.5).toFixed(0), (-2.5).toFixed(0), (1.25).toFixed(1), (1.005).toFixed(2), (8.345).toFixed(2), (1.45).toFixed(1), (125).toPrecision(2), (0.125).toExponential(1))'
check number-radix 0 '0.1 ff.8 1000000000000000 0.1 -z.i' "" \
    js -e 'console.log((0.5).toString(2), (255.5).toString(16), (2 ** 60).toString(16), (1 / 3).toString(3), (-35.5).toString(36))'
check number-misc 0 '1.23e+2 0.0000012 1.00e+21 1e+21 1e-7 5e-324 -0' "" \
    js -e 'console.log((123.456).toExponential(2), (0.000001234).toPrecision(2), (1e21).toPrecision(3), 1e21, 1e-7, 5e-324, -0)'

# The stack limit: deep recursion is a catchable error under the default
# --max-stack (never b8g's "call stack exhausted" trap), through plain
# calls and through native frames (Array.prototype.map).
check deep-recursion 0 'true true' "" \
    js -e 'let d = 0; function f() { d++; f(); } try { f(); } catch (e) { console.log(e instanceof Error, d > 5000); }'
check deep-recursion-native 0 'true' "" \
    js -e 'function g(n) { return [1].map(() => g(n + 1)); } try { g(0); } catch (e) { console.log(e instanceof Error); }'

# The virtual clock: an hour-long timer fires at once; Date.now() is real.
check virtual-clock 0 $'later\ntrue' "" \
    js -e 'const t = Date.now(); setTimeout(() => { console.log("later"); console.log(Date.now() - t < 60000); }, 3600e3)'

# Pre-initialisation: the runtime made by b8g_js_init and saved in an
# image; each run of the image gets its own arguments and Math.random
# seed.  The image is made with the preopen its runs use: b8g restores
# only the directories an image had (a --dir it did not have is not
# granted to the guest).
if "$B8G" snapshot "$QJS" --init b8g_js_init -o "$W/js.b8g" >"$W/snap.out" 2>&1; then
    ok
    check image-eval 0 "2" "" "$B8G" run "$W/js.b8g" -e 'console.log(1+1)'
    check image-args 0 '["x","y"]' "" "$B8G" run "$W/js.b8g" -e 'console.log(JSON.stringify(scriptArgs))' x y
    r1=$("$B8G" run "$W/js.b8g" -e 'console.log(Math.random())' 2>&1)
    r2=$("$B8G" run "$W/js.b8g" -e 'console.log(Math.random())' 2>&1)
    if [ "$r1" != "$r2" ]; then ok; else fail image-random "two runs of the image drew $r1 both"; fi
else
    fail snapshot "b8g snapshot --init b8g_js_init failed: $(cat "$W/snap.out")"
fi
if "$B8G" snapshot --dir "$CORPUS::/js" "$QJS" --init b8g_js_init -o "$W/js-dir.b8g" >"$W/snap.out" 2>&1; then
    ok
    "$B8G" run --dir "$CORPUS::/js" "$W/js-dir.b8g" /js/modules_basic.mjs >"$W/image-module.out" 2>&1
    if cmp -s "$W/image-module.out" "$W/modules_basic.mjs.node"; then ok; else
        fail image-module "modules_basic.mjs from the image differs from node:"
        diff "$W/image-module.out" "$W/modules_basic.mjs.node" | head -n 10 | sed 's/^/  /'
    fi
else
    fail snapshot-dir "b8g snapshot --dir ... failed: $(cat "$W/snap.out")"
fi

finish
