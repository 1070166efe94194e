#!/usr/bin/env python3
"""scale_report.py — issue 19's scale table from bench/run's raw figures: for
one corpus, the rows (1 local index, N local shards, N remote shards) × (1×,
K×) with index time, peak RSS indexing, size ÷ text, query p50/p99 and the
load average, then each configuration's K×/1× ratios against the targets
(index time ≤ 1.1·K×, peak RSS ≤ 256 MiB, size ÷ text no worse than at 1×,
p50 and p99 ≤ 2×). Reads RESULTS/CORPUS[-shardsN][-xK]-DATE.tsv (and .md for
the article count); writes CORPUS-scale-DATE.md and .tsv. Python 3 stdlib."""
import argparse
import csv
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402  (bench/report.py: one number format for both reports)

RSS_LIMIT_MIB = 256
LATENCY_GROWTH = 2.0


def load(path):
    vals = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                vals.setdefault((row["engine"], row["metric"]), []).append(float(row["value"]))
            except (TypeError, ValueError):
                continue
    return vals


def fmt(v):
    return "—" if v is None else report.fmt(v)


def articles_of(md_path):
    """The article count and text MB the run's markdown report states."""
    try:
        with open(md_path, encoding="utf-8") as f:
            m = re.search(r"([\d,]+) articles, ([\d.]+) MB of text", f.read())
    except OSError:
        return None
    return (int(m.group(1).replace(",", "")), float(m.group(2))) if m else None


def figures(results, label, day, engine):
    """The medians of one configuration at one scale, or None without its file."""
    path = os.path.join(results, "%s-%s.tsv" % (label, day))
    if not os.path.exists(path):
        return None
    vals = load(path)

    def med(metric):
        v = vals.get((engine, metric))
        return statistics.median(v) if v else None

    fig = {m: med(m) for m in ("index_s", "index_cpu_s", "rss_index_mib", "size_ratio", "p50_ms", "p99_ms",
                                "load1", "size_bytes", "rss_search_mib", "cpu_p50_ms",
                                "cpu_p99_ms")}
    fig["runs"] = len(vals.get((engine, "index_s"), []))
    fig["file"] = os.path.basename(path)
    fig["corpus"] = articles_of(path[:-4] + ".md")
    return fig if fig["index_s"] is not None else None


def verdict(ok):
    return "met" if ok else "**not met**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results-dir", required=True)
    ap.add_argument("--corpus", default="news-all")
    ap.add_argument("--date", required=True)
    ap.add_argument("--shards", type=int, default=3)
    ap.add_argument("--scale", type=int, default=10)
    args = ap.parse_args()
    n, k = args.shards, args.scale
    configs = [("1 local", args.corpus, "ptsearch"),
               ("%d local" % n, "%s-shards%d" % (args.corpus, n), "ptsearch"),
               ("%d remote (loopback)" % n, "%s-shards%d" % (args.corpus, n), "ptsearch-remote")]
    rows, raw = [], []
    for name, label, engine in configs:
        one = figures(args.results_dir, label, args.date, engine)
        big = figures(args.results_dir, "%s-x%d" % (label, k), args.date, engine)
        rows.append((name, one, big))
        for scale, fig in ((1, one), (k, big)):
            for m in ("index_s", "index_cpu_s", "rss_index_mib", "size_ratio", "p50_ms", "p99_ms",
                      "cpu_p50_ms", "cpu_p99_ms", "load1"):
                if fig and fig.get(m) is not None:
                    raw.append((name, scale, m, fig[m]))

    o = ["# Scale: %s at 1× and %d× (issue 19)" % (args.corpus, k), ""]
    for _, one, big in rows[:1]:
        for scale, fig in ((1, one), (k, big)):
            if fig and fig["corpus"]:
                o.append("- %d×: %s articles, %.1f MB of text (`%s`)"
                         % (scale, format(fig["corpus"][0], ","), fig["corpus"][1], fig["file"]))
    o.append("")
    o.append("| shards | scale | index s | index CPU s | peak RSS index MiB | size ÷ text "
             "| p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | load (1 min) | runs |")
    o.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, one, big in rows:
        for scale, fig in ((1, one), (k, big)):
            if not fig:
                o.append("| %s | %d× | not run | | | | | | | | | |" % (name, scale))
                continue
            o.append("| %s | %d× | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |"
                     % (name, scale, fmt(fig["index_s"]), fmt(fig["index_cpu_s"]),
                        fmt(fig["rss_index_mib"]),
                        fmt(fig["size_ratio"]), fmt(fig["p50_ms"]), fmt(fig["p99_ms"]),
                        fmt(fig["cpu_p50_ms"]), fmt(fig["cpu_p99_ms"]),
                        fmt(fig["load1"]), fig["runs"]))
    o.append("")
    o.append("Growth from 1× to %d× against the targets:" % k)
    o.append("")
    o.append("| shards | index time %d×/1× (≤ %.0f×) | index CPU %d×/1× (≤ %.0f×) "
             "| peak RSS at %d× (≤ %d MiB) | size ÷ text %d× vs 1× (no worse) "
             "| p50 %d×/1× (≤ %.0f×) | p99 %d×/1× (≤ %.0f×) | CPU p50, p99 %d×/1× |"
             % (k, 1.1 * k, k, 1.1 * k, k, RSS_LIMIT_MIB, k, k, LATENCY_GROWTH, k, LATENCY_GROWTH, k))
    o.append("|---|---|---|---|---|---|---|---|")
    for name, one, big in rows:
        if not (one and big):
            o.append("| %s | — | — | — | — | — | — | — |" % name)
            continue
        g = big["index_s"] / one["index_s"]
        cells = ["%.2f× %s" % (g, verdict(g <= 1.1 * k))]
        if one["index_cpu_s"] and big["index_cpu_s"]:
            c = big["index_cpu_s"] / one["index_cpu_s"]
            cells.append("%.2f× %s" % (c, verdict(c <= 1.1 * k)))
            raw.append((name, k, "index_cpu_growth", c))
        else:
            cells.append("—")
        rss = max(one["rss_index_mib"], big["rss_index_mib"])
        cells.append("%s MiB %s" % (fmt(rss), verdict(rss <= RSS_LIMIT_MIB)))
        cells.append("%s vs %s %s" % (fmt(big["size_ratio"]), fmt(one["size_ratio"]),
                                      verdict(big["size_ratio"] <= one["size_ratio"])))
        for m in ("p50_ms", "p99_ms"):
            r = big[m] / one[m]
            cells.append("%.2f× %s" % (r, verdict(r <= LATENCY_GROWTH)))
            raw.append((name, k, m + "_growth", r))
        if one["cpu_p50_ms"] and big["cpu_p50_ms"]:
            r50 = big["cpu_p50_ms"] / one["cpu_p50_ms"]
            r99 = big["cpu_p99_ms"] / one["cpu_p99_ms"]
            cells.append("%.2f×, %.2f× %s" % (r50, r99, verdict(max(r50, r99) <= LATENCY_GROWTH)))
            raw += [(name, k, "cpu_p50_growth", r50), (name, k, "cpu_p99_growth", r99)]
        else:
            cells.append("—")
        raw.append((name, k, "index_growth", g))
        o.append("| %s | %s |" % (name, " | ".join(cells)))
    o.append("")
    base = os.path.join(args.results_dir, "%s-scale-%s" % (args.corpus, args.date))
    with open(base + ".tsv", "w", encoding="utf-8") as f:
        f.write("config\tscale\tmetric\tvalue\n")
        for name, scale, m, v in raw:
            f.write("%s\t%d\t%s\t%.6g\n" % (name, scale, m, v))
    print("\n".join(o))


if __name__ == "__main__":
    main()
