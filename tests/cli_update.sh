#!/usr/bin/env bash
# cli_update.sh — ptindex keeps an index up to date: incremental runs (new,
# changed, touched, deleted files; changed JSON Lines articles), the writer
# lock (exit 75, --wait), --watch, SIGINT, kill -9 at random moments checked
# against a clean build, searches during a reindex, a full disk (ulimit -f),
# --rebuild, --remove and --check.
# Usage: cli_update.sh PTINDEX PTSEARCH CORPUS_DIR SHARED_DIR KILL_TRIALS
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3 SHARED=$4 TRIALS=${5:-20}
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
passed=0 failed=0
check() {
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
run() { "$@" >"$TMP/out" 2>"$TMP/err"; status=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
has() { grep -q -- "$1" <<<"$2"; }
hits() { "$PTSEARCH" --index "$1" --format json -n 100 -k 0 "${@:2}" 2>/dev/null | grep -c '"rank"'; }
articles() { "$PTINDEX" --index "$1" --check 2>/dev/null | sed -n 's/^\([0-9]*\) articles.*/\1/p'; }

# ---- incremental runs over a directory
D=$TMP/docs IDX=$TMP/idx
mkdir -p "$D"
cp "$CORPUS"/*.txt "$D"/
printf '{"id":"w1","title":"Grain","body":"Exporters welcomed the grain corridor."}\n{"id":"w2","title":"Quotas","body":"Farmers protested the quotas."}\n' >"$D/wire.jsonl"
run "$PTINDEX" --index "$IDX" "$D"
check "first run adds everything" has "7 added, 0 updated, 0 removed, 0 unchanged" "$err"
run "$PTINDEX" --index "$IDX" "$D"
check "second run reads nothing again" has "0 added, 0 updated, 0 removed, 7 unchanged" "$err"
touch "$D"/000_*.txt
run "$PTINDEX" --index "$IDX" "$D"
check "a touched file with the same content is unchanged" has "0 added, 0 updated, 0 removed, 7 unchanged" "$err"
printf '\nA late paragraph mentions the Zaporizhzhia plant.\n' >>"$D"/001_*.txt
printf 'New title\n\nA new article about Kherson.\n' >"$D/new.txt"
rm "$D"/002_*.txt
run "$PTINDEX" --index "$IDX" "$D"
check "changed, new and deleted files" has "1 added, 1 updated, 1 removed, 5 unchanged" "$err"
check "the changed text is searchable" test "$(hits "$IDX" Zaporizhzhia)" -eq 1
check "the deleted file's passages are gone" test "$(hits "$IDX" Umerov)" -eq 1  # 003 still quotes him
printf '{"id":"w1","title":"Grain","body":"Exporters welcomed the grain corridor."}\n{"id":"w2","title":"Quotas","body":"Farmers protested the import quotas at Lviv."}\n{"id":"w3","body":"Rail links to Chernihiv reopened."}\n' >"$D/wire.jsonl"
run "$PTINDEX" --index "$IDX" "$D"
check "JSON Lines: changed article replaced, new one added, others unchanged" has "1 added, 1 updated, 0 removed, 6 unchanged" "$err"
printf '{"id":"w3","body":"Rail links to Chernihiv reopened."}\n' >"$D/wire.jsonl"
run "$PTINDEX" --index "$IDX" "$D"
check "JSON Lines: articles gone from the file are removed" has "0 added, 0 updated, 2 removed" "$err"
check "removed JSON article not found" test "$(hits "$IDX" Lviv)" -eq 0
run "$PTINDEX" --index "$IDX" --check
check "--check passes after updates" test "$status" -eq 0
check "--check counts the articles" has "6 articles" "$out"

# ---- --remove by id and by path, --rebuild
run "$PTINDEX" --index "$IDX" --remove w3 "$D/new.txt"
check "--remove by id and by path" test "$status" -eq 0 -a "$(hits "$IDX" Chernihiv Kherson)" -eq 0
run "$PTINDEX" --index "$IDX" --remove no-such-id
check "--remove of an unknown id exits 1 naming it" test "$status" -eq 1 && has "no-such-id" "$err"
run "$PTINDEX" --index "$IDX" --rebuild
check "--rebuild from the recorded roots" test "$status" -eq 0
check "--rebuild restores removed sources from the files" test "$(hits "$IDX" Chernihiv Kherson)" -eq 2
check "--rebuild leaves a checked index" test "$(articles "$IDX")" -eq 6

# ---- the writer lock, --wait, --watch
W=$TMP/watched WIDX=$TMP/widx
mkdir -p "$W"
"$PTINDEX" --index "$WIDX" --watch --quiet "$W" 2>"$TMP/watch.err" &
watcher=$!
sleep 1
run "$PTINDEX" --index "$WIDX" "$CORPUS"
check "a second writer exits 75" test "$status" -eq 75
check "the message says the index is locked" has "locked by another writer" "$err"
printf 'Watched\n\nA dispatch from Mykolaiv arrived.\n' >"$W/live.txt"
found=0
for _ in $(seq 30); do
    [ "$(hits "$WIDX" Mykolaiv)" -eq 1 ] && { found=1; break; }
    sleep 0.2
done
check "--watch indexes a new file within seconds" test "$found" -eq 1
"$PTINDEX" --index "$WIDX" --wait --quiet "$CORPUS" &
waiter=$!
sleep 0.5
check "--wait waits while the lock is held" kill -0 "$waiter"
kill -INT "$watcher"; wait "$watcher"; wstatus=$?
check "--watch stops on SIGINT with status 130 or 0" test "$wstatus" -eq 130 -o "$wstatus" -eq 0
wait "$waiter"
check "--wait finishes once the lock is free" test $? -eq 0 -a "$(hits "$WIDX" Miami)" -eq 2

# ---- a bigger input: the first 3000 Reuters articles (or fewer under ASan)
NEWS=$TMP/news.jsonl
zcat "$SHARED/data/news/reuters21578.jsonl.gz" | head -n "${PT_UPDATE_ARTICLES:-3000}" >"$NEWS"
N=$(wc -l <"$NEWS")
CLEAN=$TMP/clean
"$PTINDEX" --index "$CLEAN" --quiet "$NEWS"
printf 'oil prices\ncoffee exports brazil\ninterest rates\n' >"$TMP/queries"
"$PTSEARCH" --index "$CLEAN" --format trec --batch "$TMP/queries" >"$TMP/clean.trec"

# SIGINT commits the finished work and exits 130
run_sigint() {
    "$PTINDEX" --index "$TMP/int" --commit-every 100 "$NEWS" 2>"$TMP/int.err" &
    local pid=$!
    sleep 0.7
    kill -INT $pid
    wait $pid
}
run_sigint; st=$?
check "SIGINT exits 130" test "$st" -eq 130
check "SIGINT prints the summary" grep -q "interrupted" "$TMP/int.err"
n_int=$(articles "$TMP/int")
check "SIGINT keeps the finished work ($n_int articles)" test "${n_int:-0}" -gt 0

# --commit-mb: batches by text size give the same index; a bad size is refused
B=$TMP/by-bytes
"$PTINDEX" --index "$B" --quiet --commit-mb 0.05 "$NEWS"
"$PTSEARCH" --index "$B" --format trec --batch "$TMP/queries" >"$TMP/bytes.trec"
check "--commit-mb 0.05 gives the clean build's results" cmp -s "$TMP/clean.trec" "$TMP/bytes.trec"
"$PTINDEX" --index "$B" --commit-mb 0 "$NEWS" 2>"$TMP/mb.err"; st=$?
check "--commit-mb 0 exits 2" test "$st" -eq 2
check "--commit-mb 0 says why" grep -q "commit-mb needs a positive number" "$TMP/mb.err"

# kill -9 at random moments: each time the index opens, passes --check, and
# holds a committed state (a multiple of the batch); a rerun finishes it
# and gives exactly the clean build's results.
RANDOM=42
bad=0
for t in $(seq "$TRIALS"); do
    K=$TMP/kill
    rm -rf "$K"
    "$PTINDEX" --index "$K" --quiet --commit-every 100 --commit-mb 1000 "$NEWS" &
    pid=$!
    sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    n=$(articles "$K")
    if [ -z "$n" ] && [ -d "$K" ] && [ -f "$K/iamglass" ]; then
        echo "trial $t: index does not pass --check"; bad=$((bad + 1)); continue
    fi
    n=${n:-0}
    if [ $((n % 100)) -ne 0 ] && [ "$n" -ne "$N" ]; then
        echo "trial $t: $n articles is not a committed state"; bad=$((bad + 1)); continue
    fi
    "$PTINDEX" --index "$K" --quiet "$NEWS"
    "$PTSEARCH" --index "$K" --format trec --batch "$TMP/queries" >"$TMP/kill.trec"
    if [ "$(articles "$K")" != "$N" ] || ! cmp -s "$TMP/clean.trec" "$TMP/kill.trec"; then
        echo "trial $t: rerun after kill at $n articles differs from a clean build"; bad=$((bad + 1))
    fi
done
check "kill -9 x $TRIALS: every index consistent and finished by a rerun" test "$bad" -eq 0

# searches while a reindex runs never fail
S=$TMP/search-during
"$PTINDEX" --index "$S" --quiet "$CORPUS"
"$PTINDEX" --index "$S" --quiet --commit-every 50 "$NEWS" &
pid=$!
searches=0 errors=0
while kill -0 $pid 2>/dev/null; do
    "$PTSEARCH" --index "$S" -n 5 oil prices >/dev/null 2>"$TMP/s.err"
    [ $? -le 1 ] || { errors=$((errors + 1)); cat "$TMP/s.err"; }
    searches=$((searches + 1))
done
wait $pid
echo "searches during reindex: $searches, errors: $errors"
check "searches during a reindex never fail ($searches run)" test "$errors" -eq 0 -a "$searches" -gt 0

# a full disk (file-size limit): clear error, exit 2, index still at its last commit
F=$TMP/full
"$PTINDEX" --index "$F" --quiet "$CORPUS"
size_kb=$(du -sk "$F" | cut -f1)
(ulimit -f $((size_kb + 64)); "$PTINDEX" --index "$F" --quiet --commit-every 500 "$NEWS" 2>"$TMP/full.err"); st=$?
check "a full disk ends with exit 2" test "$st" -eq 2
check "a full disk gives a clear error" grep -Eq "File too large|No space left" "$TMP/full.err"
run "$PTINDEX" --index "$F" --check
check "after a full disk the index passes --check" test "$status" -eq 0
check "after a full disk the index is still searchable" test "$(hits "$F" Miami)" -eq 2

echo "$passed passed, $failed failed"
test "$failed" -eq 0
