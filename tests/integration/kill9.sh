#!/bin/sh
# Crash safety of indexing: `polsearch index` killed with SIGKILL at random
# moments leaves an index that opens, passes xapian-check, answers
# searches from its last commit (every document in it whole, exactly as a
# clean build stores it), and that a re-run completes to the same index as
# a clean build of the same input: the same records with the same terms,
# wdf, values and data (compared with tests/tools/dumpindex).
#
# Input: ../shared/data/corpus.jsonl when present (its first 40 records,
# about 7 MB, unless POLSEARCH_KILL9_RECORDS says otherwise: 0 for all
# 230, 25.7 MB), else a synthetic set of copies of corpus/ (so the test
# runs anywhere), or $POLSEARCH_KILL9_INPUT. Commits every MB (--flush-mb 1) so that kills
# land between, during and after commits; a first build is a bulk load in
# segments of 2 MB (--segment-mb 2), so that kills also land while a
# segment is written and while they are merged. Odd trials start from no index
# (the killed run is a first build); even trials re-index everything over
# the complete index (--full: every document replaced while it is
# killed).
#
#   POLSEARCH_KILL9_TRIALS=25 POLSEARCH_KILL9_RECORDS=0
#                               the full run (default 5 trials on 40
#                               records, for make test)
#   POLSEARCH_KILL9_SYNC=1      fsync at commits (default --no-sync: a
#                               killed process loses nothing the kernel
#                               holds, so fsync only slows this test down)
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
DUMP="$POLSEARCH_TOOLS/dumpindex"
TRIALS=${POLSEARCH_KILL9_TRIALS:-5}
[ -x "$DUMP" ] || { echo "skip: $DUMP is not built (make tools)"; exit 77; }
command -v xapian-check >/dev/null 2>&1 || { echo "skip: xapian-check missing (make deps)"; exit 77; }

if [ -n "${POLSEARCH_KILL9_INPUT:-}" ]; then
    INPUT=$POLSEARCH_KILL9_INPUT
elif [ -f "${POLSEARCH_SHARED_DATA:-}/corpus.jsonl" ]; then
    INPUT=$POLSEARCH_SHARED_DATA/corpus.jsonl
    records=${POLSEARCH_KILL9_RECORDS:-40}
    if [ "$records" -gt 0 ]; then
        head -n "$records" "$INPUT" >"$T/corpus.jsonl"
        INPUT=$T/corpus.jsonl
    fi
else
    # 24 copies of the sample corpus, about 6 MB of text in 1000 files
    INPUT=$T/input
    i=0
    while [ $i -lt 24 ]; do
        mkdir -p "$INPUT/copy$i"
        cp -R "$ROOT/corpus/dang" "$ROOT/corpus/nha-nuoc" "$ROOT/corpus/extra" "$INPUT/copy$i/"
        rm -f "$INPUT/copy$i/extra/"*.jsonl
        i=$((i + 1))
    done
fi
SYNC=--no-sync
[ "${POLSEARCH_KILL9_SYNC:-0}" = 1 ] && SYNC=
echo "input: $INPUT ($(du -sh "$INPUT" | cut -f1)), $TRIALS trials"

index() { # index DB [FLAGS...]: one indexing run over the input
    db=$1; shift
    # shellcheck disable=SC2086
    "$P" index --db "$db" --flush-mb 1 --segment-mb 2 $SYNC -q "$@" "$INPUT"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
random() { # random N: 0 .. N-1
    echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}
# per-document record counts of a dump: "GROUP COUNT" lines
groups() { awk '$1 != "documents" { c[$1]++ } END { for (g in c) print g, c[g] }' "$1" | sort; }

# the clean build every trial is compared with
start=$(now_ms)
if ! index "$T/ref" 2>"$T/err"; then
    fail "clean build: $(cat "$T/err")"
    finish; exit 1
fi
build_ms=$(( $(now_ms) - start ))
"$DUMP" --no-positions "$T/ref" >"$T/ref.dump" || { fail "dumpindex on the clean build"; finish; exit 1; }
groups "$T/ref.dump" >"$T/ref.groups"
echo "clean build: $(tail -n 1 "$T/ref.dump") in ${build_ms} ms"
case "$INPUT" in
*.jsonl) jq -r .id "$INPUT" >"$T/ids" ;;
*) : >"$T/ids" ;;
esac

passed=0
trial=1
while [ "$trial" -le "$TRIALS" ]; do
    ok_trial=1
    why=""
    if [ $((trial % 2)) -eq 1 ]; then
        mode=first; rm -rf "$T/db"; flags=""
    else
        mode=full; flags=--full
    fi
    # kill between 20 ms and the clean build's duration after the start
    delay=$(( 20 + $(random "$build_ms") ))
    # the program itself in the background (not a function: $! would be a
    # subshell, and the kill would miss the indexer)
    # shellcheck disable=SC2086
    "$P" index --db "$T/db" --flush-mb 1 --segment-mb 2 $SYNC -q $flags "$INPUT" >/dev/null 2>"$T/killed.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    [ "$status" -eq 137 ] && what="killed at ${delay} ms" || what="ended (exit $status) before the kill at ${delay} ms"

    if [ -f "$T/db/iamglass" ]; then
        # the database checks out
        if ! xapian-check "$T/db" >"$T/check.log" 2>&1; then
            ok_trial=0; why="$why xapian-check: $(tail -n 3 "$T/check.log" | tr '\n' ' ')"
        fi
        # a search answers
        if ! "$P" search --db "$T/db" --json --limit 3 "nghị quyết" >"$T/search.json" 2>"$T/search.err" ||
            ! jq -e '.total >= 0' "$T/search.json" >/dev/null 2>&1; then
            ok_trial=0; why="$why search: $(head -c 300 "$T/search.err")"
        fi
        # from a commit: every record is one of the clean build's and every
        # document has all its records
        if "$DUMP" --no-positions "$T/db" >"$T/db.dump" 2>"$T/dump.err"; then
            extra=$(comm -23 "$T/db.dump" "$T/ref.dump" | grep -vc '^documents ')
            groups "$T/db.dump" >"$T/db.groups"
            partial=$(comm -23 "$T/db.groups" "$T/ref.groups" | wc -l)
            ndocs=$(awk '$2 == "Kd"' "$T/db.dump" | wc -l)
            [ "$extra" -eq 0 ] || { ok_trial=0; why="$why $extra records differ from the clean build's"; }
            [ "$partial" -eq 0 ] || { ok_trial=0; why="$why $partial documents not whole"; }
            # a first build commits documents in input order: what is there
            # is the input's first documents
            if [ "$mode" = first ] && [ -s "$T/ids" ]; then
                awk '$2 == "Kd" { print substr($1, 2) }' "$T/db.dump" | sort >"$T/have"
                head -n "$ndocs" "$T/ids" | sort >"$T/want"
                cmp -s "$T/have" "$T/want" || { ok_trial=0; why="$why the documents are not the input's first $ndocs"; }
            fi
            what="$what, $ndocs documents committed"
        else
            ok_trial=0; why="$why dumpindex: $(cat "$T/dump.err")"
        fi
    else
        what="$what, before the index was created"
    fi
    # a re-run completes, to the clean build's index
    if ! index "$T/db" 2>"$T/rerun.err"; then
        ok_trial=0; why="$why re-run failed: $(head -c 300 "$T/rerun.err")"
    elif ! "$DUMP" --no-positions "$T/db" >"$T/db.dump" 2>"$T/dump.err" ||
        ! cmp -s "$T/db.dump" "$T/ref.dump"; then
        ok_trial=0
        why="$why after the re-run the index differs from a clean build: $(diff "$T/ref.dump" "$T/db.dump" | head -n 6 | tr '\n' ' ')"
    fi
    if [ $ok_trial -eq 1 ]; then
        passed=$((passed + 1))
        ok "trial $trial ($mode): $what; checks pass, re-run equals a clean build"
    else
        fail "trial $trial ($mode): $what:$why"
    fi
    trial=$((trial + 1))
done
echo "kill -9: $passed of $TRIALS trials passed"
finish
