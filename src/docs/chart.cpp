#include "docs/chart.h"

#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <numbers>

#include "docs/xml_text.h"

namespace kakehashi::docs {
namespace {

namespace json = boost::json;

// Okabe-Ito palette (colour-blind safe), ordered so neighbours contrast; yellow last because it
// is weak on white.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                    "#56B4E9", "#CC79A7", "#000000", "#F0E442"};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
constexpr const char* kInk = "#222222";
constexpr const char* kGrid = "#D9D9D9";
constexpr const char* kAxis = "#555555";
constexpr double kFontSize = 11;  // user units; charts are laid out at about 480 x 300

enum class Anchor { kStart, kMiddle, kEnd };

// What the layout draws on. Coordinates are user units, y down; text is vertically centred.
class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual void rect(double x, double y, double w, double h, const char* fill) = 0;
  virtual void line(double x1, double y1, double x2, double y2, const char* stroke,
                    double width) = 0;
  virtual void polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                        double width) = 0;
  virtual void circle(double cx, double cy, double r, const char* fill) = 0;
  virtual void wedge(double cx, double cy, double r, double a0, double a1, const char* fill) = 0;
  virtual void text(double x, double y, std::string_view s, double size, Anchor anchor,
                    const char* colour, double rotate_degrees = 0) = 0;
};

// Font-independent width estimate shared by both backends (see header).
double text_width(std::string_view s, double size) { return estimated_width(s, size, 0.55 * size); }

void rgb(const char* hex, double& r, double& g, double& b) {
  unsigned v = static_cast<unsigned>(std::strtoul(hex + 1, nullptr, 16));
  r = ((v >> 16) & 0xFF) / 255.0;
  g = ((v >> 8) & 0xFF) / 255.0;
  b = (v & 0xFF) / 255.0;
}

class SvgCanvas final : public Canvas {
 public:
  std::string out;
  void rect(double x, double y, double w, double h, const char* fill) override {
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)",
                       x, y, w, h, fill);
  }
  void line(double x1, double y1, double x2, double y2, const char* stroke, double width) override {
    out += fmt::format(
        R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{}"/>)",
        x1, y1, x2, y2, stroke, width);
  }
  void polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                double width) override {
    out += R"(<polyline fill="none" points=")";
    for (auto& [x, y] : points) out += fmt::format("{:.1f},{:.1f} ", x, y);
    out += fmt::format(R"(" stroke="{}" stroke-width="{}"/>)", stroke, width);
  }
  void circle(double cx, double cy, double r, const char* fill) override {
    out +=
        fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="{:.1f}" fill="{}"/>)", cx, cy, r, fill);
  }
  void wedge(double cx, double cy, double r, double a0, double a1, const char* fill) override {
    double x0 = cx + r * std::cos(a0), y0 = cy + r * std::sin(a0);
    double x1 = cx + r * std::cos(a1), y1 = cy + r * std::sin(a1);
    int large = (a1 - a0) > std::numbers::pi ? 1 : 0;
    if (a1 - a0 >= 2 * std::numbers::pi - 1e-9) {
      circle(cx, cy, r, fill);
      return;
    }
    out += fmt::format(
        R"(<path d="M{:.1f},{:.1f} L{:.1f},{:.1f} A{:.1f},{:.1f} 0 {} 1 {:.1f},{:.1f} Z" fill="{}" stroke="#FFFFFF" stroke-width="1"/>)",
        cx, cy, x0, y0, r, r, large, x1, y1, fill);
  }
  void text(double x, double y, std::string_view s, double size, Anchor anchor, const char* colour,
            double rotate) override {
    const char* a = anchor == Anchor::kStart    ? "start"
                    : anchor == Anchor::kMiddle ? "middle"
                                                : "end";
    std::string transform =
        rotate != 0 ? fmt::format(R"~( transform="rotate({:.0f} {:.1f} {:.1f})")~", rotate, x, y)
                    : "";
    out += fmt::format(
        R"(<text x="{:.1f}" y="{:.1f}" font-size="{}" text-anchor="{}" dominant-baseline="central" fill="{}"{}>{}</text>)",
        x, y, size, a, colour, transform, xml_escape(s));
  }
};

class CairoCanvas final : public Canvas {
 public:
  explicit CairoCanvas(cairo_t* cr) : cr_(cr) {}
  ~CairoCanvas() override {
    if (context_) g_object_unref(context_);
    if (font_) pango_font_description_free(font_);
  }
  CairoCanvas(const CairoCanvas&) = delete;
  CairoCanvas& operator=(const CairoCanvas&) = delete;
  void rect(double x, double y, double w, double h, const char* fill) override {
    set(fill);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }
  void line(double x1, double y1, double x2, double y2, const char* stroke, double width) override {
    set(stroke);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }
  void polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                double width) override {
    if (points.empty()) return;
    set(stroke);
    cairo_set_line_width(cr_, width);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_move_to(cr_, points[0].first, points[0].second);
    for (size_t i = 1; i < points.size(); ++i)
      cairo_line_to(cr_, points[i].first, points[i].second);
    cairo_stroke(cr_);
  }
  void circle(double cx, double cy, double r, const char* fill) override {
    set(fill);
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, cx, cy, r, 0, 2 * std::numbers::pi);
    cairo_fill(cr_);
  }
  void wedge(double cx, double cy, double r, double a0, double a1, const char* fill) override {
    set(fill);
    cairo_move_to(cr_, cx, cy);
    cairo_arc(cr_, cx, cy, r, a0, a1);
    cairo_close_path(cr_);
    cairo_fill_preserve(cr_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_set_line_width(cr_, 1);
    cairo_stroke(cr_);
  }
  void text(double x, double y, std::string_view s, double size, Anchor anchor, const char* colour,
            double rotate) override {
    // One Pango context per chart: creating one per label dominated chart drawing.
    if (!context_) {
      context_ = pango_cairo_create_context(cr_);
      pango_cairo_context_set_resolution(context_, 72);
      font_ = pango_font_description_from_string("IPAexGothic");
    }
    PangoLayout* layout = pango_layout_new(context_);
    pango_font_description_set_absolute_size(font_, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, font_);
    pango_layout_set_text(layout, s.data(), static_cast<int>(s.size()));
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    double width = w / double(PANGO_SCALE), height = h / double(PANGO_SCALE);
    double dx = anchor == Anchor::kStart ? 0 : anchor == Anchor::kMiddle ? -width / 2 : -width;
    cairo_save(cr_);
    cairo_translate(cr_, x, y);
    if (rotate != 0) cairo_rotate(cr_, rotate * std::numbers::pi / 180);
    cairo_move_to(cr_, dx, -height / 2);
    set(colour);
    pango_cairo_show_layout(cr_, layout);
    cairo_restore(cr_);
    g_object_unref(layout);
  }

 private:
  void set(const char* hex) {
    double r, g, b;
    rgb(hex, r, g, b);
    cairo_set_source_rgb(cr_, r, g, b);
  }
  cairo_t* cr_;
  PangoContext* context_ = nullptr;
  PangoFontDescription* font_ = nullptr;
};

const char* colour(size_t i) { return kPalette[i % kPaletteSize]; }

struct Histogram {
  std::vector<double> edges;  // bins + 1 edges
  std::vector<double> counts;
  int decimals = 0;
};

Histogram histogram_of(const ChartSpec& spec) {
  Histogram h;
  std::vector<double> values;
  for (auto& s : spec.series) values.insert(values.end(), s.values.begin(), s.values.end());
  if (values.empty()) return h;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  int bins =
      spec.bins > 0 ? spec.bins : static_cast<int>(std::ceil(std::log2(double(values.size())))) + 1;
  Ticks t = nice_ticks(*lo, *hi == *lo ? *lo + 1 : *hi, bins, all_integers(values));
  h.decimals = t.decimals;
  for (double e = t.low; e <= t.high + t.step * 1e-9; e += t.step) h.edges.push_back(e);
  if (h.edges.size() < 2) h.edges = {t.low, t.low + t.step};
  h.counts.assign(h.edges.size() - 1, 0);
  for (double v : values) {
    size_t i = static_cast<size_t>((v - t.low) / t.step);
    if (i >= h.counts.size()) i = h.counts.size() - 1;  // the top edge belongs to the last bin
    h.counts[i] += 1;
  }
  return h;
}

std::vector<double> scatter_x(const ChartSpec& spec, const Series& s) {
  if (!s.x.empty()) return s.x;
  std::vector<double> x;
  for (auto& c : spec.categories) x.push_back(std::strtod(c.c_str(), nullptr));
  return x;
}

std::string unit_label(const ChartSpec& spec) {
  return spec.unit.empty() ? "" : "（単位：" + spec.unit + "）";
}

// Lays the chart out on `c` in a width x height box at the origin.
void layout_chart(Canvas& c, const ChartSpec& spec, double width, double height) {
  const double fs = kFontSize;
  c.rect(0, 0, width, height, "#FFFFFF");
  double top = 8;
  // Legend: one row of swatches (wrapping) for multi-series charts and for pies.
  std::vector<std::string> legend;
  if (spec.type == ChartType::kPie) {
    legend = spec.categories;
  } else if (spec.series.size() > 1) {
    for (auto& s : spec.series) legend.push_back(s.name);
  }
  if (!legend.empty()) {
    double x = 8, y = top + fs / 2;
    for (size_t i = 0; i < legend.size(); ++i) {
      double w = 14 + text_width(legend[i], fs) + 14;
      if (x + w > width - 8 && x > 8) {
        x = 8;
        y += fs + 6;
      }
      c.rect(x, y - 5, 10, 10, colour(i));
      c.text(x + 14, y, legend[i], fs, Anchor::kStart, kInk);
      x += w;
    }
    top = y + fs;
  }
  std::string unit = unit_label(spec);
  if (spec.type == ChartType::kPie) {
    if (spec.series.empty()) return;
    auto& values = spec.series[0].values;
    double total = 0;
    for (double v : values) total += std::max(0.0, v);
    double cx = width / 2, cy = (top + height) / 2, r = std::min(width, height - top) / 2 - 22;
    if (total <= 0 || r <= 4) return;
    double a = -std::numbers::pi / 2;  // start at twelve o'clock, clockwise
    for (size_t i = 0; i < values.size(); ++i) {
      double da = std::max(0.0, values[i]) / total * 2 * std::numbers::pi;
      c.wedge(cx, cy, r, a, a + da, colour(i));
      if (da > 0.25) {
        double mid = a + da / 2;
        c.text(cx + (r + 12) * std::cos(mid), cy + (r + 12) * std::sin(mid),
               format_number(values[i] / total * 100, 1) + "%", fs, Anchor::kMiddle, kInk);
      }
      a += da;
    }
    return;
  }
  // Value range of the y axis.
  double lo = 0, hi = 0;
  bool zero_based = spec.type != ChartType::kScatter && spec.type != ChartType::kLine;
  bool first = true;
  auto widen = [&](double v) {
    if (first) lo = hi = v, first = false;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  Histogram hist;
  if (spec.type == ChartType::kHistogram) {
    hist = histogram_of(spec);
    for (double v : hist.counts) widen(v);
  } else if (spec.type == ChartType::kStackedBar) {
    for (size_t i = 0; i < spec.categories.size(); ++i) {
      double pos = 0, neg = 0;
      for (auto& s : spec.series)
        if (i < s.values.size()) (s.values[i] >= 0 ? pos : neg) += s.values[i];
      widen(pos);
      widen(neg);
    }
  } else {
    for (auto& s : spec.series)
      for (double v : s.values) widen(v);
  }
  if (zero_based || spec.type == ChartType::kLine) {
    if (spec.type != ChartType::kLine || lo > 0) lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (hi == lo) hi = lo + 1;
  // Counts (every plotted value whole, histogram frequencies always) get whole-number ticks.
  std::vector<double> plotted;
  if (spec.type == ChartType::kHistogram) {
    plotted = hist.counts;
  } else {
    for (auto& s : spec.series) plotted.insert(plotted.end(), s.values.begin(), s.values.end());
  }
  Ticks yt = nice_ticks(lo, hi, 5, all_integers(plotted));
  // Plot area: room on the left for tick labels, below for category labels.
  double label_w = 0;
  for (double v = yt.low; v <= yt.high + yt.step / 2; v += yt.step)
    label_w = std::max(label_w, text_width(format_number(v, yt.decimals), fs));
  if (!unit.empty()) top += fs + 4;
  double left = 10 + label_w + 6, right = width - 12, bottom = height - 2 * fs - 6;
  if (!unit.empty()) c.text(8, top - fs / 2 - 2, unit, fs, Anchor::kStart, kInk);
  top += 4;
  auto y_of = [&](double v) { return bottom - (v - yt.low) / (yt.high - yt.low) * (bottom - top); };
  for (double v = yt.low; v <= yt.high + yt.step / 2; v += yt.step) {
    double y = y_of(v);
    c.line(left, y, right, y, std::abs(v) < yt.step / 1e6 ? kAxis : kGrid,
           std::abs(v) < yt.step / 1e6 ? 1 : 0.6);
    c.text(left - 6, y, format_number(v, yt.decimals), fs, Anchor::kEnd, kInk);
  }
  c.line(left, top, left, bottom, kAxis, 1);
  // X axis.
  if (spec.type == ChartType::kScatter) {
    double xlo = 0, xhi = 0;
    bool f = true;
    for (auto& s : spec.series)
      for (double x : scatter_x(spec, s)) {
        if (f) xlo = xhi = x, f = false;
        xlo = std::min(xlo, x), xhi = std::max(xhi, x);
      }
    if (xhi == xlo) xhi = xlo + 1;
    std::vector<double> all_x;
    for (auto& s : spec.series) {
      auto xs = scatter_x(spec, s);
      all_x.insert(all_x.end(), xs.begin(), xs.end());
    }
    Ticks xt = nice_ticks(xlo, xhi, 6, all_integers(all_x));
    auto x_of = [&](double v) { return left + (v - xt.low) / (xt.high - xt.low) * (right - left); };
    for (double v = xt.low; v <= xt.high + xt.step / 2; v += xt.step) {
      c.line(x_of(v), bottom, x_of(v), bottom + 4, kAxis, 1);
      c.text(x_of(v), bottom + 6 + fs / 2, format_number(v, xt.decimals), fs, Anchor::kMiddle,
             kInk);
    }
    for (size_t si = 0; si < spec.series.size(); ++si) {
      auto xs = scatter_x(spec, spec.series[si]);
      for (size_t i = 0; i < xs.size() && i < spec.series[si].values.size(); ++i)
        c.circle(x_of(xs[i]), y_of(spec.series[si].values[i]), 3.2, colour(si));
    }
    return;
  }
  std::vector<std::string> labels = spec.categories;
  std::vector<std::vector<double>> columns;  // per series
  if (spec.type == ChartType::kHistogram) {
    labels.clear();
    for (size_t i = 0; i + 1 < hist.edges.size(); ++i)
      labels.push_back(format_number(hist.edges[i], hist.decimals));
    columns = {hist.counts};
  } else {
    for (auto& s : spec.series) columns.push_back(s.values);
  }
  size_t n = labels.size();
  if (n == 0) return;
  double slot = (right - left) / double(n);
  // Category labels: thin out when they would collide.
  // Category labels: a smaller size first (down to kMinLabelSize), then every k-th label.
  constexpr double kMinLabelSize = 8;
  double widest = 0;
  for (auto& l : labels) widest = std::max(widest, text_width(l, fs));
  double label_fs = std::clamp(fs * (slot - 4) / std::max(1.0, widest), kMinLabelSize, fs);
  double label_widest = widest * label_fs / fs;
  size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil((label_widest + 4) / slot)));
  for (size_t i = 0; i < n; i += every) {
    double x = spec.type == ChartType::kHistogram ? left + i * slot : left + (i + 0.5) * slot;
    c.text(x, bottom + 6 + fs / 2, labels[i], label_fs, Anchor::kMiddle, kInk);
  }
  if (spec.type == ChartType::kHistogram) {
    c.text(right, bottom + 6 + fs / 2, format_number(hist.edges.back(), hist.decimals), fs,
           Anchor::kMiddle, kInk);
  }
  if (spec.type == ChartType::kLine) {
    for (size_t si = 0; si < columns.size(); ++si) {
      std::vector<std::pair<double, double>> points;
      for (size_t i = 0; i < n && i < columns[si].size(); ++i)
        points.emplace_back(left + (i + 0.5) * slot, y_of(columns[si][i]));
      c.polyline(points, colour(si), 2);
      for (auto& [x, y] : points) c.circle(x, y, 2.8, colour(si));
    }
  } else if (spec.type == ChartType::kStackedBar) {
    double bw = slot * 0.6;
    for (size_t i = 0; i < n; ++i) {
      double pos = 0, neg = 0;
      for (size_t si = 0; si < columns.size(); ++si) {
        if (i >= columns[si].size()) continue;
        double v = columns[si][i];
        double& base = v >= 0 ? pos : neg;
        double y0 = y_of(base), y1 = y_of(base + v);
        c.rect(left + i * slot + (slot - bw) / 2, std::min(y0, y1), bw, std::abs(y1 - y0),
               colour(si));
        base += v;
      }
    }
  } else {  // bar, histogram
    bool hist_bars = spec.type == ChartType::kHistogram;
    double group = hist_bars ? slot : slot * 0.75;
    double bw = group / double(std::max<size_t>(1, columns.size()));
    for (size_t si = 0; si < columns.size(); ++si) {
      for (size_t i = 0; i < n && i < columns[si].size(); ++i) {
        double y0 = y_of(0 < yt.low ? yt.low : 0), y1 = y_of(columns[si][i]);
        double x = left + i * slot + (slot - group) / 2 + si * bw;
        c.rect(x + (hist_bars ? 0.5 : 0), std::min(y0, y1), bw - (hist_bars ? 1 : 0.8),
               std::abs(y1 - y0), colour(si));
      }
    }
  }
  c.line(left, y_of(std::clamp(0.0, yt.low, yt.high)), right,
         y_of(std::clamp(0.0, yt.low, yt.high)), kAxis, 1);
}

Result<std::vector<double>> numbers_of(const json::value& v, std::string_view key) {
  if (!v.is_array())
    return fail(Error::invalid(fmt::format("グラフ指定の \"{}\" は数値の配列にしてください", key)));
  std::vector<double> out;
  for (auto& e : v.as_array()) {
    if (e.is_int64())
      out.push_back(double(e.as_int64()));
    else if (e.is_uint64())
      out.push_back(double(e.as_uint64()));
    else if (e.is_double())
      out.push_back(e.as_double());
    else
      return fail(Error::invalid(fmt::format("グラフ指定の \"{}\" に数値でない値があります", key)));
    if (out.size() > kMaxPoints)
      return fail(
          Error::invalid(fmt::format("グラフ指定の \"{}\" は {} 個までです", key, kMaxPoints)));
  }
  return out;
}

}  // namespace

const char* chart_type_name(ChartType type) {
  switch (type) {
    case ChartType::kBar:
      return "bar";
    case ChartType::kStackedBar:
      return "stacked_bar";
    case ChartType::kLine:
      return "line";
    case ChartType::kPie:
      return "pie";
    case ChartType::kScatter:
      return "scatter";
    case ChartType::kHistogram:
      return "histogram";
  }
  return "bar";
}

Result<ChartSpec> parse_chart_spec(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !root.is_object())
    return fail(Error::invalid("グラフ指定が JSON オブジェクトとして読めません"));
  auto& o = root.as_object();
  ChartSpec spec;
  auto string_of = [&](const char* key) -> Result<std::string> {
    auto* v = o.if_contains(key);
    if (!v) return std::string();
    if (!v->is_string())
      return fail(Error::invalid(fmt::format("グラフ指定の \"{}\" は文字列にしてください", key)));
    return std::string(v->as_string());
  };
  auto title = string_of("title");
  if (!title) return fail(title.error());
  spec.title = *title;
  auto unit = string_of("unit");
  if (!unit) return fail(unit.error());
  spec.unit = *unit;
  auto type = string_of("type");
  if (!type) return fail(type.error());
  static const std::pair<const char*, ChartType> kTypes[] = {
      {"bar", ChartType::kBar},         {"stacked_bar", ChartType::kStackedBar},
      {"line", ChartType::kLine},       {"pie", ChartType::kPie},
      {"scatter", ChartType::kScatter}, {"histogram", ChartType::kHistogram}};
  bool known = type->empty();
  for (auto& [name, t] : kTypes)
    if (*type == name) spec.type = t, known = true;
  if (!known)
    return fail(Error::invalid(fmt::format(
        "グラフの種類 \"{}\" は使えません（bar, stacked_bar, line, pie, scatter, histogram）",
        *type)));
  if (auto* v = o.if_contains("categories")) {
    if (!v->is_array())
      return fail(Error::invalid("グラフ指定の \"categories\" は配列にしてください"));
    for (auto& e : v->as_array()) {
      if (e.is_string())
        spec.categories.emplace_back(e.as_string());
      else if (e.is_number())
        spec.categories.push_back(json::serialize(e));
      else
        return fail(Error::invalid("グラフ指定の \"categories\" には文字列か数値を並べてください"));
    }
    if (spec.categories.size() > kMaxPoints)
      return fail(
          Error::invalid(fmt::format("グラフ指定の \"categories\" は {} 個までです", kMaxPoints)));
  }
  if (auto* v = o.if_contains("bins")) {
    if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 200)
      return fail(Error::invalid("グラフ指定の \"bins\" は 1〜200 の整数にしてください"));
    spec.bins = static_cast<int>(v->as_int64());
  }
  auto* series = o.if_contains("series");
  if (!series || !series->is_array() || series->as_array().empty())
    return fail(Error::invalid("グラフ指定に \"series\"（系列の配列）がありません"));
  if (series->as_array().size() > kMaxSeries)
    return fail(Error::invalid(fmt::format("グラフの系列は {} 個までです", kMaxSeries)));
  for (auto& e : series->as_array()) {
    if (!e.is_object())
      return fail(Error::invalid("グラフ指定の \"series\" の要素はオブジェクトにしてください"));
    Series s;
    if (auto* n = e.as_object().if_contains("name"); n && n->is_string()) s.name = n->as_string();
    auto* values = e.as_object().if_contains("values");
    if (!values) return fail(Error::invalid("グラフの系列に \"values\" がありません"));
    auto nums = numbers_of(*values, "values");
    if (!nums) return fail(nums.error());
    s.values = std::move(*nums);
    if (auto* x = e.as_object().if_contains("x")) {
      auto xs = numbers_of(*x, "x");
      if (!xs) return fail(xs.error());
      s.x = std::move(*xs);
    }
    bool needs_categories =
        spec.type != ChartType::kHistogram && !(spec.type == ChartType::kScatter && !s.x.empty());
    if (needs_categories && s.values.size() != spec.categories.size())
      return fail(Error::invalid(
          fmt::format("系列「{}」の値の数（{}）が categories の数（{}）と一致しません", s.name,
                      s.values.size(), spec.categories.size())));
    if (spec.type == ChartType::kScatter && !s.x.empty() && s.x.size() != s.values.size())
      return fail(
          Error::invalid(fmt::format("系列「{}」の x と values の数が一致しません", s.name)));
    spec.series.push_back(std::move(s));
  }
  if (spec.type == ChartType::kPie)
    for (double v : spec.series[0].values)
      if (v < 0) return fail(Error::invalid("円グラフに負の値は使えません"));
  return spec;
}

DataTable chart_data(const ChartSpec& spec) {
  DataTable t;
  std::string unit = spec.unit.empty() ? "" : "（" + spec.unit + "）";
  auto num = [](double v) {
    return DataCell{format_number(v, std::floor(v) == v ? 0 : 2), v, true};
  };
  if (spec.type == ChartType::kHistogram) {
    Histogram h = histogram_of(spec);
    t.header = {"階級（以上）", "階級（未満）", "度数" + unit};
    for (size_t i = 0; i < h.counts.size(); ++i)
      t.rows.push_back({num(h.edges[i]), num(h.edges[i + 1]), num(h.counts[i])});
    return t;
  }
  if (spec.type == ChartType::kScatter) {
    t.header = {"系列", "x", "y" + unit};
    for (auto& s : spec.series) {
      auto xs = scatter_x(spec, s);
      for (size_t i = 0; i < xs.size() && i < s.values.size(); ++i)
        t.rows.push_back({DataCell{s.name}, num(xs[i]), num(s.values[i])});
    }
    return t;
  }
  t.header.push_back("項目");
  for (auto& s : spec.series) t.header.push_back((s.name.empty() ? "値" : s.name) + unit);
  for (size_t i = 0; i < spec.categories.size(); ++i) {
    std::vector<DataCell> row{DataCell{spec.categories[i]}};
    for (auto& s : spec.series) row.push_back(i < s.values.size() ? num(s.values[i]) : DataCell{});
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string chart_svg(const ChartSpec& spec, double width, double height) {
  SvgCanvas c;
  layout_chart(c, spec, width, height);
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {:.0f} {:.0f}" width="100%" style="max-width:{:.0f}px" font-family="IPAexGothic, 'Noto Sans CJK JP', sans-serif" aria-label="{}"><title>{}</title>{}</svg>)",
      width, height, width, xml_escape(spec.title), xml_escape(spec.title), c.out);
}

void draw_chart(cairo_t* cr, const ChartSpec& spec, double x, double y, double width,
                double height) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  CairoCanvas c(cr);
  layout_chart(c, spec, width, height);
  cairo_restore(cr);
}

std::string chart_png(const ChartSpec& spec, double width, double height, double scale) {
  int w = static_cast<int>(std::ceil(width * scale)),
      h = static_cast<int>(std::ceil(height * scale));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  draw_chart(cr, spec, 0, 0, width, height);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(
      surface,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(surface);
  return png;
}

bool all_integers(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](double v) { return std::isfinite(v) && v == std::floor(v); });
}

Ticks nice_ticks(double low, double high, int target, bool integer) {
  Ticks t;
  if (!(high > low)) high = low + 1;
  double raw = (high - low) / std::max(1, target);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  if (integer && mag < 1) mag = 1, nice = 1;  // a count axis steps by one at least
  if (integer && mag == 1 && nice == 2.5) nice = 2;
  t.step = nice * mag;
  t.low = std::floor(low / t.step + 1e-9) * t.step;
  t.high = std::ceil(high / t.step - 1e-9) * t.step;
  if (t.high <= t.low) t.high = t.low + t.step;
  double exponent = std::floor(std::log10(t.step) + 1e-9);
  t.decimals = exponent >= 0 ? 0 : static_cast<int>(-exponent);
  if (nice == 2.5 && exponent <= 0) t.decimals += 1;
  return t;
}

std::string format_number(double value, int decimals) {
  if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) value = 0;  // no "-0"
  std::string s = fmt::format("{:.{}f}", std::abs(value), decimals);
  size_t point = s.find('.');
  size_t int_end = point == std::string::npos ? s.size() : point;
  std::string grouped;
  for (size_t i = 0; i < int_end; ++i) {
    if (i > 0 && (int_end - i) % 3 == 0) grouped += ',';
    grouped += s[i];
  }
  grouped += s.substr(int_end);
  return (value < 0 ? "-" : "") + grouped;
}

}  // namespace kakehashi::docs
