#include "survey/report.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

namespace kakehashi::survey {
namespace json = boost::json;
namespace {

constexpr std::string_view kMissing = "—";  // a cell whose value cannot be computed

json::value optional_number(const std::optional<double>& value) {
  if (!value) return nullptr;
  return *value;
}

json::value string_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::string(text);
}

std::string fixed(const std::optional<double>& value, int decimals = 3) {
  if (!value) return std::string(kMissing);
  return fmt::format("{:.{}f}", *value, decimals);
}

std::string signed_fixed(const std::optional<double>& value, int decimals = 3) {
  if (!value) return std::string(kMissing);
  return fmt::format("{:+.{}f}", *value, decimals);
}

void write_json(const json::value& value, std::string& out, int indent) {
  auto newline = [&](int level) {
    out.push_back('\n');
    out.append(std::size_t(level) * 2, ' ');
  };
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      out += fmt::format("{}", value.get_int64());
      break;
    case json::kind::uint64:
      out += fmt::format("{}", value.get_uint64());
      break;
    case json::kind::double_: {
      const double number = value.get_double();
      out += std::isfinite(number) ? fmt::format("{}", number) : "null";
      break;
    }
    case json::kind::string:
      out += json::serialize(value.get_string());
      break;
    case json::kind::array: {
      const json::array& array = value.get_array();
      // Arrays of scalars stay on one line (chart values, confidence intervals).
      const bool flat = std::none_of(array.begin(), array.end(), [](const json::value& v) {
        return v.is_object() || v.is_array();
      });
      out.push_back('[');
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i) out += flat ? ", " : ",";
        if (!flat) newline(indent + 1);
        write_json(array[i], out, indent + 1);
      }
      if (!flat && !array.empty()) newline(indent);
      out.push_back(']');
      break;
    }
    case json::kind::object: {
      const json::object& object = value.get_object();
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : object) {
        if (!first) out.push_back(',');
        first = false;
        newline(indent + 1);
        out += json::serialize(json::string(key));
        out += ": ";
        write_json(member, out, indent + 1);
      }
      if (!object.empty()) newline(indent);
      out.push_back('}');
      break;
    }
  }
}

json::value item_json(const ItemResult& item) {
  const PairedStatistics& s = item.statistics;
  json::object object;
  object["column"] = item.column;
  object["label"] = item.label;
  object["group"] = string_or_null(item.group);
  object["n"] = s.n;
  object["mean_pre"] = optional_number(s.mean_pre);
  object["mean_post"] = optional_number(s.mean_post);
  object["mean_diff"] = optional_number(s.mean_diff);
  object["sd_diff"] = optional_number(s.sd_diff);
  object["dz"] = optional_number(s.dz);
  if (s.t_test) {
    object["t_test"] = {{"t", s.t_test->t},
                        {"df", s.t_test->df},
                        {"p", s.t_test->p},
                        {"ci95", json::array{s.t_test->ci_low, s.t_test->ci_high}}};
  } else {
    object["t_test"] = {{"t", nullptr}, {"df", nullptr}, {"p", nullptr}, {"ci95", nullptr}};
  }
  if (s.wilcoxon) {
    object["wilcoxon"] = {{"V", s.wilcoxon->v},
                          {"p", s.wilcoxon->p},
                          {"z", s.wilcoxon->z},
                          {"nonzero", s.wilcoxon->nonzero}};
  } else {
    object["wilcoxon"] = {{"V", nullptr}, {"p", nullptr}, {"z", nullptr}, {"nonzero", nullptr}};
  }
  object["only_pre"] = item.only_pre;
  object["only_post"] = item.only_post;
  json::array excluded;
  for (const ExcludedAnswer& answer : item.excluded)
    excluded.push_back({{"line", answer.line}, {"value", answer.value}, {"reason", answer.reason}});
  object["excluded"] = std::move(excluded);
  object["note"] = string_or_null(s.note);
  return object;
}

std::string table_markdown(const Table& table) {
  auto escape = [](const std::string& cell) {
    std::string out;
    for (char c : cell) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        out += ' ';
      else
        out.push_back(c);
    }
    return out;
  };
  std::string out = "|";
  for (const auto& cell : table.header) out += " " + escape(cell) + " |";
  out += "\n|";
  for (const auto& align : table.align) out += align == "right" ? " --: |" : " :-- |";
  out += "\n";
  for (const auto& row : table.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + escape(cell) + " |";
    out += "\n";
  }
  out += "\nTable: " + table.caption + "\n";
  return out;
}

// "p = 0.01234" or, below R's printing limit, "p < 2.2e-16" (as R's print.htest words it).
std::string p_phrase(double p) {
  std::string value = format_p(p);
  return value.starts_with('<') ? "p " + value : "p = " + value;
}

// Cohen's conventional bounds for |dz|: 0.2 small, 0.5 medium, 0.8 large.
std::string_view effect_size_word(double dz) {
  const double size = std::fabs(dz);
  if (size < 0.2) return "ごく小さい";
  if (size < 0.5) return "小";
  if (size < 0.8) return "中";
  return "大";
}

// One plain sentence on whether the change is more than noise at the 5% level.
std::string verdict_line(const PairedStatistics& s, const std::string& post_label) {
  constexpr double kAlpha = 0.05;  // the conventional significance level, stated in the text
  if (!s.t_test || !s.wilcoxon) return {};
  const bool t_significant = s.t_test->p < kAlpha;
  const bool w_significant = s.wilcoxon->p < kAlpha;
  const std::string direction =
      fmt::format("{}に{}", post_label, *s.mean_diff > 0 ? "上昇" : "低下");
  if (t_significant && w_significant)
    return fmt::format("{}（5% 水準で有意。t 検定・Wilcoxon 検定とも）", direction);
  if (!t_significant && !w_significant) return "5% 水準で有意な差は見られません（両検定とも）";
  return fmt::format("検定により判断が分かれます（5% 水準で有意なのは{}のみ）",
                     t_significant ? "t 検定" : "Wilcoxon 検定");
}

}  // namespace

std::string format_p(double p) {
  // R's format.pval with digits = 4 prints anything below .Machine$double.eps as "< 2.2e-16".
  if (p < std::numeric_limits<double>::epsilon()) return "< 2.2e-16";
  return fmt::format("{:.4g}", p);
}

ItemGroup make_group(const SurveyResult& result, std::string title,
                     std::vector<std::size_t> items) {
  ItemGroup group;
  group.title = std::move(title);
  group.items = std::move(items);

  Chart& chart = group.chart;
  chart.title = fmt::format("{}（{}・{}の平均）", group.title, result.pre_label, result.post_label);
  chart.type = "bar";
  chart.series = {{result.pre_label, {}}, {result.post_label, {}}};
  Table& table = group.table;
  table.caption = fmt::format("{}：{}と{}の比較（対応のある t 検定と Wilcoxon 符号付順位検定）",
                              group.title, result.pre_label, result.post_label);
  table.header = {"設問",
                  "n",
                  fmt::format("{}平均", result.pre_label),
                  fmt::format("{}平均", result.post_label),
                  "差",
                  "差の標準偏差",
                  "効果量 dz",
                  "t",
                  "自由度",
                  "p（t 検定）",
                  "差の95%信頼区間（下限）",
                  "差の95%信頼区間（上限）",
                  "V",
                  "p（Wilcoxon）"};
  table.align = {"left"};
  table.align.resize(table.header.size(), "right");
  for (std::size_t index : group.items) {
    const ItemResult& item = result.items[index];
    const PairedStatistics& s = item.statistics;
    chart.categories.push_back(item.label);
    chart.series[0].values.push_back(s.mean_pre);
    chart.series[1].values.push_back(s.mean_post);
    std::vector<std::string> row = {
        item.label,         fmt::format("{}", s.n),    fixed(s.mean_pre),
        fixed(s.mean_post), signed_fixed(s.mean_diff), fixed(s.sd_diff),
        fixed(s.dz)};
    if (s.t_test) {
      row.push_back(fmt::format("{:.3f}", s.t_test->t));
      row.push_back(fmt::format("{:.0f}", s.t_test->df));
      row.push_back(format_p(s.t_test->p));
      // One value per cell, as the government's rules for machine-readable tables ask.
      row.push_back(fmt::format("{:.3f}", s.t_test->ci_low));
      row.push_back(fmt::format("{:.3f}", s.t_test->ci_high));
    } else {
      row.insert(row.end(), 5, std::string(kMissing));
    }
    if (s.wilcoxon) {
      row.push_back(fmt::format("{}", s.wilcoxon->v));
      row.push_back(format_p(s.wilcoxon->p));
    } else {
      row.insert(row.end(), 2, std::string(kMissing));
    }
    table.rows.push_back(std::move(row));
  }
  // Points when every item of the group is on a scale; numbers as they are have no unit.
  const bool scaled = std::all_of(group.items.begin(), group.items.end(),
                                  [&](std::size_t i) { return result.items[i].scaled; });
  chart.unit = scaled ? "点" : "";
  return group;
}

json::value to_json(const Chart& chart) {
  json::array categories(chart.categories.begin(), chart.categories.end());
  json::array series;
  for (const ChartSeries& s : chart.series) {
    json::array values;
    for (const auto& v : s.values) values.push_back(optional_number(v));
    series.push_back({{"name", s.name}, {"values", std::move(values)}});
  }
  return {{"title", chart.title},
          {"type", chart.type},
          {"unit", chart.unit},
          {"categories", std::move(categories)},
          {"series", std::move(series)}};
}

json::value to_json(const Table& table) {
  json::array rows;
  for (const auto& row : table.rows) rows.push_back(json::array(row.begin(), row.end()));
  return {{"caption", table.caption},
          {"header", json::array(table.header.begin(), table.header.end())},
          {"align", json::array(table.align.begin(), table.align.end())},
          {"rows", std::move(rows)}};
}

json::value to_json(const SurveyResult& result) {
  json::object root;
  root["title"] = result.title;
  root["pre"] = result.pre_label;
  root["post"] = result.post_label;
  root["sheets"] = result.sheets;
  root["respondents"] = result.respondents;
  root["pre_sheets"] = result.pre_sheets;
  root["post_sheets"] = result.post_sheets;
  json::array skipped;
  for (const SkippedRow& row : result.skipped)
    skipped.push_back({{"line", row.line}, {"reason", row.reason}});
  root["skipped"] = std::move(skipped);
  json::array items;
  for (const ItemResult& item : result.items) items.push_back(item_json(item));
  root["items"] = std::move(items);
  json::array groups;
  for (const ItemGroup& group : result.groups) {
    json::array columns;
    for (std::size_t i : group.items) columns.push_back(json::string(result.items[i].column));
    groups.push_back({{"title", group.title},
                      {"items", std::move(columns)},
                      {"chart", to_json(group.chart)},
                      {"table", to_json(group.table)}});
  }
  root["groups"] = std::move(groups);
  return root;
}

std::string format_json(const json::value& value) {
  std::string out;
  write_json(value, out, 0);
  out.push_back('\n');
  return out;
}

std::string to_text(const SurveyResult& result, const std::string& source) {
  std::string out = fmt::format("アンケート分析: {}（{}）\n", result.title, source);
  out += fmt::format("回答票 {} 件（{} {} 件、{} {} 件）、回答者 {} 人\n", result.sheets,
                     result.pre_label, result.pre_sheets, result.post_label, result.post_sheets,
                     result.respondents);
  if (!result.skipped.empty()) {
    out += fmt::format("集計に含めなかった回答票: {} 件\n", result.skipped.size());
    for (const SkippedRow& row : result.skipped)
      out += fmt::format("  {} 行目: {}\n", row.line, row.reason);
  }
  for (const ItemGroup& group : result.groups) {
    out += fmt::format("\n【{}】\n", group.title);
    for (std::size_t index : group.items) {
      const ItemResult& item = result.items[index];
      const PairedStatistics& s = item.statistics;
      out += item.label == item.column ? fmt::format("\n■ {}\n", item.label)
                                       : fmt::format("\n■ {}（{}）\n", item.label, item.column);
      out += fmt::format(
          "  対象: {}と{}の両方に有効な回答がある {} 人（{}のみ {} 人、{}のみ {} 人）\n",
          result.pre_label, result.post_label, s.n, result.pre_label, item.only_pre,
          result.post_label, item.only_post);
      if (s.mean_pre) {
        out += fmt::format("  平均: {} {} → {} {}（差 {}", result.pre_label, fixed(s.mean_pre),
                           result.post_label, fixed(s.mean_post), signed_fixed(s.mean_diff));
        if (s.sd_diff) out += fmt::format("、差の標準偏差 {}", fixed(s.sd_diff));
        if (s.dz)
          out += fmt::format("、効果量 dz = {}（{}）", fixed(s.dz), effect_size_word(*s.dz));
        out += "）\n";
      }
      if (s.t_test)
        out += fmt::format(
            "  対応のある t 検定: t({:.0f}) = {:.4f}, {}, 差の95%信頼区間 [{:.4f}, {:.4f}]\n",
            s.t_test->df, s.t_test->t, p_phrase(s.t_test->p), s.t_test->ci_low, s.t_test->ci_high);
      if (s.wilcoxon)
        out += fmt::format("  Wilcoxon 符号付順位検定: V = {}, {}（差が0の {} 人を除く {} 人）\n",
                           s.wilcoxon->v, p_phrase(s.wilcoxon->p), s.n - s.wilcoxon->nonzero,
                           s.wilcoxon->nonzero);
      if (auto verdict = verdict_line(s, result.post_label); !verdict.empty())
        out += fmt::format("  判定: {}\n", verdict);
      if (!s.note.empty()) out += fmt::format("  注記: {}\n", s.note);
      if (!item.excluded.empty()) {
        out += fmt::format("  除外した回答: {} 件\n", item.excluded.size());
        for (const ExcludedAnswer& answer : item.excluded)
          out += fmt::format("    {} 行目: 「{}」 {}\n", answer.line, answer.value, answer.reason);
      }
    }
  }
  return out;
}

json::value to_json(const std::vector<ColumnSummary>& columns) {
  json::array out;
  for (const ColumnSummary& column : columns) {
    json::array values;
    for (const auto& [value, count] : column.values)
      values.push_back({{"value", value}, {"count", count}});
    out.push_back({{"name", column.name},
                   {"answered", column.answered},
                   {"numeric", column.numeric},
                   {"values", std::move(values)},
                   {"more_values", column.more_values}});
  }
  return {{"columns", std::move(out)}};
}

std::string to_text(const std::vector<ColumnSummary>& columns, const std::string& source) {
  std::string out = fmt::format("列の一覧: {}（{} 列）\n", source, columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const ColumnSummary& column = columns[c];
    out += fmt::format("\n{}. {}（回答 {} 件{}）\n", c + 1, column.name, column.answered,
                       column.numeric ? "、すべて数値" : "");
    for (const auto& [value, count] : column.values)
      out += fmt::format("   {} … {} 件\n", value, count);
    if (column.more_values) out += "   ほかにも値があります\n";
  }
  return out;
}

std::string to_markdown(const SurveyResult& result) {
  std::string out = fmt::format("# {}の分析（{}と{}の比較）\n", result.title, result.pre_label,
                                result.post_label);
  for (const ItemGroup& group : result.groups) {
    out += fmt::format("\n## {}\n\n```chart\n", group.title);
    out += format_json(to_json(group.chart));
    out += "```\n\n";
    out += table_markdown(group.table);
  }
  return out;
}

}  // namespace kakehashi::survey
