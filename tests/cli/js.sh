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
# --init b8g_js_init`.
#
# Last, `b8g js`: the image $BUILD/js/qjs.b8g (`make js`) found beside
# b8g, the automatic read-only grant of the script's directory, and
# runaway scripts stopped by b8g run's limits or by QuickJS's own errors.
# Last line: "js: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
QJS=$BUILD/js/qjs.wasm
W=$BUILD/tests/js
NODE=${NODE:-node}
SUITE=js
. tests/cli/lib.sh

for need in "$B8G" "$QJS" "$BUILD/js/qjs.b8g"; do
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
# seed.  An image made with a preopen is run with the same one granted
# again (an image made without, b8g js's, gets a run's --dir as a new
# preopen: below).
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

# ---- b8g js ---------------------------------------------------------------

# A script directory (bjs/app, granted by b8g js as the path is written)
# beside a directory it must not reach (bjs/outside), and one granted only
# by --dir (bjs/shared).
J=$W/bjs
mkdir -p "$J/app/lib" "$J/outside" "$J/shared" || exit 1
cat >"$J/app/hello.js" <<'EOF'
console.log('hello', JSON.stringify(scriptArgs));
EOF
cat >"$J/app/this.js" <<'EOF'
console.log(this === undefined ? 'module' : 'script');
EOF
cat >"$J/app/main.mjs" <<'EOF'
import { twice } from './util.mjs';
import { half } from './lib/half.mjs';
console.log(twice(21), half(42));
EOF
cat >"$J/app/util.mjs" <<'EOF'
export const twice = (x) => x * 2;
EOF
cat >"$J/app/lib/half.mjs" <<'EOF'
export const half = (x) => x / 2;
EOF
cat >"$J/app/throw.js" <<'EOF'
console.log('before');
throw new Error('boom');
EOF
cat >"$J/outside/secret.mjs" <<'EOF'
export const secret = 'must not be readable';
EOF
cat >"$J/app/escape.mjs" <<'EOF'
import { secret } from '../outside/secret.mjs';
console.log(secret);
EOF
cat >"$J/app/escape_dynamic.mjs" <<'EOF'
import('../outside/secret.mjs').then(
  (m) => console.log('imported', m.secret),
  (e) => console.log('refused:', e.name));
EOF
cat >"$J/shared/shared.mjs" <<'EOF'
export const shared = 'from --dir';
EOF
cat >"$J/app/uses_shared.mjs" <<'EOF'
import { shared } from '/shared/shared.mjs';
console.log(shared);
EOF
cat >"$J/app/spin.js" <<'EOF'
for (;;) {}
EOF

# from_dir DIR CMD...: CMD run from DIR (a script named from there).
from_dir() {
    (cd "$1" && shift && timeout 60 "$@")
}

# The script by path from here, by bare name and with "./" from its own
# directory (wasi-libc resolves "app/hello.js" and "hello.js" against the
# preopens "app" and "."), -e and -m, arguments in scriptArgs.
check bjs-script 0 "hello [\"$J/app/hello.js\",\"a\",\"--b\"]" "" "$B8G" js "$J/app/hello.js" a --b
check bjs-bare-name 0 'hello ["hello.js","x"]' "" from_dir "$J/app" "$B8G" js hello.js x
check bjs-dot-slash 0 'hello ["hello.js"]' "" from_dir "$J/app" "$B8G" js ./hello.js
check bjs-relative-dir 0 'hello ["app/hello.js"]' "" from_dir "$J" "$B8G" js app/hello.js
check bjs-dotdot 0 'hello ["../app/hello.js"]' "" from_dir "$J/outside" "$B8G" js ../app/hello.js
check bjs-eval 0 '42 ["x","y"]' "" "$B8G" js -e 'console.log(6 * 7, JSON.stringify(scriptArgs))' x y
check bjs-script-classic 0 'script' "" "$B8G" js "$J/app/this.js"
check bjs-module-flag 0 'module' "" "$B8G" js -m "$J/app/this.js"
check bjs-module-long 0 'module' "" "$B8G" js --module "$J/app/this.js"
check bjs-import-sibling 0 '42 21' "" "$B8G" js "$J/app/main.mjs"
check bjs-options 0 '42 21' "" "$B8G" js --fuel=100000000 --timeout 10s --max-memory 64M "$J/app/main.mjs"
check bjs-throw 1 'before' 'Error: boom' "$B8G" js "$J/app/throw.js"
check bjs-missing-script 1 "" "qjs: cannot read $J/app/nope.js" "$B8G" js "$J/app/nope.js"
check bjs-no-script 2 "" 'no script given' "$B8G" js --fuel 10
check bjs-bad-option 2 "" 'unknown option "--bogus"' "$B8G" js --bogus "$J/app/hello.js"
check bjs-help 0 "$("$B8G" help js)" "" "$B8G" js --help

# Only the script's directory, read-only: no module outside it, by a
# relative or a dynamic import; a --dir grants more.
check bjs-escape 1 "" "cannot load module" "$B8G" js "$J/app/escape.mjs"
check bjs-escape-dynamic 0 'refused: ReferenceError' "" "$B8G" js "$J/app/escape_dynamic.mjs"
check bjs-no-dir 1 "" "cannot load module '/shared/shared.mjs'" "$B8G" js "$J/app/uses_shared.mjs"
check bjs-dir 0 'from --dir' "" "$B8G" js --dir "$J/shared::/shared:ro" "$J/app/uses_shared.mjs"
# The guest has no file API of its own, so the grant is read from state
# images: suspended runs show their descriptors.  b8g js's grant is the
# one fd an explicit "--dir D::D:ro" gives, with the read-only rights; a
# --dir with the script's guest path replaces it.
preopens() { # STATE: the preopen lines of a state image
    "$B8G" inspect "$1" | grep ' preopen '
}
D=$J/app
"$B8G" js --fuel 1000000 --suspend-to "$W/bjs-auto.b8g" "$D/spin.js" 2>/dev/null
"$B8G" js --fuel 1000000 --suspend-to "$W/bjs-ro.b8g" --dir "$D::$D:ro" "$D/spin.js" 2>/dev/null
"$B8G" js --fuel 1000000 --suspend-to "$W/bjs-rw.b8g" --dir "$D" "$D/spin.js" 2>/dev/null
auto=$(preopens "$W/bjs-auto.b8g") ro=$(preopens "$W/bjs-ro.b8g") rw=$(preopens "$W/bjs-rw.b8g")
if [ -n "$auto" ] && [ "$(wc -l <<<"$auto")" -eq 1 ] && [ "$auto" = "$ro" ] &&
    [[ $auto == *"fd 3 preopen name \"$D\" "* ]]; then ok; else
    fail bjs-grant-readonly "automatic grant: '$auto', explicit :ro: '$ro'"
fi
if [ "$(wc -l <<<"$rw")" -eq 1 ] && [ "$rw" != "$ro" ]; then ok; else
    fail bjs-grant-explicit "with --dir $D: '$rw' (read-only: '$ro')"
fi

# Profiling a large module under confinement: the report sorts hundreds
# of functions, which must not need a system call the filter refuses
# (glibc's qsort asks for sysinfo; b8g's heapsort asks for nothing).
check bjs-profile-confined 0 '199990000 3 1 100000000000000000000' "top 20 of" \
    "$B8G" js --profile "$W/js.folded" -e 'let s = 0; for (let i = 0; i < 20000; i++) s += i;
        const o = JSON.parse(JSON.stringify({a: [1, 2, {b: "x"}]})); const m = new Map([[1, 2]]);
        /a+b/.exec("aab"); class A { f() { return 1; } } new A().f(); [3, 1, 2].sort();
        (1.5).toFixed(2); console.log(s, o.a.length, m.size, String(10n ** 20n))'

# A script in / would grant the whole file system: only with --dir.
check bjs-root-refused 2 "" "=b8g: bad argument: /no-such-script.js is in the root directory: grant it with --dir explicitly, or move it" \
    "$B8G" js /no-such-script.js

# The image: $B8G_JS_IMAGE, else js/qjs.b8g beside b8g.
cp "$BUILD/js/qjs.b8g" "$W/other.b8g" || exit 1
check bjs-image-env 0 '2' "" env B8G_JS_IMAGE="$W/other.b8g" "$B8G" js -e 'console.log(1 + 1)'
check bjs-image-missing 11 "" "=b8g: i/o error: no JavaScript image at $W/none.b8g: build it with make js" \
    env B8G_JS_IMAGE="$W/none.b8g" "$B8G" js -e 'console.log(1)'
mkdir -p "$W/lonely" && cp "$B8G" "$W/lonely/b8g" || exit 1
LONELY=$(cd "$W/lonely" && pwd)
check bjs-image-beside 11 "" "no JavaScript image at $LONELY/js/qjs.b8g: build it with make js" \
    "$W/lonely/b8g" js -e 'console.log(1)'

# Only the image beside b8g is opened trusted, its stored code taken as
# it is (make js stores what the init ran); one named by B8G_JS_IMAGE, or
# one that others may write, is translated from its module.  The
# profile's last line says how the code was made ready.
taken() { # NAME MIN MAX B8G [ENV...]: functions a run took from the image
    local name=$1 min=$2 max=$3 b8g=$4 n
    shift 4
    env "$@" "$b8g" js --profile /dev/null -e 'console.log(1 + 1)' >"$W/out" 2>"$W/err"
    n=$(sed -n 's/^b8g: code: .*, \([0-9][0-9]*\) taken from the image$/\1/p' "$W/err")
    if [ -n "$n" ] && [ "$n" -ge "$min" ] && [ "$n" -le "$max" ] && [ "$(cat "$W/out")" = 2 ]; then
        ok
    else
        fail "$name" "taken: '$n' (wanted $min to $max); stdout: $(head -c 200 "$W/out"); stderr: $(tail -n 2 "$W/err")"
    fi
}
taken bjs-code-taken 50 100000 "$B8G"
taken bjs-code-env 0 0 "$B8G" B8G_JS_IMAGE="$W/other.b8g"
mkdir -p "$W/installed/js" && cp "$B8G" "$W/installed/b8g" &&
    cp "$BUILD/js/qjs.b8g" "$W/installed/js/qjs.b8g" && chmod 0644 "$W/installed/js/qjs.b8g" || exit 1
taken bjs-code-installed 50 100000 "$W/installed/b8g"
chmod 0664 "$W/installed/js/qjs.b8g" || exit 1
taken bjs-code-group-writable 0 0 "$W/installed/b8g"
chmod 0646 "$W/installed/js/qjs.b8g" || exit 1
taken bjs-code-world-writable 0 0 "$W/installed/b8g"

# runaway NAME WANT_STATUS WANT_STDERR MAX_MS CMD...: a script that does
# not stop by itself.  The exit status, WANT_STDERR in stderr's first
# line, no death by a signal (status 128 and up: b8g itself crashed), and
# the whole process over within MAX_MS (generous: the sanitizer and
# portable builds interpret several times slower).  Sets ms.
runaway() {
    local name=$1 want_rc=$2 want_err=$3 max_ms=$4 rc=0 t0 first why=""
    shift 4
    t0=$(date +%s%N)
    timeout 60 "$@" >"$W/out" 2>"$W/err" </dev/null || rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    first=$(head -n 1 "$W/err")
    echo "note: $name: status $rc after $ms ms: $first"
    if [ "$rc" -ge 128 ]; then
        why="b8g died of a signal (status $rc)"
    elif [ "$rc" != "$want_rc" ]; then
        why="exit status $rc, expected $want_rc"
    elif [[ $first != *"$want_err"* ]]; then
        why="stderr's first line lacks: $want_err"
    elif [ "$ms" -gt "$max_ms" ]; then
        why="took $ms ms (allowed $max_ms)"
    fi
    if [ -z "$why" ]; then
        ok
        return
    fi
    fail "$name" "$why"
    sed 's/^/  stderr: /' "$W/err" | head -n 5
}

# A loop: b8g's limits stop it (status 8, reported as b8g run reports them).
runaway bjs-loop-timeout 8 'b8g: limit exceeded: interrupted: timeout' 5000 \
    "$B8G" js --timeout 1s -e 'for (;;) {}'
if [ "$ms" -ge 1000 ]; then ok; else fail bjs-loop-timeout-early "ended after $ms ms, before the 1 s timeout"; fi
runaway bjs-loop-timeout-script 8 'b8g: limit exceeded: interrupted: timeout' 5000 \
    "$B8G" js --timeout 1s "$J/app/spin.js"
runaway bjs-loop-fuel 8 'b8g: limit exceeded: out of fuel' 20000 \
    "$B8G" js --fuel 20000000 -e 'let i = 0; for (;;) i++'
# Memory: past --max-memory, memory.grow fails, malloc returns NULL and
# QuickJS throws its out-of-memory error (uncaught: status 1).
runaway bjs-alloc-bomb 1 'InternalError: out of memory' 20000 \
    "$B8G" js --max-memory 64M -e 'const a = []; for (;;) a.push("x".repeat(1000) + a.length)'
check bjs-alloc-bomb-caught 0 'caught InternalError out of memory' "" \
    "$B8G" js --max-memory 64M -e 'let a = []; try { for (;;) a.push("x".repeat(1000) + a.length) } catch (e) { a = null; console.log("caught", e.name, e.message) }'
# Recursion: QuickJS's stack limit, a catchable error.
runaway bjs-recursion 1 'InternalError: stack overflow' 20000 \
    "$B8G" js -e 'function f(n) { return f(n + 1) + 1 } f(0)'
check bjs-recursion-caught 0 'caught InternalError stack overflow' "" \
    "$B8G" js -e 'function f(n) { return f(n + 1) + 1 } try { f(0) } catch (e) { console.log("caught", e.name, e.message) }'
# Under a --max-stack well below the default, b8g's own stack runs out
# first: a trap, the guest's stack unwound by the engine.
runaway bjs-recursion-max-stack 7 'b8g: trap: call stack exhausted' 20000 \
    "$B8G" js --max-stack 1M -e 'function f(n) { return f(n + 1) + 1 } try { f(0) } catch (e) { console.log("caught") }'
# Giant strings: 2^30 characters is past QuickJS's longest string (2^30 - 1)
# and refused before any allocation; one less needs 1 GiB, past
# --max-memory; a string doubled over and over runs out of memory.
runaway bjs-string-too-long 1 'InternalError: string too long' 20000 \
    "$B8G" js --max-memory 64M -e 'console.log("x".repeat(1 << 30).length)'
runaway bjs-string-giant 1 'InternalError: out of memory' 20000 \
    "$B8G" js --max-memory 64M -e 'console.log("x".repeat(2 ** 30 - 1).length)'
runaway bjs-string-doubling 1 'InternalError: out of memory' 20000 \
    "$B8G" js --max-memory 64M -e 'let s = "x"; for (;;) s += s'
# And the host goes on: the next run is normal.
check bjs-after-runaways 0 'hello ["hello.js","x"]' "" from_dir "$J/app" "$B8G" js hello.js x

finish
