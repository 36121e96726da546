// Charts, roll-ups and the report's effect chapter (issue 20). Every chart is a server-rendered
// SVG with a <title>, a <desc> and its data as a table (what screen readers get, and what the
// CSV / XLSX beside the chart hold, named after the chart: R6.2). Charts and the chapter carry
// aggregates only — never a respondent's key or free text.
#pragma once

#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "docs/chart.h"
#include "docs/figures.h"
#include "effects/model.h"
#include "effects/service.h"

namespace kakehashi::effects {

struct Figure {
  std::string id;       // "means", "change", "progress", "rollup-schools" …
  std::string title;    // names the files: <title>.csv / .xlsx / .svg
  std::string svg;      // standalone <svg> with <title> and <desc>
  std::string summary;  // the <desc>: one sentence on what the chart shows
  docs::DataTable data;
};

// Means before and after per item (bar chart).
Figure survey_means_figure(const SurveyReading& reading);
// Change after − before per item with its 95% confidence interval (dots and whiskers).
Figure survey_change_figure(const SurveyReading& reading);
// Progress of an operator's KPIs against their targets, in percent.
Figure kpi_progress_figure(const std::string& operator_name, const std::vector<Kpi>& kpis);

// The roll-up across blocks of the shared indicators and of the surveys.
struct RollupLine {
  std::string block_id;  // "" for the total
  std::string block_name;
  std::vector<double> current;  // per shared_indicators(), in order
  std::vector<double> target;
  int operators = 0;
  int surveys = 0;   // analysed
  int items = 0;     // items tested
  int improved = 0;  // items 「有意に向上した」
};
struct Rollup {
  std::vector<RollupLine> blocks;  // the blocks within reach, in the specification's order
  RollupLine total;
  bool whole_programme = false;    // the reader sees every block
};
[[nodiscard]] Result<Rollup> rollup(db::Transaction& tx, const auth::Principal& who);
// One bar chart per shared indicator: actual and target by block.
std::vector<Figure> rollup_figures(const Rollup& rollup);

// The effect chapter for the report (Markdown for the document engine: ```chart blocks and
// tables with their captions), and its figures' data as the engine extracts them.
struct ReportChapter {
  std::string markdown;
  std::vector<docs::FigureData> figures;
};
[[nodiscard]] Result<ReportChapter> report_chapter(db::Transaction& tx, const auth::Principal& who);

// A file name stem safe on Windows for a chart's title.
std::string file_stem(const std::string& title);

}  // namespace kakehashi::effects
