#!/bin/sh
# Citations over HTTP against a real daemon on corpus/ plus a long law:
# /api/cite (GET, and POST as text/plain or a form; the same JSON as
# `polsearch cite --json`), /api/kwic (JSON Lines streamed as found, the
# first line out before the last is found, the search stopped when the
# client goes away; format=json), /api/similar/ID?passage=N, their limits
# and errors, and access levels on all three: the restricted
# extra/kl-85-2024-mat.txt (MẬT) and the internal
# extra/tb-112-2023-luu-hanh-noi-bo.txt never show without a token of
# their level, and do with one.
. "$(dirname "$0")/lib/daemon.sh"
command -v bash >/dev/null 2>&1 || { echo "skip: bash is not installed (the stream reader uses /dev/tcp)"; exit 77; }
DB="$T/db"
mkdir -p "$T/long"
long_law "$T/long/luat-97-2030.txt"
"$P" index --db "$DB" --quiet "$ROOT/corpus" "$T/long" || { echo "indexing failed"; exit 1; }
R="extra/kl-85-2024-mat.txt"              # restricted
I="extra/tb-112-2023-luu-hanh-noi-bo.txt" # internal
L="luat-97-2030.txt"                      # the long law

TI="cite-internal-token-5e4d3c2b1a09f8e7"
TR="cite-restricted-token-0f1e2d3c4b5a6978"
TS="cite-secret-token-99aa88bb77cc66dd55ee"
hash() { printf '%s' "$1" | "$P" serve --hash-token; }
{
    echo "internal $(hash "$TI") office"
    echo "restricted $(hash "$TR") cabinet"
    echo "secret $(hash "$TS") all"
} >"$T/tokens"
chmod 600 "$T/tokens"
start_daemon d --db "$DB" --web "$ROOT/web" --tokens "$T/tokens" --threads 2 --timeout 30 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }
PORT=${BASE##*:}

enc() { jq -rn --arg q "$1" '$q | @uri'; }
# as LEVEL PATH [curl args]: the body as a reader of LEVEL
as() {
    lvl=$1; path=$2; shift 2
    case "$lvl" in
        none) curl -s "$@" "$BASE$path" ;;
        bad) curl -s -H "Authorization: Bearer not-a-token" "$@" "$BASE$path" ;;
        internal) curl -s -H "Authorization: Bearer $TI" "$@" "$BASE$path" ;;
        restricted) curl -s -H "Authorization: Bearer $TR" "$@" "$BASE$path" ;;
        secret) curl -s -H "Authorization: Bearer $TS" "$@" "$BASE$path" ;;
    esac
}
# metric NAME: its value now
metric() { curl -s "$BASE/metrics" | sed -n "s/^$1 //p"; }

# ---- /api/cite: shape, and the CLI's answer ------------------------------------------------
QUOTE="khoa hoc cong nghe doi moi sang tao va chuyen doi so la dot pha quan trong hang dau"
expect_http "cite" 200 "/api/cite?q=$(enc "$QUOTE")"
expect_eq "cite: JSON" "application/json; charset=utf-8" "$(header Content-Type)"
expect_eq "cite: top-level keys" '["hits","quote","took_ms","total"]' "$(jq -c '[keys[] | select(. != "warnings")]' "$T/body")"
expect_eq "cite: five sources by default" 5 "$(jq '.hits | length' "$T/body")"
expect_eq "cite: hit keys" "true" "$(jq '[.hits[] | has("id") and has("score") and has("title") and has("number") and has("type") and has("issuer") and has("date") and has("snippet") and has("citation") and has("passage") and has("location") and has("location_text") and has("match") and has("match_start") and has("match_end") and has("context") and has("coverage") and has("diff")] | all' "$T/body")"
expect_eq "cite: diff ops" "true" "$(jq '[.hits[].diff[] | (.op == "equal" or .op == "insert" or .op == "delete") and (.text | type) == "string"] | all' "$T/body")"
expect_eq "cite: the source first" "dang/nq-57-2024.txt" "$(jq -r '.hits[0].id' "$T/body")"
case "$(jq -r '.hits[0].citation' "$T/body")" in
    "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá"*", điểm a khoản 1 Phần II") ok "cite: the citation with its location" ;;
    *) fail "cite: citation $(jq -r '.hits[0].citation' "$T/body")" ;;
esac
expect_eq "cite: no store" "no-store" "$(header Cache-Control)"
# a reader allowed every level gets what the trusted CLI gets
api=$(as secret "/api/cite?q=$(enc "$QUOTE")" | jq -S -c 'del(.took_ms)')
cli=$("$P" cite --db "$DB" --json -- "$QUOTE" | jq -S -c 'del(.took_ms)')
[ -n "$api" ] && [ "$api" = "$cli" ] && ok "cite = polsearch cite --json" || fail "cite differs from the CLI: $(echo "$api" | head -c 300) / $(echo "$cli" | head -c 300)"
api=$(as secret "/api/cite?q=$(enc "dữ liệu cá nhân")&limit=3&type=nd&from=2020&to=2025" | jq -S -c 'del(.took_ms)')
cli=$("$P" cite --db "$DB" --json --limit 3 --type nd --from 2020 --to 2025 -- "dữ liệu cá nhân" | jq -S -c 'del(.took_ms)')
[ -n "$api" ] && [ "$api" = "$cli" ] && ok "cite with limit and filters = CLI" || fail "cite with filters differs from the CLI"
expect_eq "cite: limit 3 and type nd" "3 true" "$(as none "/api/cite?q=$(enc "dữ liệu cá nhân")&limit=3&type=nd" | jq -r '"\(.hits | length) \([.hits[].type] | all(. == "Nghị định"))"')"

# ---- POST: text/plain and forms ------------------------------------------------------------
get=$(curl -s "$BASE/api/cite?q=$(enc "$QUOTE")&limit=2" | jq -S -c 'del(.took_ms)')
expect_http "POST text/plain" 200 "/api/cite?limit=2" -X POST -H "Content-Type: text/plain; charset=utf-8" --data-binary "$QUOTE"
expect_eq "POST text/plain = GET" "$get" "$(jq -S -c 'del(.took_ms)' "$T/body")"
expect_http "POST form" 200 "/api/cite" -X POST --data-urlencode "q=$QUOTE" --data "limit=2"
expect_eq "POST form = GET" "$get" "$(jq -S -c 'del(.took_ms)' "$T/body")"
expect_http "POST form, limit in the URL" 200 "/api/cite?limit=2" -X POST --data-urlencode "q=$QUOTE"
expect_eq "POST form + query string = GET" "$get" "$(jq -S -c 'del(.took_ms)' "$T/body")"
# a paragraph pasted with its line breaks and numbering
printf '1. Khoa học, công nghệ,\nđổi mới sáng tạo và chuyển đổi số\nlà đột phá quan trọng hàng đầu\n' >"$T/para.txt"
expect_http "POST a pasted paragraph" 200 "/api/cite" -X POST -H "Content-Type: text/plain" --data-binary "@$T/para.txt"
expect_eq "the paragraph's source" "dang/nq-57-2024.txt" "$(jq -r '.hits[0].id' "$T/body")"
expect_http "POST chunked" 200 "/api/cite?limit=1" -X POST -H "Content-Type: text/plain" -H "Transfer-Encoding: chunked" --data-binary "$QUOTE"
expect_eq "chunked body read whole" "dang/nq-57-2024.txt" "$(jq -r '.hits[0].id' "$T/body")"

# ---- limits and errors -----------------------------------------------------------------------
expect_error "cite without q" 400 EINVAL "/api/cite"
expect_error "cite with empty q" 400 EINVAL "/api/cite?q="
expect_error "cite limit 0" 400 EINVAL "/api/cite?q=x&limit=0"
expect_error "cite limit 101" 400 EINVAL "/api/cite?q=x&limit=101"
expect_error "cite bad from" 400 EINVAL "/api/cite?q=x&from=2024-13"
expect_error "cite bad escape" 400 EINVAL "/api/cite?q=%zz"
expect_error "POST an empty body" 400 EINVAL "/api/cite" -X POST -H "Content-Type: text/plain" --data-binary ""
printf 'khoa h\000c' >"$T/nul.txt"
expect_error "POST a NUL byte in the text" 400 EINVAL "/api/cite" -X POST -H "Content-Type: text/plain" --data-binary "@$T/nul.txt"
expect_error "POST a form with a bad escape" 400 EINVAL "/api/cite" -X POST -H "Content-Type: application/x-www-form-urlencoded" --data-binary "q=%zz"
expect_error "POST JSON" 415 EMEDIATYPE "/api/cite" -X POST -H "Content-Type: application/json" --data-binary '{"q":"x"}'
expect_error "POST without a type" 415 EMEDIATYPE "/api/cite" -X POST -H "Content-Type:" --data-binary "x"
expect_error "PUT /api/cite" 405 EMETHOD "/api/cite" -X PUT --data-binary "x"
expect_eq "405 on /api/cite allows POST" "GET, HEAD, POST" "$(header Allow)"
expect_error "POST elsewhere" 405 EMETHOD "/api/search?q=x" -X POST -H "Content-Type: text/plain" --data-binary "x"
expect_eq "405 elsewhere: GET and HEAD only" "GET, HEAD" "$(header Allow)"
expect_error "POST to kwic" 405 EMETHOD "/api/kwic?q=x" -X POST -H "Content-Type: text/plain" --data-binary "x"
expect_error "GET cite with a body" 413 ETOOBIG "/api/cite?q=x" -X GET --data-binary "body"
# a quote past the library's 16 KB is cut, with a warning; past the
# request limits it is refused
yes "đột phá phát triển khoa học, công nghệ" | head -c 20000 | tr '\n' ' ' >"$T/q20k"
expect_http "GET a 20 KB quote" 200 "/api/cite?q=$(jq -sRr @uri "$T/q20k")&limit=1"
expect_eq "a 20 KB quote is cut with a warning" "true" "$(jq '(.warnings // []) | length > 0' "$T/body")"
head -c 40000 /dev/zero | tr '\0' 'a' >"$T/q40k"
expect_error "GET a 40 KB quote" 413 ETOOBIG "/api/cite?q=$(cat "$T/q40k")"
yes "đột phá phát triển khoa học, công nghệ" | head -c 60000 >"$T/q60k"
expect_http "POST a 60 KB quote" 200 "/api/cite?limit=1" -X POST -H "Content-Type: text/plain" --data-binary "@$T/q60k"
expect_eq "a 60 KB quote is cut with a warning" "true" "$(jq '(.warnings // []) | length > 0' "$T/body")"
expect_http "POST a 20 KB quote as a form" 200 "/api/cite?limit=1" -X POST --data-urlencode "q@$T/q20k"
expect_eq "the form's quote is cut with a warning" "true" "$(jq '(.warnings // []) | length > 0' "$T/body")"
head -c 65537 /dev/zero | tr '\0' 'a' >"$T/q64k1"
expect_error "POST 64 KB + 1 (announced)" 413 ETOOBIG "/api/cite" -X POST -H "Content-Type: text/plain" --data-binary "@$T/q64k1"
expect_error "POST 64 KB + 1 (chunked)" 413 ETOOBIG "/api/cite" -X POST -H "Content-Type: text/plain" -H "Transfer-Encoding: chunked" --data-binary "@$T/q64k1"
head -c 65536 /dev/zero | tr '\0' 'a' >"$T/q64k"
expect_http "POST exactly 64 KB" 200 "/api/cite?limit=1" -X POST -H "Content-Type: text/plain" --data-binary "@$T/q64k"
# a request target past what a connection may hold: the HTTP layer's 414/431
{ printf 'GET /api/cite?q='; head -c 200000 /dev/zero | tr '\0' 'a'; printf ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'; } >"$T/big.req"
line=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; cat '$T/big.req' >&3 2>/dev/null; head -n 1 <&3" 2>/dev/null | tr -d '\r')
case "$line" in "HTTP/1.1 414"*|"HTTP/1.1 431"*|"HTTP/1.1 413"*|"") ok "a 200 KB target refused: ${line:-closed}" ;; *) fail "a 200 KB target: $line" ;; esac
expect_alive

# ---- /api/kwic: JSON Lines ---------------------------------------------------------------------
KQ="$(enc "chuyển đổi số")"
curl -s -D "$T/headers" -o "$T/kwic" -H "Authorization: Bearer $TS" "$BASE/api/kwic?q=$KQ"
expect_eq "kwic: JSON Lines" "application/x-ndjson; charset=utf-8" "$(header Content-Type)"
expect_eq "kwic: streamed in chunks" "chunked" "$(header Transfer-Encoding)"
expect_eq "kwic: every line is JSON" "$(wc -l <"$T/kwic" | tr -d ' ')" "$(jq -c . "$T/kwic" | wc -l | tr -d ' ')"
expect_eq "kwic: the summary comes last" "true" "$(tail -n 1 "$T/kwic" | jq 'has("summary")')"
expect_eq "kwic: one line per occurrence" "$(tail -n 1 "$T/kwic" | jq .summary.lines)" "$(($(wc -l <"$T/kwic") - 1))"
expect_eq "kwic: line keys" '["citation","date","end","id","issuer","left","match","number","path","right","start","title","type"]' "$(head -n 1 "$T/kwic" | jq -c 'keys')"
expect_eq "kwic: summary keys" '["documents","first_ms","lines","passages","phrase","took_ms","truncated","years"]' "$(tail -n 1 "$T/kwic" | jq -c '.summary | keys')"
"$P" kwic --db "$DB" --json "chuyển đổi số" >"$T/kwic.cli"
expect_eq "kwic lines = polsearch kwic --json" "$(head -n -1 "$T/kwic.cli" | md5sum)" "$(head -n -1 "$T/kwic" | md5sum)"
expect_eq "kwic summary = the CLI's" "$(tail -n 1 "$T/kwic.cli" | jq -S -c '.summary | del(.took_ms, .first_ms)')" "$(tail -n 1 "$T/kwic" | jq -S -c '.summary | del(.took_ms, .first_ms)')"
dates=$(jq -r 'select(.date) | .date' "$T/kwic")
expect_eq "kwic: earliest first by default" "$(printf '%s\n' "$dates" | sort)" "$dates"
dates=$(curl -s "$BASE/api/kwic?q=$KQ&sort=-date" | jq -r 'select(.date) | .date')
expect_eq "kwic: sort=-date, newest first" "$(printf '%s\n' "$dates" | sort -r)" "$dates"
expect_http "kwic: sort=doc" 200 "/api/kwic?q=$KQ&sort=doc"
expect_eq "kwic: limit 3" "3 true" "$(curl -s "$BASE/api/kwic?q=$KQ&limit=3" | jq -s -r '"\(map(select(.id)) | length) \(last.summary.truncated)"')"
expect_eq "kwic: context 10 shortens the sides" "true" "$(curl -s "$BASE/api/kwic?q=$KQ&context=10" | jq -s '[.[] | select(.id) | (.left | length) <= 12 and (.right | length) <= 12] | all')"
expect_eq "kwic: type filter" "true" "$(curl -s "$BASE/api/kwic?q=$KQ&type=nd" | jq -s '[.[] | select(.id) | .type == "Nghị định"] | all and length > 0')"
expect_eq "kwic: from/to filter" "true" "$(curl -s "$BASE/api/kwic?q=$KQ&from=2024&to=2024" | jq -s '[.[] | select(.id) | .date | startswith("2024")] | all and length > 0')"
expect_eq "kwic: no diacritics, same count" "$(curl -s "$BASE/api/kwic?q=$KQ" | tail -n 1 | jq .summary.lines)" "$(curl -s "$BASE/api/kwic?q=chuyen+doi+so" | tail -n 1 | jq .summary.lines)"
# format=json: one object
expect_http "kwic format=json" 200 "/api/kwic?q=$KQ&format=json" -H "Authorization: Bearer $TS"
expect_eq "format=json: JSON" "application/json; charset=utf-8" "$(header Content-Type)"
expect_eq "format=json: keys" '["lines","summary"]' "$(jq -c 'keys' "$T/body")"
expect_eq "format=json: the same lines" "$(head -n -1 "$T/kwic" | jq -s -c .)" "$(jq -c .lines "$T/body")"
expect_eq "format=json: the same summary" "$(tail -n 1 "$T/kwic" | jq -S -c '.summary | del(.took_ms, .first_ms)')" "$(jq -S -c '.summary | del(.took_ms, .first_ms)' "$T/body")"
expect_eq "format=json: no match" '{"lines":[],"lines_n":0}' "$(curl -s "$BASE/api/kwic?q=xyzzyqwv&format=json" | jq -c '{lines, lines_n: .summary.lines}')"
expect_eq "format=json: at most 5000 lines by default" "5000 true" "$(curl -s "$BASE/api/kwic?q=$(enc "$LONG_PHRASE")&format=json" | jq -r '"\(.lines | length) \(.summary.truncated)"')"
expect_error "format=json: limit 5001" 400 EINVAL "/api/kwic?q=$KQ&format=json&limit=5001"
expect_eq "JSON Lines: 5000 lines by default" "5001" "$(curl -s "$BASE/api/kwic?q=$(enc "$LONG_PHRASE")" | wc -l | tr -d ' ')"
expect_http "JSON Lines: limit 100000" 200 "/api/kwic?q=$KQ&limit=100000"
expect_error "kwic: limit 100001" 400 EINVAL "/api/kwic?q=$KQ&limit=100001"
expect_error "kwic: limit 0" 400 EINVAL "/api/kwic?q=$KQ&limit=0"
expect_error "kwic: context 0" 400 EINVAL "/api/kwic?q=$KQ&context=0"
expect_error "kwic: context 401" 400 EINVAL "/api/kwic?q=$KQ&context=401"
expect_error "kwic: unknown sort" 400 EINVAL "/api/kwic?q=$KQ&sort=relevance"
expect_error "kwic: unknown format" 400 EINVAL "/api/kwic?q=$KQ&format=xml"
expect_error "kwic: bad date" 400 EINVAL "/api/kwic?q=$KQ&from=2024-99"
expect_error "kwic without q" 400 EINVAL "/api/kwic"
expect_error "kwic: q over 32 KB" 413 ETOOBIG "/api/kwic?q=$(cat "$T/q40k")"
got=$(curl -s -I -o "$T/headers" -w '%{http_code} %{size_download}' "$BASE/api/kwic?q=$KQ")
expect_eq "kwic HEAD: 200 without a body" "200 0" "$got"
expect_eq "kwic HEAD: the type" "application/x-ndjson; charset=utf-8" "$(header Content-Type)"

# ---- streaming: the first line leaves before the last is found ------------------------------------
# The client reads up to the first line and then stops reading; the
# daemon's metrics then count how many lines the search has found. Had
# the daemon built the answer first, the search would have found all
# $LONG_COUNT; streaming with a bounded buffer, it waits for the client
# after a few hundred. No clock is involved: the order of events is
# what is checked.
cat >"$T/reader.bash" <<'EOF'
# reader.bash PORT PATH FIRST: sends the request, reads up to the
# first JSON line (into FIRST), then holds the connection without
# reading until killed
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
n=0
while IFS= read -r line <&3; do
    case "$line" in '{"id"'*) printf '%s\n' "$line" >"$3.tmp"; mv "$3.tmp" "$3"; break ;; esac
    n=$((n + 1)); [ $n -gt 100 ] && exit 1
done
while :; do sleep 1 3<&-; done
EOF
LQ="$(enc "$LONG_PHRASE")"
expect_eq "the long law: $LONG_COUNT occurrences (CLI)" "$LONG_COUNT" "$("$P" kwic --db "$DB" --json --limit 100000 "$LONG_PHRASE" | tail -n 1 | jq .summary.lines)"
base=$(metric polsearch_kwic_lines_total)
bash "$T/reader.bash" "$PORT" "/api/kwic?q=$LQ&context=400&limit=100000" "$T/first" &
RP=$!
i=0
while [ ! -s "$T/first" ] && [ $i -lt 600 ] && kill -0 $RP 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
expect_eq "stream: the first line arrived" "$L" "$(jq -r .id "$T/first" 2>/dev/null)"
found=$(( $(metric polsearch_kwic_lines_total) - base ))
expect_eq "stream: the search is still under way" 1 "$(metric polsearch_kwic_streams)"
[ "$found" -lt "$LONG_COUNT" ] && ok "stream: the first line reached the client before the last was found ($found of $LONG_COUNT found)" \
    || fail "stream: $found of $LONG_COUNT found before the client read on"
# the client goes away: the search stops rather than run to the end
kill -TERM $RP 2>/dev/null
wait $RP 2>/dev/null
i=0
while [ "$(metric polsearch_kwic_streams)" != 0 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "stream: ended when the client went away" 0 "$(metric polsearch_kwic_streams)"
after=$(( $(metric polsearch_kwic_lines_total) - base ))
[ "$after" -lt "$LONG_COUNT" ] && ok "stream: the search stopped early ($after of $LONG_COUNT found)" || fail "stream: the search ran to the end ($after)"
# read whole, the same stream is every occurrence, as the CLI gives them
curl -sN -o "$T/long.ndjson" "$BASE/api/kwic?q=$LQ&context=400&limit=100000"
expect_eq "stream read whole: every occurrence and the summary" "$((LONG_COUNT + 1))" "$(wc -l <"$T/long.ndjson" | tr -d ' ')"
expect_eq "stream read whole: complete" "$LONG_COUNT false" "$(tail -n 1 "$T/long.ndjson" | jq -r '"\(.summary.lines) \(.summary.truncated)"')"
"$P" kwic --db "$DB" --json --context 400 --limit 100000 "$LONG_PHRASE" >"$T/long.cli"
expect_eq "stream read whole = the CLI's lines" "$(head -n -1 "$T/long.cli" | md5sum)" "$(head -n -1 "$T/long.ndjson" | md5sum)"
# streams side by side, each whole
pids=""
for k in 1 2 3 4; do curl -sN -o "$T/par$k" "$BASE/api/kwic?q=$LQ&limit=100000" & pids="$pids $!"; done
for p in $pids; do wait "$p"; done
n=0
for k in 1 2 3 4; do [ "$(wc -l <"$T/par$k" | tr -d ' ')" = "$((LONG_COUNT + 1))" ] && n=$((n + 1)); done
expect_eq "four streams at once, each whole" 4 "$n"
expect_eq "no stream left running" 0 "$(metric polsearch_kwic_streams)"

# ---- /api/similar ----------------------------------------------------------------------------------
S="dang/nq-68-2025.txt"
expect_http "similar" 200 "/api/similar/$S?passage=2"
expect_eq "similar: keys" '["id","passage","sentences","similar","took_ms"]' "$(jq -c 'keys' "$T/body")"
expect_eq "similar: hit keys" "true" "$(jq '[.similar[] | has("id") and has("title") and has("number") and has("type") and has("issuer") and has("date") and has("citation") and has("repeated") and has("examples")] | all and length > 0' "$T/body")"
expect_eq "similar: example keys" "true" "$(jq '[.similar[].examples[] | has("sentence") and has("match") and has("location") and has("coverage")] | all' "$T/body")"
expect_eq "similar: earliest first" "true" "$(jq '[.similar[].date] | . == sort' "$T/body")"
expect_eq "similar = polsearch similar --json (secret reader)" \
    "$("$P" similar --db "$DB" --json --passage 2 "$S" | jq -S -c 'del(.took_ms)')" \
    "$(as secret "/api/similar/$S?passage=2" | jq -S -c 'del(.took_ms)')"
expect_eq "similar by ?id=" "$(jq -S -c 'del(.took_ms)' "$T/body")" "$(curl -s "$BASE/api/similar?id=$(enc "$S")&passage=2" | jq -S -c 'del(.took_ms)')"
expect_eq "similar: min_coverage 1 keeps fewer or as many" "true" \
    "$(curl -s "$BASE/api/similar/$S?passage=2&min_coverage=1" | jq --argjson n "$(jq '[.similar[].repeated] | add' "$T/body")" '[.similar[].repeated] | (add // 0) <= $n')"
expect_error "similar without a passage" 400 EINVAL "/api/similar/$S"
expect_error "similar: passage -1" 400 EINVAL "/api/similar/$S?passage=-1"
expect_error "similar: passage not a number" 400 EINVAL "/api/similar/$S?passage=two"
expect_error "similar: min_coverage 0.4" 400 EINVAL "/api/similar/$S?passage=1&min_coverage=0.4"
expect_error "similar: min_coverage 1.5" 400 EINVAL "/api/similar/$S?passage=1&min_coverage=1.5"
expect_error "similar: min_coverage not a number" 400 EINVAL "/api/similar/$S?passage=1&min_coverage=most"
expect_error "similar: no passage 99" 404 ENOTFOUND "/api/similar/$S?passage=99"
expect_error "similar: no such document" 404 ENOTFOUND "/api/similar/no/such.txt?passage=0"
expect_error "similar without an id" 400 EINVAL "/api/similar?passage=0"
expect_error "similar: bad escape in the id" 400 EINVAL "/api/similar/dang%zz?passage=0"

# ---- access levels: cite --------------------------------------------------------------------------
QR="$(enc "các thế lực thù địch tiếp tục đẩy mạnh chiến lược diễn biến hòa bình, lợi dụng không gian mạng để xuyên tạc, chia rẽ")"
QI="$(enc "mạng thông tin diện rộng của Đảng được mở rộng đến cấp huyện")"
# has LEVEL ID PATH: how many times the JSON at PATH names document ID
has() { as "$1" "$3" | jq -s --arg id "$2" '[.. | objects | select(.id? == $id)] | length'; }
for lvl in none bad internal; do
    expect_eq "cite, $lvl: the restricted text is not found" 0 "$(has $lvl "$R" "/api/cite?q=$QR&limit=100")"
    expect_eq "cite, $lvl (POST): the restricted text is not found" 0 "$(as $lvl "/api/cite?limit=100" -X POST -H "Content-Type: text/plain" --data-binary "các thế lực thù địch tiếp tục đẩy mạnh chiến lược diễn biến hòa bình" | jq --arg id "$R" '[.hits[] | select(.id == $id)] | length')"
done
for lvl in restricted secret; do
    expect_eq "cite, $lvl: the restricted text is its own source" "$R" "$(as $lvl "/api/cite?q=$QR" | jq -r '.hits[0].id')"
done
expect_eq "cite, none: the internal text is not found" 0 "$(has none "$I" "/api/cite?q=$QI&limit=100")"
expect_eq "cite, internal: the internal text is its own source" "$I" "$(as internal "/api/cite?q=$QI" | jq -r '.hits[0].id')"
# (a hit's diff holds the quote's own words it lacks: only the source's text counts)
expect_eq "cite, none: no hit quotes the restricted text" 0 "$(as none "/api/cite?q=$QR&limit=100" | jq -r '.hits[] | .match, .context, .snippet, (.diff[] | select(.op != "delete") | .text)' | grep -c "lợi dụng không gian mạng")"

# ---- access levels: kwic (lines and every count) --------------------------------------------------
for lvl in none bad internal; do
    expect_eq "kwic, $lvl: a phrase only the restricted text holds" '0 0 {}' \
        "$(as $lvl "/api/kwic?q=$(enc "bảo vệ chính trị nội bộ")" | jq -s -c -r '"\(map(select(.id)) | length) \(last.summary.documents) \(last.summary.years)"')"
done
expect_eq "kwic, restricted: its lines" "4" "$(as restricted "/api/kwic?q=$(enc "bảo vệ chính trị nội bộ")" | jq -s --arg id "$R" 'map(select(.id == $id)) | length')"
# a phrase the hidden texts share with public ones: the public reader's
# lines and counts are the trusted ones less exactly the hidden lines
"$P" kwic --db "$DB" --json "chuyển đổi số" >"$T/all"
for lvl in none internal restricted; do
    case $lvl in none) hide="$R|$I" ;; internal) hide="$R" ;; restricted) hide="none" ;; esac
    as $lvl "/api/kwic?q=$KQ" >"$T/mine"
    expect_eq "kwic, $lvl: the lines" "$(grep -vE "\"id\":\"($hide)\"" "$T/all" | head -n -1 | md5sum)" "$(head -n -1 "$T/mine" | md5sum)"
    want=$(grep -vE "\"id\":\"($hide)\"" "$T/all" | jq -s -S -c '(map(select(.id)) | {lines: length, documents: (map(.id) | unique | length), years: (map(select(.date) | .date[0:4]) | group_by(.) | map({key: .[0], value: length}) | from_entries)})')
    expect_eq "kwic, $lvl: the counts (lines, documents, years)" "$want" "$(tail -n 1 "$T/mine" | jq -S -c '.summary | {lines, documents, years}')"
    expect_eq "kwic, $lvl (format=json): the same counts" "$want" "$(as $lvl "/api/kwic?q=$KQ&format=json" | jq -S -c '.summary | {lines, documents, years}')"
done
expect_eq "kwic: the hidden texts do hold the phrase" "true" "$(grep -c "\"id\":\"$R\"" "$T/all" | jq '. > 0')"

# ---- access levels: similar -----------------------------------------------------------------------
# passage 5 of 68-NQ/TW (its distribution list) is repeated by both hidden texts
expect_eq "similar, none: neither hidden text" '[]' "$(as none "/api/similar/$S?passage=5" | jq -c "[.similar[].id | select(. == \"$R\" or . == \"$I\")]")"
expect_eq "similar, bad token: neither hidden text" '[]' "$(as bad "/api/similar/$S?passage=5" | jq -c "[.similar[].id | select(. == \"$R\" or . == \"$I\")]")"
expect_eq "similar, internal: the internal one only" "[\"$I\"]" "$(as internal "/api/similar/$S?passage=5" | jq -c "[.similar[].id | select(. == \"$R\" or . == \"$I\")]")"
expect_eq "similar, restricted: both" "[\"$R\",\"$I\"]" "$(as restricted "/api/similar/$S?passage=5" | jq -c "[.similar[].id | select(. == \"$R\" or . == \"$I\")] | sort")"
for lvl in none bad internal; do
    expect_eq "similar of the restricted text, $lvl: 404" 404 "$(as $lvl "/api/similar/$R?passage=5" -o /dev/null -w '%{http_code}')"
done
expect_eq "404 for hidden = 404 for missing" "$(curl -s "$BASE/api/similar/extra/none.txt?passage=5" | jq -c .)" "$(curl -s "$BASE/api/similar/$R?passage=5" | jq -c .)"
expect_eq "similar of the restricted text, restricted: 200" 200 "$(as restricted "/api/similar/$R?passage=5" -o /dev/null -w '%{http_code}')"
expect_eq "similar of the internal text, none: 404" 404 "$(as none "/api/similar/$I?passage=1" -o /dev/null -w '%{http_code}')"
expect_eq "similar of the internal text, internal: 200" 200 "$(as internal "/api/similar/$I?passage=1" -o /dev/null -w '%{http_code}')"

# ---- metrics and the access log --------------------------------------------------------------------
curl -s "$BASE/metrics" >"$T/metrics"
for m in 'polsearch_http_requests_total{endpoint="cite",status="200"}' \
         'polsearch_http_requests_total{endpoint="cite",status="413"}' \
         'polsearch_http_requests_total{endpoint="cite",status="415"}' \
         'polsearch_http_requests_total{endpoint="kwic",status="200"}' \
         'polsearch_http_requests_total{endpoint="kwic",status="400"}' \
         'polsearch_http_requests_total{endpoint="similar",status="200"}' \
         'polsearch_http_requests_total{endpoint="similar",status="404"}' \
         'polsearch_http_request_duration_seconds_count{endpoint="kwic"}' \
         'polsearch_kwic_streams' 'polsearch_kwic_lines_total'; do
    grep -qF "$m" "$T/metrics" && ok "metric $m" || fail "metric $m missing"
done
expect_eq "no server errors" 0 "$(sed -n 's/^polsearch_http_errors_total //p' "$T/metrics")"
sleep 0.2
grep -q '"POST /api/cite?limit=2" 200 [1-9]' "$DLOG.log" && ok "access log: a POST" || fail "access log: no POST line"
bytes=$(grep -F "\"GET /api/kwic?q=$LQ&context=400&limit=100000\" 200" "$DLOG.log" | tail -n 1 | awk '{print $6}')
expect_eq "access log: a stream's bytes" "$(wc -c <"$T/long.ndjson" | tr -d ' ')" "$bytes"
grep -F "\"GET /api/kwic?q=$LQ&context=400&limit=100000\" 200" "$DLOG.log" | grep -q "end=" && ok "access log: the stream the client left is marked" || fail "access log: no end= for the stream left"
if grep -qF -e "$TI" -e "$TR" -e "$TS" "$DLOG.log" "$DLOG.err"; then fail "a token value reached a log"; else ok "no token value logged"; fi

# ---- shutdown with a stream waiting for its client --------------------------------------------------
rm -f "$T/first"
bash "$T/reader.bash" "$PORT" "/api/kwic?q=$LQ&context=400&limit=100000" "$T/first" &
RP=$!
i=0
while [ ! -s "$T/first" ] && [ $i -lt 600 ] && kill -0 $RP 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
expect_eq "a stream held open" "$L" "$(jq -r .id "$T/first" 2>/dev/null)"
expect_sigterm_exit0 "SIGTERM with a stream held open: exit 0"
kill -TERM $RP 2>/dev/null
wait $RP 2>/dev/null
expect_clean_stderr
finish
