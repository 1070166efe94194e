#!/usr/bin/env bash
# cli_bad_input.sh — the kinds of bad input of docs/bad-input.md that no
# other test meets: special files, unsupported names, odd JSON Lines and
# gzip, the index directory itself, arguments, environment, signals and an
# unwritable output. Each row of docs/bad-input.md names its test.
# Usage: cli_bad_input.sh PTINDEX PTSEARCH CORPUS_DIR
set -u
PTINDEX=$1 PTSEARCH=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
found() { "$PTSEARCH" --index "$1" --format trec -n 50 "${@:2}" 2>/dev/null | cut -d' ' -f3 | sort | tr '\n' ' '; }

# ---- files: special files are skipped, never waited on
D=$TMP/special
mkdir -p "$D"
printf 'Title\n\nText about Gdynia.\n' >"$D/a.txt"
mkfifo "$D/pipe.txt"
run timeout 20 "$PTINDEX" --index "$TMP/special-ix" "$D" /dev/zero
check "a FIFO and a device are skipped, not read (exit 1)" test "$status" -eq 1
check "... each named: not a regular file" test "$(grep -c ': not a regular file$' <<<"$err")" -eq 2
check "... the other file is indexed" test "$(hits "$TMP/special-ix" Gdynia)" -eq 1

# ---- files: unsupported names
U=$TMP/unsupported
mkdir -p "$U"
echo "Text about Sopot." >"$U/notes.pdf"
echo "Text about Sopot." >"$U/README"
run "$PTINDEX" --index "$TMP/u-ix" "$U"
check "files of other types under a directory: counted as ignored" has "2 other files ignored" "$err"
run "$PTINDEX" --index "$TMP/u-ix" "$U/notes.pdf"
check "a file of another type named: skipped (exit 1) with the types listed" \
    test "$status" -eq 1 -a -n "$(grep 'notes.pdf: unsupported file type (.txt' <<<"$err")"

# ---- the index directory itself
run "$PTINDEX" --index "$U" "$D/a.txt"
check "an index directory holding other files: refused (exit 2)" \
    test "$status" -eq 2 -a -n "$(grep 'is not a ptsearch index' <<<"$err")"
echo x >"$TMP/a-file"
run "$PTINDEX" --index "$TMP/a-file" "$D/a.txt"
check "an index path that is a file: ptindex exits 2 naming it" test "$status" -eq 2 && has "a-file" "$err"
run "$PTSEARCH" --index "$TMP/a-file" Gdynia
check "an index path that is a file: ptsearch exits 2 naming it" test "$status" -eq 2 && has "no index at .*a-file" "$err"

# ---- JSON Lines
J=$TMP/json
mkdir -p "$J"
{
    printf '{"id":"dup","text":"First version about Riga."}\n'
    printf '{"id":"dup","text":"Second version about Vilnius."}\n'
    printf '{"id":1.5,"text":"A float id, about Oslo."}\n'
    printf '{"id":["a"],"text":"An array id, about Bergen."}\n'
    printf '{"id":"d","text":"A date nobody can read, about Tromso.","date":"yesterday"}\n'
    python3 -c "print('{\"id\":\"deep\",\"text\":\"x\",\"z\":' + '[' * 3000 + ']' * 3000 + '}')"
    printf '{"id":"after","text":"The line after the deep one, about Narvik."}\n'
} >"$J/feed.jsonl"
run "$PTINDEX" --index "$TMP/j-ix" "$J"
check "JSON nested past jansson's depth: skipped with file:line (exit 1)" \
    test "$status" -eq 1 -a -n "$(grep 'feed.jsonl:6: malformed JSON: maximum parsing depth' <<<"$err")"
check "... and the line after it is indexed" test "$(hits "$TMP/j-ix" Narvik)" -eq 1
check "an id given twice in a file: the later article wins, counted as updated" \
    test "$(found "$TMP/j-ix" Riga Vilnius)" = "dup " -a "$(hits "$TMP/j-ix" Vilnius)" -eq 1
check "... the summary says so" has "1 updated" "$err"
check "a number id is its text; an id of another kind is file:line" \
    test "$(found "$TMP/j-ix" Oslo Bergen)" = "1.5 feed.jsonl:4 "
check "an unreadable date: the article has none" \
    test "$("$PTSEARCH" --index "$TMP/j-ix" --format json Tromso | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["date"])')" = None

# ---- gzip
G=$TMP/gz
mkdir -p "$G"
python3 - "$G" <<'EOF'
import gzip, os, sys
d = sys.argv[1]
w = lambda name, data: open(os.path.join(d, name), "wb").write(data)
w("members.txt.gz", gzip.compress(b"First member about Madrid.\n") + gzip.compress(b"Second member about Sevilla.\n"))
w("plain.txt.gz", b"Not compressed at all, about Valencia.\n")
w("bomb.txt.gz", gzip.compress(b"a " * (20 * 1024 * 1024)))
EOF
run "$PTINDEX" --index "$TMP/g-ix" "$G"
check "gzip of several members: read whole" test "$(found "$TMP/g-ix" Madrid Sevilla)" = "members.txt.gz "
check "a .gz that is not compressed: read as it is" test "$(hits "$TMP/g-ix" Valencia)" -eq 1
check "gzip that decompresses past 16 MB: skipped as too large" has "bomb.txt.gz: too large" "$err"

# ---- queries and --batch
I=$TMP/ix
"$PTINDEX" --index "$I" -q "$CORPUS"
run "$PTSEARCH" --index "$I" -- Donbas -Russia
check "a negated word after --: searched (exit 0)" test "$status" -eq 0
run "$PTSEARCH" --index "$I" Donbas -Russia
check "a negated word read as an option without --: exit 2, the option named" \
    test "$status" -eq 2 -a -n "$(grep "invalid option -- 'R'" <<<"$err")"
for q in '*' '((((' '"'; do
    run "$PTSEARCH" --index "$I" -- "$q"
    check "query '$q': exit 2, no word to search for" test "$status" -eq 2 && has "no word to search for" "$err"
done
run "$PTSEARCH" --index "$I" 'Donbas NEAR/99999999999999 Russia'
check "NEAR with a huge distance: searched" test "$status" -eq 0
run "$PTSEARCH" --index "$I" --batch "$TMP/no-such-file"
check "--batch of a missing file: exit 2 naming it" test "$status" -eq 2 && has "no-such-file: No such file" "$err"
python3 -c 'import random, sys; r = random.Random(4); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4000)))' >"$TMP/random-topics"
run "$PTSEARCH" --index "$I" --format json --batch "$TMP/random-topics"
check "--batch of random bytes: answers, or exits 2 naming the line without words" \
    test "$status" -le 1 -o \( "$status" -eq 2 -a -n "$(grep 'random-topics:[0-9]*: the query has no word' <<<"$err")" \)
check "--batch of random bytes: the output is JSON" python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    json.loads(line)' "$TMP/out"

# ---- arguments
run "$PTSEARCH" --index "$I" --format xml Berlin
check "unknown --format: exit 2 naming it" test "$status" -eq 2 && has "unknown format 'xml'" "$err"
run "$PTSEARCH" --index "$I" -n -5 Berlin
check "negative -n: exit 2 with the range" test "$status" -eq 2 && has "from 0 to 100000" "$err"
run "$PTINDEX" --index "$I" --bogus
check "unknown option: exit 2 with --help named" test "$status" -eq 2 && has "ptindex --help" "$err"
run "$PTINDEX" --index "$I" --rebuild --check
check "modes that do not combine: exit 2" test "$status" -eq 2 && has "do not combine" "$err"

# ---- environment
run env -u HOME -u PTSEARCH_INDEX -u XDG_DATA_HOME "$PTSEARCH" Berlin
check "no index named and no HOME: ptsearch exits 2 saying so" test "$status" -eq 2 && has "neither PTSEARCH_INDEX" "$err"
run env -u HOME -u PTSEARCH_INDEX -u XDG_DATA_HOME "$PTINDEX" "$CORPUS"
check "no index named and no HOME: ptindex exits 2 saying so" test "$status" -eq 2 && has "neither PTSEARCH_INDEX" "$err"

# ---- signals and output
python3 "$(dirname "$0")/../fault/gen_data.py" "$TMP/data" 1500 5 || exit 2
"$PTINDEX" --index "$TMP/sig" --jobs 1 "$TMP/data/base" 2>"$TMP/sig.err" &
pid=$!
# Once the index exists the handler is in place (it is set before).
for _ in $(seq 200); do [ -d "$TMP/sig" ] && break; sleep 0.1; done
sleep 0.2
kill -TERM "$pid" 2>/dev/null
wait "$pid"
st=$?
check "SIGTERM: like Ctrl-C, exit 130 (or 0 when done)" test "$st" -eq 130 -o "$st" -eq 0
run "$PTINDEX" --index "$TMP/sig" --check
check "SIGTERM: the index checks" test "$status" -eq 0
"$PTSEARCH" --index "$I" Berlin >/dev/full 2>/dev/null
check "stdout on a full disk: ptsearch exits 2" test $? -eq 2
finish
