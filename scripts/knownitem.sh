#!/usr/bin/env bash
# knownitem.sh — known-item search on long news articles: for CNN/Daily Mail
# and Reuters (../shared/data/news) it makes simulated known-item topics with
# scripts/knownitem.py (popular, discriminative, random), indexes the corpus
# with ptindex, plain Xapian (bench/xapian_peer) and SQLite FTS5
# (bench/fts5_peer), runs every topic on each (depth 1000), scores MRR@10 and
# nDCG@10 with ../shared/tools/ireval.py, and prints one markdown table with
# scripts/randtest.py's p-values (MRR@10) of ptsearch against each peer.
#
# Usage: scripts/knownitem.sh [--build DIR] [--keep DIR] [--n N] [--models "M..."] [CORPUS...]
#   CORPUS    cnn, reuters (default: both)
#   --n N     topics per corpus and model (default 300)
#   --keep    keep corpora, indexes, topics and runs in DIR (default: a temp dir;
#             indexes already in DIR are reused)
# Extra ptsearch options may be passed in $PTSEARCH_ARGS. Indexing runs under nice.
set -euo pipefail
. "$(dirname "$0")/options.sh"
n=300 models="popular discriminative random"
own_option() {
    case $1 in
    --n) n=$2 ;;
    --models) models=$2 ;;
    *) return 1 ;;
    esac
}
parse_options 2,16 "$@"
corpora=("${operands[@]}")
[ ${#corpora[@]} -gt 0 ] || corpora=(cnn reuters)
for p in ptindex ptsearch bench/xapian_peer bench/fts5_peer; do
    [ -x "$build/$p" ] || { echo "knownitem: no $build/$p (build it first)" >&2; exit 2; }
done
make_work
ireval=$shared/tools/ireval.py
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }

# Builds the three indexes of corpus $1 from $2 (reused when present).
index_corpus() {
    local c=$1 src=$2 t0
    [ -f "$work/$c.jsonl" ] || gzip -dc "$src" >"$work/$c.jsonl"
    if [ ! -d "$work/$c.pt" ]; then
        t0=$(now)
        nice "$build/ptindex" --quiet --index "$work/$c.pt" "$src" 2>"$work/$c.pt.log" || [ $? -eq 1 ]
        echo "$c ptindex $(elapsed "$t0" "$(now)") s" >>"$work/times"
    fi
    if [ ! -d "$work/$c.xapian" ]; then
        t0=$(now)
        nice "$build/bench/xapian_peer" index "$work/$c.xapian" "$work/$c.jsonl" >"$work/$c.xapian.log"
        echo "$c xapian index $(elapsed "$t0" "$(now)") s" >>"$work/times"
    fi
    if [ ! -f "$work/$c.fts5" ]; then
        t0=$(now)
        nice "$build/bench/fts5_peer" index "$work/$c.fts5" "$work/$c.jsonl" >"$work/$c.fts5.log"
        echo "$c fts5 index $(elapsed "$t0" "$(now)") s" >>"$work/times"
    fi
}

# Runs topics $2 of corpus $1 on the three engines: $2.{pt,xapian,fts5}.run
run_topics() {
    local c=$1 t=$2 t0
    t0=$(now)
    # shellcheck disable=SC2086
    "$build/ptsearch" --index "$work/$c.pt" --format trec --batch "$t.tsv" ${PTSEARCH_ARGS:-} >"$t.pt.run" || true
    echo "$(basename "$t") ptsearch $(elapsed "$t0" "$(now)") s" >>"$work/times"
    t0=$(now)
    "$build/bench/xapian_peer" trec "$work/$c.xapian" "$t.tsv" 1000 >"$t.xapian.run"
    echo "$(basename "$t") xapian $(elapsed "$t0" "$(now)") s" >>"$work/times"
    t0=$(now)
    "$build/bench/fts5_peer" trec "$work/$c.fts5" "$t.tsv" "$work/$c.jsonl" 1000 >"$t.fts5.run"
    echo "$(basename "$t") fts5 $(elapsed "$t0" "$(now)") s" >>"$work/times"
}

# One table row: corpus, model, topics, MRR@10 and nDCG@10 of each engine, p-values.
score_row() {
    local c=$1 m=$2 t=$3 e
    for e in pt xapian fts5; do
        python3 "$ireval" --json "$t.qrels" "$t.$e.run" >"$t.$e.json"
    done
    p_x=$(python3 "$top/scripts/randtest.py" --measure mrr "$t.qrels" "$t.pt.run" "$t.xapian.run" | sed 's/.* p \([0-9.]*\) .*/\1/')
    p_f=$(python3 "$top/scripts/randtest.py" --measure mrr "$t.qrels" "$t.pt.run" "$t.fts5.run" | sed 's/.* p \([0-9.]*\) .*/\1/')
    python3 - "$c" "$m" "$t" "$p_x" "$p_f" <<'PY'
import json, sys
c, m, t, p_x, p_f = sys.argv[1:]
r = {e: json.load(open("%s.%s.json" % (t, e))) for e in ("pt", "xapian", "fts5")}
mrr = ["%.4f" % r[e]["mean"]["recip_rank_10"] for e in ("pt", "xapian", "fts5")]
ndcg = ["%.4f" % r[e]["mean"]["ndcg_cut_10"] for e in ("pt", "xapian", "fts5")]
print("| %s | %s | %d | %s | %s | %s | %s |" % (c, m, r["pt"]["num_q"], " | ".join(mrr), p_x, p_f,
                                             " / ".join(ndcg)))
PY
}

: >"$work/times"
echo "| corpus | model | topics | ptsearch MRR@10 | Xapian MRR@10 | FTS5 MRR@10 | p pt–Xapian | p pt–FTS5 | nDCG@10 pt / Xapian / FTS5 |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
for c in "${corpora[@]}"; do
    case $c in
    cnn) src=$shared/data/news/cnn-dailymail-test.jsonl.gz ;;
    reuters) src=$shared/data/news/reuters21578.jsonl.gz ;;
    *) echo "knownitem: unknown corpus $c (cnn, reuters)" >&2; exit 2 ;;
    esac
    [ -f "$src" ] || { echo "knownitem: no $src" >&2; exit 2; }
    index_corpus "$c" "$src"
    for m in $models; do
        t=$work/$c-$m
        python3 "$top/scripts/knownitem.py" "$src" --model "$m" --n "$n" --topics "$t.tsv" --qrels "$t.qrels"
        run_topics "$c" "$t"
        score_row "$c" "$m" "$t"
    done
done
echo
echo "Times (s): $(tr '\n' ';' <"$work/times" | sed 's/;$//; s/;/; /g')"
