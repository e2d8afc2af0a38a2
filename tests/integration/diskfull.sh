#!/bin/sh
# A disk that fills up during indexing: the indexer ends with a clear
# message and exit 1, and the index stays at its last commit (xapian-check
# passes, the same search results, the same records as before); once
# there is room again, a re-run completes to the index a clean build
# makes.
#
# The full disk is a file size limit (RLIMIT_FSIZE, through prlimit, or
# ulimit -f) just above the index's largest file, with SIGXFSZ ignored so
# that write() fails with EFBIG as it fails with ENOSPC on a full disk.
# Two runs: one that would add everything in one commit (nothing of it
# may show), and one committing every MB (what was committed before the
# failure is whole; nothing else shows).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
DUMP="$POLSEARCH_TOOLS/dumpindex"
[ -x "$DUMP" ] || { echo "skip: $DUMP is not built (make tools)"; exit 77; }
command -v xapian-check >/dev/null 2>&1 || { echo "skip: xapian-check missing (make deps)"; exit 77; }

DB="$T/db"
mkdir -p "$T/docs" "$T/more"
cp -R "$ROOT/corpus/dang" "$ROOT/corpus/nha-nuoc" "$T/docs/"
# more documents than the limit leaves room for: 30 copies, 3.4 MB of text
i=0
while [ $i -lt 30 ]; do
    mkdir -p "$T/more/c$i"
    cp -R "$ROOT/corpus/dang" "$ROOT/corpus/nha-nuoc" "$T/more/c$i/"
    i=$((i + 1))
done

queries="nghị quyết 57|chuyen doi so|\"khoa học và công nghệ\"|13/2023/NĐ-CP|Điều 5"
results() { # the ids of the first hits of each query
    echo "$queries" | tr '|' '\n' | while IFS= read -r q; do
        "$P" search --db "$DB" --json --limit 10 -- "$q" | jq -r '[.hits[].id] | join(" ")'
    done
}
# runs the indexer with at most $1 bytes per file it writes
limited() {
    lim=$1; shift
    if command -v prlimit >/dev/null 2>&1; then
        (trap '' XFSZ; exec prlimit --fsize="$lim" "$P" "$@")
    else
        # ulimit -f counts 512-byte blocks in dash, 1024 in bash: use bash's
        (trap '' XFSZ; ulimit -f $((lim / 1024)); exec "$P" "$@")
    fi
}
largest() { ls -l "$DB" | awk 'NR > 1 && $5 > m { m = $5 } END { print m + 0 }'; }

expect_status "index corpus/" 0 "$P" index --db "$DB" --no-sync "$T/docs"
results >"$T/before.results"
"$DUMP" --no-positions "$DB" >"$T/before.dump"
grep -q '^[a-z]' "$T/before.results" && ok "searches answer before" || fail "no results before"

# 1. everything in one batch: the failure leaves the index as it was
lim=$(( $(largest) + 65536 ))
limited "$lim" index --db "$DB" --no-sync "$T/more" >"$T/out" 2>"$T/err"
st=$?
expect_eq "one batch: exit 1 on a full disk" 1 "$st"
grep -q "File too large" "$T/err" && ok "one batch: the reason is named" || fail "one batch: message: $(cat "$T/err")"
grep -q "the index keeps its last commit" "$T/err" && ok "one batch: says the index keeps its last commit" || fail "one batch: message: $(cat "$T/err")"
xapian-check "$DB" >"$T/check" 2>&1 && ok "one batch: xapian-check passes" || fail "one batch: xapian-check: $(tail -n 3 "$T/check")"
results >"$T/after.results"
cmp -s "$T/before.results" "$T/after.results" && ok "one batch: the same search results" || fail "one batch: results changed: $(diff "$T/before.results" "$T/after.results" | head -n 4)"
"$DUMP" --no-positions "$DB" >"$T/after.dump"
cmp -s "$T/before.dump" "$T/after.dump" && ok "one batch: the same records as before" || fail "one batch: records changed"

# 2. committing every MB: some commits succeed before the disk fills
lim=$(( $(largest) + 5000000 ))
limited "$lim" index --db "$DB" --no-sync --flush-mb 1 "$T/more" >"$T/out" 2>"$T/err"
st=$?
expect_eq "commits every MB: exit 1 on a full disk" 1 "$st"
grep -q "File too large" "$T/err" && ok "commits every MB: the reason is named" || fail "commits every MB: message: $(cat "$T/err")"
xapian-check "$DB" >"$T/check" 2>&1 && ok "commits every MB: xapian-check passes" || fail "commits every MB: xapian-check: $(tail -n 3 "$T/check")"
# what a clean build of both folders stores
"$P" index --db "$T/ref" --no-sync "$T/docs" "$T/more" 2>"$T/ref.err" || fail "clean build: $(cat "$T/ref.err")"
"$DUMP" --no-positions "$T/ref" >"$T/ref.dump"
"$DUMP" --no-positions "$DB" >"$T/after.dump"
n_before=$(awk '$2 == "Kd"' "$T/before.dump" | wc -l)
n_after=$(awk '$2 == "Kd"' "$T/after.dump" | wc -l)
n_ref=$(awk '$2 == "Kd"' "$T/ref.dump" | wc -l)
if [ "$n_after" -gt "$n_before" ] && [ "$n_after" -lt "$n_ref" ]; then
    ok "commits every MB: $((n_after - n_before)) documents committed before the disk filled"
else
    fail "commits every MB: $n_after documents after, $n_before before, $n_ref in all"
fi
extra=$(comm -23 "$T/after.dump" "$T/ref.dump" | grep -vc '^documents ')
expect_eq "commits every MB: every record is a clean build's" 0 "$extra"
groups() { awk '$1 != "documents" { c[$1]++ } END { for (g in c) print g, c[g] }' "$1" | sort; }
groups "$T/after.dump" >"$T/after.groups"
groups "$T/ref.dump" >"$T/ref.groups"
expect_eq "commits every MB: every document whole" 0 "$(comm -23 "$T/after.groups" "$T/ref.groups" | wc -l)"
missing=$(comm -13 "$T/after.dump" "$T/before.dump" | grep -vc '^documents ')
expect_eq "commits every MB: the documents of before unchanged" 0 "$missing"

# 3. room again: a re-run completes to the clean build's index
expect_status "re-run with room" 0 "$P" index --db "$DB" --no-sync "$T/more"
"$DUMP" --no-positions "$DB" >"$T/final.dump"
cmp -s "$T/final.dump" "$T/ref.dump" && ok "re-run equals a clean build" || fail "re-run differs from a clean build: $(diff "$T/ref.dump" "$T/final.dump" | head -n 4)"
finish
