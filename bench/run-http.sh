#!/bin/sh
# HTTP throughput and latency of `polsearch serve` on the shared corpus,
# with wrk on loopback cycling through the 620 questions of
# queries.jsonl (bench/http-queries.lua), and the same questions through
# `polsearch search --batch` in one process for comparison.
#
#   sh bench/run-http.sh        (or make bench, which runs every run-*.sh)
#
# Prints, at 1, 8 and 64 connections: requests/s, p50, p90 and p99 of
# /api/search as the web page asks it (10 hits, facets on), and at 1 and
# 64 connections without facets (the CLI's work), with the daemon's answer
# cache off (every request searched) and on (warmed); the daemon's resident
# memory (VmRSS and its peak, from /proc); the CLI's queries/s and the
# daemon's throughput as a multiple of it. Target (issue 4): p99 <= 50 ms
# at 64 connections on 2 cores. Figures are printed, never asserted.
set -u
. "$(dirname "$0")/lib.sh"

DURATION=${HTTP_BENCH_SECONDS:-10}
bench_need_data || exit 0
bench_need_prog "$POLSEARCH_BIN/polsearch" || exit 0
command -v wrk >/dev/null 2>&1 || { echo "skipped: wrk is missing (make deps)"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "skipped: jq is missing (make deps)"; exit 0; }
command -v curl >/dev/null 2>&1 || { echo "skipped: curl is missing (make deps)"; exit 0; }
mkdir -p "$BENCH_OUT"
bench_machine

# The index: the one the other benchmarks share (indexed when stale), or
# HTTP_BENCH_DB, served as it is (e.g. a generated million passages:
# POLSEARCH_SCALE_KEEP=1 POLSEARCH_SCALE_SIZES=50x make bench-scale, then
# HTTP_BENCH_DB=build/release/bench-scale/db-50x sh bench/run-http.sh)
if [ -n "${HTTP_BENCH_DB:-}" ]; then
    DB=$HTTP_BENCH_DB
    [ -d "$DB" ] || { echo "HTTP_BENCH_DB: no index at $DB"; exit 1; }
else
    bench_eval_db || exit 1
    DB=$EVAL_DB
fi
QUERIES=$POLSEARCH_SHARED_DATA/queries.jsonl
NQ=$(wc -l <"$QUERIES")
jq -r '.query' "$QUERIES" >"$BENCH_OUT/http-queries.txt"
jq -r '"/api/search?q=" + (.query | @uri) + "&limit=10"' "$QUERIES" >"$BENCH_OUT/http-paths.txt"
jq -r '"/api/search?q=" + (.query | @uri) + "&limit=10&facets=0"' "$QUERIES" >"$BENCH_OUT/http-paths-nofacets.txt"
echo "index:     $DB ($(du -sm "$DB" | cut -f1) MB); $NQ questions"

# start_daemon CACHE_MB: the daemon on its defaults (threads = cores) but
# for the answer cache; sets PID and BASE, warms it up
PID=""
trap '[ -n "$PID" ] && kill -TERM $PID 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
start_daemon() {
    LOG=$BENCH_OUT/http-serve.err
    "$POLSEARCH_BIN/polsearch" serve --db "$DB" --port 0 --log /dev/null --cache-mb "$1" 2>"$LOG" &
    PID=$!
    i=0
    PORT=""
    while [ $i -lt 100 ] && [ -z "$PORT" ]; do
        PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)\/.*/\1/p' "$LOG")
        [ -n "$PORT" ] || sleep 0.1
        i=$((i + 1))
    done
    [ -n "$PORT" ] || { echo "the daemon did not start:"; cat "$LOG"; exit 1; }
    BASE=http://127.0.0.1:$PORT
    # warm up: every question once (first page faults, each thread's
    # searcher; with the cache on, this also fills it)
    for f in "$BENCH_OUT/http-paths.txt" "$BENCH_OUT/http-paths-nofacets.txt"; do
        while read -r p; do curl -s -o /dev/null "$BASE$p"; done <"$f"
    done
}
stop_daemon() {
    RSS=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status")
    HWM=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status")
    printf 'memory:    daemon resident %s MB now, %s MB at its peak (VmRSS, VmHWM)\n' \
        "$(bench_calc '%.1f' 'k / 1024' -v k="$RSS")" "$(bench_calc '%.1f' 'k / 1024' -v k="$HWM")"
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null
    PID=""
}

# run_wrk CONNECTIONS PATHFILE: sets RPS P50 P90 P99 ERR NON2XX
run_wrk() {
    POLSEARCH_HTTP_PATHS=$2 wrk -t 1 -c "$1" -d "${DURATION}s" --timeout 10s \
        -s "$POLSEARCH_ROOT/bench/http-queries.lua" "$BASE" >"$BENCH_OUT/wrk-$1.out" 2>&1
    line=$(grep '^result ' "$BENCH_OUT/wrk-$1.out")
    RPS=$(echo "$line" | sed 's/.* rps=\([^ ]*\).*/\1/')
    P50=$(echo "$line" | sed 's/.* p50_ms=\([^ ]*\).*/\1/')
    P90=$(echo "$line" | sed 's/.* p90_ms=\([^ ]*\).*/\1/')
    P99=$(echo "$line" | sed 's/.* p99_ms=\([^ ]*\).*/\1/')
    ERR=$(echo "$line" | sed 's/.* errors=\([^ ]*\).*/\1/')
    NON2XX=$(echo "$line" | sed 's/.* non2xx=\([^ ]*\).*/\1/')
}

echo "command:   wrk -t 1 -c N -d ${DURATION}s -s bench/http-queries.lua (GET /api/search?q=QUESTION&limit=10)"
# First with the answer cache off: every request is a search, the engine's
# own speed. Then on its default: the 620 questions asked over and over,
# as a morning of officials asking what their colleagues asked.
for mode in off on; do
    echo
    if [ $mode = off ]; then
        echo "answer cache off (--cache-mb 0): every request searched"
        start_daemon 0
    else
        echo "answer cache on (default --cache-mb 64), warmed by one pass of the questions"
        start_daemon 64
    fi
    echo "daemon:    $(sed -n 's/.*(\([0-9]* threads\).*/\1/p' "$LOG"), $BASE"
    printf '%-26s %11s %9s %9s %9s %8s\n' "" "requests/s" "p50 ms" "p90 ms" "p99 ms" "errors"
    for c in 1 8 64; do
        run_wrk "$c" "$BENCH_OUT/http-paths.txt"
        printf '%-26s %11s %9s %9s %9s %8s\n' "$c connections, facets" "$RPS" "$P50" "$P90" "$P99" "$((ERR + NON2XX))"
        [ "$c" = 64 ] && P99_64=$P99
    done
    for c in 1 64; do
        run_wrk "$c" "$BENCH_OUT/http-paths-nofacets.txt"
        printf '%-26s %11s %9s %9s %9s %8s\n' "$c connections, no facets" "$RPS" "$P50" "$P90" "$P99" "$((ERR + NON2XX))"
        if [ $mode = off ]; then
            [ "$c" = 1 ] && RPS1_NF=$RPS
            [ "$c" = 64 ] && RPS64_NF=$RPS
        fi
    done
    printf 'target:    p99 <= 50 ms at 64 connections (facets on): %s ms, %s\n' "$P99_64" \
        "$(bench_calc '%s' 'p <= 50 ? "met" : "missed"' -v p="$P99_64")"
    stop_daemon
done
echo

# the same questions in one process, one thread, without HTTP
"$POLSEARCH_BIN/polsearch" search --db "$DB" --limit 10 --batch "$BENCH_OUT/http-queries.txt" >/dev/null
t0=$(date +%s.%N)
"$POLSEARCH_BIN/polsearch" search --db "$DB" --limit 10 --batch "$BENCH_OUT/http-queries.txt" >/dev/null
t1=$(date +%s.%N)
CLI_QPS=$(bench_calc '%.1f' 'n / (b - a)' -v n="$NQ" -v a="$t0" -v b="$t1")
printf 'CLI batch: polsearch search --batch (no facets, 1 thread): %s queries/s, %s ms a query\n' \
    "$CLI_QPS" "$(bench_calc '%.2f' '(b - a) * 1000 / n' -v n="$NQ" -v a="$t0" -v b="$t1")"
printf 'ratio:     HTTP (cache off) / CLI batch (no facets): %s x at 1 connection, %s x at 64 connections\n' \
    "$(bench_calc '%.2f' 'h / c' -v h="$RPS1_NF" -v c="$CLI_QPS")" \
    "$(bench_calc '%.2f' 'h / c' -v h="$RPS64_NF" -v c="$CLI_QPS")"
