#!/bin/sh
# quickstart.sh — the README's first command: installs what is missing,
# builds, indexes corpus/ when the index is missing or older than the
# corpus, and searches it for "security guarantees".
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
index=$(build/ptindex --print-index-dir)
if [ ! -f "$index/iamglass" ] || [ -n "$(find corpus -newer "$index/iamglass" -print -quit)" ]; then
    build/ptindex --index "$index" corpus
fi
exec build/ptsearch --index "$index" "security guarantees"
