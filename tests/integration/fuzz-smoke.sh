#!/bin/sh
# A short run of every libFuzzer target (tests/fuzz/fuzz_*.c, built with
# ASan and UBSan by `make fuzz-build`, which `make test` does first): each
# runs its seeds, the regression inputs among them, then mutates them for
# FUZZ_SMOKE_SECONDS (default 10). Any crash, leak, hang or sanitizer
# report fails the test; the input is kept under build/fuzz/crashes/.
# Two targets run at a time. Builds nothing itself: without the targets it
# is skipped.
set -u
ROOT=${POLSEARCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
SECS=${FUZZ_SMOKE_SECONDS:-10}
targets=$(ls build/fuzz/bin/fuzz_* 2>/dev/null)
if [ -z "$targets" ]; then
    echo "skip: no fuzz targets in build/fuzz/bin (make fuzz-build builds them)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# two queues, alternating targets, each on fresh copies of the seeds
a=""; b=""; n=0
for t in $targets; do
    [ -x "$t" ] || continue
    if [ $((n % 2)) -eq 0 ]; then a="$a $t"; else b="$b $t"; fi
    n=$((n + 1))
done
# shellcheck disable=SC2086
FUZZ_CORPUS="$T/corpus" tests/fuzz/run.sh "$SECS" $a >"$T/a.out" 2>"$T/a.err" &
pa=$!
# shellcheck disable=SC2086
FUZZ_CORPUS="$T/corpus" tests/fuzz/run.sh "$SECS" $b >"$T/b.out" 2>"$T/b.err"
rb=$?
wait $pa
ra=$?
# the reports of failures, then the table of both queues
cat "$T/a.err" "$T/b.err"
printf '%-20s %6s %12s %8s %7s  %s\n' target seconds execs exec/s corpus result
for f in "$T/a.out" "$T/b.out"; do sed -n '/^target /,$p' "$f" | sed 1d; done | sort
echo "$n fuzz targets run for ${SECS}s each"
[ $ra -eq 0 ] && [ $rb -eq 0 ]
