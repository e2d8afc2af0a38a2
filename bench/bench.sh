#!/bin/sh
# make bench: every benchmark, figures printed (never asserted).
# Runs bench/run-*.sh in name order; each prints its own section and
# skips with a message when what it needs (the shared data, a peer tool)
# is absent.
set -u
BIN=${1:-bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export POLSEARCH_ROOT="$ROOT"
export POLSEARCH_BIN="$ROOT/$BIN"
export POLSEARCH_BUILD="${POLSEARCH_BUILD:-$ROOT/build/release}"
export POLSEARCH_SHARED_DATA="${POLSEARCH_SHARED_DATA:-$ROOT/../shared/data}"
echo "polsearch benchmarks  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores  $(uname -m)"
status=0
for s in "$ROOT"/bench/run-*.sh; do
    [ -f "$s" ] || continue
    echo
    echo "== $(basename "$s" .sh | sed 's/^run-//')"
    sh "$s" || { echo "(this benchmark failed: exit $?)"; status=1; }
done
exit $status
