#!/bin/bash
# shards_remote.sh — an index split into three shards, each served by the
# stock xapian-tcpsrv on a loopback port this test picks: ptsearch over the
# stub of the three remote shards ranks as over the unsharded index
# (phrases and NEAR too, their checks run by ptsearch on the passages'
# text), --explain works, titles come from every shard; a killed server is named (exit 2),
# --partial answers from the others. Part 1 runs on a generated corpus;
# part 2 runs 200 queries on Reuters (skipped without ../shared; a subset
# of it under ASan). The servers are stopped on every exit path, and the
# test checks that none is left.
# Usage: shards_remote.sh PTINDEX PTSEARCH REUTERS_JSONL_GZ SANITIZED(0|1)
# Every search runs with --timeout 0: under ASan on a loaded machine a
# search can pass the default 5 s, and a result cut short is no ranking.
set -u
PTINDEX=$1 PTSEARCH=$2 REUTERS=$3 SANITIZED=${4:-0}
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

servers=() ports=()
stop_servers() {
    # SIGTERM: xapian-tcpsrv then ends its process group (the children
    # serving connections); setsid gave it a group of its own.
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null; done
    servers=()
}
trap 'stop_servers; cleanup' EXIT
trap 'exit 2' INT TERM HUP

# serve DIR: starts xapian-tcpsrv on a free loopback port (another on a
# clash), waits until it accepts, appends its pid and port.
serve() {
    local dir=$1 port pid
    for _ in $(seq 20); do
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$dir" </dev/null >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 100); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                servers+=("$pid") ports+=("$port")
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break # it could not bind: another port
            sleep 0.05
        done
        kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    done
    echo "cannot start xapian-tcpsrv"
    return 1
}

# shard NAME INPUT...: the unsharded index NAME.full, the sharded one NAME
# (ptindex --shards 3: NAME/shard-0..2 and its stub) and NAME.remote, the
# stub of its three shards each served by a xapian-tcpsrv.
shard() {
    local name=$1 i; shift
    "$PTINDEX" --index "$TMP/$name.full" "$@" 2>/dev/null || return 1
    "$PTINDEX" --shards 3 --index "$TMP/$name" "$@" 2>/dev/null || return 1
    : >"$TMP/$name.remote"
    for i in 0 1 2; do
        serve "$TMP/$name/shard-$i" || return 1
        echo "remote 127.0.0.1:${ports[-1]}" >>"$TMP/$name.remote"
    done
}

# same_ranking A B [TOLERANCE]: two JSON outputs of ptsearch rank the same
# articles with the same scores (relative tolerance, default 1e-9), query
# by query; prints the queries that differ.
same_ranking() {
    python3 "$HERE/shards_compare.py" "$1" "$2" "${3:-1e-9}"
}

check "xapian-tcpsrv is installed (xapian-tools)" test -x "$(command -v xapian-tcpsrv)"

# ---- Part 1: a generated corpus (no ../shared needed)
python3 "$HERE/shards_compare.py" --corpus 120 >"$TMP/small.jsonl"
check "part 1: three shards served" shard small "$TMP/small.jsonl"
cat >"$TMP/small.queries" <<'EOF'
1	"central bank"
2	"bank central"
3	harbour "interest rates"
4	"central bank" -"interest rates"
5	copper prices
6	title:harbour "central bank"
7	source:northern "grain exports"
8	"grain exports" date:2024-01-01..2024-03-31
9	"the central bank"
10	zzyzx "central bank"
EOF
for idx in small.full small small.remote; do
    "$PTSEARCH" --index "$TMP/$idx" --timeout 0 --batch "$TMP/small.queries" --format json -n 10 >"$TMP/$idx.out" 2>"$TMP/$idx.err"
done
check "part 1: the remote shards answer" test -s "$TMP/small.remote.out" -a ! -s "$TMP/small.remote.err"
check "part 1: phrases were found" grep -q '"qid":"1"' "$TMP/small.remote.out"
check "part 1: remote shards rank as local ones" same_ranking "$TMP/small.out" "$TMP/small.remote.out"
check "part 1: remote shards rank as the unsharded index" same_ranking "$TMP/small.full.out" "$TMP/small.remote.out"
for q in 'bank NEAR/2 central' 'copper NEAR/4 prices harbour'; do
    run "$PTSEARCH" --timeout 0 --index "$TMP/small.full" --format json "$q"; echo "$out" >"$TMP/near.full"
    run "$PTSEARCH" --timeout 0 --index "$TMP/small.remote" --format json "$q"; echo "$out" >"$TMP/near.remote"
    check "part 1: $q: exit 0 on remote shards" test "$status" -eq 0
    check "part 1: $q: the unsharded ranking" same_ranking "$TMP/near.full" "$TMP/near.remote"
done
run "$PTSEARCH" --timeout 0 --index "$TMP/small.remote" --explain -n 3 'harbour "central bank"'
check "part 1: --explain on remote shards" test "$status" -eq 0
check "part 1: --explain names the phrase" grep -q 'phrase: "central bank"' <<<"$out"
remote_explain=$out
run "$PTSEARCH" --timeout 0 --index "$TMP/small.full" --explain -n 3 'harbour "central bank"'
check "part 1: --explain's parts as on the unsharded index" \
    test "$(grep '^ *[=+]' <<<"$out")" = "$(grep '^ *[=+]' <<<"$remote_explain")"
# Article records are metadata of the shard holding the article (Xapian
# reads only the first shard's): every hit has its title.
check "part 1: every hit has its article's title" \
    test "$(grep -c '"rank"' "$TMP/small.remote.out")" -eq "$(grep -c '"title":"[A-Z]' "$TMP/small.remote.out")"

# Copies (issue 19): a third of the articles carried by three more outlets,
# one of them with a word changed: grouping (its windows widened by the
# copies) and a phrase on remote shards (checked by ptsearch) rank and
# group as on the index.
python3 - "$TMP/small.jsonl" >"$TMP/copies.jsonl" <<'EOF'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    print(line, end="")
    a = json.loads(line)
    for j in range(3 if i % 3 == 0 else 0):
        body = a["body"].replace(" prices ", " costs ", 1) if j == 2 else a["body"]
        print(json.dumps(dict(a, id="%s-c%d" % (a["id"], j), source="outlet%d" % j, body=body)))
EOF
check "part 1: copies: three shards served" shard copies "$TMP/copies.jsonl"
for idx in copies.full copies.remote; do
    "$PTSEARCH" --index "$TMP/$idx" --timeout 0 --batch "$TMP/small.queries" --format json -n 10 >"$TMP/$idx.out" 2>/dev/null
done
check "part 1: copies: grouped" grep -q '"also_in"' "$TMP/copies.full.out"
check "part 1: copies: remote shards rank and group as the index" \
    same_ranking "$TMP/copies.full.out" "$TMP/copies.remote.out"

# A server killed: named, exit 2; --partial answers from the other two.
kill -KILL "${servers[1]}"; wait "${servers[1]}" 2>/dev/null
run "$PTSEARCH" --timeout 0 --index "$TMP/small.remote" '"central bank"'
check "killed server: exit 2" test "$status" -eq 2
check "killed server: named" grep -q "127.0.0.1:${ports[1]} cannot be reached" <<<"$err"
run "$PTSEARCH" --timeout 0 --index "$TMP/small.remote" --partial --format json -n 10 '"central bank"'
check "--partial: exit 0" test "$status" -eq 0
check "--partial: a warning naming it" grep -q "warning.*127.0.0.1:${ports[1]}" <<<"$err"
check "--partial: a JSON line naming it" grep -q "\"unreachable\":\"127.0.0.1:${ports[1]}\"" <<<"$out"
echo "$out" >"$TMP/partial.out"
printf 'auto small/shard-0\nauto small/shard-2\n' >"$TMP/two.local"
"$PTSEARCH" --timeout 0 --index "$TMP/two.local" --format json -n 10 '"central bank"' >"$TMP/two.out" 2>/dev/null
check "--partial: the ranking of the other two shards" same_ranking "$TMP/two.out" "$TMP/partial.out"
stop_servers
for p in "${ports[@]}"; do
    check "part 1: no server left on port $p" bash -c "! pgrep -f 'xapian-tcpsrv.*--port $p( |\$)' >/dev/null"
done
ports=()

# ---- Part 2: 200 queries on Reuters
if [ ! -r "$REUTERS" ]; then
    echo "SKIP part 2: no $REUTERS (a plain clone)"
    finish; exit
fi
input=$REUTERS
if [ "$SANITIZED" = 1 ]; then # ASan: a fifth of Reuters (the whole takes minutes)
    zcat "$REUTERS" | head -4000 >"$TMP/reuters.jsonl"; input=$TMP/reuters.jsonl
fi
check "part 2: three shards served" shard reuters "$input"
zcat -f "$input" | head -3000 >"$TMP/first.jsonl"
python3 "$HERE/shards_compare.py" --queries 200 "$TMP/first.jsonl" >"$TMP/reuters.queries"
if [ "$SANITIZED" = 1 ]; then # ASan: 60 of them
    head -60 "$TMP/reuters.queries" >"$TMP/q" && mv "$TMP/q" "$TMP/reuters.queries"
fi
# Four batches at a time: a remote search waits on its round trips more
# than it computes. NEAR is a word in batch mode: those run one by one.
for k in 0 1 2 3; do
    grep -v NEAR "$TMP/reuters.queries" | awk -v k=$k 'NR % 4 == k' >"$TMP/batch$k.queries"
done
grep NEAR "$TMP/reuters.queries" >"$TMP/near.queries"
search_all() { # INDEX: the queries' JSON hits in $TMP/INDEX.out
    local idx=$1 k pids=()
    for k in 0 1 2 3; do
        "$PTSEARCH" --index "$TMP/$idx" --timeout 0 --batch "$TMP/batch$k.queries" --format json -n 10 \
            >"$TMP/$idx.$k" 2>/dev/null &
        pids+=($!)
    done
    while IFS=$'\t' read -r qid q; do
        "$PTSEARCH" --index "$TMP/$idx" --timeout 0 --format json -n 10 "$q" 2>/dev/null |
            sed "s/^{/{\"qid\":\"$qid\",/"
    done <"$TMP/near.queries" >"$TMP/$idx.near"
    wait "${pids[@]}" # (a bare wait would wait for the servers)
    cat "$TMP/$idx".[0-3] "$TMP/$idx.near" >"$TMP/$idx.out"
}
search_all reuters.full
search_all reuters.remote
check "part 2: the queries found passages" \
    test "$(grep -c '"rank"' "$TMP/reuters.remote.out")" -gt "$((5 * $(wc -l <"$TMP/reuters.queries")))"
check "part 2: remote shards rank as the unsharded index" same_ranking "$TMP/reuters.full.out" "$TMP/reuters.remote.out"
stop_servers
for p in "${ports[@]}"; do
    check "part 2: no server left on port $p" bash -c "! pgrep -f 'xapian-tcpsrv.*--port $p( |\$)' >/dev/null"
done
finish
