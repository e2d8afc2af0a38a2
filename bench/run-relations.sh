#!/bin/sh
# Relations: how many of the document numbers the shared corpus's texts
# mention resolve to a document of the corpus, by kind of relation, and
# how many documents are cited by another.
set -u
. "$(dirname "$0")/lib.sh"
bench_need_data || exit 0
command -v jq >/dev/null || { echo "skipped: jq is missing (make deps)"; exit 0; }
bench_eval_db || exit 1
DATA=$POLSEARCH_SHARED_DATA BUILD=$POLSEARCH_BUILD BIN=$POLSEARCH_BIN DB=$EVAL_DB
jq -r .id "$DATA/corpus.jsonl" | while read -r id; do
    "$BIN/polsearch" show --db "$DB" --json "$id" |
        jq -c '{rels: [.relations[] | {kind, resolved: (.target != null), by_title: (.by_title // false)}], cited: (.cited_by | length > 0)}'
done | jq -rs '
    (map(.rels) | add) as $r
    | "mentions of document numbers in the texts: \($r | map(select(.by_title | not)) | length)",
      "resolved to an indexed document:           \($r | map(select(.resolved and (.by_title | not))) | length)",
      "quoted titles resolved:                    \($r | map(select(.by_title)) | length)",
      "by kind (resolved / all):",
      ($r | map(select(.by_title | not)) | group_by(.kind)[]
          | "  \(.[0].kind): \(map(select(.resolved)) | length) / \(length)"),
      "documents cited by another:                \(map(select(.cited)) | length) of \(length)"'
