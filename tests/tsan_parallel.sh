#!/usr/bin/env bash
# tsan_parallel.sh — the parallel indexer under ThreadSanitizer (a build
# with -DPT_TSAN=ON): a --jobs 3 first build, one interrupted by SIGINT,
# one over malformed input, and a --rebuild, each without a data race
# report, and each giving the article counts of a --jobs 1 build.
# Usage: tsan_parallel.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
. "$(dirname "$0")/cli/lib.sh"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
no_race() { [ "$status" -ne 66 ] && ! has "ThreadSanitizer" "$err"; }
counts() { "$PTINDEX" --index "$1" --check 2>/dev/null | sed -n 's/^\([0-9]* articles, [0-9]* passages\).*/\1/p'; }

D=$TMP/data
python3 "$(dirname "$0")/fault/gen_data.py" "$D" 300 7 || exit 2
run "$PTINDEX" --index "$TMP/serial" --jobs 1 -q "$D/base"
want=$(counts "$TMP/serial")

run "$PTINDEX" --index "$TMP/ix" --jobs 3 "$D/base"
check "--jobs 3: no race reported" no_race
check "--jobs 3: exit 0" test "$status" -eq 0
check "--jobs 3: the counts of --jobs 1" test "$(counts "$TMP/ix")" = "$want"

# SIGINT halfway: the workers stop, what was done is merged (exit 130) or
# the build was already done (0); a rerun finishes it.
"$PTINDEX" --index "$TMP/int" --jobs 3 -q "$D/base" 2>"$TMP/int.err" &
pid=$!
sleep 1.5
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$? err=$(cat "$TMP/int.err")
check "SIGINT: no race reported" no_race
check "SIGINT: exit 130 (or 0 when it was done)" test "$status" -eq 130 -o "$status" -eq 0
run "$PTINDEX" --index "$TMP/int" --check
check "SIGINT: --check passes" test "$status" -eq 0
run "$PTINDEX" --index "$TMP/int" --jobs 3 -q "$D/base"
check "SIGINT: the rerun has no race" no_race
check "SIGINT: the rerun gives the counts of --jobs 1" test "$(counts "$TMP/int")" = "$want"

# Malformed input, reported from the reading thread while workers write.
M=$TMP/bad
mkdir -p "$M"
cp "$D/base/a1.jsonl" "$M/good.jsonl"
printf '{"id":"x","text":"fine"}\nnot json\n{"id":"y"}\n[1]\n{"id":"z","text":"\\u0000nul"}\n' >"$M/mixed.jsonl"
head -c 3000 /dev/urandom >"$M/binary.txt"
head -c 2000 "$D/base/a2.jsonl" | gzip -c | head -c 500 >"$M/cut.jsonl.gz"
: >"$M/empty.txt"
printf '<html><body><p>Caf\xe9 &#999999999999; text</p></body></html>' >"$M/page.html"
run "$PTINDEX" --index "$TMP/bad-ix" --jobs 3 "$M"
check "malformed input: no race reported" no_race
check "malformed input: exit 1 (something skipped)" test "$status" -eq 1
check "malformed input: each skip named" test "$(grep -c '^ptindex: .*bad/' <<<"$err")" -ge 5

run "$PTINDEX" --index "$TMP/ix" --rebuild --jobs 3 -q
check "--rebuild --jobs 3: no race reported" no_race
check "--rebuild --jobs 3: the counts of --jobs 1" test "$(counts "$TMP/ix")" = "$want"
run "$PTSEARCH" --index "$TMP/ix" -n 3 "$(sed -n '1s/^[^\t]*\t//p' "$D/queries")"
check "a search of the rebuilt index works" test "$status" -eq 0
[ "$failed" -eq 0 ] || echo "$err" | head -n 40
finish
