#!/usr/bin/env python3
"""gen_data.py — the articles and queries of tests/fault/fault.sh: three
JSON Lines files (a1, a2, a3), a changed a2 (a2_v2: some articles edited,
some gone, some new), a few .txt and .html files, and a query file, all
from a seed, so every run of the fault script meets the same data. With
--from FILE (JSON Lines, gzipped or not: real news) the articles are that
file's lines instead of generated ones.

Usage: gen_data.py OUT_DIR KILOBYTES SEED [--from FILE]
Writes OUT_DIR/base/{a1,a2,a3}.jsonl, base/txt/*.txt, base/html/*.html,
OUT_DIR/a2_v2.jsonl and OUT_DIR/queries (qid<TAB>query, one a line)."""
import collections
import gzip
import itertools
import json
import os
import random
import re
import sys

STOPWORDS = "the of and to in a is that for on was with as by at from it its".split()
SOURCES = ["AP", "Reuters", "AFP", "BBC", "Kyiv Independent", "Meduza"]


def make_vocabulary(rng, n):
    """Pronounceable words, ordered from common to rare (Zipf weights)."""
    onsets = "b c d f g h k l m n p r s t v z br cr dr gr pl st tr sh ch".split()
    vowels = "a e i o u ai ea ou y".split()
    codas = ["", "n", "r", "s", "t", "l", "nd", "rk", "st"]
    words = set()
    while len(words) < n:
        syllables = rng.choice([1, 2, 2, 3, 3, 4])
        w = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        words.add(w + rng.choice(codas))
    words = sorted(words)
    rng.shuffle(words)
    return words


class Writer:
    def __init__(self, rng, vocab):
        self.rng = rng
        self.vocab = vocab
        self.cumulative = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(vocab))))
        self.names = [w.capitalize() for w in vocab[200:400]]

    def word(self):
        r = self.rng.random()
        if r < 0.25:
            return self.rng.choice(STOPWORDS)
        if r < 0.30:
            return self.rng.choice(self.names)
        if r < 0.32:
            return str(self.rng.randint(2, 2000))
        return self.rng.choices(self.vocab, cum_weights=self.cumulative)[0]

    def sentence(self):
        words = [self.word() for _ in range(self.rng.randint(6, 24))]
        words[0] = words[0].capitalize()
        if self.rng.random() < 0.2:
            words.insert(self.rng.randint(1, len(words)), self.rng.choice(self.vocab) + "-" + self.rng.choice(self.vocab))
        return " ".join(words) + self.rng.choice([".", ".", ".", "?", "!"])

    def body(self):
        paragraphs = []
        for _ in range(self.rng.randint(1, 6)):
            paragraphs.append(" ".join(self.sentence() for _ in range(self.rng.randint(1, 5))))
        return "\n\n".join(paragraphs)

    def title(self):
        return " ".join(self.word() for _ in range(self.rng.randint(3, 9))).capitalize()

    def article(self, aid):
        return {"id": aid, "title": self.title(), "date": "2025-%02d-%02d" % (self.rng.randint(1, 12), self.rng.randint(1, 28)),
                "source": self.rng.choice(SOURCES), "body": self.body()}


def generated_articles(writer, kilobytes):
    articles, size = [], 0
    while size < kilobytes * 1024:
        a = writer.article("g%d" % len(articles))
        articles.append(a)
        size += len(a["body"]) + len(a["title"])
    return articles


def file_articles(path):
    opener = gzip.open if path.endswith(".gz") else open
    articles = []
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            try:
                a = json.loads(line)
            except ValueError:
                continue
            if isinstance(a, dict):
                a.setdefault("id", "L%d" % n)
                a["id"] = str(a["id"])
                articles.append(a)
    return articles


def write_jsonl(path, articles):
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")


def changed_copy(rng, writer, articles):
    """a2_v2: every 10th article edited, every 25th gone, 20 new ones."""
    out = []
    for i, a in enumerate(articles):
        if i % 25 == 24:
            continue
        if i % 10 == 3:
            a = dict(a)
            a["body"] = writer.sentence() + "\n\n" + str(a.get("body", a.get("text", "")))
        out.append(a)
    out.extend(writer.article("new%d" % i) for i in range(20))
    return out


def write_files(base, rng, writer):
    os.makedirs(os.path.join(base, "txt"))
    os.makedirs(os.path.join(base, "html"))
    for i in range(8):
        with open(os.path.join(base, "txt", "t%d.txt" % i), "w", encoding="utf-8") as f:
            f.write(writer.title() + "\n" + "2025-12-%02d\n\n" % (i + 1) + writer.body() + "\n")
    for i in range(4):
        paras = "".join("<p>%s</p>" % writer.sentence() for _ in range(rng.randint(3, 12)))
        with open(os.path.join(base, "html", "h%d.html" % i), "w", encoding="utf-8") as f:
            f.write("<html><head><title>%s</title></head><body><nav>Menu</nav><article>%s</article></body></html>\n"
                    % (writer.title(), paras))


def text_of(a):
    return str(a.get("body", a.get("text", a.get("content", ""))))


def corpus_words(articles):
    """The articles' own words, most frequent first: lower-case words
    (stopwords left out) and capitalised ones (names, mostly)."""
    counts = collections.Counter()
    for a in articles:
        counts.update(re.findall(r"[A-Za-z]{3,}", text_of(a)))
    ranked = [w for w, _ in counts.most_common()]
    words = [w for w in ranked if w.islower() and w not in STOPWORDS]
    names = [w for w in ranked if w[0].isupper() and not w.isupper()]
    return words, names


def write_queries(path, rng, articles):
    words, names = corpus_words(articles)
    pick = lambda ranks, pool: [pool[r] for r in ranks if r < len(pool)]
    queries = pick((3, 10, 30, 60, 100, 150, 300, 600), words)
    queries += ["%s %s" % (rng.choice(words[5:300]), rng.choice(words[5:300])) for _ in range(8)]
    queries += pick(range(0, 40, 8), names)
    for a in rng.sample(articles, 5):
        found = text_of(a).split()
        if len(found) > 6:
            k = rng.randint(0, len(found) - 4)
            queries.append('"%s"' % " ".join(w.strip('.,?!"') for w in found[k:k + 3]))
    queries += ["%s -%s" % (words[20], words[21]), "title:%s" % words[40]]
    with open(path, "w", encoding="utf-8") as f:
        for i, q in enumerate(queries, 1):
            f.write("q%d\t%s\n" % (i, q))


def main():
    out, kilobytes, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    source = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--from" else None
    rng = random.Random(seed)
    writer = Writer(rng, make_vocabulary(rng, 4000))
    articles = file_articles(source) if source else generated_articles(writer, kilobytes)
    base = os.path.join(out, "base")
    os.makedirs(base)
    third = len(articles) // 3
    parts = [articles[:third], articles[third:2 * third], articles[2 * third:]]
    for name, part in zip(["a1", "a2", "a3"], parts):
        write_jsonl(os.path.join(base, name + ".jsonl"), part)
    write_jsonl(os.path.join(out, "a2_v2.jsonl"), changed_copy(rng, writer, parts[1]))
    write_files(base, rng, writer)
    write_queries(os.path.join(out, "queries"), rng, articles)


if __name__ == "__main__":
    main()
