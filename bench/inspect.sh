#!/usr/bin/env bash
# Benchmark of the publication-safety inspector and cleaner (issue 4) against the tools
# officials use today, on the same generated corpus in the same run:
#   kakehashi inspect --format json   vs   exiftool -a -G1 -json (metadata only)
#   kakehashi clean (one call per file) vs  mat2 (one call for all files)
# usage: bench/inspect.sh [FILES_PER_TYPE]   (default 300; needs exiftool; mat2 for the cleaning
#   columns, which INSPECT_ONLY=1 or a missing mat2 leave out)
# Issue 23 item 8: the last column is the ratio the issue asks >= 10 for, per type.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KAKEHASHI_BIN:-$ROOT/build/kakehashi}
COUNT=${1:-300}
MAT2_PDF_SAMPLE=${MAT2_PDF_SAMPLE:-20}
for tool in exiftool python3; do
  command -v "$tool" > /dev/null || { echo "missing $tool (see scripts/deps/bench/inspect.txt)" >&2; exit 2; }
done
INSPECT_ONLY=${INSPECT_ONLY:-0}
command -v mat2 > /dev/null || INSPECT_ONLY=1
[ -x "$BIN" ] || { echo "build kakehashi first: $BIN" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kk_bench_inspect.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 "$ROOT/bench/inspect/make_corpus.py" "$WORK/corpus" "$COUNT"

HERE="$ROOT/bench/inspect"
timed() { python3 "$HERE/timed.py" "$@"; }  # prints "WALL CPU"
ratio() { python3 -c "print(f'{$1 / max($2, 0.001):.1f}')"; }

echo "Times in seconds as wall / CPU (user + system of all processes); ratios on CPU time."
echo
if [ "$INSPECT_ONLY" = 1 ]; then
  echo "| type | files | MB | kakehashi inspect | exiftool -a -G1 -json | exiftool / kakehashi | error findings (kakehashi) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
else
  echo "| type | files | MB | kakehashi inspect | exiftool -a -G1 -json | exiftool / kakehashi | kakehashi clean (1 process a file) | mat2 (1 process) | mat2 / kakehashi | error findings (kakehashi) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
fi
for type in xlsx docx pptx pdf csv odt ods odp; do
  dir="$WORK/corpus/$type"
  files=$(find "$dir" -type f | wc -l)
  mb=$(du -sm "$dir" | cut -f1)
  read -r inspect_wall inspect_cpu <<< "$(timed "$BIN" inspect --format json "$dir")"
  errors=$("$BIN" inspect --format json "$dir" 2> /dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['summary']['error'])" || true)
  read -r exif_wall exif_cpu <<< "$(timed exiftool -a -G1 -json -r "$dir")"
  if [ "$INSPECT_ONLY" = 1 ]; then
    echo "| $type | $files | $mb | $inspect_wall / $inspect_cpu | $exif_wall / $exif_cpu | $(ratio "$exif_cpu" "$inspect_cpu") | $errors |"
    continue
  fi
  read -r clean_wall clean_cpu <<< "$(timed "$HERE/clean_all.sh" "$BIN" "$dir" "$WORK/clean/$type")"
  if [ "$type" = csv ]; then
    mat2_cell="n/a"; mat2_ratio="n/a"  # mat2 has no CSV support (nothing hidden to strip)
  else
    mkdir -p "$WORK/mat2_$type"
    sample=$files
    # mat2 re-renders every PDF page through cairo (seconds a file): time a sample, scale it.
    [ "$type" = pdf ] && [ "$files" -gt "$MAT2_PDF_SAMPLE" ] && sample=$MAT2_PDF_SAMPLE
    find "$dir" -type f | sort | head -n "$sample" | xargs -I{} cp {} "$WORK/mat2_$type/"
    read -r mat2_wall mat2_cpu <<< "$(timed mat2 "$WORK/mat2_$type"/*)"
    scale=$(python3 -c "print($files / $sample)")
    mat2_wall=$(python3 -c "print(f'{$mat2_wall * $scale:.2f}')")
    mat2_cpu=$(python3 -c "print(f'{$mat2_cpu * $scale:.2f}')")
    mark=""; [ "$sample" != "$files" ] && mark="*"
    mat2_cell="$mat2_wall / $mat2_cpu$mark"
    mat2_ratio="$(ratio "$mat2_cpu" "$clean_cpu")$mark"
  fi
  echo "| $type | $files | $mb | $inspect_wall / $inspect_cpu | $exif_wall / $exif_cpu | $(ratio "$exif_cpu" "$inspect_cpu") | $clean_wall / $clean_cpu | $mat2_cell | $mat2_ratio | $errors |"
done
echo
[ "$INSPECT_ONLY" = 1 ] || echo "* mat2 timed on $MAT2_PDF_SAMPLE PDFs and scaled to the folder."
echo "corpus: $COUNT files per type ($((COUNT / 3)) CSV), $(du -sm "$WORK/corpus" | cut -f1) MB; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
