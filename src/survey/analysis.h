// Pre/post survey analysis: from a Forms-style CSV export (one row per answer sheet) to paired
// statistics per item, every excluded answer explained, and a chart and table per item group.
// Pure engine code: the CLI and, later, the survey screens (import, config, results) call it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/csv.h"
#include "base/result.h"
#include "survey/config.h"
#include "survey/paired.h"
#include "survey/sheet_table.h"

namespace kakehashi::survey {

// An answer left out of its item (and only that item).
struct ExcludedAnswer {
  std::size_t line = 0;  // line of the CSV record (1-based, as Excel shows it)
  std::string value;     // the answer as written in the file
  std::string reason;    // Japanese, e.g. "選択肢にない回答です"
};

// An answer sheet left out of every item (unknown wave, no respondent ID, duplicate).
struct SkippedRow {
  std::size_t line = 0;
  std::string reason;
};

struct ItemResult {
  std::string column;
  std::string label;
  std::string group;
  bool scaled = false;                   // answers mapped through a scale (chart unit 点)
  PairedStatistics statistics;           // over respondents with a valid answer in both waves
  std::size_t only_pre = 0;              // respondents with a valid answer before but none after
  std::size_t only_post = 0;             // ... after but none before
  std::vector<ExcludedAnswer> excluded;  // in line order
};

// A chart in the document engine's JSON format (docs: ```chart blocks).
struct ChartSeries {
  std::string name;
  std::vector<std::optional<double>> values;  // empty optional: no value (null in JSON)
};
struct Chart {
  std::string title;
  std::string type = "bar";  // bar | stacked_bar | line | pie | scatter | histogram
  std::string unit;
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
};

// A table as the document engine takes it: header row, per-column alignment, text cells.
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::string> align;  // "left" | "right" per column
  std::vector<std::vector<std::string>> rows;
};

struct ItemGroup {
  std::string title;
  std::vector<std::size_t> items;  // indexes into SurveyResult::items
  Chart chart;                     // mean before vs after per item
  Table table;                     // the paired statistics per item
};

struct SurveyResult {
  std::string title;
  std::string pre_label;  // the wave values, as the config names them
  std::string post_label;
  std::size_t sheets = 0;       // data rows read
  std::size_t respondents = 0;  // distinct respondent IDs among the counted sheets
  std::size_t pre_sheets = 0;
  std::size_t post_sheets = 0;
  std::vector<SkippedRow> skipped;
  std::vector<ItemResult> items;  // in config order
  std::vector<ItemGroup> groups;  // in order of first appearance
};

// Analyses parsed CSV rows (the first row is the header) under `config`. Fails only when the
// file cannot be analysed at all (no header, a configured column missing); answer-level
// problems become ExcludedAnswer / SkippedRow entries. Items are computed in parallel on up to
// `threads` threads (0: the machine's hardware concurrency).
[[nodiscard]] Result<SurveyResult> analyze(const std::vector<csv::Row>& rows,
                                           const SurveyConfig& config, unsigned threads = 0);

// The same over a SheetTable (the fast path for large files).
[[nodiscard]] Result<SurveyResult> analyze(const SheetTable& table, const SurveyConfig& config,
                                           unsigned threads = 0);

// Reads the CSV file (UTF-8 with or without BOM, or Shift_JIS / CP932) into a SheetTable and
// analyses it.
[[nodiscard]] Result<SurveyResult> analyze_file(const std::string& path, const SurveyConfig& config,
                                                unsigned threads = 0);

// What the import screen shows before a configuration exists: each column with its distinct
// answers (normalised), so a user can pick the respondent and wave columns and build scales.
struct ColumnSummary {
  std::string name;
  std::size_t answered = 0;                                 // non-empty cells
  bool numeric = false;                                     // every non-empty cell is a number
  std::vector<std::pair<std::string, std::size_t>> values;  // most frequent first, capped
  bool more_values = false;                                 // more distinct values than listed
};
// Summarises every column of parsed rows (first row the header); lists at most
// `max_values` distinct values per column.
[[nodiscard]] Result<std::vector<ColumnSummary>> summarize_columns(
    const std::vector<csv::Row>& rows, std::size_t max_values = 20);
[[nodiscard]] Result<std::vector<ColumnSummary>> summarize_columns(const SheetTable& table,
                                                                   std::size_t max_values = 20);

// Builds the chart and table of one group from computed items (also used by analyze()).
ItemGroup make_group(const SurveyResult& result, std::string title, std::vector<std::size_t> items);

}  // namespace kakehashi::survey
