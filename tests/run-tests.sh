#!/bin/sh
# The test runner behind `make test`: every unit test binary, golden file,
# integration, HTTP and browser test. A test passes with exit 0, is skipped
# with exit 77 (it says why), and fails otherwise; the last line is the
# summary "N passed, N failed, N skipped".
#
#   tests/run-tests.sh BUILD_DIR BIN_DIR [NAME-FILTER]
set -u
BUILD=${1:?build dir}
BIN=${2:?bin dir}
FILTER=${3:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

export POLSEARCH_ROOT="$ROOT"
export POLSEARCH_BUILD="$ROOT/$BUILD"
export POLSEARCH="$ROOT/$BIN/polsearch"
export POLSEARCH_TOOLS="$ROOT/$BUILD/tests/tools"
# The shared evaluation data, when the clone sits beside it.
export POLSEARCH_SHARED_DATA="${POLSEARCH_SHARED_DATA:-$ROOT/../shared/data}"
# Sanitizer builds: leaks are errors, reports go to the log.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

LOGS="$ROOT/$BUILD/test-logs"
mkdir -p "$LOGS"
pass=0; fail=0; skip=0; failed=""

run() {
    name=$1; shift
    case "$name" in *"$FILTER"*) ;; *) return ;; esac
    log="$LOGS/$(echo "$name" | tr '/' '_').log"
    start=$(date +%s)
    "$@" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1)); printf 'PASS  %-44s %3ss\n' "$name" "$secs"
    elif [ $rc -eq 77 ]; then
        skip=$((skip + 1)); printf 'SKIP  %-44s %s\n' "$name" "$(tail -n 1 "$log")"
    else
        fail=$((fail + 1)); failed="$failed $name"
        printf 'FAIL  %-44s (exit %s, log %s)\n' "$name" "$rc" "$log"
        tail -n 25 "$log" | sed 's/^/      /'
    fi
}

for t in "$BUILD"/tests/*/test_*; do
    [ -x "$t" ] || continue
    run "unit/${t#"$BUILD"/tests/}" "$t"
done
for t in tests/golden/*.sh tests/integration/*.sh tests/http/*.sh tests/browser/*.sh; do
    [ -f "$t" ] || continue
    # lib.sh files are sourced by the tests beside them, not tests
    [ "$(basename "$t")" = lib.sh ] && continue
    run "${t#tests/}" sh "$t"
done

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
