#!/bin/sh
# Golden test of citations: the citation of every sample document, and of
# an article of each law-like one, exactly as a user would paste it.
# With POLSEARCH_GOLDEN_UPDATE=1 the .out file is rewritten.
set -u
P=${POLSEARCH:?}; ROOT=${POLSEARCH_ROOT:?}
dir=$(dirname "$0")
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$P" index --db "$T/db" --quiet "$ROOT/corpus" || exit 1
jq -r .id "$dir/corpus-meta.jsonl" | sort | while read -r id; do
    printf '%s\t%s\n' "$id" "$("$P" show --db "$T/db" --json "$id" | jq -r .citation)"
done > "$T/out"
# passages: the citation of the first article hit for a few queries
for q in "13/2023/NĐ-CP hiệu lực thi hành" "Điều 5 Luật 60/2024/QH15" "30/2020/NĐ-CP khoản 1 Điều 1" \
         "57-NQ/TW nhiệm vụ giải pháp"; do
    printf '%s\t%s\n' "$q" "$("$P" search --db "$T/db" --json --unit passage --limit 1 -- "$q" | jq -r '.hits[0].citation')"
done >> "$T/out"
if [ "${POLSEARCH_GOLDEN_UPDATE:-}" = 1 ]; then cp "$T/out" "$dir/citations.out"; echo "updated"; exit 0; fi
diff -u "$dir/citations.out" "$T/out" && echo "citations: $(wc -l < "$T/out") match"
