#!/usr/bin/env bash
# Benchmark of the calendar module: every holiday 1948-2099 and 1,000,000 deadline queries,
# each printed with its ratio to a naive reference computed in the same run (see
# bench/calendar/calendar_bench.cpp). Builds the release libraries first if needed.
# Usage: bench/calendar.sh        (figures go to docs/performance.md by hand)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

[[ -d build ]] || cmake --preset release >/dev/null
cmake --build --preset release --target kk_calendar kk_base -j2 >/dev/null

out="build/bench"
mkdir -p "$out"
# Same flags as the release build (RelWithDebInfo), linked against its static libraries.
g++ -std=c++23 -O2 -g -DNDEBUG -Wall -Wextra -Wpedantic -Werror -I src \
  bench/calendar/calendar_bench.cpp \
  build/src/calendar/libkk_calendar.a build/src/base/libkk_base.a \
  $(pkg-config --libs fmt icu-uc icu-i18n) -o "$out/calendar_bench"

echo "calendar benchmark on $(nproc) cores of $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%dT%H:%MZ)"
"$out/calendar_bench"

# The CLI as a user runs it: one process per query, for scale.
bin="build/kakehashi"
if [[ -x "$bin" ]]; then
  start=$(date +%s%N)
  for i in $(seq 1 100); do "$bin" calendar deadline 2026-12-25 --business-days 3 >/dev/null; done
  end=$(date +%s%N)
  echo "cli        100 x 'kakehashi calendar deadline' (process start included): $(( (end - start) / 100000 )) µs per call"
fi
