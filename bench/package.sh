#!/usr/bin/env bash
# The report package (issue 25): `kakehashi package build` on the full demo year (time, size,
# pages), against LibreOffice converting the same report's DOCX to PDF in the same run.
# usage: bench/package.sh   (KAKEHASHI_BIN overrides the binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${KAKEHASHI_BIN:-$root/build/kakehashi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" --db "$work/k.db" demo >/dev/null

timed() {
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>&1
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$work/time.txt"
}
read -r build_s build_cpu < <(timed "$bin" --db "$work/k.db" package build --out "$work/package")
pdf=$(find "$work/package/public" -maxdepth 1 -name '*.pdf' | head -1)
docx=$(find "$work/package/non-public" -maxdepth 1 -name '*.docx' ! -name '様式*' | head -1)
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
public_bytes=$(du -sb "$work/package/public" | cut -f1)
all_bytes=$(du -sb "$work/package" | cut -f1)
files=$(find "$work/package" -type f | wc -l)

mkdir -p "$work/lo"
read -r lo_s lo_cpu < <(timed soffice --headless -env:UserInstallation="file://$work/profile" --convert-to pdf --outdir "$work/lo" "$docx")
lo_pages=$(pdfinfo "$work/lo/"*.pdf | awk '/^Pages:/ {print $2}')

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %8s %8s\n' "step" "wall s" "CPU s"
printf '%-58s %8s %8s\n' "package build (demo year, $files files, gate, 様式1 via LibreOffice)" "$build_s" "$build_cpu"
printf '%-58s %8s %8s\n' "LibreOffice report DOCX -> PDF ($lo_pages pages)" "$lo_s" "$lo_cpu"
echo "public PDF: $pages pages; public set $public_bytes bytes; whole package $all_bytes bytes"
