#!/bin/sh
# test.sh — the README's second command (and CI's): installs what is
# missing, then builds and runs every test twice: a normal build (with
# valgrind over an end-to-end run), and one under AddressSanitizer + UBSan;
# then fuzzes each fuzz target briefly (clang, libFuzzer + ASan + UBSan)
# and runs the parallel indexer under ThreadSanitizer. Each stage prints
# its time.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
# new_delete_type_mismatch: libxapian 1.4.22's own Database::check() trips it
# inside the library (not in code of ours), so it is off.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:new_delete_type_mismatch=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

stage_start=$(date +%s)
stage_end() { echo "== $1: $(($(date +%s) - stage_start)) s"; stage_start=$(date +%s); }

echo "== build and test (release)"
scripts/build.sh build
ctest --test-dir build --output-on-failure -j "$jobs"
stage_end "release"

echo "== build and test (AddressSanitizer + UBSan)"
scripts/build.sh build-asan -DPT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ctest --test-dir build-asan --output-on-failure -j "$jobs"
stage_end "AddressSanitizer + UBSan"

# Each fuzz target for FUZZ_SECONDS from its seed corpus (tests/fuzz).
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
echo "== fuzz (libFuzzer + ASan + UBSan, ${FUZZ_SECONDS} s a target)"
if printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }\n' |
        clang -x c - -fsanitize=fuzzer,address,undefined -o /tmp/ptsearch-fuzz-probe.$$ 2>/dev/null; then
    rm -f /tmp/ptsearch-fuzz-probe.$$
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPT_FUZZ=ON -DPT_FUZZ_SECONDS="$FUZZ_SECONDS" >/dev/null
    cmake --build build-fuzz --target fuzz --parallel "$jobs"
    ctest --test-dir build-fuzz -L '^fuzz$' --output-on-failure -j "$jobs"
    stage_end "fuzz"
else
    echo "== fuzz: skipped (clang cannot build a libFuzzer binary here)"
fi

echo "== the parallel indexer under ThreadSanitizer"
if printf 'int main(void) { return 0; }\n' | cc -x c - -fsanitize=thread -o /tmp/ptsearch-tsan-probe.$$ 2>/dev/null &&
        /tmp/ptsearch-tsan-probe.$$; then
    rm -f /tmp/ptsearch-tsan-probe.$$
    cmake -S . -B build-tsan -DPT_TSAN=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
    cmake --build build-tsan --target ptindex ptsearch --parallel "$jobs"
    ctest --test-dir build-tsan -R '^tsan_parallel$' --output-on-failure
    stage_end "ThreadSanitizer"
else
    rm -f /tmp/ptsearch-tsan-probe.$$
    echo "== ThreadSanitizer: skipped (the compiler cannot build with -fsanitize=thread here)"
fi
