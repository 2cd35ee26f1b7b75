# tests/deps.sh - sourced by ./demo.sh and ./test.sh: installs the Debian 12
# packages b8g needs, touching apt only when one is missing.
# wasi-libc, lld-14 and the wasm32 compiler-rt build the WASI test guests;
# nodejs is the oracle those tests compare with (and the JavaScript
# tests'), npm fetches QuickJS for the JavaScript guest (js/fetch.sh).
# libclang-rt-14-dev holds libFuzzer for the fuzz targets; binaryen
# generates the modules of the differential test.  libseccomp-dev builds the process confinement's
# seccomp filter (src/sys/seccomp.c); libxxhash-dev checksums snapshot
# images (src/snap/).  tmux drives one debugger session as a person types
# (tests/cli/debug.sh).
B8G_PACKAGES="build-essential clang wabt libcmocka-dev libjansson-dev wasi-libc lld-14 libclang-rt-14-dev-wasm32 libclang-rt-14-dev binaryen libseccomp-dev libxxhash-dev tmux"
command -v node >/dev/null 2>&1 || B8G_PACKAGES="$B8G_PACKAGES nodejs"
command -v npm >/dev/null 2>&1 || B8G_PACKAGES="$B8G_PACKAGES npm"

deps_ensure() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian system; make sure these are installed: $B8G_PACKAGES" >&2
        return 0
    fi
    missing=""
    for pkg in $B8G_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
            missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "deps: missing packages:$missing (run as root to install them)" >&2
            return 1
        }
        sudo=sudo
    fi
    echo "deps: installing$missing"
    $sudo apt-get update && $sudo apt-get install -y $missing
}
