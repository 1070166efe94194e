#!/usr/bin/env python3
"""score_diff.py — checks that two `ptsearch --batch --format json` runs of
the same queries give the same hits in the same order with scores equal
within a tolerance (a speed-up must not change the ranking).
Usage: score_diff.py BEFORE.jsonl AFTER.jsonl [--tol 1e-9]"""
import argparse
import json
import sys


def hits(path):
    """(qid, rank) -> (article, start, score), and the explain parts of each hit."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if "rank" not in o:
                continue
            parts = [(p.get("part"), p.get("score")) for p in o.get("explain", [])]
            out[(o.get("qid"), o["rank"])] = (o["article"], o["start"], o["score"], parts)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--tol", type=float, default=1e-9)
    a = ap.parse_args()
    b, n = hits(a.before), hits(a.after)
    bad = 0
    for key in sorted(set(b) | set(n), key=lambda k: (str(k[0]), k[1])):
        x, y = b.get(key), n.get(key)
        same = x and y and x[:2] == y[:2] and abs(x[2] - y[2]) <= a.tol and len(x[3]) == len(y[3]) and all(
            p[0] == q[0] and abs(p[1] - q[1]) <= a.tol for p, q in zip(x[3], y[3]))
        if not same:
            bad += 1
            if bad <= 10:
                print(f"qid {key[0]} rank {key[1]}: before {x} after {y}", file=sys.stderr)
    worst = max((abs(b[k][2] - n[k][2]) for k in set(b) & set(n)), default=0.0)
    print(f"{len(b)} hits before, {len(n)} after, {bad} differ; largest score difference {worst:.3g}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
