#!/usr/bin/env bash
# Benchmark: `kakehashi survey analyze` on a Forms-style export of 100,000 respondents x 30
# items (two waves, ~196,000 answer sheets, answers in wording), pinned to 2 cores, against
# the same analysis in Python in the same run; also checks that every statistic agrees with
# the Python/mpmath reference to 1e-9 relative. Goal: under 2 s.
#   bench/survey.sh [RESPONDENTS] [ITEMS]     (build first: cmake --build --preset release)
set -euo pipefail
cd "$(dirname "$0")/.."
RESPONDENTS=${1:-100000}
ITEMS=${2:-30}
RUNS=5
BIN=${KAKEHASHI_BIN:-build/kakehashi}
[[ -x $BIN ]] || { echo "build the release binary first ($BIN not found)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PIN=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then PIN=(taskset -c 0,1); fi

echo "generating $RESPONDENTS respondents x $ITEMS items ..."
python3 bench/survey/generate.py "$RESPONDENTS" "$ITEMS" "$WORK/survey.csv" "$WORK/config.json"
echo "input: $(du -h "$WORK/survey.csv" | cut -f1), $(($(wc -l <"$WORK/survey.csv") - 1)) answer sheets"

# Warm the page cache, then time RUNS runs: wall clock (the goal) and CPU time (user + sys,
# which other work on a shared machine disturbs less). Medians are reported.
"${PIN[@]}" "$BIN" survey analyze --input "$WORK/survey.csv" --config "$WORK/config.json" >"$WORK/out.json"
walls=()
cpus=()
peak=0
for _ in $(seq $RUNS); do
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "${PIN[@]}" "$BIN" survey analyze \
    --input "$WORK/survey.csv" --config "$WORK/config.json" >"$WORK/out.json"
  read -r wall user sys rss <"$WORK/time.txt"
  walls+=("$wall")
  cpus+=("$(echo "$user + $sys" | bc -l)")
  ((rss > peak)) && peak=$rss
done
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
median_wall=$(median "${walls[@]}")
median_cpu=$(median "${cpus[@]}")

read -r reference worst items < <("${PIN[@]}" python3 bench/survey/reference.py "$WORK/survey.csv" \
  "$WORK/config.json" "$WORK/out.json")

printf 'kakehashi survey analyze: %.2f s wall, %.2f s CPU (medians of %d runs, 2 cores), peak RSS %d MB\n' \
  "$median_wall" "$median_cpu" "$RUNS" "$((peak / 1024))"
printf 'Python reference (csv + unicodedata + mpmath p-values): %.3f s\n' "$reference"
printf 'ratio: %.1fx faster than the reference (wall)\n' "$(echo "$reference / $median_wall" | bc -l)"
printf 'load average during the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'agreement: %d items, worst relative difference %s (bar: 1e-9)\n' "$items" "$worst"
if (($(echo "$median_wall > 2" | bc -l))); then echo "GOAL MISSED: over 2 s" >&2; exit 1; fi
if (($(echo "$worst > 1e-9" | bc -l))); then echo "AGREEMENT MISSED" >&2; exit 1; fi
