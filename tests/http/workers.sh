#!/bin/sh
# The worker threads: API requests from keep-alive clients are answered by
# every worker, whichever connection thread holds the client (libmicrohttpd
# gives all the connections opened at once to one of its threads); each
# gets a complete answer; /metrics counts each worker's requests; a client
# that leaves before its answer costs nothing; SIGTERM with requests still
# waiting stops cleanly, answering them or 503.
. "$(dirname "$0")/lib/daemon.sh"
DB="$T/db"
"$P" index --db "$DB" --quiet "$ROOT/corpus/dang" "$ROOT/corpus/nha-nuoc" ||
    { echo "indexing failed"; exit 1; }
start_daemon d --db "$DB" --threads 2 --cache-mb 0 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }

# one client: N searches over one kept-alive connection (curl reuses it)
client() { # OUT N
    i=0
    args=""
    for q in nghi+quyet khoa+hoc+cong+nghe chuyen+doi+so dang+vien kinh+te+tu+nhan \
             bao+ve+nen+tang+tu+tuong 57-NQ%2FTW to+chuc+co+so+dang; do
        args="$args -o /dev/null $BASE/api/search?q=$q&limit=10"
    done
    urls=""
    while [ $i -lt "$2" ]; do urls="$urls $args"; i=$((i + 8)); done
    # shellcheck disable=SC2086
    curl -s -w '%{http_code}\n' $urls >"$1" 2>/dev/null
}

n=0
pids=""
while [ $n -lt 8 ]; do client "$T/codes.$n" 40 & pids="$pids $!"; n=$((n + 1)); done
# shellcheck disable=SC2086
wait $pids
cat "$T"/codes.* >"$T/codes"
expect_eq "320 answers" 320 "$(wc -l <"$T/codes" | tr -d ' ')"
expect_eq "every answer 200" 320 "$(grep -c '^200$' "$T/codes")"

expect_http "metrics" 200 /metrics
w0=$(sed -n 's/^polsearch_worker_requests_total{worker="0"} //p' "$T/body")
w1=$(sed -n 's/^polsearch_worker_requests_total{worker="1"} //p' "$T/body")
expect_eq "two workers listed" 2 "$(grep -c '^polsearch_worker_requests_total{' "$T/body")"
[ "${w0:-0}" -gt 0 ] && [ "${w1:-0}" -gt 0 ] && ok "both workers answered ($w0 and $w1)" ||
    fail "one worker did everything: $w0 and $w1"
[ $((${w0:-0} + ${w1:-0})) -ge 320 ] && ok "the workers answered every search" ||
    fail "workers answered $((${w0:-0} + ${w1:-0})) of 320"
expect_eq "nothing waiting" 0 "$(sed -n 's/^polsearch_requests_waiting //p' "$T/body")"
# the connection threads stay free for the rest while workers search
expect_http "healthz" 200 /healthz

# clients that leave before their answer: the answer a worker made for
# them is freed (make check's LeakSanitizer reads the daemon's stderr)
long="/api/search?q=quy+dinh+ve+to+chuc+bo+may+cua+dang+va+nha+nuoc+trong+tinh+hinh+moi&limit=100"
n=0
pids=""
while [ $n -lt 16 ]; do
    curl -s -o /dev/null --max-time 0.01 "$BASE$long&n=$n" & pids="$pids $!"
    n=$((n + 1))
done
# shellcheck disable=SC2086
wait $pids
expect_alive "answers after clients left early"

# SIGTERM while clients keep the workers busy: a clean stop
rm -f "$T"/codes.*
n=0
pids=""
while [ $n -lt 8 ]; do client "$T/codes.$n" 400 & pids="$pids $!"; n=$((n + 1)); done
sleep 1
kill -TERM "$DPID"
i=0
while kill -0 "$DPID" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$DPID" 2>/dev/null; then
    fail "the daemon still runs 15 s after SIGTERM"
else
    wait "$DPID"
    expect_eq "exit status after SIGTERM" 0 "$?"
fi
DPID=""
# shellcheck disable=SC2086
wait $pids
cat "$T"/codes.* >"$T/codes"
grep -q '^200$' "$T/codes" && ok "searches answered before the stop" || fail "no search answered"
bad=$(grep -v -c -E '^(200|503|000)$' "$T/codes")
expect_eq "during the stop: 200, 503 or refused, nothing else" 0 "$bad"
grep -q "stopped" "$T/d.err" && ok "the daemon says it stopped" || fail "no 'stopped' in its stderr"
expect_clean_stderr
finish
