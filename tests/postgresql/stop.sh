#!/bin/sh
# Stops the throw-away PostgreSQL server of start.sh and removes its folder.
# Usage: stop.sh STATE_DIR
set -u
state=$1
[ -f "$state/dir" ] || exit 0
dir=$(cat "$state/dir")
bindir=$(cat "$state/bindir")
if [ -d "$dir/data" ]; then
  if [ "$(id -u)" = 0 ]; then
    runuser -u nobody -- "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  else
    "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
fi
rm -rf "$dir"
rm -f "$state/dir" "$state/url" "$state/bindir"
echo "PostgreSQL test server stopped"
