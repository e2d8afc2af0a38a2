#!/bin/sh
# Query latency and quality of polsearch on the 620 shared questions.
#
#   sh bench/run-query.sh        (or make bench)
#
# 1. In process: bench/eval (through bench/eval.sh, which indexes the
#    corpus into $EVAL_DB, default $POLSEARCH_BUILD/eval.db, when the
#    index is missing or older than the program) on core 0: per variant
#    of the questions (as given, without diacritics, NFD) and unit
#    (article = passage mode, document mode), R@1, R@10, MRR@10, nDCG@10
#    and the latency p50 / p99 of ps_search() with snippets off.
# 2. The CLI batch mode: `polsearch search --batch` over the same
#    questions (one a line, JSON lines out, snippets on), document and
#    passage mode, on core 0: wall time per query, the process start and
#    index open included once (and shown apart).
set -u
. "$(dirname "$0")/lib.sh"

bench_need_data || exit 0
bench_need_prog "$POLSEARCH_BIN/polsearch" "$BENCH_BIN/eval" || exit 0
bench_need_time || exit 0
mkdir -p "$BENCH_OUT"
bench_machine
DB=${EVAL_DB:-$POLSEARCH_BUILD/eval.db}
export EVAL_DB="$DB"

echo "in process (bench/eval, taskset -c 0; latency of ps_search, snippets off):"
taskset -c 0 sh "$POLSEARCH_ROOT/bench/eval.sh" "$POLSEARCH_BIN" >"$BENCH_OUT/eval.out" 2>&1 ||
    { cat "$BENCH_OUT/eval.out"; exit 1; }
grep -q '^eval: indexing' "$BENCH_OUT/eval.out" &&
    echo "  (bench/eval.sh indexed the corpus first: the index was missing or older than polsearch)"
grep -v '^eval: ' "$BENCH_OUT/eval.out" | sed 's/^/  /'

if ! command -v jq >/dev/null 2>&1; then
    echo "CLI batch: skipped: jq is missing (make deps)"
    exit 0
fi
Q=$BENCH_OUT/questions.txt
# a question may hold a line break: one line each
jq -r '.query | gsub("[\\r\\n]+"; " ")' "$POLSEARCH_SHARED_DATA/queries.jsonl" >"$Q"
jq -c '{q: .query, unit: "passage"}' "$POLSEARCH_SHARED_DATA/queries.jsonl" >"$Q.passage"
N=$(wc -l <"$Q")

# batch FILE: wall seconds of `polsearch search --batch FILE` on core 0
batch() {
    /usr/bin/time -o "$BENCH_OUT/batch.time" -f "%e %M" \
        taskset -c 0 "$POLSEARCH_BIN/polsearch" search --db "$DB" --batch "$1" \
        >"$BENCH_OUT/batch.out" 2>"$BENCH_OUT/batch.err"
    BATCH_RC=$?
    read -r BATCH_WALL BATCH_KB <"$BENCH_OUT/batch.time"
    BATCH_LINES=$(wc -l <"$BENCH_OUT/batch.out")
    BATCH_ERRORS=$(grep -c '"error":' "$BENCH_OUT/batch.out")
}
: >"$BENCH_OUT/empty.txt"
batch "$BENCH_OUT/empty.txt"
START=$BATCH_WALL
echo "CLI batch (polsearch search --batch FILE, taskset -c 0, $N questions, snippets on):"
printf '  start + index open: %s ms\n' "$(bench_calc '%.0f' 's * 1000' -v s="$START")"
for unit in document passage; do
    if [ $unit = document ]; then batch "$Q"; else batch "$Q.passage"; fi
    printf '  %-8s  %6.2f s wall for %s queries = %s ms per query (start excluded: %s ms); ' \
        $unit "$BATCH_WALL" "$BATCH_LINES" \
        "$(bench_calc '%.2f' 'w * 1000 / n' -v w="$BATCH_WALL" -v n="$N")" \
        "$(bench_calc '%.2f' '(w - s) * 1000 / n' -v w="$BATCH_WALL" -v s="$START" -v n="$N")"
    printf 'peak RSS %s MB; exit %s, %s errors\n' \
        "$(bench_calc '%.0f' 'k / 1024' -v k="$BATCH_KB")" "$BATCH_RC" "$BATCH_ERRORS"
done
