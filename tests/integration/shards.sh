#!/bin/sh
# Sharding: --shards N builds N shards named by a stub file; a search over
# them, local or served by xapian-tcpsrv, gives exactly what one index
# gives (ids, order, scores, totals, facets); a shard that does not answer
# is named in the warnings while the others answer (also when it dies
# under a running searcher); --compact keeps every result; a replica made
# by xapian-replicate answers the same.
. "$(dirname "$0")/lib.sh"
command -v xapian-tcpsrv >/dev/null || { echo "skipped: xapian-tcpsrv is missing (make deps)"; exit 77; }
pids=""
cleanup() {
    # xapian-tcpsrv signals its process group on SIGTERM: each runs in a
    # group of its own (setsid), and the group is stopped with SIGKILL
    for p in $pids; do kill -9 "-$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

"$P" index --db "$T/one" --quiet "$ROOT/corpus" || exit 1
"$P" index --db "$T/sh" --shards 3 --quiet "$ROOT/corpus" || exit 1
expect_eq "three shards named by the stub" "auto shard-00,auto shard-01,auto shard-02" \
    "$(paste -sd, "$T/sh/shards.stub")"
total=0
for i in 0 1 2; do
    n=$(xapian-delve -t Kd "$T/sh/shard-0$i" | sed -n 's/.*termfreq \([0-9]*\).*/\1/p')
    [ "${n:-0}" -gt 0 ] || fail "shard $i holds no document"
    total=$((total + ${n:-0}))
done
expect_eq "every document in exactly one shard" "44" "$total"

same() { # DESC DB-A DB-B QUERY UNIT
    a=$("$P" search --db "$2" --json --facets --unit "$5" --limit 30 -- "$4" | jq -c '[.total, [.hits[] | [.id, .passage.ordinal, .score]], .facets]')
    b=$("$P" search --db "$3" --json --facets --unit "$5" --limit 30 -- "$4" | jq -c '[.total, [.hits[] | [.id, .passage.ordinal, .score]], .facets]')
    expect_eq "$1" "$a" "$b"
}
# (type:nq and year:2024 alone match many records at one weight: the page
# must be cut in the same place)
for q in "nghị quyết 57" "chuyen doi so" "kinh tế tư nhân" "57-NQ/TW" '"khoa học và công nghệ"' \
         "type:nq" "year:2024 -tư"; do
    same "local shards = one index: $q (documents)" "$T/one" "$T/sh" "$q" document
    same "local shards = one index: $q (passages)" "$T/one" "$T/sh" "$q" passage
done
expect_eq "shown the same" "$("$P" show --db "$T/one" --json dang/nq-57-2024.txt | jq -c '[.number, .text | length]')" \
    "$("$P" show --db "$T/sh" --json dang/nq-57-2024.txt | jq -c '[.number, .text | length]')"

# an incremental run keeps each document in its shard
touch "$ROOT/corpus/dang/nq-57-2024.txt" 2>/dev/null
"$P" index --db "$T/sh" "$ROOT/corpus" 2>"$T/err"
grep -q "^0 documents indexed.*44 unchanged" "$T/err" && ok "incremental run over shards" || fail "incremental: $(cat "$T/err")"
expect_status "other shard count refused" 1 "$P" index --db "$T/sh" --shards 2 "$ROOT/corpus"
expect_status "sharding a single index refused" 1 "$P" index --db "$T/one" --shards 2 "$ROOT/corpus"

# remote shards through xapian-tcpsrv
base=$(( 20000 + $$ % 20000 ))
: > "$T/remote.stub"
for i in 0 1 2; do
    port=$((base + i))
    setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 "$T/sh/shard-0$i" >"$T/tcpsrv$i.log" 2>&1 &
    pids="$pids $!"
    echo "remote 127.0.0.1:$port" >> "$T/remote.stub"
done
for i in 0 1 2; do
    n=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$((base + i))") 2>/dev/null; do
        n=$((n + 1)); [ $n -gt 50 ] && break; sleep 0.1
    done
done
for q in "nghị quyết 57" "chuyen doi so" "bảo vệ dữ liệu cá nhân"; do
    same "remote shards = one index: $q" "$T/one" "$T/remote.stub" "$q" document
done
expect_eq "remote show" "57-NQ/TW" "$("$P" show --db "$T/remote.stub" --json dang/nq-57-2024.txt | jq -r .number)"

# a shard that dies under a running searcher (batch mode keeps it open)
mkfifo "$T/in"
"$P" search --db "$T/remote.stub" --batch "$T/in" > "$T/batch.out" 2>"$T/batch.err" &
bpid=$!
exec 4>"$T/in"
echo "chuyen doi so" >&4
n=0; until [ -s "$T/batch.out" ] || [ $n -gt 50 ]; do sleep 0.1; n=$((n + 1)); done
# xapian-tcpsrv serves each connection in a child: stop the whole group
first=$(echo $pids | cut -d' ' -f2)
kill -9 "-$first"
echo "chuyen doi so" >&4
exec 4>&-
wait $bpid
expect_eq "two answers" "2" "$(wc -l < "$T/batch.out")"
expect_eq "the second names the dead shard" "true" \
    "$(sed -n 2p "$T/batch.out" | jq '.warnings | map(test("did not answer")) | any')"
expect_eq "the second still has hits" "true" "$(sed -n 2p "$T/batch.out" | jq '.total > 0')"
# a fresh searcher: the dead shard is named, the others answer
r=$("$P" search --db "$T/remote.stub" --json "chuyen doi so")
expect_eq "down shard named" "true" "$(printf '%s' "$r" | jq '.warnings | length == 1')"
for p in $pids; do kill -9 "-$p" 2>/dev/null; done
pids=""
expect_status "no shard answers" 1 "$P" search --db "$T/remote.stub" x

# compaction keeps every result
cp -R "$T/one" "$T/compacted"
"$P" index --db "$T/compacted" --compact "$ROOT/corpus" 2>"$T/err"
grep -q "compacted" "$T/err" && ok "compacted" || fail "compact: $(cat "$T/err")"
same "compacted = before" "$T/one" "$T/compacted" "kinh tế tư nhân" passage
xapian-check "$T/compacted" >/dev/null 2>&1 && ok "compacted index checks" || fail "xapian-check after compaction"

# a read replica made by xapian-replicate
mkdir -p "$T/master"
cp -R "$T/one" "$T/master/idx"
rport=$((base + 10))
setsid xapian-replicate-server -I 127.0.0.1 -p "$rport" -o "$T/master" >"$T/repl-server.log" 2>&1 &
pids="$pids $!"
sleep 0.3
xapian-replicate -h 127.0.0.1 -p "$rport" -m idx -o -q "$T/replica" >"$T/repl.log" 2>&1
same "replica = master" "$T/one" "$T/replica" "nghị quyết 57" document
finish
