#!/usr/bin/env bash
# Throughput and tail latency of `kakehashi serve` against nginx serving the same bytes as static
# files, in the same run, on loopback only (wrk, 200 keep-alive connections, bounded in time).
# usage: bench/http.sh [seconds per run, default 10]; KAKEHASHI_BIN=path measures another binary.
# Exits 1 when a page misses the goal of issue 24 (>= 50% of nginx's requests/s, p99 <= 2x).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
scripts/install-deps --bench >/dev/null
bin="${KAKEHASHI_BIN:-build/kakehashi}"
[[ -x "$bin" ]] || make build >/dev/null

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

# Kakehashi with the demo data (users of every role, an open call). wrk's 200 connections all
# come from 127.0.0.1, past the default cap of 64 connections per address: the cap is raised.
db="$work/k.db"
"$bin" demo --db "$db" >/dev/null
logins="$work/demo-logins.txt"
password_of() { awk -v e="$1" '$1 == e {print $2}' "$logins"; }
"$bin" serve --db "$db" --listen "127.0.0.1:$kk_port" --quiet --max-connections-per-address 256 >"$work/kk.log" 2>&1 &
kk_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$kk_port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$kk_port"

# Signs in as $1 with the cookie jar $2; prints the session cookie header.
sign_in() {
  local email="$1" jar="$2" token
  token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null "$base/login" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=$(password_of "$email")"
  echo "Cookie: kakehashi_session=$(awk '$6 == "kakehashi_session" {print $7}' "$jar")"
}
staff_cookie=$(sign_in secretariat@demo.example "$work/staff.jar")
operator_cookie=$(sign_in operator@demo.example "$work/operator.jar")
# The open demo call, and the operator's application form (started once).
call_path=$(curl -sf "$base/calls" | grep -o 'href="/calls/[0-9]*"' | head -1 | sed 's/href="//;s/"$//')
operator_csrf=$(curl -sf -H "$operator_cookie" "$base$call_path" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
form_path=$(curl -s -o /dev/null -w '%{redirect_url}' -H "$operator_cookie" "$base$call_path/apply" \
  --data-urlencode "csrf_token=$operator_csrf" | sed "s|^$base||")
[[ "$form_path" == /my/applications/* ]] || { echo "could not start an application ($form_path)" >&2; exit 1; }

# nginx serving the very bytes Kakehashi sends.
mkdir -p "$work/root/static"
curl -sf -H "$staff_cookie" "$base/" -o "$work/root/dashboard.html"
curl -sf "$base$call_path" -o "$work/root/call.html"
curl -sf -H "$operator_cookie" "$base$form_path" -o "$work/root/form.html"
curl -sf "$base/static/app.css" -o "$work/root/static/app.css"
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

printf 'load average before the runs: %s; %s s per run, 200 connections, wrk -t2\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$seconds"
printf '%-34s %8s %12s %10s %12s %10s %8s %8s\n' "page" "bytes" "kk req/s" "kk p99 ms" "nginx req/s" "nginx p99" "req/s %" "p99 x"
failed=0
# compare <label> <file in root> <kakehashi path> [curl header]
compare() {
  local label="$1" file="$2" path="$3" header="${4:-}" args=()
  [[ -n "$header" ]] && args=(-H "$header")
  local kk_rps kk_p99 ng_rps ng_p99
  read -r kk_rps kk_p99 < <(measure "${args[@]}" "$base$path")
  read -r ng_rps ng_p99 < <(measure "http://127.0.0.1:$nginx_port/$file")
  awk -v l="$label" -v n="$(wc -c <"$work/root/$file")" -v a="$kk_rps" -v b="$kk_p99" -v c="$ng_rps" -v d="$ng_p99" \
    'BEGIN { printf "%-34s %8d %12.0f %10.2f %12.0f %10.2f %7.0f%% %7.2fx\n", l, n, a, b, c, d, 100*a/c, b/d;
             exit !(a >= 0.5*c && b <= 2*d) }' || failed=1
}
compare "dashboard (secretariat)" dashboard.html / "$staff_cookie"
compare "public call page" call.html "$call_path"
compare "application form (operator)" form.html "$form_path" "$operator_cookie"
compare "static asset (app.css)" static/app.css /static/app.css
echo "goal (issue 24): every page >= 50% of nginx's requests/s and p99 <= 2x nginx's$([[ $failed == 0 ]] && echo ': met' || echo ': NOT met')"
