// The programme's money (R9.1), in integer yen: the operators' contract amounts against the
// programme cap (settings().programme_cap), the secretariat's own expenses with receipt files and
// budget lines, the monthly plan (month × category, 'operators' included) and plan vs actual.
// Read with kViewBudget (secretariat, METI), written with kManageBudget (secretariat); audited.
//
// The rule of "actual" per month: an expense counts in the month of its date; an operator's
// contract amount accrues linearly per calendar day of its contract period (the period's first to
// last day inclusive), only for days up to `today` — the money the programme has committed to so
// far, not the payments (which are not recorded here). Yen are apportioned by the cumulative
// floor of amount × days / total days, so the months of a contract add up to its amount exactly.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "auth/roles.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// A receipt as uploaded: PDF, JPEG or PNG (content sniffed by the caller), at most kReceiptLimit.
inline constexpr std::int64_t kReceiptLimit = 5 * 1024 * 1024;
struct Receipt {
  std::string name;
  std::string content_type;  // application/pdf, image/jpeg, image/png
  std::string bytes;
  std::string sha256;
};
// The problem of a receipt (field "receipt"), or nullopt when it may be stored.
std::optional<FieldError> check_receipt(const std::string& content_type, std::int64_t size);

// An expense as typed (the amount already parsed by the screen: parse_yen accepts commas and
// full-width digits; nullopt means the screen reported the amount).
struct ExpenseForm {
  std::string spent_on;
  std::string category;
  std::string budget_line;
  std::string description;
  std::optional<std::int64_t> amount;
};
std::vector<FieldError> read_expense(const ExpenseForm& form, Expense& out);

// The expenses of the programme year, newest first.
[[nodiscard]] Result<std::vector<Expense>> expenses(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id);
// nullopt when absent or when `who` may not read the budget.
[[nodiscard]] Result<std::optional<Expense>> find_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id);
[[nodiscard]] Result<std::optional<Receipt>> expense_receipt(db::Transaction& tx, const auth::Principal& who,
                                                             std::int64_t id);
// kManageBudget; audited "operation.expense" / "operation.expense_update" / "operation.expense_delete".
[[nodiscard]] Result<std::int64_t> add_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id,
                                               const Expense& expense, const std::optional<Receipt>& receipt, Instant now);
// `receipt` replaces the stored one when given; `remove_receipt` drops it.
[[nodiscard]] Result<void> update_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                          const Expense& expense, const std::optional<Receipt>& receipt,
                                          bool remove_receipt, Instant now);
[[nodiscard]] Result<void> delete_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);

// The plan's categories in display order: 実証事業者（委託費） then the four expense categories.
inline constexpr std::array<std::string_view, 5> kPlanCategories = {"operators", "venue", "speakers", "publicity", "other"};
std::string_view plan_category_label(std::string_view category);

struct PlanCell {
  std::string month;  // "2026-08"
  std::string category;
  std::int64_t planned = 0;
};
// Replaces the plan of the programme year (kManageBudget); months and categories must be those of
// the year (budget_months) and kPlanCategories. Audited "operation.budget_plan".
[[nodiscard]] Result<void> save_plan(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id,
                                     const std::vector<PlanCell>& cells, Instant now);

struct ContractLine {
  std::int64_t operator_id = 0;
  std::string name;
  std::vector<std::string> blocks;  // block ids
  std::int64_t amount = 0;
  Date from;
  Date to;
};

struct MonthLine {
  std::string month;                        // "2026-08"
  std::array<std::int64_t, 5> planned{};    // by kPlanCategories
  std::array<std::int64_t, 5> actual{};
  std::int64_t planned_total = 0;
  std::int64_t actual_total = 0;
};

struct BudgetSummary {
  std::int64_t call_id = 0;
  std::int64_t cap = 0;
  std::vector<ContractLine> contracts;
  std::int64_t contract_total = 0;
  std::array<std::int64_t, 4> expense_by_category{};  // venue, speakers, publicity, other
  std::int64_t expense_total = 0;
  std::int64_t committed = 0;  // contracts + expenses
  std::int64_t remaining = 0;  // cap − committed (negative when over)
  std::vector<MonthLine> months;
  MonthLine totals;  // month empty
};

// The months of the programme year: from the month of the earliest contract start to that of the
// latest contract end, widened to months with expenses or plan entries.
[[nodiscard]] Result<std::vector<std::string>> budget_months(db::Transaction& tx, std::int64_t call_id);

// Everything the budget page and the API show (kViewBudget; denied otherwise).
[[nodiscard]] Result<BudgetSummary> budget_summary(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id,
                                                   Date today);

// Splits `amount` over the months of [from, to] by days, accruing only days up to `today`
// (cumulative floor, see the header comment). Pairs of ("YYYY-MM", yen).
std::vector<std::pair<std::string, std::int64_t>> accrue_by_month(std::int64_t amount, Date from, Date to, Date today);

}  // namespace kakehashi::operations
