// The half-yearly compliance report (issue 21, R8.1; 別紙「情報セキュリティに関する事項の遵守の
// 方法の実施状況報告書」): items 2)–17) with their texts from data/report_items.tsv (embedded at
// build time), a status per item (実施 / 未実施 / 該当なし), what was done for 実施 and a reason
// for the other two (記載要領 1.: mandatory), evidence, and the evidence Kakehashi provides by
// itself (the roster, the audit log, the software ledger, the IPA checklist). Rendered as
// Markdown for the document engine (PDF) and as a table (XLSX).
//
// Not yet built: storage of a report per half-year, submission to METI and METI's
// acknowledgement, and the screens (see the issue 21 report).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/model.h"
#include "docs/chart.h"

namespace kakehashi::compliance {

enum class ItemStatus { kDone, kNotDone, kNotApplicable };
std::string_view item_status_label(ItemStatus status);  // 実施 / 未実施 / 該当なし
std::optional<ItemStatus> item_status_from_label(std::string_view label);

struct Evidence {
  std::string label;
  std::string href;  // a Kakehashi path ("/admin/audit") or a file name
};

struct ReportItem {
  int number = 0;  // 2 … 17
  std::string text;
  std::vector<Evidence> automatic;  // what Kakehashi shows by itself
};
// The items 2)–17) in order.
const std::vector<ReportItem>& report_items();

struct ItemAnswer {
  int number = 0;
  std::optional<ItemStatus> status;
  std::string detail;  // 実施: what was done; 未実施 / 該当なし: the reason (mandatory)
  std::vector<Evidence> evidence;
};

struct ReportHeader {
  std::string contract_date;   // 契約締結日
  std::string contract_title;  // 契約件名
  std::string period_from, period_to;  // the half-year, Japan dates
};

// Every error at once: an item without status, 未実施/該当なし without a reason, 実施 without
// what was done, an unknown item number, a missing item.
std::vector<FieldError> check_answers(const std::vector<ItemAnswer>& answers);

// The report for the document engine (docs::parse_markdown + render_pdf).
std::string report_markdown(const ReportHeader& header, const std::vector<ItemAnswer>& answers);
// The report as one table (XLSX through docs::write_figure_xlsx).
docs::DataTable report_table(const std::vector<ItemAnswer>& answers);

}  // namespace kakehashi::compliance
