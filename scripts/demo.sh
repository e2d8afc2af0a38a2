#!/bin/sh
# make demo: index the sample corpus and show a few searches.
set -eu
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB="$ROOT/build/demo.db"
P="$BIN/polsearch"
export POLSEARCH_DB="$DB"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say polsearch index corpus
"$P" index "$ROOT/corpus"
say polsearch search nghị quyết 57 --limit 3
"$P" search nghị quyết 57 --limit 3
say polsearch search chuyen doi so --unit passage --limit 3
"$P" search chuyen doi so --unit passage --limit 3
say polsearch search '"kinh tế tư nhân"' --sort date --limit 5
"$P" search '"kinh tế tư nhân"' --sort date --limit 5
say polsearch search 13/2023/ND-CP --json --limit 1
"$P" search 13/2023/ND-CP --json --limit 1
say polsearch show dang/nq-57-2024.txt
"$P" show dang/nq-57-2024.txt | head -n 40
printf '\nThe index is %s; try: POLSEARCH_DB=%s %s search ...\n' "$DB" "$DB" "$P"
