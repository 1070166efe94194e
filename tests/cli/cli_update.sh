#!/usr/bin/env bash
# cli_update.sh — ptindex keeps an index up to date: incremental runs (new,
# changed, touched, deleted files; changed JSON Lines articles), the writer
# lock (exit 75, --wait), --watch, SIGINT, kill -9 at random moments checked
# against a clean build, searches during a reindex, a full disk (ulimit -f),
# --rebuild, --remove and --check.
# The bigger input is generated (tests/fault/gen_data.py), so the test needs
# nothing beside the repository.
# Usage: cli_update.sh PTINDEX PTSEARCH CORPUS_DIR KILL_TRIALS
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3 TRIALS=${4:-20}
. "$(dirname "$0")/lib.sh"

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
check "--watch stops on SIGINT with status 130" test "$wstatus" -eq 130
wait "$waiter"
check "--wait finishes once the lock is free" test $? -eq 0 -a "$(hits "$WIDX" Miami)" -eq 2

# ---- a bigger input: 2200 generated news articles (or fewer under ASan),
# 2.8 MB, the size of the first 3000 Reuters articles this part read
# before; its queries are three common words and two pairs of words
GEN=$TMP/gen
python3 "$(dirname "$0")/../fault/gen_data.py" "$GEN" 2800 17 || exit 2
NEWS=$TMP/news.jsonl
cat "$GEN"/base/a[123].jsonl | head -n "${PT_UPDATE_ARTICLES:-2200}" >"$NEWS"
N=$(wc -l <"$NEWS")
check "the generated input has the articles asked for ($N)" test "$N" -eq "${PT_UPDATE_ARTICLES:-2200}"
CLEAN=$TMP/clean
"$PTINDEX" --index "$CLEAN" --quiet "$NEWS"
sed -n '1p;2p;3p;9p;10p' "$GEN/queries" >"$TMP/queries"
"$PTSEARCH" --index "$CLEAN" --format trec --batch "$TMP/queries" >"$TMP/clean.trec"
# the same by --jobs 1 and 2 (equal scores are ordered by document number,
# which a parallel build assigns part by part)
for j in 1 2; do
    "$PTINDEX" --index "$TMP/clean$j" --quiet --jobs $j "$NEWS"
    "$PTSEARCH" --index "$TMP/clean$j" --format trec --batch "$TMP/queries" >"$TMP/clean$j.trec"
done

# SIGINT commits the finished work and exits 130 (a parallel build merges
# the parts done so far). The input is NEWS five times over, under other
# ids, so that the build is still running when the signal comes. The
# signal waits for work to be finished: the learning pass reads the whole
# input first (seconds on a busy machine), and a signal during it leaves
# nothing to keep. One thread: until a commit shows in the index; parallel
# parts: until the parts exist (learning is over), and a second more.
for k in 1 2 3 4 5; do sed "s/\"id\": *\"/\"id\": \"copy$k-/" "$NEWS"; done >"$TMP/news5.jsonl"
COMMON=$(sed -n '1s/^[^\t]*\t\([^ ]*\).*/\1/p' "$TMP/queries") # a word of every few articles
work_started() {
    if [ "$1" = 1 ]; then "$PTSEARCH" --index "$TMP/int" -n 1 "$COMMON" >/dev/null 2>&1
    else ls -d "$TMP"/int.part-* >/dev/null 2>&1 && sleep 1; fi
}
run_sigint() {
    "$PTINDEX" --index "$TMP/int" --jobs "$1" --commit-every 100 "$TMP/news5.jsonl" 2>"$TMP/int.err" &
    local pid=$! tries=0
    until work_started "$1" || [ $tries -ge 600 ]; do sleep 0.1; tries=$((tries + 1)); done
    kill -INT $pid
    wait $pid
}
for j in 1 2; do
    rm -rf "$TMP/int"
    run_sigint $j; st=$?
    check "--jobs $j: SIGINT exits 130" test "$st" -eq 130
    check "--jobs $j: SIGINT prints the summary" grep -q "interrupted" "$TMP/int.err"
    n_int=$(articles "$TMP/int")
    check "--jobs $j: SIGINT keeps the finished work ($n_int articles)" test "${n_int:-0}" -gt 0
done

# --commit-mb: batches by text size give the same index; a bad size is refused
B=$TMP/by-bytes
"$PTINDEX" --index "$B" --quiet --commit-mb 0.05 "$NEWS"
"$PTSEARCH" --index "$B" --format trec --batch "$TMP/queries" >"$TMP/bytes.trec"
check "--commit-mb 0.05 gives the clean build's results" cmp -s "$TMP/clean.trec" "$TMP/bytes.trec"
"$PTINDEX" --index "$B" --commit-mb 0 "$NEWS" 2>"$TMP/mb.err"; st=$?
check "--commit-mb 0 exits 2" test "$st" -eq 2
check "--commit-mb 0 says why" grep -q "commit-mb needs a positive number" "$TMP/mb.err"

# kill -9 at random moments: each time the index opens, passes --check, and
# holds a committed state (a multiple of the batch; a parallel build: none
# or all); a rerun finishes it and gives exactly the clean build's results.
# Trials alternate --jobs 1 and 2.
RANDOM=42
bad=0
for t in $(seq "$TRIALS"); do
    K=$TMP/kill
    rm -rf "$K"
    J=$((1 + t % 2))
    "$PTINDEX" --index "$K" --quiet --jobs $J --commit-every 100 --commit-mb 1000 "$NEWS" &
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
    "$PTINDEX" --index "$K" --quiet --jobs $J "$NEWS"
    "$PTSEARCH" --index "$K" --format trec --batch "$TMP/queries" >"$TMP/kill.trec"
    if [ "$(articles "$K")" != "$N" ] || ! cmp -s "$TMP/clean$J.trec" "$TMP/kill.trec"; then
        echo "trial $t (--jobs $J): rerun after kill at $n articles differs from a clean build"; bad=$((bad + 1))
    fi
done
check "kill -9 x $TRIALS: every index consistent and finished by a rerun" test "$bad" -eq 0
check "the parts of killed parallel builds are removed by the next run" test -z "$(ls -d "$TMP"/kill.part-* 2>/dev/null)"

# parallel full builds (--jobs): the parts merged give the index one thread
# writes — same counts, article records, sources and scores (documents are
# numbered part by part, so only the order of equal scores may differ) —
# and later incremental runs work on it as on any other.
P=$TMP/par
mkdir -p "$P/docs"
cp "$NEWS" "$P/docs/news.jsonl"
head -n 5 "$NEWS" >>"$P/docs/news.jsonl"    # the same articles again: unchanged
head -n 20 "$NEWS" >"$P/docs/again.jsonl"   # the same ids from another file: updated
cp "$CORPUS"/*.txt "$P/docs/"
summary() { sed -n 's/^ptindex: \([0-9]* added.*passages written\).*/\1/p' "$1"; }
# (no feedback: it learns from the two best passages, and ties among them
# are ordered by document number, which differs between the two builds)
trec_set() { "$PTSEARCH" --index "$1" --no-feedback --format trec -n 100000 --batch "$TMP/queries" | awk '{print $1, $3, $5}' | sort; }
"$PTINDEX" --index "$P/one" --jobs 1 "$P/docs" 2>"$P/one.err"
for j in 2 3; do
    "$PTINDEX" --index "$P/j$j" --jobs "$j" "$P/docs" 2>"$P/j$j.err"; st=$?
    check "--jobs $j exits 0" test "$st" -eq 0
    check "--jobs $j merges $j parts" grep -q "merged $j parts" "$P/j$j.err"
    check "--jobs $j counts as --jobs 1 ($(summary "$P/j$j.err"))" \
        test -n "$(summary "$P/one.err")" -a "$(summary "$P/one.err")" = "$(summary "$P/j$j.err")"
    check "--jobs $j passes --check like --jobs 1" \
        test "$("$PTINDEX" --index "$P/one" --check 2>&1)" = "$("$PTINDEX" --index "$P/j$j" --check 2>&1 | sed "s|$P/j$j|$P/one|g")"
    check "--jobs $j finds what --jobs 1 finds, with the same scores" \
        cmp -s <(trec_set "$P/one") <(trec_set "$P/j$j")
done
check "no part directories are left" test -z "$(ls -d "$P"/*.part-* 2>/dev/null)"
check "the first search results are non-empty" test "$(trec_set "$P/one" | wc -l)" -gt 100
run "$PTINDEX" --index "$P/j2" "$P/docs"
check "after --jobs 2, a rerun reads nothing again" has "0 added, 0 updated, 0 removed, $(($(articles "$P/one") + 20)) unchanged" "$err"
printf '{"id":"p1","body":"Parallel parts merged at Quokkaville."}\n' >"$P/docs/more.jsonl"
rm "$P/docs"/000_*.txt
run "$PTINDEX" --index "$P/j2" "$P/docs"
check "after --jobs 2, new and deleted files are updated" has "1 added, 0 updated, 1 removed" "$err"
check "... and the new article is found" test "$(hits "$P/j2" Quokkaville)" -eq 1
run "$PTINDEX" --index "$P/j2" --jobs 2 --rebuild
check "--rebuild --jobs 2 from the recorded roots" test "$status" -eq 0 && has "merged 2 parts" "$err"
check "--rebuild --jobs 2 leaves a checked index" test "$(articles "$P/j2")" -eq "$(articles "$P/one")" -a "$(hits "$P/j2" Quokkaville)" -eq 1
run "$PTINDEX" --index "$P/j2" --jobs 0 "$P/docs"
check "--jobs 0 is refused" test "$status" -eq 2 && has "jobs needs a number" "$err"

# searches while a reindex runs never fail
S=$TMP/search-during
"$PTINDEX" --index "$S" --quiet "$CORPUS"
"$PTINDEX" --index "$S" --quiet --commit-every 50 "$NEWS" &
pid=$!
searches=0 errors=0
while kill -0 $pid 2>/dev/null; do
    "$PTSEARCH" --index "$S" -n 5 "$(sed -n 1p "$TMP/queries" | cut -f2)" >/dev/null 2>"$TMP/s.err"
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

finish
