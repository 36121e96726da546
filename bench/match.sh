#!/usr/bin/env bash
# Matchmaking benchmark: `kakehashi match schedule` on random events against GLPK (glpsol):
# the LP bound on 300-participant events and the exact optimum on 60-participant events.
# Prints Markdown tables for docs/performance.md. Needs glpk-utils
# (scripts/deps/bench/match.txt) and a release build.
#   bench/match.sh            5 large + 10 small instances per table count
#   bench/match.sh --quick    2 large + 3 small
#   TMLIM=60 bench/match.sh   glpsol time limit per solve, in seconds (default 120)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${KAKEHASHI_BIN:-$root/build/kakehashi}"
command -v glpsol >/dev/null || { echo "glpsol not found: apt-get install glpk-utils" >&2; exit 3; }
[ -x "$bin" ] || { echo "build first: cmake --build --preset release ($bin missing)" >&2; exit 3; }
exec python3 "$root/bench/match/run.py" "$bin" "$@"
