#!/bin/sh
# Citations: the share of random quotes whose source `polsearch cite` ranks
# first, in every variant the citation issue lists, and concordance speed.
set -u
. "$(dirname "$0")/lib.sh"
bench_need_data || exit 0
bench_eval_db || exit 1
DATA=$POLSEARCH_SHARED_DATA BUILD=$POLSEARCH_BUILD BIN=$POLSEARCH_BIN DB=$EVAL_DB
echo "quotes drawn at random from $DATA/corpus.jsonl (8-40 syllables; paragraphs 40-120)"
"$BUILD/bench/citeeval" --db "$DB" --corpus "$DATA/corpus.jsonl" --cases "${CITE_CASES:-500}" --seed 7
echo
echo "concordance (polsearch kwic), whole shared corpus:"
for p in "người lao động" "trách nhiệm hình sự" "Nhà nước" "quy định"; do
    printf '  %-24s ' "$p"
    "$BIN/polsearch" kwic --db "$DB" "$p" | grep occurrences
done
