#!/usr/bin/env python3
"""serve_load.py — ptserve under load (issue 18): 16 clients at once for 30 s
against ptserve over the Reuters corpus of ../shared/data/news, each asking
/api/search for the next of the 1,000 make_queries.py queries over a kept-
alive connection, and the same queries through `ptsearch --batch`, one
process, one after another. Prints (and with --out writes) a table: q/s, and
p50 / p99 per request (ptsearch --batch: per query, from when each query's
output reaches the pipe: it flushes before each search). Exit 77 when the
corpus is absent. Python 3 standard library only.

  bench/serve_load.py [--build-dir build] [--clients 16] [--seconds 30]
                      [--index DIR] [--out bench/results/serve-DATE.md]
"""
import argparse
import datetime
import gzip
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "shared", "data", "news", "reuters21578.jsonl.gz")


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))] if s else float("nan")


def prepare(args, work):
    """The articles unzipped, the queries, and the index (built unless given)."""
    articles = os.path.join(work, "reuters.jsonl")
    with gzip.open(args.corpus, "rb") as src, open(articles, "wb") as dst:
        shutil.copyfileobj(src, dst)
    queries = os.path.join(work, "queries.txt")
    subprocess.run([sys.executable, os.path.join(HERE, "make_queries.py"), articles, "--n", str(args.queries),
                    "--out", queries], check=True)
    index = args.index or os.path.join(work, "index")
    if not args.index:
        t = time.monotonic()
        subprocess.run([os.path.join(args.build_dir, "ptindex"), "--index", index, "--quiet", articles], check=True)
        print("serve_load: indexed in %.1f s" % (time.monotonic() - t), file=sys.stderr)
    with open(queries, encoding="utf-8") as f:
        return index, queries, [q.strip() for q in f if q.strip()]


def start_ptserve(args, index, log):
    proc = subprocess.Popen([os.path.join(args.build_dir, "ptserve"), "--index", index, "--listen", "127.0.0.1:0",
                             "--max-connections", str(args.clients * 2)], stderr=log)
    for _ in range(200):
        with open(log.name, encoding="utf-8", errors="replace") as f:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", f.read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("serve_load: ptserve did not start (see %s)" % log.name)


def load(port, queries, clients, seconds, extra):
    """clients threads for seconds; returns (latencies in s, errors,
    elapsed, answers marked incomplete)."""
    lat, errors, lock, cut = [], [0], threading.Lock(), [0]
    nxt = [0]
    stop_at = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad, incomplete = [], 0, 0
        while time.monotonic() < stop_at:
            with lock:
                q = queries[nxt[0] % len(queries)]
                nxt[0] += 1
            t = time.monotonic()
            try:
                conn.request("GET", "/api/search?n=10&q=%s%s" % (urllib.parse.quote(q), extra))
                r = conn.getresponse()
                incomplete += b'"incomplete":true' in r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if ok:
                mine.append(time.monotonic() - t)
            else:
                bad += 1
        with lock:
            lat.extend(mine)
            errors[0] += bad
            cut[0] += incomplete

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors[0], time.monotonic() - started, cut[0]


def batch(args, index, queries_file, n):
    """ptsearch --batch over the queries (text format: a '## qid' header per
    query). ptsearch flushes before each search, so the gap between the
    arrival of two headers is one query's search and output."""
    cmd = [os.path.join(args.build_dir, "ptsearch"), "--index", index, "--batch", queries_file, "-n", "10"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    arrivals, pending = [], b""
    while True:
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            break
        now = time.monotonic()
        pending += chunk
        arrivals += [now] * len(re.findall(rb"(?m)^## \d+: ", pending))
        pending = pending[pending.rfind(b"\n") + 1:]
    proc.wait()
    elapsed = time.monotonic() - started
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    return gaps, elapsed, len(arrivals)


def table(rows, args, n_queries):
    out = ["# ptserve under load — Reuters (%s)" % datetime.date.today().isoformat(), "",
           "`bench/serve_load.py --clients %d --seconds %d`: %d clients at once, each over one kept-alive "
           "connection asking `/api/search?n=10&q=…` for the next of %d `make_queries.py` queries; "
           "`ptsearch --batch` runs the same queries in one process, one after another (`-n 10`, text "
           "output; per query: the gap between the arrival of two queries' output, as ptsearch "
           "flushes before each search). Both with the default ranking (related words, feedback) "
           "and the 5 s time limit. Machine: %d cores, shared (load average %.1f at the start)." %
           (args.clients, args.seconds, args.clients, n_queries, os.cpu_count(), args.load), "",
           "| run | requests | errors | incomplete | q/s | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, lat, errors, cut, qps in rows:
        out.append("| %s | %d | %d | %s | %.1f | %.1f | %.1f |" % (name, len(lat), errors, cut, qps,
                                                          percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--index", help="an index of the corpus already built")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--out")
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        print("SKIP: %s is absent" % args.corpus)
        sys.exit(77)
    args.load = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix="serve_load.")
    try:
        index, queries_file, queries = prepare(args, work)
        rows = []
        gaps, elapsed, n = batch(args, index, queries_file, len(queries))
        # q/s over the whole run, process start and index opening included
        rows.append(("`ptsearch --batch` (1 process, sequential)", gaps, len(queries) - n, "–", n / elapsed))
        with open(os.path.join(work, "serve.log"), "w") as log:
            proc, port = start_ptserve(args, index, log)
            try:
                lat, errors, el, cut = load(port, queries, args.clients, args.seconds, "&facets=0")
                rows.append(("ptserve, %d clients, hits only (`facets=0`)" % args.clients, lat, errors, cut,
                             len(lat) / el))
                lat, errors, el, cut = load(port, queries, args.clients, args.seconds, "")
                rows.append(("ptserve, %d clients, hits and facets (what the page asks)" % args.clients, lat,
                             errors, cut, len(lat) / el))
            finally:
                proc.terminate()
                proc.wait()
        text = table(rows, args, len(queries))
        print(text)
        if args.out:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
