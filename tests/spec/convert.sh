#!/bin/sh
# convert.sh SPEC_DIR OUT_DIR - converts every .wast script of the spec
# suite with wast2json into OUT_DIR/NAME/NAME.json (+ NAME.N.wasm/.wat side
# files; one folder per script keeps their names apart).  Quiet on success;
# on any failure says which scripts and why, and exits non-zero.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: convert.sh SPEC_DIR OUT_DIR" >&2
    exit 2
fi
spec=$1
out=$2

if ! command -v wast2json >/dev/null 2>&1; then
    echo "convert.sh: wast2json not found (Debian package wabt)" >&2
    exit 1
fi
if [ ! -d "$spec" ]; then
    echo "convert.sh: $spec: no such directory" >&2
    exit 1
fi

mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
count=0
for wast in "$spec"/*.wast; do
    [ -e "$wast" ] || break
    name=$(basename "$wast" .wast)
    # A stale folder could mix side files of two conversions.
    rm -rf "${out:?}/$name"
    mkdir -p "$out/$name"
    if ! wast2json "$wast" -o "$out/$name/$name.json" >"$log" 2>&1; then
        echo "convert.sh: wast2json failed on $wast:" >&2
        cat "$log" >&2
        failed=$((failed + 1))
    fi
    count=$((count + 1))
done

if [ "$count" -eq 0 ]; then
    echo "convert.sh: no .wast files in $spec" >&2
    exit 1
fi
if [ "$failed" -ne 0 ]; then
    echo "convert.sh: $failed of $count scripts did not convert" >&2
    exit 1
fi
