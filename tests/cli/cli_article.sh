#!/usr/bin/env bash
# cli_article.sh — articles rank by their article evidence (issue 15): an
# article that holds all five query words, one per passage, ranks above one
# whose single passage holds two of them (the better passage), in
# --format trec and in the article order of text and JSON output; after
# the article is updated to hold one word, the order turns back.
# Usage: cli_article.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
. "$(dirname "$0")/lib.sh"

fill=(harbour ledger copper meadow lantern quarry violin saddle pepper orchard kettle timber garnet cobalt)
# paragraph SEED [WORD...]: six sentences of ten filler words, the words
# given replacing a filler word each.
paragraph() {
    local seed=$1; shift
    local out="" i w
    for ((i = 0; i < 60; i++)); do
        w=${fill[$(((seed * 7 + i * 5 + i / 3) % 14))]}
        if [ $((i % 7)) -eq 5 ] && [ $# -gt 0 ]; then w=$1; shift; fi
        [ $((i % 10)) -eq 0 ] && w=${w^}
        out+="$w"
        if [ $((i % 10)) -eq 9 ]; then out+=". "; else out+=" "; fi
    done
    printf '%s' "${out% }"
}
# article ID TITLE PARAGRAPH...: one JSON line.
article() {
    local id=$1 title=$2 body="" p; shift 2
    for p in "$@"; do body+="${body:+\\n\\n}$p"; done
    printf '{"id":"%s","title":"%s","body":"%s"}\n' "$id" "$title" "$body"
}
corpus() { # $1: the words of the spread article, one per paragraph
    local paras=() k w
    k=0
    for w in $1; do paras+=("$(paragraph $((k++)) "$w")"); done
    article spread "Notes from the coast" "${paras[@]}"
    article single "A short note" "$(paragraph 9 walrus narwhal)"
    for k in 0 1 2 3 4 5 6 7 8 9; do
        paras=()
        for ((w = 0; w <= k % 3; w++)); do paras+=("$(paragraph $((k * 3 + w + 20)))"); done
        article "filler$k" "Filler $k" "${paras[@]}"
    done
}
corpus "walrus narwhal puffin pelican otter" >"$TMP/news.jsonl"
IDX=$TMP/index
check "index" "$PTINDEX" --quiet --index "$IDX" "$TMP/news.jsonl"
Q="walrus narwhal puffin pelican otter"
run "$PTSEARCH" --index "$IDX" --format trec "$Q"
check "trec: the article with every word first" has "^1 Q0 spread 1 " "$out"
check "trec: the better single passage second" has "^1 Q0 single 2 " "$out"
run "$PTSEARCH" --index "$IDX" --format json "$Q"
check "json: first hit from the article with every word" has '^{"rank":1,"score":[-0-9.e+]*,"article":"spread"' "$out"
run "$PTSEARCH" --index "$IDX" -n 1 "$Q"
check "text: first hit from the article with every word" has "Notes from the coast" "$out"

# The update leaves the spread article one word: its statistics follow.
corpus "walrus harbour harbour harbour harbour" >"$TMP/news.jsonl"
check "update" "$PTINDEX" --quiet --index "$IDX" "$TMP/news.jsonl"
run "$PTSEARCH" --index "$IDX" --format trec "$Q"
check "after the update: the article with two words first" has "^1 Q0 single 1 " "$out"

# Passages of equal score at the end of the window fetched: which one is in
# it must not follow document numbers (an updated index and a fresh one
# number the same articles differently), or article evidence re-ranks
# another window. Two articles share a passage word for word (both words);
# the second has one more passage with one of them. Indexed in either
# order, a window of one (-n 1) holds the same article, and one of two
# ranks the same.
tied() { article "$1" "Harbour notes" "$(paragraph 3 walrus narwhal) $(paragraph 4)" "${@:2}"; }
more="$(paragraph 5 narwhal) $(paragraph 6)"
{ tied aaa; tied zzz "$more"; corpus puffin; } | grep -v '"spread"\|"single"' >"$TMP/ab.jsonl"
{ tied zzz "$more"; tied aaa; corpus puffin; } | grep -v '"spread"\|"single"' >"$TMP/ba.jsonl"
check "index a then z" "$PTINDEX" --quiet --jobs 1 --index "$TMP/ab" "$TMP/ab.jsonl"
check "index z then a" "$PTINDEX" --quiet --jobs 1 --index "$TMP/ba" "$TMP/ba.jsonl"
for n in 1 2; do
    ab=$("$PTSEARCH" --index "$TMP/ab" --format trec -n $n --no-feedback walrus narwhal | cut -d' ' -f3,4)
    ba=$("$PTSEARCH" --index "$TMP/ba" --format trec -n $n --no-feedback walrus narwhal | cut -d' ' -f3,4)
    check "tied window of $n: the same articles whatever the document order ($(tr '\n' ' ' <<<"$ab")/ $(tr '\n' ' ' <<<"$ba"))" test "$ab" = "$ba"
done
finish
