#!/usr/bin/env bash
# tests/fuzz/seeds.sh - builds the seed corpora of the fuzz targets.
#
#   tests/fuzz/seeds.sh BUILD OUT
#
# fuzz_load and fuzz_run start from every module of the converted spec suite
# (BUILD/spec, from `make spec`) and the project's .wat test files; fuzz_path
# from a list of guest paths around the scratch tree fuzz_path builds (the
# first byte selects flags, see fuzz_path.c); fuzz_abi from random bytes;
# fuzz_image from images fuzz_image itself writes of tests/abi/snapshot.wat
# (idle and suspended at several points); fuzz_dwarf from -g builds of
# tests/fuzz/dwarf_seed.c.  Files are named by content
# hash, so re-running only adds what is new.  Nothing here is committed.
set -eu
BUILD=$1 OUT=$2
mkdir -p "$OUT/fuzz_load" "$OUT/fuzz_run" "$OUT/fuzz_path"
# Seeding takes a while; once done it is redone only for a newer spec build.
if [ -e "$OUT/.seeded" ] && [ -d "$OUT/fuzz_abi" ] && [ -d "$OUT/fuzz_image" ] && [ -d "$OUT/fuzz_dwarf" ] && ! [ "$BUILD/spec/.converted" -nt "$OUT/.seeded" ]; then
    echo "seeds: up to date"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


n=0
if [ -d "$BUILD/spec" ]; then
    while read -r h f; do
        h=${h:0:16}
        [ -e "$OUT/fuzz_load/$h" ] || cp "$f" "$OUT/fuzz_load/$h"
        [ -e "$OUT/fuzz_run/$h" ] || cp "$f" "$OUT/fuzz_run/$h"
        n=$((n + 1))
    done < <(find "$BUILD/spec" -name '*.wasm' -size -64k -exec sha1sum {} +)
fi
while IFS= read -r -d '' w; do
    if wat2wasm --enable-all "$w" -o "$tmp/m.wasm" 2>/dev/null ||
        wat2wasm "$w" -o "$tmp/m.wasm" 2>/dev/null; then
        h=$(sha1sum "$tmp/m.wasm" | cut -c1-16)
        cp "$tmp/m.wasm" "$OUT/fuzz_load/$h"
        cp "$tmp/m.wasm" "$OUT/fuzz_run/$h"
        n=$((n + 1))
    fi
done < <(find tests examples -name '*.wat' -print0 2>/dev/null)

i=0
for p in a d d/e in dirlink dirlink/e self/a up updir abs deep loop1 ddot/a \
    d/sub/esc d/sub/back ../box/a ./a d/../a d/sub/../../a a/ d// new \
    d/new dirlink/../up self/self/updir/box/a /a '' . .. "d/sub/../../../x"; do
    for sel in 0 1 3 8 9 16 24 4; do
        printf "\\x$(printf %02x "$sel")%s" "$p" >"$OUT/fuzz_path/seed-$i"
        i=$((i + 1))
    done
done
# fuzz_abi reads its input as a program of ABI calls: any bytes are one;
# a few random programs of different lengths start it off.
mkdir -p "$OUT/fuzz_abi"
for len in 16 64 256 600 1200 2400 4000; do
    head -c "$len" /dev/urandom >"$OUT/fuzz_abi/seed-$len"
done
mkdir -p "$OUT/fuzz_image"
B8G_FUZZ_IMAGE_SEEDS=$OUT/fuzz_image B8G_FUZZ_IMAGE_GUEST=$BUILD/tests/abi/snapshot.wasm \
    "$BUILD/fuzz/fuzz_image" >/dev/null
# fuzz_dwarf: dwarf_seed.c built freestanding (small seeds whose bytes are
# mostly DWARF), at -O0 and -O2 (inlined calls), DWARF 4 and 5.
mkdir -p "$OUT/fuzz_dwarf"
for opt in -O0 -O2; do
    for g in -g -gdwarf-5; do
        clang --target=wasm32 -nostdlib -Wl,--no-entry $opt $g -c tests/fuzz/dwarf_seed.c \
            -o "$tmp/seed.o" 2>/dev/null &&
            wasm-ld-14 --no-entry "$tmp/seed.o" -o "$OUT/fuzz_dwarf/seed$opt$g.wasm" 2>/dev/null ||
            echo "seeds: cannot build the DWARF seed ($opt $g)" >&2
    done
done
touch "$OUT/.seeded"
echo "seeds: $n modules, $i paths, 7 ABI programs, $(ls "$OUT/fuzz_image" | wc -l) images"
