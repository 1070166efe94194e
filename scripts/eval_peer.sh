#!/usr/bin/env bash
# eval_peer.sh — the ranking baseline for scripts/eval.sh: plain Xapian BM25
# over whole articles, as a user would get it. On the judged collections of
# ../shared/data/eval it indexes each corpus with the benchmark peer
# (bench/xapian_peer index), runs its topics with `xapian_peer trec` (depth
# 1000), and scores the run with ../shared/tools/ireval.py. Prints one
# markdown table with the quality columns of scripts/eval.sh.
#
# Usage: scripts/eval_peer.sh [--build DIR] [--keep DIR] [COLLECTION...]
#   --build DIR  the build directory holding bench/xapian_peer (default build)
#   --keep DIR   keep corpora, indexes and runs in DIR (default: a temporary dir)
# Collections default to all of them.
set -euo pipefail
. "$(dirname "$0")/options.sh"
parse_options 2,12 "$@"
collections=("${operands[@]}")
[ ${#collections[@]} -gt 0 ] || collections=(adi cacm cranfield lisa med npl)
peer=$build/bench/xapian_peer
if [ ! -x "$peer" ]; then
    echo "eval_peer: no $peer (cmake --build $build --target xapian_peer)" >&2
    exit 2
fi
make_work

echo "| collection | nDCG@10 | MAP | P@10 | Recall@100 |"
echo "|---|---:|---:|---:|---:|"
for c in "${collections[@]}"; do
    src=$shared/data/eval/$c
    [ -d "$src" ] || { echo "eval_peer: no collection $src" >&2; exit 2; }
    # the peer's JSON Lines reader takes plain files only
    gzip -dc "$src/corpus.jsonl.gz" >"$work/$c.jsonl"
    rm -rf "$work/$c.db"
    "$peer" index "$work/$c.db" "$work/$c.jsonl" >"$work/$c.log"
    "$peer" trec "$work/$c.db" "$src/topics.tsv" 1000 >"$work/$c.run"
    python3 "$shared/tools/ireval.py" --json "$src/qrels.txt" "$work/$c.run" >"$work/$c.json"
    python3 - "$c" "$work/$c.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[2]))["mean"]
print("| %s | %.4f | %.4f | %.4f | %.4f |" % (
    sys.argv[1], m["ndcg_cut_10"], m["map"], m["P_10"], m["recall_100"]))
PY
done
