#!/usr/bin/env bash
# cli_safety.sh — nothing lost, nothing hangs: what cannot be read is never
# taken for deleted (unreadable folders and files, read errors, missing
# PATHs and recorded roots), long article ids, --check (during writes, a
# missing table, after --remove ID), leftovers of killed runs, and --watch
# (files still being written, Ctrl-C).
# Usage: cli_safety.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
. "$(dirname "$0")/lib.sh"

# gen_jsonl N PREFIX [SENTENCES]: N articles with ids PREFIX1..PREFIXN
gen_jsonl() {
    python3 -c '
import json, sys
n, prefix, sentences = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
words = "harbour grain tariff senate drought rally pipeline ceasefire ballot vaccine reactor".split()
for i in range(1, n + 1):
    body = " ".join("%s %d of the %s story." % (words[(i * 7 + k) % len(words)].capitalize(), i + k, words[(i + k) % len(words)]) for k in range(sentences))
    print(json.dumps({"id": "%s%d" % (prefix, i), "title": "Report %d" % i, "body": body}))
' "$1" "$2" "${3:-60}"
}

# ---- item 1: what could not be read is kept
U=$TMP/unread
D=$U/data IDX=$U/idx
mkdir -p "$D/sub"
for i in 1 2 3 4; do printf 'Zebra report %d\n\nZebras crossed the river number %d.\n' $i $i >"$D/sub/z$i.txt"; done
printf 'Giraffe report\n\nA giraffe looked over the fence.\n' >"$D/top.txt"
[ "$(id -u)" -eq 0 ] && chown -R nobody "$U"
run as_user "$PTINDEX" --index "$IDX" "$D"
check "first run adds 5 articles" has "5 added" "$err"
chmod 000 "$D/sub"
run as_user "$PTINDEX" --index "$IDX" "$D"
check "an unreadable folder: exit 1 ($status)" test "$status" -eq 1
check "... a warning names it" has "data/sub: Permission denied" "$err"
check "... nothing removed" has "0 removed" "$err"
check "... its articles stay" test "$(articles "$IDX")" -eq 5 -a "$(hits "$IDX" zebras)" -eq 4
chmod 755 "$D/sub"
chmod 000 "$D/sub/z1.txt"
run as_user "$PTINDEX" --index "$IDX" "$D"
check "an unreadable file: exit 1, named, kept" \
    test "$status" -eq 1 -a "$(articles "$IDX")" -eq 5 && has "z1.txt: Permission denied" "$err"
chmod 644 "$D/sub/z1.txt"
chmod 644 "$D/sub" # readable, not searchable: its files cannot be looked at
run as_user "$PTINDEX" --index "$IDX" "$D"
check "a folder that cannot be searched: exit 1, kept" \
    test "$status" -eq 1 -a "$(articles "$IDX")" -eq 5 && has "0 removed" "$err"
chmod 755 "$D/sub"
printf 'Zebra report 2\n\nZebras crossed the river number 2, and a new one.\n' >"$D/sub/z2.txt"
chmod 000 "$D/sub/z2.txt" # changed and unreadable: read again later, kept meanwhile
run as_user "$PTINDEX" --index "$IDX" "$D"
check "a changed, unreadable file is kept" test "$status" -eq 1 -a "$(articles "$IDX")" -eq 5
chmod 644 "$D/sub/z2.txt"
rm "$D/sub/z3.txt"
run as_user "$PTINDEX" --index "$IDX" "$D"
check "a file really deleted is still removed" has "1 updated, 1 removed, 3 unchanged" "$err"
check "... and the run exits 0" test "$status" -eq 0
run as_user "$PTINDEX" --index "$IDX" "$D" "$U/unmounted"
check "a PATH that does not exist: exit 2 ($status)" test "$status" -eq 2
check "... named" has "unmounted: No such file or directory" "$err"
check "... and nothing removed" test "$(articles "$IDX")" -eq 4
run timeout 10 "$PTINDEX" --index "$IDX" --watch "$U/unmounted"
check "--watch of a PATH that does not exist: exit 2" test "$status" -eq 2

# a read error part way (a gzip cut short): the articles after it stay
G=$U/gz GIDX=$U/gidx
mkdir -p "$G"
gen_jsonl 300 g | gzip >"$G/w.jsonl.gz"
"$PTINDEX" --index "$GIDX" --quiet "$G"
head -c 20000 "$G/w.jsonl.gz" >"$U/cut.gz"
cp "$G/w.jsonl.gz" "$U/whole.gz"
mv "$U/cut.gz" "$G/w.jsonl.gz"
run "$PTINDEX" --index "$GIDX" "$G"
check "a read error part way: exit 1, named" test "$status" -eq 1 && has "w.jsonl.gz:[0-9]*: truncated gzip" "$err"
check "... nothing removed" test "$(articles "$GIDX")" -eq 300 && has "0 removed" "$err"
run "$PTINDEX" --index "$GIDX" "$G"
check "... and again on the next run" test "$status" -eq 1 -a "$(articles "$GIDX")" -eq 300
mv "$U/whole.gz" "$G/w.jsonl.gz"
run "$PTINDEX" --index "$GIDX" "$G"
check "... the whole file back: all unchanged" has "0 added, 0 updated, 0 removed, 300 unchanged" "$err"

# --rebuild never drops what it cannot read
R=$U/roots RIDX=$U/ridx
mkdir -p "$R/a/inner" "$R/b"
printf 'Alpha\n\nAlpha text about otters.\n' >"$R/a/inner/x.txt"
printf 'Beta\n\nBeta text about beavers.\n' >"$R/b/y.txt"
[ "$(id -u)" -eq 0 ] && chown -R nobody "$R"
as_user "$PTINDEX" --index "$RIDX" --quiet "$R/a" "$R/b"
mv "$R/b" "$R/b.away"
run as_user "$PTINDEX" --index "$RIDX" --rebuild
check "--rebuild with a recorded root gone: exit 2, named" test "$status" -eq 2 && has "roots/b: No such file" "$err"
check "... the index is left as it was" test "$(hits "$RIDX" beavers)" -eq 1 -a "$(articles "$RIDX")" -eq 2
mv "$R/b.away" "$R/b"
chmod 000 "$R/a/inner"
run as_user "$PTINDEX" --index "$RIDX" --rebuild
check "--rebuild with an unreadable folder: exit 2" test "$status" -eq 2 && has "left as it was" "$err"
check "... the index is left as it was" test "$(hits "$RIDX" otters)" -eq 1
chmod 755 "$R/a/inner"
LONG_ROOT=$R/$(printf 'long-folder-name-%.0s' $(seq 14)) # over 200 bytes
mkdir -p "$LONG_ROOT"
printf 'Gamma\n\nGamma text about badgers.\n' >"$LONG_ROOT/z.txt"
"$PTINDEX" --index "$RIDX" --quiet "$LONG_ROOT"
run "$PTINDEX" --index "$RIDX" --rebuild
check "--rebuild once all is readable" test "$status" -eq 0 -a "$(articles "$RIDX")" -eq 3
check "... a root over 200 bytes long is rebuilt too" test "$(hits "$RIDX" badgers)" -eq 1

# ---- item 2: long article ids
L=$TMP/long
mkdir -p "$L/d"
ID_OK=$(printf 'x%.0s' $(seq 4096)) ID_LONG=$(printf 'y%.0s' $(seq 5000))
printf '{"id":"%s","body":"Quokkas gather near the river of long ids."}\n{"id":"%s","body":"Wombats refuse the id over the limit."}\n{"id":"short","body":"Penguins keep a short id."}\n' \
    "$ID_OK" "$ID_LONG" >"$L/d/a.jsonl"
run "$PTINDEX" --index "$L/idx" "$L/d"
check "an id over 4096 bytes is refused: exit 1" test "$status" -eq 1
check "... with a message naming file and line" has "a.jsonl:2: article id longer than the limit (4096 bytes)" "$err"
check "... counted as skipped" has "1 skipped (1 article id longer than the limit)" "$err"
check "an id of 4096 bytes is searchable" test "$(hits "$L/idx" quokkas)" -eq 1 -a "$(hits "$L/idx" wombats)" -eq 0
run "$PTINDEX" --index "$L/idx" --check
check "... and --check passes" test "$status" -eq 0
run "$PTINDEX" --index "$L/idx" --remove "$ID_OK"
check "... --remove by its id" test "$status" -eq 0 -a "$(hits "$L/idx" quokkas)" -eq 0
run "$PTINDEX" --index "$L/idx" --check
check "... --check passes after it" test "$status" -eq 0
sed -n 3p "$L/d/a.jsonl" >"$L/d/b" && mv "$L/d/b" "$L/d/a.jsonl"
run "$PTINDEX" --index "$L/idx" "$L/d"
check "gone from its file, it is removed" has "0 added, 0 updated, 0 removed, 1 unchanged" "$err"
printf '{"id":"%s","body":"Quokkas again."}\n' "$ID_OK" >>"$L/d/a.jsonl"
"$PTINDEX" --index "$L/idx" --quiet "$L/d"
sed -n 1p "$L/d/a.jsonl" >"$L/d/b" && mv "$L/d/b" "$L/d/a.jsonl"
run "$PTINDEX" --index "$L/idx" "$L/d"
check "an id of 4096 bytes gone from its file is removed" has "1 removed" "$err"
check "... not found, --check clean" test "$(hits "$L/idx" quokkas)" -eq 0 -a "$(articles "$L/idx")" -eq 1

# ---- item 8: --check
C=$TMP/check
mkdir -p "$C/d"
gen_jsonl 20 c >"$C/d/c.jsonl"
"$PTINDEX" --index "$C/idx" --quiet "$C/d"
cp -r "$C/idx" "$C/broken"
rm "$C/broken/termlist.glass"
run "$PTINDEX" --index "$C/idx" --remove c7
check "--remove by id" test "$status" -eq 0 -a "$(articles "$C/idx")" -eq 19
run "$PTINDEX" --index "$C/idx" --check
check "--check passes after --remove by id (the manifest follows)" test "$status" -eq 0
run "$PTINDEX" --index "$C/idx" "$C/d"
check "a rerun adds it back from its file" has "1 added, 0 updated, 0 removed, 19 unchanged" "$err"
check "... and then counts 20" test "$(articles "$C/idx")" -eq 20
run "$PTINDEX" --index "$C/broken" --check
check "--check with termlist.glass deleted: exit 2 ($status)" test "$status" -eq 2
check "... says which table" has "table termlist is missing" "$err"
check "... and no tree dump" test "$(wc -l <"$TMP/err")" -lt 6
# during writes: never "damaged"; a busy writer gives 75, --wait waits
gen_jsonl 1500 w 30 >"$C/big.jsonl"
"$PTINDEX" --index "$C/busy" --quiet --jobs 1 --commit-every 50 "$C/big.jsonl" &
writer=$!
checks=0 bad=0
# A commit under a check's metadata key iteration can make xapian-core 1.4
# leak the iterator's internals (allocated inside libxapian; the check
# retries on the new commit): under LeakSanitizer, such leaks are
# suppressed for these runs (lsan_xapian.supp).
xapian_leaks="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan_xapian.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
while kill -0 $writer 2>/dev/null; do
    [ -f "$C/busy/iamglass" ] || { sleep 0.02; continue; } # created whole, by one rename
    LSAN_OPTIONS=$xapian_leaks "$PTINDEX" --index "$C/busy" --check >"$TMP/c.out" 2>"$TMP/c.err"; st=$?
    checks=$((checks + 1))
    if [ $st -ne 0 ] && [ $st -ne 75 ]; then bad=$((bad + 1)); head -c 300 "$TMP/c.err"; fi
done
wait $writer
echo "checks during a write: $checks, wrong: $bad"
check "--check during writes is never wrong ($checks run)" test "$bad" -eq 0 -a "$checks" -gt 0
"$PTINDEX" --index "$C/busy2" --quiet --jobs 1 --commit-every 50 "$C/big.jsonl" &
writer=$!
sleep 0.5
run "$PTINDEX" --index "$C/busy2" --check --wait
wait $writer
check "--check --wait waits for the writer and passes" test "$status" -eq 0 && has "^1500 articles" "$out"

# ---- item 10: leftovers of killed runs
K=$TMP/left/idx
mkdir -p "$TMP/left"
gen_jsonl 2000 k 30 >"$TMP/left/k.jsonl"
"$PTINDEX" --index "$K" --quiet --jobs 1 "$TMP/left/k.jsonl"
"$PTINDEX" --index "$K" --quiet --jobs 1 --rebuild &
pid=$!
python3 -c '
import glob, os, sys
def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
pattern, pid = sys.argv[1] + ".rebuild-*.compact-*", int(sys.argv[2])
while not glob.glob(pattern):
    if not running(pid):
        sys.exit(0)
os.kill(pid, 9)' "$K" $pid # the moment its compaction starts
wait $pid 2>/dev/null
caught=$(ls -d "$K".rebuild-*.compact-* 2>/dev/null | wc -l)
echo "rebuild killed during its compaction: $caught leftover(s)"
sh -c 'exit 0' & dead=$!; wait $dead # a pid no process has now
for name in new-$dead compact-$dead part-$dead-2 rebuild-$dead.compact-$dead rebuild-$dead.part-$dead-1 \
    rebuild-$dead.part-$dead-0.compact-$dead; do
    mkdir -p "$K.$name" && : >"$K.$name/postlist.glass"
done
mkdir -p "$K.rebuild-$$.compact-$$" "$K.backup" # a live maker; not ours
run "$PTINDEX" --index "$K" "$TMP/left/k.jsonl"
check "the next run works" test "$status" -eq 0
check "... and removes every leftover of dead runs" \
    test "$(ls -d "$K".* | sort | tr '\n' ' ')" = "$K.backup $K.rebuild-$$.compact-$$ "
check "... the index is whole" test "$(articles "$K")" -eq 2000
# --rebuild removes the old index (swapped out, here with a folder inside)
# itself, not through an rm found on PATH (issue 17).
R=$TMP/norm/idx
mkdir -p "$TMP/norm/bin"
gen_jsonl 20 r 5 >"$TMP/norm/r.jsonl"
"$PTINDEX" --index "$R" --quiet "$TMP/norm/r.jsonl"
mkdir -p "$R/stray/deeper" && : >"$R/stray/deeper/file"
printf '#!/bin/sh\n: >"%s/rm-ran"\n' "$TMP/norm" >"$TMP/norm/bin/rm" && chmod 755 "$TMP/norm/bin/rm"
PATH=$TMP/norm/bin:$PATH run "$PTINDEX" --index "$R" --quiet --rebuild
check "--rebuild with a fake rm first on PATH: exit 0 ($status)" test "$status" -eq 0
check "... no rm was run" test ! -e "$TMP/norm/rm-ran"
check "... the old index is gone, folders and all" test -z "$(ls -d "$R".* 2>/dev/null)"
check "... the new index is whole" test "$(articles "$R")" -eq 20

# ---- item 11: --watch waits for files to be written whole; Ctrl-C exits 130
W=$TMP/watch
mkdir -p "$W/d"
"$PTINDEX" --index "$W/idx" --watch "$W/d" 2>"$W/watch.err" &
watcher=$!
sleep 1
{ printf 'Slow report\n\nThe first half tells of platypus.\n\n'; sleep 2.5
  printf 'The second half tells of echidna.\n'; } >"$W/d/slow.txt" &
{ printf '{"id":"j1","body":"A line written in two '; sleep 2.5; printf 'goes about narwhals."}\n'; } >"$W/d/slow.jsonl" &
half=0 whole=0
for _ in $(seq 60); do
    a=$(hits "$W/idx" platypus) b=$(hits "$W/idx" echidna)
    [ "$a" -gt 0 ] && [ "$b" -eq 0 ] && half=1
    [ "$b" -gt 0 ] && [ "$(hits "$W/idx" narwhals)" -gt 0 ] && { whole=1; break; }
    sleep 0.2
done
check "--watch: no search sees half a file" test "$half" -eq 0
check "--watch: the whole files are indexed" test "$whole" -eq 1
check "--watch: a line being written is not called malformed" sh -c "! grep -q malformed '$W/watch.err'"
mv "$W/d/slow.txt" "$W/d/renamed.txt" # moved in whole: no settling, never missing
gone=0
for _ in $(seq 15); do [ "$(hits "$W/idx" echidna)" -eq 1 ] || gone=1; sleep 0.1; done
check "--watch: a renamed file never drops out of search" test "$gone" -eq 0
kill -INT $watcher; wait $watcher; st=$?
check "--watch: Ctrl-C exits 130 ($st)" test "$st" -eq 130
"$PTINDEX" --index "$W/idx" --watch --settle 0.2 "$W/d" 2>/dev/null &
watcher=$!
sleep 0.5
printf 'Quick\n\nA quick note about lemurs.\n' >"$W/d/quick.txt"
found=0
for _ in $(seq 20); do [ "$(hits "$W/idx" lemurs)" -eq 1 ] && { found=1; break; }; sleep 0.1; done
kill -TERM $watcher; wait $watcher; st=$?
check "--settle 0.2: a closed file is indexed soon" test "$found" -eq 1
check "--watch: SIGTERM exits 130 too" test "$st" -eq 130
run "$PTINDEX" --index "$W/idx" --watch --settle soon "$W/d"
check "--settle needs seconds" test "$status" -eq 2 && has "settle needs" "$err"

finish
