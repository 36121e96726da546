#!/usr/bin/env bash
# Call solvers benchmark: `kakehashi call solve` and `kakehashi call assign` on random instances
# of the issue's size (60 applications in 10 blocks; 60 applications and 40 reviewers) and a few
# larger ones, against GLPK (glpsol) solving the same models exactly as MIPs in the same run.
# Prints Markdown tables for docs/performance/call.md; exits 1 if an optimum differs. Needs
# glpk-utils (scripts/deps/bench/call.txt) and a release build.
#   bench/call.sh            10 seeds per family at the issue's size, 2 for the larger rows
#   bench/call.sh --quick    3 seeds
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${KAKEHASHI_BIN:-$root/build/kakehashi}"
command -v glpsol >/dev/null || { echo "glpsol not found: apt-get install glpk-utils" >&2; exit 3; }
[ -x "$bin" ] || { echo "build first: cmake --build --preset release ($bin missing)" >&2; exit 3; }
exec python3 "$root/bench/call/run.py" "$bin" "$@"
