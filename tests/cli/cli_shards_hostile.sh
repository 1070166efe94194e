#!/usr/bin/env bash
# cli_shards_hostile.sh — a sharded index (ptindex --shards, issue 19) under
# what a hostile world does to it: the writer killed (SIGKILL) between two
# shards' commits and run again; an unprivileged user who may not write
# one shard, or any; a disk that fills during a sharded build (a small
# tmpfs, root only: skipped, and said, elsewhere). After each, the index
# passes --check and, once a run finishes, ranks as one unsharded index of
# the same files (ids, titles, dates; scores within 1e-9).
# Usage: cli_shards_hostile.sh PTINDEX PTSEARCH
set -u
PTINDEX=$1 PTSEARCH=$2
HERE=$(dirname "$0")
. "$HERE/lib.sh"
# Under AddressSanitizer: Xapian's own leaks on a failed write (see the file).
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan_xapian.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
D=$TMP/docs S=$TMP/sharded U=$TMP/plain M=$TMP/mnt
mkdir -p "$D"
trap 'umount "$M" 2>/dev/null; cleanup' EXIT

# gen.py OUTDIR N PREFIX: N articles of 3 sources in 3 JSON Lines files.
cat >"$TMP/gen.py" <<'EOF'
import json, random, sys
out, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(prefix)
vocab = ("grain wheat export quota farmer harbour ship tanker crude refinery bank rate inflation "
         "election minister vote parliament coalition drought harvest storm flood court ruling appeal "
         "tariff steel copper mine strike union wage pension budget deficit bond yield currency").split()
files = {}
for i in range(n):
    src = ["Daily Wire", "Harbour Times", "Capital Post"][i % 3]
    paras = [" ".join(" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + "."
                      for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(2, 5))]
    art = {"id": "%s%03d" % (prefix, i), "title": " ".join(rng.choice(vocab) for _ in range(5)).title(),
           "source": src, "date": "2026-11-%02d" % (1 + i % 28), "body": paras}
    files.setdefault("%s/%s-%s.jsonl" % (out, prefix, src.split()[0].lower()), []).append(art)
for path, arts in files.items():
    with open(path, "w") as f:
        f.write("".join(json.dumps(a) + "\n" for a in arts))
EOF
python3 "$TMP/gen.py" "$D" 60 a

QUERIES=("grain harbour" "storm court ruling" "coalition vote" "pension budget" "copper mine strike"
         "election" "probefish" "tanker wheat")
# same_as_plain INDEX WHAT: a fresh unsharded index of $D ranks the queries as INDEX.
same_as_plain() {
    rm -rf "$U"
    "$PTINDEX" --index "$U" --quiet "$D"
    printf '%s\n' "${QUERIES[@]}" >"$TMP/queries"
    "$PTSEARCH" --index "$U" --format json -n 30 --batch "$TMP/queries" >"$TMP/u.json" 2>/dev/null
    "$PTSEARCH" --index "$1" --format json -n 30 --batch "$TMP/queries" >"$TMP/s.json" 2>/dev/null
    check "$2: ranks as one unsharded index" python3 "$HERE/same_hits.py" "$TMP/u.json" "$TMP/s.json" "$2"
}
# checks_out INDEX WHAT: ptindex --check finds nothing wrong.
checks_out() {
    run "$PTINDEX" --index "$1" --check
    check "$2: --check passes" test "$status" -eq 0
    [ "$status" -eq 0 ] || echo "$out$err" | head -5
}

run "$PTINDEX" --index "$S" --shards 3 --quiet "$D"
check "a sharded build" test "$status" -eq 0 -a -f "$S/XAPIANDB"

# ---- SIGKILL between two shards' commits. Shards commit from the last to
# shard 0; holding shard 0's commit gate (a shared flock on its directory,
# as a slow search does) stops the writer there, after the other shards'
# commits. Killed then, the next run must finish what it began.
read -r _ s_p < <(python3 "$HERE/shard_of.py" 3 k3)
read -r _ s_q < <(python3 "$HERE/shard_of.py" 3 k1)
check "the probe articles sit in shard 0 and another" test "$s_p" -eq 0 -a "$s_q" -ne 0
printf '{"id":"k3","title":"Probe","body":"Probefish landed in the harbour."}\n{"id":"k1","title":"Probe","body":"Probefish sailed from the harbour."}\n' \
    >"$D/probe.jsonl"
flock -s "$S/shard-0" sh -c "touch '$TMP/held'; while [ ! -e '$TMP/release' ]; do sleep 0.05; done" &
holder=$!
for _ in $(seq 100); do [ -e "$TMP/held" ] && break; sleep 0.05; done
"$PTINDEX" --index "$S" --quiet "$D" 2>"$TMP/killed.err" &
writer=$!
seen=0 until=$((SECONDS + 8))
while [ "$SECONDS" -lt "$until" ]; do
    [ "$(hits "$S" probefish)" -eq 1 ] && { seen=1; break; }
    sleep 0.05
done
kill -9 "$writer" 2>/dev/null; wait "$writer"; wstatus=$?
touch "$TMP/release"; wait "$holder"
if [ "$seen" -eq 1 ] && [ "$wstatus" -eq 137 ]; then
    check "killed between commits: the other shard's article is there, shard 0's not" \
        test "$(hits "$S" probefish)" -eq 1
    run "$PTINDEX" --index "$S" "$D"
    check "the run after the kill finishes (exit 0)" test "$status" -eq 0
    check "... and adds the article shard 0 missed" test "$(hits "$S" probefish)" -eq 2
    checks_out "$S" "after a kill between commits"
    same_as_plain "$S" "after a kill between commits"
else
    echo "SKIP: the writer finished before it could be killed between commits (seen $seen, exit $wstatus)"
    "$PTINDEX" --index "$S" --quiet "$D"
fi

# ---- an unprivileged user: ptsearch reads what root wrote, ptindex may
# not write it and says which directory; nothing changes.
python3 "$TMP/gen.py" "$D" 9 u
run as_user "$PTSEARCH" --index "$S" --format json "grain harbour"
check "nobody searches a root-owned sharded index" test "$status" -eq 0 -a -n "$out"
before=$(articles "$S")
run as_user "$PTINDEX" --index "$S" "$D"
check "nobody cannot write it: exit 2 (got $status)" test "$status" -eq 2
check "... saying so, naming the index" has "^ptindex: $S.*[Pp]ermission denied" "$err"
check "... and nothing changed" test "$(articles "$S")" = "$before"
# one shard another user's: the run stops before any shard commits
chown -R nobody "$TMP/sharded"
chown -R root "$S/shard-2"
chmod -R go-w "$S/shard-2"
run as_user "$PTINDEX" --index "$S" "$D"
check "one shard not writable: exit 2 (got $status)" test "$status" -eq 2
check "... naming that shard" has "shard-2" "$err"
check "... and nothing changed" test "$(articles "$S")" = "$before"
checks_out "$S" "after a shard it may not write"
chown -R nobody "$S/shard-2"
run as_user "$PTINDEX" --index "$S" "$D"
check "with every shard its own, nobody adds the new articles" test "$status" -eq 0 -a "$(articles "$S")" -eq $((before + 9))
same_as_plain "$S" "after the unprivileged run"

# ---- a disk that fills during a sharded build (a small tmpfs; root only)
if mkdir -p "$M" && mount -t tmpfs -o size=160k tmpfs "$M" 2>/dev/null; then
    T=$M/idx
    run "$PTINDEX" --index "$T" --shards 3 --commit-every 10 "$D"
    check "a full disk: exit 2 (got $status)" test "$status" -eq 2
    check "... says the disk is full" has "disk is full" "$err"
    [ "$status" -eq 2 ] || echo "$err" | tail -3
    if [ -e "$T/XAPIANDB" ]; then
        checks_out "$T" "a sharded build on a full disk"
    fi
    mount -o remount,size=64m "$M"
    run "$PTINDEX" --index "$T" --shards 3 --commit-every 10 "$D"
    check "rerun with room: exit 0 (got $status)" test "$status" -eq 0
    checks_out "$T" "rerun with room"
    same_as_plain "$T" "a sharded build finished after a full disk"
    check "nothing is left beside the index" test -z "$(ls "$M" | grep -v '^idx$')"
else
    echo "SKIP: cannot mount a tmpfs (not root): the full disk is not tested here"
fi
finish
