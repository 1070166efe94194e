#!/usr/bin/env bash
# test_ranked.sh — the comparison fault.sh makes after each kill (ranked.sh)
# must rank the index as it is, however loaded the machine: a search cut
# at ptsearch's time limit printed what it had found so far, and fault.sh
# read "query q25: 0 hits, want 1" from an index that was right (a phrase
# of two stopwords and a word, ~1,600 candidates, past 5 s under load).
# Load is simulated without timing luck: a ptsearch whose own default limit
# is 1 microsecond. And a ptsearch that fails is a failure, not a ranking.
#
# Usage: test_ranked.sh PTINDEX PTSEARCH
set -u
PTINDEX=$(realpath "$1") PTSEARCH=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"

python3 "$HERE/gen_data.py" "$TMP/data" 300 14 || exit 2
"$PTINDEX" --index "$TMP/ix" -q "$TMP/data/base" || exit 2
# The loaded machine: every search past the limit before it starts; an
# explicit --timeout later on the command line still overrides it.
cat >"$TMP/loaded-ptsearch" <<WRAP
#!/bin/sh
exec "$PTSEARCH" --timeout 0.000001 "\$@"
WRAP
chmod +x "$TMP/loaded-ptsearch"
run "$TMP/loaded-ptsearch" --index "$TMP/ix" --batch "$TMP/data/queries" --format trec -n 20 --no-feedback
check "the simulated load does cut searches at the time limit" has "time limit" "$err"

run "$HERE/ranked.sh" "$PTSEARCH" "$TMP/ix" "$TMP/data/queries" 20 "$TMP/want.trec"
check "ranked.sh ranks the index" test "$status" -eq 0 -a -s "$TMP/want.trec"
run "$HERE/ranked.sh" "$TMP/loaded-ptsearch" "$TMP/ix" "$TMP/data/queries" 20 "$TMP/got.trec"
check "ranked.sh runs to the end on a loaded machine" test "$status" -eq 0
detail=$(python3 "$HERE/same_results.py" "$TMP/want.trec" "$TMP/got.trec" 20)
check "ranked.sh ranks as without load (${detail:-same})" test -z "$detail"

run "$HERE/ranked.sh" "$PTSEARCH" "$TMP/no-such-index" "$TMP/data/queries" 20 "$TMP/none.trec"
check "a ptsearch that fails makes ranked.sh fail" test "$status" -eq 2
check "... naming ptsearch's message" has "exited 2: ptsearch: " "$err"
finish
