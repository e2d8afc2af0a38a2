#!/bin/sh
# Incremental indexing and bad input: unchanged files are skipped, changed
# ones re-indexed, vanished ones removed; invalid UTF-8, empty and binary
# files, a huge single line, hostile queries and unknown flags end with a
# clear message or a best-effort result, never a crash or a broken index.
. "$(dirname "$0")/lib.sh"
DB="$T/db"
mkdir -p "$T/docs"
cp -R "$ROOT/corpus/dang" "$ROOT/corpus/nha-nuoc" "$T/docs/"
n_files=$(find "$T/docs" -name '*.txt' | wc -l)

expect_status "first run" 0 "$P" index --db "$DB" "$T/docs"
grep -q "^$n_files documents indexed" "$T/err" && ok "first run indexes $n_files" || fail "first run: $(cat "$T/err")"
expect_status "second run" 0 "$P" index --db "$DB" "$T/docs"
grep -q "^0 documents indexed.*$n_files unchanged" "$T/err" && ok "second run skips all" || fail "second run: $(cat "$T/err")"

# touched but unchanged: still skipped (content hash)
touch "$T/docs/dang/nq-57-2024.txt"
"$P" index --db "$DB" "$T/docs" 2>"$T/err"
grep -q "^0 documents indexed" "$T/err" && ok "touched file not re-indexed" || fail "touch: $(cat "$T/err")"

# changed: re-indexed, the new text is found, the old is gone
sed -i 's/đột phá phát triển/ZZMARKER đột phá phát triển/' "$T/docs/dang/nq-57-2024.txt"
"$P" index --db "$DB" "$T/docs" 2>"$T/err"
grep -q "^1 documents indexed" "$T/err" && ok "changed file re-indexed" || fail "change: $(cat "$T/err")"
expect_eq "new text found" "dang/nq-57-2024.txt" "$("$P" search --db "$DB" --json zzmarker | jq -r '.hits[0].id')"
expect_eq "no duplicate records" "1" "$("$P" search --db "$DB" --json 57-NQ/TW | jq '[.hits[] | select(.id == "dang/nq-57-2024.txt")] | length')"

# vanished: removed
rm "$T/docs/dang/nq-68-2025.txt"
"$P" index --db "$DB" "$T/docs" 2>"$T/err"
grep -q "1 removed" "$T/err" && ok "vanished file removed" || fail "removal: $(cat "$T/err")"
expect_eq "removed document not found" "0" "$("$P" search --db "$DB" --json 68-NQ/TW | jq '[.hits[] | select(.id == "dang/nq-68-2025.txt")] | length')"
expect_status "show removed document" 1 "$P" show --db "$DB" dang/nq-68-2025.txt

# indexing another folder into the same index keeps the first one's documents
mkdir -p "$T/other"; cp "$ROOT/corpus/extra/kl-85-2024-mat.txt" "$T/other/"
"$P" index --db "$DB" "$T/other" 2>"$T/err"
expect_eq "other folder keeps the first" "dang/nq-57-2024.txt" "$("$P" search --db "$DB" --json 57-NQ/TW | jq -r '.hits[0].id')"

# JSON Lines: a changed record is re-indexed, the others are not
cp "$ROOT/corpus/extra/tong-hop.jsonl" "$T/set.jsonl"
"$P" index --db "$DB" "$T/set.jsonl" 2>"$T/err"
grep -q "^4 documents indexed" "$T/err" && ok "jsonl indexed" || fail "jsonl: $(cat "$T/err")"
sed -i '1s/"text": "/"text": "YYMARKER /' "$T/set.jsonl"
"$P" index --db "$DB" "$T/set.jsonl" 2>"$T/err"
grep -q "^1 documents indexed.*3 unchanged" "$T/err" && ok "jsonl: changed record only" || fail "jsonl change: $(cat "$T/err")"
expect_eq "jsonl id kept" "nq-08-hntw-1995" "$("$P" search --db "$DB" --json yymarker | jq -r '.hits[0].id')"
expect_eq "jsonl fields win" "Ban Chấp hành Trung ương" "$("$P" show --db "$DB" --json nq-08-hntw-1995 | jq -r .issuer)"

# bad input: the good file is indexed, the bad ones are named, exit 1
mkdir -p "$T/bad"
printf 'Nghị quyết \377\376 về \303 kinh tế tư nhân\n' > "$T/bad/invalid.txt"
: > "$T/bad/empty.txt"
head -c 20000 /dev/urandom > "$T/bad/binary.txt"
printf '{"id": "ok", "text": "Văn bản tốt"}\nnot json\n{"id": "notext"}\n[1,2]\n' > "$T/bad/mixed.jsonl"
expect_status "bad files: exit 1" 1 "$P" index --db "$DB" "$T/bad"
grep -q "binary.txt: not a text file" "$T/err" && ok "binary file named" || fail "binary: $(cat "$T/err")"
grep -q "empty.txt: no text" "$T/err" && ok "empty file named" || fail "empty: $(cat "$T/err")"
grep -q "mixed.jsonl:2: not a JSON object" "$T/err" && ok "bad JSON line named" || fail "jsonl line: $(cat "$T/err")"
grep -q 'mixed.jsonl:3: no "text"' "$T/err" && ok "record without text named" || fail "no text: $(cat "$T/err")"
expect_eq "invalid UTF-8 indexed with replacements" "invalid.txt" "$("$P" search --db "$DB" --json "kinh tế tư nhân" --limit 100 | jq -r '[.hits[].id | select(. == "invalid.txt")][0]')"
expect_eq "good jsonl record indexed" "ok" "$("$P" search --db "$DB" --json "văn bản tốt" | jq -r '.hits[0].id')"

# a 100 MB file of one line: indexed or refused cleanly, index intact
awk 'BEGIN { s = "Nghị quyết về phát triển kinh tế tư nhân và chuyển đổi số quốc gia "; \
     for (i = 0; i < 1450000; i++) printf "%s", s; }' > "$T/huge.txt"
expect_status "100 MB single line" 0 "$P" index --db "$DB" "$T/huge.txt"
expect_eq "index still answers" "dang/nq-57-2024.txt" "$("$P" search --db "$DB" --json 57-NQ/TW | jq -r '.hits[0].id')"

# hostile queries
expect_status "unbalanced quote" 0 "$P" search --db "$DB" '"kinh tế'
words=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "từ%d ", i }')
expect_status "10,000-word query" 0 "$P" search --db "$DB" --json "$words"
grep -q '"warnings":\["the query was too long' "$T/out" && ok "long query warned" || fail "long query: $(head -c 300 "$T/out")"
expect_status "invalid UTF-8 query" 0 "$P" search --db "$DB" "$(printf 'kinh \377 t\303')"
expect_status "empty query" 0 "$P" search --db "$DB" ""
expect_status "query of operators" 0 "$P" search --db "$DB" -- '- + OR "" type: :'

# usage errors exit 2, other errors 1
expect_status "unknown flag" 2 "$P" search --db "$DB" --frobnicate x
expect_status "bad limit" 2 "$P" search --db "$DB" --limit 0 x
expect_status "bad offset" 2 "$P" search --db "$DB" --offset 99999 x
expect_status "bad date" 2 "$P" search --db "$DB" --from 2024-13 x
expect_status "no query" 2 "$P" search --db "$DB"
expect_status "unknown command" 2 "$P" frobnicate
expect_status "index without a path" 2 "$P" index --db "$DB"
expect_status "missing index" 1 "$P" search --db "$T/nope" x
grep -q "no index at" "$T/err" && ok "missing index named" || fail "missing index: $(cat "$T/err")"
expect_status "index a missing path" 1 "$P" index --db "$DB" "$T/does-not-exist"
: > "$T/notadir"
expect_status "index into a file" 1 "$P" index --db "$T/notadir" "$T/docs"
expect_status "help" 0 "$P" search --help
finish
