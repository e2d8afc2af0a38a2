#!/bin/sh
# Runs libFuzzer targets for a bounded time each and prints their figures.
#
#   tests/fuzz/run.sh SECONDS BINARY...
#
# Each target build/fuzz/bin/fuzz_NAME runs for SECONDS on its working
# corpus build/fuzz/corpus/NAME, which starts as a copy of the seeds in
# tests/fuzz/seeds/NAME and keeps what libFuzzer adds from run to run (the
# seeds in the repository are never written). A crash, leak, timeout or
# sanitizer report fails the target; its input is kept under
# build/fuzz/crashes/NAME/ and the log under build/fuzz/logs/NAME.log
# (logs/ beside the corpora folder).
# The last lines are a table: target, seconds, executions, exec/s, corpus
# size, result; the exit status is 1 when any target failed.
#
# Environment: FUZZ_TIMEOUT (seconds one input may take before it counts
# as a hang, default 70: the .doc extractor lets its converter run up to
# PS_EXTRACT_TIMEOUT, 30 s, before it kills it, and catdoc loops on some
# damaged files),
# FUZZ_RSS_MB (memory limit, default 2048), FUZZ_ARGS (more libFuzzer
# flags), FUZZ_CORPUS (the folder holding the working corpora, default
# build/fuzz/corpus; a smoke test gives a fresh one to run the seeds only).
set -u
SECS=${1:?usage: run.sh SECONDS BINARY...}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/build/fuzz"
CORPORA=${FUZZ_CORPUS:-$OUT/corpus}
LOGS=$(dirname "$CORPORA")/logs
mkdir -p "$CORPORA" "$OUT/crashes" "$LOGS"
# leaks are failures; libFuzzer checks them itself after each input
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
table=""
for bin in "$@"; do
    [ -x "$bin" ] || { echo "run.sh: $bin: no such fuzz target (make fuzz-build)" >&2; failed=1; continue; }
    name=$(basename "$bin"); name=${name#fuzz_}
    corpus="$CORPORA/$name"
    crashes="$OUT/crashes/$name"
    log="$LOGS/$name.log"
    mkdir -p "$corpus" "$crashes"
    # a copy of the seeds: new ones join, none is changed
    [ -d "$ROOT/tests/fuzz/seeds/$name" ] && cp -n "$ROOT/tests/fuzz/seeds/$name"/* "$corpus"/ 2>/dev/null
    echo "fuzz: $name for ${SECS}s ($(ls "$corpus" | wc -l) inputs)"
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$SECS" -timeout="${FUZZ_TIMEOUT:-70}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
        -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        result=ok
    else
        failed=1
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        result="FAILED (exit $rc) ${artifact:-see $log}"
        echo "fuzz: $name failed; the report:" >&2
        grep -m 1 -A 30 -E '^==[0-9]+==ERROR|runtime error|invariant broken|ERROR: libFuzzer' "$log" | head -n 40 >&2
    fi
    line=$(printf '%-20s %6s %12s %8s %7s  %s' "$name" "$secs" "${execs:-?}" "${rate:-?}" \
        "$(ls "$corpus" | wc -l)" "$result")
    echo "$line"
    table="$table$line
"
done
echo
printf '%-20s %6s %12s %8s %7s  %s\n' target seconds execs exec/s corpus result
printf '%s' "$table"
exit $failed
