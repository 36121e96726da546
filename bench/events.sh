#!/usr/bin/env bash
# Public registrations under load (issue 18): registrations per second at 200 concurrent clients
# (wrk on loopback, each request a new person, the rate limit off) against the dashboard's
# throughput of the signed-in secretariat in the same run, on the demo programme year. Every
# registration is a write transaction (BEGIN IMMEDIATE) with its audit entry and a queued mail.
# usage: bench/events.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
scripts/install-deps --bench >/dev/null
[[ -x build/kakehashi ]] || make build >/dev/null

work=$(mktemp -d)
cleanup() {
  [[ -n "${kk_pid:-}" ]] && kill "$kk_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
base="http://127.0.0.1:$port"
db="$work/k.db"
build/kakehashi --db "$db" demo >"$work/logins.txt"
password=$(awk '$1 == "secretariat@demo.example" {print $2}' "$work/logins.txt")
token=$(build/kakehashi token create --db "$db" --email secretariat@demo.example)
build/kakehashi serve --db "$db" --listen "127.0.0.1:$port" --quiet --public-form-limit 0 \
  --max-connections-per-address 512 >"$work/kk.log" 2>&1 &
kk_pid=$!
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# An event with room for everyone (a full one would only make the wait list longer).
starts=$(date -u -d '+40 days' +%Y-%m-%dT13:00)
ends=$(date -u -d '+40 days' +%Y-%m-%dT17:00)
closes=$(date -u -d '+30 days' +%Y-%m-%dT17:00)
slug=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base/api/v1/events" -d "{
  \"kind\":\"final\",\"title\":\"負荷試験\",\"starts_at\":\"$starts\",\"ends_at\":\"$ends\",\"format\":\"in_person\",
  \"prefecture\":\"13\",\"venue\":\"試験会場\",\"capacity\":100000,\"registration_closes_at\":\"$closes\",\"published\":true}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["public_url"].rsplit("/",1)[1])')

# The visitor's CSRF pair (double submit), then the secretariat's session for the dashboard.
jar="$work/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/e/$slug" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
visitor=$(awk '$6 == "kakehashi_csrf" {print $7}' "$jar")
sjar="$work/sjar"
login=$(curl -s -c "$sjar" -b "$sjar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$sjar" -b "$sjar" -o /dev/null "$base/login" --data-urlencode "csrf_token=$login" \
  --data-urlencode "email=secretariat@demo.example" --data-urlencode "password=$password"
session=$(awk '$6 == "kakehashi_session" {print $7}' "$sjar")

cat >"$work/register.lua" <<LUA
local counter = 0
local thread_id = 0
local threads = {}
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local body = "csrf_token=$csrf&name=%E8%B2%A0%E8%8D%B7+%E8%A9%A6%E9%A8%93&organisation=%E8%A9%A6%E9%A8%93%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE" ..
    "&kind=company&prefecture=13&attendance=in_person&consent=1&email=bench" .. tid .. "-" .. counter .. "%40example.jp"
  return wrk.format("POST", "/e/$slug", {["Content-Type"] = "application/x-www-form-urlencoded",
                                         ["Cookie"] = "kakehashi_csrf=$visitor"}, body)
end
LUA

# "<requests/s> <p99 ms> <non-2xx/3xx>" of one wrk run.
measure() {
  local out rps p99 errors
  out=$(wrk -t2 -c200 -d"${seconds}s" --latency "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx/ {print $5}' <<<"$out")
  echo "$rps $p99 ${errors:-0}"
}

printf 'demo year; %s s per run, 200 connections, wrk -t2; load before: %s\n' "$seconds" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %12s %10s %10s\n' "target" "requests/s" "p99 ms" "errors"
read -r dash_rps dash_p99 dash_err < <(measure -H "Cookie: kakehashi_session=$session" "$base/")
printf '%-40s %12s %10s %10s\n' "GET / (dashboard, secretariat)" "$dash_rps" "$dash_p99" "$dash_err"
read -r reg_rps reg_p99 reg_err < <(measure -s "$work/register.lua" "$base/e/$slug")
printf '%-40s %12s %10s %10s\n' "POST /e/{slug} (new registration)" "$reg_rps" "$reg_p99" "$reg_err"
made=$(sqlite3 "$db" "SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = '$slug'")
printf 'registrations stored: %s (every one a 303 to its personal page); registrations/s : dashboard requests/s = %s\n' \
  "$made" "$(python3 -c "print(f'{$reg_rps / $dash_rps:.2f}')")"
