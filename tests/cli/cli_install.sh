#!/bin/bash
# cli_install.sh — the installed library (issue 18): `cmake --install` into
# a temporary prefix puts each file in its place; examples/search.c builds
# with pkg-config's flags only, against libptsearch.so (by its soname,
# exporting the public API and nothing else) and, with --static, against
# libptsearch.a, and finds what the installed ptsearch finds in an index of
# corpus/ built by the installed ptindex.
# Usage: cli_install.sh CMAKE BUILD_DIR SOURCE_DIR CC
CMAKE=$1 BUILD=$2 SRC=$3 CC=$4
PTINDEX= PTSEARCH=
source "$(dirname "$0")/lib.sh"
QUERY="security guarantees"

prefix=$TMP/prefix
run "$CMAKE" --install "$BUILD" --prefix "$prefix"
check "cmake --install succeeds: $err" test "$status" -eq 0
pc=$(find "$prefix" -name ptsearch.pc)
libdir=$(dirname "$(dirname "$pc")")
PTINDEX=$prefix/bin/ptindex PTSEARCH=$prefix/bin/ptsearch
for f in bin/ptindex bin/ptsearch include/ptsearch.h share/man/man1/ptindex.1 share/man/man1/ptsearch.1; do
    check "installed: $f" test -s "$prefix/$f"
done
if [ -x "$BUILD/ptserve" ]; then
    check "installed: bin/ptserve" test -x "$prefix/bin/ptserve"
    check "installed: share/man/man1/ptserve.1" test -s "$prefix/share/man/man1/ptserve.1"
fi
check "installed: libptsearch.a" test -s "$libdir/libptsearch.a"
check "installed: libptsearch.so" test -L "$libdir/libptsearch.so"

# The .pc names the prefix installed to, not the one configured.
pkgconf() { PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config "$@"; }
check "ptsearch.pc: prefix $prefix" test "$(pkgconf --variable=prefix ptsearch)" = "$prefix"
check "ptsearch.pc: libdir $libdir" test "$(pkgconf --variable=libdir ptsearch)" = "$libdir"

# The soname is versioned, and the file it names is installed.
soname=$(readelf -d "$libdir/libptsearch.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
check "soname libptsearch.so.N ($soname)" grep -qE '^libptsearch\.so\.[0-9]+$' <<<"$soname"
check "the soname's file is installed" test -e "$libdir/$soname"

# The functions ptsearch.h declares (a line starting with their type) are
# exported, and nothing else.
exported=$(nm -D --defined-only "$libdir/$soname" | awk '{print $3}' | sort)
declared=$(grep -E '^[a-z][^(]*\bpt_[a-z0-9_]+\(' "$prefix/include/ptsearch.h" | grep -v '^typedef' |
           sed -E 's/^[^(]*\b(pt_[a-z0-9_]+)\(.*/\1/' | sort)
check "pt_searcher_open is declared" grep -qx pt_searcher_open <<<"$declared"
check "exported = declared: $(diff <(echo "$declared") <(echo "$exported") | grep '^[<>]' | tr '\n' ' ')" \
    test "$exported" = "$declared"

run "$PTINDEX" --quiet --index "$TMP/index" "$SRC/corpus"
check "the installed ptindex indexes corpus/: $err" test "$status" -eq 0
want=$("$PTSEARCH" --index "$TMP/index" --format json -n 1 "$QUERY" |
       python3 -c 'import json, sys; print("1. " + json.loads(sys.stdin.readline())["title"])')
check "the installed ptsearch finds a first hit" test "$want" != "1. "

# search_example NAME FLAGS...: builds examples/search.c as $TMP/NAME with
# the compiler's strictest warnings and pkg-config's FLAGS, nothing more.
search_example() {
    local name=$1; shift
    run "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -o "$TMP/$name" "$SRC/examples/search.c" "$@"
    check "examples/search.c builds ($name): $err" test "$status" -eq 0
}

# Against the shared library: the program needs it by its soname.
search_example search $(pkgconf --cflags --libs ptsearch)
check "search needs $soname" grep -q "NEEDED.*\[$soname\]" <<<"$(readelf -d "$TMP/search")"
check "search loads it from the prefix" grep -q "$soname => $libdir/" <<<"$(LD_LIBRARY_PATH=$libdir ldd "$TMP/search")"
run env LD_LIBRARY_PATH="$libdir" "$TMP/search" "$TMP/index" "$QUERY"
check "search (shared): exit 0: $err" test "$status" -eq 0
check "search (shared): the first hit is ptsearch's ($want)" test "$(head -n 1 <<<"$out")" = "$want"
check "search (shared): source and date" grep -q '^   .*, 2025-12-[0-9][0-9]$' <<<"$out"
check "search (shared): the passage has the query's words" grep -qi 'guarantee' <<<"$out"
run env LD_LIBRARY_PATH="$libdir" "$TMP/search" "$TMP/index" "zzqxwv"
check "search: exit 1 when nothing matches ($status)" test "$status" -eq 1
run env LD_LIBRARY_PATH="$libdir" "$TMP/search" "$TMP/no-index" "$QUERY"
check "search: exit 2 and a message for a missing index ($status)" test "$status" -eq 2 -a -n "$err"

# Against the static library: what a static link needs beside it comes from
# Requires.private and Libs.private. -lptsearch would pick the .so beside
# the .a, and `cc -static` cannot be (Debian has no libxapian.a), so the
# archive is named.
static_flags=$(pkgconf --static --cflags --libs ptsearch)
search_example search-static ${static_flags//-lptsearch/-l:libptsearch.a}
check "search-static needs no libptsearch.so" test -z "$(readelf -d "$TMP/search-static" | grep 'NEEDED.*libptsearch')"
run "$TMP/search-static" "$TMP/index" "$QUERY"
check "search (static): exit 0: $err" test "$status" -eq 0
check "search (static): the first hit is ptsearch's ($want)" test "$(head -n 1 <<<"$out")" = "$want"
finish
