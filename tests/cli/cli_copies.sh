#!/usr/bin/env bash
# cli_copies.sh — issue 19: a story many outlets carry does not make
# ptsearch read ever more passages. Thirty stories (each its own words, the
# query word "harbor" fewer times in each next one) are indexed once, then
# carried whole by N-1 more outlets plus one near copy (two words changed):
# the groups shown (leader ids, also_in sets) are those of 1x with the
# copies listed, and the passages ranked do not grow with N
# (PTSEARCH_DEBUG_READS). An index without copy keys (older ptindex)
# still groups them, by reading wider windows. Data generated here.
# Usage: cli_copies.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
. "$(dirname "$0")/lib.sh"

# corpus COPIES FILE: story k by "wire" (id sKK), COPIES-1 outlets (id
# sKK-cJJ), and with COPIES > 1 a near copy (id sKK-near).
corpus() {
    python3 - "$1" "$2" <<'EOF'
import json, random, sys
copies, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(19)
def sentence(vocab, harbor):
    words = [rnd.choice(vocab) for _ in range(12)]
    if harbor:
        words[3] = "harbor"
    return " ".join(words).capitalize() + "."
with open(out, "w") as f:
    for k in range(30):
        vocab = ["k%02dw%03d" % (k, i) for i in range(200)]  # words of this story only
        tf = 12 - k // 3  # the query word: fewer times in each next story
        paras = [" ".join(sentence(vocab, p == 1 and s < tf) for s in range(6 if p != 1 else max(tf, 6)))
                 for p in range(3)]
        story = {"title": "Story %d %s" % (k, vocab[0]), "date": "2026-11-%02d" % (1 + k % 28)}
        carried = [("s%02d" % k, "wire", paras)]
        carried += [("s%02d-c%02d" % (k, j), "outlet%02d" % j, paras) for j in range(1, copies)]
        if copies > 1:
            near = list(paras)
            near[1] = near[1].replace(vocab[5], "changed", 1).replace(vocab[6], "words", 1)
            carried.append(("s%02d-near" % k, "nearby", near))
        for id_, source, ps in carried:
            f.write(json.dumps(dict(story, id=id_, source=source, text="\n\n".join(ps))) + "\n")
EOF
}

# groups INDEX [OPTION...]: one line a hit shown: leader id, then its
# also_in ids, sorted (feedback's words weigh a little differently over
# more passages: two close hits may swap).
groups() {
    "$PTSEARCH" --index "$1" --format json "${@:2}" harbor 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    h = json.loads(line)
    if "rank" in h:
        print(h["article"], *sorted(a["article"] for a in h.get("also_in", [])))' | sort
}
# reads INDEX: "RANKED COPIES", the passages the search read.
reads() {
    PTSEARCH_DEBUG_READS=1 "$PTSEARCH" --index "$1" harbor 2>&1 >/dev/null |
        sed -n 's/^ptsearch: debug: \([0-9]*\) passages ranked, \([0-9]*\) copies read$/\1 \2/p'
}
# expected N: the groups of 1x, each leader with its N-1 copies and near copy.
expected() {
    while read -r leader; do
        printf '%s' "$leader"
        for j in $(seq 1 $(($1 - 1))); do printf ' %s-c%02d' "$leader" "$j"; done
        printf ' %s-near\n' "$leader"
    done <<<"$(cut -d' ' -f1 "$TMP/groups1")"
}

for n in 1 4 12; do
    corpus "$n" "$TMP/c$n.jsonl"
    "$PTINDEX" --quiet --index "$TMP/ix$n" "$TMP/c$n.jsonl"
done
groups "$TMP/ix1" >"$TMP/groups1"
read -r ranked1 copies1 <<<"$(reads "$TMP/ix1")"
check "1x: ten stories shown" test "$(wc -l <"$TMP/groups1")" -eq 10
check "1x: the stories with the word most often" \
    test "$(cut -d' ' -f1 "$TMP/groups1" | sort -u | tr '\n' ' ')" = "s00 s01 s02 s03 s04 s05 s06 s07 "
check "1x: no copies, none listed" test "$(awk 'NF > 1' "$TMP/groups1" | wc -l)" -eq 0
check "1x: nothing read for copies" test "${copies1:-x}" = 0
for n in 4 12; do
    groups "$TMP/ix$n" >"$TMP/groups$n"
    check "${n}x: the groups of 1x, every copy listed" diff "$TMP/groups$n" <(expected "$n")
    read -r ranked copies <<<"$(reads "$TMP/ix$n")"
    check "${n}x: as many passages ranked as at 1x ($ranked, $ranked1)" test "${ranked:-x}" = "$ranked1"
    # each copy listed, and per shown passage a few more holding its anchor
    # pairs (itself, its copies in the window, its story's other
    # passages), and 10 more (search.c, COPIES_NEAR): not a number of copies
    most=$(awk '{ n += NF + 3 } END { print n + 10 }' "$TMP/groups$n")
    check "${n}x: copies read: those listed ($copies, at most $most)" test "${copies:-x}" -le "$most"
done

# --no-group lists every copy; -k 0 keeps every passage of an article.
check "--no-group: copies listed one by one" \
    test "$("$PTSEARCH" --index "$TMP/ix4" --no-group -n 100 --format json harbor | grep -c '"rank"')" -eq 100
check "-k 0: the groups of 1x" diff <(groups "$TMP/ix1" -k 0 | cut -d' ' -f1) <(groups "$TMP/ix12" -k 0 | cut -d' ' -f1)
check "--no-feedback: the groups of 1x" diff <(groups "$TMP/ix1" --no-feedback | cut -d' ' -f1) \
    <(groups "$TMP/ix12" --no-feedback | cut -d' ' -f1)

finish
