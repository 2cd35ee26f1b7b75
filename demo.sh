#!/bin/sh
# demo.sh - installs what is missing, builds b8g and runs the demo of
# running untrusted code (examples/demo.sh).
cd "$(dirname "$0")" || exit 1
. tests/deps.sh
deps_ensure || exit 1
make demo
