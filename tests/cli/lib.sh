# tests/cli/lib.sh - what the command-line suites share, sourced after a
# suite has set SUITE (the name its last line starts with) and W (its
# work directory, where check keeps the command's output):
#
#   ok / fail NAME WHY [DETAIL-FILE]   count a check (fail says why, and
#                                      shows DETAIL-FILE indented)
#   finish                             "SUITE: N passed, N failed"; exits
#                                      with 0 only if none failed
#   check NAME WANT_STATUS WANT_STDOUT WANT_STDERR CMD...
#       runs CMD (under `timeout $CHECK_TIMEOUT`, 60 s by default, unless
#       it is a shell function, which times its own steps) with stdin from
#       /dev/null; WANT_STDOUT is the exact stdout without its final
#       newline ("" = none); WANT_STDERR is "" (must be empty), "=TEXT"
#       (exactly TEXT) or text stderr must contain.
passed=0
failed=0

ok() { passed=$((passed + 1)); }

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    if [ -n "${3:-}" ] && [ -f "$3" ]; then sed 's/^/  | /' "$3"; fi
}

finish() {
    echo "$SUITE: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

check() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc=0 err why=""
    shift 4
    local run=(timeout "${CHECK_TIMEOUT:-60}")
    declare -F "$1" >/dev/null && run=()
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
    printf '%s\n' "$err" | sed 's/^/  stderr: /'
}
