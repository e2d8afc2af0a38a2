#!/bin/sh
# The HTTP API against a real daemon on a fresh index of corpus/: JSON
# shape, the same answers as the CLI (search --json --facets, show
# --json), suggestions, errors with their codes, /healthz, /metrics, the
# static files with their types and security headers, the access log,
# and 503 until an index exists (then served without a restart).
. "$(dirname "$0")/lib/daemon.sh"
DB="$T/db"
"$P" index --db "$DB" --quiet "$ROOT/corpus" || { echo "indexing failed"; exit 1; }
SECRET_TOKEN="api-test-secret-token-0123456789abcdef"
printf 'secret %s all\n' "$(printf '%s' "$SECRET_TOKEN" | "$P" serve --hash-token)" >"$T/tokens"
chmod 600 "$T/tokens"
start_daemon d --db "$DB" --web "$ROOT/web" --tokens "$T/tokens" --threads 3 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }
AUTH="Authorization: Bearer $SECRET_TOKEN"

# ---- /api/search: shape ----------------------------------------------------
expect_http "search" 200 "/api/search?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91"
expect_eq "content type" "application/json; charset=utf-8" "$(header Content-Type)"
expect_eq "top-level keys" '["facets","hits","limit","offset","parsed","query","took_ms","total","total_exact","unit"]' \
    "$(jq -c '[keys[] | select(. != "warnings")]' "$T/body")"
expect_eq "query echoed" "chuyển đổi số" "$(jq -r .query "$T/body")"
expect_eq "ten hits" "10" "$(jq '.hits | length' "$T/body")"
expect_eq "hit keys" "true" "$(jq '[.hits[] | has("id") and has("score") and has("title") and has("number") and has("type") and has("issuer") and has("date") and has("snippet") and has("passage")] | all' "$T/body")"
expect_eq "passage keys" '["article","end","kind","label","ordinal","path","start"]' "$(jq -c '.hits[0].passage | keys' "$T/body")"
expect_eq "facets on by default" '["issuer","type","year"]' "$(jq -c '.facets | keys' "$T/body")"
expect_eq "facet values have value and count" "true" "$(jq '[.facets[][] | (.value | type) == "string" and (.count | type) == "number"] | all' "$T/body")"
expect_eq "facets=0 leaves them out" "null" "$(curl -s "$BASE/api/search?q=chuyen+doi+so&facets=0" | jq -c .facets)"
expect_eq "no store: answers depend on the token" "no-store" "$(header Cache-Control)"
expect_eq "nosniff on API answers" "nosniff" "$(header X-Content-Type-Options)"
expect_eq "no referrer on API answers" "no-referrer" "$(header Referrer-Policy)"

# ---- the same JSON as the CLI ---------------------------------------------------
# With a secret token the daemon sees what the trusted CLI sees: the whole
# answer matches, minus the time taken.
same_as_cli() {
    d=$1; qs=$2; shift 2
    api=$(curl -s -H "$AUTH" "$BASE/api/search?$qs" | jq -S -c 'del(.took_ms)')
    cli=$("$P" search --db "$DB" --json --facets "$@" | jq -S -c 'del(.took_ms)')
    if [ -n "$api" ] && [ "$api" = "$cli" ]; then ok "same as CLI: $d"; else fail "same as CLI: $d"; echo "api: $(echo "$api" | head -c 400)"; echo "cli: $(echo "$cli" | head -c 400)"; fi
}
same_as_cli "words" "q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91" -- "chuyển đổi số"
same_as_cli "no diacritics" "q=chuyen+doi+so" -- "chuyen doi so"
same_as_cli "number" "q=57-NQ%2FTW" -- "57-NQ/TW"
same_as_cli "passages, page 2" "q=d%E1%BB%AF+li%E1%BB%87u&unit=passage&offset=10&limit=5" --unit passage --offset 10 --limit 5 -- "dữ liệu"
same_as_cli "filters" "q=ph%C3%A1t+tri%E1%BB%83n&type=Ngh%E1%BB%8B+quy%E1%BA%BFt&from=2024&to=2025-12-31" --type "Nghị quyết" --from 2024 --to 2025-12-31 -- "phát triển"
same_as_cli "issuer, sort -date" "q=kinh+t%E1%BA%BF&issuer=B%E1%BB%99+Ch%C3%ADnh+tr%E1%BB%8B&sort=-date" --issuer "Bộ Chính trị" --sort=-date -- "kinh tế"
same_as_cli "sort date, limit 100" "q=ngh%E1%BB%8B+%C4%91%E1%BB%8Bnh&sort=date&limit=100" --sort date --limit 100 -- "nghị định"
same_as_cli "phrase and exclusion" "q=%22kinh+t%E1%BA%BF+t%C6%B0+nh%C3%A2n%22+-ngh%E1%BB%8B" -- '"kinh tế tư nhân" -nghị'
same_as_cli "empty query with a filter" "q=&type=nd" --type nd -- ""

# Public readers: facet counts equal the CLI's for queries that no
# restricted or internal document matches.
for q in "dữ liệu cá nhân" "khoa học công nghệ" "nghi dinh" "luật"; do
    enc=$(jq -rn --arg q "$q" '$q | @uri')
    cli=$("$P" search --db "$DB" --json --facets -- "$q")
    hidden=$(printf '%s' "$cli" | jq '[.hits[] | select(.id | startswith("extra/kl-85") or startswith("extra/tb-112"))] | length')
    api=$(curl -s "$BASE/api/search?q=$enc")
    if [ "$hidden" = 0 ] && [ "$(printf '%s' "$cli" | jq .total)" -le 10 ]; then
        expect_eq "public facets = CLI facets: $q" "$(printf '%s' "$cli" | jq -S -c .facets)" "$(printf '%s' "$api" | jq -S -c .facets)"
    fi
    expect_eq "public total = CLI total less hidden: $q" \
        "$("$P" search --db "$DB" --json --limit 100 -- "$q" | jq '[.hits[] | select((.id | startswith("extra/kl-85") or startswith("extra/tb-112")) | not)] | length')" \
        "$(curl -s "$BASE/api/search?q=$enc&limit=100" | jq '.hits | length')"
done
# facet counts over all matches, not the page
f=$(curl -s "$BASE/api/search?q=chuyen+doi+so&limit=1")
expect_eq "facet type counts sum to the total" "$(printf '%s' "$f" | jq .total)" "$(printf '%s' "$f" | jq '[.facets.type[].count] | add')"

# ---- /api/doc --------------------------------------------------------------------
ID="dang/nq-57-2024.txt"
expect_http "doc by path" 200 "/api/doc/dang/nq-57-2024.txt"
# the API gives what show gives, but never the indexing host's file path
expect_eq "doc = show --json, less the source path" "$("$P" show --db "$DB" --json "$ID" | jq -S -c 'del(.source)')" "$(jq -S -c . "$T/body")"
expect_eq "doc: no source path" "null" "$(jq -r .source "$T/body")"
expect_http "doc by ?id=" 200 "/api/doc?id=dang%2Fnq-57-2024.txt"
expect_eq "?id= = path" "$("$P" show --db "$DB" --json "$ID" | jq -S -c 'del(.source)')" "$(jq -S -c . "$T/body")"
expect_http "doc with %2F in the path" 200 "/api/doc/dang%2Fnq-57-2024.txt"
expect_http "doc with q" 200 "/api/doc/dang/nq-57-2024.txt?q=khoa+h%E1%BB%8Dc"
expect_eq "highlights = show --json --query" \
    "$("$P" show --db "$DB" --json --query "khoa học" "$ID" | jq -c .highlights)" "$(jq -c .highlights "$T/body")"
n=$(jq '.highlights | length' "$T/body")
[ "$n" -gt 0 ] && ok "doc highlights ($n)" || fail "doc highlights"
expect_eq "doc keys" "true" "$(jq 'has("structure") and has("relations") and has("text") and has("title") and has("number")' "$T/body")"
expect_error "unknown doc" 404 ENOTFOUND "/api/doc/no/such/doc.txt"
expect_error "doc without id" 400 EINVAL "/api/doc"
expect_error "doc with empty id" 400 EINVAL "/api/doc/"
expect_error "doc id with a bad escape" 400 EINVAL "/api/doc/dang%zz"
expect_error "doc id with NUL" 400 EINVAL "/api/doc/dang%00x"

# ---- /api/suggest ------------------------------------------------------------------
expect_http "suggest" 200 "/api/suggest?q=ngh%E1%BB%8B+quy%E1%BA%BFt+57"
expect_eq "suggest keys" '["query","suggestions"]' "$(jq -c 'keys' "$T/body")"
n=$(jq '.suggestions | length' "$T/body")
[ "$n" -ge 1 ] && [ "$n" -le 10 ] && ok "1 to 10 suggestions ($n)" || fail "suggestion count $n"
expect_eq "suggestion fields" "true" "$(jq '[.suggestions[] | has("id") and has("text") and has("title") and has("number") and has("type") and has("date")] | all' "$T/body")"
expect_eq "suggests 57-NQ/TW" "true" "$(curl -s "$BASE/api/suggest?q=57-NQ" | jq '[.suggestions[].id] | index("dang/nq-57-2024.txt") != null')"
expect_eq "suggests without diacritics" "true" "$(curl -s "$BASE/api/suggest?q=chuyen+doi+so" | jq '.suggestions | length > 0')"
expect_eq "suggest limit" "2" "$(curl -s "$BASE/api/suggest?q=nghi&limit=2" | jq '.suggestions | length')"
expect_error "suggest limit 11" 400 EINVAL "/api/suggest?q=nghi&limit=11"
expect_http "suggest with empty q" 200 "/api/suggest?q="

# ---- errors: 400, 404, 405, 413 ------------------------------------------------------
expect_error "limit 0" 400 EINVAL "/api/search?q=x&limit=0"
expect_error "limit 101" 400 EINVAL "/api/search?q=x&limit=101"
expect_error "limit not a number" 400 EINVAL "/api/search?q=x&limit=ten"
expect_error "offset 10001" 400 EINVAL "/api/search?q=x&offset=10001"
expect_error "offset negative" 400 EINVAL "/api/search?q=x&offset=-1"
expect_http "offset 10000 is allowed" 200 "/api/search?q=x&offset=10000"
expect_error "unknown unit" 400 EINVAL "/api/search?q=x&unit=chapter"
expect_error "unknown sort" 400 EINVAL "/api/search?q=x&sort=size"
expect_error "bad from date" 400 EINVAL "/api/search?q=x&from=2024-13"
expect_error "bad to date" 400 EINVAL "/api/search?q=x&to=yesterday"
expect_error "bad facets flag" 400 EINVAL "/api/search?q=x&facets=maybe"
expect_error "bad percent-encoding" 400 EINVAL "/api/search?q=%zz"
expect_error "truncated escape" 400 EINVAL "/api/search?q=abc%4"
expect_error "NUL in a parameter" 400 EINVAL "/api/search?q=a%00b"
expect_error "too many parameters" 400 EINVAL "/api/search?$(seq 1 70 | sed 's/^/p/;s/$/=1/' | paste -sd '&')"
expect_error "unknown endpoint" 404 ENOTFOUND "/api/nothing"
expect_error "POST" 405 EMETHOD "/api/search?q=x" -X POST -d "q=x"
expect_eq "405 says what is allowed" "GET, HEAD" "$(header Allow)"
expect_error "PUT" 405 EMETHOD "/api/search" -X PUT
expect_error "DELETE" 405 EMETHOD "/" -X DELETE
expect_error "OPTIONS" 405 EMETHOD "/api/search" -X OPTIONS
expect_error "GET with a body" 413 ETOOBIG "/api/search?q=x" -X GET --data-binary "body"
long=$(head -c 40000 /dev/zero | tr '\0' 'a')
expect_error "query over $((8192 * 4)) bytes" 413 ETOOBIG "/api/search?q=$long"
expect_error "type over 4096 bytes" 413 ETOOBIG "/api/search?q=x&type=$(head -c 5000 /dev/zero | tr '\0' 'b')"

# ---- HEAD -----------------------------------------------------------------------------
got=$(curl -s -I -o "$T/headers" -w '%{http_code} %{size_download}' "$BASE/api/search?q=x")
expect_eq "HEAD: 200 without a body" "200 0" "$got"
expect_eq "HEAD: the type" "application/json; charset=utf-8" "$(tr -d '\r' <"$T/headers" | sed -n 's/^Content-Type: //Ip')"

# ---- /healthz and /metrics ----------------------------------------------------------------
expect_http "healthz" 200 /healthz
expect_eq "healthz body" '{"status":"ok"}' "$(jq -c . "$T/body")"
expect_http "metrics" 200 /metrics
case "$(header Content-Type)" in text/plain*) ok "metrics as text" ;; *) fail "metrics type: $(header Content-Type)" ;; esac
for m in 'polsearch_http_requests_total{endpoint="search",status="200"}' \
         'polsearch_http_requests_total{endpoint="search",status="400"}' \
         'polsearch_http_requests_total{endpoint="doc",status="404"}' \
         'polsearch_http_request_duration_seconds_bucket{endpoint="search",le="+Inf"}' \
         'polsearch_http_request_duration_seconds_count{endpoint="search"}' \
         'polsearch_http_errors_total' 'polsearch_http_requests_in_flight' \
         'polsearch_index_documents' 'polsearch_index_passages' 'polsearch_index_age_seconds'; do
    grep -qF "$m" "$T/body" && ok "metric $m" || fail "metric $m missing"
done
# every document counts, whatever its level: the CLI's facet total of an
# empty query counts them all
expect_eq "index documents metric" "$("$P" search --db "$DB" --json --facets --limit 1 -- "" | jq .total)" \
    "$(sed -n 's/^polsearch_index_documents //p' "$T/body")"
expect_eq "no server errors so far" "0" "$(sed -n 's/^polsearch_http_errors_total //p' "$T/body")"

# ---- static files ---------------------------------------------------------------------------
CSP="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
expect_http "the page" 200 /
expect_eq "page type" "text/html; charset=utf-8" "$(header Content-Type)"
expect_eq "page CSP" "$CSP" "$(header Content-Security-Policy)"
expect_eq "page nosniff" "nosniff" "$(header X-Content-Type-Options)"
expect_eq "page referrer policy" "no-referrer" "$(header Referrer-Policy)"
expect_eq "page revalidated" "no-cache" "$(header Cache-Control)"
etag=$(header ETag)
[ -n "$etag" ] && ok "page ETag $etag" || fail "page ETag"
cmp -s "$T/body" "$ROOT/web/index.html" && ok "page bytes" || fail "page bytes differ"
expect_http "If-None-Match" 304 / -H "If-None-Match: $etag"
expect_http "index.html" 200 /index.html
for f in app.js:text/javascript style.css:text/css favicon.svg:image/svg+xml; do
    expect_http "${f%%:*}" 200 "/${f%%:*}"
    case "$(header Content-Type)" in "${f#*:}"*) ok "${f%%:*} type" ;; *) fail "${f%%:*} type: $(header Content-Type)" ;; esac
    expect_eq "${f%%:*} nosniff" "nosniff" "$(header X-Content-Type-Options)"
done
for f in "$ROOT"/web/*.js; do
    b=$(basename "$f")
    expect_http "module $b" 200 "/$b"
done
expect_error "missing file" 404 ENOTFOUND /nothing.html
expect_error "unknown type" 404 ENOTFOUND /README
# no inline script or style in the page: the CSP would block it anyway
if grep -qiE '<script[^>]*>[^<]|<style|[[:space:]]style=|[[:space:]]on[a-z]+=' "$ROOT/web/index.html"; then fail "inline script or style in index.html"; else ok "no inline script or style"; fi
if grep -vhE '^[[:space:]]*//' "$ROOT"/web/*.js | grep -E 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function'; then fail "HTML parsing in the page's code"; else ok "no innerHTML/eval in the page's code"; fi

# ---- the access log ---------------------------------------------------------------------------
sleep 0.2
n=$(wc -l <"$DLOG.log")
[ "$n" -gt 50 ] && ok "access log lines ($n)" || fail "access log has $n lines"
line=$(grep -m 1 '"GET /api/search?q=x&limit=101"' "$DLOG.log")
case "$line" in
    *T*Z\ 127.0.0.1\ \"GET\ /api/search?q=x\&limit=101\"\ 400\ [0-9]*\ [0-9.]*ms*) ok "access log line: $line" ;;
    *) fail "access log line: [$line]" ;;
esac
grep -q 'token=all' "$DLOG.log" && ok "access log names the token, not its value" || fail "token name in log"
grep -qF "$SECRET_TOKEN" "$DLOG.log" "$DLOG.err" && fail "the token's value reached a log" || ok "token value never logged"

expect_sigterm_exit0
expect_clean_stderr

# ---- no index yet: 503, then served without a restart ---------------------------------------------
start_daemon empty --db "$T/later.db" --web "$ROOT/web" || exit 1
expect_error "healthz without an index" 503 ENOINDEX /healthz
expect_error "search without an index" 503 ENOINDEX "/api/search?q=x"
expect_http "the page is served without an index" 200 /
"$P" index --db "$T/later.db" --quiet "$ROOT/corpus/dang" || fail "indexing later"
expect_http "healthz once indexed" 200 /healthz
expect_eq "search once indexed" "nq-57-2024.txt" "$(curl -s "$BASE/api/search?q=57-NQ/TW" | jq -r '.hits[0].id')"
expect_sigterm_exit0
expect_clean_stderr

# ---- flags ------------------------------------------------------------------------------------------
expect_status "serve --help" 0 "$P" serve --help
expect_status "bad port" 2 "$P" serve --port 70000
expect_status "bad threads" 2 "$P" serve --threads 0
expect_status "bad listen address" 2 "$P" serve --listen nowhere
expect_status "missing web folder" 1 "$P" serve --db "$DB" --port 0 --web "$T/no-such-web"
finish
