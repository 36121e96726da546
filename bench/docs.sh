#!/usr/bin/env bash
# Document engine benchmark: a 300-page Japanese report with 60 charts and 40 tables rendered
# to PDF, HTML, DOCX and figure data by `kakehashi doc render`, against LibreOffice converting
# the same DOCX to PDF in the same run. Prints the times and the ratio.
#
# Usage: bench/docs.sh [RUNS]   (KAKEHASHI_BIN overrides the binary; output in bench/out/docs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${KAKEHASHI_BIN:-$root/build/kakehashi}
runs=${1:-3}
out=$root/bench/out/docs
rm -rf "$out"
mkdir -p "$out"

python3 "$root/bench/docs/make_report.py" "$out/report.md"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# best_of FORMAT: the fastest of $runs renders of one format, in ms.
best_of() {
  local best=999999999 start end
  for _ in $(seq "$runs"); do
    start=$(now_ms)
    "$bin" doc render "$out/report.md" --out "$out/render" --formats "$1" >/dev/null
    end=$(now_ms)
    (( end - start < best )) && best=$(( end - start ))
  done
  echo "$best"
}
fmt_s() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }

pdf_ms=$(best_of pdf)
html_ms=$(best_of html)
docx_ms=$(best_of docx)
figures_ms=$(best_of figures)
start=$(now_ms)
"$bin" doc render "$out/report.md" --out "$out/all" >/dev/null
all_ms=$(( $(now_ms) - start ))

pages=$(pdfinfo "$out/render/report.pdf" | awk '/^Pages:/ {print $2}')
figure_files=$(find "$out/render/figures" -type f | wc -l)
cmp -s "$out/render/report.pdf" "$out/all/report.pdf" && same=yes || same=no

profile=$(mktemp -d)
start=$(now_ms)
soffice --headless -env:UserInstallation="file://$profile" --convert-to pdf --outdir "$out/libreoffice" \
  "$out/render/report.docx" >/dev/null 2>&1
lo_ms=$(( $(now_ms) - start ))
rm -rf "$profile"
lo_pages=$(pdfinfo "$out/libreoffice/report.pdf" | awk '/^Pages:/ {print $2}')

echo "document: $(wc -c <"$out/report.md") bytes of Markdown, 60 charts, 40 tables"
echo "machine:  $(nproc) cores, best of $runs runs per format"
printf '%-34s %10s\n' "step" "seconds"
printf '%-34s %10s\n' "kakehashi PDF ($pages pages)" "$(fmt_s "$pdf_ms")"
printf '%-34s %10s\n' "kakehashi HTML" "$(fmt_s "$html_ms")"
printf '%-34s %10s\n' "kakehashi DOCX" "$(fmt_s "$docx_ms")"
printf '%-34s %10s\n' "kakehashi figures ($figure_files files)" "$(fmt_s "$figures_ms")"
printf '%-34s %10s\n' "kakehashi all four, one call" "$(fmt_s "$all_ms")"
printf '%-34s %10s\n' "LibreOffice DOCX->PDF ($lo_pages pages)" "$(fmt_s "$lo_ms")"
echo "ratio LibreOffice / kakehashi PDF: $(awk -v a="$lo_ms" -v b="$pdf_ms" 'BEGIN {printf "%.1f", a / b}')x"
echo "same PDF bytes from separate runs: $same"
