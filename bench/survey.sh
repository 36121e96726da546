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

# Warm the page cache, then time RUNS runs and keep the median.
"${PIN[@]}" "$BIN" survey analyze --input "$WORK/survey.csv" --config "$WORK/config.json" >"$WORK/out.json"
times=()
for _ in $(seq $RUNS); do
  start=$(date +%s.%N)
  "${PIN[@]}" "$BIN" survey analyze --input "$WORK/survey.csv" --config "$WORK/config.json" >"$WORK/out.json"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
peak=$(/usr/bin/time -f %M "${PIN[@]}" "$BIN" survey analyze --input "$WORK/survey.csv" \
  --config "$WORK/config.json" 2>&1 >/dev/null | tail -1)

read -r reference worst items < <("${PIN[@]}" python3 bench/survey/reference.py "$WORK/survey.csv" \
  "$WORK/config.json" "$WORK/out.json")

printf 'kakehashi survey analyze: %.3f s (median of %d, 2 cores), peak RSS %d MB\n' \
  "$median" "$RUNS" "$((peak / 1024))"
printf 'Python reference (csv + unicodedata + mpmath p-values): %.3f s\n' "$reference"
printf 'ratio: %.1fx faster than the reference\n' "$(echo "$reference / $median" | bc -l)"
printf 'agreement: %d items, worst relative difference %s (bar: 1e-9)\n' "$items" "$worst"
if (($(echo "$median > 2" | bc -l))); then echo "GOAL MISSED: over 2 s" >&2; exit 1; fi
if (($(echo "$worst > 1e-9" | bc -l))); then echo "AGREEMENT MISSED" >&2; exit 1; fi
