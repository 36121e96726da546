#!/usr/bin/env bash
# Issue 22: the signed-in dashboard, the public call page and a write-heavy page (public event
# registrations, each a write transaction with its audit entry) on SQLite (one server), on
# PostgreSQL with one server, and with two servers behind nginx (proxy, two upstreams), in the
# same run, with nginx serving the very bytes as the reference. A throw-away PostgreSQL is
# started for the run (tests/postgresql/start.sh) and stopped at the end. Loopback only.
# Usage: bench/cluster.sh [seconds per run, default 5] [connections, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-50}"
bin="${KAKEHASHI_BIN:-build/kakehashi}"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  tests/postgresql/stop.sh "$work/pg" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

chmod 755 "$work"
tests/postgresql/start.sh "$work/pg" >/dev/null
server_url=$(cat "$work/pg/url")
psql -X -q -d "$server_url" -c "CREATE DATABASE kk_bench"
pg_url="${server_url%/*}/kk_bench"

"$bin" demo --db "$work/sqlite/k.db" >/dev/null
"$bin" demo --db "$work/pg/keys/k.db" --db-url "$pg_url" >/dev/null

start() {  # start PORT ARGS… — a server on PORT, waited for
  local port=$1; shift
  "$bin" "$@" serve --listen "127.0.0.1:$port" --quiet --max-connections-per-address 512 --public-form-limit 0 >"$work/kk-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "server on $port did not start" >&2; exit 1
}
sqlite_port=$(free_port); pg1_port=$(free_port); pg2_port=$(free_port); lb_port=$(free_port); static_port=$(free_port)
start "$sqlite_port" --db "$work/sqlite/k.db"
start "$pg1_port" --db "$work/pg/keys/k.db" --db-url "$pg_url"
start "$pg2_port" --db "$work/pg/keys/k.db" --db-url "$pg_url"

password_of() { awk -v e="$1" '$1 == e {print $2}' "$2"; }
sign_in() {  # sign_in BASE EMAIL LOGINS — prints the Cookie header
  local base=$1 jar token
  jar=$(mktemp -p "$work")
  token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null "$base/login" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$2" --data-urlencode "password=$(password_of "$2" "$3")"
  echo "Cookie: kakehashi_session=$(awk '$6 == "kakehashi_session" {print $7}' "$jar")"
}

mkdir -p "$work/root"; chmod 755 "$work/root"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000;
  types { text/html html; }
  upstream kakehashi { server 127.0.0.1:$pg1_port; server 127.0.0.1:$pg2_port; keepalive 64; }
  server { listen 127.0.0.1:$static_port; root $work/root; }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://kakehashi;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.3

measure() {
  local out rps p99
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%10.0f %10.2f %8s' "$rps" "$p99" "${non2xx:-0}"
}
printf 'load average before the runs: %s; %s s per run, %s connections, wrk -t2\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$seconds" "$connections"
printf '%-26s %-26s %10s %10s %8s\n' "page" "setup" "req/s" "p99 ms" "non-2xx"
for page in dashboard call; do
  for setup in sqlite pg1 pg2-nginx; do
    case $setup in
      sqlite) base="http://127.0.0.1:$sqlite_port"; logins="$work/sqlite/demo-logins.txt" ;;
      pg1) base="http://127.0.0.1:$pg1_port"; logins="$work/pg/keys/demo-logins.txt" ;;
      pg2-nginx) base="http://127.0.0.1:$lb_port"; logins="$work/pg/keys/demo-logins.txt" ;;
    esac
    args=()
    if [[ $page == dashboard ]]; then
      path=/; args=(-H "$(sign_in "$base" secretariat@demo.example "$logins")")
    else
      path=$(curl -sf "$base/calls" | grep -o 'href="/calls/[0-9]*"' | head -1 | sed 's/href="//;s/"$//')
    fi
    curl -sf "${args[@]}" "$base$path" -o "$work/root/$page.html"
    printf '%-26s %-26s %s\n' "$page" "$setup" "$(measure "${args[@]}" "$base$path")"
  done
  printf '%-26s %-26s %s\n' "$page" "nginx static (same bytes)" "$(measure "http://127.0.0.1:$static_port/$page.html")"
done

# The write-heavy page: POST /e/{slug} (a registration with a fresh e-mail address each time), on
# an event with room for all, created through the API on each database.
event_path() {  # event_path BASE DB_ARGS… — the path of a new published event's public page
  local base=$1 token; shift
  token=$("$bin" "$@" token create --email secretariat@demo.example)
  local starts closes
  starts=$(TZ=Asia/Tokyo date -d '+40 days' +%Y-%m-%dT10:00)
  closes=$(TZ=Asia/Tokyo date -d '+30 days' +%Y-%m-%dT10:00)
  curl -s -X POST "$base/api/v1/events" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"kind\":\"final\",\"title\":\"ベンチマーク報告会\",\"starts_at\":\"$starts\",\"ends_at\":\"${starts%T*}T17:00\",\"format\":\"in_person\",\"prefecture\":\"13\",\"venue\":\"会場\",\"address\":\"千代田区\",\"capacity\":100000,\"registration_closes_at\":\"$closes\",\"published\":true}" |
    python3 -c 'import json, sys, urllib.parse; print(urllib.parse.urlparse(json.load(sys.stdin)["public_url"]).path)'
}
cat >"$work/register.lua" <<'LUA'
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args) csrf = args[1]; cookie = args[2]; run = args[3]; n = 0 end
function request()
  n = n + 1
  local body = "csrf_token=" .. csrf .. "&name=%E5%8F%82%E5%8A%A0&organisation=bench&kind=school" ..
    "&school_type=%E4%B8%AD%E5%AD%A6%E6%A0%A1&prefecture=13&attendance=in_person&consent=1" ..
    "&email=b" .. run .. "-" .. tid .. "-" .. n .. "%40example.jp"
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}, body)
end
LUA
sqlite_event=$(event_path "http://127.0.0.1:$sqlite_port" --db "$work/sqlite/k.db")
pg_event=$(event_path "http://127.0.0.1:$pg1_port" --db "$work/pg/keys/k.db" --db-url "$pg_url")
run=0
for setup in sqlite pg1 pg2-nginx; do
  case $setup in
    sqlite) base="http://127.0.0.1:$sqlite_port"; path=$sqlite_event ;;
    pg1) base="http://127.0.0.1:$pg1_port"; path=$pg_event ;;
    pg2-nginx) base="http://127.0.0.1:$lb_port"; path=$pg_event ;;
  esac
  jar=$(mktemp -p "$work")
  csrf=$(curl -s -c "$jar" "$base$path" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  cookie=$(awk '{sub(/^#HttpOnly_/, "")} NF >= 7 && $1 !~ /^#/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  run=$((run + 1))
  printf '%-26s %-26s %s\n' "registration (POST)" "$setup" "$(measure -s "$work/register.lua" "$base$path" -- "$csrf" "$cookie" "$run")"
done
