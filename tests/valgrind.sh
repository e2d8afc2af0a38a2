#!/bin/sh
# The unit tests and a run of every polsearch subcommand (index the sample
# corpus, search, show, suggest, cite, kwic, similar, a re-index, a
# sharded index) under valgrind's memcheck: any memory error or leak of
# ours fails it. Slow (minutes), so not part of make test: `make valgrind`.
#
#   tests/valgrind.sh BUILD_DIR BIN_DIR
set -u
BUILD=${1:-build/release}
BIN=${2:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
command -v valgrind >/dev/null 2>&1 || { echo "skip: valgrind is not installed (make deps)"; exit 77; }
VG="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --suppressions=$ROOT/tests/valgrind.supp"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
n=0
run() {
    name=$1; shift
    n=$((n + 1))
    # shellcheck disable=SC2086
    if $VG "$@" >"$T/out" 2>"$T/err"; then
        echo "ok   $name"
    else
        rc=$?
        if [ $rc -eq 9 ] || grep -q '^==[0-9]*==' "$T/err"; then
            echo "FAIL $name: valgrind reports (exit $rc):"
        else
            echo "FAIL $name: exit $rc:"
        fi
        grep -m 40 -E '^==[0-9]+==|error|FAIL' "$T/err" | sed 's/^/     /'
        fail=$((fail + 1))
    fi
}
for t in "$BUILD"/tests/*/test_*; do
    [ -x "$t" ] || continue
    case $t in *.d) continue ;; esac
    run "unit/${t#"$BUILD"/tests/}" "$t"
done
P="$BIN/polsearch"
DB="$T/db"
run "index corpus/" "$P" index --quiet --db "$DB" corpus
run "search" "$P" search --db "$DB" --json --facets "nghị quyết 57"
run "search without diacritics, passages" "$P" search --db "$DB" --unit passage --limit 20 "chuyen doi so quoc gia"
run "search by number" "$P" search --db "$DB" "13/2023/ND-CP"
run "search filters and sort" "$P" search --db "$DB" --type NQ --from 2020 --sort -date "phát triển"
run "show" "$P" show --db "$DB" --json dang/nq-57-2024.txt
run "suggest" "$P" suggest --db "$DB" "nghị qu"
run "cite" "$P" cite --db "$DB" --json "đột phá phát triển khoa học công nghệ đổi mới sáng tạo"
run "kwic" "$P" kwic --db "$DB" --sort date "chuyển đổi số"
run "similar" "$P" similar --db "$DB" dang/nq-57-2024.txt
cp -R corpus "$T/docs"
run "index again, incremental" "$P" index --quiet --db "$DB" "$T/docs"
run "index into 3 shards" "$P" index --quiet --shards 3 --db "$T/shards" corpus
run "search the shards" "$P" search --db "$T/shards" --json --facets "kinh tế tư nhân"
echo "$n runs under valgrind, $fail failed"
[ $fail -eq 0 ]
