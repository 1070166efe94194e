#!/usr/bin/env bash
# cli_readers.sh — searches while ptindex commits: single ptsearch runs
# (words, phrases, wildcards, feedback, --explain, did you mean) and one
# long --batch run, during an incremental reindex of generated articles
# with a small --commit-every (and its final compaction), never fail: each
# search answers from the index before or after a commit, never between.
# Usage: cli_readers.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
source "$(dirname "$0")/lib.sh"

# ARTICLES articles of about 60 words in one JSON Lines file; version V
# changes every article, so the reindex rewrites them all.
ARTICLES=${PT_READERS_ARTICLES:-3000}
generate() {
    python3 - "$1" "$ARTICLES" <<'PY'
import json, random, sys
version, n = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(14)
words = ("oil prices bank rate wheat exports gold dollar yen trade deficit interest rates fell "
         "coffee sugar shares market company profit quarter tonnes minister talks strike port "
         "harbour grain corn soybean cattle copper zinc silver bonds yield inflation growth").split()
names = ["Kerbside", "Zelensky", "Kyiv", "Petrov", "Santos", "Opec", "Bahia", "Lugano"]
for i in range(n):
    body = []
    for s in range(5):
        body.append(" ".join(rng.choice(words) for _ in range(11)) + " " + rng.choice(names) + " said.")
    body.append("Revision %d of report %d." % (version, i))
    print(json.dumps({"id": "r%d" % i, "title": " ".join(rng.choice(words) for _ in range(4)),
                      "source": rng.choice(["Wire", "Daily", "Herald"]), "date": "2025-12-%02d" % (1 + i % 28),
                      "body": " ".join(body)}))
PY
}
D=$TMP/docs IDX=$TMP/index
mkdir -p "$D"
generate 1 >"$D/news.jsonl"
run "$PTINDEX" --index "$IDX" --quiet "$D"
check "the first build succeeds" test "$status" -eq 0
generate 2 >"$D/news.jsonl"

# Queries that take a few milliseconds here: a search slower than the time
# between two commits cannot finish (README), and a phrase of these common
# words reads thousands of passages.
queries=("oil prices" '"report 17"' "gold* silver" "wheat exports -corn" "Zelensky talks"
         "kerbsyde" "title:coffee shares" "copper AND zinc" "report NEAR/3 42" "Kiev")
"$PTINDEX" --index "$IDX" --quiet --commit-every "${PT_READERS_COMMIT_EVERY:-5}" "$D" 2>"$TMP/writer.err" &
writer=$!

# One batch process, its queries fed while the writer runs: the searcher
# is opened once and must follow every commit.
(
    while kill -0 $writer 2>/dev/null; do
        printf '%s\n' "${queries[@]}"
        sleep 0.05
    done | "$PTSEARCH" --index "$IDX" --batch - --format json -n 5 >/dev/null 2>"$TMP/batch.err"
    echo $? >"$TMP/batch.status"
) &
batch=$!

searches=0 errors=0
: >"$TMP/errors"
while kill -0 $writer 2>/dev/null; do
    for q in "${queries[@]}"; do
        extra=()
        [ $((searches % 3)) -eq 0 ] && extra=(--explain)
        "$PTSEARCH" --index "$IDX" -n 5 "${extra[@]}" "$q" >/dev/null 2>"$TMP/s.err"
        if [ $? -ge 2 ]; then
            errors=$((errors + 1))
            cat "$TMP/s.err" >>"$TMP/errors"
        fi
        searches=$((searches + 1))
    done
done
wait $writer
writer_status=$?
wait $batch
echo "searches during the reindex: $searches, failed: $errors"
sort "$TMP/errors" | uniq -c | head -5
head -5 "$TMP/batch.err"
check "the reindex succeeds" test "$writer_status" -eq 0
check "enough searches ran during the reindex ($searches)" test "$searches" -ge 20
check "no search failed during the reindex ($errors of $searches)" test "$errors" -eq 0
check "the batch run never failed (exit $(cat "$TMP/batch.status"))" test "$(cat "$TMP/batch.status")" -le 1
check "the batch run said nothing on stderr" test ! -s "$TMP/batch.err"
check "the reindexed text is found" test "$(hits "$IDX" '"Revision 2 of report 17"')" -ge 1
check "the old text is gone" test "$(hits "$IDX" '"Revision 1 of report 17"')" -eq 0
finish
