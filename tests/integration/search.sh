#!/bin/sh
# Indexes the sample corpus into a real index and checks known results:
# number lookups in every spelling, phrases, queries without diacritics,
# tone variants, NFD input, passages and their paths, filters, facets,
# JSON shape, show.
. "$(dirname "$0")/lib.sh"
DB="$T/db"
"$P" index --db "$DB" --quiet "$ROOT/corpus" || { echo "indexing failed"; exit 1; }

# number lookups: every common spelling finds the document first
for q in "57-NQ/TW" "57/NQ-TW" "57 NQ TW" "nq 57" "nghị quyết 57" "nghi quyet so 57" \
         "Nghị quyết số 57-NQ/TW"; do
    expect_eq "number lookup '$q'" "dang/nq-57-2024.txt" "$(first id "$q")"
done
for q in "13/2023/NĐ-CP" "13/2023/ND-CP" "nghị định 13/2023" "nd 13"; do
    expect_eq "number lookup '$q'" "nha-nuoc/nd-13-2023.txt" "$(first id "$q")"
done
expect_eq "old Party number 234-TB/T.Ư" "dang/tb-234-1999.txt" "$(first id "234-TB/TW")"
expect_eq "law by number" "nha-nuoc/luat-64-2025.txt" "$(first id "64/2025/QH15")"
# two documents share 18-NQ/TW: both come, never merged
expect_eq "shared number: both documents" "2" \
    "$("$P" search --db "$DB" --json 18-NQ/TW | jq '[.hits[].id | select(startswith("dang/nq-18-"))] | length')"
expect_eq "number: field" "dang/nq-68-2025.txt" \
    "$("$P" search --db "$DB" --json 'number:68-NQ/TW' | jq -r '[.hits[].id] | join(",")')"

# phrase, with and without diacritics
expect_eq "phrase finds its passage" "dang/nq-57-2024.txt" \
    "$(first id '"là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại"' --unit passage --sort date)"
expect_eq "phrase without diacritics" \
    "$("$P" search --db "$DB" --json '"kinh tế tư nhân"' | jq -r '[.hits[].id] | sort | join(",")')" \
    "$("$P" search --db "$DB" --json '"kinh te tu nhan"' | jq -r '[.hits[].id] | sort | join(",")')"
n=$("$P" search --db "$DB" --json --limit 100 --unit passage '"kinh tế tư nhân"' | jq '[.hits[] | select(.snippet | test("<mark>kinh tế tư nhân</mark>"; "i"))] | length')
[ "$n" -gt 0 ] && ok "phrase highlighted as one mark ($n)" || fail "phrase highlighted as one mark"

# no diacritics finds what diacritics find
expect_eq "folded query" "$(first id "chuyển đổi số quốc gia")" "$(first id "chuyen doi so quoc gia")"

# tone placement: the new-style file is found by old-style queries, and back
expect_eq "hoà = hòa (old-style query finds the new-style file)" \
    "extra/ct-ubnd-khanh-hoa-09-2023-dau-kieu-moi.txt" "$(first id "Khánh Hòa thủy sản" --unit document)"
expect_eq "thuỷ = thủy" "$(first id "thủy lợi")" "$(first id "thuỷ lợi")"
# tones are not merged: hòa ranks hòa documents above hóa-only ones
top=$("$P" search --db "$DB" --json --limit 1 --unit passage "hòa giải" | jq -r '.hits[0].snippet')
case "$top" in *"<mark>hòa"*|*"<mark>Hòa"*|*"<mark>hoà"*|*"<mark>Hoà"*) ok "hòa ranks hòa first" ;; *) fail "hòa ranks hòa first: $top" ;; esac

# NFD query equals NFC query
nfd=$(printf 'Nghi\314\243 quy\303\252\314\201t v\341\273\201 kinh t\341\272\277 t\306\260 nh\303\242n')
expect_eq "NFD query = NFC query" "$(first id "Nghị quyết về kinh tế tư nhân")" "$(first id "$nfd")"
# the NFD file is found by NFC queries
expect_eq "NFD file found" "extra/tt-bnv-01-2011-nfd.txt" "$(first id "01/2011/TT-BNV")"
# Ð (eth) in the file is Đ
expect_eq "eth file found by Đảng" "extra/quydinh-105-2017-eth.txt" "$(first id "105-QĐ/TW")"

# passages name their article and path
expect_eq "passage article" "8" \
    "$(first passage.article "13/2023/NĐ-CP hiệu lực thi hành" --unit passage)"
path=$(first passage.path "Điều 5 Luật 60/2024/QH15" --unit passage)
case "$path" in *"Điều 5"*) ok "passage path names the article ($path)" ;; *) fail "passage path: $path" ;; esac

# filters
expect_eq "type filter" "Chỉ thị" \
    "$("$P" search --db "$DB" --json --type "chi thi" "chuyển đổi số" | jq -r '[.hits[].type] | unique | join(",")')"
expect_eq "issuer filter" "Bộ Chính trị" \
    "$("$P" search --db "$DB" --json --issuer "Bộ Chính trị" "phát triển" | jq -r '[.hits[].issuer] | unique | join(",")')"
expect_eq "date range" "true" \
    "$("$P" search --db "$DB" --json --from 2024 --to 2024-12 "nghị quyết" | jq '[.hits[].date | . >= "2024-01-01" and . <= "2024-12-31"] | all')"
expect_eq "sort -date" "true" \
    "$("$P" search --db "$DB" --json --sort=-date --limit 20 "nghị quyết" | jq '[.hits[].date] as $d | $d == ($d | sort | reverse)')"
expect_eq "field year:" "true" \
    "$("$P" search --db "$DB" --json "year:2025 nghị quyết" | jq '[.hits[].date | startswith("2025")] | all')"
expect_eq "exclusion" "0" \
    "$("$P" search --db "$DB" --json --limit 100 --unit passage "kinh tế -tư" | jq '[.hits[] | select(.snippet | test("<mark>tư</mark>"))] | length')"

# facets count documents over all matches
f=$("$P" search --db "$DB" --json --facets --limit 1 "chuyển đổi số")
expect_eq "facets: type counts sum to total" "$(printf "%s" "$f" | jq .total)" "$(printf "%s" "$f" | jq '[.facets.type[].count] | add')"
expect_eq "facets: one hit on the page" "1" "$(printf "%s" "$f" | jq '.hits | length')"

# JSON shape of a hit
expect_eq "hit keys" '["citation","date","id","issuer","number","passage","score","snippet","title","type"]' \
    "$("$P" search --db "$DB" --json "khoa học" | jq -c '.hits[0] | keys')"
expect_eq "passage keys" '["article","end","kind","label","ordinal","path","start"]' \
    "$("$P" search --db "$DB" --json "khoa học" | jq -c '.hits[0].passage | keys')"

# show
s=$("$P" show --db "$DB" --json dang/nq-57-2024.txt)
expect_eq "show: number" "57-NQ/TW" "$(printf "%s" "$s" | jq -r .number)"
expect_eq "show: date" "2024-12-22" "$(printf "%s" "$s" | jq -r .date)"
expect_eq "show: issuer" "Bộ Chính trị" "$(printf "%s" "$s" | jq -r .issuer)"
expect_eq "show: text comes back whole" "$(tr -d '\r' < "$ROOT/corpus/dang/nq-57-2024.txt" | wc -c)" \
    "$(printf "%s" "$s" | jq -j .text | wc -c)"
expect_eq "show: structure kinds" "phan" "$(printf "%s" "$s" | jq -r '.structure[0].kind')"
expect_eq "show --query highlights" "true" \
    "$("$P" show --db "$DB" --json --query "chuyển đổi số" dang/nq-57-2024.txt | jq '.highlights | length > 0')"
expect_status "show: unknown id" 1 "$P" show --db "$DB" no/such/doc
# batch mode: one JSON line per query, ids echoed
printf '%s\n' 'nq 57' '{"id":"q2","q":"chuyen doi so","unit":"passage","limit":2}' > "$T/batch"
"$P" search --db "$DB" --batch "$T/batch" > "$T/batch.out"
expect_eq "batch: lines" "2" "$(wc -l < "$T/batch.out")"
expect_eq "batch: id echoed" "q2" "$(sed -n 2p "$T/batch.out" | jq -r .id)"
expect_eq "batch: options per line" "2" "$(sed -n 2p "$T/batch.out" | jq '.hits | length')"
# suggestions: titles and numbers as typed, diacritics optional
expect_eq "suggest by number" "dang/nq-57-2024.txt" "$("$P" suggest --db "$DB" --json 57-N | jq -r '.suggestions[0].id')"
expect_eq "suggest by title words" "true" \
    "$("$P" suggest --db "$DB" --json "bao ve du lieu ca" | jq '[.suggestions[].id] | index("nha-nuoc/nd-13-2023.txt") != null')"

# citations in the standard first-mention form
expect_eq "citation of a hit" "Nghị định số 13/2023/NĐ-CP ngày 17/04/2023 của Chính phủ về bảo vệ dữ liệu cá nhân, Điều 8" \
    "$(first citation "13/2023/NĐ-CP hiệu lực thi hành" --unit passage)"
expect_eq "citation of a law" "Luật Dữ liệu số 60/2024/QH15 ngày 30/11/2024" \
    "$("$P" show --db "$DB" --json nha-nuoc/luat-60-2024.txt | jq -r .citation)"
# relations: mentions resolved to indexed documents, cited by, shared numbers
expect_eq "mention resolved" "nha-nuoc/nd-30-2020.txt" \
    "$("$P" show --db "$DB" --json nha-nuoc/nd-112-2025.txt | jq -r '[.relations[] | select(.key == "30-2020-ND-CP") | .target][0]')"
expect_eq "quoted title resolved" "dang/nq-57-2024.txt" \
    "$("$P" show --db "$DB" --json nha-nuoc/cv-bnv-1856-2025.txt | jq -r '[.relations[] | select(.by_title) | .target][0]')"
expect_eq "cited by" "true" \
    "$("$P" show --db "$DB" --json dang/nq-57-2024.txt | jq '[.cited_by[].id] | index("nha-nuoc/nq-cp-03-2025.txt") != null')"
expect_eq "shared number told apart by date (2017)" "dang/kh-40-2024.txt" \
    "$("$P" show --db "$DB" --json dang/nq-18-2017.txt | jq -r '[.cited_by[].id] | unique | join(",")')"
expect_eq "shared number told apart by date (2022)" "nha-nuoc/tb-vpcp-248-2025.txt" \
    "$("$P" show --db "$DB" --json dang/nq-18-2022.txt | jq -r '[.cited_by[].id] | unique | join(",")')"
expect_eq "cites: filter" "true" \
    "$("$P" search --db "$DB" --json 'cites:30/2020/NĐ-CP' | jq '[.hits[].id] | index("nha-nuoc/nd-112-2025.txt") != null')"

# cite: the source of a quote, in every form a user pastes it
src="dang/nq-57-2024.txt"
q="Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu"
expect_eq "cite exact: earliest source first" "$src" "$("$P" cite --db "$DB" --json "$q" | jq -r '.hits[0].id')"
expect_eq "cite without diacritics" "$src" \
    "$("$P" cite --db "$DB" --json "khoa hoc cong nghe doi moi sang tao va chuyen doi so la dot pha quan trong hang dau" | jq -r '.hits[0].id')"
expect_eq "cite with a word changed and one dropped" "$src" \
    "$("$P" cite --db "$DB" --json "Khoa học, công nghệ, đổi mới và chuyển đổi số là đột phá rất quan trọng" | jq -r '.hits[0].id')"
expect_eq "cite location" "điểm a khoản 1 Phần II" "$("$P" cite --db "$DB" --json "$q" | jq -r '.hits[0].location_text')"
expect_eq "cite citation" "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, điểm a khoản 1 Phần II" \
    "$("$P" cite --db "$DB" --json "$q" | jq -r '.hits[0].citation')"
expect_eq "cite diff marks the missing words" '["equal","insert","sáng tạo","equal"]' \
    "$("$P" cite --db "$DB" --json "Khoa học, công nghệ, đổi mới và chuyển đổi số" | jq -c '.hits[0].diff | [.[0].op, .[1].op, .[1].text, .[2].op]')"
expect_eq "cite repeats listed after the source" "4" \
    "$("$P" cite --db "$DB" --json "$q" | jq '[.hits[] | select(.coverage == 1)] | length')"
expect_eq "cite csv header" "rank,citation,id,number,date,location,coverage,match" "$("$P" cite --db "$DB" --format csv "$q" | head -1)"
printf '%s\n' "$q" "chuyen doi so la dot pha" > "$T/quotes"
expect_eq "cite batch: one line each" "2" "$("$P" cite --db "$DB" --batch "$T/quotes" | wc -l)"

# kwic: every use, earliest first, counts per year
k=$("$P" kwic --db "$DB" --json "kinh tế tư nhân")
expect_eq "kwic: earliest first" "1999-03-05" "$(printf '%s\n' "$k" | head -1 | jq -r .date)"
expect_eq "kwic: summary counts lines" "$(printf '%s\n' "$k" | grep -c '"left"')" "$(printf '%s\n' "$k" | tail -1 | jq .summary.lines)"
expect_eq "kwic: years add up" "$(printf '%s\n' "$k" | tail -1 | jq .summary.lines)" "$(printf '%s\n' "$k" | tail -1 | jq '[.summary.years[]] | add')"
expect_eq "kwic: no diacritics, same lines" "$(printf '%s\n' "$k" | tail -1 | jq .summary.lines)" \
    "$("$P" kwic --db "$DB" --json "kinh te tu nhan" | tail -1 | jq .summary.lines)"
expect_eq "kwic: match as written" "true" "$(printf '%s\n' "$k" | head -n -1 | jq -s 'map(.match | ascii_downcase == "kinh tế tư nhân") | all')"
expect_eq "kwic --sort=-date: newest first" "2025" "$("$P" kwic --db "$DB" --json --sort=-date "kinh tế tư nhân" | head -1 | jq -r '.date[0:4]')"
# similar: a formulation followed through the years
expect_eq "similar finds the near-duplicate" "true" \
    "$("$P" similar --db "$DB" --json dang/nq-68-2025.txt | jq '[.similar[] | select(.repeated >= 5) | .id] | index("dang/nq-12-tu-nghe-an-2025.txt") != null')"
expect_eq "similar: earliest first" "true" \
    "$("$P" similar --db "$DB" --json dang/nq-68-2025.txt | jq '[.similar[].date] as $d | $d == ($d | sort)')"
expect_eq "similar: never itself" "0" \
    "$("$P" similar --db "$DB" --json dang/nq-68-2025.txt | jq '[.similar[] | select(.id == "dang/nq-68-2025.txt")] | length')"
expect_status "similar: bad passage" 1 "$P" similar --db "$DB" --passage 9999 dang/nq-68-2025.txt
finish
