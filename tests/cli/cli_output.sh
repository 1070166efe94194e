#!/usr/bin/env bash
# cli_output.sh — what ptsearch shows (issue 16): highlight kinds and phrase
# spans, --explain's labelled parts, --format line, --context, the terminal
# width, --offset, the totals, --sort, --color, --runtag, --count; each in
# --help, each bad value an exit 2 with a message, and --batch with them.
# Usage: cli_output.sh PTINDEX PTSEARCH CORPUS_DIR
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
IDX=$TMP/index DATED=$TMP/dated
S() { run "$PTSEARCH" --index "$IDX" "$@"; }
D() { run "$PTSEARCH" --index "$DATED" "$@"; }
"$PTINDEX" --index "$IDX" "$CORPUS" 2>/dev/null

# Generated articles with sources and dates (one undated), for --sort and --count.
article() { # id source date title body
    printf '{"id": "%s", "source": "%s", %s"title": "%s", "body": "%s"}\n' "$1" "$2" \
        "$([ -n "$3" ] && printf '"date": "%s", ' "$3")" "$4" "$5"
}
{
    article a1 AP 2025-11-03 "Ceasefire talks stall" "The ceasefire talks stalled on Monday. Officials said the harbour stays closed. A new round of ceasefire talks is planned."
    article a2 Reuters 2025-12-15 "Ceasefire talks resume" "Ceasefire talks resumed in Geneva. Delegations met for six hours."
    article a3 AP 2025-12-01 "Envoys meet" "Envoys met to prepare ceasefire talks. Nothing was signed."
    article a4 BBC "" "Harbour reopens" "The harbour reopened after the ceasefire. Fishermen returned."
    article a5 Reuters 2024-12-20 "Old ceasefire" "An older ceasefire collapsed within days."
} >"$TMP/dated.jsonl"
"$PTINDEX" --index "$DATED" "$TMP/dated.jsonl" 2>/dev/null

S --help
for w in '--format text|line|json|trec' '--context N' '--offset N' '--sort ORDER' '--count BY' \
         '--color\[=WHEN\]' '--runtag TAG' 'COLUMNS' 'feedback (its words summed'; do
    check "--help documents $w" has "$w" "$out"
done

# Bad values: exit 2 and a message naming the value
for bad in "--format lines" "--sort newest" "--count outlet" "--color=sometimes" "--context x" \
           "--offset -1" "--runtag" "--count source --format trec"; do
    # shellcheck disable=SC2086
    S $bad Zelensky
    check "bad value ($bad): exit 2 with a message" test "$status" -eq 2 -a -n "$err"
done
S --runtag "two words" --format trec Zelensky
check "--runtag with a space: exit 2, said" test "$status" -eq 2 -a -n "$(grep -- --runtag <<<"$err")"
S --sort newest Zelensky
check "--sort: the bad value named" has "'newest' (score or date)" "$err"

# Highlights: a phrase is one span where it stands whole; its words alone are not marked
S --format json -n 20 -k 0 '"security guarantees"'
check "phrase: one span, kind phrase, never a word alone" python3 -c '
import json, sys
n = 0
for h in map(json.loads, open(sys.argv[1])):
    p = h["passage"].encode()
    for (a, b), k in zip(h["highlights"], h["highlight_kinds"]):
        text = p[a:b].decode().lower()
        assert k == "phrase" and text.startswith("security guarantee"), (text, k)
        n += 1
assert n >= 3, n' "$TMP/out"
# Related words (WordNet) and variants have their own kind and style
S --format json -n 20 -k 0 --no-feedback 'concessions Zelenskyy'
check "kinds: concede related, Zelensky a variant, concessions typed" python3 -c '
import json, sys
kinds = {}
for h in map(json.loads, open(sys.argv[1])):
    p = h["passage"].encode()
    for (a, b), k in zip(h["highlights"], h["highlight_kinds"]):
        kinds[p[a:b].decode().lower()] = k
assert kinds.get("concede") == "related", kinds
assert kinds.get("zelensky") == "variant", kinds
assert kinds.get("concessions") == "typed", kinds' "$TMP/out"
S --color=always -n 20 -k 0 --no-feedback 'concessions Zelenskyy'
check "styles: related underlined, variant bold underlined, typed bold" \
    test -n "$(grep -F $'\e[4mconcede' <<<"$out")" -a -n "$(grep -F $'\e[1;4mZelensky' <<<"$out")" \
    -a -n "$(grep -F $'\e[1mconcessions' <<<"$out")"
S --color=always -n 3 '"security guarantees"'
check "styles: the phrase's space is marked too (one span)" has $'ecurity\e\\[0m\e\\[1m \e\\[0m\e\\[1mguarantee' "$out"

# --explain: every part labelled with its kind; feedback summed on one line
S --explain --format json -n 5 '"security guarantees" Donbas concessions'
check "--explain json: kinds typed, related, phrase, feedback; nothing unlabelled" python3 -c '
import json, sys
kinds = {p["kind"] for l in open(sys.argv[1]) for p in json.loads(l)["explain"]}
assert {"typed", "related", "phrase", "feedback"} <= kinds and "other" not in kinds, kinds' "$TMP/out"
S --explain --format json -n 5 'security NEAR/5 Ukraine negotiat* Kiev'
check "--explain json: NEAR, wildcards and variants labelled too" python3 -c '
import json, sys
parts = {(p["kind"], p["part"]) for l in open(sys.argv[1]) for p in json.loads(l).get("explain", [])}
assert ("phrase", "secur NEAR/5 ukrain") in parts and ("variant", "kiev|kyiv") in parts, parts
assert any(k == "typed" and p.endswith("*") for k, p in parts), parts
assert "other" not in {k for k, p in parts}, parts' "$TMP/out"
# a phrase and a NEAR are one part each, labelled as the query's builder
# wrote them (the binding reads no label from Xapian's description)
S --explain -n 5 -k 0 '"security guarantees" Kiev'
check "--explain text: a phrase's label" test -n "$(grep '^   [=+] [0-9.]*  phrase: "secur guarante"$' <<<"$out")"
check "--explain text: no part in Xapian's words" test -z "$(grep -E 'PHRASE|@[0-9]|Query\(' <<<"$out")"
S --explain -n 5 -k 0 'security NEAR/5 Ukraine'
check "--explain text: a NEAR's label" test -n "$(grep '^   [=+] [0-9.]*  phrase: secur NEAR/5 ukrain$' <<<"$out")"
check "--explain text: the NEAR is one part, not its words" test -z "$(grep 'typed: secur$' <<<"$out")"
S --explain -n 1 Donbas concessions
check "--explain text: typed and related parts" test -n "$(grep '^   = [0-9.]*  typed: donba$' <<<"$out")" \
    -a -n "$(grep '^   + [0-9.]*  related: 0.4 \* conced$' <<<"$out")"
check "--explain text: feedback on one line" test "$(grep -c 'feedback:' <<<"$out")" -eq 1
check "--explain text: a handful of lines, not one per feedback word" test "$(grep -c '^   [=+] ' <<<"$out")" -le 5
# (a first passage's headline is indexed with it, not in its text, so
# its words make a title part but no proximity pair: two queries)
# The title boost is off by default (issue 15); PTSEARCH_TUNE turns it on.
S --explain --format json -n 3 'Berlin talks'
check "--explain: no title part by default" python3 -c '
import json, sys
parts = {(p["kind"], p["part"]) for l in open(sys.argv[1]) for p in json.loads(l).get("explain", [])}
assert not any(k == "title" for k, p in parts), parts' "$TMP/out"
PTSEARCH_TUNE=title=0.6 S --explain --format json -n 3 'Berlin talks'
check "--explain: title parts (title=0.6)" python3 -c '
import json, sys
parts = {(p["kind"], p["part"]) for l in open(sys.argv[1]) for p in json.loads(l).get("explain", [])}
assert ("title", "title:berlin") in parts, parts' "$TMP/out"
S --explain --format json -n 3 'security guarantees'
check "--explain: proximity parts" python3 -c '
import json, sys
parts = {(p["kind"], p["part"]) for l in open(sys.argv[1]) for p in json.loads(l).get("explain", [])}
assert ("proximity", "near:secur guarante") in parts, parts' "$TMP/out"

# the word shown for one the index lacks is a word, not its possessive
S -n 1 Kiev
check "no passage has 'kiev': showing 'Kyiv', not 'Kyiv’s'" has "no passage has 'kiev'; showing 'Kyiv'$" "$err"

# --format line
S --format line -n 5 Zelensky
check "--format line: path:line: words, one hit a line" python3 -c '
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 5, lines
for l in lines:
    assert re.match(r"^(\S*/)?corpus/\d{3}_[0-9a-f]+\.txt:\d+: \S", l), l
    assert len(l) <= 78, l
assert any(l.endswith("\u2026") for l in lines), lines' "$TMP/out"
S --format line -n 2 --batch - <<<$'q1\tZelensky'
check "--format line with --batch: a header per query" test "$(head -1 <<<"$out")" = "## q1: Zelensky"

# --context N: the sentences around the matches; JSON keeps the whole passage
S -n 1 --context 0 Miami
check "--context 0: the matching sentence, the rest left out" test -n "$(grep -F '…' <<<"$out")" \
    -a -n "$(grep Miami <<<"$out")" -a -z "$(grep 'issues involved' <<<"$out")"
whole=$("$PTSEARCH" --index "$IDX" -n 1 Miami | wc -w)
check "--context 0: shorter than the whole passage" test "$(wc -w <<<"$out")" -lt "$whole"
S -n 1 --context 0 --format json Miami
check "--context: JSON keeps the whole passage" python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert len(h["passage"].split()) > 40, h["passage"]' "$TMP/out"
D -n 1 --context 0 harbour
check "--context 0: the sentence with the match only" test -n "$(grep 'harbour' <<<"$out")" \
    -a -z "$(grep -e 'Fishermen' -e 'ceasefire talks stalled' <<<"$out")"
D -n 1 --context 1 harbour
check "--context 1: a sentence around it too" has "Fishermen\|ceasefire talks stalled\|talks is planned" "$out"

# Wrapping: $COLUMNS (a terminal's width otherwise), else 78
run env COLUMNS=40 "$PTSEARCH" --index "$IDX" -n 3 Zelensky
columns() { python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))'; }
check "COLUMNS=40: passages wrapped at 40" test "$(grep '^   [^ ]' <<<"$out" | grep -v ':[0-9]*  (score' | columns)" -le 40
run env COLUMNS=150 "$PTSEARCH" --index "$IDX" -n 3 Zelensky
check "COLUMNS=150: lines longer than 78" test "$(grep '^   [^ ]' <<<"$out" | columns)" -gt 78

# --offset: the next page
S --format json -n 4 -k 0 Zelensky
first4=$(python3 -c 'import json,sys; print([(h["rank"], h["article"], h["start"]) for h in map(json.loads, open(sys.argv[1]))][2:])' "$TMP/out")
S --format json -n 2 -k 0 --offset 2 Zelensky
page=$(python3 -c 'import json,sys; print([(h["rank"], h["article"], h["start"]) for h in map(json.loads, open(sys.argv[1]))])' "$TMP/out")
check "--offset 2 -n 2: hits 3 and 4, ranked so" test "$page" = "$first4"
S -n 2 --offset 1000 Zelensky
check "--offset past the end: nothing, exit 1" test "$status" -eq 1

# Totals: passages and articles that match
D ceasefire
check "text: the totals line" has '^1-5 of about 5 matching passages in 5 articles$' "$out"
D --format json ceasefire
check "json: total" python3 -c '
import json, sys
for h in map(json.loads, open(sys.argv[1])):
    assert h["total"] == {"passages": 5, "articles": 5}, h["total"]' "$TMP/out"

# --sort date: newest first, undated last; --sort score is the default
D --format json --sort date ceasefire
check "--sort date: newest first, undated last" test "$(python3 -c '
import json, sys
print(" ".join(h["article"] for h in map(json.loads, open(sys.argv[1]))))' "$TMP/out")" = "a2 a3 a1 a5 a4"
D --format trec --sort score ceasefire
score=$out
D --format trec ceasefire
check "--sort score: the default order" test "$out" = "$score"

# --color and NO_COLOR
run env NO_COLOR=1 "$PTSEARCH" --index "$IDX" --color=always -n 1 Zelensky
check "--color=always: marks even with NO_COLOR, piped" has $'\e\\[1m' "$out"
run "$PTSEARCH" --index "$IDX" --color=never -n 1 Zelensky
check "--color=never: no escapes" test "$status" -eq 0 -a -z "$(grep -F $'\e' <<<"$out")"
run "$PTSEARCH" --index "$IDX" --color -n 1 Zelensky
check "--color (auto), piped: no escapes" test "$status" -eq 0 -a -z "$(grep -F $'\e' <<<"$out")"

# --runtag
S --format trec --runtag my-run.1 -n 3 Zelensky
check "--runtag: the last column" test "$(awk '{ print $6 }' <<<"$out" | sort -u)" = "my-run.1"

# --count source / month: how many matching articles each has
D --count source ceasefire
check "--count source: articles per source, most first" test "$(grep -v '^  (' <<<"$out" | tr -s ' ')" \
    = "$(printf ' 2 AP\n 2 Reuters\n 1 BBC')"
check "--count source: the total" has '(5 matching articles)' "$out"
D --count month ceasefire
check "--count month: articles per month, in order, undated last" test "$(grep -v '^  (' <<<"$out" | tr -s ' ')" \
    = "$(printf ' 1 2024-12\n 1 2025-11\n 2 2025-12\n 1 (no date)')"
D --count source --format json --batch - <<<$'c\tceasefire\nh\tharbour'
check "--count with --batch and json: lines per query" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = {(r["qid"], r["source"]): r["articles"] for r in rows}
assert got == {("c", "AP"): 2, ("c", "Reuters"): 2, ("c", "BBC"): 1, ("h", "AP"): 1, ("h", "BBC"): 1}, got' "$TMP/out"
D --count month nothingmatchesthis
check "--count with no match: exit 1" test "$status" -eq 1

finish
