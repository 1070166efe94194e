#!/usr/bin/env bash
# cli.sh — command-line tests of ptindex and ptsearch against a temporary
# index of corpus/: exit statuses, messages, text and JSON output.
# Usage: cli.sh PTINDEX PTSEARCH CORPUS_DIR
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
IDX=$TMP/index

no_escape_codes() { ! grep -q $'\033' "$1"; }

# Indexing
run "$PTINDEX" --index "$IDX" "$CORPUS"
check "ptindex exits 0" test "$status" -eq 0
check "summary counts 5 added articles" grep -Eq '5 added, 0 updated, 0 removed, 0 unchanged \([0-9]+ passages written, [0-9.]+ s\)' <<<"$err"
run "$PTINDEX" --help
check "ptindex --help exits 0 on stdout" test "$status" -eq 0 -a -n "$out"
run "$PTINDEX" --index "$IDX"
check "ptindex without PATH exits 2" test "$status" -eq 2
run "$PTINDEX" --index "$IDX" "$TMP/no-such-dir"
check "a missing PATH is an error (exit 2)" test "$status" -eq 2
check "missing PATH message names it" grep -q "no-such-dir" <<<"$err"

# Searching: text
run "$PTSEARCH" --index "$IDX" security guarantees
check "search exits 0" test "$status" -eq 0
check "text output starts with rank 1" grep -q '^1\. ' <<<"$out"
check "text output shows path:line" grep -Eq '[0-9]{3}_[0-9a-f]+\.txt:[0-9]+' <<<"$out"
check "piped output has no ANSI codes" no_escape_codes "$TMP/out"
run "$PTSEARCH" --index "$IDX" Ukraine
check "ten hits by default (2 from each of 5 articles)" test "$(grep -c '^[0-9]*\. ' <<<"$out")" -eq 10

run "$PTSEARCH" --index "$IDX" -n 3 security guarantees
check "-n 3 gives three hits" test "$(grep -c '^[0-9]*\. ' <<<"$out")" -eq 3

# JSON
run "$PTSEARCH" --index "$IDX" --format json -n 5 frozen Russian assets
check "json exits 0" test "$status" -eq 0
check "json lines parse and carry the fields" python3 -c '
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1])]
assert len(hits) == 5, len(hits)
need = {"rank", "score", "article", "path", "title", "source", "date", "passage", "start", "end", "highlights"}
for h in hits:
    assert need <= set(h), need - set(h)
    raw = open(h["path"], "rb").read()
    assert raw[h["start"]:h["end"]].decode() == h["passage"]
    p = h["passage"].encode()
    for s, e in h["highlights"]:
        assert 0 <= s < e <= len(p)
assert hits[0]["article"] == "004_e43b9b220f213307.txt", hits[0]["article"]
assert hits[0]["date"] == "2025-12-15"
' "$TMP/out"

# Nothing found, errors
run "$PTSEARCH" --index "$IDX" xylophonist
check "no match exits 1" test "$status" -eq 1
check "no match prints nothing on stdout" test -z "$out"
run "$PTSEARCH" --index "$TMP/missing-index" security
check "missing index exits 2" test "$status" -eq 2
check "missing index is named" grep -q "missing-index" <<<"$err"
run "$PTSEARCH" --index "$IDX"
check "no query exits 2" test "$status" -eq 2
run "$PTSEARCH" --index "$IDX" -n abc x
check "bad -n exits 2" test "$status" -eq 2
run "$PTSEARCH" --help
check "ptsearch --help exits 0" test "$status" -eq 0 -a -n "$out"
run env PTSEARCH_INDEX="$IDX" "$PTSEARCH" Miami
check "PTSEARCH_INDEX is the default index" test "$status" -eq 0

# Batch mode: one index opening, qids, TREC lines
printf 'q1\tsecurity guarantees\nMiami\n\nq3\txylophonist\n' >"$TMP/queries"
run "$PTSEARCH" --index "$IDX" --batch "$TMP/queries" --format trec
check "batch exits 0" test "$status" -eq 0
check "trec lines are 'qid Q0 article rank score ptsearch'" \
    grep -Eq '^q1 Q0 [0-9]{3}_[0-9a-f]+\.txt 1 [0-9.]+ ptsearch$' <<<"$out"
check "trec: one line per article" test "$(grep -c '^q1 ' <<<"$out")" -eq 5
check "a line without qid takes its line number" grep -q '^2 Q0 ' <<<"$out"
run "$PTSEARCH" --index "$IDX" --batch "$TMP/queries" --format json
check "batch json hits carry qid" python3 -c '
import json, sys
qids = {json.loads(l)["qid"] for l in open(sys.argv[1])}
assert qids == {"q1", "2"}, qids
' "$TMP/out"
printf 'AND OR NOT\n' | "$PTSEARCH" --index "$IDX" --batch - >/dev/null 2>&1
check "capitalised AND/OR in a topic are words, not a broken query" test $? -le 1

finish
