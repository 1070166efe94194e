#!/usr/bin/env bash
# ranked.sh — the ranking fault.sh compares an index by: ptsearch --batch
# over the query file in TREC form, feedback off, with no time limit. A
# search cut at ptsearch's limit (5 s by default, which a loaded machine
# can reach on a phrase whose stopwords make ~1,600 candidates) prints the
# passages found so far, which would read as the index ranking otherwise.
#
# Usage: ranked.sh PTSEARCH INDEX QUERIES DEPTH OUT
# Writes OUT (the run) and OUT.err (ptsearch's messages); exit 0 when
# ptsearch answered every query (exit 0 or 1), else 2 with OUT.err's
# first line on stderr.
set -u
[ $# -eq 5 ] || { sed -n '8,11p' "$0" >&2; exit 2; }
ptsearch=$1 index=$2 queries=$3 depth=$4 out=$5
# Feedback is off: it learns from the best two passages, which among equal
# scores depend on document order (part by part after --jobs 2). The
# outer timeout only keeps a hang (a damaged index) from stalling the run.
timeout 600 "$ptsearch" --index "$index" --batch "$queries" --format trec -n "$depth" --no-feedback \
    --timeout 0 >"$out" 2>"$out.err"
status=$?
if [ "$status" -gt 1 ]; then
    echo "ptsearch --batch exited $status: $(head -n 1 "$out.err")" >&2
    exit 2
fi
exit 0
