#!/bin/sh
# make eval: retrieval quality on the shared legal questions.
# Indexes ../shared/data/corpus.jsonl (once; again when the program or the
# data is newer than the index), then runs bench/eval over the questions
# as given, without diacritics and decomposed (NFD).
set -eu
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${POLSEARCH_SHARED_DATA:-$ROOT/../shared/data}
BUILD=${POLSEARCH_BUILD:-$ROOT/build/release}
DB=${EVAL_DB:-$BUILD/eval.db}
if [ ! -f "$DATA/corpus.jsonl" ] || [ ! -f "$DATA/queries.jsonl" ]; then
    echo "eval: skipped: the shared data ($DATA) is absent"
    exit 0
fi
if [ ! -f "$DB/.polsearch-built" ] || [ "$BIN/polsearch" -nt "$DB/.polsearch-built" ] ||
   [ "$DATA/corpus.jsonl" -nt "$DB/.polsearch-built" ]; then
    rm -rf "$DB"
    echo "eval: indexing $DATA/corpus.jsonl"
    "$BIN/polsearch" index --quiet --no-sync --db "$DB" "$DATA/corpus.jsonl"
    touch "$DB/.polsearch-built"
fi
shift || true
"$BUILD/bench/eval" --db "$DB" --data "$DATA" --misses "$BUILD/eval-misses.tsv" "$@"
echo "eval: questions ranked below first are listed in $BUILD/eval-misses.tsv"
