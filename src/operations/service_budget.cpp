#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "audit/audit.h"
#include "base/text.h"
#include "operations/budget.h"
#include "operations/service.h"
#include "operations/store_budget.h"

namespace kakehashi::operations {
namespace {

std::string month_of(Date d) { return d.iso().substr(0, 7); }

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::size_t category_index(std::string_view category) {
  for (std::size_t i = 0; i < kPlanCategories.size(); ++i) {
    if (kPlanCategories[i] == category) return i;
  }
  return kPlanCategories.size();
}

Result<void> require(const auth::Principal& who, auth::Action action, const char* message) {
  if (!auth::may(who, action)) return fail(Error::denied(message));
  return {};
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::string object, Instant now,
                     const boost::json::object& detail) {
  auto logged = audit::record(
      tx, audit::entry_by(audit::Actor::user(who.user_id), std::move(action), std::move(object), boost::json::serialize(detail)),
      now);
  if (!logged) return fail(logged.error());
  return {};
}

// "2026-08" -> "2026-09"
std::string next_month(const std::string& month) {
  int year = std::stoi(month.substr(0, 4));
  int m = std::stoi(month.substr(5, 2));
  if (++m > 12) {
    m = 1;
    ++year;
  }
  return fmt::format("{:04}-{:02}", year, m);
}

bool plausible_month(const std::string& month) {
  return month.size() == 7 && month[4] == '-' && Date::parse(month + "-01").has_value();
}

}  // namespace

std::optional<FieldError> check_receipt(const std::string& content_type, std::int64_t size) {
  if (content_type != "application/pdf" && content_type != "image/jpeg" && content_type != "image/png")
    return FieldError{"receipt", "領収書は PDF・JPEG・PNG のファイルを選んでください"};
  if (size > kReceiptLimit) return FieldError{"receipt", "領収書のファイルは 5 MB 以内にしてください"};
  if (size <= 0) return FieldError{"receipt", "領収書のファイルが空です"};
  return std::nullopt;
}

std::vector<FieldError> read_expense(const ExpenseForm& form, Expense& out) {
  std::vector<FieldError> errors;
  std::string spent = trimmed(form.spent_on);
  if (spent.empty()) {
    errors.push_back({"spent_on", "支出日を入力してください"});
  } else if (auto d = Date::parse(spent)) {
    out.spent_on = *d;
  } else {
    errors.push_back({"spent_on", "支出日は 2026-12-25 の形式で入力してください"});
  }
  if (auto c = expense_category_from(form.category)) {
    out.category = *c;
  } else {
    errors.push_back({"category", "費目を選んでください"});
  }
  out.budget_line = trimmed(form.budget_line);
  if (text::count_code_points(out.budget_line) > 100)
    errors.push_back({"budget_line", "予算科目は 100 文字以内で入力してください"});
  out.description = trimmed(form.description);
  if (out.description.empty()) errors.push_back({"description", "内容を入力してください"});
  if (text::count_code_points(out.description) > 500)
    errors.push_back({"description", "内容は 500 文字以内で入力してください"});
  if (form.amount) {
    if (*form.amount <= 0) {
      errors.push_back({"amount", "金額は 1 円以上で入力してください"});
    } else {
      out.amount = *form.amount;
    }
  }
  return errors;
}

Result<std::vector<Expense>> expenses(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id) {
  if (auto r = require(who, auth::Action::kViewBudget, "予算を閲覧する権限がありません"); !r) return fail(r.error());
  return store::expenses_of(tx, call_id);
}

Result<std::optional<Expense>> find_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::may(who, auth::Action::kViewBudget)) return std::optional<Expense>{};
  return store::find_expense(tx, id);
}

Result<std::optional<Receipt>> expense_receipt(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::may(who, auth::Action::kViewBudget)) return std::optional<Receipt>{};
  return store::expense_receipt(tx, id);
}

Result<std::int64_t> add_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id,
                                 const Expense& given, const std::optional<Receipt>& receipt, Instant now) {
  if (auto r = require(who, auth::Action::kManageBudget, "支出を記録する権限がありません"); !r) return fail(r.error());
  if (given.amount <= 0) return fail(Error::invalid("金額は 1 円以上で入力してください"));
  if (given.description.empty()) return fail(Error::invalid("内容を入力してください"));
  if (receipt) {
    if (auto problem = check_receipt(receipt->content_type, std::int64_t(receipt->bytes.size())))
      return fail(Error::invalid(problem->message));
  }
  Expense e = given;
  e.call_id = call_id;
  auto id = store::insert_expense(tx, e, receipt, now, who.user_id);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.expense", fmt::format("expense:{}", *id), now,
                       {{"call", call_id}, {"category", to_string(e.category)}, {"amount", e.amount},
                        {"receipt", receipt.has_value()}});
      !r)
    return fail(r.error());
  return id;
}

Result<void> update_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const Expense& given,
                            const std::optional<Receipt>& receipt, bool remove_receipt, Instant now) {
  if (auto r = require(who, auth::Action::kManageBudget, "支出を変更する権限がありません"); !r) return r;
  auto existing = store::find_expense(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("支出が見つかりません"));
  if (given.amount <= 0) return fail(Error::invalid("金額は 1 円以上で入力してください"));
  if (receipt) {
    if (auto problem = check_receipt(receipt->content_type, std::int64_t(receipt->bytes.size())))
      return fail(Error::invalid(problem->message));
  }
  if (auto r = store::update_expense(tx, id, given); !r) return r;
  if (receipt || remove_receipt) {
    if (auto r = store::set_receipt(tx, id, receipt); !r) return r;
  }
  return audited(tx, who, "operation.expense_update", fmt::format("expense:{}", id), now,
                 {{"call", (*existing)->call_id}, {"category", to_string(given.category)}, {"amount", given.amount},
                  {"receipt", receipt ? "replaced" : remove_receipt ? "removed" : "kept"}});
}

Result<void> delete_expense(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  if (auto r = require(who, auth::Action::kManageBudget, "支出を削除する権限がありません"); !r) return r;
  auto existing = store::find_expense(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("支出が見つかりません"));
  if (auto r = store::delete_expense(tx, id); !r) return r;
  return audited(tx, who, "operation.expense_delete", fmt::format("expense:{}", id), now,
                 {{"call", (*existing)->call_id}, {"amount", (*existing)->amount}});
}

std::string_view plan_category_label(std::string_view category) {
  if (category == "operators") return "実証事業者（委託費）";
  if (auto c = expense_category_from(category)) return expense_category_label(*c);
  return category;
}

Result<std::vector<std::string>> budget_months(db::Transaction& tx, std::int64_t call_id) {
  std::set<std::string> months;
  auto ops = all_operators(tx, call_id);
  if (!ops) return fail(ops.error());
  std::optional<std::string> first, last;
  for (const Operator& op : *ops) {
    std::string a = month_of(op.contract_from), b = month_of(op.contract_to);
    if (!first || a < *first) first = a;
    if (!last || b > *last) last = b;
  }
  auto spent = store::expenses_of(tx, call_id);
  if (!spent) return fail(spent.error());
  for (const Expense& e : *spent) months.insert(month_of(e.spent_on));
  auto plan = store::plan_of(tx, call_id);
  if (!plan) return fail(plan.error());
  for (const auto& [key, planned] : *plan) months.insert(key.first);
  if (!months.empty()) {
    if (!first || *months.begin() < *first) first = *months.begin();
    if (!last || *months.rbegin() > *last) last = *months.rbegin();
  }
  std::vector<std::string> out;
  if (!first) return out;
  for (std::string m = *first; m <= *last && out.size() < 120; m = next_month(m)) out.push_back(m);
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> accrue_by_month(std::int64_t amount, Date from, Date to, Date today) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (to < from || amount <= 0) return out;
  std::int64_t total_days = to.days_since(from) + 1;
  Date end = std::min(to, today);
  if (end < from) return out;
  // Walk month by month: elapsed days at the end of each month's part.
  Date cursor = from;
  std::int64_t before = 0;  // days accrued before the cursor
  while (cursor <= end) {
    Date month_end = cursor.month() == 12 ? *Date::from_ymd(cursor.year() + 1, 1, 1) : *Date::from_ymd(cursor.year(), cursor.month() + 1, 1);
    month_end = month_end.plus_days(-1);
    Date part_end = std::min(month_end, end);
    std::int64_t after = before + part_end.days_since(cursor) + 1;
    std::int64_t yen = amount * after / total_days - amount * before / total_days;
    out.emplace_back(month_of(cursor), yen);
    before = after;
    cursor = part_end.plus_days(1);
  }
  return out;
}

Result<void> save_plan(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id,
                       const std::vector<PlanCell>& cells, Instant now) {
  if (auto r = require(who, auth::Action::kManageBudget, "予算計画を変更する権限がありません"); !r) return r;
  auto months = budget_months(tx, call_id);
  if (!months) return fail(months.error());
  std::int64_t total = 0;
  for (const PlanCell& c : cells) {
    if (!plausible_month(c.month) || std::ranges::find(*months, c.month) == months->end())
      return fail(Error::invalid(fmt::format("計画の月が正しくありません: {}", c.month)));
    if (category_index(c.category) == kPlanCategories.size())
      return fail(Error::invalid(fmt::format("計画の費目が正しくありません: {}", c.category)));
    if (c.planned < 0) return fail(Error::invalid("計画額は 0 円以上で入力してください"));
    total += c.planned;
  }
  if (auto r = store::replace_plan(tx, call_id, cells); !r) return r;
  return audited(tx, who, "operation.budget_plan", fmt::format("budget_plan:{}", call_id), now, {{"total", total}});
}

Result<BudgetSummary> budget_summary(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id, Date today) {
  if (auto r = require(who, auth::Action::kViewBudget, "予算を閲覧する権限がありません"); !r) return fail(r.error());
  BudgetSummary s;
  s.call_id = call_id;
  auto set = settings(tx);
  if (!set) return fail(set.error());
  s.cap = set->programme_cap;
  auto months = budget_months(tx, call_id);
  if (!months) return fail(months.error());
  for (const std::string& m : *months) s.months.push_back(MonthLine{.month = m});
  auto line_of = [&](const std::string& month) -> MonthLine* {
    for (MonthLine& l : s.months) {
      if (l.month == month) return &l;
    }
    return nullptr;
  };
  auto ops = all_operators(tx, call_id);
  if (!ops) return fail(ops.error());
  for (const Operator& op : *ops) {
    ContractLine c{op.id, op.name, {}, op.contract_amount, op.contract_from, op.contract_to};
    for (const OperatorBlock& b : op.blocks) c.blocks.push_back(b.block_id);
    s.contract_total += op.contract_amount;
    s.contracts.push_back(std::move(c));
    for (const auto& [month, yen] : accrue_by_month(op.contract_amount, op.contract_from, op.contract_to, today)) {
      if (MonthLine* l = line_of(month)) l->actual[0] += yen;
    }
  }
  auto spent = store::expenses_of(tx, call_id);
  if (!spent) return fail(spent.error());
  for (const Expense& e : *spent) {
    std::size_t i = category_index(to_string(e.category));
    s.expense_by_category[i - 1] += e.amount;
    s.expense_total += e.amount;
    if (MonthLine* l = line_of(month_of(e.spent_on))) l->actual[i] += e.amount;
  }
  auto plan = store::plan_of(tx, call_id);
  if (!plan) return fail(plan.error());
  for (const auto& [key, planned] : *plan) {
    std::size_t i = category_index(key.second);
    MonthLine* l = line_of(key.first);
    if (l && i < kPlanCategories.size()) l->planned[i] += planned;
  }
  for (MonthLine& l : s.months) {
    for (std::size_t i = 0; i < kPlanCategories.size(); ++i) {
      l.planned_total += l.planned[i];
      l.actual_total += l.actual[i];
      s.totals.planned[i] += l.planned[i];
      s.totals.actual[i] += l.actual[i];
    }
    s.totals.planned_total += l.planned_total;
    s.totals.actual_total += l.actual_total;
  }
  s.committed = s.contract_total + s.expense_total;
  s.remaining = s.cap - s.committed;
  return s;
}

}  // namespace kakehashi::operations
