// The effect charts (issue 20): bar charts through the document engine's chart layout
// (docs/chart.h, the same drawing as in report PDFs) and the change-with-interval chart drawn
// here, each with a <desc> and its data table.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "base/text.h"
#include "effects/report.h"

namespace kakehashi::effects {
namespace {

// Adds <desc> after the <title> of an SVG from docs::chart_svg.
std::string with_desc(std::string svg, const std::string& desc) {
  auto at = svg.find("</title>");
  if (at != std::string::npos) svg.insert(at + 8, "<desc>" + text::xml_escape(desc) + "</desc>");
  return svg;
}

docs::DataCell num(std::optional<double> v, int decimals = 2) {
  if (!v) return docs::DataCell{};
  return docs::DataCell{docs::format_number(*v, decimals), *v, true};
}

std::string label_of(const ItemVerdict& v) { return v.label.empty() ? v.column : v.label; }

}  // namespace

std::string file_stem(const std::string& title) {
  std::string out;
  for (char c : title) {
    if (std::string_view("\\/:*?\"<>|").find(c) != std::string_view::npos || static_cast<unsigned char>(c) < 0x20)
      out += '_';
    else
      out += c;
  }
  return out.empty() ? "chart" : out;
}

Figure survey_means_figure(const SurveyReading& r) {
  docs::ChartSpec spec;
  spec.title = r.title + " 事前・事後の平均";
  spec.type = docs::ChartType::kBar;
  spec.unit = "点";
  docs::Series pre{"事前", {}, {}}, post{"事後", {}, {}};
  for (const auto& i : r.items) {
    spec.categories.push_back(label_of(i));
    pre.values.push_back(i.mean_pre.value_or(0));
    post.values.push_back(i.mean_post.value_or(0));
  }
  spec.series = {pre, post};
  Figure f;
  f.id = "means";
  f.title = spec.title;
  f.summary = fmt::format("{} 項目それぞれについて、事前と事後の平均点を並べた棒グラフです。数値は下の表にあります。", r.items.size());
  f.svg = with_desc(docs::chart_svg(spec, 720, std::max(300.0, 180.0 + 22.0 * double(r.items.size()))), f.summary);
  f.data.header = {"設問", "回答数（組）", "事前の平均（点）", "事後の平均（点）", "差（点）"};
  for (const auto& i : r.items)
    f.data.rows.push_back({docs::DataCell{label_of(i)}, num(double(i.n), 0), num(i.mean_pre), num(i.mean_post),
                           num(i.mean_diff)});
  return f;
}

Figure survey_change_figure(const SurveyReading& r) {
  Figure f;
  f.id = "change";
  f.title = r.title + " 事前から事後への変化（95% 信頼区間）";
  f.summary = fmt::format(
      "{} 項目それぞれの平均の変化（事後 − 事前）を点で、95% 信頼区間を横線で示します。0 の縦線より右は向上、"
      "濃い色の項目は補正後に有意です。数値は下の表にあります。",
      r.items.size());
  f.data.header = {"設問", "回答数（組）", "平均の差（点）", "95% 信頼区間の下限（点）", "95% 信頼区間の上限（点）",
                   "p 値", "補正後 p 値（Holm）", "判定"};
  double low = 0, high = 0;
  for (const auto& i : r.items) {
    f.data.rows.push_back({docs::DataCell{label_of(i)}, num(double(i.n), 0), num(i.mean_diff), num(i.ci_low),
                           num(i.ci_high), num(i.p, 4), num(i.p_holm, 4),
                           docs::DataCell{i.p_holm && *i.p_holm < 0.05 ? (i.mean_diff.value_or(0) > 0 ? "有意に向上" : "有意に低下")
                                                                       : "有意差なし"}});
    for (auto v : {i.ci_low, i.ci_high, i.mean_diff})
      if (v) {
        low = std::min(low, *v);
        high = std::max(high, *v);
      }
  }
  if (high - low < 1e-9) high = low + 1;
  docs::Ticks ticks = docs::nice_ticks(low, high, 6);
  const double width = 720, left = 230, right = 150, top = 56, row = 34;
  const double height = top + row * double(std::max<std::size_t>(r.items.size(), 1)) + 56;
  const double plot_w = width - left - right;
  auto x_of = [&](double v) { return left + (v - ticks.low) / (ticks.high - ticks.low) * plot_w; };
  std::string body;
  body += fmt::format(R"(<text x="{:.1f}" y="26" font-size="16" font-weight="bold" fill="#1a1a1a">{}</text>)", 16.0,
                      text::xml_escape(f.title));
  body += fmt::format(R"(<text x="{:.1f}" y="44" font-size="12" fill="#4d4d4d">（単位：点）</text>)", 16.0);
  double bottom = height - 40;
  for (double t = ticks.low; t <= ticks.high + ticks.step / 2; t += ticks.step) {
    double x = x_of(t);
    body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#e6e6e6"/>)", x, top - 6, bottom);
    body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle" fill="#4d4d4d">{}</text>)", x,
                        bottom + 18, text::xml_escape(docs::format_number(std::abs(t) < 1e-12 ? 0 : t, ticks.decimals)));
  }
  double zero = x_of(0);
  body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#1a1a1a" stroke-dasharray="4 3"/>)",
                      zero, top - 6, bottom);
  body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle" fill="#4d4d4d">変化（事後 − 事前）</text>)",
                      left + plot_w / 2, bottom + 34);
  for (std::size_t k = 0; k < r.items.size(); ++k) {
    const ItemVerdict& i = r.items[k];
    double y = top + row * (double(k) + 0.5);
    std::string label = label_of(i);
    if (label.size() > 45) {  // about 15 full-width characters
      std::size_t cut = 42;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
      label = label.substr(0, cut) + "…";
    }
    body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="13" text-anchor="end" fill="#1a1a1a">{}</text>)",
                        left - 12, y + 4, text::xml_escape(label));
    bool significant = i.p_holm && *i.p_holm < 0.05;
    const char* colour = significant ? "#0017c1" : "#767676";
    if (i.ci_low && i.ci_high) {
      body += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2"/>)",
                          x_of(*i.ci_low), y, x_of(*i.ci_high), y, colour);
      for (double v : {*i.ci_low, *i.ci_high})
        body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="{3}" stroke-width="2"/>)",
                            x_of(v), y - 6, y + 6, colour);
    }
    if (i.mean_diff) {
      body += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="{}"/>)", x_of(*i.mean_diff), y,
                          significant ? colour : "#ffffff");
      if (!significant)
        body += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="none" stroke="{}" stroke-width="2"/>)",
                            x_of(*i.mean_diff), y, colour);
      std::string value = fmt::format("{:+.2f}", *i.mean_diff);
      if (i.ci_low && i.ci_high) value += fmt::format(" [{:.2f}, {:.2f}]", *i.ci_low, *i.ci_high);
      body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" fill="#1a1a1a">{}</text>)", width - right + 10, y + 4,
                          text::xml_escape(value));
    }
  }
  f.svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {0:.0f} {1:.0f}" width="100%" style="max-width:{0:.0f}px" )"
      R"(font-family="IPAexGothic, 'Noto Sans CJK JP', sans-serif" aria-label="{2}"><title>{2}</title><desc>{3}</desc>)"
      R"(<rect width="100%" height="100%" fill="#ffffff"/>{4}</svg>)",
      width, height, text::xml_escape(f.title), text::xml_escape(f.summary), body);
  return f;
}

Figure kpi_progress_figure(const std::string& operator_name, const std::vector<Kpi>& kpis) {
  Figure f;
  f.id = "progress";
  f.title = operator_name + " KPI の達成率";
  f.summary = fmt::format(
      "{} 個の KPI それぞれの、基準値から目標値までの達成率（%）を横棒で示します。縦の線が目標（100%）です。数値は下の表にあります。",
      kpis.size());
  f.data.header = {"指標", "種類", "単位", "基準値", "目標値", "現在値", "達成率（%）"};
  double high = 100;
  std::vector<std::optional<double>> values;
  for (const Kpi& k : kpis) {
    auto p = k.progress();
    std::optional<double> shown = p ? std::optional<double>(std::round(*p * 10) / 10) : std::nullopt;
    values.push_back(shown);
    if (shown) high = std::max(high, *shown);
    auto plain = [](double v) { return num(v, std::floor(v) == v ? 0 : 2); };
    f.data.rows.push_back({docs::DataCell{k.name}, docs::DataCell{std::string(kpi_kind_label(k.kind))},
                           docs::DataCell{k.unit}, plain(k.baseline), plain(k.target), plain(k.current()), num(shown, 1)});
  }
  docs::Ticks ticks = docs::nice_ticks(0, high, 5);
  const double width = 720, left = 250, right = 80, top = 56, row = 32;
  const double height = top + row * double(std::max<std::size_t>(kpis.size(), 1)) + 50;
  const double plot_w = width - left - right;
  auto x_of = [&](double v) { return left + std::clamp(v, ticks.low, ticks.high) / (ticks.high - ticks.low) * plot_w; };
  std::string body;
  body += fmt::format(R"(<text x="16" y="26" font-size="16" font-weight="bold" fill="#1a1a1a">{}</text>)",
                      text::xml_escape(f.title));
  body += R"(<text x="16" y="44" font-size="12" fill="#4d4d4d">（単位：%）</text>)";
  double bottom = height - 34;
  for (double t = ticks.low; t <= ticks.high + ticks.step / 2; t += ticks.step) {
    double x = x_of(t);
    body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#e6e6e6"/>)", x, top - 6, bottom);
    body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle" fill="#4d4d4d">{}</text>)", x,
                        bottom + 18, docs::format_number(t, ticks.decimals));
  }
  for (std::size_t k = 0; k < kpis.size(); ++k) {
    double y = top + row * double(k);
    std::string label = kpis[k].name;
    if (label.size() > 54) {
      std::size_t cut = 51;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
      label = label.substr(0, cut) + "…";
    }
    body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="13" text-anchor="end" fill="#1a1a1a">{}</text>)",
                        left - 10, y + row / 2 + 4, text::xml_escape(label));
    if (values[k]) {
      double w = std::max(0.0, x_of(*values[k]) - left);
      body += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", left, y + 6, w,
                          row - 12, *values[k] >= 100 ? "#0017c1" : "#4979f5");
      body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" fill="#1a1a1a">{:.1f}%</text>)", left + w + 6,
                          y + row / 2 + 4, *values[k]);
    } else {
      body += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" fill="#4d4d4d">—</text>)", left + 6, y + row / 2 + 4);
    }
  }
  double target = x_of(100);
  body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="5 3"/>)",
                      target, top - 6, bottom);
  body += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#1a1a1a"/>)", left, top - 6, bottom);
  f.svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {0:.0f} {1:.0f}" width="100%" style="max-width:{0:.0f}px" )"
      R"(font-family="IPAexGothic, 'Noto Sans CJK JP', sans-serif" aria-label="{2}"><title>{2}</title><desc>{3}</desc>)"
      R"(<rect width="100%" height="100%" fill="#ffffff"/>{4}</svg>)",
      width, height, text::xml_escape(f.title), text::xml_escape(f.summary), body);
  return f;
}

std::vector<Figure> rollup_figures(const Rollup& r) {
  std::vector<Figure> out;
  auto shared = shared_indicators();
  for (std::size_t s = 0; s < shared.size(); ++s) {
    docs::ChartSpec spec;
    spec.title = fmt::format("ブロック別の{}", shared[s].name);
    spec.type = docs::ChartType::kBar;
    spec.unit = std::string(shared[s].unit);
    docs::Series actual{"実績", {}, {}}, target{"目標", {}, {}};
    Figure f;
    f.id = fmt::format("rollup-{}", shared[s].key);
    f.data.header = {"ブロック", fmt::format("実績（{}）", shared[s].unit), fmt::format("目標（{}）", shared[s].unit)};
    for (const RollupLine& line : r.blocks) {
      spec.categories.push_back(line.block_name);
      actual.values.push_back(line.current[s]);
      target.values.push_back(line.target[s]);
      f.data.rows.push_back({docs::DataCell{line.block_name}, num(line.current[s], 0), num(line.target[s], 0)});
    }
    f.data.rows.push_back({docs::DataCell{r.whole_programme ? "全国" : "合計"}, num(r.total.current[s], 0),
                           num(r.total.target[s], 0)});
    spec.series = {actual, target};
    f.title = spec.title;
    f.summary = fmt::format("{}の実績と目標をブロックごとに並べた棒グラフです。合計は実績 {}{}、目標 {}{}。数値は下の表にあります。",
                            shared[s].name, docs::format_number(r.total.current[s], 0), shared[s].unit,
                            docs::format_number(r.total.target[s], 0), shared[s].unit);
    f.svg = with_desc(docs::chart_svg(spec, 720, 340), f.summary);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kakehashi::effects
