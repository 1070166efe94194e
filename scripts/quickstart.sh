#!/bin/sh
# quickstart.sh — the README's first command: installs what is missing,
# builds, indexes corpus/ when the index is missing or older than the
# corpus, and searches it for "security guarantees". An index that an older
# ptsearch wrote (another schema) is kept as INDEX.old and built again.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
index=$(build/ptindex --print-index-dir)
if [ ! -f "$index/iamglass" ] || [ -n "$(find corpus -newer "$index/iamglass" -print -quit)" ]; then
    err=$(mktemp)
    rc=0
    build/ptindex --index "$index" corpus 2>"$err" || rc=$?
    cat "$err" >&2
    if [ "$rc" -gt 1 ] && grep -q "schema .* is not supported" "$err"; then
        echo "quickstart: keeping the old index as $index.old and indexing corpus/ again" >&2
        rm -rf "$index.old"
        mv "$index" "$index.old"
        rc=0
        build/ptindex --index "$index" corpus || rc=$?
    fi
    rm -f "$err"
    [ "$rc" -le 1 ] || exit "$rc" # 1: some input skipped, reported above
fi
exec build/ptsearch --index "$index" "security guarantees"
