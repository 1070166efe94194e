#!/usr/bin/env python3
"""same_hits.py A B WHAT — two ptsearch --format json outputs hold the same
article ids in the same order, with the same titles and dates (records read
from their shard) and scores within 1e-9 relative; prints the first hits of
each when not. Used by the sharding tests (cli_shards, cli_shards_hostile)."""
import json, sys
def load(p):
    hits = (json.loads(l) for l in open(p) if l.strip())
    return [(h["article"], h["score"], h.get("title"), h.get("date")) for h in hits]
a, b = load(sys.argv[1]), load(sys.argv[2])
same = len(a) == len(b) and all(x[0] == y[0] and x[2:] == y[2:] and abs(x[1] - y[1]) <= 1e-9 * max(abs(x[1]), abs(y[1]))
                                for x, y in zip(a, b))
if not same:
    print("differ: %s: %d vs %d hits; %s / %s" % (sys.argv[3], len(a), len(b), a[:3], b[:3]))
sys.exit(0 if same else 1)
