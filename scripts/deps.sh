#!/bin/sh
# Installs what polsearch needs to build, test and benchmark on Debian 12.
# A no-op when everything is present. Run as root or with sudo available.
set -eu

# build: compilers, Xapian, ICU, HTTP, JSON, XML/HTML, zip, PDF
# tests: cmocka, xapian-tools (xapian-tcpsrv, xapian-check), clang (fuzzing),
#        valgrind, chromium (browser tests), curl
# formats: antiword/catdoc (.doc), poppler-utils, libreoffice-free fixtures are committed;
#          zip, libcairo2-dev and fonts-dejavu-core make the DOCX/ODT/PDF test files
# bench: sqlite3 (FTS5 peer), groonga-bin (Groonga peer), wrk, hyperfine,
#        time (GNU time: peak resident memory)
PKGS="build-essential pkg-config
libxapian-dev xapian-tools libicu-dev libmicrohttpd-dev libjansson-dev
libxml2-dev libzip-dev libpoppler-glib-dev libsqlite3-dev nettle-dev
libcmocka-dev clang libclang-rt-dev valgrind curl jq
antiword catdoc poppler-utils zip libcairo2-dev fonts-dejavu-core
chromium
sqlite3 groonga-bin wrk hyperfine time"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js for the browser tests: any installed node will do (Debian's or
# another vendor's); only when none is there install Debian's.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    echo "deps: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# playwright-core for the browser tests, pinned by the lock file
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tests/browser/package.json" ] && [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
    echo "deps: installing the browser test packages (npm ci)"
    (cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
