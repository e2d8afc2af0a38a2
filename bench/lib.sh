# bench/lib.sh: shell helpers the bench/run-*.sh scripts source (not a
# benchmark itself: bench/bench.sh runs only run-*.sh).
#
# Paths come from the environment bench/bench.sh sets; each script can
# also run alone from the repository root (sh bench/run-index.sh), with
# the same defaults:
#   POLSEARCH_ROOT          the repository
#   POLSEARCH_BIN           where polsearch is (bin)
#   POLSEARCH_BUILD         build/release: bench programs in bench/, scratch
#   POLSEARCH_SHARED_DATA   ../shared/data
# Everything a benchmark writes goes under $POLSEARCH_BUILD.

# shellcheck shell=sh disable=SC2034 # sets variables for the scripts that source it
POLSEARCH_ROOT=${POLSEARCH_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
POLSEARCH_BIN=${POLSEARCH_BIN:-$POLSEARCH_ROOT/bin}
POLSEARCH_BUILD=${POLSEARCH_BUILD:-$POLSEARCH_ROOT/build/release}
POLSEARCH_SHARED_DATA=${POLSEARCH_SHARED_DATA:-$POLSEARCH_ROOT/../shared/data}
BENCH_BIN=$POLSEARCH_BUILD/bench
BENCH_OUT=$POLSEARCH_BUILD/bench-out
CORPUS=$POLSEARCH_SHARED_DATA/corpus.jsonl
export POLSEARCH_ROOT POLSEARCH_BIN POLSEARCH_BUILD POLSEARCH_SHARED_DATA

# bench_eval_db: the index of the shared corpus the benchmarks share,
# $EVAL_DB (default $POLSEARCH_BUILD/eval.db, exported), indexed again
# when it is missing or older than polsearch or the corpus (and then says
# so: "eval: indexing ..."). Returns 1 when indexing fails.
bench_eval_db() {
    EVAL_DB=${EVAL_DB:-$POLSEARCH_BUILD/eval.db}
    export EVAL_DB
    if [ ! -f "$EVAL_DB/.polsearch-built" ] ||
       [ "$POLSEARCH_BIN/polsearch" -nt "$EVAL_DB/.polsearch-built" ] ||
       [ "$CORPUS" -nt "$EVAL_DB/.polsearch-built" ]; then
        rm -rf "$EVAL_DB"
        echo "eval: indexing $CORPUS"
        "$POLSEARCH_BIN/polsearch" index --quiet --no-sync --db "$EVAL_DB" "$CORPUS" || return 1
        touch "$EVAL_DB/.polsearch-built"
    fi
}

# Prints why and returns 1 when the shared data or a program is missing.
bench_need_data() {
    if [ ! -f "$CORPUS" ] || [ ! -f "$POLSEARCH_SHARED_DATA/queries.jsonl" ]; then
        echo "skipped: the shared data ($POLSEARCH_SHARED_DATA) is absent"
        return 1
    fi
}
bench_need_prog() {
    for p in "$@"; do
        if [ ! -x "$p" ]; then
            echo "skipped: $p is missing (run make)"
            return 1
        fi
    done
}
bench_need_time() {
    if [ ! -x /usr/bin/time ]; then
        echo "skipped: GNU time (/usr/bin/time) is missing: run make deps (package time)"
        return 1
    fi
}

# The machine's state, so a reader can judge the figures: load averages
# and the CPU model. Other work on the machine slows wall-clock figures;
# CPU-second figures suffer much less.
bench_machine() {
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1),"\
         "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# awk arithmetic for the shell: bench_calc '%.2f' 'a / b' a=1 b=2
bench_calc() {
    fmt=$1 expr=$2
    shift 2
    awk "$@" "BEGIN { v = ($expr); printf \"$fmt\", v }"
}

# key=value field of the first line starting with "kind " in a file.
bench_field() {
    awk -v kind="$2" -v key="$3" '
        $1 == kind { for (i = 2; i <= NF; i++) { split($i, kv, "=");
                     if (kv[1] == key) { print substr($i, length(key) + 2); exit } } }' "$1"
}

# bench_index DB FILE [index options]: indexes FILE into a fresh DB with
# `polsearch index --no-sync` on one core (taskset -c 0) and sets
#   IX_WALL IX_CPU (seconds: wall; user + system)  IX_RSS_MB (peak RSS)
#   IX_DOCS IX_PASSAGES  IX_BYTES (index on disk)
bench_index() {
    ix_db=$1 ix_file=$2
    shift 2
    rm -rf "$ix_db"
    mkdir -p "$(dirname "$ix_db")"
    if ! /usr/bin/time -o "$ix_db.time" -f "%e %U %S %M" \
            taskset -c 0 "$POLSEARCH_BIN/polsearch" index --no-sync --db "$ix_db" "$@" \
            "$ix_file" 2>"$ix_db.log"; then
        echo "polsearch index failed:"
        tail -5 "$ix_db.log"
        return 1
    fi
    read -r IX_WALL ix_u ix_s ix_kb <"$ix_db.time"
    IX_CPU=$(bench_calc '%.2f' 'u + s' -v u="$ix_u" -v s="$ix_s")
    IX_RSS_MB=$(bench_calc '%.0f' 'kb / 1024' -v kb="$ix_kb")
    IX_DOCS=$(sed -n 's/^\([0-9]*\) documents indexed.*/\1/p' "$ix_db.log" | tail -1)
    IX_PASSAGES=$(sed -n 's/.*(\([0-9]*\) passages).*/\1/p' "$ix_db.log" | tail -1)
    IX_BYTES=$(du -sb "$ix_db" | cut -f1)
}

# bench_pct P FILE: the P-quantile (nearest rank, as bench/eval) of the
# numbers in FILE, one a line.
bench_pct() {
    sort -g "$2" | awk -v p="$1" '{ v[NR] = $1 }
        END { if (!NR) { print 0; exit } i = int(p * NR); if (i < p * NR) i++;
              if (i < 1) i = 1; print v[i] }'
}
