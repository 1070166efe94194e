#!/usr/bin/env python3
"""knownitem.py — simulated known-item topics for a news corpus, after
L. Azzopardi, M. de Rijke and K. Balog, "Building simulated queries for
known-item topics: an analysis using six European languages", SIGIR 2007.

The searcher remembers one article and types a few of its words. For each
topic: pick an article at random (fixed seed) among those with at least
--min-words words of body text (150: about three passages), draw a query
length k uniformly from --kmin..--kmax (2..6), then draw k distinct words
from the query model p(t|q) = (1 - noise) * p(t|d) + noise * p(t), where p(t)
is the collection model (the corpus's word frequencies) and p(t|d) is one of
the paper's term-selection models over the WHOLE article body (every passage):
  popular         p(t|d) ∝ tf(t, d)             (words the article repeats)
  discriminative  p(t|d) ∝ tf(t, d) / p(t)      (its words rare in the corpus;
                  the tf × idf-like form; the paper's "discriminative" uses
                  presence b(t, d) / p(t), its "tf.idf" model is close to this)
  random          p(t|d) = 1 / |distinct words of d|
The noise (default 0.2, --noise) is the paper's λ: the share of the query
model given to the collection, i.e. words the searcher misremembers.
The qrels name the article (relevance 1): MRR@10 is the measure.

Words: lower-cased runs of letters ([^\\W_]+ on the lower-cased text, as in
bench/make_queries.py), its stopword list excluded, tokens with a digit
excluded, one-letter tokens excluded. p(t) counts the same words over every
article body of the corpus. The same articles and query lengths are drawn
for every model (same --seed), so runs of two models are paired by topic.

Usage: knownitem.py CORPUS.jsonl[.gz] --model popular|discriminative|random
         [--n 300] [--seed 20070723] [--noise 0.2] [--min-words 150]
         [--kmin 2] [--kmax 6] [--prefix ID] --topics FILE --qrels FILE
Writes TOPICS (qid TAB query) and QRELS (qid 0 article-id 1).
Python 3 standard library only.
"""
import argparse
import bisect
import gzip
import itertools
import json
import os
import random
import sys
import zlib
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from make_queries import STOPWORDS, WORD  # noqa: E402  (one word and stopword rule)

MODELS = ("popular", "discriminative", "random")


def words_of(text):
    return [w for w in WORD.findall(text.lower())
            if len(w) > 1 and w not in STOPWORDS and not any(c.isdigit() for c in w)]


def articles(path):
    """(line number, id, body) of every parseable line with an id and a body."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f):
            try:
                a = json.loads(line)
            except ValueError:
                continue
            body, aid = a.get("body"), a.get("id")
            if isinstance(body, str) and isinstance(aid, str) and aid:
                yield n, aid, body


def collection_model(path, min_words):
    """Word counts over every body, and the line numbers of long enough articles."""
    counts, eligible = Counter(), []
    for n, _, body in articles(path):
        ws = words_of(body)
        counts.update(ws)
        if len(WORD.findall(body)) >= min_words:
            eligible.append(n)
    return counts, eligible


class Sampler:
    """Draws from a discrete distribution given as (items, weights)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def document_model(tf, model, p_coll):
    terms = sorted(tf)
    if model == "popular":
        weights = [tf[t] for t in terms]
    elif model == "discriminative":
        weights = [tf[t] / p_coll[t] for t in terms]
    else:
        weights = [1.0] * len(terms)
    return Sampler(terms, weights)


def make_query(rng, k, doc, coll, noise):
    """k distinct words, each from the collection with probability noise."""
    query, tries = [], 0
    while len(query) < k and tries < 50 * k:
        tries += 1
        w = coll.draw(rng) if rng.random() < noise else doc.draw(rng)
        if w not in query:
            query.append(w)
    return query


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20070723)
    ap.add_argument("--noise", type=float, default=0.2)
    ap.add_argument("--min-words", type=int, default=150)
    ap.add_argument("--kmin", type=int, default=2)
    ap.add_argument("--kmax", type=int, default=6)
    ap.add_argument("--prefix", default="", help="qid prefix (default: the model's initial)")
    ap.add_argument("--topics", required=True)
    ap.add_argument("--qrels", required=True)
    args = ap.parse_args()
    if not 0 <= args.noise <= 1 or not 1 <= args.kmin <= args.kmax:
        ap.error("need 0 <= noise <= 1 and 1 <= kmin <= kmax")
    counts, eligible = collection_model(args.corpus, args.min_words)
    if not eligible:
        sys.exit("knownitem: no article of %d words or more in %s" % (args.min_words, args.corpus))
    total = sum(counts.values())
    p_coll = {t: c / total for t, c in counts.items()}
    coll = Sampler(sorted(counts), [counts[t] for t in sorted(counts)])
    # Articles and lengths from one generator, words from one per model:
    # every model gets the same articles and lengths.
    pick = random.Random(args.seed)
    chosen = pick.sample(eligible, min(args.n, len(eligible)))
    lengths = {n: pick.randint(args.kmin, args.kmax) for n in chosen}
    words_rng = random.Random(args.seed * 31 + zlib.crc32(args.model.encode()))
    wanted = set(chosen)
    found = {n: (aid, Counter(words_of(body))) for n, aid, body in articles(args.corpus)
             if n in wanted}
    prefix = args.prefix or args.model[0]
    with open(args.topics, "w", encoding="utf-8") as t, open(args.qrels, "w", encoding="utf-8") as q:
        # Drawn in topic order, so a topic's words depend only on the seed.
        for i, n in enumerate(chosen):
            aid, tf = found[n]
            doc = document_model(tf, args.model, p_coll)
            qid = "%s%03d" % (prefix, i + 1)
            t.write("%s\t%s\n" % (qid, " ".join(make_query(words_rng, lengths[n], doc, coll,
                                                            args.noise))))
            q.write("%s 0 %s 1\n" % (qid, aid))


if __name__ == "__main__":
    main()
