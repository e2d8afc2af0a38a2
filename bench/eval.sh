#!/bin/sh
# make eval: retrieval quality on the shared legal questions.
# Indexes ../shared/data/corpus.jsonl (once; again when the program or the
# data is newer than the index), then runs bench/eval over the questions
# as given, without diacritics and decomposed (NFD).
set -eu
[ $# -gt 0 ] && POLSEARCH_BIN=$(cd "$1" && pwd) && shift
. "$(dirname "$0")/lib.sh"
if ! bench_need_data >/dev/null; then
    echo "eval: skipped: the shared data ($POLSEARCH_SHARED_DATA) is absent"
    exit 0
fi
bench_eval_db
"$BENCH_BIN/eval" --db "$EVAL_DB" --data "$POLSEARCH_SHARED_DATA" \
    --misses "$POLSEARCH_BUILD/eval-misses.tsv" "$@"
echo "eval: questions ranked below first are listed in $POLSEARCH_BUILD/eval-misses.tsv"
