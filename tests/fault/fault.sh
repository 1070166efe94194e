#!/usr/bin/env bash
# fault.sh — the fault script: kills ptindex (kill -9) at random moments of
# each kind of write (a first build with --jobs 1 and 2, an incremental
# add, an update of changed articles, --remove, --rebuild) while searches
# and a --batch run against the index; after each kill --check, a search
# and a rerun must work, and the rerun's index must equal a clean index of
# the same inputs (article and passage counts, ranked ids and scores) with
# no DIR.* sibling left. Then a full tmpfs, and damaged copies of an index
# (ptsearch answers or exits 2 with a message, never hangs; ptindex refuses
# naming --rebuild). Every failure is printed with its context; the last
# lines are the figures. Data are generated (tests/fault/gen_data.py).
#
# Usage: fault.sh PTINDEX PTSEARCH [--short] [--kills N] [--searches N]
#                 [--kb KB] [--data FILE.jsonl[.gz]] [--seed N]
#                 [--ops OP,...] [--keep DIR]
#   --short        the test command's form: 12 kills, about 800 KB of data
#   --kills N      at least N kills that landed (default 60)
#   --searches N   go on killing until N searches ran during writes
#   --data FILE    articles from FILE (e.g. ../shared/data/news/reuters21578.jsonl.gz)
#   --ops OP,...   only these kinds of write (build1 build2 add update remove rebuild)
#   --keep DIR     copies each index that does not rank as its reference
#                  (after the rerun) to DIR/fail-N, with its ranking
# Exit 0 when every check passed, 1 otherwise.
set -u
[ $# -ge 2 ] || { sed -n '13,24p' "$0" >&2; exit 2; }
PTINDEX=$(realpath "$1") PTSEARCH=$(realpath "$2")
shift 2
KILLS=60 SEARCHES=0 KB=3000 DATA="" SEED=14 SHORT=0 ONLY_OPS="" KEEP=""
while [ $# -gt 0 ]; do
    case $1 in
    --short) SHORT=1 KILLS=12 KB=800 ;;
    --kills) KILLS=$2; shift ;;
    --searches) SEARCHES=$2; shift ;;
    --kb) KB=$2; shift ;;
    --data) DATA=$(realpath "$2"); shift ;;
    --seed) SEED=$2; shift ;;
    --ops) ONLY_OPS=$2; shift ;;
    --keep) KEEP=$(realpath "$2"); shift ;;
    *) echo "fault.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
RANDOM=$SEED
W=$TMP IX=$TMP/ix DEPTH=20
OPS=(build1 build2 add update remove rebuild)
[ -n "$ONLY_OPS" ] && IFS=, read -r -a OPS <<<"$ONLY_OPS"
declare -A FAILS=()
kills=0 late=0 searches=0 search_errors=0 batches=0 batch_errors=0

# verify CONTEXT WHAT CMD...: counts a pass, or prints the failure with
# $detail (set by the caller) and tallies it under WHAT.
verify() {
    local context=$1 what=$2
    shift 2
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        FAILS[$what]=$((${FAILS[$what]:-0} + 1))
        echo "FAIL: $context: $what${detail:+ ($detail)}"
    fi
    detail=""
}
status_in() { local s=$1; shift; for ok in "$@"; do [ "$s" -eq "$ok" ] && return 0; done; return 1; }
one_line() { tr '\n' ' ' <<<"$1" | cut -c1-300; }
counts() { "$PTINDEX" --index "$1" --check 2>/dev/null | sed -n 's/^\([0-9]* articles, [0-9]* passages\).*/\1/p'; }
# ranked INDEX OUT: the ranking compared (ranked.sh: no time limit).
ranked() { "$HERE/ranked.sh" "$PTSEARCH" "$1" "$W/data/queries" "$DEPTH" "$2" 2>"$W/ranked.err"; }
leftovers() { ls -d "$1".* 2>/dev/null | tr '\n' ' '; }

# ------------------------------------------------------------ the data

# roots/NAME: a copy of the generated articles that one kind of write
# reads; ref/NAME: a clean index of the inputs a write must end with.
make_roots() {
    mkdir -p "$W/roots" "$W/ref" "$W/pre"
    for r in build add update remove rebuild S1 S2 S1m; do cp -a "$W/data/base" "$W/roots/$r"; done
    cp "$W/data/a2_v2.jsonl" "$W/roots/S2/a2.jsonl"
    rm "$W/roots/S1m/a1.jsonl"
}

make_reference() {
    local name=$1
    "$PTINDEX" --index "$W/ref/$name" --jobs 1 -q "$W/roots/$name" || echo "fault.sh: reference $name did not build"
    counts "$W/ref/$name" >"$W/ref/$name.counts"
    ranked "$W/ref/$name" "$W/ref/$name.trec" || echo "fault.sh: reference $name: $(cat "$W/ranked.err")"
}

# The index each write starts from (a first build starts from none).
make_start_states() {
    mv "$W/roots/add/a3.jsonl" "$W/held-a3.jsonl"
    "$PTINDEX" --index "$W/pre/add" -q "$W/roots/add"
    mv "$W/held-a3.jsonl" "$W/roots/add/a3.jsonl"
    "$PTINDEX" --index "$W/pre/update" -q "$W/roots/update"
    cp "$W/data/a2_v2.jsonl" "$W/roots/update/a2.jsonl"
    "$PTINDEX" --index "$W/pre/remove" -q "$W/roots/remove"
    "$PTINDEX" --index "$W/pre/rebuild" -q "$W/roots/rebuild"
}

# Sets ARGS (the write's arguments), REF (the index it must end with) and
# RERUN_OK (the exit statuses a rerun may have).
describe() {
    RERUN_OK="0" REF=S1
    case $1 in
    build1) ARGS=(--jobs 1 "$W/roots/build") ;;
    build2) ARGS=(--jobs 2 "$W/roots/build") ;;
    add) ARGS=("$W/roots/add") ;;
    update) ARGS=("$W/roots/update"); REF=S2 ;;
    remove) ARGS=(--remove "$W/roots/remove/a1.jsonl"); REF=S1m RERUN_OK="0 1" ;;
    rebuild) ARGS=(--rebuild --jobs 2) ;;
    esac
}

prepare_index() {
    rm -rf "$IX" "$IX".*
    case $1 in build1 | build2) ;; *) cp -a "$W/pre/$1" "$IX" ;; esac
}

# ------------------------------------------------------------ searchers

# Searches the index (once it exists) until $W/stop appears; writes
# "searches errors" to $1; each error goes to $W/search-errors.
search_loop() {
    local n=0 e=0 s q
    mapfile -t queries < <(cut -f2 "$W/data/queries")
    while [ ! -e "$W/stop" ]; do
        if [ ! -d "$IX" ]; then sleep 0.02; continue; fi
        q=${queries[RANDOM % ${#queries[@]}]}
        # shellcheck disable=SC2086 # the query's words are separate arguments
        timeout 60 "$PTSEARCH" --index "$IX" -n 5 -- $q >/dev/null 2>"$1.err"
        s=$?
        n=$((n + 1))
        if [ "$s" -ge 2 ]; then
            e=$((e + 1))
            echo "$(cat "$W/context"): search '$q' exited $s: $(one_line "$(cat "$1.err")")" >>"$W/search-errors"
        fi
    done
    echo "$n $e" >"$1"
}

batch_loop() {
    local n=0 e=0 s
    while [ ! -e "$W/stop" ]; do
        if [ ! -d "$IX" ]; then sleep 0.02; continue; fi
        timeout 120 "$PTSEARCH" --index "$IX" --batch "$W/data/queries" --format trec -n 10 >/dev/null 2>"$1.err"
        s=$?
        n=$((n + 1))
        if [ "$s" -ge 2 ]; then
            e=$((e + 1))
            echo "$(cat "$W/context"): --batch exited $s: $(one_line "$(cat "$1.err")")" >>"$W/search-errors"
        fi
    done
    echo "$n $e" >"$1"
}

start_searchers() {
    rm -f "$W/stop"
    search_loop "$W/s1" & searcher_pids="$!"
    search_loop "$W/s2" & searcher_pids="$searcher_pids $!"
    batch_loop "$W/b" & searcher_pids="$searcher_pids $!"
}

stop_searchers() {
    touch "$W/stop"
    # shellcheck disable=SC2086
    wait $searcher_pids
    local n e
    for f in s1 s2; do
        read -r n e <"$W/$f"
        searches=$((searches + n)) search_errors=$((search_errors + e))
    done
    read -r n e <"$W/b"
    batches=$((batches + n)) batch_errors=$((batch_errors + e))
}

# ------------------------------------------------------------ one kill

# The index equals the reference: counts, ranked results, no sibling.
same_as_reference() {
    local ctx=$1 ref=$2
    local got want
    got=$(counts "$IX") want=$(cat "$W/ref/$ref.counts")
    detail="$got, want $want"
    verify "$ctx" "index has the reference's articles and passages" test "$got" = "$want"
    ranked "$IX" "$W/got.trec"
    local ranked_status=$?
    detail=$(cat "$W/ranked.err")
    verify "$ctx" "the searches compared run to the end" test "$ranked_status" -eq 0
    detail=$(python3 "$HERE/same_results.py" "$W/ref/$ref.trec" "$W/got.trec" "$DEPTH")
    if [ -n "$detail" ] && [ -n "$KEEP" ]; then
        local kept="$KEEP/fail-$((failed + 1))"
        mkdir -p "$kept" && cp -a "$IX" "$kept/index" && cp "$W/got.trec"* "$kept/" && echo "$ctx" >"$kept/context"
        [ -d "$W/killed" ] && cp -a "$W/killed" "$kept/killed" # as the kill left it
        detail="$detail; kept in $kept"
    fi
    verify "$ctx" "searches rank as on the reference" test -z "$detail"
    detail=$(leftovers "$IX")
    verify "$ctx" "no DIR.* sibling left after the rerun" test -z "$detail"
}

# What must hold right after a kill: the index is absent (a first build
# that had committed nothing) or a committed index that checks and answers.
after_kill() {
    local ctx=$1 op=$2
    if [ ! -d "$IX" ]; then
        case $op in
        build*) ;; # killed before its first commit: nothing to check yet
        *) detail="the index directory is gone"; verify "$ctx" "the index survives a kill" false ;;
        esac
        return
    fi
    run timeout 120 "$PTINDEX" --index "$IX" --check
    detail="exit $status: $(one_line "$err$out")"
    verify "$ctx" "--check passes after the kill" test "$status" -eq 0
    run timeout 60 "$PTSEARCH" --index "$IX" -n 3 "$(sed -n '1s/^[^\t]*\t//p' "$W/data/queries")"
    detail="exit $status: $(one_line "$err")"
    verify "$ctx" "a search works after the kill" status_in "$status" 0 1
}

# A write killed after DELAY seconds (or let finish when it is quicker),
# then rerun; checks all along.
kill_cycle() {
    local op=$1 delay=$2
    describe "$op"
    prepare_index "$op"
    local ctx="$op, kill -9 at ${delay}s"
    echo "$ctx" >"$W/context"
    start_searchers
    "$PTINDEX" --index "$IX" -q "${ARGS[@]}" >"$W/op.out" 2>"$W/op.err" &
    local pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null # no "Killed" line from bash
    local st=$?
    if [ "$st" -eq 137 ]; then
        kills=$((kills + 1))
        after_kill "$ctx" "$op"
    else
        late=$((late + 1))
        ctx="$op, finished before the kill at ${delay}s"
        detail="exit $st: $(one_line "$(cat "$W/op.err")")"
        verify "$ctx" "the write succeeds" status_in "$st" $RERUN_OK
    fi
    rm -rf "$W/killed"
    [ -n "$KEEP" ] && [ -d "$IX" ] && cp -a "$IX" "$W/killed" # kept with a failure
    run timeout 300 "$PTINDEX" --index "$IX" -q --wait "${ARGS[@]}"
    detail="exit $status: $(one_line "$err")"
    # shellcheck disable=SC2086
    verify "$ctx" "the rerun finishes" status_in "$status" $RERUN_OK
    stop_searchers
    run timeout 120 "$PTINDEX" --index "$IX" --check
    detail="exit $status: $(one_line "$err$out")"
    verify "$ctx" "--check passes after the rerun" test "$status" -eq 0
    same_as_reference "$ctx" "$REF"
}

# Seconds one clean run of each write takes (the window kills land in);
# the clean run must itself give the reference.
declare -A DURATION=()
measure_writes() {
    for op in "${OPS[@]}"; do
        describe "$op"
        prepare_index "$op"
        local t0 t1
        t0=$(date +%s.%N)
        run "$PTINDEX" --index "$IX" -q "${ARGS[@]}"
        t1=$(date +%s.%N)
        DURATION[$op]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
        detail="exit $status: $(one_line "$err")"
        verify "$op, clean run" "the write succeeds" test "$status" -eq 0
        same_as_reference "$op, clean run" "$REF"
    done
}

kill_cycles() {
    local i=0 op delay
    while [ "$kills" -lt "$KILLS" ] || [ "$searches" -lt "$SEARCHES" ]; do
        op=${OPS[i % ${#OPS[@]}]}
        delay=$(awk -v r="$RANDOM" -v t="${DURATION[$op]}" 'BEGIN { printf "%.3f", r / 32768 * t }')
        kill_cycle "$op" "$delay"
        i=$((i + 1))
        if [ "$i" -gt $((3 * KILLS + 1000)) ]; then
            echo "fault.sh: stopping after $i cycles (kills keep landing after the end?)"
            break
        fi
    done
}

# ------------------------------------------------------------ full disk

FULL=$W/full MOUNTED=0
unmount_full() { [ "$MOUNTED" -eq 1 ] && umount "$FULL" && MOUNTED=0; }
trap 'unmount_full; cleanup' EXIT

# A write that fills the disk: exit 2 with a message, the index at its last
# commit (checks, answers), nothing left beside it; once there is room
# again, a rerun finishes and gives the reference.
full_disk_case() {
    local name=$1 size=$2
    shift 2
    local ctx="full disk ($name, tmpfs of $size)"
    rm -rf "${FULL:?}"/*
    mount -o remount,size="$size" "$FULL"
    if [ "$name" = add ]; then # a small index first, then the rest added
        rm -rf "$W/fullroot" && mkdir -p "$W/fullroot" && cp -a "$W/data/base/txt" "$W/fullroot/"
        "$PTINDEX" --index "$FULL/ix" -q "$W/fullroot"
        cp -a "$W/data/base/"*.jsonl "$W/data/base/html" "$W/fullroot/"
        set -- "$W/fullroot"
    fi
    run timeout 300 "$PTINDEX" --index "$FULL/ix" -q "$@"
    detail="exit $status: $(one_line "$err")"
    verify "$ctx" "a full disk ends with exit 2" test "$status" -eq 2
    detail=$(one_line "$err")
    verify "$ctx" "a full disk is named in the message" has "space\|full" "$err"
    if [ -d "$FULL/ix" ]; then
        run timeout 120 "$PTINDEX" --index "$FULL/ix" --check
        detail="exit $status: $(one_line "$err$out")"
        verify "$ctx" "--check passes after a full disk" test "$status" -eq 0
        run timeout 60 "$PTSEARCH" --index "$FULL/ix" -n 3 "$(sed -n '1s/^[^\t]*\t//p' "$W/data/queries")"
        detail="exit $status: $(one_line "$err")"
        verify "$ctx" "a search works after a full disk" status_in "$status" 0 1
    fi
    detail=$(leftovers "$FULL/ix")
    verify "$ctx" "nothing left beside the index after a full disk" test -z "$detail"
    mount -o remount,size=512m "$FULL"
    run timeout 300 "$PTINDEX" --index "$FULL/ix" -q "$@"
    detail="exit $status: $(one_line "$err")"
    verify "$ctx" "with room again, a rerun finishes" test "$status" -eq 0
    local saved=$IX
    IX=$FULL/ix
    same_as_reference "$ctx" S1
    IX=$saved
}

full_disk() {
    mkdir -p "$FULL"
    if ! mount -t tmpfs -o size=64m tmpfs "$FULL" 2>/dev/null; then
        echo "SKIP: full disk: cannot mount a tmpfs here (not root?)"
        return
    fi
    MOUNTED=1
    local need size
    need=$(du -sk "$W/ref/S1" | cut -f1)
    size="$((need / 2))k"
    full_disk_case "first build, --jobs 1" "$size" --jobs 1 "$W/roots/S1"
    full_disk_case "first build, --jobs 2" "$size" --jobs 2 "$W/roots/S1"
    full_disk_case add "$size"
    unmount_full
}

# ------------------------------------------------------------ damage

# Overwrites 512 bytes of FILE at FRACTION of its length with 0xFF.
overwrite() {
    local file=$1 fraction=$2 size
    size=$(stat -c %s "$file")
    head -c 512 /dev/zero | tr '\0' '\377' |
        dd of="$file" bs=1 seek=$((size * fraction / 100)) conv=notrunc status=none
}

damage_case() {
    local what=$1 D=$W/damaged
    local ctx="damaged index ($what)"
    rm -rf "$D" && cp -a "$W/ref/S1" "$D"
    case $what in
    truncated-postlist) truncate -s $(($(stat -c %s "$D/postlist.glass") / 2)) "$D/postlist.glass" ;;
    garbage-version) printf 'garbage' >"$D/iamglass" ;;
    *) overwrite "$D/${what%%@*}.glass" "${what##*@}" ;;
    esac
    local q
    while IFS=$'\t' read -r _ q; do
        # shellcheck disable=SC2086
        run timeout 30 "$PTSEARCH" --index "$D" -n 5 -- $q
        detail="query '$q': exit $status: $(one_line "$err")"
        verify "$ctx" "ptsearch answers or exits 2, never hangs or crashes" status_in "$status" 0 1 2
        [ "$status" -eq 2 ] && verify "$ctx" "ptsearch's exit 2 comes with a message" test -n "$err"
    done < <(head -n 6 "$W/data/queries")
    run timeout 60 "$PTSEARCH" --index "$D" --batch "$W/data/queries" --format trec
    detail="exit $status: $(one_line "$err")"
    verify "$ctx" "--batch answers or exits 2, never hangs or crashes" status_in "$status" 0 1 2
    run timeout 120 "$PTINDEX" --index "$D" --check
    detail="exit $status: $(one_line "$err$out")"
    verify "$ctx" "--check finds the damage" test "$status" -eq 2
    verify "$ctx" "--check names --rebuild" has "--rebuild" "$err"
    run timeout 120 "$PTINDEX" --index "$D" "$W/roots/S1"
    detail="exit $status: $(one_line "$err")"
    # ptindex notices the damage it touches: a run whose files are all
    # unchanged reads no posting, and a block it never reads is --check's
    # to find (above). Anything else it must refuse.
    if [ "$status" -ne 0 ] || ! has " 0 added, 0 updated, 0 removed" "$err"; then
        verify "$ctx" "ptindex refuses a damaged index" test "$status" -eq 2
        verify "$ctx" "ptindex's refusal names --rebuild" has "--rebuild" "$err"
    fi
    run timeout 300 "$PTINDEX" --index "$D" -q --rebuild "$W/roots/S1"
    detail="exit $status: $(one_line "$err")"
    verify "$ctx" "--rebuild replaces a damaged index" test "$status" -eq 0
    [ "$status" -eq 0 ] || return
    local saved=$IX
    IX=$D
    same_as_reference "$ctx" S1
    IX=$saved
}

damaged_copies() {
    local cases=(postlist@50 termlist@50 garbage-version)
    [ "$SHORT" -eq 1 ] || cases+=(postlist@10 postlist@25 postlist@75 postlist@95 termlist@20 termlist@80 truncated-postlist)
    for c in "${cases[@]}"; do damage_case "$c"; done
}

# ------------------------------------------------------------ main

# phase NAME CMD...: runs CMD, noting how long it took for the last line.
phases=""
phase() {
    local t0=$SECONDS
    "${@:2}"
    phases="$phases $1 $((SECONDS - t0)) s,"
}

mkdir -p "$W/data"
python3 "$HERE/gen_data.py" "$W/data" "$KB" "$SEED" ${DATA:+--from "$DATA"} || exit 2
make_roots
phase setup eval 'for r in S1 S2 S1m; do make_reference "$r"; done; make_start_states'
phase "clean writes" measure_writes
phase kills kill_cycles
phase "full disk" full_disk
phase damage damaged_copies
[ -s "$W/search-errors" ] && sed 's/^/search error: /' "$W/search-errors" | head -n 40
echo "fault.sh: data: $(du -sh "$W/data/base" | cut -f1) ($(cat "$W/ref/S1.counts")); clean write times (s):$(for op in "${OPS[@]}"; do printf ' %s %s' "$op" "${DURATION[$op]}"; done)"
echo "fault.sh: $kills kills (and $late writes that finished before their kill), $searches searches during writes with $search_errors errors, $batches --batch runs with $batch_errors errors; ${phases%,}"
for what in "${!FAILS[@]}"; do echo "fault.sh: failed ${FAILS[$what]} times: $what"; done | sort
finish
