#!/usr/bin/env bash
# cli_variants.sh — what ptsearch says when a word typed is in no passage
# and only its spelling variants or related words are searched: a line
# "no passage has 'donbas'; showing 'Donbass'" on stderr, a JSON line
# {"no_passage_has", "showing"}, "FILE:LINE: QID:" before it in batch mode;
# nothing when the word typed is there. Data generated here.
# Usage: cli_variants.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
. "$(dirname "$0")/lib.sh"
IDX=$TMP/index
S() { run "$PTSEARCH" --index "$IDX" "$@"; }

for i in 1 2 3; do
    printf '{"id": "d%s", "title": "Front line %s", "body": "Shelling went on in the Donbass region overnight, officials said on day %s."}\n' "$i" "$i" "$i"
done >"$TMP/news.jsonl"
printf '{"id": "w", "title": "Weather", "body": "Rain fell on the city again, and forecasters said more was coming."}\n' >>"$TMP/news.jsonl"
"$PTINDEX" --quiet --index "$IDX" "$TMP/news.jsonl"

S Donbas shelling
check "absent word: found through its variant" test "$status" -eq 0
check "absent word: said on stderr" has "ptsearch: no passage has 'donbas'; showing 'Donbass'" "$err"
check "absent word: not in the results" test "$(grep -c "no passage has" <<<"$out")" -eq 0
S --format json Donbas
check "absent word: JSON line" has '^{"no_passage_has": *"donbas", *"showing": *\["Donbass"\]}$' "$out"
check "absent word: JSON hits still there" has '"rank": *1' "$out"
S Donbass shelling
check "word present: nothing said" test -z "$err"
S --exact Donbas
check "--exact: no variant, nothing found" test "$status" -eq 1
check "--exact: nothing said of variants" test "$(grep -c "no passage has" <<<"$err")" -eq 0
S -- shelling -Donbas
check "negated word: nothing said" test "$(grep -c "no passage has" <<<"$err")" -eq 0
printf 'q1\tDonbas\nq2\tDonbass\n' >"$TMP/topics"
S --batch "$TMP/topics"
check "batch: where and qid" has "ptsearch: $TMP/topics:1: q1: no passage has 'donbas'; showing 'Donbass'" "$err"
check "batch: once" test "$(grep -c "no passage has" <<<"$err")" -eq 1
S --batch "$TMP/topics" --format json
check "batch JSON: qid" has '^{"no_passage_has": *"donbas", *"showing": *\["Donbass"\], *"qid": *"q1"}$' "$out"
finish
