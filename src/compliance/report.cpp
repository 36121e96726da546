#include "compliance/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace kakehashi::compliance {
namespace generated {
extern const std::string_view kReportItemsTsv;
}
namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::vector<ReportItem> parse_items() {
  std::vector<ReportItem> out;
  for (const std::string& line : split(generated::kReportItemsTsv, '\n')) {
    if (line.empty() || line.starts_with('#')) continue;
    auto columns = split(line, '\t');
    if (columns.size() < 2) continue;
    ReportItem item{std::stoi(columns[0]), columns[1], {}};
    if (columns.size() > 2 && !columns[2].empty()) {
      for (const std::string& entry : split(columns[2], ';')) {
        auto bar = entry.find('|');
        if (bar != std::string::npos) item.automatic.push_back({entry.substr(0, bar), entry.substr(bar + 1)});
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::string cell_text(std::string text) {
  for (char& c : text) {
    if (c == '|' || c == '\n') c = ' ';
  }
  return text;
}

const ItemAnswer* answer_for(const std::vector<ItemAnswer>& answers, int number) {
  auto it = std::ranges::find_if(answers, [&](const ItemAnswer& a) { return a.number == number; });
  return it == answers.end() ? nullptr : &*it;
}

}  // namespace

std::string_view item_status_label(ItemStatus status) {
  switch (status) {
    case ItemStatus::kDone: return "実施";
    case ItemStatus::kNotDone: return "未実施";
    case ItemStatus::kNotApplicable: return "該当なし";
  }
  return "";
}

std::optional<ItemStatus> item_status_from_label(std::string_view label) {
  for (ItemStatus s : {ItemStatus::kDone, ItemStatus::kNotDone, ItemStatus::kNotApplicable}) {
    if (item_status_label(s) == label) return s;
  }
  return std::nullopt;
}

const std::vector<ReportItem>& report_items() {
  static const std::vector<ReportItem> items = parse_items();
  return items;
}

std::vector<FieldError> check_answers(const std::vector<ItemAnswer>& answers) {
  std::vector<FieldError> errors;
  std::set<int> known;
  for (const auto& item : report_items()) known.insert(item.number);
  for (const auto& a : answers) {
    if (!known.contains(a.number)) errors.push_back({"item", fmt::format("{}) は報告事項にありません", a.number)});
  }
  for (const auto& item : report_items()) {
    std::string field = fmt::format("item_{}", item.number);
    const ItemAnswer* a = answer_for(answers, item.number);
    if (!a || !a->status) {
      errors.push_back({field, fmt::format("{}) の実施状況を選んでください", item.number)});
      continue;
    }
    bool blank = a->detail.find_first_not_of(" \t\r\n　") == std::string::npos;
    if (blank && *a->status == ItemStatus::kDone) {
      errors.push_back({field, fmt::format("{}) の実施内容を入力してください", item.number)});
    } else if (blank) {
      errors.push_back({field, fmt::format("{}) は「{}」のため、理由を入力してください", item.number,
                                           item_status_label(*a->status))});
    }
  }
  return errors;
}

std::string report_markdown(const ReportHeader& header, const std::vector<ItemAnswer>& answers) {
  std::string md = "# 情報セキュリティに関する事項の遵守の方法の実施状況報告書\n\n";
  md += "情報セキュリティに関する事項1)の規定に基づき、下記のとおり報告します。\n\n";
  md += fmt::format("## 契約件名等\n\n- 契約締結日: {}\n- 契約件名: {}\n- 報告の対象期間: {} ～ {}\n\n",
                    header.contract_date, header.contract_title, header.period_from, header.period_to);
  md += "## 報告事項\n\n| 事項 | 確認事項 | 実施状況 |\n|---|---|---|\n";
  for (const auto& item : report_items()) {
    const ItemAnswer* a = answer_for(answers, item.number);
    md += fmt::format("| {}) | {} | {} |\n", item.number, cell_text(item.text),
                      a && a->status ? item_status_label(*a->status) : "");
  }
  md += "\nTable: 報告事項（情報セキュリティに関する事項 2)～17)）と実施状況\n\n## 実施内容・理由と証跡\n\n";
  for (const auto& item : report_items()) {
    const ItemAnswer* a = answer_for(answers, item.number);
    if (!a || !a->status) continue;
    md += fmt::format("### 情報セキュリティに関する事項 {})（{}）\n\n{}\n\n", item.number,
                      item_status_label(*a->status), a->detail);
    std::vector<Evidence> evidence = item.automatic;
    evidence.insert(evidence.end(), a->evidence.begin(), a->evidence.end());
    if (!evidence.empty()) {
      md += "証跡:\n\n";
      for (const auto& e : evidence) md += fmt::format("- {}（{}）\n", e.label, e.href);
      md += "\n";
    }
  }
  return md;
}

docs::DataTable report_table(const std::vector<ItemAnswer>& answers) {
  docs::DataTable table;
  table.header = {"項目", "確認事項", "実施状況", "実施内容または理由", "証跡"};
  auto cell = [](std::string text) { return docs::DataCell{std::move(text), 0, false}; };
  for (const auto& item : report_items()) {
    const ItemAnswer* a = answer_for(answers, item.number);
    std::string evidence;
    std::vector<Evidence> all = item.automatic;
    if (a) all.insert(all.end(), a->evidence.begin(), a->evidence.end());
    for (const auto& e : all) evidence += (evidence.empty() ? "" : "、") + e.label + "（" + e.href + "）";
    table.rows.push_back({cell(fmt::format("情報セキュリティに関する事項 {})", item.number)), cell(item.text),
                          cell(a && a->status ? std::string(item_status_label(*a->status)) : ""),
                          cell(a ? a->detail : ""), cell(evidence)});
  }
  return table;
}

}  // namespace kakehashi::compliance
