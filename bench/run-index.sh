#!/bin/sh
# Indexing speed, size and memory of `polsearch index` on the shared
# corpus (25.7 MB, 230 laws), on one core, against the analysis floor.
#
#   sh bench/run-index.sh        (or make bench, which runs every run-*.sh)
#
# Prints: MB/s and documents/s (CPU seconds on core 0, wall beside it);
# passages; index size as a multiple of the text; the indexer's peak
# resident memory with --flush-mb 4 (the default), 1 and 64; the analysis
# floor (bench/floor: read + clean + segment, no index) and our time as
# a multiple of it; the (record, distinct term) pairs the index holds and
# the time per pair. MB = 10^6 bytes of the documents' text fields.
# Leaves its figures in $POLSEARCH_BUILD/bench-out/index.result for
# run-peers.sh.
set -u
. "$(dirname "$0")/lib.sh"

bench_need_data || exit 0
bench_need_prog "$POLSEARCH_BIN/polsearch" "$BENCH_BIN/floor" "$BENCH_BIN/dbstats" || exit 0
bench_need_time || exit 0
mkdir -p "$BENCH_OUT"
bench_machine

# The floor first: what reading, cleaning and segmenting alone cost.
taskset -c 0 "$BENCH_BIN/floor" "$CORPUS" >"$BENCH_OUT/floor.out" || exit 1
TEXT=$(bench_field "$BENCH_OUT/floor.out" floor text_bytes)
FLOOR_S=$(bench_field "$BENCH_OUT/floor.out" floor seconds)
FLOOR_MBS=$(bench_field "$BENCH_OUT/floor.out" floor mb_s)
TEXT_MB=$(bench_calc '%.1f' 't / 1e6' -v t="$TEXT")
FILE_MB=$(bench_calc '%.1f' 'b / 1e6' -v b="$(wc -c <"$CORPUS")")

DB=$POLSEARCH_BUILD/bench-index.db
bench_index "$DB" "$CORPUS" || exit 1
RSSD=$IX_RSS_MB CPUD=$IX_CPU WALLD=$IX_WALL BYTESD=$IX_BYTES PASSAGES=$IX_PASSAGES
DOCS=$IX_DOCS
echo "corpus:    $TEXT_MB MB of text ($FILE_MB MB file), $DOCS documents -> $IX_PASSAGES passages"
echo "command:   taskset -c 0 polsearch index --no-sync --db DIR corpus.jsonl (--flush-mb 4, the default)"
printf 'time:      %s s CPU (%s s wall)\n' "$IX_CPU" "$IX_WALL"
printf 'speed:     %s MB/s, %s documents/s, %s passages/s (CPU; wall: %s MB/s)\n' \
    "$(bench_calc '%.2f' 't / 1e6 / s' -v t="$TEXT" -v s="$IX_CPU")" \
    "$(bench_calc '%.1f' 'd / s' -v d="$DOCS" -v s="$IX_CPU")" \
    "$(bench_calc '%.0f' 'p / s' -v p="$IX_PASSAGES" -v s="$IX_CPU")" \
    "$(bench_calc '%.2f' 't / 1e6 / s' -v t="$TEXT" -v s="$IX_WALL")"
printf 'index:     %s MB on disk = %s x the text\n' \
    "$(bench_calc '%.1f' 'b / 1e6' -v b="$IX_BYTES")" \
    "$(bench_calc '%.2f' 'b / t' -v b="$IX_BYTES" -v t="$TEXT")"
printf 'floor:     read + clean + segment only: %s s CPU, %s MB/s (bench/floor)\n' \
    "$FLOOR_S" "$FLOOR_MBS"
printf '           segmenting: %s s with ICU alone, %s s with the analyzer'"'"'s fast path\n' \
    "$(bench_field "$BENCH_OUT/floor.out" floor analyze_s)" \
    "$(bench_field "$BENCH_OUT/floor.out" floor analyze_fast_s)"
printf '           indexing takes %s x the floor (target of issue 6: within 2 x)\n' \
    "$(bench_calc '%.1f' 'a / b' -v a="$IX_CPU" -v b="$FLOOR_S")"

# Where the rest goes: Xapian's writer inverts one (record, term) pair
# per distinct term of every record.
# dbstats --replay writes the same postings into a new database through
# add_document alone: the writer's share, measured apart.
rm -rf "$DB.replay"
# (committing as often as the indexer did: every 4 MB of text, in records)
BATCH=$(bench_calc '%.0f' 'p * 4194304 / t' -v p="$PASSAGES" -v t="$TEXT")
taskset -c 0 "$BENCH_BIN/dbstats" "$DB" --replay "$DB.replay" --batch "$BATCH" \
    >"$BENCH_OUT/dbstats.out" || exit 1
rm -rf "$DB.replay"
PAIRS=$(bench_field "$BENCH_OUT/dbstats.out" db pairs)
WRITER=$(bench_field "$BENCH_OUT/dbstats.out" replay writer_seconds)
printf 'pairs:     %s (record, distinct term) pairs in %s records; %s us of indexing per pair\n' \
    "$PAIRS" "$(bench_field "$BENCH_OUT/dbstats.out" db docs)" \
    "$(bench_calc '%.2f' '(s - f) * 1e6 / p' -v s="$CPUD" -v f="$FLOOR_S" -v p="$PAIRS")"
awk '$1 == "prefix" { split($2, n, "="); split($4, p, "="); if (p[2] >= 100000)
         printf "%s%s %s", (k++ ? ", " : "           by prefix (see docs/TERMS.md): "),
                n[2], p[2] } END { if (k) print "" }' "$BENCH_OUT/dbstats.out"
printf 'writer:    the same postings replayed through add_document alone (a commit every %s records): %s s CPU, %s us per pair\n' \
    "$BATCH" "$WRITER" "$(bench_field "$BENCH_OUT/dbstats.out" replay writer_us_per_pair)"
printf '           = %s %% of indexing; floor %s %%; the rest (%s s) is term building and parsing\n' \
    "$(bench_calc '%.0f' 'w * 100 / s' -v w="$WRITER" -v s="$CPUD")" \
    "$(bench_calc '%.0f' 'f * 100 / s' -v f="$FLOOR_S" -v s="$CPUD")" \
    "$(bench_calc '%.1f' 's - w - f' -v s="$CPUD" -v w="$WRITER" -v f="$FLOOR_S")"

# The memory bound: the flush threshold, not the corpus, should set it;
# and the batch size's effect on speed.
printf 'memory:    peak RSS %s MB with --flush-mb 4 (%s s CPU)\n' "$RSSD" "$CPUD"
for mb in 1 64; do
    DBF=$POLSEARCH_BUILD/bench-index-$mb.db
    bench_index "$DBF" "$CORPUS" --flush-mb $mb || exit 1
    printf '           peak RSS %s MB with --flush-mb %s (%s s CPU)\n' "$IX_RSS_MB" "$mb" "$IX_CPU"
    rm -rf "$DBF" "$DBF.time" "$DBF.log"
done

cat >"$BENCH_OUT/index.result" <<EOF
index text_bytes=$TEXT docs=$DOCS passages=$PASSAGES cpu=$CPUD wall=$WALLD bytes=$BYTESD rss_mb=$RSSD floor_s=$FLOOR_S pairs=$PAIRS writer_s=$WRITER
EOF
