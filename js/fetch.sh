#!/usr/bin/env bash
# js/fetch.sh DIR - QuickJS 2021-03-27 as shipped inside the npm package
# qjsc@0.3.0 (deps/quickjs_2021_03_27), unpacked into DIR/quickjs.
#
# The tarball is fetched with `npm pack` into DIR only if it is not there
# already, so a build that has it never touches the network.  Its SHA-256
# is pinned: a registry (or a cache) serving anything else fails the build
# here, before a byte of it is compiled, and the tarball is moved aside to
# DIR/qjsc-0.3.0.tgz.bad so that the next run fetches it afresh.
# DIR/quickjs/.extracted marks a complete extraction (the Makefile's target).
set -eu
PKG=qjsc@0.3.0
TGZ=qjsc-0.3.0.tgz
SHA256=4a9ed1852b334d842d5dac42d1782817ae26310b448de39532451fd45c9ba0ee
INNER=package/deps/quickjs_2021_03_27

[ $# -eq 1 ] || { echo "usage: js/fetch.sh DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir"

if [ ! -f "$dir/$TGZ" ]; then
    command -v npm >/dev/null 2>&1 || {
        echo "js/fetch.sh: npm is needed to fetch $PKG (apt-get install npm)" >&2
        exit 1
    }
    echo "js/fetch.sh: fetching $PKG with npm pack"
    # Into a temporary name first: an interrupted fetch must not look cached.
    tmp=$(mktemp -d "$dir/npm-pack.XXXXXX")
    if ! (cd "$tmp" && npm pack --silent "$PKG" >/dev/null) || [ ! -f "$tmp/$TGZ" ]; then
        rm -rf "$tmp"
        echo "js/fetch.sh: npm pack $PKG failed" >&2
        exit 1
    fi
    mv "$tmp/$TGZ" "$dir/$TGZ"
    rm -rf "$tmp"
fi

got=$(sha256sum "$dir/$TGZ" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
    mv -f "$dir/$TGZ" "$dir/$TGZ.bad"
    echo "js/fetch.sh: $TGZ has SHA-256 $got," >&2
    echo "js/fetch.sh: expected $SHA256 (pinned); refusing to build it" >&2
    echo "js/fetch.sh: (moved to $dir/$TGZ.bad)" >&2
    exit 1
fi

rm -rf "$dir/quickjs" "$dir/quickjs.tmp"
mkdir -p "$dir/quickjs.tmp"
tar -xzf "$dir/$TGZ" -C "$dir/quickjs.tmp" --strip-components=3 "$INNER"
mv "$dir/quickjs.tmp" "$dir/quickjs"
touch "$dir/quickjs/.extracted"
