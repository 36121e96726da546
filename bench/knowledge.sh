#!/usr/bin/env bash
# Benchmark (issue 19): Japanese search on 10,000 published cases — the FTS5 trigram index for
# queries of 3+ characters, the gram side index for 1–2 characters, with facets and snippets —
# against a plain LIKE '%q%' scan of the same table, in the same run and process, pinned to 2
# cores. Prints p50/p99 per query and over all queries, and fails if any query's indexed result
# count differs from the scan's. Goal: search p99 under 50 ms.
#   bench/knowledge.sh [CASES] [RUNS]     (build first: cmake --build --preset release)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-10000}
RUNS=${2:-50}
BIN=${KAKEHASHI_BIN:-build/kakehashi}
[[ -x $BIN ]] || { echo "build the release binary first ($BIN not found)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PIN=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then PIN=(taskset -c 0,1); fi
"$BIN" --db "$WORK/k.db" migrate >/dev/null
"${PIN[@]}" "$BIN" --db "$WORK/k.db" knowledge bench --cases "$CASES" --runs "$RUNS"
echo "database: $(du -h "$WORK/k.db" | cut -f1)"
