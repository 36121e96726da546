#!/usr/bin/env bash
# The programme year's pages under load (issue 15): the programme dashboard and a block page of
# the full demo year, against nginx serving the very same bytes, in the same run (wrk on loopback,
# 200 keep-alive connections). Goal as in the web speed issue: >= 50% of nginx's requests/s and
# p99 <= 2x nginx's.
# usage: bench/operations.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
scripts/install-deps --bench >/dev/null
[[ -x build/kakehashi ]] || make build >/dev/null

work=$(mktemp -d)
cleanup() {
  [[ -n "${kk_pid:-}" ]] && kill "$kk_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
kk_port=$(free_port)
nginx_port=$(free_port)

# The full demo year, signed in as the demo secretariat (who sees every block).
db="$work/k.db"
build/kakehashi --db "$db" demo >"$work/logins.txt"
password=$(awk '$1 == "secretariat@demo.example" {print $2}' "$work/logins.txt")
build/kakehashi serve --db "$db" --listen "127.0.0.1:$kk_port" --quiet --max-connections-per-address 256 >"$work/kk.log" 2>&1 &
kk_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$kk_port/healthz" >/dev/null && break; sleep 0.1; done
jar="$work/jar"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$kk_port/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$kk_port/login" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=secretariat@demo.example" --data-urlencode "password=$password"
session=$(awk '$6 == "kakehashi_session" {print $7}' "$jar")
cookie="Cookie: kakehashi_session=$session"

pages=(/operations /operations/blocks/kanto)
names=(dashboard block)
mkdir -p "$work/root"
for i in "${!pages[@]}"; do
  curl -sf -H "$cookie" "http://127.0.0.1:$kk_port${pages[$i]}" -o "$work/root/${names[$i]}.html"
done
cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/root;
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.3

# "<requests/s> <p99 ms>" of one wrk run.
measure() {
  local out
  out=$(wrk -t2 -c200 -d"${seconds}s" --latency "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

printf 'demo year: %s operators, %s projects, %s sessions; %s s per run, 200 connections, wrk -t2; load before: %s\n' \
  "$(sqlite3 "$db" 'SELECT COUNT(*) FROM operators')" "$(sqlite3 "$db" 'SELECT COUNT(*) FROM projects')" \
  "$(sqlite3 "$db" 'SELECT COUNT(*) FROM project_sessions')" "$seconds" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %12s %10s\n' "target" "bytes" "requests/s" "p99 ms"
for i in "${!pages[@]}"; do
  read -r kk_rps kk_p99 < <(measure -H "$cookie" "http://127.0.0.1:$kk_port${pages[$i]}")
  read -r ng_rps ng_p99 < <(measure "http://127.0.0.1:$nginx_port/${names[$i]}.html")
  bytes=$(wc -c <"$work/root/${names[$i]}.html")
  printf '%-34s %10s %12s %10s\n' "kakehashi ${pages[$i]}" "$bytes" "$kk_rps" "$kk_p99" "nginx same bytes" "$bytes" "$ng_rps" "$ng_p99"
  awk -v p="${pages[$i]}" -v a="$kk_rps" -v b="$ng_rps" -v c="$kk_p99" -v d="$ng_p99" \
    'BEGIN { printf "%s: %.0f%% of nginx requests/s (goal >= 50%%), p99 %.2fx nginx (goal <= 2x)\n", p, 100*a/b, c/d }'
done
