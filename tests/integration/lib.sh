# Shared by the integration tests (sourced, not run): a temporary folder,
# the polsearch binary, and small assertion helpers that count failures.
set -u
P=${POLSEARCH:?run through tests/run-tests.sh or set POLSEARCH}
ROOT=${POLSEARCH_ROOT:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0
checks=0

ok() { checks=$((checks + 1)); echo "ok   $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $*"; }

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_status DESCRIPTION EXPECTED-STATUS COMMAND...
expect_status() {
    d=$1; want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; got=$?
    if [ "$got" = "$want" ]; then ok "$d (exit $got)"; else fail "$d: exit $got, expected $want; stderr: $(head -c 300 "$T/err")"; fi
}

# first hit's field of a JSON search: first FIELD QUERY [OPTIONS...]
first() {
    f=$1; q=$2; shift 2
    "$P" search --db "$DB" --json --limit 10 "$@" -- "$q" | jq -r ".hits[0].$f"
}

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ]
}
