#!/usr/bin/env python3
"""randtest.py — is run A really better than run B? A paired randomization
(permutation) test on per-query scores, as in Smucker, Allan & Carterette
(CIKM 2007): each query's difference A - B keeps or flips its sign at random
(10,000 trials, fixed seed); the two-sided p-value is the share of trials
whose |mean difference| reaches the observed one. Also a percentile bootstrap
95% CI of the mean difference (queries resampled with replacement).
Per-query scores come from `ireval.py -q --json` (../shared/tools), so every
query judged in QRELS counts (one with nothing retrieved scores 0).

Usage:
  randtest.py [--measure M] QRELS RUN_A RUN_B
  randtest.py [--measure M] --many NAME QRELS RUN_A RUN_B [--many ...]
      one markdown row per collection (NAME: the row's label)
  randtest.py --self-test
Measures: ndcg (nDCG@10, default), map, mrr (MRR@10), p10, r100, or any key of
ireval's per-query output (ndcg_cut_10, map, recip_rank_10, P_10, recall_100).
Options: --trials N (10000), --seed S (20260101), --ireval PATH.
Python 3 standard library only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

MEASURES = {"ndcg": "ndcg_cut_10", "map": "map", "mrr": "recip_rank_10",
            "p10": "P_10", "r100": "recall_100"}
LABELS = {"ndcg_cut_10": "nDCG@10", "map": "MAP", "recip_rank_10": "MRR@10",
          "P_10": "P@10", "recall_100": "Recall@100"}
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IREVAL = os.path.join(HERE, "..", "..", "shared", "tools", "ireval.py")


def per_query(ireval, qrels, run, key):
    """{qid: score} for every judged query, from ireval.py -q --json."""
    out = subprocess.run([sys.executable, ireval, "-q", "--json", qrels, run],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("randtest: ireval.py %s %s: %s" % (qrels, run, out.stderr.strip()))
    data = json.loads(out.stdout)
    scores = {}
    for qid, vals in data["per_query"].items():
        if key not in vals:
            sys.exit("randtest: no measure %r in ireval's output (has %s)"
                     % (key, ", ".join(sorted(vals))))
        scores[qid] = vals[key]
    return scores


def permutation_p(diffs, trials, rng):
    """Two-sided p of the mean of diffs under random sign flips."""
    n = len(diffs)
    if n == 0:
        return 1.0
    observed = abs(sum(diffs))
    # A small tolerance so that floating-point noise in equal sums still counts.
    eps = 1e-12 * max(1.0, observed)
    hits = 0
    for _ in range(trials):
        s = 0.0
        for d in diffs:
            s += d if rng.random() < 0.5 else -d
        if abs(s) >= observed - eps:
            hits += 1
    return hits / trials


def bootstrap_ci(diffs, trials, rng, level=0.95):
    n = len(diffs)
    if n == 0:
        return 0.0, 0.0
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(trials))
    lo = means[int((1 - level) / 2 * trials)]
    hi = means[min(trials - 1, int((1 + level) / 2 * trials))]
    return lo, hi


def compare(a, b, trials, seed):
    """a, b: {qid: score} over the same judged queries."""
    qids = sorted(set(a) | set(b))
    diffs = [a.get(q, 0.0) - b.get(q, 0.0) for q in qids]
    n = len(diffs)
    rng = random.Random(seed)
    p = permutation_p(diffs, trials, rng)
    lo, hi = bootstrap_ci(diffs, trials, random.Random(seed + 1))
    return {
        "n": n,
        "mean_a": sum(a.get(q, 0.0) for q in qids) / n if n else 0.0,
        "mean_b": sum(b.get(q, 0.0) for q in qids) / n if n else 0.0,
        "diff": sum(diffs) / n if n else 0.0,
        "p": p, "ci": (lo, hi),
        "wins": sum(1 for d in diffs if d > 0), "losses": sum(1 for d in diffs if d < 0),
    }


def header(key):
    m = LABELS.get(key, key)
    return ("| collection | queries | %s A | %s B | A − B | 95%% CI | p | A wins / losses |\n"
            "|---|---:|---:|---:|---:|---|---:|---:|" % (m, m))


def row(name, r):
    return "| %s | %d | %.4f | %.4f | %+.4f | [%+.4f, %+.4f] | %.4f | %d / %d |" % (
        name, r["n"], r["mean_a"], r["mean_b"], r["diff"], r["ci"][0], r["ci"][1], r["p"],
        r["wins"], r["losses"])


def self_test(ireval, trials):
    """Identical runs: p = 1; a run that ranks the relevant document first
    against one that ranks it 5th, on 30 queries: p < 0.01."""
    with tempfile.TemporaryDirectory() as tmp:
        qrels, good, bad = (os.path.join(tmp, n) for n in ("qrels", "good", "bad"))
        with open(qrels, "w") as q, open(good, "w") as g, open(bad, "w") as b:
            for i in range(30):
                q.write("q%d 0 rel%d 1\n" % (i, i))
                for rank in range(10):
                    doc_g = "rel%d" % i if rank == 0 else "x%d_%d" % (i, rank)
                    # the bad run: the relevant document at rank 5 for most queries
                    doc_b = "rel%d" % i if rank == (4 if i % 10 else 0) else "x%d_%d" % (i, rank)
                    g.write("q%d Q0 %s %d %d good\n" % (i, doc_g, rank + 1, 100 - rank))
                    b.write("q%d Q0 %s %d %d bad\n" % (i, doc_b, rank + 1, 100 - rank))
        key = "ndcg_cut_10"
        same = compare(per_query(ireval, qrels, good, key), per_query(ireval, qrels, good, key),
                       trials, 1)
        diff = compare(per_query(ireval, qrels, good, key), per_query(ireval, qrels, bad, key),
                       trials, 1)
    ok = True
    for name, cond in (("identical runs: p = 1", same["p"] == 1.0 and same["diff"] == 0.0),
                       ("better run: p < 0.01", diff["p"] < 0.01 and diff["diff"] > 0),
                       ("better run: CI above 0", diff["ci"][0] > 0)):
        print("%s %s" % ("ok  " if cond else "FAIL", name))
        ok = ok and cond
    print("(identical p=%.4f; better diff=%+.4f p=%.4f CI [%+.4f, %+.4f])"
          % (same["p"], diff["diff"], diff["p"], diff["ci"][0], diff["ci"][1]))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--measure", default="ndcg")
    ap.add_argument("--trials", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--ireval", default=DEFAULT_IREVAL)
    ap.add_argument("--many", nargs=4, action="append", metavar=("NAME", "QRELS", "RUN_A", "RUN_B"))
    ap.add_argument("--no-header", action="store_true", help="--many: rows only")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("files", nargs="*", metavar="QRELS RUN_A RUN_B")
    args = ap.parse_args()
    if not os.path.exists(args.ireval):
        sys.exit("randtest: no %s (give --ireval PATH)" % args.ireval)
    if args.self_test:
        return self_test(args.ireval, args.trials)
    key = MEASURES.get(args.measure, args.measure)
    if args.many:
        if args.files:
            sys.exit("randtest: --many takes no other files")
        if not args.no_header:
            print(header(key))
        for name, qrels, ra, rb in args.many:
            r = compare(per_query(args.ireval, qrels, ra, key),
                        per_query(args.ireval, qrels, rb, key), args.trials, args.seed)
            print(row(name, r))
        return 0
    if len(args.files) != 3:
        ap.error("give QRELS RUN_A RUN_B, or --many, or --self-test")
    qrels, ra, rb = args.files
    r = compare(per_query(args.ireval, qrels, ra, key), per_query(args.ireval, qrels, rb, key),
                args.trials, args.seed)
    print("measure %s  queries %d  A %.4f  B %.4f  A-B %+.4f  95%% CI [%+.4f, %+.4f]  "
          "p %.4f  (A better on %d, worse on %d)"
          % (LABELS.get(key, key), r["n"], r["mean_a"], r["mean_b"], r["diff"], r["ci"][0],
             r["ci"][1], r["p"], r["wins"], r["losses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
