// The engine's result read for officials (issue 20): Holm-adjusted p-values over the survey's
// items and one plain-Japanese sentence per item — 「有意に向上した」 only when it did.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "effects/service.h"
#include "survey/report.h"

namespace kakehashi::effects {
namespace {

std::optional<double> number(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return double(v->as_int64());
  if (v->is_uint64()) return double(v->as_uint64());
  return std::nullopt;
}

std::string text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string effect_label(double dz) {
  double a = std::abs(dz);
  if (a < 0.2) return "ごく小さい";
  if (a < 0.5) return "小さい";
  if (a < 0.8) return "中程度";
  return "大きい";
}

}  // namespace

SurveyReading read_result(const boost::json::value& result) {
  SurveyReading out;
  if (!result.is_object()) return out;
  const auto& o = result.as_object();
  out.title = text(o, "title");
  out.pre_label = text(o, "pre");
  out.post_label = text(o, "post");
  out.respondents = std::size_t(number(o, "respondents").value_or(0));
  if (const auto* s = o.if_contains("skipped"); s && s->is_array()) out.skipped = s->as_array().size();
  if (const auto* items = o.if_contains("items"); items && items->is_array()) {
    for (const auto& iv : items->as_array()) {
      if (!iv.is_object()) continue;
      const auto& i = iv.as_object();
      ItemVerdict v;
      v.column = text(i, "column");
      v.label = text(i, "label");
      v.n = std::size_t(number(i, "n").value_or(0));
      v.mean_pre = number(i, "mean_pre");
      v.mean_post = number(i, "mean_post");
      v.mean_diff = number(i, "mean_diff");
      v.dz = number(i, "dz");
      if (const auto* t = i.if_contains("t_test"); t && t->is_object()) {
        v.t = number(t->as_object(), "t");
        v.df = number(t->as_object(), "df");
        v.p = number(t->as_object(), "p");
        if (const auto* ci = t->as_object().if_contains("ci95"); ci && ci->is_array() && ci->as_array().size() == 2) {
          const auto& a = ci->as_array();
          v.ci_low = a[0].is_number() ? std::optional<double>(a[0].to_number<double>()) : std::nullopt;
          v.ci_high = a[1].is_number() ? std::optional<double>(a[1].to_number<double>()) : std::nullopt;
        }
      }
      if (const auto* w = i.if_contains("wilcoxon"); w && w->is_object()) {
        v.v = number(w->as_object(), "V");
        v.p_wilcoxon = number(w->as_object(), "p");
      }
      if (v.dz) v.effect_label = effect_label(*v.dz);
      std::string note = text(i, "note");
      if (!v.p) v.sentence = note.empty() ? "回答の組が少ないため検定できませんでした。" : note;
      out.items.push_back(std::move(v));
    }
  }
  // Holm: sort the m p-values ascending; adjusted p(k) = max over j <= k of min(1, (m - j) p(j)).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < out.items.size(); ++i)
    if (out.items[i].p) order.push_back(i);
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) { return *out.items[a].p < *out.items[b].p; });
  double running = 0;
  const std::size_t m = order.size();
  for (std::size_t k = 0; k < m; ++k) {
    ItemVerdict& v = out.items[order[k]];
    running = std::max(running, std::min(1.0, double(m - k) * *v.p));
    v.p_holm = running;
  }
  for (ItemVerdict& v : out.items) {
    if (!v.p_holm || !v.mean_diff) continue;
    std::string p = survey::format_p(*v.p_holm);
    double d = *v.mean_diff;
    if (*v.p_holm < 0.05 && d > 0)
      v.sentence = fmt::format("事後の平均が事前より {:.2f} 点高く、有意に向上した（補正後 p = {}）。", d, p);
    else if (*v.p_holm < 0.05 && d < 0)
      v.sentence = fmt::format("事後の平均が事前より {:.2f} 点低く、有意に低下した（補正後 p = {}）。", -d, p);
    else
      v.sentence = fmt::format("事前と事後の差（{:+.2f} 点）は統計的に有意ではなく、向上したとはいえない（補正後 p = {}）。", d, p);
  }
  if (m > 1)
    out.care = fmt::format(
        "{} 項目を同時に検定しているため、t 検定の p 値を Holm 法で補正し、補正後の p 値が 0.05 未満のときだけ「有意」と判定しています。"
        "補正前の p 値と Wilcoxon の符号順位検定の結果は表に示しています。",
        m);
  else
    out.care = "検定は 1 項目のみで、多重比較の補正は不要です。有意水準は 5% です。";
  return out;
}

}  // namespace kakehashi::effects
