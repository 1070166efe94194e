#!/usr/bin/env python3
"""remote_phrases.py — what a phrase costs on a remote shard: the same index
searched directly (the phrase checked by a PostingSource inside Xapian's match)
and through one xapian-tcpsrv on loopback (the shard ranks the words, ptsearch
checks the phrase on the passages fetched: lib/rank/remote_check.c). Prints p50/p99 of the wall time of one ptsearch run per query, for
phrase and NEAR queries and, as the baseline of remote searching, for the same
queries' words without quotes.
Usage: bench/remote_phrases.py PTSEARCH INDEX_DIR ARTICLES.jsonl[.gz] [N]
(N phrase queries drawn as tests/cli/shards_compare.py draws them; default 50.)"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import contextlib
import io
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "cli"))
import shards_compare  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def timed(ptsearch, index, query):
    t = time.perf_counter()
    subprocess.run([ptsearch, "--index", index, "--timeout", "0", "-n", "10", query],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def main():
    ptsearch, index, articles = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "articles.jsonl")
        opener = "gzip -dc" if articles.endswith(".gz") else "cat"
        subprocess.run("%s '%s' | head -3000 > '%s'" % (opener, articles, plain), shell=True, check=True)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            shards_compare.queries(140, plain)
        qs = [l.split("\t", 1)[1] for l in buf.getvalue().splitlines()]
        phrases = [q for q in qs if q.startswith('"') or " NEAR/" in q][:n]
        words = [re.sub(r" NEAR/\d+ ", " ", q).replace('"', "") for q in phrases]
        port = free_port()
        server = subprocess.Popen(["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", str(port),
                                   index], start_new_session=True)
        try:
            stub = os.path.join(tmp, "remote.stub")
            with open(stub, "w") as f:
                f.write("remote 127.0.0.1:%d\n" % port)
            for _ in range(100):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            for name, batch in (("phrases", phrases), ("words", words)):
                for where, idx in (("local", index), ("remote", stub)):
                    ts = [timed(ptsearch, idx, q) for q in batch]
                    print("%-8s %-7s n=%d p50 %.3f s p99 %.3f s" % (name, where, len(ts), pct(ts, 50), pct(ts, 99)))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
