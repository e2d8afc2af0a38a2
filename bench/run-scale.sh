#!/bin/sh
# How indexing and queries grow with the size of the collection: corpora
# of 1x, 10x and 100x the shared corpus (bench/scale: real laws' headers
# with articles recombined across laws, new ids), each indexed on one
# core and queried with the 620 shared questions.
#
#   make bench-scale                                    (this alone)
#   POLSEARCH_BENCH_SCALE=1 make bench                  (with the rest)
#   POLSEARCH_SCALE_2GB=1 make bench-scale              (adds a 2 GB corpus)
#   POLSEARCH_SCALE_SIZES="4x 80x" make bench-scale     (100 MB and 2 GB only)
#
# Sizes are factors of the shared corpus's text ("10x") or amounts of text
# ("500MB", "2GB"; 10^6 bytes). Long: 100x is 2.5 GB of text and about two
# million passages; at polsearch's present speed (docs/BENCH.md) it takes
# more than an hour. bench/scale refuses a size the disk cannot hold (the
# corpus plus about 4x for its index). Everything goes under
# $POLSEARCH_BUILD/bench-scale and is removed after each size
# (POLSEARCH_SCALE_KEEP=1 keeps it).
#
# Per size: indexing CPU seconds, MB/s and the time as a ratio to linear
# growth from the first size (1.00 = linear; issue 6 wants at most 1.20
# from 100 MB to 2 GB); the indexer's peak resident memory; index size;
# query latency p50 / p99 in process (bench/eval over the bigger index, in
# passage and document mode: only its latency means anything there, as
# the judged laws are not in a generated corpus) and the peak resident
# memory of that searching process.
set -u
. "$(dirname "$0")/lib.sh"

if [ "${POLSEARCH_BENCH_SCALE:-0}" != 1 ]; then
    echo "skipped: long (an hour or more); run it with make bench-scale, or"
    echo "POLSEARCH_BENCH_SCALE=1 make bench (sizes: POLSEARCH_SCALE_SIZES, default \"1x 10x 100x\")"
    exit 0
fi
bench_need_data || exit 0
bench_need_prog "$POLSEARCH_BIN/polsearch" "$BENCH_BIN/eval" "$BENCH_BIN/scale" || exit 0
bench_need_time || exit 0
SIZES=${POLSEARCH_SCALE_SIZES:-1x 10x 100x}
[ "${POLSEARCH_SCALE_2GB:-0}" = 1 ] && SIZES="$SIZES 2GB"
SEED=${POLSEARCH_SCALE_SEED:-1}
W=$POLSEARCH_BUILD/bench-scale
mkdir -p "$W" "$BENCH_OUT"
# A run lasts hours: take copies of the programs, so a rebuild meanwhile
# cannot make the sizes measure different code.
cp "$POLSEARCH_BIN/polsearch" "$BENCH_BIN/eval" "$BENCH_BIN/scale" "$W/" || exit 1
POLSEARCH_BIN=$W BENCH_BIN=$W
bench_machine
echo "program: $("$W/polsearch" --version 2>/dev/null | head -1)"
echo "sizes: $SIZES (seed $SEED); indexing: taskset -c 0 polsearch index --no-sync --db DIR FILE"
printf '%-6s %8s %7s %9s %9s %7s %7s %7s %8s %7s %8s %8s %8s %8s %7s\n' \
    size "text MB" docs passages "index s" "MB/s" "vs lin" "RSS MB" "index MB" "x text" \
    "art p50" "art p99" "doc p50" "doc p99" "q RSS"
BASE=""
for size in $SIZES; do
    case $size in
    *x) arg="--factor ${size%x}" ;;
    *MB) arg="--mb ${size%MB}" ;;
    *GB) arg="--mb $(bench_calc '%.0f' 'g * 1000' -v g="${size%GB}")" ;;
    *) echo "$size: not a size (10x, 500MB, 2GB)"; continue ;;
    esac
    C=$W/corpus-$size.jsonl DB=$W/db-$size
    # shellcheck disable=SC2086 # arg is two words on purpose
    if ! "$BENCH_BIN/scale" $arg --seed "$SEED" --out "$C" --index-dir "$W" 2>"$C.log"; then
        echo "$size: $(cat "$C.log")"
        rm -f "$C"
        continue
    fi
    TEXT=$(bench_field "$C.log" scale text_bytes)
    if ! bench_index "$DB" "$C"; then
        rm -rf "$C" "$DB"
        continue
    fi
    /usr/bin/time -o "$W/eval.time" -f "%M" taskset -c 0 "$BENCH_BIN/eval" --db "$DB" \
        --data "$POLSEARCH_SHARED_DATA" --variants given >"$W/eval-$size.out" 2>&1
    QKB=$(tail -1 "$W/eval.time")
    # seconds per byte against the first size: 1.00 is linear growth
    PERBYTE=$(bench_calc '%.12f' 's / t' -v s="$IX_CPU" -v t="$TEXT")
    [ -n "$BASE" ] || BASE=$PERBYTE
    printf '%-6s %8.0f %7s %9s %9.1f %7.2f %7.2f %7s %8.0f %7.2f %8s %8s %8s %8s %7s\n' \
        "$size" "$(bench_calc '%.1f' 't / 1e6' -v t="$TEXT")" "$IX_DOCS" "$IX_PASSAGES" \
        "$IX_CPU" "$(bench_calc '%.3f' 't / 1e6 / s' -v t="$TEXT" -v s="$IX_CPU")" \
        "$(bench_calc '%.3f' 'p / b' -v p="$PERBYTE" -v b="$BASE")" "$IX_RSS_MB" \
        "$(bench_calc '%.1f' 'b / 1e6' -v b="$IX_BYTES")" \
        "$(bench_calc '%.3f' 'b / t' -v b="$IX_BYTES" -v t="$TEXT")" \
        "$(awk '$1 == "given" && $2 == "article" { print $7 }' "$W/eval-$size.out")" \
        "$(awk '$1 == "given" && $2 == "article" { print $8 }' "$W/eval-$size.out")" \
        "$(awk '$1 == "given" && $2 == "document" { print $7 }' "$W/eval-$size.out")" \
        "$(awk '$1 == "given" && $2 == "document" { print $8 }' "$W/eval-$size.out")" \
        "$(bench_calc '%.0f' 'k / 1024' -v k="$QKB")"
    cp "$DB.log" "$BENCH_OUT/scale-$size-index.log"
    if [ "${POLSEARCH_SCALE_KEEP:-0}" != 1 ]; then
        rm -rf "$C" "$DB"
    fi
done
echo "(index s: CPU seconds on core 0; vs lin: indexing seconds per byte over the first size's;"
echo " art/doc p50/p99: ms per question in passage/document mode; q RSS: peak MB of that process)"
