#!/usr/bin/env bash
# passage_eval.sh — passage-level ranking quality on corpus/: indexes the
# five articles into a temporary directory, runs the hand-written queries
# of tests/data/corpus_passages.tsv with `ptsearch --format json -n 10`
# (batch mode), and scores where the passage a reader wants first appears:
# a hit is correct when its passage text contains the wanted substring (any
# of them, when the column lists several separated by " || "). Prints one
# line per query (rank of the first correct hit, 0 = not in the top 10) and
# MRR@10, success@1 and success@3.
#
# Usage: scripts/passage_eval.sh [--floor X] [--quiet] BUILD_DIR
#   --floor X   exit 1 when MRR@10 < X (the ctest eval_passages)
#   --quiet     only the summary line
# Extra ptsearch options may be passed in $PTSEARCH_ARGS.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
floor="" quiet=""
while [ $# -gt 0 ]; do
    case $1 in
    --floor) floor=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: passage_eval.sh [--floor X] [--quiet] BUILD_DIR" >&2; exit 2; }
build=$1
judgments=$top/tests/data/corpus_passages.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/ptindex" --quiet --index "$work/index" "$top/corpus" >"$work/ptindex.log" 2>&1 || {
    echo "passage_eval: ptindex failed:" >&2; cat "$work/ptindex.log" >&2; exit 2; }
# qid TAB query, from the judgments (comment lines skipped)
awk -F'\t' '!/^#/ && NF >= 2 { printf "q%02d\t%s\n", ++n, $1 }' "$judgments" >"$work/topics.tsv"
# shellcheck disable=SC2086
"$build/ptsearch" --index "$work/index" --format json -n 10 --batch "$work/topics.tsv" ${PTSEARCH_ARGS:-} \
    >"$work/hits.json" 2>"$work/ptsearch.log" || [ $? -eq 1 ]

python3 - "$judgments" "$work/hits.json" "${floor:-}" "${quiet:-}" <<'PY'
import json, sys
judgments, hits_path, floor, quiet = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
wanted = []
for line in open(judgments, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 2:
        continue
    wanted.append((cols[0], [s.strip() for s in cols[1].split(" || ") if s.strip()]))
hits = {}
for line in open(hits_path, encoding="utf-8"):
    h = json.loads(line)
    if "rank" in h:
        hits.setdefault(h["qid"], []).append((h["rank"], " ".join(h["passage"].split())))
rr, s1, s3 = [], 0, 0
for i, (query, subs) in enumerate(wanted, 1):
    ranked = sorted(hits.get("q%02d" % i, []))
    rank = next((n for n, (_, text) in enumerate(ranked[:10], 1)
                 if any(" ".join(s.split()) in text for s in subs)), 0)
    rr.append(1.0 / rank if rank else 0.0)
    s1 += rank == 1
    s3 += 1 <= rank <= 3
    if not quiet:
        print("%2d  %-45s  %s" % (rank, query, subs[0][:60]))
n = len(wanted)
mrr = sum(rr) / n if n else 0.0
print("passages: %d queries  MRR@10 %.4f  success@1 %.4f  success@3 %.4f" % (n, mrr, s1 / n, s3 / n))
if floor and mrr < float(floor):
    print("passage_eval: MRR@10 %.4f is below the floor %s" % (mrr, floor), file=sys.stderr)
    sys.exit(1)
PY
