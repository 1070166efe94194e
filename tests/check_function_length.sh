#!/bin/sh
# check_function_length.sh — no function of the project's C and C++ (lib/,
# indexer/, searcher/, server/, bench/) is over 80 lines (issue 17). A
# function is what runs from a line "{" to the next line "}", both in the
# first column (the house style: a function's braces stand alone there);
# its length counts both braces. Usage: check_function_length.sh SOURCE_DIR [MAX]
set -u
src=${1:?usage: check_function_length.sh SOURCE_DIR [MAX]}
max=${2:-80}
problems=$(
    for dir in lib indexer searcher server bench; do
        find "$src/$dir" -name '*.c' -o -name '*.cc' -o -name '*.h'
    done | sort | while read -r file; do
        awk -v max="$max" -v name="${file#"$src"/}" '
            /^\{[[:space:]]*$/ { start = FNR; head = prev }
            /^\}[[:space:]]*$/ && start {
                if (FNR - start + 1 > max)
                    printf "%s:%d: %s is %d lines (over %d)\n", name, start, head, FNR - start + 1, max
                start = 0
            }
            { if ($0 !~ /^[[:space:]]*$/) prev = $0 }' "$file"
    done
)
if [ -n "$problems" ]; then
    printf '%s\n' "$problems" >&2
    exit 1
fi
