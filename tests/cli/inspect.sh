#!/usr/bin/env bash
# tests/cli/inspect.sh - `b8g inspect` of modules (text and --json), of
# damaged and hostile files, and --json of an image.
#
#   BUILD=build tests/cli/inspect.sh
#
# Fixtures: tests/inspect/*.wat, built with wat2wasm (a ";; flags: ..."
# line gives its options); malformed files are written here byte by byte;
# a C program is built for wasm32-wasi with and without -g (skipped with a
# note if clang cannot target wasm32-wasi).  JSON is checked with python3.
# Images themselves are covered by tests/cli/snapshot.sh.
# Last line: "inspect: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
B8G=$BUILD/b8g
W=$BUILD/tests/inspect
WASI_CC=${WASI_CC:-clang}
MUTANTS=${MUTANTS:-300}
SUITE=inspect
. tests/cli/lib.sh

if [ ! -x "$B8G" ]; then
    fail setup "$B8G is missing (build it first)"
    finish
fi
rm -rf "$W" && mkdir -p "$W" || exit 1

build_fixtures() {
    local wat flags
    for wat in tests/inspect/*.wat; do
        flags=$(sed -n 's/^;; flags: //p' "$wat")
        # shellcheck disable=SC2086
        wat2wasm $flags "$wat" -o "$W/$(basename "$wat" .wat).wasm" || return 1
    done
}
if ! build_fixtures >"$W/build.log" 2>&1; then
    fail setup "cannot build the fixtures"
    sed 's/^/  | /' "$W/build.log"
    finish
fi

# inspect NAME WANT_STATUS ARGS...: runs b8g inspect ARGS into $W/NAME.out
# and $W/NAME.err (standard input is the caller's, for "-"); a status
# other than WANT_STATUS fails NAME, and so does a sanitizer report.
# A crash is a signal's status (128 + N), never the one wanted.
inspect() {
    local name=$1 want=$2 rc=0
    shift 2
    timeout 60 "$B8G" inspect "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
    if [ "$rc" != "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
        sed 's/^/  stderr: /' "$W/$name.err" | head -n 5
    elif grep -q 'Sanitizer\|runtime error' "$W/$name.err"; then
        fail "$name" "sanitizer report"
        head -n 20 "$W/$name.err"
    else
        ok
    fi
}

has_lines() { # NAME FILE LINE...: FILE has each line exactly
    local name=$1 file=$2 line missing=""
    shift 2
    for line in "$@"; do grep -qxF -- "$line" "$file" || missing="$missing [$line]"; done
    if [ -z "$missing" ]; then ok; else fail "$name" "missing lines:$missing"; sed 's/^/  | /' "$file"; fi
}
lacks_line() { # NAME FILE REGEX: no line of FILE matches REGEX
    if grep -qE -- "$3" "$2"; then fail "$1" "a line matches $3"; grep -E -- "$3" "$2" | sed 's/^/  | /'
    else ok; fi
}
err_has() { # NAME FILE TEXT: FILE (a stderr) contains TEXT
    if grep -qF -- "$3" "$2"; then ok; else fail "$1" "stderr lacks: $3"; sed 's/^/  | /' "$2"; fi
}
# section_list NAME FILE: the lines of the section table, as "id name offset size [custom]".
section_list() {
    sed -n '/^sections: /,/^[a-z]/p' "$2" | sed -n 's/^ *\([0-9][0-9]*\)  */\1 /p' | tr -s ' '
}
# json NAME FILE PYTHON-EXPR: FILE parses as JSON and the expression (over
# j, the document) is true.
json() {
    local name=$1 file=$2 expr=$3 why
    if why=$(python3 -c '
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception as e:
    print("does not parse: %s" % e); sys.exit(1)
if not eval(sys.argv[2]):
    print("false: " + sys.argv[2]); sys.exit(1)
' "$file" "$expr" 2>&1); then
        ok
    else
        fail "$name" "$why"
        sed 's/^/  | /' "$file" | head -n 40
    fi
}

# ---- a small MVP module: sections, types, imports, exports ----------------------
inspect small 0 "$W/small.wasm"
want_sections="1 type 0x8 14
2 import 0x18 26
3 function 0x34 3
5 memory 0x39 4
6 global 0x3f 12
7 export 0x4d 13
8 start 0x5c 1
9 element 0x5f 7
10 code 0x68 20
11 data 0x7e 8
0 custom 0x88 60 \"name\""
got=$(section_list small "$W/small.out")
if [ "$got" = "$want_sections" ]; then ok; else fail small-sections "got:
$got"; fi
has_lines small-fields "$W/small.out" "module: $W/small.wasm" "file size: 198 bytes" "version: 1" \
    "sections: 11" "types: 3" "  0: (i32 i32) -> (i32)" "  1: (i32) -> ()" "  2: () -> ()" \
    "imports: 2" '  func       0  "env" "log"  type 1: (i32) -> ()' \
    '  table      0  "env" "table"  funcref min 1, max 4 (elements)' \
    "functions: 3 (1 imported, 2 defined)" "tables: 1" "memories: 1" "  0: min 1, max 2 (pages)" \
    "globals: 2" "  0: mut i32" "  1: const i64" "exports: 2" '  memory     0  "mem"' \
    '  func       1  "add"' "data segments: 1" "element segments: 1" "start: function 2" \
    "data count: none" "custom sections: 1" '  "name" 60 bytes' \
    "name section: yes (3 function names)" "debug info: no" "source map: no" \
    "external debug info: no" "features used: none beyond the MVP" "validation: valid"
if [ -s "$W/small.err" ]; then fail small-stderr "$(cat "$W/small.err")"; else ok; fi
# From standard input, the same but for the name.
inspect small-stdin 0 - <"$W/small.wasm"
if diff <(sed 1d "$W/small.out") <(sed 1d "$W/small-stdin.out") >/dev/null &&
    [ "$(head -n 1 "$W/small-stdin.out")" = "module: -" ]; then ok
else fail small-stdin-same "output differs from the file's"; fi

# ---- features: each detected where used, none reported where not ---------------
feature() { # FIXTURE FEATURE STATUS: FIXTURE reports FEATURE and no other
    local fx=$1 feat=$2 want=$3
    inspect "$fx" "$want" "$W/$fx.wasm"
    has_lines "$fx-feature" "$W/$fx.out" "features used: 1"
    if grep -qE "^  $feat +[^ ]" "$W/$fx.out"; then ok; else fail "$fx-$feat" "not reported"; sed -n '/^features/,$p' "$W/$fx.out"; fi
}
feature multi_value multi-value 0
feature multi_value_block multi-value 0
feature bulk_memory bulk-memory 0
feature reference_types reference-types 0
feature two_tables reference-types 0
feature sign_extension sign-extension 0
feature sat_conversion nontrapping-float-to-int 0
feature mutable_global mutable-globals 0
feature simd simd 5
feature simd_type simd 5
feature threads threads 3
lacks_line small-no-features "$W/small.out" '^  (multi-value|bulk-memory|reference-types|simd|sign-extension|nontrapping-float-to-int|mutable-globals|threads|memory64) '
# Evidence names the instruction and where it is.
has_lines bulk-evidence "$W/bulk_memory.out" "  bulk-memory                memory.fill at 0x2d"
has_lines block-evidence "$W/multi_value_block.out" "  multi-value                block typed by an index at 0x24"
# SIMD only in a body: the module decodes, so its contents still print.
has_lines simd-contents "$W/simd.out" "types: 1" '  func       0  "f"' \
    "validation: unsupported feature: simd128 at offset 0x1f (function 0)"
err_has simd-stderr "$W/simd.err" "b8g: unsupported feature: simd128"
has_lines threads-sections "$W/threads.out" "sections: 1" "validation: malformed module: integer too large at offset 0xb"

# ---- names are escaped -----------------------------------------------------------
inspect names 0 "$W/names.wasm"
has_lines names-escaped "$W/names.out" '  func       0  "ev\x1bil" "f"  type 0: () -> ()' \
    '  func       1  "a\x01b"' '  func       2  "q\"uote\\back\x00nul"' '  memory     0  "c1\xc2\x85end"'
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$W/names.out"; then
    fail names-no-controls "a control character reached the output"
else ok; fi
inspect names-json 0 --json "$W/names.wasm"
json names-json-values "$W/names-json.out" \
    '[e["name"] for e in j["exports"]] == ["a\x01b", "q\"uote\\back\x00nul", "c1\x85end"] and j["imports"][0]["module"] == "ev\x1bil"'
if grep -qF '"q\"uote\\back\u0000nul"' "$W/names-json.out" && grep -qF '"ev\u001bil"' "$W/names-json.out" &&
    grep -qF '"c1\u0085end"' "$W/names-json.out"; then ok
else fail names-json-escapes "escapes not as documented"; grep name "$W/names-json.out"; fi

# ---- --json -------------------------------------------------------------------------
inspect small-json 0 --json "$W/small.wasm"
json small-json-shape "$W/small-json.out" \
    'j["kind"] == "module" and j["size"] == 198 and j["version"] == 1 and j["decoded"] and j["scan_error"] is None'
json small-json-sections "$W/small-json.out" \
    '[(s["id"], s["name"], s["offset"], s["size"]) for s in j["sections"]][:3] == [(1, "type", 8, 14), (2, "import", 24, 26), (3, "function", 52, 3)] and j["sections"][-1]["custom_name"] == "name" and len(j["sections"]) == 11'
json small-json-types "$W/small-json.out" \
    'j["types"][0] == {"params": ["i32", "i32"], "results": ["i32"]} and len(j["types"]) == 3'
json small-json-imports "$W/small-json.out" \
    'j["imports"][0] == {"module": "env", "name": "log", "kind": "func", "index": 0, "type": 1} and j["imports"][1]["kind"] == "table" and j["imports"][1]["max"] == 4'
json small-json-exports "$W/small-json.out" \
    'j["exports"] == [{"name": "mem", "kind": "memory", "index": 0}, {"name": "add", "kind": "func", "index": 1}]'
json small-json-spaces "$W/small-json.out" \
    'j["functions"] == {"imported": 1, "defined": 2, "total": 3} and j["memories"][0]["max"] == 2 and not j["memories"][0]["shared"] and [g["mutable"] for g in j["globals"]] == [True, False] and j["tables"][0]["imported"]'
json small-json-rest "$W/small-json.out" \
    'j["start"] == 2 and j["data_count"] is None and j["data_segments"] == 1 and j["element_segments"] == 1 and j["name_section"] == {"present": True, "module": None, "function_names": 3} and not j["debug_info"]["dwarf"] and j["features"] == [] and j["validation"] == {"valid": True, "exit_code": 0}'
inspect bulk-json 0 --json "$W/bulk_memory.wasm"
json bulk-json-features "$W/bulk-json.out" '[f["name"] for f in j["features"]] == ["bulk-memory"] and "memory.fill" in j["features"][0]["evidence"]'
json bulk-json-no-names "$W/bulk-json.out" 'j["name_section"] == {"present": False, "module": None, "function_names": None}'
inspect simd-json 5 --json "$W/simd_type.wasm"
json simd-json-verdict "$W/simd-json.out" \
    'not j["decoded"] and "types" not in j and j["validation"]["status"] == "unsupported feature" and j["validation"]["exit_code"] == 5 and [f["name"] for f in j["features"]] == ["simd"]'

# ---- an invalid module: exit 4 with the validator's message -------------------------
inspect invalid 4 "$W/invalid.wasm"
err_has invalid-stderr "$W/invalid.err" "b8g: invalid module: type mismatch"
has_lines invalid-verdict "$W/invalid.out" \
    "validation: invalid module: type mismatch in end: expected i32, got i64 at offset 0x21 (function 0)" \
    "types: 1" '  func       0  "f"'
inspect invalid-json 4 --json "$W/invalid.wasm"
json invalid-json-verdict "$W/invalid-json.out" \
    'j["validation"]["valid"] is False and j["validation"]["status"] == "invalid module" and j["validation"]["offset"] == 0x21 and j["validation"]["function"] == 0 and "type mismatch" in j["validation"]["message"]'

# ---- malformed and hostile files: the scan, exit 3, no crash ------------------------
head -c 100 "$W/small.wasm" >"$W/truncated.wasm"
inspect truncated 3 "$W/truncated.wasm"
has_lines truncated-scan "$W/truncated.out" "sections: 8" \
    "scan stopped at offset 0x5f: section runs past the end of the file (7 bytes declared, 3 left)"
if section_list truncated "$W/truncated.out" | grep -qx '9 element 0x5f 7 (truncated)'; then ok
else fail truncated-marked "the cut section is not marked"; fi
err_has truncated-stderr "$W/truncated.err" "b8g: malformed module:"
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\377\377\377\377\17\0' >"$W/badlen.wasm"
inspect badlen 3 "$W/badlen.wasm"
has_lines badlen-scan "$W/badlen.out" "sections: 2" \
    "scan stopped at offset 0xe: section runs past the end of the file (4294967295 bytes declared, 1 left)"
printf '\0asm\1\0\0\0\1\4\1\140\0\0\12\377\377\377\377\377\377\377\377\377\1' >"$W/hugeleb.wasm"
inspect hugeleb 3 "$W/hugeleb.wasm"
has_lines hugeleb-scan "$W/hugeleb.out" "sections: 1" \
    "scan stopped at offset 0xf: integer representation too long" \
    "validation: malformed module: integer representation too long at offset 0xf"
inspect hugeleb-json 3 --json "$W/hugeleb.wasm"
json hugeleb-json-scan "$W/hugeleb-json.out" \
    'len(j["sections"]) == 1 and j["scan_error"]["offset"] == 15 and j["validation"]["exit_code"] == 3'
printf 'hello, world' >"$W/garbage.wasm"
inspect garbage 3 "$W/garbage.wasm"
has_lines garbage-scan "$W/garbage.out" "sections: 0" "scan stopped at offset 0x0: magic header not detected"
: >"$W/empty.wasm"
inspect empty 3 "$W/empty.wasm"
# A custom section name that is not UTF-8: shown byte by byte, U+FFFD in JSON.
printf '\0asm\1\0\0\0\0\5\4na\377m' >"$W/badutf8.wasm"
inspect badutf8 3 "$W/badutf8.wasm"
has_lines badutf8-escaped "$W/badutf8.out" '  "na\xffm" 5 bytes' "validation: malformed module: malformed UTF-8 encoding at offset 0xa"
inspect badutf8-json 3 --json "$W/badutf8.wasm"
json badutf8-json-name "$W/badutf8-json.out" 'j["custom_sections"][0]["name"] == "na\ufffdm"'
# Mutants of the small module: whatever they hold, b8g answers with a
# module status and does not crash.
python3 - "$W/small.wasm" "$W/mutant" "$MUTANTS" <<'EOF'
import random, sys
data = open(sys.argv[1], "rb").read()
rng = random.Random(8)
for i in range(int(sys.argv[3])):
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(8, len(b))
        b[k] = rng.choice([0x00, 0x7f, 0x80, 0xff, rng.randrange(256)])
    if rng.random() < 0.2:
        b = b[:rng.randrange(8, len(b))]
    open("%s-%d.wasm" % (sys.argv[2], i), "wb").write(bytes(b))
EOF
bad=""
for m in "$W"/mutant-*.wasm; do
    for mode in text json; do
        rc=0
        if [ $mode = json ]; then
            timeout 20 "$B8G" inspect --json "$m" >"${m%.wasm}.json" 2>"$W/mutant.err" || rc=$?
        else
            timeout 20 "$B8G" inspect "$m" >/dev/null 2>"$W/mutant.err" || rc=$?
        fi
        case $rc in 0 | 3 | 4 | 5 | 8) ;; *) bad="$bad $(basename "$m") $mode($rc)" ;; esac
        if grep -q 'Sanitizer\|runtime error' "$W/mutant.err"; then bad="$bad $(basename "$m") $mode(sanitizer)"; fi
    done
done
bad="$bad$(python3 -c '
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/mutant-*.json")):
    try:
        json.load(open(f))
    except Exception as e:
        print(" %s(%s)" % (f.rsplit("/", 1)[1], e), end="")
' "$W")"
rm -f "$W"/mutant-*
if [ -z "$bad" ]; then ok; else fail mutants "$bad"; fi

# ---- the command line ----------------------------------------------------------------
inspect missing 11 "$W/no-such-file.wasm"
err_has missing-stderr "$W/missing.err" "b8g: i/o error: cannot open $W/no-such-file.wasm: No such file or directory"
if [ -s "$W/missing.out" ]; then fail missing-stdout "something was printed"; else ok; fi
inspect no-file 2
err_has no-file-stderr "$W/no-file.err" "b8g: bad argument: no module or image given"
inspect two-files 2 "$W/small.wasm" "$W/small.wasm"
inspect bad-option 2 --yaml "$W/small.wasm"
err_has bad-option-stderr "$W/bad-option.err" 'unknown option "--yaml"'
inspect help 0 --help
has_lines help-usage "$W/help.out" "usage: b8g inspect [--json] MODULE.wasm|IMAGE.b8g"
inspect json-after 0 "$W/small.wasm" --json
json json-after-parses "$W/json-after.out" 'j["kind"] == "module"'

# ---- debug info from a C program ------------------------------------------------------
cat >"$W/prog.c" <<'EOF'
#include <stdio.h>

static int square(int x) { return x * x; }

int main(int argc, char **argv)
{
    (void)argv;
    printf("%d\n", square(argc + 1));
    return 0;
}
EOF
# Debian's wasi-libc carries DWARF of its own, so the build without -g
# also drops what the library brings (--strip-debug): "no" must mean no.
if "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -g -O1 -o "$W/prog-g.wasm" "$W/prog.c" 2>"$W/cc.log" &&
    "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -O1 -Wl,--strip-debug -o "$W/prog.wasm" "$W/prog.c" 2>>"$W/cc.log"; then
    inspect prog-g 0 "$W/prog-g.wasm"
    if grep -qE '^debug info: yes \(.*\.debug_info.*\)$' "$W/prog-g.out" &&
        grep -qE '^debug info: yes \(.*\.debug_line.*\)$' "$W/prog-g.out"; then ok
    else fail prog-g-debug "$(grep '^debug info' "$W/prog-g.out")"; fi
    has_lines prog-g-valid "$W/prog-g.out" "validation: valid"
    inspect prog-g-json 0 --json "$W/prog-g.wasm"
    json prog-g-json-debug "$W/prog-g-json.out" \
        'j["debug_info"]["dwarf"] and {".debug_info", ".debug_line"} <= set(j["debug_info"]["dwarf_sections"]) and all(s.startswith(".debug_") for s in j["debug_info"]["dwarf_sections"])'
    json prog-g-json-imports "$W/prog-g-json.out" \
        'all(i["module"] == "wasi_snapshot_preview1" for i in j["imports"]) and any(e["name"] == "_start" for e in j["exports"])'
    inspect prog 0 "$W/prog.wasm"
    has_lines prog-no-debug "$W/prog.out" "debug info: no" "validation: valid"
else
    echo "note: the debug-info checks are skipped: $WASI_CC cannot build for wasm32-wasi"
    sed 's/^/  | /' "$W/cc.log"
fi

# ---- --json of an image ---------------------------------------------------------------
if timeout 60 "$B8G" snapshot "$W/image.wasm" --init init -o "$W/image.b8g" >"$W/snap.log" 2>&1; then
    ok
    inspect image 0 "$W/image.b8g"
    has_lines image-text "$W/image.out" "image: $W/image.b8g" "checksum: ok" "suspended: no" "handles: 3"
    inspect image-json 0 --json "$W/image.b8g"
    size=$(stat -c %s "$W/image.b8g")
    json image-json-fields "$W/image-json.out" \
        'j["kind"] == "image" and j["checksum_ok"] and j["rehashable"] and j["file_size"] == '"$size"' and j["memories"] == 1 and j["memory_bytes"] == 65536 and not j["suspended"] and j["fuel"] is None and j["argc"] == 1 and j["envc"] == 0'
    json image-json-handles "$W/image-json.out" \
        '[(h["fd"], h["kind"], h["name"]) for h in j["handles"]] == [(0, "stdio", "stdin"), (1, "stdio", "stdout"), (2, "stdio", "stderr")] and j["handles"][1]["rights"] == 0x82000fd'
    inspect image-stdin-json 0 --json - <"$W/image.b8g"
    json image-stdin-json-kind "$W/image-stdin-json.out" 'j["kind"] == "image" and j["file"] == "-"'
else
    fail image-snapshot "cannot snapshot $W/image.wasm"
    sed 's/^/  | /' "$W/snap.log"
fi

finish
