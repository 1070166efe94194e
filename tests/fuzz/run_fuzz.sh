#!/bin/sh
# run_fuzz.sh — builds fuzz_query with clang (libFuzzer + ASan + UBSan) from
# the ptcore sources CMakeLists.txt lists, then fuzzes, starting from the
# seed corpus. Exit 77 (skipped) when clang cannot build a fuzzer.
# Usage: run_fuzz.sh OUT_DIR [libFuzzer options...]
#   e.g. run_fuzz.sh /tmp/fz -max_total_time=20   or   -runs=10000000
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$1
shift
mkdir -p "$out/obj" "$out/corpus"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }\n' |
        clang -x c - -fsanitize=fuzzer $san -o "$out/probe" 2>/dev/null; then
    echo "run_fuzz: clang cannot build a libFuzzer binary here: skipped" >&2
    exit 77
fi
defs="-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPTSEARCH_VERSION=\"fuzz\""
incs="-I$top/include -I$top/lib $(pkg-config --cflags xapian-core libutf8proc zlib)"
srcs=$(sed -n '/^add_library(ptcore/,/^)/p' "$top/CMakeLists.txt" | grep -o 'lib/[A-Za-z0-9_]*\.cc*')
objs=""
for s in $srcs; do objs="$objs $out/obj/$(basename "$s").o"; done
# An object is reused only when newer than its source and every header.
newest_header=$(ls -t "$top"/lib/*.h "$top"/include/*.h | head -n 1)
for s in $srcs; do
    o="$out/obj/$(basename "$s").o"
    [ "$o" -nt "$top/$s" ] && [ "$o" -nt "$newest_header" ] && continue
    case $s in
    *.cc) echo "clang++ -std=c++17 -O1 -g -fsanitize=fuzzer-no-link $san $defs $incs -c $top/$s -o $o" ;;
    *) echo "clang -std=c11 -O1 -g -fsanitize=fuzzer-no-link $san $defs $incs -c $top/$s -o $o" ;;
    esac
done | xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c '{}'
# shellcheck disable=SC2086
clang++ -g -fsanitize=fuzzer $san $defs $incs -x c "$here/fuzz_query.c" -x none $objs \
    $(pkg-config --libs xapian-core libutf8proc zlib) -lstemmer -lwordnet -o "$out/fuzz_query"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:new_delete_type_mismatch=0"
"$out/fuzz_query" -timeout=10 -rss_limit_mb=4096 -max_len=12000 "$@" "$out/corpus" "$here/corpus"
