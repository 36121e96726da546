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

# timed CMD...: prints "wall_ms cpu_ms" (CPU = user + system, children included), so a
# machine busy with other work still gives a fair comparison.
timed() {
  /usr/bin/time -f "%e %U %S" -o "$out/time.txt" "$@" >/dev/null 2>&1
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$out/time.txt"
}
# best_of FORMAT: the fastest of $runs renders of one format: "wall_ms cpu_ms".
best_of() {
  local best_wall=999999999 best_cpu=999999999 wall cpu
  for _ in $(seq "$runs"); do
    read -r wall cpu < <(timed "$bin" doc render "$out/report.md" --out "$out/render" --formats "$1")
    (( wall < best_wall )) && best_wall=$wall
    (( cpu < best_cpu )) && best_cpu=$cpu
  done
  echo "$best_wall $best_cpu"
}
fmt_s() { printf '%d.%02d' $(( $1 / 1000 )) $(( $1 % 1000 / 10 )); }

read -r pdf_ms pdf_cpu < <(best_of pdf)
read -r html_ms html_cpu < <(best_of html)
read -r docx_ms docx_cpu < <(best_of docx)
read -r figures_ms figures_cpu < <(best_of figures)
read -r all_ms all_cpu < <(timed "$bin" doc render "$out/report.md" --out "$out/all")

pages=$(pdfinfo "$out/render/report.pdf" | awk '/^Pages:/ {print $2}')
figure_files=$(find "$out/render/figures" -type f | wc -l)
cmp -s "$out/render/report.pdf" "$out/all/report.pdf" && same=yes || same=no

profile=$(mktemp -d)
read -r lo_ms lo_cpu < <(timed soffice --headless -env:UserInstallation="file://$profile" --convert-to pdf \
  --outdir "$out/libreoffice" "$out/render/report.docx")
rm -rf "$profile"
lo_pages=$(pdfinfo "$out/libreoffice/report.pdf" | awk '/^Pages:/ {print $2}')

echo "document: $(wc -c <"$out/report.md") bytes of Markdown, 60 charts, 40 tables"
echo "machine:  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), best of $runs runs per format"
printf '%-38s %10s %10s\n' "step" "wall s" "CPU s"
printf '%-38s %10s %10s\n' "kakehashi PDF ($pages pages)" "$(fmt_s "$pdf_ms")" "$(fmt_s "$pdf_cpu")"
printf '%-38s %10s %10s\n' "kakehashi HTML" "$(fmt_s "$html_ms")" "$(fmt_s "$html_cpu")"
printf '%-38s %10s %10s\n' "kakehashi DOCX" "$(fmt_s "$docx_ms")" "$(fmt_s "$docx_cpu")"
printf '%-38s %10s %10s\n' "kakehashi figures ($figure_files files)" "$(fmt_s "$figures_ms")" "$(fmt_s "$figures_cpu")"
printf '%-38s %10s %10s\n' "kakehashi all four, one call" "$(fmt_s "$all_ms")" "$(fmt_s "$all_cpu")"
printf '%-38s %10s %10s\n' "LibreOffice DOCX->PDF ($lo_pages pages)" "$(fmt_s "$lo_ms")" "$(fmt_s "$lo_cpu")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}'; }
echo "ratio LibreOffice / kakehashi PDF: $(ratio "$lo_ms" "$pdf_ms")x wall, $(ratio "$lo_cpu" "$pdf_cpu")x CPU"
echo "same PDF bytes from separate runs: $same"
