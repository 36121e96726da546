// The effects module's rules (R3.5, issue 20). Scope as in the operations module
// (operations/access.h): kViewOperations reaches every operator for METI and the secretariat, the
// blocks of their bureau for bureau users, their own organisation for operators; kEditOperatorPlan
// (secretariat, the operator itself) changes KPIs and surveys. Respondents' identifiers and
// free-text answers are personal data: only those who may edit the survey's operator see the
// files, the pairing preview with keys, the skipped-row reasons and the free text; results for
// everyone else are the aggregates. An object out of reach answers nullopt (screens: 404).
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "effects/model.h"
#include "operations/model.h"
#include "survey/analysis.h"
#include "survey/config.h"

namespace kakehashi::effects {

// ---------------------------------------------------------------------------------------------
// Scope
// The operators of the current programme year `who` may see with kViewOperations, in block order.
[[nodiscard]] Result<std::vector<operations::Operator>> visible_operators(db::Transaction& tx, const auth::Principal& who);
// The operator if `who` may see its effects (kViewOperations); nullopt otherwise.
[[nodiscard]] Result<std::optional<operations::Operator>> find_operator(db::Transaction& tx, const auth::Principal& who,
                                                                        std::int64_t operator_id);
// True when `who` may change the operator's KPIs and surveys and see their personal data.
[[nodiscard]] Result<bool> may_edit(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op);

// ---------------------------------------------------------------------------------------------
// KPIs
// Every problem of `draft` for operator `op` at once (fields as in the form: project_id,
// block_id, shared_key, name, unit, kind, baseline, target); `out` receives the parsed KPI.
std::vector<FieldError> validate(db::Transaction& tx, const auth::Principal& who, const KpiDraft& draft,
                                 const operations::Operator& op, Kpi& out);
std::vector<FieldError> validate(const ActualDraft& draft, Actual& out);

// The operator's KPIs with their actuals (the caller has checked the operator is visible).
[[nodiscard]] Result<std::vector<Kpi>> kpis_of(db::Transaction& tx, std::int64_t operator_id);
// The KPIs of every operator `who` may see (kViewOperations), by operator then id.
[[nodiscard]] Result<std::vector<Kpi>> visible_kpis(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<Kpi>> find_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id);
// kEditOperatorPlan on the operator; refused with validate()'s messages; audited "effects.kpi_create".
[[nodiscard]] Result<std::int64_t> create_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                              const KpiDraft& draft, Instant now);
// Records (or replaces) the actual of a period; audited "effects.kpi_actual".
[[nodiscard]] Result<void> record_actual(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id,
                                         const ActualDraft& draft, Instant now);
// Changes a KPI's definition (its actuals stay); refused with validate()'s messages; audited
// "effects.kpi_update" with the fields that changed.
[[nodiscard]] Result<void> update_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id,
                                      const KpiDraft& draft, Instant now);
// Removes a KPI and its actuals; audited "effects.kpi_delete".
[[nodiscard]] Result<void> delete_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id, Instant now);

// ---------------------------------------------------------------------------------------------
// Surveys
inline constexpr std::size_t kMaxSurveyBytes = 10 * 1024 * 1024;

std::vector<FieldError> validate(db::Transaction& tx, const auth::Principal& who, const SurveyDraft& draft,
                                 const operations::Operator& op, Survey& out);
[[nodiscard]] Result<std::vector<Survey>> surveys_of(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<std::vector<Survey>> visible_surveys(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<Survey>> find_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t id);
// Removes a survey with its files (respondents' answers) and results; kEditOperatorPlan on its
// operator. Audited "effects.survey_delete".
[[nodiscard]] Result<void> delete_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id, Instant now);
// Audited "effects.survey_create".
[[nodiscard]] Result<std::int64_t> create_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                                 const SurveyDraft& draft, Instant now);

// Inspects an uploaded export (the inspector in a child process, purpose kReview: personal data
// is expected; a file that cannot be read, of another type than CSV or XLSX, a bomb or a
// macro-carrying file is refused with a Japanese message).
[[nodiscard]] Result<InspectedUpload> inspect_upload(const std::filesystem::path& path, std::string file_name,
                                                     std::string sha256);

// An export read as a table: header and data rows (CSV in UTF-8, UTF-8 with BOM or Shift_JIS;
// XLSX, first sheet). Fails with a Japanese message naming the wave.
struct SheetRows {
  std::vector<std::string> headers;
  std::vector<csv::Row> rows;  // data rows with their line numbers
};
[[nodiscard]] Result<SheetRows> read_sheet(std::string_view bytes, std::string_view file_name, Wave wave);

// Stages the pre and post exports (replacing staged ones). With a remembered mapping the files
// must satisfy it (check()), else nothing is saved. Audited "effects.survey_upload".
[[nodiscard]] Result<void> stage_files(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id,
                                       const InspectedUpload& pre, const InspectedUpload& post, Instant now);
[[nodiscard]] Result<std::vector<SurveyFile>> files_of(db::Transaction& tx, std::int64_t survey_id);

// What the mapping screen shows: the columns of both staged files with their answers, and the
// mapping to pre-fill (the survey's remembered one, else a guess).
struct ColumnChoice {
  std::string name;
  bool in_pre = false, in_post = false;
  std::vector<std::string> values;  // distinct answers, most frequent first (capped)
  bool numeric = false;
};
struct MappingForm {
  std::vector<ColumnChoice> columns;
  SurveyMapping mapping;
  bool remembered = false;
};
[[nodiscard]] Result<MappingForm> mapping_form(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id);

// The pairing of respondents over the two staged files.
struct Pairing {
  std::size_t pre_rows = 0, post_rows = 0;
  std::size_t matched = 0;
  std::vector<std::string> only_pre, only_post;   // respondent keys (personal data)
  std::vector<std::string> duplicates;            // keys found more than once in one file ("事前: A12")
  std::size_t blank_keys = 0;
};

// Every problem of `mapping` for the staged files at once: no key column, a column missing in a
// file, answers outside the scale (mismatched scales), fewer than two pairs. Field names:
// respondent, items, scale.
[[nodiscard]] Result<std::vector<FieldError>> check(db::Transaction& tx, std::int64_t survey_id,
                                                    const SurveyMapping& mapping);
// Saves the mapping (remembered for the next upload) after check(); audited "effects.survey_mapping".
[[nodiscard]] Result<void> save_mapping(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id,
                                        const SurveyMapping& mapping, Instant now);
// The pairing of the staged files under the saved mapping (may_edit only).
[[nodiscard]] Result<Pairing> preview(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id);

// The engine's input from the staged files and mapping: one table (the respondent key, a wave
// column "回答時期" = 事前 / 事後, the items) and the configuration, as `kakehashi survey analyze`
// takes them (engine_csv writes the table as CSV).
struct EngineInput {
  std::vector<csv::Row> rows;
  survey::SurveyConfig config;
  std::string config_json;
};
[[nodiscard]] Result<EngineInput> engine_input(db::Transaction& tx, const Survey& survey, bool staged);

// Runs the engine on the staged files (refused when check() finds problems: nothing is saved),
// stores the result and makes the files the used ones. Audited "effects.survey_run".
[[nodiscard]] Result<void> run(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id, Instant now);

// The stored result as the engine wrote it (kakehashi survey analyze --format json). For readers
// who may not see personal data the skipped rows' reasons (they name respondents) and the
// excluded answers' texts are withheld.
[[nodiscard]] Result<boost::json::value> results_json(db::Transaction& tx, const auth::Principal& who, const Survey& survey);

// The free-text answers of the used files (may_edit only): column -> answers.
[[nodiscard]] Result<std::vector<std::pair<std::string, std::vector<std::string>>>> free_text(
    db::Transaction& tx, const auth::Principal& who, const Survey& survey);

// ---------------------------------------------------------------------------------------------
// Reading the results for officials
struct ItemVerdict {
  std::string column, label;
  std::size_t n = 0;
  std::optional<double> mean_pre, mean_post, mean_diff, dz, t, df, p, ci_low, ci_high, v, p_wilcoxon;
  std::optional<double> p_holm;  // Holm-adjusted over the survey's items (t-test p)
  std::string sentence;          // plain Japanese: 「有意に向上した」 only when it did
  std::string effect_label;      // 効果量: ごく小さい / 小さい / 中程度 / 大きい
};
struct SurveyReading {
  std::string title, pre_label, post_label;
  std::size_t respondents = 0, skipped = 0;
  std::vector<ItemVerdict> items;
  std::string care;  // the multiple-comparison note
};
// Reads the engine JSON (as stored) into verdicts. alpha = 0.05.
SurveyReading read_result(const boost::json::value& result);

}  // namespace kakehashi::effects
