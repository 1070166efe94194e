#!/usr/bin/env bash
# bench/smoke.sh — the CI check of bench/run: runs it with --smoke on the
# repo's corpus/ (no build; binaries from BUILD_DIR) and checks only that the
# table was written with all three engines' rows and both ratio rows. No
# figure is asserted: CI machines are too noisy for speed checks. Then the
# shard options (issue 19): ptsearch alone over 2 shards, searched locally
# and through xapian-tcpsrv (when installed); both rows have query figures
# and no server outlives the run.
# Usage: bench/smoke.sh BUILD_DIR OUT_DIR
set -euo pipefail
build_dir=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
"$here/run" --smoke --no-build --build-dir "$build_dir" --out "$out" >/dev/null
md=$out/smoke.md
[ -s "$md" ] || { echo "smoke: $md not written" >&2; exit 1; }
for row in '| ptsearch |' '| plain Xapian |' '| SQLite FTS5 |' \
           '| ptsearch ÷ plain Xapian |' '| ptsearch ÷ SQLite FTS5 |'; do
    line=$(grep -F -- "$row" "$md") || { echo "smoke: no row '$row' in $md" >&2; exit 1; }
    # Every cell of the row holds a figure (a ratio row: N.NN×).
    if grep -q -- '| — ' <<<"$line"; then
        echo "smoke: missing figure in: $line" >&2
        exit 1
    fi
done
echo "smoke: $md has all engines and ratios"

remote=() rows=('| ptsearch |')
if command -v xapian-tcpsrv >/dev/null; then
    remote=(--remote) rows+=('| ptsearch, remote shards |')
else
    echo "smoke: xapian-tcpsrv is not installed: remote shards not checked" >&2
fi
mkdir -p "$out/tmp"
TMPDIR=$out/tmp "$here/run" --smoke --no-build --build-dir "$build_dir" --out "$out" \
    --engines ptsearch --lean --shards 2 "${remote[@]}" >/dev/null
md=$out/smoke-shards2.md
[ -s "$md" ] || { echo "smoke: $md not written" >&2; exit 1; }
for row in "${rows[@]}"; do
    line=$(grep -F -- "$row" "$md") || { echo "smoke: no row '$row' in $md" >&2; exit 1; }
    # index s … batch q/s (the 2nd to 10th figures) are there.
    if awk -F'|' '{ for (i = 3; i <= 11; i++) if ($i ~ /—/) exit 1 }' <<<"$line"; then :; else
        echo "smoke: missing figure in: $line" >&2
        exit 1
    fi
done
if pgrep -f -- "$out/tmp" >/dev/null; then
    echo "smoke: a process of the shard run is still running: $(pgrep -af -- "$out/tmp")" >&2
    exit 1
fi
echo "smoke: $md has local and remote shard rows"
