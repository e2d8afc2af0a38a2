#!/bin/sh
# polsearch against the engines a user would pick instead, on the same
# corpus and questions, in one run: SQLite FTS5, Xapian with its default
# settings, Groonga. One table, each peer's figure with its ratio to
# polsearch's (peer / polsearch).
#
#   sh bench/run-peers.sh        (or make bench)
#
# Each peer is a C driver (bench/peer_*.c, shared parts in bench/peer.h)
# run on core 0: it reads corpus.jsonl, cuts every law into articles,
# indexes them, then runs the 620 questions as given and without
# diacritics. polsearch's figures come from the same run: indexing from
# run-index.sh's result when it is newer than bin/polsearch (else
# measured here), quality and latency from bench/eval (passage mode =
# articles, document mode = laws). Quality figures are the engines' own;
# see docs/BENCH.md for what each setup is and why.
set -u
. "$(dirname "$0")/lib.sh"

bench_need_data || exit 0
bench_need_prog "$POLSEARCH_BIN/polsearch" "$BENCH_BIN/eval" "$BENCH_BIN/peer_fts5" \
    "$BENCH_BIN/peer_xapian" "$BENCH_BIN/peer_groonga" || exit 0
bench_need_time || exit 0
mkdir -p "$BENCH_OUT"
bench_machine
WORK=$POLSEARCH_BUILD/bench-peers
rm -rf "$WORK"
mkdir -p "$WORK"
ROWS=$BENCH_OUT/peers.rows
: >"$ROWS"

# ---- polsearch
R=$BENCH_OUT/index.result
if [ -f "$R" ] && [ "$R" -nt "$POLSEARCH_BIN/polsearch" ] && [ "$R" -nt "$CORPUS" ]; then
    echo "polsearch indexing: from run-index.sh (bench-out/index.result)"
else
    echo "polsearch indexing: measuring (taskset -c 0 polsearch index --no-sync)"
    bench_index "$WORK/polsearch.db" "$CORPUS" || exit 1
    echo "index text_bytes=0 docs=$IX_DOCS passages=$IX_PASSAGES cpu=$IX_CPU wall=$IX_WALL" \
         "bytes=$IX_BYTES" >"$R.here"
    R=$R.here
    rm -rf "$WORK/polsearch.db"
fi
{
    echo "polsearch label $("$POLSEARCH_BIN/polsearch" --version 2>/dev/null | head -1)"
    echo "polsearch setup passages (articles) with exact, folded and bigram terms; --no-sync;" \
         "quality from bench/eval: passage mode for articles, document mode for laws"
    echo "polsearch units $(bench_field "$R" index passages)"
    echo "polsearch cpu $(bench_field "$R" index cpu)"
    echo "polsearch docs $(bench_field "$R" index docs)"
    echo "polsearch bytes $(bench_field "$R" index bytes)"
} >>"$ROWS"
echo "polsearch quality and latency: bench/eval (taskset -c 0)"
EVAL_DB=${EVAL_DB:-$POLSEARCH_BUILD/eval.db}
export EVAL_DB
taskset -c 0 sh "$POLSEARCH_ROOT/bench/eval.sh" "$POLSEARCH_BIN" --variants given,nodiac \
    >"$BENCH_OUT/peers-eval.out" 2>&1 || { cat "$BENCH_OUT/peers-eval.out"; exit 1; }
awk '$2 == "article"  { print "polsearch", $1 "_art_r10", $4; print "polsearch", $1 "_art_mrr", $5 }
     $2 == "document" { print "polsearch", $1 "_doc_mrr", $5 }
     $1 == "given" && $2 == "article" { print "polsearch p50", $7; print "polsearch p99", $8 }' \
    "$BENCH_OUT/peers-eval.out" >>"$ROWS"

# ---- peers
for peer in fts5 xapian groonga; do
    if [ $peer = groonga ] && ! command -v groonga >/dev/null 2>&1; then
        echo "groonga: skipped: the groonga command is missing (make deps: groonga-bin)"
        continue
    fi
    echo "$peer: taskset -c 0 \$POLSEARCH_BUILD/bench/peer_$peer --data DATA --work DIR"
    if ! taskset -c 0 "$BENCH_BIN/peer_$peer" --data "$POLSEARCH_SHARED_DATA" \
            --work "$WORK/$peer" >"$BENCH_OUT/peer_$peer.out" 2>"$BENCH_OUT/peer_$peer.err"; then
        echo "$peer: failed:"
        tail -5 "$BENCH_OUT/peer_$peer.err"
        continue
    fi
    rm -rf "${WORK:?}/$peer"
    O=$BENCH_OUT/peer_$peer.out
    {
        awk -F'"' '$1 ~ /^engine / { print "'$peer' label " $2; print "'$peer' setup " $4 }' "$O"
        for k in units docs text_bytes bytes; do echo "$peer $k $(bench_field "$O" index $k)"; done
        echo "$peer cpu $(bench_field "$O" index seconds)"
        awk '$1 == "query" { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                             v = f["variant"]
                             print "'$peer'", v "_art_r10", f["art_r10"]
                             print "'$peer'", v "_art_mrr", f["art_mrr"]
                             print "'$peer'", v "_doc_mrr", f["doc_mrr"]
                             if (v == "given") { print "'$peer' p50", f["p50_ms"]
                                                 print "'$peer' p99", f["p99_ms"] } }' "$O"
    } >>"$ROWS"
    grep -E '^(index|query|extra) ' "$O" | sed 's/^/  /'
done

# ---- the table: one row per measure, one column per engine, each peer's
# figure followed by its ratio to polsearch's.
echo
awk '
    { v[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; eng[n++] = $1 } }
    $2 == "label" || $2 == "setup" { v[$1, $2] = substr($0, length($1) + length($2) + 3) }
    END {
        if (!n) exit
        for (i = 0; i < n; i++) {
            e = eng[i]
            text = v["fts5", "text_bytes"] ? v["fts5", "text_bytes"] : v["xapian", "text_bytes"]
            if (!text) text = v["groonga", "text_bytes"]
            if (v[e, "cpu"] > 0) {
                v[e, "mbs"] = text / 1e6 / v[e, "cpu"]
                v[e, "dps"] = v[e, "docs"] / v[e, "cpu"]
            }
            if (text > 0) v[e, "size"] = v[e, "bytes"] / text
        }
        split("units mbs dps size p50 p99 given_art_r10 given_art_mrr given_doc_mrr " \
              "nodiac_art_r10 nodiac_art_mrr nodiac_doc_mrr", key, " ")
        split("records indexed|index MB/s (CPU, 1 core)|index documents/s|index size / text|" \
              "query p50 ms (articles)|query p99 ms (articles)|given: article R@10|" \
              "given: article MRR@10|given: document MRR@10|no diacritics: article R@10|" \
              "no diacritics: article MRR@10|no diacritics: document MRR@10", name, "|")
        fmt["units"] = "%.0f"; fmt["mbs"] = "%.2f"; fmt["dps"] = "%.1f"; fmt["size"] = "%.2f"
        fmt["p50"] = "%.2f"; fmt["p99"] = "%.2f"
        printf "%-32s", ""
        for (i = 0; i < n; i++) printf " %-22s", eng[i]
        printf "\n"
        for (k = 1; k <= 12; k++) {
            kk = key[k]; f = (kk in fmt) ? fmt[kk] : "%.3f"
            printf "%-32s", name[k]
            base = v["polsearch", kk]
            for (i = 0; i < n; i++) {
                e = eng[i]
                if (!((e, kk) in v) || v[e, kk] == "") { printf " %-22s", "-"; continue }
                cell = sprintf(f, v[e, kk])
                if (e != "polsearch" && base > 0)
                    cell = cell sprintf(" (%.2fx)", v[e, kk] / base)
                printf " %-22s", cell
            }
            printf "\n"
        }
        printf "\n"
        for (i = 0; i < n; i++)
            printf "%-10s %s: %s\n", eng[i] ":", v[eng[i], "label"], v[eng[i], "setup"]
    }' "$ROWS"
echo "(ratios are peer / polsearch: above 1 is faster for MB/s and documents/s, bigger for"
echo " size, slower for latency, better for quality; each engine's own output is in"
echo " \$POLSEARCH_BUILD/bench-out/peer_*.out)"
