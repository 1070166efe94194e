#!/usr/bin/env bash
# cli_boilerplate.sh — what a reader sees in passages (issue 16, items 4
# and 5), through ptindex and ptsearch on generated articles: a line that
# recurs across one outlet's articles is learned as boilerplate (in a full
# parallel build, a sequential one and an incremental run alike) while a
# line a few articles share stays; the first passage starts at the lede
# and the headline's words still find the article; a file that opens with
# a photo caption has no headline: its title is its first sentence, marked.
# Usage: cli_boilerplate.sh PTINDEX PTSEARCH CORPUS_DIR
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
lacks() { ! has "$@"; }
# passages INDEX QUERY: how many passages match, copies counted one by one.
passages() { "$PTSEARCH" --index "$1" --format json -n 100 -k 0 --no-group "${@:2}" 2>/dev/null | grep -c '"rank"'; }

# article N SOURCE LINE: one JSON Lines article of SOURCE with LINE in it.
article() {
    local w
    w=$(printf 'q%.0s' $(seq 1 "$1"))
    printf '{"id":"%s-%d","source":"%s","title":"Quixotic headline %s","body":"Berlin: officials met on Monday in the capital to discuss the plan, and the minister said the talks were useful, story%s.\\n%s\\nThe talks on plan%s went on for two days and more are planned for the weekend, officials said."}\n' \
        "$2" "$1" "$2" "$w" "$w" "$3" "$w"
}
for i in $(seq 1 40); do article "$i" "Daily Example" "Scroll down for video"; done >"$TMP/a.jsonl"
for i in $(seq 1 3); do article "$((i + 40))" "Daily Example" "The hearing continues on Friday."; done >>"$TMP/a.jsonl"
article 1 "Other Outlet" "Scroll down for video" >"$TMP/other.jsonl"

for jobs in 1 2; do
    IDX=$TMP/ix$jobs
    "$PTINDEX" --index "$IDX" --quiet --jobs $jobs "$TMP/a.jsonl" "$TMP/other.jsonl"
    run "$PTSEARCH" --index "$IDX" --format json -n 100 -k 0 --no-group '"scroll down for video"'
    check "jobs $jobs: a line 40 articles of one outlet repeat is no passage" test "$(grep -c '"rank"' <<<"$out")" -eq 1
    check "jobs $jobs: ... but another outlet's line is" has '"source":"Other Outlet"' "$out"
    check "jobs $jobs: a line 3 articles share stays" test "$(passages "$IDX" '"hearing continues on Friday"')" -eq 3
    run "$PTSEARCH" --index "$IDX" --format json -n 1 storyqqq
    check "jobs $jobs: the first passage starts at the lede" has '"passage":"Berlin: officials' "$out"
    check "jobs $jobs: the headline's words find the article" test "$(passages "$IDX" quixotic)" -ge 40
    check "jobs $jobs: the paragraph after the dropped line is a passage" test "$(passages "$IDX" --exact planqqq)" -eq 1
    run "$PTSEARCH" --index "$IDX" --format json --exact planqqq
    check "jobs $jobs: a JSON Lines passage is on its article's line" has '"line":3,' "$out"
    check "jobs $jobs: --check is content" "$PTINDEX" --index "$IDX" --check >/dev/null 2>&1
done

# Incremental: articles added later are cleaned by what the index learned.
for i in $(seq 50 54); do article "$i" "Daily Example" "Scroll down for video"; done >"$TMP/b.jsonl"
"$PTINDEX" --index "$TMP/ix1" --quiet "$TMP/a.jsonl" "$TMP/other.jsonl" "$TMP/b.jsonl"
check "an incremental run added the new articles" test "$(passages "$TMP/ix1" --exact storyqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq)" -eq 1
check "... and dropped their recurring line" test "$(passages "$TMP/ix1" '"scroll down for video"')" -eq 1

# A line becomes boilerplate once it recurs: one run of a few articles
# keeps it, the run that brings it to many articles learns it (those
# already indexed keep it until they are indexed again).
for i in $(seq 1 5); do article "$i" "Slow Outlet" "Europe Latest News"; done >"$TMP/c1.jsonl"
for i in $(seq 6 40); do article "$i" "Slow Outlet" "Europe Latest News"; done >"$TMP/c2.jsonl"
"$PTINDEX" --index "$TMP/ix3" --quiet "$TMP/c1.jsonl"
check "5 articles: the line is kept" test "$(passages "$TMP/ix3" '"europe latest news"')" -eq 5
"$PTINDEX" --index "$TMP/ix3" --quiet "$TMP/c1.jsonl" "$TMP/c2.jsonl"
check "40 articles: the 35 new ones lose it" test "$(passages "$TMP/ix3" '"europe latest news"')" -eq 5

# Item 5: corpus/000 opens with a photo caption and its credit.
"$PTINDEX" --index "$TMP/corpus" --quiet "$CORPUS"
run "$PTSEARCH" --index "$TMP/corpus" --format json -n 1 'American officials said Monday deal nearly complete'
check "000: the caption is not the title" lacks '"title":"Ukraine’s President' "$out"
check "000: the title is the first sentence, flagged" has '"title":"American officials said Monday.*"title_is_first_sentence":true' "$out"
run "$PTSEARCH" --index "$TMP/corpus" -n 1 'American officials said Monday deal nearly complete'
check "000: text output marks it" has '(no headline; first sentence)' "$out"
run "$PTSEARCH" --index "$TMP/corpus" --format json -n 1 'Ninety per cent issues resolved'
check "003: a headline is not flagged" has '"title":"Ninety per cent.*"title_is_first_sentence":false' "$out"
finish
