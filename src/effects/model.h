// Effect verification (R3.5, issue 20): plain structs of the effects module. KPIs of the
// operators with actuals by period, and pre/post surveys whose statistics come from the survey
// engine (src/survey). No SQL and no rules here: store.h reads and writes them, service.h
// applies the rules (validation, scope per object, audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "operations/model.h"

namespace kakehashi::effects {

using Instant = std::chrono::sys_seconds;
using operations::FieldError;

// ---------------------------------------------------------------------------------------------
// KPIs
enum class KpiKind { kIndustry, kEducation, kActivity };
std::string_view to_string(KpiKind kind);               // "industry" / "education" / "activity"
std::optional<KpiKind> kpi_kind_from(std::string_view text);
std::string_view kpi_kind_label(KpiKind kind);          // 産業への効果 / 教育への効果 / 活動量

// An indicator every operator reports, rolled up across blocks.
struct SharedIndicator {
  std::string_view key;   // "schools"
  std::string_view name;  // 参加学校数
  std::string_view unit;  // 校
  KpiKind kind;
};
std::span<const SharedIndicator> shared_indicators();
const SharedIndicator* find_shared_indicator(std::string_view key);

struct Actual {
  std::int64_t id = 0;
  std::int64_t kpi_id = 0;
  std::string period;  // "2026-10" (month) or "2026-T2" (school term)
  double value = 0;
  std::string source;
  std::string evidence;
  std::string recorded_at;
};

// "2026年10月" / "2026年度 2学期"; the text itself when not a period.
std::string period_label(std::string_view period);
// True for "YYYY-MM" (01–12) and "YYYY-T1".."YYYY-T3".
bool valid_period(std::string_view period);

struct Kpi {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::optional<std::int64_t> project_id;
  std::string block_id;
  std::string name;
  std::string unit;
  KpiKind kind = KpiKind::kActivity;
  std::string shared_key;   // "" or a SharedIndicator key
  bool cumulative = true;   // actuals add up (counts per period); else the latest actual is the level
  double baseline = 0;
  double target = 0;
  std::vector<Actual> actuals;  // by period
  std::string created_at;
  std::string updated_at;

  // The level reached: baseline + the sum of actuals (cumulative), or the latest actual (else;
  // the baseline before any).
  double current() const;
  // Progress from baseline to target in percent (may pass 100); nullopt when target = baseline.
  std::optional<double> progress() const;
};

// The KPI form as typed (numbers as text so that a refused form keeps them).
struct KpiDraft {
  std::string project_id;  // "" or a project of the operator
  std::string block_id;
  std::string shared_key;  // "" for an indicator of the operator's own
  std::string name;
  std::string unit;
  std::string kind;
  std::string cumulative = "1";
  std::string baseline = "0";
  std::string target;
};

struct ActualDraft {
  std::string period;
  std::string value;
  std::string source;
  std::string evidence;
};

// ---------------------------------------------------------------------------------------------
// Surveys
struct SurveyItemMapping {
  std::string column;  // header of the question (in both files)
  std::string label;   // what charts show; the column when empty
  bool reversed = false;
};

// Which columns hold what, remembered per survey for the next upload.
struct SurveyMapping {
  std::string respondent;                 // header of the respondent key (e.g. 出席番号, メール)
  std::vector<SurveyItemMapping> items;   // the Likert items analysed
  std::vector<std::string> scale;         // answer labels from lowest to highest (1 … n); empty: numbers
  std::vector<std::string> comments;      // free-text columns (personal data)
  bool empty() const { return respondent.empty() && items.empty(); }
};
std::string to_json(const SurveyMapping& mapping);
SurveyMapping mapping_from_json(std::string_view json);

struct Survey {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::optional<std::int64_t> project_id;
  std::string block_id;
  std::string title;
  SurveyMapping mapping;
  std::string config;  // engine configuration JSON of the last run ("" before)
  std::string result;  // engine result JSON of the last run ("" before)
  std::int64_t pairs = 0;
  std::optional<std::string> analysed_at;
  std::string created_at;
  std::string updated_at;
  bool analysed() const { return !result.empty(); }
};

struct SurveyDraft {
  std::string project_id;
  std::string block_id;
  std::string title;
};

enum class Wave { kPre, kPost };
std::string_view to_string(Wave wave);    // "pre" / "post"
std::string_view wave_label(Wave wave);   // 事前 / 事後

struct SurveyFile {
  std::int64_t id = 0;
  std::int64_t survey_id = 0;
  Wave wave = Wave::kPre;
  bool staged = true;  // else used by the last result
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string inspection;
  std::string uploaded_at;
};

// An upload after the inspector: its bytes and the inspector's summary.
struct InspectedUpload {
  std::string file_name;
  std::string sha256;
  std::string bytes;
  std::string inspection;  // JSON
};

}  // namespace kakehashi::effects
