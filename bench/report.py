#!/usr/bin/env python3
"""report.py — turns bench/run's raw figures (engine, run, metric, value) for
one corpus into the markdown report: one table with each engine's median
(min-max over the runs) and ptsearch's ratio to each peer, the machine, the
figures issue 8's targets need, and how each was measured. For a --scale K
corpus it also reads the newest 1x raw file of the same corpus in the
results directory to give the growth of indexing time. Python 3 stdlib."""
import argparse
import csv
import glob
import json
import os
import re
import statistics

ENGINES = [("ptsearch", "ptsearch"), ("ptsearch-remote", "ptsearch, remote shards"),
           ("xapian", "plain Xapian"), ("fts5", "SQLite FTS5")]
PEERS = ENGINES[2:]
# metric, column header, which way is better
COLUMNS = [
    ("index_s", "index s", "lower"),
    ("index_mbps", "index MB/s", "higher"),
    ("size_ratio", "size ÷ text", "lower"),
    ("rss_index_mib", "RSS index MiB", "lower"),
    ("rss_search_mib", "RSS search MiB", "lower"),
    ("p50_ms", "p50 ms", "lower"),
    ("p95_ms", "p95 ms", "lower"),
    ("p99_ms", "p99 ms", "lower"),
    ("qps", "batch q/s", "higher"),
    ("add1_ms", "add 1 + commit ms", "lower"),
    ("add100_ms", "add 100 + commit ms", "lower"),
]
EXTRA = [
    ("size_compact_ratio", "index size ÷ text after `xapian-compact`"),
    ("cli_batch_qps", "`ptsearch --batch FILE --format json` (whole process, output included) q/s"),
    ("open_ms", "opening the index for searching, ms"),
    ("hits_per_query", "hits returned per query (of at most 10)"),
    ("size_mb", "index size on disk, MB"),
]


def fmt(v):
    a = abs(v)
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def load(path):
    vals = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                v = float(row["value"])
            except (TypeError, ValueError):
                continue
            vals.setdefault((row["engine"], row["metric"]), []).append(v)
    return vals


def med(vals, engine, metric):
    v = vals.get((engine, metric))
    return statistics.median(v) if v else None


def cell(vals, engine, metric):
    v = vals.get((engine, metric))
    if not v:
        return "—"
    m = statistics.median(v)
    if len(v) == 1:
        return fmt(m)
    return "%s (%s–%s)" % (fmt(m), fmt(min(v)), fmt(max(v)))


def ratio(vals, metric, peer):
    a, b = med(vals, "ptsearch", metric), med(vals, peer, metric)
    if a is None or b is None or b == 0:
        return None
    return a / b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--queries", type=int, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--results-dir", required=True)
    args = ap.parse_args()
    vals = load(args.raw)
    for (engine, metric), v in list(vals.items()):
        if metric == "size_bytes":
            vals[(engine, "size_mb")] = [x / 1e6 for x in v]
    with open(args.stats, encoding="utf-8") as f:
        stats = json.load(f)
    machine = {}
    with open(args.machine, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v
    scale = int(stats.get("scale", 1))
    o = []
    o.append("# bench/run: %s" % args.corpus)
    o.append("")
    made = ""
    if scale > 1:
        made = (" — **%d× corpus**: the articles of `%s` repeated %d times, copy k > 0 with "
                "the id suffix `#k`" % (scale, os.path.basename(args.source), scale))
    o.append("Corpus `%s`: %s articles, %.1f MB of text (title + body, UTF-8)%s. "
             "%d queries of 1–4 words from the corpus's titles (fixed seed), the same file for "
             "every engine; each figure is the median of %d run%s, min–max in brackets."
             % (os.path.basename(args.source), format(stats["articles"], ","),
                stats["text_bytes"] / 1e6, made, args.queries, args.runs,
                "s" if args.runs > 1 else ""))
    o.append("")
    o.append("Machine: %s cores, %s, %s RAM, Linux %s; Xapian %s, SQLite %s; %s at %s; %s; load average at the end %s."
             % (machine.get("nproc"), machine.get("cpu"), machine.get("memory"),
                machine.get("kernel"), machine.get("xapian"), machine.get("sqlite"),
                machine.get("ptsearch"), machine.get("commit"), machine.get("date"), machine.get("load", "?")))
    o.append("")
    o.append("| engine | " + " | ".join(c[1] for c in COLUMNS) + " |")
    o.append("|---|" + "---:|" * len(COLUMNS))
    present = {e for e, _ in vals}
    for key, label in ENGINES:
        if key in present:
            o.append("| %s | " % label + " | ".join(cell(vals, key, c[0]) for c in COLUMNS) + " |")
    for key, label in PEERS:
        if key not in present:
            continue
        rs = []
        for c in COLUMNS:
            r = ratio(vals, c[0], key)
            rs.append("—" if r is None else "%.2f×" % r)
        o.append("| ptsearch ÷ %s | " % label + " | ".join(rs) + " |")
    o.append("")
    o.append("Ratios are ptsearch's median over the peer's: below 1× is better for ptsearch in "
             "every column but MB/s and q/s, where above 1× is better.")
    o.append("")
    o.append("Other figures (medians):")
    o.append("")
    for metric, what in EXTRA:
        parts = ["%s %s" % (label, cell(vals, key, metric))
                 for key, label in ENGINES if vals.get((key, metric))]
        if parts:
            o.append("- %s: %s" % (what, "; ".join(parts)))
    o.append("")

    # The figures issue 8's targets are stated in.
    o.append("## Targets of issue 8 on this run")
    o.append("")
    o.append("| target | measured | met |")
    o.append("|---|---:|:---:|")

    def target(text, value, ok, unit=""):
        if value is None:
            o.append("| %s | — | — |" % text)
        else:
            o.append("| %s | %s%s | %s |" % (text, fmt(value), unit, "yes" if ok else "**no**"))

    r = ratio(vals, "index_mbps", "xapian")
    target("indexing MB/s ≥ 3× plain Xapian's", r, r is not None and r >= 3, "×")
    v = med(vals, "ptsearch", "size_ratio")
    target("index size ≤ 2.0× the text", v, v is not None and v <= 2.0, "×")
    for m in ("p50_ms", "p99_ms"):
        r = ratio(vals, m, "xapian")
        target("latency %s ≤ plain Xapian's" % m[:3], r, r is not None and r <= 1, "×")
    r = ratio(vals, "add1_ms", "xapian")
    target("add 1 + commit ≤ plain Xapian's (%d× data)" % scale, r, r is not None and r <= 1, "×")
    v = vals.get(("ptsearch", "rss_index_mib"))
    target("peak RSS indexing ≤ 256 MiB (worst run)", max(v) if v else None,
           bool(v) and max(v) <= 256, " MiB")
    v = vals.get(("ptsearch", "rss_search_mib"))
    target("peak RSS searching ≤ 64 MiB (worst run)", max(v) if v else None,
           bool(v) and max(v) <= 64, " MiB")
    if scale > 1:
        base = re.sub(r"-x%d$" % scale, "", args.corpus)
        ones = sorted(glob.glob(os.path.join(args.results_dir, "%s-????-??-??.tsv" % base)))
        if ones:
            one = load(ones[-1])
            for key, label in ENGINES:
                a, b = med(vals, key, "index_s"), med(one, key, "index_s")
                if a is not None and b:
                    g = a / b
                    text = ("%s: %d× data indexes in ≤ %.1f× the time (1×: %s)"
                            % (label, scale, 1.1 * scale, os.path.basename(ones[-1])))
                    if key == "ptsearch":
                        target(text, g, g <= 1.1 * scale, "×")
                    else:
                        o.append("| %s | %s× | — |" % (text, fmt(g)))
        else:
            o.append("| %d× data ≤ %.1f× the time | no 1× results of %s in %s | — |"
                     % (scale, 1.1 * scale, base, args.results_dir))
    else:
        o.append("| 10× data ≤ 11× the time | see `bench/run --scale 10 %s` | — |" % args.corpus)
    o.append("")

    o.append("## How each figure is measured")
    o.append("")
    o.append("""- **Input**: every engine reads the same uncompressed JSON Lines file (the corpus
  decompressed once by `bench/make_corpus.py`); the peers parse it with jansson, as `ptindex` does.
  Text size = UTF-8 bytes of title + body; MB = 10^6 bytes.
- **index s, MB/s, RSS index**: one process per engine as its user runs it, timed by the shell
  around it (wall clock), peak RSS from `/usr/bin/time -f %M`: `ptindex --index DIR
  articles.jsonl`; `xapian_peer index` (one document per article, `TermGenerator`, English
  stemmer, positions, title + body as document data, default flush threshold, one commit at the
  end); `fts5_peer index` (`fts5(title, body, tokenize='porter')`, one transaction).
- **size ÷ text**: `du -sb` of the index directory (SQLite: the database file) right after
  indexing, over the text size. Nothing is compacted except in the extra Xapian figure.
- **p50/p95/p99, batch q/s, RSS search**: one process per engine opens the index once and runs
  every query, timing each one in-process (`CLOCK_MONOTONIC`) from the query text to the top 10
  hits with highlighted text built: ptsearch through the C API (`pt_bench`: `pt_search`, default
  options, then the passage marked from its highlight ranges); Xapian: `QueryParser` (English
  stemmer, `STEM_SOME`, default flags) + BM25 `get_mset(0, 10)` + `MSet::snippet` (500 bytes) of
  each hit's data; FTS5: the words OR-ed (the same any-word semantics), `ORDER BY bm25() LIMIT
  10`, `snippet()` of the body (64 tokens). Percentiles are nearest-rank over the queries; q/s =
  queries ÷ wall time of the whole query loop. Peak RSS from `/usr/bin/time`. The index was just
  written, so it is in the page cache for every engine alike.
- **add 1 / add 100 + commit**: on the full index just built and searched, one process that
  opens the index, adds the articles (the corpus's last articles under new ids) and commits, timed
  around the process: `ptindex --index DIR add1-N.jsonl`, `xapian_peer add`, `fts5_peer add`.
  Five add-1 processes per run (five different articles; the median and min–max are over all of
  them: one add is a few fsyncs, and one sample per run was mostly the disk's noise), then the
  add-100 run on top of them. `ptindex` reads only the file named (it
  does not rescan the corpus) and records that file in its manifest of sources in the same
  commit.
- Lucene 8 is not measured (optional in the issue; not set up here).""")
    print("\n".join(o))


if __name__ == "__main__":
    main()
