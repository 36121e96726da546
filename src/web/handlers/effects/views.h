// Typed views of the effect-verification screens (issue 20): templates/effects/*.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/handlers/operations/common.h"
#include "web/handlers/operations/views_support.h"
#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::effectsweb {

using opsweb::FormError;
using opsweb::SelectOption;

// A chart with its text alternative and downloads.
struct FigureRow {
  std::vector<std::string> cells;
  void fields(auto& f) const { f("cells", cells); }
};
struct FigureView {
  std::string id;
  std::string title;
  Html svg;
  std::string summary;
  std::vector<std::string> header;
  std::vector<FigureRow> rows;
  std::string csv_href, xlsx_href, svg_href;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("svg", svg);
    f("summary", summary);
    f("header", header);
    f("rows", rows);
    f("csv_href", csv_href);
    f("xlsx_href", xlsx_href);
    f("svg_href", svg_href);
  }
};

// /effects
struct OverviewOperator {
  std::string name, href, blocks;
  std::int64_t kpis = 0;
  std::string progress;  // mean progress of the KPIs with a target, "—" when none
  std::int64_t surveys = 0, analysed = 0;
  void fields(auto& f) const {
    f("name", name);
    f("href", href);
    f("blocks", blocks);
    f("kpis", kpis);
    f("progress", progress);
    f("surveys", surveys);
    f("analysed", analysed);
  }
};
struct OverviewView {
  bool has_operators = false;
  std::vector<OverviewOperator> operators;
  void fields(auto& f) const {
    f("has_operators", has_operators);
    f("operators", operators);
  }
};

// /effects/operators/{id}
struct KpiRow {
  std::string name, href, kind, unit, baseline, target, current, progress, block;
  std::optional<std::string> project;
  bool shared = false;
  std::int64_t periods = 0;
  void fields(auto& f) const {
    f("name", name);
    f("href", href);
    f("kind", kind);
    f("unit", unit);
    f("baseline", baseline);
    f("target", target);
    f("current", current);
    f("progress", progress);
    f("block", block);
    f("project", project);
    f("shared", shared);
    f("periods", periods);
  }
};
struct SurveyRow {
  std::string title, href, block, status;
  std::optional<std::string> project;
  void fields(auto& f) const {
    f("title", title);
    f("href", href);
    f("block", block);
    f("status", status);
    f("project", project);
  }
};
struct OperatorView {
  std::string name, blocks;
  bool can_edit = false;
  std::string new_kpi_href, new_survey_href;
  bool has_kpis = false;
  std::vector<KpiRow> kpis;
  std::vector<FigureView> figures;
  bool has_surveys = false;
  std::vector<SurveyRow> surveys;
  void fields(auto& f) const {
    f("name", name);
    f("blocks", blocks);
    f("can_edit", can_edit);
    f("new_kpi_href", new_kpi_href);
    f("new_survey_href", new_survey_href);
    f("has_kpis", has_kpis);
    f("kpis", kpis);
    f("figures", figures);
    f("has_surveys", has_surveys);
    f("surveys", surveys);
  }
};

// /effects/operators/{id}/kpis/new
struct KpiFormView {
  std::string title = "KPI を登録", submit_label = "登録する";
  std::optional<std::string> note;  // on the edit form: what happens to the actuals
  std::string operator_name, action, cancel_href;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::vector<SelectOption> shared, blocks, projects, kinds;
  std::string name, unit, baseline, target;
  bool cumulative = true;
  std::optional<std::string> shared_key_error, block_id_error, project_id_error, name_error, unit_error, kind_error,
      baseline_error, target_error;
  void fields(auto& f) const {
    f("title", title);
    f("submit_label", submit_label);
    f("note", note);
    f("operator_name", operator_name);
    f("action", action);
    f("cancel_href", cancel_href);
    f("has_errors", has_errors);
    f("errors", errors);
    f("shared", shared);
    f("blocks", blocks);
    f("projects", projects);
    f("kinds", kinds);
    f("name", name);
    f("unit", unit);
    f("baseline", baseline);
    f("target", target);
    f("cumulative", cumulative);
    f("shared_key_error", shared_key_error);
    f("block_id_error", block_id_error);
    f("project_id_error", project_id_error);
    f("name_error", name_error);
    f("unit_error", unit_error);
    f("kind_error", kind_error);
    f("baseline_error", baseline_error);
    f("target_error", target_error);
  }
};

// /effects/kpis/{id}
struct ActualRow {
  std::string period, value, source;
  std::optional<std::string> evidence;
  void fields(auto& f) const {
    f("period", period);
    f("value", value);
    f("source", source);
    f("evidence", evidence);
  }
};
struct KpiView {
  std::string name, operator_name, operator_href, kind, unit, baseline, target, current, progress, block, rule;
  std::optional<std::string> project;
  bool has_actuals = false;
  std::vector<ActualRow> actuals;
  bool can_edit = false;
  std::string action, delete_action, edit_href;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string period, value, source, evidence;
  std::optional<std::string> period_error, value_error, source_error, evidence_error;
  void fields(auto& f) const {
    f("name", name);
    f("operator_name", operator_name);
    f("operator_href", operator_href);
    f("kind", kind);
    f("unit", unit);
    f("baseline", baseline);
    f("target", target);
    f("current", current);
    f("progress", progress);
    f("block", block);
    f("rule", rule);
    f("project", project);
    f("has_actuals", has_actuals);
    f("actuals", actuals);
    f("can_edit", can_edit);
    f("action", action);
    f("delete_action", delete_action);
    f("edit_href", edit_href);
    f("has_errors", has_errors);
    f("errors", errors);
    f("period", period);
    f("value", value);
    f("source", source);
    f("evidence", evidence);
    f("period_error", period_error);
    f("value_error", value_error);
    f("source_error", source_error);
    f("evidence_error", evidence_error);
  }
};

// /effects/operators/{id}/surveys/new
struct SurveyFormView {
  std::string operator_name, action, cancel_href, title;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::vector<SelectOption> blocks, projects;
  std::optional<std::string> title_error, block_id_error, project_id_error;
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("action", action);
    f("cancel_href", cancel_href);
    f("title", title);
    f("has_errors", has_errors);
    f("errors", errors);
    f("blocks", blocks);
    f("projects", projects);
    f("title_error", title_error);
    f("block_id_error", block_id_error);
    f("project_id_error", project_id_error);
  }
};

// /effects/surveys/{id}
struct FileRow {
  std::string wave, file_name, size, uploaded_at, state, inspection;
  void fields(auto& f) const {
    f("wave", wave);
    f("file_name", file_name);
    f("size", size);
    f("uploaded_at", uploaded_at);
    f("state", state);
    f("inspection", inspection);
  }
};
struct ItemRow {
  std::string label, n, mean_pre, mean_post, diff, ci, t, df, p, v, p_wilcoxon, dz, effect, p_holm, sentence;
  bool improved = false;
  void fields(auto& f) const {
    f("label", label);
    f("n", n);
    f("mean_pre", mean_pre);
    f("mean_post", mean_post);
    f("diff", diff);
    f("ci", ci);
    f("t", t);
    f("df", df);
    f("p", p);
    f("v", v);
    f("p_wilcoxon", p_wilcoxon);
    f("dz", dz);
    f("effect", effect);
    f("p_holm", p_holm);
    f("sentence", sentence);
    f("improved", improved);
  }
};
struct FreeTextColumn {
  std::string column;
  std::vector<std::string> answers;
  void fields(auto& f) const {
    f("column", column);
    f("answers", answers);
  }
};
struct ResultsView {
  std::string analysed_at, respondents, pairs, care, api_href;
  std::optional<std::string> skipped;  // count of sheets left out, when any
  std::vector<ItemRow> items;
  std::vector<FigureView> figures;
  void fields(auto& f) const {
    f("analysed_at", analysed_at);
    f("respondents", respondents);
    f("pairs", pairs);
    f("care", care);
    f("api_href", api_href);
    f("skipped", skipped);
    f("items", items);
    f("figures", figures);
  }
};
struct SurveyView {
  std::string title, operator_name, operator_href, block, status;
  std::optional<std::string> project;
  bool can_edit = false;
  std::string upload_action, mapping_href, preview_href, max_size, delete_href;
  std::optional<std::string> upload_error;
  bool has_staged = false;
  bool has_mapping = false;
  bool has_files = false;
  std::vector<FileRow> files;
  std::optional<ResultsView> results;
  bool has_free_text = false;
  std::vector<FreeTextColumn> free_text;
  void fields(auto& f) const {
    f("title", title);
    f("operator_name", operator_name);
    f("operator_href", operator_href);
    f("block", block);
    f("status", status);
    f("project", project);
    f("can_edit", can_edit);
    f("upload_action", upload_action);
    f("mapping_href", mapping_href);
    f("preview_href", preview_href);
    f("max_size", max_size);
    f("delete_href", delete_href);
    f("upload_error", upload_error);
    f("has_staged", has_staged);
    f("has_mapping", has_mapping);
    f("has_files", has_files);
    f("files", files);
    f("results", results);
    f("has_free_text", has_free_text);
    f("free_text", free_text);
  }
};

// /effects/surveys/{id}/mapping
struct MappingColumn {
  std::string index, name, label, values;
  bool item = false, reversed = false, comment = false, in_both = false;
  std::optional<std::string> missing;  // 「事後のファイルにありません」
  void fields(auto& f) const {
    f("index", index);
    f("name", name);
    f("label", label);
    f("values", values);
    f("item", item);
    f("reversed", reversed);
    f("comment", comment);
    f("in_both", in_both);
    f("missing", missing);
  }
};
struct MappingView {
  std::string title, action, survey_href, scale;
  bool remembered = false;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::vector<SelectOption> respondents;
  std::vector<MappingColumn> columns;
  std::optional<std::string> respondent_error, items_error, scale_error;
  void fields(auto& f) const {
    f("title", title);
    f("action", action);
    f("survey_href", survey_href);
    f("scale", scale);
    f("remembered", remembered);
    f("has_errors", has_errors);
    f("errors", errors);
    f("respondents", respondents);
    f("columns", columns);
    f("respondent_error", respondent_error);
    f("items_error", items_error);
    f("scale_error", scale_error);
  }
};

// /effects/surveys/{id}/preview
struct PreviewView {
  std::string title, survey_href, mapping_href, run_action;
  std::int64_t pre_rows = 0, post_rows = 0, matched = 0, blank_keys = 0, items = 0;
  std::vector<std::string> only_pre, only_post, duplicates;
  bool has_only_pre = false, has_only_post = false, has_duplicates = false;
  void fields(auto& f) const {
    f("title", title);
    f("survey_href", survey_href);
    f("mapping_href", mapping_href);
    f("run_action", run_action);
    f("pre_rows", pre_rows);
    f("post_rows", post_rows);
    f("matched", matched);
    f("blank_keys", blank_keys);
    f("items", items);
    f("only_pre", only_pre);
    f("only_post", only_post);
    f("duplicates", duplicates);
    f("has_only_pre", has_only_pre);
    f("has_only_post", has_only_post);
    f("has_duplicates", has_duplicates);
  }
};

// /effects/rollup
struct RollupRow {
  std::string block;
  std::int64_t operators = 0, surveys = 0, items = 0, improved = 0;
  std::vector<std::string> cells;  // per shared indicator: "実績 / 目標"
  bool total = false;
  void fields(auto& f) const {
    f("block", block);
    f("operators", operators);
    f("surveys", surveys);
    f("items", items);
    f("improved", improved);
    f("cells", cells);
    f("total", total);
  }
};
struct RollupView {
  std::string scope;
  std::vector<std::string> indicators;
  std::vector<RollupRow> rows;
  std::vector<FigureView> figures;
  std::string chapter_md_href, chapter_docx_href;
  void fields(auto& f) const {
    f("scope", scope);
    f("indicators", indicators);
    f("rows", rows);
    f("figures", figures);
    f("chapter_md_href", chapter_md_href);
    f("chapter_docx_href", chapter_docx_href);
  }
};

}  // namespace kakehashi::web::effectsweb
