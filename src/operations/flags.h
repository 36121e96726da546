// Red flags of the programme year (R3.1, issue 15), computed from the data on a given day and
// never stored, each with its reason in Japanese:
// - 期限超過: a milestone past its due date that is neither 完了 nor 中止;
// - 活動なし: no activity for `inactivity_weeks` weeks (activity: a project session held, a
//   milestone created or changed by the operator side — the secretariat's review does not count —,
//   evidence added, a support log), counted from the contract start
//   when there is none yet — so never in the first N weeks of the contract;
// - プロジェクト遅れ: fewer projects than the operator's own target pro rata over the contract
//   period, less a tolerance of a tenth of the target (at least one project);
// - 予算（先行／遅れ）, programme level: spending to date (the secretariat's expenses plus each
//   operator's contract amount pro rata over its contract period) against the plan to date (the
//   monthly budget_plan when there is one, the current month pro rata; else the programme cap
//   linear over the fiscal year): ahead when above 120 % of the plan, far behind below 50 %.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// What the flags of one operator are computed from.
struct OperatorFacts {
  Operator op;
  std::vector<Milestone> milestones;
  std::optional<Date> last_activity;
  int project_count = 0;
};

// What the programme-level budget flags are computed from.
struct BudgetFacts {
  std::int64_t programme_cap = 0;
  std::int64_t expenses_to_date = 0;
  std::vector<Operator> operators;
  std::map<std::string, std::int64_t> plan_by_month;  // "2026-08" -> yen (empty: no plan)
};

// Thresholds, exposed for the tests and the user guide.
inline constexpr double kBudgetAheadRatio = 1.2;
inline constexpr double kBudgetBehindRatio = 0.5;

// Pure computations (tests use a fixed `today`).
std::vector<Flag> operator_flags(const OperatorFacts& facts, int inactivity_weeks, Date today);
std::vector<Flag> budget_flags(const BudgetFacts& facts, Date today);
// Planned and spent yen to `today` (for the dashboard's budget line).
std::int64_t planned_to_date(const BudgetFacts& facts, Date today);
std::int64_t spent_to_date(const BudgetFacts& facts, Date today);

// From the database: the flags of each given operator (by operator id) on `today`.
[[nodiscard]] Result<std::map<std::int64_t, std::vector<Flag>>> flags_of(db::Transaction& tx,
                                                                         const std::vector<Operator>& operators,
                                                                         Date today);
// The programme's budget flags (call `call_id`) on `today`.
[[nodiscard]] Result<std::vector<Flag>> programme_budget_flags(db::Transaction& tx, std::int64_t call_id, Date today);

// The dashboard's counts for the programme year, per block (so that a reader's totals cover
// only the blocks in reach).
struct ProgrammeCounts {
  std::map<std::string, std::map<std::string, int>> block_category;     // block -> "hito" -> projects
  std::map<std::string, std::map<std::string, int>> block_school_type;  // block -> school type -> projects with one
  std::map<std::string, int> block_sessions;                            // block -> sessions
};
[[nodiscard]] Result<ProgrammeCounts> programme_counts(db::Transaction& tx, std::int64_t call_id);

// "期限超過" … the worst first: overdue, projects behind, no activity, budget.
int flag_severity(FlagKind kind);

}  // namespace kakehashi::operations
