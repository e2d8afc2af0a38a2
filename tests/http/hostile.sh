#!/bin/sh
# Hostile HTTP against a real daemon: invalid UTF-8, %00 and %zz in
# parameters, a 1 MB query, paths that climb out of the web root (also
# through a symlink), oversized headers, HTTP/1.0, HEAD, bodies, slow
# clients and many idle connections while other clients still get
# answers, and 429 when every in-flight slot is taken. Every case ends in
# a 4xx or a closed connection, never a crash, and the daemon keeps
# answering.
. "$(dirname "$0")/lib/daemon.sh"
HOLD="$TOOLS/httphold"
[ -x "$HOLD" ] || { echo "skip: $HOLD is not built (make tools)"; exit 77; }
DB="$T/db"
mkdir -p "$T/big"
# a long law (about 3 MB of text) whose answer outlasts any socket buffer
awk 'BEGIN {
  print "QUỐC HỘI\nLuật số: 99/2099/QH99\n\nLUẬT\nTHỬ NGHIỆM TẢI LỚN\n";
  for (i = 1; i <= 2500; i++) {
    printf "Điều %d. Quy định thử nghiệm số %d\n", i, i;
    for (k = 1; k <= 3; k++)
      printf "%d. Nội dung khoản %d của điều %d về chuyển đổi số, dữ liệu, khoa học và công nghệ, đổi mới sáng tạo trong cơ quan nhà nước, bảo đảm an toàn thông tin và quyền của tổ chức, cá nhân.\n", k, k, i;
  }
}' >"$T/big/luat-99-2099.txt"
"$P" index --db "$DB" --quiet "$ROOT/corpus" "$T/big" || { echo "indexing failed"; exit 1; }
# a web root with a symlink that points outside it
mkdir -p "$T/web"
cp "$ROOT"/web/* "$T/web/"
echo "secret outside the web root" >"$T/outside.txt"
ln -s "$T/outside.txt" "$T/web/escape.txt"
ln -s "$T" "$T/web/up"

start_daemon d --db "$DB" --web "$T/web" --threads 2 --timeout 5 --max-connections 1000 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }

# ---- parameters --------------------------------------------------------------------
expect_http "invalid UTF-8 in q is cleaned, not refused" 200 "/api/search?q=%C3%28%FF%FEngh%E1%BB%8B+quy%E1%BA%BFt"
jq -e . "$T/body" >/dev/null && ok "valid JSON for invalid UTF-8" || fail "JSON for invalid UTF-8"
case "$(jq -r .query "$T/body")" in *"�"*) ok "invalid bytes shown as U+FFFD" ;; *) fail "query echo: $(jq -r .query "$T/body")" ;; esac
expect_http "invalid UTF-8 in type" 200 "/api/search?q=x&type=%FF%FE"
expect_http "invalid UTF-8 in issuer" 200 "/api/search?q=x&issuer=%C0%80"
expect_http "overlong UTF-8 in suggest" 200 "/api/suggest?q=%E0%80%80abc"
expect_http "invalid UTF-8 in doc id" 404 "/api/doc/%FF%FE.txt"
expect_http "invalid UTF-8 in doc q" 200 "/api/doc/dang/nq-57-2024.txt?q=%FF%FF"
expect_error "%00 in q" 400 EINVAL "/api/search?q=%00"
expect_error "%00 in a name" 400 EINVAL "/api/search?q%00=1"
expect_error "%zz in q" 400 EINVAL "/api/search?q=%zz"
expect_error "%zz in suggest" 400 EINVAL "/api/suggest?q=%zz"
expect_error "lone % in q" 400 EINVAL "/api/search?q=50%"
expect_http "+ and %20 are spaces" 200 "/api/search?q=57-NQ%2FTW+%20"
expect_http "empty parameters" 200 "/api/search?&&q=&&"
expect_http "raw UTF-8 bytes in the target" 200 "/api/search?q=ngh$(printf '\341\273\213')"
for q in '"' '"""' '-' '+' 'OR' 'OR OR' '(' ')' ':' 'type:' 'number:' 'cites:' 'article:' '\\' '*' '%25'; do
    enc=$(jq -rn --arg q "$q" '$q | @uri')
    s=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?q=$enc")
    case "$s" in 200|400) ok "odd query [$q] ($s)" ;; *) fail "odd query [$q]: $s" ;; esac
done
# 1 MB in the request target: refused by the HTTP layer (414/413/431) or
# the handler (413), never a crash
# (sent raw: a megabyte fits neither in argv nor in a curl config line)
raw_file() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${BASE##*:}; cat '$1' >&3 2>/dev/null; cat <&3" 2>/dev/null | head -n 1 | tr -d '\r'; }
for ep in search suggest; do
    { printf 'GET /api/%s?q=' "$ep"; head -c 1048576 /dev/zero | tr '\0' 'a'; printf ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'; } >"$T/mb.req"
    line=$(raw_file "$T/mb.req")
    case "$line" in "HTTP/1.1 413"*|"HTTP/1.1 414"*|"HTTP/1.1 431"*|"") ok "1 MB $ep query refused: ${line:-closed}" ;; *) fail "1 MB $ep query: $line" ;; esac
done
# a long query under the cap is cut by the library, with a warning
q30k=$(yes "chuyển đổi số" | head -c 30000 | tr '\n' ' ' | jq -sRr @uri)
expect_http "30 KB query" 200 "/api/search?q=$q30k"
expect_eq "long query cut with a warning" "true" "$(jq '(.warnings // []) | length > 0' "$T/body")"
expect_alive

# ---- paths -------------------------------------------------------------------------------
for p in "/../../../../etc/passwd" "/..%2f..%2fetc%2fpasswd" "/%2e%2e/%2e%2e/etc/passwd" \
         "/%2E%2E/%2E%2E/etc/passwd" "/.%2e/.%2e/etc/passwd" "/%252e%252e/etc/passwd" \
         "/web/../../etc/passwd" "/./index.html" "/index.html%00.js" "/%00" \
         "/..\\..\\etc\\passwd" "/%5c..%5c..%5cetc%5cpasswd" "/.git/config" "/.hidden" \
         "/escape.txt" "/up/outside.txt" "/up/big/luat-99-2099.txt" "//etc/passwd" "/index.html/" \
         "/%" "/%zz" "/%c0%ae%c0%ae/etc/passwd"; do
    s=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$BASE$p")
    case "$s" in
        4??) if grep -q "root:\|secret outside" "$T/body"; then fail "path $p leaked a file"; else ok "path $p ($s)"; fi ;;
        *) fail "path $p: $s" ;;
    esac
done
expect_http "the page is still served" 200 /
# raw request lines curl will not send
raw() { printf "$1" | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${BASE##*:}; cat >&3; cat <&3" 2>/dev/null | head -n 1 | tr -d '\r'; }
if command -v bash >/dev/null 2>&1; then
    for req in 'GET ../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
               'GET /a\\..\\..\\etc\\passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
               'GET http://127.0.0.1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
               'GET /api/search?q=x HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n' \
               'GARBAGE\r\n\r\n' \
               'GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: -5\r\n\r\n' \
               'GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' \
               'GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n' \
               ; do
        line=$(raw "$req")
        case "$line" in "HTTP/1.1 4"*|"HTTP/1.0 4"*|"HTTP/1.1 505"*|"") ok "raw request [$(printf '%s' "$req" | head -c 40)]: ${line:-closed}" ;;
            *) fail "raw request [$req]: $line" ;; esac
    done
    # a NUL byte in the request line ends the target there (MHD hands it
    # over as a C string): the rest is never seen, nothing breaks
    line=$(raw 'GET /api/search?q=a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    case "$line" in "HTTP/1.1 200"*|"HTTP/1.1 4"*|"") ok "raw NUL in the target: ${line:-closed}" ;; *) fail "raw NUL: $line" ;; esac
fi
expect_alive

# ---- headers, versions, methods, bodies ------------------------------------------------------
{ printf 'GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nX-Big: '; head -c 200000 /dev/zero | tr '\0' 'h'; printf '\r\n\r\n'; } >"$T/big.req"
line=$(raw_file "$T/big.req")
case "$line" in "HTTP/1.1 431"*|"HTTP/1.1 413"*|"HTTP/1.1 400"*|"") ok "200 KB header refused: ${line:-closed}" ;; *) fail "200 KB header: $line" ;; esac
hdrs=""
for i in $(seq 1 3000); do hdrs="$hdrs -H X-Many-$i:v"; done
# shellcheck disable=SC2086
s=$(curl -s -o /dev/null -w '%{http_code}' $hdrs "$BASE/api/search?q=x")
case "$s" in 431|413|400|000) ok "3000 headers refused ($s)" ;; *) fail "3000 headers: $s" ;; esac
expect_http "HTTP/1.0" 200 "/api/search?q=x" --http1.0
jq -e .hits "$T/body" >/dev/null && ok "HTTP/1.0 answer is the JSON" || fail "HTTP/1.0 body"
expect_http "HTTP/1.0 page" 200 "/" --http1.0
got=$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$BASE/")
expect_eq "HEAD of the page: no body" "200 0" "$got"
expect_error "POST" 405 EMETHOD "/api/search" -X POST --data-binary "@$T/big/luat-99-2099.txt"
expect_error "PATCH" 405 EMETHOD "/" -X PATCH
expect_error "GET with a 3 MB body" 413 ETOOBIG "/api/search?q=x" -X GET --data-binary "@$T/big/luat-99-2099.txt"
expect_error "chunked GET body" 413 ETOOBIG "/api/search?q=x" -X GET -H "Transfer-Encoding: chunked" --data-binary "abc"
expect_alive

# ---- slow clients and idle connections ---------------------------------------------------------
"$HOLD" 127.0.0.1 "${BASE##*:}" idle 300 8 >"$T/idle.out" 2>&1 &
h1=$!
"$HOLD" 127.0.0.1 "${BASE##*:}" slow 50 8 >"$T/slow.out" 2>&1 &
h2=$!
i=0
while [ $i -lt 100 ] && ! { grep -q ready "$T/idle.out" && grep -q ready "$T/slow.out"; }; do sleep 0.1; i=$((i + 1)); done
expect_eq "300 idle connections open" "ready 300" "$(grep ready "$T/idle.out")"
expect_eq "50 slow clients open" "ready 50" "$(grep ready "$T/slow.out")"
slow=0; bad=0
for i in $(seq 1 40); do
    r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 "$BASE/api/search?q=chuyen+doi+so&offset=$i")
    [ "${r%% *}" = 200 ] || bad=$((bad + 1))
    awk -v t="${r#* }" 'BEGIN { exit !(t > 1.0) }' && slow=$((slow + 1))
done
expect_eq "others answered during the siege" "0" "$bad"
expect_eq "none of them slower than 1 s" "0" "$slow"
wait $h1 $h2
# the connection timeout (5 s) closed the slow ones
grep -q "closed-by-server" "$T/idle.out" && ok "idle holder: $(grep closed "$T/idle.out")" || fail "idle holder output"
expect_alive "daemon answers after the siege"

# ---- 429: every in-flight slot taken -------------------------------------------------------------
expect_sigterm_exit0 "SIGTERM after the siege: exit 0"
expect_clean_stderr
start_daemon busy --db "$DB" --web "$T/web" --threads 2 --max-inflight 2 --timeout 30 || exit 1
wait_healthy || fail "busy daemon healthy"
# two readers that never read a 3 MB answer hold both slots
"$HOLD" 127.0.0.1 "${BASE##*:}" noread 2 6 "/api/doc/luat-99-2099.txt" >"$T/noread.out" 2>&1 &
h3=$!
i=0
while [ $i -lt 100 ] && ! grep -q ready "$T/noread.out"; do sleep 0.1; i=$((i + 1)); done
sleep 1
expect_error "429 when all slots are taken" 429 EBUSY "/api/search?q=x"
expect_eq "429 says when to retry" "1" "$(header Retry-After)"
expect_http "healthz is not limited" 200 /healthz
expect_http "metrics are not limited" 200 /metrics
expect_eq "in-flight gauge" "2" "$(sed -n 's/^polsearch_http_requests_in_flight //p' "$T/body")"
wait $h3
sleep 0.5
expect_http "slots freed once the readers leave" 200 "/api/search?q=x"
expect_sigterm_exit0
expect_clean_stderr
finish
