// The published collections as open data and as report chapters (issue 19, R4.4).
// - CSV: UTF-8 with BOM, CRLF, one header row, one case per row (総務省の機械判読ルール: one
//   value per cell, a 都道府県コード column beside the prefecture, Western years).
// - JSON: {"cases":[…],"lessons":[…]} with the same fields.
// - DCAT-style metadata (dcat:Dataset with title, description, publisher, licence
//   政府標準利用規約（第2.0版）— CC BY 4.0 compatible — modified date and distributions).
// - Report chapters: Markdown for the document engine (docs/markdown.h): 「事例集」 with a chart
//   figure (its data goes with it as CSV/XLSX through docs/figures.h) and a table of cases, and
//   「ポイント集」 with the stakeholder map and the lessons. Only published items, never anyone's
//   personal data: authors, consent notes, review comments and findings stay out.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "knowledge/model.h"

namespace kakehashi::knowledge {

inline constexpr std::string_view kLicenceName = "政府標準利用規約（第2.0版）";
inline constexpr std::string_view kLicenceUrl = "https://www.digital.go.jp/resources/open_data/public_data_license_v2.0";
inline constexpr std::string_view kCcByUrl = "https://creativecommons.org/licenses/by/4.0/legalcode.ja";

// `base_url` is the site's public address ("https://kakehashi.example.jp"): case URLs are
// base_url + "/cases/{id}".
std::string cases_csv(const std::vector<Item>& cases, const std::string& base_url);
std::string collection_json(const std::vector<Item>& cases, const std::vector<Item>& lessons, const std::string& base_url);
std::string dcat_json(std::size_t cases, std::size_t lessons, const std::string& modified, const std::string& base_url);

// The public fields of an item as JSON (the API and the open data use the same shape).
std::string item_json(const Item& item, const std::string& base_url);

struct ReportChapters {
  std::string markdown;  // two chapters: 事例集, ポイント集 (no front matter)
  std::size_t cases = 0;
  std::size_t lessons = 0;
};
// The published collection as report chapters (for the report package and the download).
[[nodiscard]] Result<ReportChapters> report_chapters(db::Transaction& tx);

}  // namespace kakehashi::knowledge
