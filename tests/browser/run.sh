#!/bin/sh
# Browser tests: a daemon on the sample index plus a document with hostile
# fields and a long law, and tests/browser/test.mjs in Debian's Chromium through
# playwright-core (installed by `make deps`: npm ci here). Screenshots go
# to $POLSEARCH_BUILD/screenshots.
. "$(dirname "$0")/../http/lib/daemon.sh"
HERE="$ROOT/tests/browser"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null 2>&1 || { echo "skip: node is not installed (make deps)"; exit 77; }
[ -x "$CHROMIUM" ] || { echo "skip: no chromium at $CHROMIUM (make deps)"; exit 77; }
[ -d "$HERE/node_modules/playwright-core" ] || { echo "skip: playwright-core is not installed (make deps runs npm ci in tests/browser)"; exit 77; }

DB="$T/db"
# hostile fields: markup and attribute injection in the id, title, number,
# issuer and text; xsszzmarker finds it
cat >"$T/hostile.jsonl" <<'EOF'
{"id": "hostile/<img src=x onerror=alert(7)>.txt", "title": "<script>alert(1)</script> \"><img src=x onerror=alert(2)> xsszzmarker", "number": "1-XSS/TW\"><svg onload=alert(3)>", "type": "Nghị quyết", "issuer": "<b onmouseover=alert(4)>Ban</b>", "date": "2024-01-01", "text": "NGHỊ QUYẾT\nxsszzmarker <script>alert(5)</script> và <img src=x onerror=alert(6)> cùng \"'><svg/onload=alert(8)> javascript:alert(9)\nĐiều 1. <i onclick=alert(10)>Phạm vi</i> xsszzmarker\n1. Nội dung <a href=\"javascript:alert(11)\">liên kết</a>.\n"}
EOF
# a long law: a concordance long enough to watch it stream (and stop it)
mkdir -p "$T/long"
long_law "$T/long/luat-97-2030.txt"
"$P" index --db "$DB" --quiet "$ROOT/corpus" "$T/hostile.jsonl" "$T/long" || { echo "indexing failed"; exit 1; }
start_daemon browser --db "$DB" --web "$ROOT/web" || exit 1
wait_healthy || { echo "the daemon is not healthy"; exit 1; }

SHOTS="${POLSEARCH_BUILD:-$ROOT/build/release}/screenshots"
mkdir -p "$SHOTS"
cd "$HERE" || exit 1
CHROMIUM="$CHROMIUM" timeout 300 node test.mjs "$BASE" "$SHOTS"
rc=$?
[ $rc -eq 0 ] && ok "browser checks (screenshots in $SHOTS)" || fail "browser checks (exit $rc)"
expect_sigterm_exit0
expect_clean_stderr
finish
