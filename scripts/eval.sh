#!/usr/bin/env bash
# eval.sh — measures ranking quality on the judged collections of
# ../shared/data/eval: indexes each corpus with ptindex, runs its topics with
# ptsearch --batch --format trec (depth 1000), and scores the run with
# scripts/ireval.py (a copy of ../shared/tools/ireval.py, so that ADI, kept
# in tests/data/adi, is scored in a clone without ../shared). Prints one
# markdown table.
#
# Usage: scripts/eval.sh [--build DIR] [--data DIR] [--floors FILE] [--keep DIR] [COLLECTION...]
#        scripts/eval.sh --loco [--build DIR] [--data DIR] [--keep DIR] [--only NAME,...]
#                  [--extra NAME=INDEX:TOPICS:QRELS]... [--values NAME=V,V...] [COLLECTION...]
#   --data DIR     the collections' folders are in DIR (default ../shared/data/eval;
#                  when DIR is absent, as in a clone without ../shared: exit 77, skipped)
#   --loco         choose each ranking constant leave-one-collection-out
#                  (scripts/loco.py: on five collections, scored on the sixth)
#                  and print that table; --only limits it to some constants,
#                  --extra adds a judged set of one's own (known-item topics)
#   --floors FILE  fail (exit 1) when a measure drops below its floor; FILE
#                  lines: "collection measure floor", e.g. "adi ndcg_cut_10 0.50"
#   --keep DIR     keep indexes and runs in DIR (default: a temporary dir)
# Collections default to all of them. Extra ptsearch options may be passed in
# $PTSEARCH_ARGS (e.g. PTSEARCH_ARGS="--exact").
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${PT_SHARED:-$top/../shared}
data=$shared/data/eval
build=$top/build floors="" keep="" loco="" only="" extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --floors) floors=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --loco) loco=1; shift ;;
    --only) only=$2; shift 2 ;;
    --extra) extra+=(--extra "$2"); shift 2 ;;
    --values) extra+=(--values "$2"); shift 2 ;;
    --base) extra+=(--base "$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
    esac
done
collections=("$@")
[ ${#collections[@]} -gt 0 ] || collections=(adi cacm cranfield lisa med npl)
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
if [ ! -d "$data" ]; then
    echo "eval: $data is absent (the judged collections are in ../shared): skipped" >&2
    exit 77
fi
if [ -n "$loco" ]; then
    python3 "$top/scripts/loco.py" --build "$build" --work "$work" --shared "$shared" --only "$only" \
        "${extra[@]}" "${collections[@]}"
    exit $?
fi

measures="map ndcg_cut_10 P_10 recall_100"
echo "| collection | nDCG@10 | MAP | P@10 | Recall@100 | index s | queries/s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
status=0
for c in "${collections[@]}"; do
    src=$data/$c
    [ -d "$src" ] || { echo "eval: no collection $src (the six are in ../shared/data/eval)" >&2; exit 2; }
    rm -rf "$work/$c.idx"
    t0=$(date +%s.%N)
    # exit 1 = some documents skipped (cranfield has two empty ones): fine here
    "$build/ptindex" --quiet --index "$work/$c.idx" "$src/corpus.jsonl.gz" 2>"$work/$c.log" || [ $? -eq 1 ]
    t1=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$build/ptsearch" --index "$work/$c.idx" --format trec --batch "$src/topics.tsv" ${PTSEARCH_ARGS:-} >"$work/$c.run" || true
    t2=$(date +%s.%N)
    python3 "$top/scripts/ireval.py" --json "$src/qrels.txt" "$work/$c.run" >"$work/$c.json"
    nq=$(grep -c . "$src/topics.tsv")
    python3 - "$c" "$work/$c.json" "$t0" "$t1" "$t2" "$nq" <<'PY'
import json, sys
c, path, t0, t1, t2, nq = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:6]), int(sys.argv[6])
m = json.load(open(path))["mean"]
print("| %s | %.4f | %.4f | %.4f | %.4f | %.2f | %.0f |" % (
    c, m["ndcg_cut_10"], m["map"], m["P_10"], m["recall_100"], t1 - t0, nq / max(t2 - t1, 1e-9)))
PY
    if [ -n "$floors" ]; then
        for m in $measures; do
            floor=$(awk -v c="$c" -v m="$m" '$1 == c && $2 == m {print $3}' "$floors")
            [ -n "$floor" ] || continue
            value=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"][sys.argv[2]])' "$work/$c.json" "$m")
            if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$value" "$floor"; then :; else
                echo "eval: $c $m = $value, below its floor $floor" >&2
                status=1
            fi
        done
    fi
done
exit $status
