#!/bin/sh
# Bulk loads in segments: a new index written in segments of 1 MB and
# merged on close answers exactly as one written in one database (ids,
# order, scores, totals, facets); an id met again in an earlier segment
# replaces its document; nothing of the segments is left behind; a second
# run over the merged index is incremental as usual.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "skip: jq missing (make deps)"; exit 77; }

# about 4 MB of text: the sample corpus twelve times over, new ids, then
# one id again (its second text wins)
J=$T/bulk.jsonl
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    find "$ROOT/corpus" -name '*.txt' | sort | while read -r f; do
        jq -Rsc --arg id "c$i/${f#"$ROOT"/corpus/}" '{id: $id, text: .}' "$f"
    done
done >"$J"
jq -Rsc '{id: "c1/dang/nq-57-2024.txt", text: ("ZZAGAIN " + .)}' \
    "$ROOT/corpus/dang/nq-57-2024.txt" >>"$J"
n=$(( $(wc -l <"$J") - 1 ))

expect_status "one database" 0 "$P" index --no-sync --segment-mb 0 --db "$T/one" "$J"
expect_status "in segments" 0 "$P" index --no-sync --segment-mb 1 --db "$T/seg" "$J"
grep -q "written in segments and merged" "$T/err" && ok "written in segments" || fail "segments: $(cat "$T/err")"
grep -q "^$((n + 1)) documents indexed" "$T/err" && ok "every record indexed" || fail "count: $(cat "$T/err")"
[ ! -e "$T/seg.segments" ] && [ ! -e "$T/seg.merge-tmp" ] && ok "no segment left behind" || fail "left: $(ls "$T")"
if command -v xapian-check >/dev/null 2>&1; then
    xapian-check "$T/seg" >"$T/check" 2>&1 && ok "xapian-check passes" || fail "xapian-check: $(tail -n 3 "$T/check")"
fi

same() { # QUERY UNIT
    a=$("$P" search --db "$T/one" --json --facets --unit "$2" --limit 30 -- "$1" | jq -c '[.total, [.hits[] | [.id, .passage.ordinal, .score]], .facets]')
    b=$("$P" search --db "$T/seg" --json --facets --unit "$2" --limit 30 -- "$1" | jq -c '[.total, [.hits[] | [.id, .passage.ordinal, .score]], .facets]')
    expect_eq "same answer: $1 ($2)" "$a" "$b"
}
for q in "nghị quyết 57" "chuyen doi so" "kinh tế tư nhân" "type:nq" '"khoa học và công nghệ"' zzagain; do
    same "$q" document
    same "$q" passage
done
expect_eq "the repeated id is one document" "1" \
    "$("$P" search --db "$T/seg" --json --limit 100 57-NQ/TW | jq '[.hits[] | select(.id == "c1/dang/nq-57-2024.txt")] | length')"
expect_eq "its second text won" "c1/dang/nq-57-2024.txt" \
    "$("$P" search --db "$T/seg" --json zzagain | jq -r '[.hits[].id] | join(",")')"

# the merged index is an ordinary one: a second run skips what did not
# change, as over the index written in one database (the repeated id is
# indexed again there too: its two texts differ)
"$P" index --no-sync --db "$T/one" "$J" 2>"$T/err1"
expect_status "second run" 0 "$P" index --no-sync --segment-mb 1 --db "$T/seg" "$J"
expect_eq "second run as over one database" "$(cut -d';' -f1 "$T/err1")" "$(cut -d';' -f1 "$T/err")"
grep -q "^1 documents indexed.* $n unchanged" "$T/err" && ok "second run skips the rest" || fail "second run: $(cat "$T/err")"
finish
