#!/usr/bin/env bash
# bench/smoke.sh — the CI check of bench/run: runs it with --smoke on the
# repo's corpus/ (no build; binaries from BUILD_DIR) and checks only that the
# table was written with all three engines' rows and both ratio rows. No
# figure is asserted: CI machines are too noisy for speed checks.
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
