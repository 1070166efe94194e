#!/usr/bin/env python3
"""parallel_clients.py PORT ROUNDS THREADS — asks ptserve every query below, one at
a time, then ROUNDS times each again from THREADS threads at once, and
prints how many concurrent answers differ from the serial ones (a failed
request counts as different). Exit 0 when none differ. The queries have
words WordNet relates to others, so concurrent searches expand at once."""
import concurrent.futures
import json
import sys
import urllib.parse
import urllib.request

QUERIES = ["Donbas concessions", "security guarantees", "peace talks Berlin", "territory land",
           "ceasefire agreement", "NATO membership", "negotiations progress", "military support weapons",
           "withdrawal troops", "elections referendum"]


def hits(port, query):
    url = "http://127.0.0.1:%s/api/search?facets=0&q=%s" % (port, urllib.parse.quote(query))
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return json.dumps(json.load(r)["hits"], sort_keys=True)
    except Exception as e:  # a dropped connection is an answer that differs
        return "failed: %s" % e


def main():
    port, rounds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    serial = {q: hits(port, q) for q in QUERIES}
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(lambda q: (q, hits(port, q)), QUERIES * rounds))
    differ = [q for q, h in answers if h != serial[q] or h.startswith("failed")]
    print("%d of %d concurrent answers differ from the serial ones%s" %
          (len(differ), len(answers), (": " + ", ".join(sorted(set(differ)))) if differ else ""))
    sys.exit(1 if differ else 0)


main()
