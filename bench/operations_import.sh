#!/usr/bin/env bash
# Benchmark: the activity-list import of the operations module (issue 15) through HTTP, as an
# operator does it: 100,000 generated activity rows (bench/count/generate.py, the counting
# benchmark's corpus with every spelling variant and some damaged rows) uploaded as CSV, the
# column mapping saved, the proposed grouping shown (parse + counting engine), and the
# confirmation (parse + counting + saving every project and session in one transaction, the
# damaged rows skipped). Then the same file again: nothing is added. Goal: confirmation < 5 s.
#   bench/operations_import.sh [ROWS] [SEED]     (build first: cmake --build --preset release)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
SEED=${2:-20261125}
BIN=${KAKEHASHI_BIN:-build/kakehashi}
[[ -x $BIN ]] || { echo "build the release binary first ($BIN not found)" >&2; exit 1; }
WORK=$(mktemp -d)
cleanup() {
  [[ -n "${kk_pid:-}" ]] && kill "$kk_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "generating $ROWS activity records (seed $SEED) ..."
python3 bench/count/generate.py "$ROWS" "$WORK/records.csv" "$WORK/truth.csv" "$SEED"
echo "input: $(du -h "$WORK/records.csv" | cut -f1), $(($(wc -l <"$WORK/records.csv") - 1)) rows"

db="$WORK/k.db"
echo "bench password 123" | "$BIN" user add --db "$db" --email op@bench.example --name ベンチ --role operator \
  --org 株式会社ベンチ連携 >/dev/null
org=$(sqlite3 "$db" "SELECT id FROM organisations WHERE name = '株式会社ベンチ連携'")
sqlite3 "$db" "INSERT INTO operators (id, call_id, organisation_id, name, contract_amount, contract_from, contract_to,
  created_at, updated_at) VALUES (1, 1, $org, '株式会社ベンチ連携', 20000000, '2026-07-10', '2027-03-31',
  '2026-07-10T00:00:00Z', '2026-07-10T00:00:00Z');
  INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (1, 1, 'kanto', 20000000);"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --quiet >"$WORK/kk.log" 2>&1 &
kk_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
jar="$WORK/jar"
csrf() { grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
token=$(curl -s -c "$jar" -b "$jar" "$base/login" | csrf)
curl -s -c "$jar" -b "$jar" -o /dev/null "$base/login" --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=op@bench.example" --data-urlencode "password=bench password 123"
token=$(curl -s -b "$jar" "$base/operations/operators/1/imports/new" | csrf)

# CPU seconds the server used so far (user + system): on a shared machine the wall times above
# include waiting for a core; the CPU time is what the import itself costs.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$kk_pid/stat"; }

import_once() {
  local label=$1 c0 c1 out location id t_upload t_map t_preview t_confirm
  out=$(curl -s -o /dev/null -b "$jar" -H 'Expect:' -H "X-CSRF-Token: $token" -w '%{http_code} %{time_total} %{redirect_url}' \
    -F "file=@$WORK/records.csv;filename=activities.csv" "$base/operations/operators/1/imports")
  read -r code t_upload location <<<"$out"
  [[ $code == 303 ]] || { echo "upload answered $code" >&2; tail -5 "$WORK/kk.log" >&2; exit 1; }
  id=$(sed -E 's#.*/imports/([0-9]+)/mapping#\1#' <<<"$location")
  t_map=$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' -H "X-CSRF-Token: $token" \
    --data-urlencode map_date=date --data-urlencode map_title=title --data-urlencode map_company=company \
    --data-urlencode map_municipality=partner --data-urlencode map_prefecture=prefecture \
    --data-urlencode map_category=category "$base/operations/imports/$id/mapping")
  t_preview=$(curl -s -o "$WORK/preview.html" -b "$jar" -w '%{time_total}' "$base/operations/imports/$id")
  c0=$(cpu)
  t_confirm=$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' -H "X-CSRF-Token: $token" \
    --data-urlencode skip_errors=1 "$base/operations/imports/$id/confirm")
  c1=$(cpu)
  printf '%-10s wall: upload+stage %5.2f s, mapping %5.2f s, preview (counting) %5.2f s, confirm (counting+save) %5.2f s; confirm CPU %5.2f s\n' \
    "$label" "$t_upload" "$t_map" "$t_preview" "$t_confirm" "$(python3 -c "print($c1 - $c0)")"
  echo "$t_confirm $(python3 -c "print($c1 - $c0)")" >"$WORK/confirm-$label"
}

import_once first
echo "saved: $(sqlite3 "$db" 'SELECT COUNT(*) FROM projects') projects, $(sqlite3 "$db" 'SELECT COUNT(*) FROM project_sessions') sessions"
import_once same-again
echo "after the same file again: $(sqlite3 "$db" 'SELECT COUNT(*) FROM projects') projects, $(sqlite3 "$db" 'SELECT COUNT(*) FROM project_sessions') sessions"
python3 -c "import sys; t, c = map(float, open(sys.argv[1]).read().split()); print(f'import of $ROWS rows with counting (confirmation): {t:.2f} s wall, {c:.2f} s server CPU (goal < 5 s): ' + ('OK' if t < 5 else 'SLOWER THAN THE GOAL'))" "$WORK/confirm-first"
