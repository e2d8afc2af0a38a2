# Shared by the HTTP tests (sourced, not run): the integration tests'
# helpers (tests/integration/lib.sh: $T, $P, ok/fail/expect_eq/finish)
# plus a real `polsearch serve` on 127.0.0.1 and a free port, always
# stopped at the end, whatever happens.
. "${POLSEARCH_ROOT:?run through tests/run-tests.sh}/tests/integration/lib.sh"
TOOLS=${POLSEARCH_TOOLS:-$ROOT/build/release/tests/tools}
DPID=""
BASE=""
DLOG=""

command -v curl >/dev/null 2>&1 || { echo "skip: curl is not installed"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "skip: jq is not installed"; exit 77; }

stop_daemon() {
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kill -TERM "$DPID" 2>/dev/null
        i=0
        while kill -0 "$DPID" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$DPID" 2>/dev/null
    fi
    DPID=""
}
# the daemon goes down on every way out, then the temporary folder
trap 'stop_daemon; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

# start_daemon NAME [serve flags...]: starts a daemon whose log files are
# $T/NAME.{err,log}; sets DPID, BASE, DLOG. Waits until it listens.
start_daemon() {
    name=$1; shift
    DLOG="$T/$name"
    "$P" serve --listen 127.0.0.1 --port 0 --log "$DLOG.log" "$@" 2>"$DLOG.err" &
    DPID=$!
    i=0
    port=""
    while [ $i -lt 300 ]; do
        port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)\/.*/\1/p' "$DLOG.err" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$DPID" 2>/dev/null || break
        sleep 0.1; i=$((i + 1))
    done
    if [ -z "$port" ]; then
        echo "the daemon did not start:"; cat "$DLOG.err"; DPID=""; return 1
    fi
    BASE="http://127.0.0.1:$port"
    return 0
}

# wait_healthy: /healthz answers 200 (the index opened)
wait_healthy() {
    i=0
    while [ $i -lt 200 ]; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# expect_sigterm_exit0 [DESCRIPTION]: SIGTERM ends the daemon with exit 0
expect_sigterm_exit0() {
    kill -TERM "$DPID"
    wait "$DPID"
    rc=$?
    DPID=""
    expect_eq "${1:-SIGTERM: exit 0}" 0 "$rc"
}

# http PATH [curl args...]: body to $T/body, headers to $T/headers;
# prints the status
http() {
    path=$1; shift
    curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$BASE$path"
}

# expect_http DESCRIPTION STATUS PATH [curl args...]
expect_http() {
    d=$1; want=$2; path=$3; shift 3
    got=$(http "$path" "$@")
    if [ "$got" = "$want" ]; then ok "$d ($got)"; else fail "$d: status $got, expected $want: $(head -c 300 "$T/body")"; fi
}

# expect_error DESCRIPTION STATUS CODE PATH [curl args...]: a JSON error
expect_error() {
    d=$1; want=$2; code=$3; path=$4; shift 4
    got=$(http "$path" "$@")
    gcode=$(jq -r '.code' "$T/body" 2>/dev/null)
    gmsg=$(jq -r '.error | type' "$T/body" 2>/dev/null)
    if [ "$got" = "$want" ] && [ "$gcode" = "$code" ] && [ "$gmsg" = "string" ]; then
        ok "$d ($got $code)"
    else
        fail "$d: got $got [$gcode], expected $want [$code]: $(head -c 300 "$T/body")"
    fi
}

# header NAME: the value of a header of the last http answer
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: //Ip" | head -n 1
}

# alive: the daemon still answers
expect_alive() {
    expect_http "${1:-daemon still answers}" 200 /healthz
}

# no_sanitizer_reports: nothing from ASan/UBSan in the daemon's stderr
expect_clean_stderr() {
    if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$DLOG.err" 2>/dev/null; then
        fail "sanitizer report in the daemon's stderr: $(grep -m 3 -E 'Sanitizer|runtime error' "$DLOG.err")"
    else
        ok "no sanitizer report"
    fi
}

# long_law FILE: a law of 1000 articles of 3 clauses, each clause naming
# $LONG_PHRASE 4 times: $LONG_COUNT occurrences, a concordance far
# longer than every buffer between the daemon and a client (its kernel
# socket buffers included), so a test can tell streaming from buffering
LONG_PHRASE="trạm quan trắc thủy văn tự động"
LONG_COUNT=12000
long_law() {
    awk 'BEGIN {
      print "QUỐC HỘI\nLuật số: 97/2030/QH15\nHà Nội, ngày 15 tháng 6 năm 2030\n\nLUẬT\nQUAN TRẮC THỬ NGHIỆM\n";
      for (i = 1; i <= 1000; i++) {
        printf "Điều %d. Mạng lưới thử nghiệm số %d\n", i, i;
        for (k = 1; k <= 3; k++)
          printf "%d. Khoản %d của điều %d: xây dựng trạm quan trắc thủy văn tự động trên các lưu vực sông; kết nối trạm quan trắc thủy văn tự động với hệ thống cảnh báo của địa phương; vận hành trạm quan trắc thủy văn tự động bảo đảm liên tục; bảo vệ trạm quan trắc thủy văn tự động theo quy định.\n", k, k, i;
      }
    }' >"$1"
}
