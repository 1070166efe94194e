#!/usr/bin/env python3
"""make_queries.py — the benchmark queries: N queries (default 1,000) of 1-4
consecutive words taken from the titles of a JSON Lines corpus with a fixed
seed, lowercased (so no engine reads a word as an operator), punctuation
dropped, queries made only of stopwords skipped. A corpus without titles
gives the first 12 words of each body instead. One query a line; every
engine gets the same file. --first N reads only the first N articles (bench/run
passes the 1× count, so a --scale K corpus gets the same queries as the 1× one).
Python 3 standard library only."""
import argparse
import json
import random
import re

STOPWORDS = set("""a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves says said new s t""".split())

WORD = re.compile(r"[^\W_]+")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20251208)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    titles, leads = [], []
    with open(args.corpus, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if args.first and i >= args.first:
                break
            try:
                a = json.loads(line)
            except ValueError:
                continue
            for key, into, limit in (("title", titles, None), ("body", leads, 12)):
                t = a.get(key)
                if isinstance(t, str):
                    words = WORD.findall(t[:400].lower() if limit else t.lower())[:limit]
                    if any(w not in STOPWORDS for w in words):
                        into.append(words)
    titles = titles or leads
    if not titles:
        raise SystemExit("make_queries: no titles")
    rng = random.Random(args.seed)
    out = []
    while len(out) < args.n:
        words = rng.choice(titles)
        k = min(rng.randint(1, 4), len(words))
        start = rng.randint(0, len(words) - k)
        q = words[start:start + k]
        if all(w in STOPWORDS for w in q):
            continue
        out.append(" ".join(q))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
