#!/bin/sh
# Indexing speed, size and memory of `polsearch index` on the shared
# corpus (25.7 MB, 230 laws), on one core, against the analysis floor.
#
#   sh bench/run-index.sh        (or make bench, which runs every run-*.sh)
#
# Prints: MB/s and documents/s (CPU seconds on core 0, wall beside it);
# passages; index size as a multiple of the text; the indexer's peak
# resident memory with --flush-mb 64 (the default) and 8; the analysis
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
bench_index "$DB" "$CORPUS" --flush-mb 64 || exit 1
RSS64=$IX_RSS_MB CPU64=$IX_CPU WALL64=$IX_WALL BYTES64=$IX_BYTES PASSAGES=$IX_PASSAGES
DOCS=$IX_DOCS
echo "corpus:    $TEXT_MB MB of text ($FILE_MB MB file), $DOCS documents -> $IX_PASSAGES passages"
echo "command:   taskset -c 0 polsearch index --no-sync --flush-mb 64 --db DIR corpus.jsonl"
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
printf '           indexing takes %s x the floor (target of issue 6: within 2 x)\n' \
    "$(bench_calc '%.1f' 'a / b' -v a="$IX_CPU" -v b="$FLOOR_S")"

# Where the rest goes: Xapian's writer inverts one (record, term) pair
# per distinct term of every record.
# dbstats --replay writes the same postings into a new database through
# add_document alone: the writer's share, measured apart.
rm -rf "$DB.replay"
taskset -c 0 "$BENCH_BIN/dbstats" "$DB" --replay "$DB.replay" >"$BENCH_OUT/dbstats.out" || exit 1
rm -rf "$DB.replay"
PAIRS=$(bench_field "$BENCH_OUT/dbstats.out" db pairs)
WRITER=$(bench_field "$BENCH_OUT/dbstats.out" replay writer_seconds)
printf 'pairs:     %s (record, distinct term) pairs in %s records; %s us of indexing per pair\n' \
    "$PAIRS" "$(bench_field "$BENCH_OUT/dbstats.out" db docs)" \
    "$(bench_calc '%.2f' '(s - f) * 1e6 / p' -v s="$CPU64" -v f="$FLOOR_S" -v p="$PAIRS")"
awk '$1 == "prefix" { split($2, n, "="); split($4, p, "="); if (p[2] >= 100000)
         printf "%s%s %s", (k++ ? ", " : "           by prefix (see docs/TERMS.md): "),
                n[2], p[2] } END { if (k) print "" }' "$BENCH_OUT/dbstats.out"
printf 'writer:    the same postings replayed through add_document alone: %s s CPU, %s us per pair\n' \
    "$WRITER" "$(bench_field "$BENCH_OUT/dbstats.out" replay writer_us_per_pair)"
printf '           = %s %% of indexing; floor %s %%; the rest (%s s) is term building and parsing\n' \
    "$(bench_calc '%.0f' 'w * 100 / s' -v w="$WRITER" -v s="$CPU64")" \
    "$(bench_calc '%.0f' 'f * 100 / s' -v f="$FLOOR_S" -v s="$CPU64")" \
    "$(bench_calc '%.1f' 's - w - f' -v s="$CPU64" -v w="$WRITER" -v f="$FLOOR_S")"

# The memory bound: the flush threshold, not the corpus, should set it.
DB8=$POLSEARCH_BUILD/bench-index-8.db
bench_index "$DB8" "$CORPUS" --flush-mb 8 || exit 1
printf 'memory:    peak RSS %s MB with --flush-mb 64, %s MB with --flush-mb 8 (%s s CPU)\n' \
    "$RSS64" "$IX_RSS_MB" "$IX_CPU"
rm -rf "$DB8" "$DB8.time" "$DB8.log"

cat >"$BENCH_OUT/index.result" <<EOF
index text_bytes=$TEXT docs=$DOCS passages=$PASSAGES cpu=$CPU64 wall=$WALL64 bytes=$BYTES64 rss_mb=$RSS64 floor_s=$FLOOR_S pairs=$PAIRS writer_s=$WRITER
EOF
