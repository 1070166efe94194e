#!/usr/bin/env bash
# memcheck.sh — ptindex and ptsearch under valgrind's memcheck: a short
# end-to-end run (a --jobs 2 build of corpus/ with JSON Lines, HTML and
# gzip beside it, searches of each kind, a --batch, an incremental update,
# --check, --remove, a bad query) where any memory error or definite leak
# fails. With --suite, the command-line test scripts instead run whole with
# both programs under valgrind (slow: by hand).
# Usage: memcheck.sh PTINDEX PTSEARCH CORPUS_DIR [--suite]
set -u
REAL_PTINDEX=$(realpath "$1") REAL_PTSEARCH=$(realpath "$2") CORPUS=$(realpath "$3") SUITE=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
PTINDEX=$REAL_PTINDEX PTSEARCH=$REAL_PTSEARCH
. "$HERE/cli/lib.sh"
if ! command -v valgrind >/dev/null; then
    echo "memcheck: valgrind is not installed: skipped"
    exit 77
fi

# A memcheck error exits 99, apart from every status the programs use.
LOGS=$TMP/logs
mkdir -p "$LOGS" && chmod 1777 "$LOGS"
VALGRIND=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
          --show-leak-kinds=definite --quiet)

# Wrappers that run each program under valgrind, one log per process.
# ptsearch gets --timeout 0 first (an option given later still wins): its
# default 5 s limit measures valgrind's slowness on a loaded machine, not
# ours, and cut searches short there.
for prog in ptindex ptsearch; do
    real=$REAL_PTINDEX
    [ $prog = ptsearch ] && real="$REAL_PTSEARCH --timeout 0"
    printf '#!/bin/sh\nexec %s --log-file=%s/%s.%%p.log %s "$@"\n' \
        "${VALGRIND[*]}" "$LOGS" "$prog" "$real" >"$TMP/$prog"
    chmod 755 "$TMP/$prog"
done
PTINDEX=$TMP/ptindex PTSEARCH=$TMP/ptsearch

# Every log empty: valgrind --quiet writes nothing when all was well.
clean_logs() {
    local bad
    bad=$(find "$LOGS" -name '*.log' -size +0c)
    [ -z "$bad" ] && return 0
    for f in $bad; do echo "== $f"; head -n 60 "$f"; done
    return 1
}

if [ "$SUITE" = --suite ]; then
    for t in cli cli_input cli_query cli_bad_input cli_update; do
        args=("$PTINDEX" "$PTSEARCH")
        case $t in
        cli | cli_query | cli_bad_input) args+=("$CORPUS") ;;
        cli_input) args+=(0) ;;
        cli_update) args+=("$CORPUS" 5) ;;
        esac
        echo "== $t under valgrind"
        bash "$HERE/cli/$t.sh" "${args[@]}" | tail -n 5
        check "$t: its checks pass under valgrind" test "${PIPESTATUS[0]}" -eq 0
    done
    check "no memory error or definite leak in any process" clean_logs
    echo "memcheck: $(find "$LOGS" -name '*.log' | wc -l) processes checked"
    finish
    exit
fi

D=$TMP/docs IX=$TMP/ix
mkdir -p "$D"
cp "$CORPUS"/* "$D"/
printf '{"id":"w1","title":"Grain","date":"2025-12-14","source":"AP","body":"Exporters welcomed the grain corridor at Odesa."}\nnot json\n' >"$D/wire.jsonl"
printf '{"id":"z1","body":"A gzipped dispatch from Kharkiv."}\n' | gzip -c >"$D/zipped.jsonl.gz"
printf '<html><head><title>Page</title></head><body><nav>x</nav><article><p>Talks in Geneva &amp; Berlin.</p></article></body></html>' >"$D/page.html"

run "$PTINDEX" --index "$IX" --jobs 2 "$D"
check "a --jobs 2 build (one malformed line skipped: exit 1)" test "$status" -eq 1
for q in "security guarantees" '"peace deal"' 'Zelensk*' 'Donbas NOT Russia' 'date:2025-12 title:Berlin' 'Kiev'; do
    run "$PTSEARCH" --index "$IX" -n 3 "$q"
    check "search '$q'" test "$status" -eq 0
done
run "$PTSEARCH" --index "$IX" --format json --explain -n 2 Witkoff
check "--format json --explain" test "$status" -eq 0
run "$PTSEARCH" --index "$IX" zzzyxq
check "nothing found exits 1" test "$status" -eq 1
run "$PTSEARCH" --index "$IX" 'date:2025-13'
check "a bad query exits 2" test "$status" -eq 2
printf '1\tsecurity guarantees\n2\tGeneva\n3\tceasefire Kharkiv\n' >"$TMP/topics"
run "$PTSEARCH" --index "$IX" --batch "$TMP/topics" --format trec
check "--batch" test "$status" -eq 0
printf 'New title\n\nA new article about Kherson and the grain corridor.\n' >"$D/new.txt"
printf '{"id":"w1","title":"Grain","body":"Exporters welcomed the grain corridor at Izmail."}\n' >"$D/wire.jsonl"
run "$PTINDEX" --index "$IX" "$D"
check "an incremental update" test "$status" -eq 0
check "the update is searchable" test "$(hits "$IX" Izmail)" -eq 1
run "$PTINDEX" --index "$IX" --check
check "--check" test "$status" -eq 0
run "$PTINDEX" --index "$IX" --remove w1
check "--remove" test "$status" -eq 0
check "no memory error or definite leak in any process" clean_logs
finish
