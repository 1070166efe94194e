#!/bin/sh
# run_fuzz.sh — fuzzes one libFuzzer target (built with -DPT_FUZZ=ON),
# starting from its seed corpus. New inputs go to WORK_DIR/corpus (the
# seeds stay as they are); a crash, leak or broken invariant is saved as
# WORK_DIR/crash-* and the script says how to replay it and keep it.
# Usage: run_fuzz.sh TARGET SEED_DIR WORK_DIR [libFuzzer options...]
#   e.g. run_fuzz.sh build-fuzz/tests/fuzz/fuzz_html tests/fuzz/corpus/html /tmp/fz -max_total_time=20
set -eu
target=$1 seeds=$2 work=$3
shift 3
mkdir -p "$work/corpus"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:new_delete_type_mismatch=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1"
status=0
"$target" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -error_exitcode=1 \
    -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds" || status=$?
if [ "$status" -ne 0 ]; then
    for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -e "$f" ] || continue
        echo "run_fuzz: $f: replay with '$target $f'; once fixed, copy it into $seeds" >&2
    done
fi
exit "$status"
