#!/usr/bin/env bash
# cli_copies.sh — exact copies (issue 19, item 4): articles given again
# under other ids (twice more, in other files) are stored once, so the
# index of the copies ranks as the index without them (the same leaders,
# scores within 1e-9)
# and lists the copies beside each leader; a parallel build (--jobs 2),
# a sharded one (--shards 3) and an incremental one agree; when the file
# of the originals goes, their copies take the passages over; --check
# passes after every step, and after a kill and a rerun. The corpus is
# generated here.
# Usage: cli_copies.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
HERE=$(dirname "$0")
. "$HERE/lib.sh"
ONE=$TMP/one MANY=$TMP/many
mkdir -p "$ONE" "$MANY"

# gen.py OUT COPIES: 60 articles in OUT/a-orig.jsonl; with COPIES, copy k of
# each in OUT/b-copy-k.jsonl as "ID#k".
cat >"$TMP/gen.py" <<'EOF'
import json, random, sys
out, copies = sys.argv[1], int(sys.argv[2])
rng = random.Random(4)
vocab = ("grain wheat export quota farmer harbour ship tanker crude refinery bank rate inflation "
         "election minister vote parliament coalition drought harvest storm flood court ruling appeal "
         "tariff steel copper mine strike union wage pension budget deficit bond yield currency").split()
def sentence():
    return " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + "."
arts = [{"id": "a%02d" % i, "title": " ".join(rng.choice(vocab) for _ in range(4)).title(),
         "source": ["Wire", "Post", "Times"][i % 3], "date": "2026-11-%02d" % (1 + i % 28),
         "body": [" ".join(sentence() for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(1, 4))]}
        for i in range(60)]
def write(path, items):
    open(path, "w").write("".join(json.dumps(a) + "\n" for a in items))
write(out + "/a-orig.jsonl", arts)
for k in range(1, copies + 1):
    items = []
    for a in arts:
        items.append(dict(a, id="%s#%d" % (a["id"], k)))
    write("%s/b-copy-%d.jsonl" % (out, k), items)
EOF
python3 "$TMP/gen.py" "$ONE" 0
python3 "$TMP/gen.py" "$MANY" 2

QUERIES=("grain harbour" "tanker crude refinery" "storm court ruling" "coalition vote" "pension budget deficit"
         "copper mine strike" "election" "bond yield currency" "drought harvest" "steel tariff")
printf '%s\n' "${QUERIES[@]}" >"$TMP/queries"
# search INDEX OUT: the queries' hits as JSON (one --batch run).
search() { "$PTSEARCH" --index "$1" --format json -n 10 --batch "$TMP/queries" >"$2" 2>/dev/null; }
# leaders_of JSON: the leaders' ids, copies' suffix "#k" taken off.
leaders_of() { sed -n 's/^{"rank":[0-9]*,[^}]*"article":"\([^"#]*\)[^"]*".*/\1/p' "$1"; }

"$PTINDEX" --index "$TMP/i1" --quiet "$ONE"
search "$TMP/i1" "$TMP/one.json"
for j in 1 2; do
    run "$PTINDEX" --index "$TMP/j$j" --jobs $j "$MANY"
    check "--jobs $j: the build succeeds" test "$status" -eq 0
    run "$PTINDEX" --index "$TMP/j$j" --check
    check "--jobs $j: --check passes" test "$status" -eq 0
    check "--jobs $j: 180 articles" has "^180 articles" "$out"
    search "$TMP/j$j" "$TMP/j$j.json"
    check "--jobs $j: the exact copies rank as the index without them" \
        python3 "$HERE/same_hits.py" "$TMP/one.json" "$TMP/j$j.json" "--jobs $j"
done
passages1=$("$PTINDEX" --index "$TMP/i1" --check 2>/dev/null | sed -n 's/.* \([0-9]*\) passages.*/\1/p')
passages=$("$PTINDEX" --index "$TMP/j2" --check 2>/dev/null | sed -n 's/.* \([0-9]*\) passages.*/\1/p')
check "exact copies hold no passages ($passages1 and $passages)" test "${passages:-0}" -eq "${passages1:-1}"

# The leaders list their copies.
search "$TMP/j2" "$TMP/j2.json"
python3 - "$TMP/j2.json" >"$TMP/also" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    h = json.loads(line)
    if h["rank"] == 1:
        print(h["article"], " ".join(sorted(a["article"] for a in h.get("also_in", []))))
EOF
bad=$(awk '{ if ($2 != $1"#1" || $3 != $1"#2") print }' "$TMP/also" | head -3)
check "each first hit lists its two exact copies ($bad)" test -z "$bad" -a -s "$TMP/also"
run "$PTSEARCH" --index "$TMP/j2" -n 3 "grain harbour"
check "text output shows them under 'also in'" has "also in:.*#1:" "$out"
run "$PTSEARCH" --index "$TMP/j2" --format trec -n 1000 "grain harbour"
a=$(awk '{print $3}' <<<"$out" | grep -c '#1$')
b=$(awk '{print $3}' <<<"$out" | grep -c -v '#')
check "--format trec ranks every copy as an article of its own ($a copies, $b originals)" test "$a" -eq "$b" -a "$a" -gt 0

# ---- sharded, and incremental: the same
run "$PTINDEX" --index "$TMP/s" --shards 3 "$MANY"
check "a sharded build succeeds" test "$status" -eq 0
run "$PTINDEX" --index "$TMP/s" --check
check "--check passes on the shards" test "$status" -eq 0
search "$TMP/s" "$TMP/s.json"
check "sharded, copies in other shards rank as unsharded" python3 "$HERE/same_hits.py" "$TMP/j2.json" "$TMP/s.json" sharded
"$PTINDEX" --index "$TMP/inc" --quiet "$MANY/a-orig.jsonl"
"$PTINDEX" --index "$TMP/inc" --quiet "$MANY"
search "$TMP/inc" "$TMP/inc.json"
check "copies added later rank as a full build" python3 "$HERE/same_hits.py" "$TMP/j2.json" "$TMP/inc.json" incremental

# ---- killed while writing (copies in other shards than their originals,
# committed apart): the rerun ranks as a clean build
killed=0
for t in 1 2 3; do
    rm -rf "$TMP/k"
    "$PTINDEX" --index "$TMP/k" --quiet --shards 3 --commit-every 3 "$MANY" &
    pid=$!
    sleep "0.0$((t * 3))"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    "$PTINDEX" --index "$TMP/k" --quiet "$MANY"
    run "$PTINDEX" --index "$TMP/k" --check
    check "kill $t: --check passes after the rerun" test "$status" -eq 0
    search "$TMP/k" "$TMP/k.json"
    check "kill $t: the rerun ranks as a clean build" python3 "$HERE/same_hits.py" "$TMP/j2.json" "$TMP/k.json" "kill $t"
done
echo "kills that landed while ptindex wrote: $killed of 3"
check "at least one kill landed while ptindex wrote" test "$killed" -ge 1

# ---- the originals' file goes: copy 1 of each takes over
mv "$MANY/a-orig.jsonl" "$TMP/"
for ix in "$TMP/j2" "$TMP/s"; do
    "$PTINDEX" --index "$ix" --quiet "$MANY"
    run "$PTINDEX" --index "$ix" --check
    check "$(basename "$ix"): --check passes after the originals went" test "$status" -eq 0
    check "$(basename "$ix"): 120 articles" has "^120 articles" "$out"
    search "$ix" "$TMP/gone.json"
    check "$(basename "$ix"): the copies keep the leaders' places" \
        test "$(leaders_of "$TMP/gone.json")" = "$(leaders_of "$TMP/j1.json")"
    check "$(basename "$ix"): ... under their own ids" test "$(grep -c '^{"rank":1,.*"article":"a[0-9]*#1"' "$TMP/gone.json")" -ge 8
done
finish
