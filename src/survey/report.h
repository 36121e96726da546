// How a survey result leaves the engine: JSON for the web and scripts, Japanese text for
// people, Markdown (tables and ```chart blocks) for report chapters the document engine renders.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "survey/analysis.h"

namespace kakehashi::survey {

// The result as JSON: {"title","pre","post","sheets","respondents","pre_sheets","post_sheets",
// "skipped":[{"line","reason"}],"items":[{"column","label","group","n","mean_pre","mean_post",
// "mean_diff","sd_diff","dz","t_test":{"t","df","p","ci95":[lo,hi]},"wilcoxon":{"V","p","z",
// "nonzero"},"only_pre","only_post","excluded":[{"line","value","reason"}],"note"}],
// "groups":[{"title","items":[columns],"chart":{…},"table":{…}}]}. A value that cannot be
// computed is null and "note" says why (otherwise "note" is null).
boost::json::value to_json(const SurveyResult& result);

// The chart in the document engine's format:
// {"title","type","unit","categories":[…],"series":[{"name","values":[…]}]}.
boost::json::value to_json(const Chart& chart);
boost::json::value to_json(const Table& table);

// Serialises JSON with two-space indentation and numbers in their shortest exact form
// (1.58, not 1.58E0), so a double read back is the same double.
std::string format_json(const boost::json::value& value);

// A report in Japanese for people; `source` names the input file in the heading.
std::string to_text(const SurveyResult& result, const std::string& source);

// A Markdown chapter: per group a ```chart block and a table with its "Table:" caption.
std::string to_markdown(const SurveyResult& result);

// The import summary of a file's columns: JSON {"columns":[{"name","answered","numeric",
// "values":[{"value","count"}],"more_values"}]} and a Japanese text listing.
boost::json::value to_json(const std::vector<ColumnSummary>& columns);
std::string to_text(const std::vector<ColumnSummary>& columns, const std::string& source);

// A p-value as R prints it: 4 significant digits, "< 2.2e-16" below R's double epsilon.
std::string format_p(double p);

}  // namespace kakehashi::survey
