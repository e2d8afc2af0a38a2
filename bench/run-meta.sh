#!/bin/sh
# Metadata and structure from the text alone (issue 3's targets): the
# shared laws with every metadata field withheld, each field the parser
# finds compared with the given one (bench/metaeval.c). Prints the
# misses, then the table with the targets.
set -u
. "$(dirname "$0")/lib.sh"
bench_need_data || exit 0
bench_need_prog "$BENCH_BIN/metaeval" || exit 0
"$BENCH_BIN/metaeval" "$CORPUS"
