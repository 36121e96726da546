// Charts: one spec, drawn to SVG (HTML, web UI) and to cairo (PDF, PNG) through one layout.
//
// The layout code draws on an abstract Canvas, so the SVG and the cairo output place every bar,
// tick and label at the same coordinates. Text widths come from a font-independent estimate
// (full-width characters 1 em, others 0.55 em) so the layout is the same for both backends.
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::docs {

enum class ChartType { kBar, kStackedBar, kLine, kPie, kScatter, kHistogram };

struct Series {
  std::string name;
  std::vector<double> values;
  std::vector<double> x;  // scatter only: x values (else the categories are read as numbers)
};

struct ChartSpec {
  std::string title;
  ChartType type = ChartType::kBar;
  std::string unit;                     // printed as （単位：unit） and in data headers
  std::vector<std::string> categories;  // x-axis labels (bar, line), slice names (pie)
  std::vector<Series> series;
  int bins = 0;  // histogram: number of bins; 0 = Sturges' rule
};

// Parses the JSON of a ```chart block. Errors are Japanese and name the offending key; the
// caller adds the line number. Limits: at most kMaxSeries series and kMaxPoints values each.
inline constexpr size_t kMaxSeries = 12;
inline constexpr size_t kMaxPoints = 10000;
[[nodiscard]] Result<ChartSpec> parse_chart_spec(std::string_view json);

// The chart's values as a table: what screen readers get, what the figure CSV/XLSX holds.
// Numbers stay numbers (is_number) so XLSX cells are numeric; header names carry the unit.
struct DataCell {
  std::string text;
  double number = 0;
  bool is_number = false;
};
struct DataTable {
  std::vector<std::string> header;
  std::vector<std::vector<DataCell>> rows;
};
DataTable chart_data(const ChartSpec& spec);

// The chart as a standalone SVG element (no XML declaration), `width` x `height` user units,
// with <title> and a role="img" label. Self-contained: no external fonts or references.
std::string chart_svg(const ChartSpec& spec, double width, double height);

// Draws the chart into the rectangle (x, y, width, height) of `cr` with Pango text in
// IPAexGothic. Leaves the cairo state as it found it.
void draw_chart(cairo_t* cr, const ChartSpec& spec, double x, double y, double width,
                double height);

// The chart as PNG bytes at `scale` pixels per user unit (DOCX embeds these).
std::string chart_png(const ChartSpec& spec, double width, double height, double scale);

// Axis ticks: "nice" round values (1, 2, 2.5, 5 x 10^k) covering [low, high] with about
// `target` intervals. With `integer` (an axis of counts: every value on it is a whole number)
// the step is a whole number too: never 0.5 or 2.5 of a school. Exposed for tests.
struct Ticks {
  double low = 0, high = 1, step = 1;
  int decimals = 0;
};
Ticks nice_ticks(double low, double high, int target, bool integer = false);

// Whether every value is a whole number (the axis counts something).
bool all_integers(const std::vector<double>& values);

// 1,234,567 / 12.5 / -3: grouping with commas, `decimals` digits after the point.
std::string format_number(double value, int decimals);

const char* chart_type_name(ChartType type);

}  // namespace kakehashi::docs
