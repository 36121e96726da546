// Figure and table data files: one CSV and one XLSX per figure and table, named after it.
//
// The files follow the government's rules for machine-readable statistical tables
// (総務省「統計表における機械判読可能なデータの表記方法の統一ルール」): one header row, one value
// per cell, no merged cells, numbers stored as numbers (the unit belongs in the header),
// Western-calendar dates, and a prefecture code column beside a column of prefecture names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "docs/chart.h"
#include "docs/model.h"

namespace kakehashi::docs {

struct FigureData {
  std::string number;  // 図2-1 / 表3-4
  std::string caption;
  DataTable table;
};

// The data of every chart figure and table in document order (image figures carry no data).
std::vector<FigureData> figure_data(const Document& doc);

// A table's cells as machine-readable data: "1,038" becomes the number 1038, 令和8年4月1日
// becomes 2026-04-01, and a 都道府県 column gets a 都道府県コード column beside it.
DataTable table_data(const Table& table);

// "図2-1_地域ブロック別の参加校数" (safe on Windows; see safe_file_stem).
std::string figure_file_stem(const FigureData& figure);

// CSV text: UTF-8 with BOM (Excel opens it as UTF-8), CRLF, numbers without grouping.
std::string figure_csv(const DataTable& table);

// Writes the XLSX file: one sheet named after the figure, a styled and frozen header row,
// column widths from the content, number formats, nothing hidden, document properties with
// the title only and a fixed creation time (kFixedCreationTime) so output is reproducible.
inline constexpr long kFixedCreationTime = 946684800;  // 2000-01-01T00:00:00Z
[[nodiscard]] Result<void> write_figure_xlsx(const FigureData& figure,
                                             const std::filesystem::path& path);

// Writes DIR/<stem>.csv and DIR/<stem>.xlsx for every figure and table; returns the paths.
[[nodiscard]] Result<std::vector<std::filesystem::path>> write_figure_files(
    const Document& doc, const std::filesystem::path& dir);

// JIS X 0401 code of a prefecture name ("東京都" -> 13, "東京" -> 13), 0 when not one.
int prefecture_code(std::string_view name);

}  // namespace kakehashi::docs
