// Red flags (flags.h): pure computations on facts, and the facts read from the database.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "operations/flags.h"
#include "operations/service.h"
#include "operations/store_flags.h"
#include "operations/store_milestones.h"

namespace kakehashi::operations {
namespace {

std::string month_day(Date day) { return fmt::format("{}月{}日", day.month(), day.day()); }

std::string yen(std::int64_t amount) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (amount < 0 ? "-" : "") + out + " 円";
}

// The share of [from, to] elapsed on `today` (0 before, 1 after), counting both ends.
double elapsed_share(Date from, Date to, Date today) {
  if (today < from) return 0;
  if (today >= to) return 1;
  return double(today.days_since(from) + 1) / double(to.days_since(from) + 1);
}

Date fiscal_year_start(Date day) {
  int year = day.month() >= 4 ? day.year() : day.year() - 1;
  return *Date::from_ymd(year, 4, 1);
}

int days_in_month(int year, unsigned month) {
  auto first = *Date::from_ymd(year, month, 1);
  auto next = month == 12 ? *Date::from_ymd(year + 1, 1, 1) : *Date::from_ymd(year, month + 1, 1);
  return next.days_since(first);
}

}  // namespace

int flag_severity(FlagKind kind) {
  switch (kind) {
    case FlagKind::kMilestoneOverdue: return 0;
    case FlagKind::kProjectsBehind: return 1;
    case FlagKind::kNoActivity: return 2;
    case FlagKind::kBudgetAhead: return 3;
    case FlagKind::kBudgetBehind: return 4;
  }
  return 5;
}

std::vector<Flag> operator_flags(const OperatorFacts& facts, int inactivity_weeks, Date today) {
  std::vector<Flag> out;
  const Operator& op = facts.op;
  for (const Milestone& m : facts.milestones) {
    if (m.status == MilestoneStatus::kDone || m.status == MilestoneStatus::kCancelled) continue;
    if (!(m.due_on < today)) continue;
    out.push_back({FlagKind::kMilestoneOverdue, op.id, m.id,
                   fmt::format("マイルストーン「{}」の期限（{}）を {} 日過ぎています", m.title, month_day(m.due_on),
                               today.days_since(m.due_on))});
  }
  // Projects behind the operator's own target, pro rata over the contract period.
  if (op.project_target > 0) {
    double share = elapsed_share(op.contract_from, op.contract_to, today);
    int expected = int(std::floor(op.project_target * share));
    int tolerance = std::max(1, int(std::ceil(op.project_target * 0.1)));
    if (facts.project_count < expected - tolerance) {
      out.push_back({FlagKind::kProjectsBehind, op.id, std::nullopt,
                     fmt::format("プロジェクト数が目標に届いていません（現在 {} 件。目標 {} 件の期間按分では {} 件）",
                                 facts.project_count, op.project_target, expected)});
    }
  }
  // No activity for N weeks, never in the first N weeks of the contract.
  const int window = inactivity_weeks * 7;
  if (today.days_since(op.contract_from) >= window) {
    Date since = facts.last_activity ? std::max(*facts.last_activity, op.contract_from) : op.contract_from;
    int quiet = today.days_since(since);
    if (quiet >= window) {
      out.push_back({FlagKind::kNoActivity, op.id, std::nullopt,
                     facts.last_activity
                         ? fmt::format("{} 週間以上活動の記録がありません（最後の記録: {}）", inactivity_weeks,
                                       month_day(*facts.last_activity))
                         : fmt::format("契約開始（{}）から {} 週間以上活動の記録がありません", month_day(op.contract_from),
                                       inactivity_weeks)});
    }
  }
  std::ranges::stable_sort(out, {}, [](const Flag& f) { return flag_severity(f.kind); });
  return out;
}

std::int64_t spent_to_date(const BudgetFacts& facts, Date today) {
  double operators = 0;
  for (const Operator& op : facts.operators)
    operators += double(op.contract_amount) * elapsed_share(op.contract_from, op.contract_to, today);
  return facts.expenses_to_date + std::int64_t(std::llround(operators));
}

std::int64_t planned_to_date(const BudgetFacts& facts, Date today) {
  if (facts.plan_by_month.empty()) {
    Date start = fiscal_year_start(today);
    return std::int64_t(std::llround(double(facts.programme_cap) * elapsed_share(start, fiscal_year_end(today), today)));
  }
  std::string current = today.iso().substr(0, 7);
  double planned = 0;
  for (const auto& [month, amount] : facts.plan_by_month) {
    if (month < current) {
      planned += double(amount);
    } else if (month == current) {
      planned += double(amount) * double(today.day()) / double(days_in_month(today.year(), today.month()));
    }
  }
  return std::int64_t(std::llround(planned));
}

std::vector<Flag> budget_flags(const BudgetFacts& facts, Date today) {
  std::vector<Flag> out;
  std::int64_t planned = planned_to_date(facts, today);
  std::int64_t spent = spent_to_date(facts, today);
  if (planned <= 0) return out;
  const char* basis = facts.plan_by_month.empty() ? "予算上限の年度内均等配分" : "月別の執行計画";
  if (double(spent) > double(planned) * kBudgetAheadRatio) {
    out.push_back({FlagKind::kBudgetAhead, 0, std::nullopt,
                   fmt::format("予算の執行が計画より進んでいます（執行見込み {}、{}では {}）", yen(spent), basis,
                               yen(planned))});
  } else if (double(spent) < double(planned) * kBudgetBehindRatio) {
    out.push_back({FlagKind::kBudgetBehind, 0, std::nullopt,
                   fmt::format("予算の執行が計画より大きく遅れています（執行見込み {}、{}では {}）", yen(spent), basis,
                               yen(planned))});
  }
  return out;
}

Result<std::map<std::int64_t, std::vector<Flag>>> flags_of(db::Transaction& tx, const std::vector<Operator>& operators,
                                                           Date today) {
  std::map<std::int64_t, std::vector<Flag>> out;
  if (operators.empty()) return out;
  auto s = settings(tx);
  if (!s) return fail(s.error());
  // The operators of one programme year in a few statements (the dashboard shows all ten).
  std::map<std::int64_t, std::vector<Milestone>> milestones;
  std::map<std::int64_t, Date> activity;
  std::map<std::int64_t, int> projects;
  std::set<std::int64_t> calls;
  for (const Operator& op : operators) calls.insert(op.call_id);
  for (std::int64_t call_id : calls) {
    auto all = store::milestones_of_call(tx, call_id);
    if (!all) return fail(all.error());
    for (Milestone& m : *all) milestones[m.operator_id].push_back(std::move(m));
    auto last = store::last_activity(tx, call_id, today);
    if (!last) return fail(last.error());
    activity.merge(*last);
    auto counts = store::project_counts_of_call(tx, call_id);
    if (!counts) return fail(counts.error());
    projects.merge(*counts);
  }
  for (const Operator& op : operators) {
    OperatorFacts facts{op, milestones[op.id], std::nullopt, projects[op.id]};
    if (auto it = activity.find(op.id); it != activity.end()) facts.last_activity = it->second;
    out[op.id] = operator_flags(facts, s->inactivity_weeks, today);
  }
  return out;
}

Result<std::vector<Flag>> programme_budget_flags(db::Transaction& tx, std::int64_t call_id, Date today) {
  auto s = settings(tx);
  if (!s) return fail(s.error());
  BudgetFacts facts;
  facts.programme_cap = s->programme_cap;
  auto expenses = store::expenses_to(tx, call_id, today);
  if (!expenses) return fail(expenses.error());
  facts.expenses_to_date = *expenses;
  auto ops = all_operators(tx, call_id);
  if (!ops) return fail(ops.error());
  facts.operators = std::move(*ops);
  auto plan = store::budget_plan(tx, call_id);
  if (!plan) return fail(plan.error());
  facts.plan_by_month = std::move(*plan);
  return budget_flags(facts, today);
}

Result<ProgrammeCounts> programme_counts(db::Transaction& tx, std::int64_t call_id) {
  return store::programme_counts(tx, call_id);
}

}  // namespace kakehashi::operations
