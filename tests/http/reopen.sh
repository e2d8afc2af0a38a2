#!/bin/sh
# Re-indexing while serving: more documents are indexed, commit after
# commit, while clients search in a loop; no request fails, every answer
# is right, and the new documents appear without a restart. Then the
# graceful shutdown: a slow download begun before SIGTERM still completes,
# and the daemon exits 0.
. "$(dirname "$0")/lib/daemon.sh"
DB="$T/db"
mkdir -p "$T/docs"
cp -R "$ROOT/corpus/dang" "$T/docs/"
"$P" index --db "$DB" --quiet "$T/docs" || { echo "indexing failed"; exit 1; }
start_daemon d --db "$DB" --web "$ROOT/web" --threads 2 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }
expect_eq "not there yet" 0 "$(curl -s "$BASE/api/search?q=number%3A13%2F2023%2FN%C4%90-CP" | jq .total)"

# client LOOPNAME: searches until $T/stop exists (at most 3000 requests or
# 120 s), writing one line per request: status, then "ok" when the answer
# is right (57-NQ/TW first; the JSON complete), else what it got
client() {
    n=0
    end=$(( $(date +%s) + 120 ))
    while [ ! -f "$T/stop" ] && [ $n -lt 3000 ] && [ "$(date +%s)" -lt $end ]; do
        s=$(curl -s -o "$T/$1.body" -w '%{http_code}' "$BASE/api/search?q=57-NQ%2FTW&limit=3&unit=$2")
        first=$(jq -r '.hits[0].id' "$T/$1.body" 2>/dev/null)
        if [ "$s" = 200 ] && [ "$first" = "dang/nq-57-2024.txt" ]; then echo "$s ok"; else echo "$s $first"; fi
        s=$(curl -s -o "$T/$1.body" -w '%{http_code}' "$BASE/api/doc/dang/nq-57-2024.txt?q=khoa+h%E1%BB%8Dc")
        num=$(jq -r '.number' "$T/$1.body" 2>/dev/null)
        if [ "$s" = 200 ] && [ "$num" = "57-NQ/TW" ]; then echo "$s ok"; else echo "$s doc:$num"; fi
        s=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/suggest?q=ngh%E1%BB%8B+quy%E1%BA%BFt")
        if [ "$s" = 200 ]; then echo "$s ok"; else echo "$s suggest"; fi
        n=$((n + 3))
    done
}
client a document >"$T/a.out" &
ca=$!
client b passage >"$T/b.out" &
cb=$!

# index more, one commit per batch, with the clients running
commits=0
for dir in nha-nuoc extra; do
    cp -R "$ROOT/corpus/$dir" "$T/docs/"
    "$P" index --db "$DB" --quiet "$T/docs" && commits=$((commits + 1))
done
for i in 1 2 3 4 5 6; do
    mkdir -p "$T/docs/batch$i"
    cp "$ROOT"/corpus/nha-nuoc/*.txt "$T/docs/batch$i/"
    "$P" index --db "$DB" --quiet --flush-mb 1 "$T/docs" && commits=$((commits + 1))
done
# a full re-index of everything, also under load
"$P" index --db "$DB" --quiet --full "$T/docs" && commits=$((commits + 1))
expect_eq "commits made while serving" 9 "$commits"
sleep 1
touch "$T/stop"
wait $ca $cb
total=$(cat "$T/a.out" "$T/b.out" | wc -l)
bad=$(cat "$T/a.out" "$T/b.out" | grep -vc ' ok$')
[ "$total" -ge 30 ] && ok "requests made during the re-index: $total" || fail "only $total requests"
expect_eq "failed or wrong requests" 0 "$bad"
[ "$bad" -gt 0 ] && cat "$T/a.out" "$T/b.out" | grep -v ' ok$' | sort | uniq -c | head

# the new documents, without a restart
expect_eq "new document found" "true" "$(curl -s "$BASE/api/search?q=13%2F2023%2FN%C4%90-CP" | jq '.hits[0].id | endswith("/nd-13-2023.txt")')"
expect_eq "new copies found" 7 "$(curl -s "$BASE/api/search?q=number%3A13%2F2023%2FN%C4%90-CP&limit=20" | jq '.hits | length')"
expect_http "new document served" 200 "/api/doc/batch3/nd-13-2023.txt"
expect_eq "suggestions see it" "true" "$(curl -s "$BASE/api/suggest?q=13%2F2023" | jq '[.suggestions[].id] | any(endswith("nd-13-2023.txt"))')"
curl -s "$BASE/metrics" >"$T/metrics"
expect_eq "metrics: no server errors" 0 "$(sed -n 's/^polsearch_http_errors_total //p' "$T/metrics")"
expect_eq "metrics: the index grew" "$("$P" search --db "$DB" --json --facets --limit 1 -- "" | jq .total)" \
    "$(sed -n 's/^polsearch_index_documents //p' "$T/metrics")"
# documents removed from the folder vanish from the daemon too
rm -r "$T/docs/batch6"
"$P" index --db "$DB" --quiet "$T/docs"
expect_http "removed document gone" 404 "/api/doc/batch6/nd-13-2023.txt"

# ---- graceful shutdown ------------------------------------------------------------------
# a big answer (about 5 MB, more than the socket buffers hold) read
# slowly: begun before SIGTERM, it must still complete
awk 'BEGIN { print "QUỐC HỘI\nLuật số: 98/2099/QH99\n\nLUẬT\nTHỬ NGHIỆM\n";
  for (i = 1; i <= 6000; i++) printf "Điều %d. Quy định %d\n1. Nội dung dài về chuyển đổi số, dữ liệu và đổi mới sáng tạo trong cơ quan nhà nước, bảo đảm quyền và lợi ích hợp pháp của tổ chức, cá nhân.\n", i, i }' \
    >"$T/docs/luat-98.txt"
"$P" index --db "$DB" --quiet "$T/docs"
# (a reader with a tiny receive buffer that starts reading after 3 s: the
# daemon still has most of the answer to send when SIGTERM comes)
"$TOOLS/httphold" 127.0.0.1 "${BASE##*:}" lateread 1 3 /api/doc/luat-98.txt >"$T/late.out" 2>&1 &
cs=$!
size=$(curl -s "$BASE/api/doc/luat-98.txt" | wc -c)
sleep 1
kill -TERM "$DPID"
wait $cs
# "answer HTTP/1.1 200 OK BYTES"
set -- $(grep '^answer' "$T/late.out") 0 0 0 0 0
v=$2; code=$3; bytes=$5
expect_eq "in-flight download completed" "HTTP/1.1 200" "$v $code"
[ "$bytes" -gt "$size" ] && ok "all of it: $bytes bytes with the headers, $size of JSON" || fail "got $bytes bytes of $size"
wait "$DPID"
rc=$?
DPID=""
expect_eq "SIGTERM: exit 0" 0 "$rc"
grep -q "finishing [1-9][0-9]* requests" "$DLOG.err" && ok "the daemon waited for the request" || fail "shutdown message: $(grep -a SIGTERM "$DLOG.err")"
s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz")
expect_eq "nothing listens after the exit" 000 "$s"
expect_clean_stderr

# the index swapped for another built elsewhere: while the folder is
# missing the daemon answers from the revision it holds, then from the new
"$P" index --quiet --db "$T/swap" "$ROOT/corpus/dang" || exit 1
"$P" index --quiet --db "$T/served" "$ROOT/corpus" || exit 1
start_daemon swap --db "$T/served" --threads 1 || exit 1
expect_eq "before the swap" "dang/nq-57-2024.txt" "$(curl -s "$BASE/api/search?q=57-NQ%2FTW&limit=1" | jq -r '.hits[0].id')"
mv "$T/served" "$T/old"
for i in 1 2 3 4; do
    expect_eq "index folder missing: still answers ($i)" "dang/nq-57-2024.txt" \
        "$(curl -s "$BASE/api/search?q=57-NQ%2FTW&limit=1" | jq -r '.hits[0].id')"
done
mv "$T/swap" "$T/served"
expect_eq "after the swap: the new index" "nq-57-2024.txt" \
    "$(curl -s "$BASE/api/search?q=57-NQ%2FTW&limit=1" | jq -r '.hits[0].id')"
stop_daemon
# a daemon that never opened the index: a folder missing for an instant
# (two renames) is waited for, not answered with 503
mv "$T/served" "$T/served2"
start_daemon swap2 --db "$T/served" --threads 1 || exit 1
( sleep 0.3; mv "$T/served2" "$T/served" ) &
mvpid=$!
expect_eq "folder back within the wait" "nq-57-2024.txt" \
    "$(curl -s "$BASE/api/search?q=57-NQ%2FTW&limit=1" | jq -r '.hits[0].id')"
wait "$mvpid"
stop_daemon
DPID=""

# SIGINT too
start_daemon int --db "$DB" || exit 1
kill -INT "$DPID"
wait "$DPID"
rc=$?
DPID=""
expect_eq "SIGINT: exit 0" 0 "$rc"
finish
