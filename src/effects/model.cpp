#include "effects/model.h"

#include <boost/json.hpp>
#include <charconv>
#include <fmt/format.h>

namespace kakehashi::effects {
namespace {

constexpr SharedIndicator kShared[] = {
    {"schools", "参加学校数", "校", KpiKind::kEducation},
    {"pupils", "参加児童生徒数", "人", KpiKind::kEducation},
    {"teachers", "参加教員数", "人", KpiKind::kEducation},
    {"companies", "参加企業数", "社", KpiKind::kIndustry},
};

int number_of(std::string_view text) {
  int value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return -1;
  return value;
}

}  // namespace

std::string_view to_string(KpiKind kind) {
  switch (kind) {
    case KpiKind::kIndustry: return "industry";
    case KpiKind::kEducation: return "education";
    case KpiKind::kActivity: return "activity";
  }
  return "activity";
}

std::optional<KpiKind> kpi_kind_from(std::string_view text) {
  if (text == "industry") return KpiKind::kIndustry;
  if (text == "education") return KpiKind::kEducation;
  if (text == "activity") return KpiKind::kActivity;
  return std::nullopt;
}

std::string_view kpi_kind_label(KpiKind kind) {
  switch (kind) {
    case KpiKind::kIndustry: return "産業への効果";
    case KpiKind::kEducation: return "教育への効果";
    case KpiKind::kActivity: return "活動量";
  }
  return "活動量";
}

std::span<const SharedIndicator> shared_indicators() { return kShared; }

const SharedIndicator* find_shared_indicator(std::string_view key) {
  for (const SharedIndicator& s : kShared)
    if (s.key == key) return &s;
  return nullptr;
}

bool valid_period(std::string_view p) {
  if (p.size() != 7 || p[4] != '-') return false;
  if (number_of(p.substr(0, 4)) < 2000) return false;
  if (p[5] == 'T') return p[6] >= '1' && p[6] <= '3';
  int month = number_of(p.substr(5, 2));
  return month >= 1 && month <= 12;
}

std::string period_label(std::string_view p) {
  if (!valid_period(p)) return std::string(p);
  if (p[5] == 'T') return fmt::format("{}年度 {}学期", p.substr(0, 4), p.substr(6, 1));
  return fmt::format("{}年{}月", p.substr(0, 4), number_of(p.substr(5, 2)));
}

double Kpi::current() const {
  if (cumulative) {
    double sum = baseline;
    for (const Actual& a : actuals) sum += a.value;
    return sum;
  }
  if (actuals.empty()) return baseline;
  return actuals.back().value;  // by period
}

std::optional<double> Kpi::progress() const {
  if (target == baseline) return std::nullopt;
  return (current() - baseline) / (target - baseline) * 100.0;
}

std::string_view to_string(Wave wave) { return wave == Wave::kPre ? "pre" : "post"; }
std::string_view wave_label(Wave wave) { return wave == Wave::kPre ? "事前" : "事後"; }

std::string to_json(const SurveyMapping& m) {
  boost::json::array items;
  for (const auto& i : m.items)
    items.push_back(boost::json::object{{"column", i.column}, {"label", i.label}, {"reversed", i.reversed}});
  boost::json::array scale(m.scale.begin(), m.scale.end());
  boost::json::array comments(m.comments.begin(), m.comments.end());
  return boost::json::serialize(
      boost::json::object{{"respondent", m.respondent}, {"items", items}, {"scale", scale}, {"comments", comments}});
}

SurveyMapping mapping_from_json(std::string_view json) {
  SurveyMapping m;
  if (json.empty()) return m;
  boost::system::error_code error;
  boost::json::value v = boost::json::parse(json, error);
  if (error || !v.is_object()) return m;
  const auto& o = v.as_object();
  if (const auto* r = o.if_contains("respondent"); r && r->is_string()) m.respondent = r->as_string();
  if (const auto* items = o.if_contains("items"); items && items->is_array()) {
    for (const auto& i : items->as_array()) {
      if (!i.is_object()) continue;
      SurveyItemMapping item;
      if (const auto* c = i.as_object().if_contains("column"); c && c->is_string()) item.column = c->as_string();
      if (const auto* l = i.as_object().if_contains("label"); l && l->is_string()) item.label = l->as_string();
      if (const auto* rv = i.as_object().if_contains("reversed"); rv && rv->is_bool()) item.reversed = rv->as_bool();
      if (!item.column.empty()) m.items.push_back(std::move(item));
    }
  }
  auto strings = [&](const char* key, std::vector<std::string>& out) {
    if (const auto* a = o.if_contains(key); a && a->is_array())
      for (const auto& s : a->as_array())
        if (s.is_string()) out.emplace_back(s.as_string());
  };
  strings("scale", m.scale);
  strings("comments", m.comments);
  return m;
}

}  // namespace kakehashi::effects
