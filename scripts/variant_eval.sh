#!/usr/bin/env bash
# variant_eval.sh — precision and recall of the name-variant rules
# (lib/query/variants.c) on the labelled pairs of tests/data/name_variants.tsv.
# The index: a real news corpus (default CNN/Daily Mail, 11,131 articles,
# so the "rare word" threshold of variants.c, passages / 1000, is a real
# one) plus one generated one-sentence article per word of the list, so
# that every word's stem is in the vocabulary (a word the corpus already
# has gains one passage). Then bench/variant_eval types each word of each
# pair as a capitalised query word and checks whether pt_variants_find
# returns the other word's stem. Prints every false positive (FP) and false
# negative (FN), then markdown tables.
#
# Usage: scripts/variant_eval.sh [--build DIR] [--keep DIR] [--corpus FILE|none] [PAIRS.tsv]
#   --keep DIR     keep the index in DIR (reused when present)
#   --corpus FILE  the news corpus indexed under the list's words (default
#                  ../shared/data/news/cnn-dailymail-test.jsonl.gz; "none": only the words)
set -euo pipefail
. "$(dirname "$0")/options.sh"
corpus=$shared/data/news/cnn-dailymail-test.jsonl.gz
own_option() {
    case $1 in
    --corpus) corpus=$2 ;;
    *) return 1 ;;
    esac
}
parse_options 2,17 "$@"
pairs=${operands[0]:-$top/tests/data/name_variants.tsv}
for p in ptindex bench/variant_eval; do
    [ -x "$build/$p" ] || { echo "variant_eval: no $build/$p (build it first)" >&2; exit 2; }
done
make_work

inputs=()
if [ "$corpus" != none ]; then
    [ -f "$corpus" ] || { echo "variant_eval: no $corpus" >&2; exit 2; }
    inputs+=("$corpus")
fi
# One short article per distinct word of the list.
python3 - "$pairs" "$work/names.jsonl" <<'PY'
import json, sys
words = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    for w in line.split("\t")[:2]:
        if w not in words:
            words.append(w)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i, w in enumerate(words):
        f.write(json.dumps({"id": "name-%d" % i, "title": "", "source": "variant_eval",
                            "body": "The report named %s in passing." % w}) + "\n")
PY
inputs+=("$work/names.jsonl")
if [ ! -d "$work/index" ]; then
    t0=$(date +%s)
    nice "$build/ptindex" --quiet --index "$work/index" "${inputs[@]}" 2>"$work/ptindex.log" || [ $? -eq 1 ]
    echo "variant_eval: indexed ${inputs[*]} in $(( $(date +%s) - t0 )) s" >&2
fi
"$build/bench/variant_eval" "$work/index" "$pairs"
