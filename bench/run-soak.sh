#!/bin/sh
# Soak: the daemon under load (wrk, 64 connections, SOAK_SECONDS, default
# 180) while the index it serves is re-indexed in full again and again,
# and compacted and swapped in; meanwhile a checker asks a number lookup
# whose answer is known. Prints requests, latency, answers by status
# class (any 5xx is a failure), wrong answers, and the re-index runs.
# Long: runs only with POLSEARCH_BENCH_SOAK=1 (`make soak` sets it).
# SOAK_CACHE_MB sets the daemon's answer cache (default 64; 0: every
# request is a search, the harder soak).
set -u
if [ "${POLSEARCH_BENCH_SOAK:-}" != 1 ]; then
    echo "skipped: the soak takes minutes; run it with make soak (SOAK_SECONDS=180)"
    exit 0
fi
ROOT=${POLSEARCH_ROOT:?}; BUILD=${POLSEARCH_BUILD:?}; BIN=${POLSEARCH_BIN:?}
DATA=${POLSEARCH_SHARED_DATA:-$ROOT/../shared/data}
P="$BIN/polsearch"
SECS=${SOAK_SECONDS:-180}
for t in wrk jq curl; do
    command -v $t >/dev/null || { echo "skipped: $t is missing (make deps)"; exit 0; }
done
T=$(mktemp -d "$BUILD/soak.XXXXXX")
dpid=""; ipid=""; cpid=""
cleanup() {
    for p in $ipid $cpid; do kill "$p" 2>/dev/null; done
    [ -n "$dpid" ] && kill -TERM "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

# the corpus: the shared laws, or (in a clone without them) the samples
if [ -f "$DATA/corpus.jsonl" ]; then
    SRC="$DATA/corpus.jsonl"
    LOOKUP="45/2019/QH14"; WANT="vlc23:Bo-Luat-lao-dong-2019-333670"
    jq -r '.query | @uri' "$DATA/queries.jsonl" | sed 's|^|/api/search?limit=10\&q=|' > "$T/paths"
else
    SRC="$ROOT/corpus"
    LOOKUP="57-NQ/TW"; WANT="dang/nq-57-2024.txt"
    for q in "nghị quyết 57" "chuyen doi so" "kinh tế tư nhân" "bảo vệ dữ liệu cá nhân"; do
        printf '/api/search?limit=10&q=%s\n' "$(printf '%s' "$q" | jq -sRr @uri)"
    done > "$T/paths"
fi
echo "corpus: $SRC; load: wrk -c 64 for $SECS s; lookup checked: $LOOKUP -> $WANT"
"$P" index --quiet --no-sync --db "$T/db" "$SRC" || exit 1

port=$(( 30000 + $$ % 20000 ))
# shellcheck disable=SC2086
"$P" serve --db "$T/db" --port "$port" --threads 2 --cache-mb "${SOAK_CACHE_MB:-64}" \
    --log "$T/access.log" 2>"$T/serve.err" &
dpid=$!
n=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    n=$((n + 1)); [ $n -gt 100 ] && { echo "the daemon did not start"; cat "$T/serve.err"; exit 1; }
    sleep 0.1
done

# re-index in full, again and again; every third run also compacts (the
# compacted index is swapped in while the daemon serves)
( runs=0
  while :; do
      runs=$((runs + 1))
      if [ $((runs % 3)) -eq 0 ]; then
          "$P" index --quiet --full --compact --db "$T/db" "$SRC" 2>>"$T/index.err"
      else
          "$P" index --quiet --full --db "$T/db" "$SRC" 2>>"$T/index.err"
      fi
      echo "$runs $?" >> "$T/index.runs"
  done ) &
ipid=$!

# the checker: a known answer, five times a second
( q=$(printf '%s' "$LOOKUP" | jq -sRr @uri)
  while :; do
      got=$(curl -s "http://127.0.0.1:$port/api/search?limit=1&q=$q" | jq -r '.hits[0].id // "none"' 2>/dev/null)
      if [ "$got" = "$WANT" ]; then echo ok; else echo "wrong $got"; fi >> "$T/checks"
      sleep 0.2
  done ) &
cpid=$!

POLSEARCH_HTTP_PATHS="$T/paths" wrk -t 2 -c 64 -d "${SECS}s" --timeout 10s \
    -s "$ROOT/bench/soak.lua" "http://127.0.0.1:$port" > "$T/wrk.out" 2>&1
kill "$ipid" "$cpid" 2>/dev/null
wait "$ipid" "$cpid" 2>/dev/null
ipid=""; cpid=""
rss=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$dpid/status" 2>/dev/null)
grep '^soak ' "$T/wrk.out" || { echo "wrk failed:"; cat "$T/wrk.out"; exit 1; }
runs=$(wc -l < "$T/index.runs" 2>/dev/null || echo 0)
failed_runs=$(awk '$2 != 0' "$T/index.runs" 2>/dev/null | wc -l)
checks=$(wc -l < "$T/checks"); wrong=$(grep -c '^wrong' "$T/checks")
five=$(grep -c '" 5[0-9][0-9] ' "$T/access.log")
echo "re-index runs during the soak: $runs started ($failed_runs failed)"
echo "lookup checks: $checks, wrong answers: $wrong"
echo "5xx in the access log: $five"
echo "daemon peak resident memory: ${rss:-?}"
if [ "$five" -gt 0 ]; then
    echo "the 5xx answers (access log), and what the daemon said:"
    grep '" 5[0-9][0-9] ' "$T/access.log" | head -5
    grep -v 'listening on' "$T/serve.err" | head -10
fi
[ "$failed_runs" -gt 0 ] && { echo "the failed re-index runs said:"; tail -5 "$T/index.err"; }
[ "$wrong" -eq 0 ] && [ "$five" -eq 0 ] && [ "$failed_runs" -eq 0 ]
