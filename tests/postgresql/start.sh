#!/bin/sh
# Starts a throw-away PostgreSQL server for the tests: initdb into a fresh temporary folder, a
# random port on 127.0.0.1, the unix socket in that folder, trust authentication for the local
# user only. Writes the folder's path to STATE_DIR/dir and the server URL to STATE_DIR/url (read
# by tests/postgresql/with_url.sh). initdb refuses root: as root the server runs as `nobody`.
# Usage: start.sh STATE_DIR
set -eu
state=$1
mkdir -p "$state"
if [ -f "$state/dir" ]; then "$(dirname "$0")/stop.sh" "$state" || true; fi
bindir=$(pg_config --bindir 2>/dev/null || true)
for candidate in "$bindir" /usr/lib/postgresql/15/bin /usr/local/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; break; fi
done
[ -x "$bindir/initdb" ] || { echo "initdb not found (install Debian's postgresql)" >&2; exit 1; }
dir=$(mktemp -d /tmp/kakehashi-pg-XXXXXX)
chmod 755 "$dir"
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  chown nobody "$dir"
  as_user() { runuser -u nobody -- "$@"; }
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# A test server: durability traded for speed (the data is thrown away), room for two servers'
# pools and the parallel tests.
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
echo "$dir" >"$state/dir"
echo "$bindir" >"$state/bindir"
as_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/url"
echo "PostgreSQL test server on 127.0.0.1:$port ($dir)"
