#!/bin/sh
# The answer cache of /api/search: a question asked again is answered
# from it (X-Cache: hit) with the same answer; any other parameter, another
# reader's level or a new commit of the index is a different answer, never
# a stale or leaked one; --cache-mb 0 turns it off.
. "$(dirname "$0")/lib/daemon.sh"
DB="$T/db"
mkdir -p "$T/docs"
cp -R "$ROOT/corpus/dang" "$ROOT/corpus/extra" "$T/docs/"
"$P" index --db "$DB" --quiet "$T/docs" || { echo "indexing failed"; exit 1; }
R="extra/kl-85-2024-mat.txt" # restricted
TR="restricted-token-0a1b2c3d4e5f60718293"
printf 'restricted %s cabinet\n' "$(printf '%s\n' "$TR" | "$P" serve --hash-token)" >"$T/tokens"
chmod 600 "$T/tokens"
start_daemon d --db "$DB" --tokens "$T/tokens" --threads 2 || exit 1
wait_healthy && ok "daemon healthy" || { fail "daemon healthy"; finish; exit 1; }

Q="/api/search?q=nghi+quyet+57&limit=5"
expect_http "first search" 200 "$Q"
expect_eq "first: a miss" miss "$(header X-Cache)"
jq 'del(.took_ms)' "$T/body" >"$T/first"
expect_http "same search" 200 "$Q"
expect_eq "again: a hit" hit "$(header X-Cache)"
jq 'del(.took_ms)' "$T/body" >"$T/second"
cmp -s "$T/first" "$T/second" && ok "the same answer" || fail "answers differ: $(diff "$T/first" "$T/second" | head -5)"
expect_eq "a hit has its own took_ms" number "$(jq -r '.took_ms | type' "$T/body")"
expect_eq "a hit is still first 57-NQ/TW" "dang/nq-57-2024.txt" "$(jq -r '.hits[0].id' "$T/body")"
expect_http "another limit" 200 "/api/search?q=nghi+quyet+57&limit=4"
expect_eq "another limit: a miss" miss "$(header X-Cache)"
expect_eq "another limit: 4 hits" 4 "$(jq '.hits | length' "$T/body")"
expect_http "another page" 200 "/api/search?q=nghi+quyet+57&limit=5&offset=1"
expect_eq "another page: a miss" miss "$(header X-Cache)"
expect_http "a filter" 200 "/api/search?q=nghi+quyet+57&limit=5&type=KL"
expect_eq "a filter: a miss" miss "$(header X-Cache)"

# a restricted reader's answer is never served to a public one
RQ="/api/search?q=85-KL%2FTW&limit=5"
expect_http "restricted reader" 200 "$RQ" -H "Authorization: Bearer $TR"
expect_eq "restricted reader sees it" "$R" "$(jq -r '.hits[0].id' "$T/body")"
expect_http "restricted reader again" 200 "$RQ" -H "Authorization: Bearer $TR"
expect_eq "restricted reader: a hit" hit "$(header X-Cache)"
expect_http "public reader" 200 "$RQ"
expect_eq "public reader: a miss, not the restricted answer" miss "$(header X-Cache)"
expect_eq "public reader does not see it" 0 "$(jq --arg r "$R" '[.hits[] | select(.id == $r)] | length' "$T/body")"
expect_http "public reader again" 200 "$RQ"
expect_eq "public reader again: still not there" 0 "$(jq --arg r "$R" '[.hits[] | select(.id == $r)] | length' "$T/body")"

# a new commit: the cached answer is not served any more
expect_http "before the commit" 200 "/api/search?q=13%2F2023%2FN%C4%90-CP&limit=3"
expect_eq "before: cached next time" miss "$(header X-Cache)"
before=$(jq .total "$T/body")
cp -R "$ROOT/corpus/nha-nuoc" "$T/docs/"
"$P" index --db "$DB" --quiet "$T/docs" || fail "re-indexing"
expect_http "after the commit" 200 "/api/search?q=13%2F2023%2FN%C4%90-CP&limit=3"
expect_eq "after: a miss" miss "$(header X-Cache)"
expect_eq "after: the new document first" true "$(jq '.hits[0].id | endswith("nd-13-2023.txt")' "$T/body")"
[ "$(jq .total "$T/body")" -gt "$before" ] && ok "after: more matches" || fail "total $(jq .total "$T/body") not above $before"

# errors are not cached
expect_error "bad limit" 400 EINVAL "/api/search?q=x&limit=0"
expect_error "bad limit again" 400 EINVAL "/api/search?q=x&limit=0"
[ -z "$(header X-Cache)" ] && ok "an error carries no X-Cache" || fail "X-Cache on an error: $(header X-Cache)"

curl -s "$BASE/metrics" >"$T/metrics"
hits=$(sed -n 's/^polsearch_cache_hits_total //p' "$T/metrics")
[ "${hits:-0}" -ge 2 ] && ok "metrics count the hits ($hits)" || fail "metrics: hits [$hits]"
[ "$(sed -n 's/^polsearch_cache_entries //p' "$T/metrics")" -ge 5 ] && ok "metrics count the entries" ||
    fail "metrics: entries $(sed -n 's/^polsearch_cache_entries //p' "$T/metrics")"
# a new question is one miss (looked up on the connection thread, searched
# on a worker: counted once), then one hit
misses=$(sed -n 's/^polsearch_cache_misses_total //p' "$T/metrics")
expect_http "a new question" 200 "/api/search?q=kinh+te+tu+nhan&limit=3"
expect_eq "a new question: a miss" miss "$(header X-Cache)"
expect_http "the new question again" 200 "/api/search?q=kinh+te+tu+nhan&limit=3"
expect_eq "again: a hit" hit "$(header X-Cache)"
curl -s "$BASE/metrics" >"$T/metrics"
expect_eq "one miss counted" $((misses + 1)) "$(sed -n 's/^polsearch_cache_misses_total //p' "$T/metrics")"
expect_eq "one more hit counted" $((hits + 1)) "$(sed -n 's/^polsearch_cache_hits_total //p' "$T/metrics")"
expect_clean_stderr
stop_daemon

# --cache-mb 0: every search is searched
start_daemon off --db "$DB" --cache-mb 0 || exit 1
expect_http "no cache: first" 200 "$Q"
expect_http "no cache: again" 200 "$Q"
[ -z "$(header X-Cache)" ] && ok "no cache: no X-Cache header" || fail "X-Cache: $(header X-Cache)"
curl -s "$BASE/metrics" >"$T/metrics"
expect_eq "no cache: no hits" 0 "$(sed -n 's/^polsearch_cache_hits_total //p' "$T/metrics")"
stop_daemon
expect_status "--cache-mb must be a number" 2 "$P" serve --db "$DB" --cache-mb lots
finish
