#!/usr/bin/env bash
# Availability while uploads are inspected: /healthz latency (worst of ten, 0.5 s apart) during
# four concurrent uploads of a 95 MiB CSV by one signed-in user, on loopback only.
# usage: bench/availability.sh [kakehashi binary, default build/kakehashi]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/kakehashi}"
[[ -x "$bin" ]] || make build >/dev/null

work=$(mktemp -d)
cleanup() {
  [[ -n "${kk_pid:-}" ]] && kill "$kk_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Survey rows without personal data: the inspector reads every cell.
python3 - "$work/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("番号,氏名,所属,備考\r\n")
    size, row = 0, 0
    while size < 95 * 1024 * 1024:
        row += 1
        line = f"{row},参加者{row % 997},学校{row % 89},授業の感想と改善点の記録 {row * 7 % 100000}\r\n"
        f.write(line)
        size += len(line.encode())
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
echo "bench password 123" | "$bin" user add --db "$work/k.db" --email bench@example.jp --name ベンチ --role secretariat >/dev/null
"$bin" serve --db "$work/k.db" --listen "127.0.0.1:$port" --quiet >"$work/kk.log" 2>&1 &
kk_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
jar="$work/jar"
csrf() { grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | csrf)
curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/login" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=bench@example.jp" --data-urlencode "password=bench password 123"
token=$(curl -s -b "$jar" "http://127.0.0.1:$port/tools/inspect" | csrf)

uploads=()
for i in 1 2 3 4; do
  curl -s -o /dev/null -w "upload $i: %{http_code} after %{time_total} s\n" -b "$jar" -H 'Expect:' \
    -H "X-CSRF-Token: $token" -F "file=@$work/big.csv;filename=big$i.csv" \
    "http://127.0.0.1:$port/tools/inspect" >"$work/upload$i" &
  uploads+=($!)
done
sleep 2  # loopback: the bodies are sent by now and the inspections under way
worst=0
for _ in $(seq 10); do
  took=$(curl -s -o /dev/null -w "%{time_total}" --max-time 60 "http://127.0.0.1:$port/healthz" || echo 60)
  worst=$(python3 -c "print(max($worst, $took))")
  sleep 0.5
done
wait "${uploads[@]}" || true
echo "/healthz during four 95 MiB uploads: worst of 10 took ${worst} s"
cat "$work"/upload*
