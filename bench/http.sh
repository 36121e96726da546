#!/usr/bin/env bash
# Throughput and tail latency of `kakehashi serve` against nginx serving the same bytes as static
# files, in the same run, on loopback only (wrk, 200 keep-alive connections, bounded in time).
# usage: bench/http.sh [seconds per run, default 10]
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

# Kakehashi with one signed-in user. wrk's 200 connections all come from 127.0.0.1, past the
# default cap of 64 connections per address: the cap is raised for the run.
db="$work/k.db"
echo "bench password 123" | build/kakehashi user add --db "$db" --email bench@example.jp --name ベンチ --role secretariat >/dev/null
build/kakehashi serve --db "$db" --listen "127.0.0.1:$kk_port" --quiet --max-connections-per-address 256 >"$work/kk.log" 2>&1 &
kk_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$kk_port/healthz" >/dev/null && break; sleep 0.1; done
jar="$work/jar"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$kk_port/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$kk_port/login" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=bench@example.jp" --data-urlencode "password=bench password 123"
session=$(awk '$6 == "kakehashi_session" {print $7}' "$jar")
cookie="Cookie: kakehashi_session=$session"

# nginx serving the very bytes Kakehashi sends.
mkdir -p "$work/root/static"
curl -sf -H "$cookie" "http://127.0.0.1:$kk_port/" -o "$work/root/index.html"
curl -sf "http://127.0.0.1:$kk_port/static/app.css" -o "$work/root/static/app.css"
cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { text/html html; text/css css; }
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

printf 'page bytes: dashboard %s, app.css %s; %s s per run, 200 connections, wrk -t2\n' \
  "$(wc -c <"$work/root/index.html")" "$(wc -c <"$work/root/static/app.css")" "$seconds"
printf '%-28s %12s %10s\n' "target" "requests/s" "p99 ms"
read -r kk_dash_rps kk_dash_p99 < <(measure -H "$cookie" "http://127.0.0.1:$kk_port/")
read -r ng_dash_rps ng_dash_p99 < <(measure "http://127.0.0.1:$nginx_port/index.html")
read -r kk_css_rps kk_css_p99 < <(measure "http://127.0.0.1:$kk_port/static/app.css")
read -r ng_css_rps ng_css_p99 < <(measure "http://127.0.0.1:$nginx_port/static/app.css")
printf '%-28s %12s %10s\n' "kakehashi dashboard" "$kk_dash_rps" "$kk_dash_p99" "nginx same bytes" "$ng_dash_rps" "$ng_dash_p99" \
  "kakehashi static asset" "$kk_css_rps" "$kk_css_p99" "nginx same asset" "$ng_css_rps" "$ng_css_p99"
awk -v a="$kk_dash_rps" -v b="$ng_dash_rps" -v c="$kk_dash_p99" -v d="$ng_dash_p99" \
  'BEGIN { printf "dashboard: %.0f%% of nginx requests/s (goal >= 30%%), p99 %.2fx nginx (goal <= 2x)\n", 100*a/b, c/d }'
awk -v a="$kk_css_rps" -v b="$ng_css_rps" -v c="$kk_css_p99" -v d="$ng_css_p99" \
  'BEGIN { printf "static asset: %.0f%% of nginx requests/s, p99 %.2fx nginx\n", 100*a/b, c/d }'
