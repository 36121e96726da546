#!/usr/bin/env bash
# Benchmark: `kakehashi project count` on a generated spreadsheet of 100,000 activity records
# with known projects (bench/count/generate.py: every spelling variant the rule covers, the
# hard negatives of issue 8, typos it must not repair, damaged rows). Prints pairwise precision
# and recall, the time (median of 5, pinned to 2 cores), the same file in Shift_JIS, and two
# reference groupings timed in the same run (Python: raw text as a pivot table would, and
# NFKC + no spaces). Goal: precision 1.00, recall >= 0.98, under 2 s.
#   bench/count.sh [ROWS] [SEED]     (build first: cmake --build --preset release)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1  # bench/count/*.py import each other; keep the tree clean
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
SEED=${2:-20261125}
RUNS=5
BIN=${KAKEHASHI_BIN:-build/kakehashi}
[[ -x $BIN ]] || { echo "build the release binary first ($BIN not found)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PIN=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then PIN=(taskset -c 0,1); fi

echo "generating $ROWS activity records (seed $SEED) ..."
python3 bench/count/generate.py "$ROWS" "$WORK/records.csv" "$WORK/truth.csv" "$SEED"
python3 -c 'import sys; open(sys.argv[2], "wb").write(open(sys.argv[1], encoding="utf-8").read().encode("cp932"))' \
  "$WORK/records.csv" "$WORK/records-sjis.csv"
echo "input: $(du -h "$WORK/records.csv" | cut -f1), $(($(wc -l <"$WORK/records.csv") - 1)) rows"

# The command exits 1 because the corpus holds damaged rows on purpose; that is expected here.
count() { "${PIN[@]}" "$BIN" project count --input "$1" >"$2" 2>/dev/null || [[ $? -eq 1 ]]; }

median_of_runs() {
  local input=$1 times=()
  count "$input" "$WORK/out.json"  # warm the page cache
  for _ in $(seq $RUNS); do
    local start end
    start=$(date +%s.%N)
    count "$input" "$WORK/out.json"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p"
}

median=$(median_of_runs "$WORK/records.csv")
read -r precision recall projects true_projects suggested bad_ok < <(python3 bench/count/score.py \
  "$WORK/out.json" "$WORK/truth.csv")
sjis=$(median_of_runs "$WORK/records-sjis.csv")
python3 bench/count/score.py "$WORK/out.json" "$WORK/truth.csv" >"$WORK/sjis-score"
/usr/bin/time -o "$WORK/peak" -f '%M %U %S' "${PIN[@]}" "$BIN" project count --input "$WORK/records.csv" \
  >/dev/null 2>&1 || true
read -r peak user system < <(tail -1 "$WORK/peak")

printf 'kakehashi project count: %.3f s (median of %d, 2 cores), CPU %.2f s user + %.2f s system, peak RSS %d MB\n' \
  "$median" "$RUNS" "$user" "$system" "$((peak / 1024))"
printf 'machine load while measuring: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'same file in Shift_JIS: %.3f s (same result: %s)\n' "$sjis" \
  "$([[ $(cat "$WORK/sjis-score") == "$precision $recall $projects $true_projects $suggested $bad_ok" ]] && echo yes || echo NO)"
printf 'pairwise precision %s, recall %s; %s projects counted, %s true\n' "$precision" "$recall" "$projects" \
  "$true_projects"
printf 'missed pairs shown as a suggestion: %s; damaged rows reported by line and left out: %s\n' \
  "$suggested" "$([[ $bad_ok == 1 ]] && echo yes || echo NO)"
while read -r name seconds ref_precision ref_recall ref_projects; do
  printf 'reference %-5s (Python): %.3f s, precision %s, recall %s, %s projects; kakehashi is %.1fx its speed\n' \
    "$name" "$seconds" "$ref_precision" "$ref_recall" "$ref_projects" "$(echo "$seconds / $median" | bc -l)"
done < <("${PIN[@]}" python3 bench/count/reference.py "$WORK/records.csv" "$WORK/truth.csv")

status=0
if (($(echo "$median >= 2" | bc -l))); then echo "GOAL MISSED: not under 2 s" >&2; status=1; fi
if (($(echo "$precision < 1" | bc -l))); then echo "GOAL MISSED: precision below 1.00" >&2; status=1; fi
if (($(echo "$recall < 0.98" | bc -l))); then echo "GOAL MISSED: recall below 0.98" >&2; status=1; fi
if [[ $bad_ok != 1 ]]; then echo "GOAL MISSED: damaged rows not reported exactly" >&2; status=1; fi
exit $status
