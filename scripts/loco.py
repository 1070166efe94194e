#!/usr/bin/env python3
"""loco.py — leave-one-collection-out tuning of ptsearch's ranking constants
(issue 15), driven by `scripts/eval.sh --loco`. Each constant is varied alone
around the defaults (through PTSEARCH_TUNE, lib/rank/tune.h) on the judged
collections of ../shared/data/eval; for each collection held out, the value
with the best mean nDCG@10 over the other collections is chosen and scored on
the held-out one (out of fold). Prints, per constant, one row per fold: the
value chosen, its out-of-fold nDCG@10, the "off" value's (the feature
without the constant: mix 0, no proximity, ...) and the default's, the
paired randomization p (scripts/randtest.py) of chosen against off, the
in-fold best (the value chosen on the collection itself) and the best peer.
Then a verdict per constant: a value holds when it beats off on the
majority of held-out folds and loses on none with p < 0.05.

Usage: loco.py --build DIR --work DIR [--shared DIR] [--only NAME,...]
               [--extra NAME=INDEX:TOPICS:QRELS ...] [COLLECTION...]
--extra adds a judged set of one's own as a collection (its index built
already), e.g. the known-item topics of scripts/knownitem.sh on CNN/Daily
Mail and Reuters: the six dev collections are 91-99% (cranfield 52%, med
55%) single-passage articles and cannot see how passages combine.
Runs are cached in the work directory (index and run per collection and value).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import randtest  # noqa: E402

# name: (values tried, default, off). "off" is the value without the feature.
GRID = {
    "article_mix": ([0, 0.25, 0.5, 0.75, 1], 1, 0),
    "proximity": ([0, 0.2, 0.4], 0.2, 0),
    "title": ([0, 0.3, 0.6], 0.6, 0),
    "wordnet": ([0, 0.5, 1], 1, 0),
    "feedback": ([0, 0.25, 0.5], 0.5, 0),
    "k3": ([1, 3, 1000], 3, 1000),
}
PEERS = {"adi": .4831, "cacm": .4671, "cranfield": .3783, "lisa": .4368, "med": .7013, "npl": .4306}
ALL = ["adi", "cacm", "cranfield", "lisa", "med", "npl"]


def fmt(v):
    return ("%g" % v)


def paths(args, c):
    """(index, topics, qrels) of collection c."""
    if c in args.extras:
        return args.extras[c]
    src = os.path.join(args.shared, "data", "eval", c)
    return index(args, c), os.path.join(src, "topics.tsv"), os.path.join(src, "qrels.txt")


def index(args, c):
    idx = os.path.join(args.work, c + ".idx")
    if not os.path.isdir(idx):
        src = os.path.join(args.shared, "data", "eval", c, "corpus.jsonl.gz")
        r = subprocess.run([os.path.join(args.build, "ptindex"), "--quiet", "--index", idx, src],
                           stderr=subprocess.DEVNULL)
        if r.returncode not in (0, 1):
            sys.exit("loco: ptindex failed on %s" % c)
    return idx


def run(args, c, tune):
    """The per-query nDCG@10 of collection c under PTSEARCH_TUNE=tune."""
    base = os.path.join(args.work, "%s.%s" % (c, tune.replace(",", "+")))
    idx, topics, qrels = paths(args, c)
    if not os.path.exists(base + ".run"):
        env = dict(os.environ, PTSEARCH_TUNE=tune)
        with open(base + ".run.tmp", "w") as out:
            subprocess.run([os.path.join(args.build, "ptsearch"), "--index", idx, "--format", "trec",
                            "--batch", topics], stdout=out, env=env)
        os.rename(base + ".run.tmp", base + ".run")
    return randtest.per_query(args.ireval, qrels, base + ".run", "ndcg_cut_10"), base + ".run"


def mean(d):
    return sum(d.values()) / len(d) if d else 0.0


def tune_string(name, value, base):
    parts = dict(base)
    parts[name] = value
    return ",".join("%s=%s" % (k, fmt(v)) for k, v in sorted(parts.items()))


def fold_rows(args, name, cols, base):
    values, default, off = GRID[name]
    scores = {}
    for v in values:
        for c in cols:
            scores[(c, v)] = run(args, c, tune_string(name, v, base))[0]
    rows, wins, bad_losses = [], 0, 0
    for c in cols:
        others = [o for o in cols if o != c]
        chosen = max(values, key=lambda v: (sum(mean(scores[(o, v)]) for o in others), v == default))
        infold = max(values, key=lambda v: mean(scores[(c, v)]))
        r = randtest.compare(scores[(c, chosen)], scores[(c, off)], args.trials, 20260101)
        wins += r["diff"] > 0
        bad_losses += r["diff"] < 0 and r["p"] < 0.05
        rows.append("| %s | %s | %s | %.4f | %.4f | %.4f | %+.4f | %.4f | %.4f (%s) | %.4f |" % (
            name, c, fmt(chosen), mean(scores[(c, chosen)]), mean(scores[(c, off)]), mean(scores[(c, default)]),
            r["diff"], r["p"], mean(scores[(c, infold)]), fmt(infold), PEERS.get(c, float("nan"))))
    macro = {v: sum(mean(scores[(c, v)]) for c in cols) / len(cols) for v in values}
    verdict = "holds" if wins > len(cols) / 2 and bad_losses == 0 else "does not hold"
    summary = "%s: chosen on all folds → %s; beats off (%s) on %d of %d held-out folds, loses beyond noise on %d: %s. " \
              "Mean nDCG@10 over the collections by value: %s" % (
                  name, ", ".join(sorted({r.split(" | ")[2] for r in rows})), fmt(off), wins, len(cols), bad_losses,
                  verdict, ", ".join("%s %.4f" % (fmt(v), m) for v, m in macro.items()))
    return rows, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    ap.add_argument("--only", default="", help="comma-separated constants (default: all)")
    ap.add_argument("--trials", type=int, default=10000)
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=INDEX:TOPICS:QRELS")
    ap.add_argument("--values", action="append", default=[], metavar="NAME=V,V,...",
                    help="try only these values of a constant")
    ap.add_argument("--base", action="append", default=[], metavar="NAME=V",
                    help="hold a constant at V (not its default) while the others vary")
    ap.add_argument("collections", nargs="*")
    args = ap.parse_args()
    args.ireval = os.path.join(args.shared, "tools", "ireval.py")
    os.makedirs(args.work, exist_ok=True)
    for spec in args.values:
        name, _, vals = spec.partition("=")
        if name not in GRID:
            ap.error("no constant %r" % name)
        GRID[name] = ([float(v) if "." in v else int(v) for v in vals.split(",")],) + GRID[name][1:]
    args.extras = {}
    for e in args.extra:
        name, _, rest = e.partition("=")
        parts = rest.split(":")
        if not name or len(parts) != 3:
            ap.error("--extra NAME=INDEX:TOPICS:QRELS, not %r" % e)
        args.extras[name] = tuple(parts)
    cols = (args.collections or ALL) + list(args.extras)
    names = [n for n in GRID if not args.only or n in args.only.split(",")]
    base = {n: GRID[n][1] for n in GRID}
    for spec in args.base:
        name, _, v = spec.partition("=")
        base[name] = float(v) if "." in v else int(v)
    print("| constant | held out | chosen | out-of-fold nDCG@10 | off | default | chosen − off | p | in-fold best (value) | best peer |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    summaries = []
    for name in names:
        rows, summary = fold_rows(args, name, cols, base)
        print("\n".join(rows))
        summaries.append(summary)
        sys.stdout.flush()
    print()
    for s in summaries:
        print("- " + s)


if __name__ == "__main__":
    main()
