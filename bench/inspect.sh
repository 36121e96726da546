#!/usr/bin/env bash
# Benchmark of the publication-safety inspector and cleaner (issue 4) against the tools
# officials use today, on the same generated corpus in the same run:
#   kakehashi inspect --format json   vs   exiftool -a -G1 -json (metadata only)
#   kakehashi clean (one call per file) vs  mat2 (one call for all files)
# usage: bench/inspect.sh [FILES_PER_TYPE]   (default 300; needs exiftool and mat2)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KAKEHASHI_BIN:-$ROOT/build/kakehashi}
COUNT=${1:-300}
MAT2_PDF_SAMPLE=${MAT2_PDF_SAMPLE:-20}
for tool in exiftool mat2 python3; do
  command -v "$tool" > /dev/null || { echo "missing $tool (see scripts/deps/bench/inspect.txt)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "build kakehashi first: $BIN" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kk_bench_inspect.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 "$ROOT/bench/inspect/make_corpus.py" "$WORK/corpus" "$COUNT"

seconds() {  # seconds COMMAND...: wall-clock seconds of one run, output discarded
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
ratio() { python3 -c "print(f'{$1 / max($2, 0.001):.1f}')"; }

clean_all() {  # clean_all DIR OUT: kakehashi clean for every file, one process each
  local dir=$1 out=$2 file
  mkdir -p "$out"
  for file in "$dir"/*; do "$BIN" clean "$file" -o "$out/$(basename "$file")" > /dev/null 2>&1 || true; done
}

echo "| type | files | MB | kakehashi inspect s | exiftool s | exiftool / kakehashi | kakehashi clean s | mat2 s | mat2 / kakehashi | errors found by kakehashi |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for type in xlsx docx pptx pdf csv; do
  dir="$WORK/corpus/$type"
  files=$(find "$dir" -type f | wc -l)
  mb=$(du -sm "$dir" | cut -f1)
  inspect=$(seconds "$BIN" inspect --format json "$dir")
  errors=$("$BIN" inspect --format json "$dir" 2> /dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['summary']['error'])" || true)
  exif=$(seconds exiftool -a -G1 -json -r "$dir")
  clean=$(seconds clean_all "$dir" "$WORK/clean/$type")
  if [ "$type" = csv ]; then
    mat2_time="n/a"; mat2_ratio="n/a"  # mat2 has no CSV support (nothing hidden to strip)
  elif [ "$type" = pdf ] && [ "$files" -gt "$MAT2_PDF_SAMPLE" ]; then
    # mat2 re-renders every PDF page through cairo (about 10 s a file here): time a sample
    # and scale it to the whole folder, marked with *.
    mkdir -p "$WORK/mat2_$type"
    find "$dir" -type f | sort | head -n "$MAT2_PDF_SAMPLE" | xargs -I{} cp {} "$WORK/mat2_$type/"
    sample=$(seconds mat2 "$WORK/mat2_$type"/*)
    mat2_time=$(python3 -c "print(f'{$sample * $files / $MAT2_PDF_SAMPLE:.2f}')")
    mat2_ratio="$(ratio "$mat2_time" "$clean")*"
    mat2_time="$mat2_time*"
  else
    cp -r "$dir" "$WORK/mat2_$type"
    mat2_time=$(seconds mat2 "$WORK/mat2_$type"/*)
    mat2_ratio=$(ratio "$mat2_time" "$clean")
  fi
  echo "| $type | $files | $mb | $inspect | $exif | $(ratio "$exif" "$inspect") | $clean | $mat2_time | $mat2_ratio | $errors |"
done
echo
echo "* mat2 timed on $MAT2_PDF_SAMPLE PDFs and scaled to the folder."
echo "corpus: $COUNT files per type ($((COUNT / 3)) CSV), $(du -sm "$WORK/corpus" | cut -f1) MB; $(nproc) cores; $(date -u +%Y-%m-%d)"
