#!/usr/bin/env bash
# cli_disk.sh — what the disk does to an index. A full disk on every write
# path of ptindex (a first build on one thread and in parallel parts, an
# incremental add, --rebuild; failing during adds, a commit, the
# compaction, the merge of parts, the swap) ends with exit 2, a message
# that the disk is full naming the index, the index at its last commit
# (--check passes, ptsearch finds it), no temporary directory left, and a
# summary that counts only what was committed; a rerun with room finishes
# the job. The full disk is a small tmpfs when one can be mounted (root),
# and always tests/enospc_shim.c: preloaded, it fails writes under a
# directory past a byte budget. Then a damaged index: ptindex says so and
# that --rebuild restores it, and --rebuild does.
# Usage: cli_disk.sh PTINDEX PTSEARCH ENOSPC_SHIM [SANITIZED(0|1)]
# (sanitized programs are slow: fewer failure points then)
set -u
PTINDEX=$1 PTSEARCH=$2 SHIM=$3 SANITIZED=${4:-0}
. "$(dirname "$0")/lib.sh"
M=$TMP/mnt
trap 'umount "$M" 2>/dev/null; cleanup' EXIT
# Under AddressSanitizer: Xapian's own leaks on a failed write (see the file).
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan_xapian.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# Articles of random words from a Zipf-like vocabulary (they compress like
# text), each with the word quokkaquill. gen N SEED ID_PREFIX
gen() {
    python3 - "$@" <<'PY'
import json, random, sys
n, seed, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
syll = ["ka", "lo", "mi", "ter", "son", "va", "ri", "del", "po", "nu", "bra", "ste", "gan", "or", "lek", "ti",
        "mar", "zu", "fen", "ha"]
vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(6000)})
rng.shuffle(vocab)
weights = [1.0 / (i + 1) for i in range(len(vocab))]
for i in range(n):
    words = rng.choices(vocab, weights, k=rng.randint(150, 450)) + ["quokkaquill"]
    sents = [" ".join(words[j:j + 15]).capitalize() + "." for j in range(0, len(words), 15)]
    print(json.dumps({"id": "%s%d" % (prefix, i), "title": " ".join(rng.choices(vocab, weights, k=6)).capitalize(),
                      "date": "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
                      "source": rng.choice(["Wire", "Daily", "Herald", "Post"]), "body": " ".join(sents)}))
PY
}
A=$TMP/a.jsonl B=$TMP/b.jsonl
gen 600 1 g >"$A"   # 1.8 MB
gen 200 2 h >"$B"   # 0.6 MB

added() { sed -n 's/^ptindex: \([0-9]*\) added,.*/\1/p' <<<"$err" | tail -1; }

# expect_full NAME IDX BEFORE: the run just made ($status, $err) met a full
# disk; the index held BEFORE articles.
expect_full() {
    local name=$1 idx=$2 before=$3 now
    check "$name: exit 2 (got $status)" test "$status" -eq 2
    check "$name: says the disk is full, naming the index" has "^ptindex: $idx: .*disk is full" "$err"
    check "$name: no temporary directory left" test -z "$(ls -d "$idx".* 2>/dev/null)"
    now=$(articles "$idx")
    check "$name: the index passes --check" test -n "$now"
    check "$name: the summary counts what was committed ($(added) added; $before -> ${now:-?})" \
        test "$(added)" = "$((${now:-0} - before))"
    if [ "${now:-0}" -gt 0 ]; then
        check "$name: the index is searchable" test "$(hits "$idx" quokkaquill)" -gt 0
    fi
    if [ "$status" -ne 2 ]; then echo "$err"; fi
}

# expect_done NAME IDX WANT: the rerun just made with room finished.
expect_done() {
    check "$1, rerun with room: exit 0 (got $status)" test "$status" -eq 0
    check "$1, rerun with room: all $3 articles" test "$(articles "$2")" = "$3"
    check "$1, rerun with room: no temporary directory left" test -z "$(ls -d "$2".* 2>/dev/null)"
}

# ---- a small tmpfs (needs root)
if mkdir -p "$M" && mount -t tmpfs -o size=1m tmpfs "$M" 2>/dev/null; then
    T=$M/idx
    # tmpfs SIZE_KB: a fresh, empty tmpfs at $M; room: make it large
    tmpfs() { umount "$M" && mount -t tmpfs -o size="$1"k tmpfs "$M"; }
    room() { rm -f "$M/ballast"; mount -o remount,size=64m "$M"; }
    # leave KB: fills the tmpfs up to KB free
    leave() {
        local avail; avail=$(df -k --output=avail "$M" | tail -1)
        dd if=/dev/zero of="$M/ballast" bs=1k count=$((avail - $1)) 2>/dev/null
    }
    sizes="1024 2048 4096" free="1024 3072"
    [ "$SANITIZED" = 0 ] || sizes=2048 free=3072
    for jobs in 1 2; do
        for kb in $sizes; do
            tmpfs $kb
            run "$PTINDEX" --index "$T" --jobs $jobs --commit-every 100 "$A"
            expect_full "tmpfs ${kb}k, --jobs $jobs first build" "$T" 0
            room
            run "$PTINDEX" --index "$T" --jobs $jobs --commit-every 100 "$A"
            expect_done "tmpfs ${kb}k, --jobs $jobs first build" "$T" 600
        done
    done
    tmpfs 16384
    "$PTINDEX" -q --index "$T" "$B"
    leave 512
    run "$PTINDEX" --index "$T" --commit-every 100 "$A"
    expect_full "tmpfs, an incremental add" "$T" 200
    room
    run "$PTINDEX" --index "$T" --commit-every 100 "$A"
    expect_done "tmpfs, an incremental add" "$T" 800
    # (the index of A and B is built once, copied into each fresh tmpfs: it
    # holds no path of its own)
    "$PTINDEX" -q --index "$TMP/ab" "$A" "$B"
    for jobs in 1 2; do
        for kb in $free; do
            tmpfs 16384
            cp -a "$TMP/ab" "$T"
            leave $kb
            run "$PTINDEX" --index "$T" --jobs $jobs --rebuild
            expect_full "tmpfs ${kb}k free, --rebuild --jobs $jobs" "$T" 800
            room
            run "$PTINDEX" --index "$T" --jobs $jobs --rebuild
            expect_done "tmpfs ${kb}k free, --rebuild --jobs $jobs" "$T" 800
        done
    done
    tmpfs 65536 # the shim's disk below: no time lost in fsync
    D=$M/disk
else
    echo "SKIP: cannot mount a tmpfs (not root): the full disk is the shim's only"
    D=$TMP/disk
fi

# ---- the shim: writes under $D fail past a byte budget
S=$D/idx
mkdir -p "$D"
# limited BUDGET CMD...: CMD on a disk that takes BUDGET bytes
limited() {
    local budget=$1; shift
    env LD_PRELOAD="$SHIM" PT_ENOSPC_PREFIX="$D/" PT_ENOSPC_BUDGET="$budget" \
        ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$@"
}
# written CMD...: the bytes CMD writes under $D (it runs to the end)
written() {
    limited $((1 << 50)) env PT_ENOSPC_REPORT="$TMP/used" "$@" >/dev/null 2>&1
    cat "$TMP/used"
}
# Budgets are thousandths of what the whole run writes. On one thread the
# writes come in the same order every time: with these data a first build
# fails at 190, 520 and 690 while a commit writes the passage records
# (where Xapian can only std::terminate), at 300 while adding, at 950
# while compacting; an incremental add at 270 and 560 in such a commit,
# a rebuild at 520 and 830.
for jobs in 1 2; do
    rm -rf "$S"
    used=$(written "$PTINDEX" --index "$S" --jobs $jobs --commit-every 100 "$A")
    permilles="190 300 520 690 950"
    [ $jobs = 1 ] || permilles="300 700 950"
    [ "$SANITIZED" = 0 ] || permilles="190 950"
    for permille in $permilles; do
        rm -rf "$S"
        run limited $((used * permille / 1000)) "$PTINDEX" --index "$S" --jobs $jobs --commit-every 100 "$A"
        expect_full "shim at $permille/1000, --jobs $jobs first build" "$S" 0
        run "$PTINDEX" --index "$S" --jobs $jobs --commit-every 100 "$A"
        expect_done "shim at $permille/1000, --jobs $jobs first build" "$S" 600
    done
done
rm -rf "$S" "$D/base"
"$PTINDEX" -q --index "$D/base" "$B"
cp -a "$D/base" "$S"
used=$(written "$PTINDEX" --index "$S" --commit-every 100 "$A")
permilles="270 560 950"
[ "$SANITIZED" = 0 ] || permilles=560
for permille in $permilles; do
    rm -rf "$S"
    cp -a "$D/base" "$S"
    run limited $((used * permille / 1000)) "$PTINDEX" --index "$S" --commit-every 100 "$A"
    expect_full "shim at $permille/1000, an incremental add" "$S" 200
    run "$PTINDEX" --index "$S" --commit-every 100 "$A"
    expect_done "shim at $permille/1000, an incremental add" "$S" 800
done
rm -rf "$S"
"$PTINDEX" -q --index "$S" "$A" "$B"
for jobs in 1 2; do
    used=$(written "$PTINDEX" --index "$S" --jobs $jobs --rebuild)
    permilles="520 830 970"
    [ $jobs = 1 ] || permilles="400 960"
    [ "$SANITIZED" = 0 ] || permilles=830
    for permille in $permilles; do
        run limited $((used * permille / 1000)) "$PTINDEX" --index "$S" --jobs $jobs --rebuild
        expect_full "shim at $permille/1000, --rebuild --jobs $jobs" "$S" 800
        run "$PTINDEX" --index "$S" --jobs $jobs --rebuild
        expect_done "shim at $permille/1000, --rebuild --jobs $jobs" "$S" 800
    done
done
# the swaps (renameat2) fail: the compaction's, the merge's, the rebuild's
for what in "--jobs 1" "--jobs 2"; do
    rm -rf "$S"
    run limited $((1 << 50)) env PT_ENOSPC_RENAMEAT2=1 "$PTINDEX" --index "$S" $what "$A"
    expect_full "the swap fails, $what first build" "$S" 0
done
rm -rf "$S"
"$PTINDEX" -q --index "$S" "$A" "$B"
run limited $((1 << 50)) env PT_ENOSPC_RENAMEAT2=1 "$PTINDEX" --index "$S" --rebuild
expect_full "the swap fails, --rebuild" "$S" 800

# ---- a damaged index: the incremental run that meets the damage says so,
# and that --rebuild restores it; --rebuild does, from the recorded roots
# (read-only when the index cannot be opened for writing), or from the
# PATHs named when the damage took the roots too
G=$TMP/dmg
mkdir -p "$G"
# damaged KIND: a copy of the index at $G/base, damaged so
damaged() {
    local d=$G/$1
    rm -rf "$d"
    cp -a "$G/base" "$d"
    case $1 in
    cut-termlist) truncate -s $(($(stat -c %s "$d/termlist.glass") / 2)) "$d/termlist.glass" ;;
    zeroed-postlist) dd if=/dev/zero of="$d/postlist.glass" bs=8192 count=4 conv=notrunc 2>/dev/null \
        seek=$(($(stat -c %s "$d/postlist.glass") / 8192 / 2)) ;;
    no-termlist) rm "$d/termlist.glass" ;;
    zeroed-version) dd if=/dev/zero of="$d/iamglass" bs=1 seek=20 count=40 conv=notrunc 2>/dev/null ;;
    esac
}
# (one base for every kind: each kind damages a copy of it, and a.jsonl is
# restored before each, so each incremental run meets the same changes)
cp "$A" "$G/a.jsonl"
"$PTINDEX" -q --index "$G/base" "$G/a.jsonl"
for kind in cut-termlist zeroed-postlist no-termlist zeroed-version; do
    cp "$A" "$G/a.jsonl"
    damaged $kind
    I=$G/$kind
    sed -i 's/quokkaquill/quokkaquell/' "$G/a.jsonl" # every article changed: the run reads them all
    run "$PTINDEX" --index "$I" "$G/a.jsonl"
    check "$kind: an incremental run exits 2 (got $status)" test "$status" -eq 2
    check "$kind: ... saying the index is damaged and --rebuild restores it" \
        has "^ptindex: $I: index is damaged: .*; ptindex --index $I --rebuild builds it again" "$err"
    run "$PTINDEX" --index "$I" --rebuild
    if [ $kind = zeroed-version ]; then
        check "$kind: --rebuild without PATHs cannot read the roots: exit 2 (got $status)" test "$status" -eq 2
        check "$kind: ... and says what to run instead" has "name them: ptindex --index $I --rebuild PATH" "$err"
        run "$PTINDEX" --index "$I" --rebuild "$G/a.jsonl"
    fi
    check "$kind: --rebuild restores it (exit $status)" test "$status" -eq 0
    check "$kind: ... every article, checked" test "$(articles "$I")" = 600
    check "$kind: ... searchable" test "$(hits "$I" quokkaquell)" -gt 0
    check "$kind: ... no temporary directory left" test -z "$(ls -d "$I".* 2>/dev/null)"
    if [ "$status" -ne 0 ]; then echo "$err"; fi
done

finish
