#!/usr/bin/env bash
# cli_limits.sh — ptsearch never runs away and never fails silently: query
# limits (exit 2 naming the limit; a pasted text of 1,000 words is
# answered), --timeout (a slow search stops with a message; the watchdog
# ends one that stalls), a damaged postlist (every search ends, clearly),
# a message with every exit 2, invalid UTF-8 and control characters handled
# alike in every format and never echoed raw, batch lines that fail named
# by their line while the others run.
# Usage: cli_limits.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
source "$(dirname "$0")/lib.sh"

# 3,000 articles of common words: a phrase of them checks every passage.
D=$TMP/docs IDX=$TMP/index
mkdir -p "$D"
python3 - >"$D/news.jsonl" <<'PY'
import json, random
rng = random.Random(9)
words = ("oil prices bank rate wheat exports gold dollar yen trade deficit interest rates fell "
         "coffee sugar shares market company profit quarter tonnes minister talks strike port "
         "kerbs harbour grain corn soybean cattle copper zinc silver bonds yield inflation").split()
for i in range(3000):
    body = " ".join(" ".join(rng.choice(words) for _ in range(11)) + " said." for _ in range(5))
    print(json.dumps({"id": "a%d" % i, "title": "Markets %d" % i, "source": "Wire", "body": body}))
PY
"$PTINDEX" --index "$IDX" --quiet "$D"
S() { run "$PTSEARCH" --index "$IDX" "$@"; }
no_esc() { ! grep -q $'\033' <<<"$1"; }
# failed_with PATTERN: the last run exited 2 with PATTERN on stderr.
failed_with() { test "$status" -eq 2 && has "$1" "$err"; }

# ---- limits: each exits 2 with a message naming it
words() { python3 -c 'import sys; print(" ".join([sys.argv[1]] * int(sys.argv[2])))' "$@"; }
S "$(words "$(printf 'q%.0s' {1..40})" 1000)"
check "over 32768 bytes: exit 2 naming the limit" failed_with "32768 bytes (the limit)"
S "$(words oil 2001)"
check "over 2000 words: exit 2 naming the limit" failed_with "more than 2000 words"
S "$(words 'a' 20000)"
check "20,000 stopwords: exit 2" failed_with "the limit"
S "$(words 'oil*' 11)"
check "over 10 wildcards: exit 2 naming the limit" failed_with "more than 10 wildcards"
S "$(printf '(%.0s' {1..65}) oil"
check "parentheses over 64 deep: exit 2 naming the limit" failed_with "nested more than 64 deep"
S "$(words 'NOT' 65) oil"
check "NOT over 64 deep: exit 2 naming the limit" failed_with "nested more than 64 deep"
S "oil $(words 'title:oil' 65)"
check "over 64 fields: exit 2 naming the limit" failed_with "more than 64 field:value"
S "title:oil $(words oil 20000)"
check "title:oil and 20,000 words: exit 2" failed_with "the limit"
# A pasted text of 1,000 words (not timed: benchmarks measure speed).
S --timeout 0 -n 5 "$(python3 -c '
import random
rng = random.Random(3)
vocab = "the oil prices fell as traders said that bank rates would rise while coffee and sugar exports grew in the quarter".split()
print(" ".join(rng.choice(vocab) for _ in range(1000)))')"
check "a pasted text of 1,000 words is answered" test "$status" -eq 0 -a "$(grep -c '^[0-9]*\. ' <<<"$out")" -eq 5

# ---- --timeout
S --timeout 0.001 -n 2000 -k 0 --explain '"interest rates"'
check "--timeout: a slow search stops with exit 2" test "$status" -eq 2
check "--timeout: it says the results may be incomplete" has "stopped at the time limit (--timeout 0.001)" "$err"
S --timeout 0 -n 3 '"interest rates"'
check "--timeout 0: no limit" test "$status" -eq 0 -a -z "$err"
for bad in -1 abc 1e9 nan; do
    S --timeout "$bad" oil
    check "--timeout $bad: exit 2 with a message" failed_with "timeout must be"
done
printf 'oil prices\n"interest rates"\n' >"$TMP/slow.topics"
S --timeout 0.001 -n 2000 -k 0 --explain --batch "$TMP/slow.topics"
check "--timeout in batch: the stopped line is named" failed_with "slow.topics:2: stopped at the time limit"

# The watchdog: a search stalled past twice its limit plus 2 s ends with
# exit 2 and a message. SIGSTOP stalls it once its watchdog is armed
# (SIGALRM caught: bit 14 of SigCgt), the alarm comes while it is stopped.
watchdog_ok=0
for attempt in 1 2 3 4 5; do
    "$PTSEARCH" --index "$IDX" --timeout 1 -n 2000 -k 0 --explain '"interest rates"' >/dev/null 2>"$TMP/wd.err" &
    pid=$!
    for _ in $(seq 500); do
        mask=$(sed -n 's/^SigCgt:\t//p' "/proc/$pid/status" 2>/dev/null)
        [ -n "$mask" ] && [ $((0x$mask & 0x2000)) -ne 0 ] && break
        sleep 0.01
    done
    kill -STOP "$pid" 2>/dev/null
    sleep 5
    kill -CONT "$pid" 2>/dev/null
    wait "$pid"
    st=$?
    if [ "$st" -eq 2 ] && grep -q "no answer 3 s after the time limit (--timeout 1): stopped" "$TMP/wd.err"; then
        watchdog_ok=1
        break
    fi
done
check "the watchdog stops a stalled search with exit 2 and a message (attempt $attempt)" test "$watchdog_ok" -eq 1

# ---- a damaged postlist: every search ends within its time limit (a
# generous bound), with its answer or exit 2 and a message
flip() { # flip SEED: 13 bits of a copy's postlist.glass
    rm -rf "$TMP/damaged"
    cp -r "$IDX" "$TMP/damaged"
    python3 - "$TMP/damaged/postlist.glass" "$1" <<'PY'
import random, sys
path, rng = sys.argv[1], random.Random(int(sys.argv[2]))
with open(path, "r+b") as f:
    size = f.seek(0, 2)
    for _ in range(13):
        at = rng.randrange(size)
        f.seek(at)
        b = f.read(1)[0] ^ (1 << rng.randrange(8))
        f.seek(at)
        f.write(bytes([b]))
PY
}
ended=0 errors=0 silent=0 runs=0 damage=0 hinted=0
for seed in $(seq 1 12); do
    flip "$seed"
    for q in "oil prices" '"interest rates"' kerbz; do
        timeout 30 "$PTSEARCH" --index "$TMP/damaged" --timeout 2 "$q" >/dev/null 2>"$TMP/dmg.err"
        st=$?
        runs=$((runs + 1))
        [ "$st" -ne 124 ] && ended=$((ended + 1))
        [ "$st" -eq 2 ] && errors=$((errors + 1))
        [ "$st" -eq 2 ] && ! grep -q '^ptsearch: ' "$TMP/dmg.err" && silent=$((silent + 1))
        grep -q 'index is damaged' "$TMP/dmg.err" && damage=$((damage + 1))
        grep -q 'index is damaged.*(ptindex --rebuild restores it)$' "$TMP/dmg.err" && hinted=$((hinted + 1))
    done
done
echo "damaged postlist: $runs searches, $errors exit 2"
check "damaged postlist: every search ends ($ended of $runs)" test "$ended" -eq "$runs"
check "damaged postlist: some searches see the damage ($errors)" test "$errors" -gt 0
check "damaged postlist: no exit 2 without a message ($silent)" test "$silent" -eq 0
check "damaged postlist: each damage message names ptindex --rebuild ($hinted of $damage)" \
    test "$damage" -gt 0 -a "$hinted" -eq "$damage"

# ---- invalid UTF-8 and control characters: the same in every format
S --format json $'kerbz\xff'
check "json, invalid UTF-8: exit 1 (nothing found), as text" test "$status" -eq 1
check "json, invalid UTF-8: the suggestion as a JSON line" test "$out" = '{"suggestion":"kerbs"}'
S $'kerbz\xff'
check "text, invalid UTF-8: exit 1" test "$status" -eq 1
check "text, invalid UTF-8: the suggestion" has "^ptsearch: did you mean: kerbs$" "$err"
S --format trec $'kerbz\xff'
check "trec, invalid UTF-8: exit 1" test "$status" -eq 1
S $'kerbz\x1b[1m'
check "did you mean: no ESC echoed" no_esc "$err"
check "did you mean: the control character separates words" has "^ptsearch: did you mean: kerbs \[1m$" "$err"
# Control characters separate words, so an error quotes at most a C1
# control (U+009B, CSI to some terminals) or an invalid byte: escaped.
S $'oil lang:x\xc2\x9b2J\xff'
check "an error quoting the query: exit 2, the C1 control and the invalid byte escaped" \
    failed_with "'x\\\\xc2\\\\x9b2J\\\\xff'"
S --batch "$TMP/$(printf 'no\033such')"
check "an error quoting a file name: ESC escaped" failed_with 'no\\x1bsuch'
check "an error quoting a file name: no ESC" no_esc "$err"
S --format $'x\x1b'
check "a bad option value: ESC escaped" failed_with "unknown format 'x\\\\x1b'"

# ---- batch: a bad line is named by its line, the others still run
printf 'oil prices\nkerbz\xff\nlang:zz oil\nq\xff4\tcoffee\n' >"$TMP/topics"
S --format json -n 2 --batch "$TMP/topics"
check "batch: a failed line makes exit 2" test "$status" -eq 2
check "batch: the failed line is named FILE:LINE" has "topics:3: unknown language 'zz'" "$err"
check "batch: only that line is reported" test "$(wc -l <<<"$err")" -eq 1
check "batch: every other line answered, valid JSON throughout" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
qids = [l.get("qid") for l in lines]
assert qids.count("1") == 2 and {"suggestion": "kerbs", "qid": "2"} in lines, lines
assert qids.count("q\ufffd4") == 2, qids' "$TMP/out"
S -n 2 --batch "$TMP/topics"
check "batch text: the header shows the invalid byte escaped" has '^## q\\xff4: coffee$' "$out"

# ---- every exit 2 says why
for args in "-n x oil" "--format xml oil" "--index $TMP/none oil" "" "--batch $TMP/none" "--no-such-option oil"; do
    # shellcheck disable=SC2086
    run "$PTSEARCH" --index "$IDX" $args
    check "exit 2 with a message: ptsearch $args" test "$status" -eq 2 -a -n "$err"
done
S '()'
check "exit 2 with a message: an empty query" test "$status" -eq 2 -a -n "$err"
"$PTSEARCH" --index "$IDX" oil >/dev/full 2>"$TMP/full.err"
check "exit 2 with a message: output cannot be written" test $? -eq 2 -a -s "$TMP/full.err"
finish
