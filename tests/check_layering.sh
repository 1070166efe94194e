#!/bin/sh
# check_layering.sh — the programs (indexer/, searcher/, server/) reach the library only through its
# public header: every quoted #include in their directories names
# include/ptsearch.h or a header of the program's own directory, never a
# header of lib/ (issue 17). Usage: check_layering.sh SOURCE_DIR
set -u
src=${1:?usage: check_layering.sh SOURCE_DIR}
problems=$(
    for dir in indexer searcher server; do
        for file in "$src/$dir"/*.c "$src/$dir"/*.h; do
            [ -e "$file" ] || continue
            # The name inside each #include "..." (<...> are system headers).
            sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
            while read -r name; do
                case $name in
                ptsearch.h) continue ;;
                */*) ;; # a path, such as "util/buf.h": lib/ reached around the header
                *) [ -e "$src/$dir/$name" ] && continue
                   # ptserve shares the searcher's hit JSON and facets (ptresults)
                   [ "$dir" = server ] && [ -e "$src/searcher/$name" ] && continue ;;
                esac
                echo "$dir/${file##*/}: includes \"$name\", not ptsearch.h or a header of $dir/"
            done
        done
    done
)
if [ -n "$problems" ]; then
    printf '%s\n' "$problems" >&2
    exit 1
fi
echo "layering: indexer/, searcher/ and server/ include only ptsearch.h and their own headers"
