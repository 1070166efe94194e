#!/usr/bin/env python3
"""shards_compare.py — helpers of shards_remote.sh, deterministic (fixed seeds):
  --corpus N          N generated news articles (JSON lines) on stdout, with
                      phrases ("central bank", "interest rates", "grain exports")
                      and their words apart
  --queries N FILE    N queries (qid<TAB>query) drawn from the articles of FILE:
                      words, phrases, NEAR, title:, source:, date ranges
  A B TOLERANCE       two ptsearch --format json outputs rank the same articles
                      with the same scores (relative TOLERANCE), query by query;
                      exits 1, naming the queries that differ, when not."""
import json
import random
import re
import sys

WORDS = ("harbour copper prices grain exports wheat shipping tanker cargo rates loans credit "
         "market trading shares profit quarter board minister talks budget deficit inflation "
         "factory output steel coal miners strike union wages pension reform tariff quota "
         "harvest drought rain farmers cattle dairy sugar coffee cocoa cotton rubber timber").split()
PHRASES = ["central bank", "interest rates", "grain exports"]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 14))]
    r = rng.random()
    if r < 0.25:
        words.insert(rng.randint(0, len(words)), rng.choice(PHRASES))
    elif r < 0.4:  # the words of a phrase, apart or reversed
        a, b = rng.choice(PHRASES).split()
        words[1:1] = [b, rng.choice(WORDS), a] if rng.random() < 0.5 else [b, a]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def corpus(n):
    rng = random.Random(19)
    for i in range(n):
        body = " ".join(sentence(rng) for _ in range(rng.randint(4, 16)))
        print(json.dumps({"id": "gen-%d" % i, "title": " ".join(rng.sample(WORDS, 4)).title(),
                          "source": rng.choice(["Northern Wire", "Southern Post", "Harbour Times"]),
                          "date": "2024-%02d-%02d" % (rng.randint(1, 6), rng.randint(1, 28)),
                          "body": body}))


def queries(n, path):
    rng = random.Random(19)
    articles = [json.loads(line) for line in open(path)]
    rng.shuffle(articles)
    kinds = ["words"] * 70 + ["phrase"] * 50 + ["near"] * 20 + ["title"] * 20 + ["source"] * 15 + \
        ["date"] * 15 + ["mixed"] * 10
    out = []
    for i, kind in enumerate(kinds[:n]):
        a = articles[i % len(articles)]
        words = re.findall(r"[A-Za-z]{4,}", a.get("body", ""))
        while len(words) < 4:
            words += ["market", "prices"]
        k = rng.randrange(len(words) - 2)
        pick = lambda m: " ".join(rng.sample(words, m))
        if kind == "words":
            q = pick(rng.randint(1, 3))
        elif kind == "phrase":
            q = '"%s"' % " ".join(words[k:k + rng.randint(2, 3)])
        elif kind == "near":
            q = "%s NEAR/%d %s" % (words[k], rng.randint(2, 6), words[k + 2])
        elif kind == "title":
            t = re.findall(r"[A-Za-z]{4,}", a.get("title", "")) or ["market"]
            q = "title:%s %s" % (rng.choice(t).lower(), pick(1))
        elif kind == "source":
            q = "source:reuters %s" % pick(2)
        elif kind == "date":
            d = a.get("date", "1987-03-01")[:7]
            q = "%s date:%s-01..%s-28" % (pick(1), d, d)
        else:
            q = '%s "%s" -%s' % (pick(1), " ".join(words[k:k + 2]), rng.choice(WORDS))
        out.append("%d\t%s" % (i + 1, q))
    print("\n".join(out))


def rankings(path):
    """qid -> [(article, score)] of ptsearch's JSON hits, in rank order."""
    by = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            hit = json.loads(line)
            if "rank" in hit:
                by.setdefault(hit.get("qid", ""), []).append((hit["article"], hit["score"]))
    return by


def compare(a, b, tolerance):
    ra, rb = rankings(a), rankings(b)
    bad = []
    for qid in sorted(set(ra) | set(rb)):
        x, y = ra.get(qid, []), rb.get(qid, [])
        same = len(x) == len(y) and all(
            p[0] == q[0] and abs(p[1] - q[1]) <= tolerance * max(abs(p[1]), abs(q[1]), 1e-300)
            for p, q in zip(x, y))
        if not same:
            bad.append(qid)
            print("query %s differs:\n  %s\n  %s" % (qid, x[:4], y[:4]))
    if not ra:
        print("no hits in %s" % a)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "--corpus":
        corpus(int(sys.argv[2]))
    elif sys.argv[1] == "--queries":
        queries(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(compare(sys.argv[1], sys.argv[2], float(sys.argv[3])))
