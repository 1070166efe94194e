#!/bin/sh
# build.sh — configures and builds ptsearch with CMake.
# Usage: scripts/build.sh [BUILD_DIR [CMAKE_ARGS...]]  (default BUILD_DIR: build)
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" --parallel "$(nproc 2>/dev/null || echo 2)"
