#!/bin/sh
# Access levels over HTTP: the restricted sample (extra/kl-85-2024-mat.txt,
# marked MẬT) and the internal one (extra/tb-112-2023-luu-hanh-noi-bo.txt,
# LƯU HÀNH NỘI BỘ) never show to a reader without a token through any
# channel: hits, totals, facet counts, suggestions, snippets, cited-by
# searches, /api/doc. With a configured token of the right level they do.
# Also: the token file's checks and `serve --hash-token`.
. "$(dirname "$0")/lib/daemon.sh"
DB="$T/db"
# two fixtures for the relations channel: a restricted letter that cites
# the public 57-NQ/TW (so it is in 57-NQ/TW's cited_by), and a public one
# that cites the restricted 85-KL/TW (so 85-KL/TW is its relation's target)
cat >"$T/fixtures.jsonl" <<'EOF'
{"id": "fixture/mat-cites-57.txt", "title": "về việc triển khai thí điểm", "number": "901-CV/VPTW", "type": "Công văn", "issuer": "Văn phòng Trung ương Đảng", "date": "2025-03-01", "access": "restricted", "text": "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG\nSố 901-CV/VPTW\nMẬT\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Văn phòng Trung ương Đảng đề nghị triển khai thí điểm.\n"}
{"id": "fixture/cong-khai-cites-85.txt", "title": "về việc phổ biến văn bản", "number": "902-CV/VPTW", "type": "Công văn", "issuer": "Văn phòng Trung ương Đảng", "date": "2025-03-02", "access": "public", "text": "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG\nSố 902-CV/VPTW\nThực hiện Kết luận số 85-KL/TW ngày 10/7/2024 của Bộ Chính trị, đề nghị các cấp ủy phổ biến văn bản.\n"}
EOF
"$P" index --db "$DB" --quiet "$ROOT/corpus" "$T/fixtures.jsonl" || { echo "indexing failed"; exit 1; }
F="fixture/mat-cites-57.txt"
R="extra/kl-85-2024-mat.txt"        # restricted
I="extra/tb-112-2023-luu-hanh-noi-bo.txt" # internal
expect_eq "fixture: restricted level" "restricted" "$("$P" show --db "$DB" --json "$R" | jq -r .access)"
expect_eq "fixture: internal level" "internal" "$("$P" show --db "$DB" --json "$I" | jq -r .access)"

# ---- tokens ----------------------------------------------------------------------------
TI="internal-token-6d1f0c2b9a8e7d6c5b4a"
TR="restricted-token-0a1b2c3d4e5f60718293"
TS="secret-token-ffeeddccbbaa99887766554433"
hash() { printf '%s\n' "$1" | "$P" serve --hash-token; }
expect_eq "--hash-token is SHA-256" "$(printf '%s' "$TI" | sha256sum | cut -d' ' -f1)" "$(hash "$TI")"
expect_status "--hash-token without input" 2 sh -c "printf '' | '$P' serve --hash-token"
cat >"$T/tokens" <<EOF
# level   sha256                                                            name
internal  $(hash "$TI")  office
restricted $(hash "$TR") cabinet

secret    $(hash "$TS")   # a comment after the hash
EOF
chmod 666 "$T/tokens"
expect_status "refuses a token file others may write" 1 "$P" serve --db "$DB" --port 0 --tokens "$T/tokens"
grep -q "writable by others" "$T/err" && ok "says why" || fail "message: $(cat "$T/err")"
chmod 640 "$T/tokens"
printf 'admin %s x\n' "$(hash x)" >"$T/badlevel"; chmod 600 "$T/badlevel"
expect_status "refuses an unknown level" 1 "$P" serve --db "$DB" --port 0 --tokens "$T/badlevel"
printf 'secret abc123 x\n' >"$T/badhash"; chmod 600 "$T/badhash"
expect_status "refuses a malformed hash" 1 "$P" serve --db "$DB" --port 0 --tokens "$T/badhash"
expect_status "refuses a missing token file" 1 "$P" serve --db "$DB" --port 0 --tokens "$T/none"

start_daemon d --db "$DB" --web "$ROOT/web" --tokens "$T/tokens" || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }

# get_as LEVEL PATH: the JSON body as a reader of LEVEL (none, bad,
# internal, restricted, secret)
get_as() {
    case "$1" in
        none) curl -s "$BASE$2" ;;
        bad) curl -s -H "Authorization: Bearer not-a-configured-token" "$BASE$2" ;;
        basic) curl -s -H "Authorization: Basic $(printf 'u:%s' "$TS" | base64)" "$BASE$2" ;;
        internal) curl -s -H "Authorization: Bearer $TI" "$BASE$2" ;;
        restricted) curl -s -H "Authorization: Bearer $TR" "$BASE$2" ;;
        secret) curl -s -H "Authorization: bearer   $TS  " "$BASE$2" ;;
    esac
}
status_as() {
    case "$1" in
        none) curl -s -o /dev/null -w '%{http_code}' "$BASE$2" ;;
        internal) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TI" "$BASE$2" ;;
        restricted) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TR" "$BASE$2" ;;
        secret) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TS" "$BASE$2" ;;
        bad) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer nope" "$BASE$2" ;;
    esac
}
# shows LEVEL ID PATH: 1 when the JSON at PATH mentions the document
# anywhere (hit ids, suggestion ids, doc id), else 0
shows() {
    get_as "$1" "$3" | jq --arg id "$2" '[.. | objects | select(.id? == $id)] | length > 0 | if . then 1 else 0 end'
}
enc() { jq -rn --arg q "$1" '$q | @uri'; }

# queries that find each hidden document first for a reader who may see it
QR="b%E1%BA%A3o+v%E1%BB%87+ch%C3%ADnh+tr%E1%BB%8B+n%E1%BB%99i+b%E1%BB%99"   # bảo vệ chính trị nội bộ
QI="$(enc "ứng dụng công nghệ thông tin chuyển đổi số trong các cơ quan đảng")"
expect_eq "CLI (trusted) finds the restricted one" "$R" "$("$P" search --db "$DB" --json "bảo vệ chính trị nội bộ" | jq -r '.hits[0].id')"

# ---- hits and totals, documents and passages ----------------------------------------------
for unit in document passage; do
    for lvl in none bad basic; do
        expect_eq "$lvl/$unit: restricted not in hits" 0 "$(shows $lvl "$R" "/api/search?q=$QR&unit=$unit&limit=100")"
        expect_eq "$lvl/$unit: internal not in hits" 0 "$(shows $lvl "$I" "/api/search?q=$QI&unit=$unit&limit=100")"
    done
    expect_eq "internal/$unit: internal shows" 1 "$(shows internal "$I" "/api/search?q=$QI&unit=$unit&limit=100")"
    expect_eq "internal/$unit: restricted does not" 0 "$(shows internal "$R" "/api/search?q=$QR&unit=$unit&limit=100")"
    expect_eq "restricted/$unit: restricted shows" 1 "$(shows restricted "$R" "/api/search?q=$QR&unit=$unit&limit=100")"
    expect_eq "restricted/$unit: internal shows" 1 "$(shows restricted "$I" "/api/search?q=$QI&unit=$unit&limit=100")"
    expect_eq "secret/$unit: restricted shows" 1 "$(shows secret "$R" "/api/search?q=$QR&unit=$unit&limit=100")"
done
for q in "number:85-KL/TW" "85-KL/TW" "number:112-TB/TW" "type:kl year:2024" "issuer:\"Ban Bí thư\""; do
    e=$(enc "$q")
    for lvl in none bad; do
        n=$(get_as $lvl "/api/search?q=$e&limit=100" | jq "[.hits[] | select(.id == \"$R\" or .id == \"$I\")] | length")
        expect_eq "$lvl: [$q] hides both" 0 "$n"
    done
done
expect_eq "public total of number:85-KL/TW" 0 "$(get_as none "/api/search?q=number%3A85-KL%2FTW" | jq .total)"
expect_eq "restricted total of number:85-KL/TW" 1 "$(get_as restricted "/api/search?q=number%3A85-KL%2FTW" | jq .total)"
expect_eq "internal total of number:85-KL/TW" 0 "$(get_as internal "/api/search?q=number%3A85-KL%2FTW" | jq .total)"
expect_eq "public total of number:112-TB/TW" 0 "$(get_as none "/api/search?q=number%3A112-TB%2FTW" | jq .total)"
expect_eq "internal total of number:112-TB/TW" 1 "$(get_as internal "/api/search?q=number%3A112-TB%2FTW" | jq .total)"
# totals: a reader who sees more has exactly the hidden documents more
pub=$(get_as none "/api/search?q=$QR&limit=1" | jq .total)
res=$(get_as restricted "/api/search?q=$QR&limit=1" | jq .total)
# (hidden: the restricted reader's hits that are not public)
get_as none "/api/search?q=$QR&limit=100" | jq '[.hits[].id]' >"$T/pub.ids"
hid=$(get_as restricted "/api/search?q=$QR&limit=100" | jq --slurpfile p "$T/pub.ids" '[.hits[].id | select(. as $i | $p[0] | index($i) | not)] | length')
expect_eq "document totals differ by the hidden hits" "$res" "$((pub + hid))"
# (passage totals of the bare words are estimates that may saturate for
# both readers alike; the phrase's are exact)
pub=$(get_as none "/api/search?q=%22$QR%22&unit=passage&limit=1" | jq -r '"\(.total) \(.total_exact)"')
res=$(get_as restricted "/api/search?q=%22$QR%22&unit=passage&limit=1" | jq -r '"\(.total) \(.total_exact)"')
[ "${pub% *}" -lt "${res% *}" ] && [ "${pub#* }" = true ] && [ "${res#* }" = true ] \
    && ok "passage totals: the public count is smaller ($pub < $res)" || fail "passage totals $pub, $res"
# snippets of public hits never quote the hidden texts
for lvl in none bad; do
    n=$(get_as $lvl "/api/search?q=$(enc "quản lý chặt chẽ tài liệu mật thế lực thù địch diễn biến hòa bình")&unit=passage&limit=100" | jq '[.hits[] | select(.snippet | test("tài liệu mật|thế lực thù địch"))] | length')
    expect_eq "$lvl: no snippet quotes the restricted text" 0 "$n"
    n=$(get_as $lvl "/api/search?q=$(enc "mạng thông tin diện rộng của Đảng cán bộ chuyên trách")&unit=passage&limit=100" | jq '[.hits[] | select(.snippet | test("diện rộng của <mark>Đảng|mạng thông tin diện rộng|<mark>diện</mark> <mark>rộng</mark>"))] | length')
    expect_eq "$lvl: no snippet quotes the internal text" 0 "$n"
done

# ---- facet counts -------------------------------------------------------------------------
# facet_count LEVEL QUERY FACET VALUE
facet_count() {
    get_as "$1" "/api/search?q=$2" | jq --arg f "$3" --arg v "$4" '[.facets[$f][]? | select(.value == $v) | .count] | add // 0'
}
for unit in "" "&unit=passage"; do
    pub=$(facet_count none "$QR$unit" type "Kết luận")
    res=$(facet_count restricted "$QR$unit" type "Kết luận")
    [ "$res" -gt "$pub" ] && ok "type facet: restricted reader counts more ($pub < $res)$unit" || fail "type facet Kết luận: public $pub, restricted $res$unit"
    pub=$(facet_count none "$QI$unit" type "Thông báo")
    int=$(facet_count internal "$QI$unit" type "Thông báo")
    [ "$int" -gt "$pub" ] && ok "type facet: internal reader counts more ($pub < $int)$unit" || fail "type facet Thông báo: public $pub, internal $int$unit"
done
pub=$(facet_count none "$QI" issuer "Ban Bí thư")
expect_eq "issuer facet: public count of Ban Bí thư" "$(get_as none "/api/search?q=$QI&limit=100" | jq '[.hits[] | select(.issuer == "Ban Bí thư")] | length')" "$pub"
int=$(facet_count internal "$QI" issuer "Ban Bí thư")
expect_eq "issuer facet: the internal reader counts one more" "$((pub + 1))" "$int"
# public document facets add up to the public total (nothing counted twice or hidden)
f=$(get_as none "/api/search?q=$QR&limit=1")
expect_eq "public facets sum to the public total" "$(printf '%s' "$f" | jq .total)" "$(printf '%s' "$f" | jq '[.facets.year[].count] | add')"
f=$(get_as none "/api/search?q=&type=kl")
expect_eq "public Kết luận filter: the hidden one is not counted" 0 "$(printf '%s' "$f" | jq "[.hits[] | select(.id == \"$R\")] | length")"
expect_eq "public Kết luận facet = its hits" "$(printf '%s' "$f" | jq '.hits | length')" "$(printf '%s' "$f" | jq '[.facets.type[].count] | add')"
expect_eq "restricted Kết luận facet has one more" \
    "$(( $(printf '%s' "$f" | jq '[.facets.type[].count] | add') + 1 ))" \
    "$(get_as restricted "/api/search?q=&type=kl" | jq '[.facets.type[].count] | add')"

# ---- suggestions --------------------------------------------------------------------------
for q in "85-KL" "85-KL/TW" "ket luan 85" "bảo vệ chính trị nội bộ" "bao ve chinh tri"; do
    e=$(enc "$q")
    expect_eq "none: suggestions for [$q] hide the restricted" 0 "$(shows none "$R" "/api/suggest?q=$e")"
    expect_eq "internal: suggestions for [$q] hide the restricted" 0 "$(shows internal "$R" "/api/suggest?q=$e")"
done
for q in "112-TB" "thong bao 112" "ứng dụng công nghệ thông tin"; do
    e=$(enc "$q")
    expect_eq "none: suggestions for [$q] hide the internal" 0 "$(shows none "$I" "/api/suggest?q=$e")"
done
expect_eq "restricted: suggests 85-KL/TW" 1 "$(shows restricted "$R" "/api/suggest?q=85-KL")"
expect_eq "internal: suggests 112-TB/TW" 1 "$(shows internal "$I" "/api/suggest?q=112-TB")"

# ---- cited by (search cites:NUMBER) -----------------------------------------------------------
# the restricted conclusion cites Quy định 58-QĐ/TW
expect_eq "restricted reader: kl-85 cites 58-QĐ/TW" 1 "$(shows restricted "$R" "/api/search?q=$(enc "cites:58-QĐ/TW")")"
expect_eq "public reader: not in cited-by" 0 "$(shows none "$R" "/api/search?q=$(enc "cites:58-QĐ/TW")")"
expect_eq "public reader: cited-by total" 0 "$(get_as none "/api/search?q=$(enc "cites:58-QĐ/TW")" | jq "[.hits[] | select(.id == \"$R\")] | length")"

# ---- /api/doc -----------------------------------------------------------------------------------
expect_eq "none: restricted doc is 404" 404 "$(status_as none "/api/doc/$R")"
expect_eq "bad token: restricted doc is 404" 404 "$(status_as bad "/api/doc/$R")"
expect_eq "internal: restricted doc is 404" 404 "$(status_as internal "/api/doc/$R")"
expect_eq "restricted: restricted doc" 200 "$(status_as restricted "/api/doc/$R")"
expect_eq "secret: restricted doc" 200 "$(status_as secret "/api/doc/$R")"
expect_eq "none: internal doc is 404" 404 "$(status_as none "/api/doc/$I")"
expect_eq "none: internal doc by ?id= is 404" 404 "$(status_as none "/api/doc?id=$(enc "$I")")"
expect_eq "internal: internal doc" 200 "$(status_as internal "/api/doc/$I")"
expect_eq "404 for hidden = 404 for missing" \
    "$(curl -s "$BASE/api/doc/extra/no-such-doc.txt" | jq -c .)" "$(curl -s "$BASE/api/doc/$R" | jq -c .)"
expect_eq "restricted doc body" "85-KL/TW" "$(get_as restricted "/api/doc/$R?q=b%E1%BA%A3o+v%E1%BB%87" | jq -r .number)"
expect_eq "public doc for everyone" 200 "$(status_as none "/api/doc/dang/nq-57-2024.txt")"
# relations of public documents name numbers only, never hidden texts
n=$(get_as none "/api/doc/dang/nq-57-2024.txt" | jq '[.relations[]? | select(.number == "85-KL/TW" or .number == "112-TB/TW")] | length')
expect_eq "public relations do not lead to hidden documents" 0 "$n"

# ---- relations: cited by, and the documents a relation names ----------------------------------
expect_eq "CLI: the restricted letter cites 57-NQ/TW" "true" \
    "$("$P" show --db "$DB" --json dang/nq-57-2024.txt | jq --arg id "$F" '[.cited_by[]?.id] | index($id) != null')"
for lvl in none bad internal; do
    expect_eq "$lvl: 57-NQ/TW's cited_by hides the restricted letter" 0 "$(shows $lvl "$F" "/api/doc/dang/nq-57-2024.txt")"
done
expect_eq "restricted: 57-NQ/TW's cited_by shows it" 1 "$(shows restricted "$F" "/api/doc/dang/nq-57-2024.txt")"
expect_eq "none: cites:57-NQ/TW hides the letter" 0 "$(shows none "$F" "/api/search?q=$(enc "cites:57-NQ/TW")&limit=100")"
target() { get_as "$1" "/api/doc/fixture/cong-khai-cites-85.txt" | jq -r '[.relations[]? | select(.number == "85-KL/TW") | .target] | first'; }
expect_eq "none: a relation to 85-KL/TW names no target" "null" "$(target none)"
expect_eq "internal: a relation to 85-KL/TW names no target" "null" "$(target internal)"
expect_eq "restricted: the relation names 85-KL/TW's id" "$R" "$(target restricted)"
expect_eq "none: 85-KL/TW's id appears nowhere in the public letter" 0 \
    "$(get_as none "/api/doc/fixture/cong-khai-cites-85.txt" | grep -c "kl-85-2024-mat")"
expect_eq "none: the restricted letter's doc is 404" 404 "$(status_as none "/api/doc/$F")"

# ---- the access log names tokens, never their values -------------------------------------------------
sleep 0.2
grep -q 'token=cabinet' "$DLOG.log" && ok "log names the restricted token" || fail "token name in log"
grep -q 'token=office' "$DLOG.log" && ok "log names the internal token" || fail "token name in log"
if grep -qF -e "$TI" -e "$TR" -e "$TS" "$DLOG.log" "$DLOG.err"; then fail "a token value reached a log"; else ok "no token value logged"; fi
expect_sigterm_exit0
expect_clean_stderr

# ---- no token file: everyone is public --------------------------------------------------------
start_daemon open --db "$DB" --web "$ROOT/web" || exit 1
expect_eq "without --tokens a bearer token grants nothing" 404 "$(status_as secret "/api/doc/$R")"
expect_eq "without --tokens: hits hidden" 0 "$(shows secret "$R" "/api/search?q=$QR&limit=100")"
expect_sigterm_exit0
expect_clean_stderr
finish
