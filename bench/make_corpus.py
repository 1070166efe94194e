#!/usr/bin/env python3
"""make_corpus.py — prepares one corpus for bench/run: the articles every
engine indexes (articles.jsonl, uncompressed; with --scale K the articles
repeated K times, copy k > 0 with the id suffix "#k"), the articles added
afterwards (add1-1.jsonl … add1-5.jsonl, add100.jsonl: the corpus's last
articles under new ids "ID#add..."), and a stats line (JSON) with the
article count and the text size (UTF-8 bytes of title + body). --from-txt DIR turns the repo's corpus/
*.txt files into JSON Lines (title = first line, body = the rest) for the
smoke run. Several sources make one corpus (bench/run's `news-all`: the five
news corpora, read in the order given). --shards N also splits articles.jsonl
into shard-0.jsonl … shard-(N-1).jsonl by a CRC-32 of each article's id (the
shard layout bench/run builds when ptindex has no --shards). Python 3
standard library only."""
import argparse
import gzip
import json
import os
import sys
import zlib


ADD1_SAMPLES = 5


def read_source(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield obj


def read_txt_dir(path):
    for name in sorted(os.listdir(path)):
        if not name.endswith((".txt", ".md")):
            continue
        with open(os.path.join(path, name), encoding="utf-8", errors="replace") as f:
            lines = f.read().strip().split("\n")
        yield {"id": name, "title": lines[0].strip(), "date": None, "source": None,
               "body": "\n".join(l for l in lines[1:] if l.strip())}


def text_of(a, key):
    v = a.get(key)
    return v if isinstance(v, str) else ""


def write(path, articles):
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source", nargs="*")
    ap.add_argument("--from-txt")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--shards", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.from_txt:
        src = list(read_txt_dir(args.from_txt))
    else:
        src = [a for path in args.source for a in read_source(path)]
    if not src:
        sys.exit("make_corpus: no articles")
    os.makedirs(args.out, exist_ok=True)
    text_bytes = 0
    n = 0
    shards = [open(os.path.join(args.out, "shard-%d.jsonl" % i), "w", encoding="utf-8")
              for i in range(args.shards)]
    with open(os.path.join(args.out, "articles.jsonl"), "w", encoding="utf-8") as f:
        for k in range(args.scale):
            for a in src:
                b = dict(a)
                if k:
                    b["id"] = "%s#%d" % (text_of(a, "id"), k)
                line = json.dumps(b, ensure_ascii=False) + "\n"
                f.write(line)
                if shards:
                    key = str(b.get("id", "")).encode()
                    shards[zlib.crc32(key) % len(shards)].write(line)
                text_bytes += len(text_of(a, "title").encode()) + len(text_of(a, "body").encode())
                n += 1
    for s in shards:
        s.close()
    tail = src[-100:]
    add = [dict(tail[i % len(tail)]) for i in range(100)]
    for i, a in enumerate(add):
        a["id"] = "%s#add100-%d" % (text_of(a, "id"), i)
    # Five single articles, each added by its own process: one add-1 is a
    # few fsyncs long, so one sample per run is mostly the disk's noise.
    for i in range(1, ADD1_SAMPLES + 1):
        one = dict(tail[-i % len(tail)])
        one["id"] = "%s#add1-%d" % (text_of(one, "id"), i)
        write(os.path.join(args.out, "add1-%d.jsonl" % i), [one])
    write(os.path.join(args.out, "add100.jsonl"), add)
    print(json.dumps({"articles": n, "text_bytes": text_bytes, "scale": args.scale,
                      "articles_1x": len(src),
                      "file_bytes": os.path.getsize(os.path.join(args.out, "articles.jsonl"))}))


if __name__ == "__main__":
    main()
