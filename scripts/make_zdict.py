#!/usr/bin/env python3
"""make_zdict.py — writes lib/store/zdict.c, the preset dictionary with which
lib/store/record.c deflates passage text (record.h, encoding 2).

The dictionary is common English words, each with its leading space, the
most useful last (deflate codes near distances in fewer bits): words
scored by count x length over the BBC and Brown press corpora in
../shared/data/news (Reuters, the benchmark, is left out), to 8 KiB
(deflate's window allows 32 KiB, but the dictionary is set up again for
each passage, at a cost in proportion to its size). Only word statistics come from the corpora, no text.

Indexes store text compressed with these exact bytes: changing them needs
a new encoding number in record.c, never a rerun over the old one.
Usage: scripts/make_zdict.py [SHARED_DIR] > lib/store/zdict.c
"""
import collections
import gzip
import json
import os
import re
import sys

SIZE = 8192  # 32 KiB saves 0.6 MB more on Reuters but costs 4x the CPU (set up per passage)
MIN_COUNT = 3
CORPORA = ["bbc.jsonl.gz", "brown-press.jsonl.gz"]


def words(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            text = (a.get("title") or "") + "\n" + a["body"]
            yield from re.findall(r"[A-Za-z]+", text)


def dictionary(shared):
    counts = collections.Counter()
    for name in CORPORA:
        counts.update(" " + w for w in words(os.path.join(shared, "data", "news", name)))
    ranked = sorted(((n * len(w), w) for w, n in counts.items() if n >= MIN_COUNT), reverse=True)
    chosen, size = [], 0
    for _, w in ranked:
        if size + len(w) <= SIZE:
            chosen.append(w)
            size += len(w)
    return "".join(reversed(chosen))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared")
    d = dictionary(shared)
    out = sys.stdout
    out.write("/* zdict.c — the preset dictionary of passage text compression\n"
              " * (record.c), written by scripts/make_zdict.py: never edit or\n"
              " * regenerate it, as stored passages need these exact bytes. */\n")
    out.write('#include "store/zdict.h"\n\nconst char pt_zdict[] =\n')
    for i in range(0, len(d), 72):
        out.write('    "%s"\n' % d[i:i + 72])
    out.write(";\n\nconst size_t pt_zdict_len = sizeof pt_zdict - 1;\n")


if __name__ == "__main__":
    main()
