#!/usr/bin/env python3
"""same_results.py — do two ptsearch --format trec runs of the same queries
rank the same articles with the same scores? Articles of equal score may
come in another order (a parallel build orders ties part by part), and
when a run is cut at depth N the articles tied at its last score may
differ, so that last tie group is left out.

Usage: same_results.py WANT.trec GOT.trec DEPTH
Exit 0 when they agree, 1 with the first difference on stdout."""
import sys
from collections import defaultdict


def read_run(path):
    """qid -> [(score, article)], as ranked."""
    run = defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 5:
                run[fields[0]].append((round(float(fields[4]), 4), fields[2]))
    return run


def comparable(hits, cut_score, depth):
    """The hits above the last tie group of a run cut at depth, by score."""
    if len(hits) >= depth:
        hits = [h for h in hits if h[0] > cut_score]
    return sorted(hits, key=lambda h: (-h[0], h[1]))


def main():
    want, got, depth = read_run(sys.argv[1]), read_run(sys.argv[2]), int(sys.argv[3])
    for qid in sorted(set(want) | set(got)):
        a, b = want.get(qid, []), got.get(qid, [])
        if (len(a) >= depth) != (len(b) >= depth) or (len(a) < depth and len(a) != len(b)):
            print("query %s: %d hits, want %d" % (qid, len(b), len(a)))
            return 1
        cut = max(a[-1][0] if a else 0, b[-1][0] if b else 0)
        ca, cb = comparable(a, cut, depth), comparable(b, cut, depth)
        if ca != cb:
            diff = next((i for i, (x, y) in enumerate(zip(ca, cb)) if x != y), min(len(ca), len(cb)))
            print("query %s: rank %d: got %s, want %s" % (qid, diff + 1, cb[diff:diff + 1], ca[diff:diff + 1]))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
