// The operations module's to-dos on the role's home (issue 16 item 7), through the module's
// services only: the secretariat sees milestones awaiting review and the red flags; operators
// their milestones returned for work (要対応) or due within two weeks; bureaus the flags of their
// block's operators. Each links to the page where the next step is done.
#include <fmt/format.h>

#include <map>

#include "base/date.h"
#include "operations/flags.h"
#include "operations/milestones.h"
#include "operations/service.h"
#include "web/handlers/operations/common.h"

namespace kakehashi::web {
namespace {

constexpr const char* kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
constexpr int kDueSoonDays = 14;

std::string month_day(Date date) {
  return fmt::format("{}月{}日（{}）", date.month(), date.day(), kWeekdays[date.weekday()]);
}

Result<std::vector<HomeTask>> operations_tasks(db::Transaction& tx, const auth::Principal& who,
                                               std::chrono::sys_seconds now) {
  std::vector<HomeTask> out;
  const bool secretariat = who.has(auth::Role::kSecretariat);
  const bool operator_side = who.has(auth::Role::kOperator) && who.organisation_id;
  const bool bureau = who.has(auth::Role::kBureau) && who.block_id;
  if (!secretariat && !operator_side && !bureau) return out;
  auto call_id = operations::current_programme(tx);
  if (!call_id) return fail(call_id.error());
  if (!*call_id) return out;
  auto ops = operations::list_operators(tx, who, **call_id);
  if (!ops) return fail(ops.error());
  if (ops->empty()) return out;
  const Date today = tokyo_date(now);
  std::map<std::int64_t, const operations::Operator*> by_id;
  for (const auto& op : *ops) by_id[op.id] = &op;

  if (secretariat || bureau) {
    auto flags = operations::flags_of(tx, *ops, today);
    if (!flags) return fail(flags.error());
    for (const auto& op : *ops) {
      auto found = flags->find(op.id);
      if (found == flags->end()) continue;
      for (const auto& flag : found->second) {
        HomeTask task{.section = secretariat ? "secretariat" : "bureau",
                      .text = fmt::format("「{}」{}: {}", op.name, operations::flag_kind_label(flag.kind), flag.reason),
                      .href = flag.milestone_id ? fmt::format("/operations/milestones/{}", *flag.milestone_id)
                                                : fmt::format("/operations/operators/{}", op.id),
                      .urgent = flag.kind == operations::FlagKind::kMilestoneOverdue};
        out.push_back(task);
        if (secretariat && bureau) {
          task.section = "bureau";
          out.push_back(std::move(task));
        }
      }
    }
  }
  if (!secretariat && !operator_side) return out;
  auto rows = operations::visible_milestones(tx, who, **call_id, std::nullopt);
  if (!rows) return fail(rows.error());
  if (secretariat) {
    // Completed milestones not yet reviewed, one line per operator.
    std::map<std::int64_t, int> awaiting;
    for (const auto& row : *rows) {
      const auto& m = row.milestone;
      if (m.status == operations::MilestoneStatus::kDone && m.review == operations::ReviewState::kNone) ++awaiting[m.operator_id];
    }
    for (const auto& [operator_id, count] : awaiting) {
      auto op = by_id.find(operator_id);
      if (op == by_id.end()) continue;
      out.push_back({.section = "secretariat",
                     .text = fmt::format("「{}」の完了したマイルストーン {} 件が確認を待っています", op->second->name, count),
                     .href = fmt::format("/operations/operators/{}/milestones", operator_id)});
    }
  }
  if (operator_side) {
    for (const auto& row : *rows) {
      const auto& m = row.milestone;
      auto op = by_id.find(m.operator_id);
      if (op == by_id.end() || op->second->organisation_id != *who.organisation_id) continue;
      std::string href = fmt::format("/operations/milestones/{}", m.id);
      if (m.review == operations::ReviewState::kNeedsWork) {
        out.push_back({.section = "operator",
                       .text = fmt::format("マイルストーン「{}」が事務局から差し戻されました（要対応）", m.title),
                       .href = href,
                       .urgent = true});
        continue;
      }
      if (m.status == operations::MilestoneStatus::kDone || m.status == operations::MilestoneStatus::kCancelled) continue;
      int days = m.due_on.days_since(today);
      if (days < 0) {
        out.push_back({.section = "operator",
                       .text = fmt::format("マイルストーン「{}」の期限（{}）を {} 日過ぎています", m.title, month_day(m.due_on), -days),
                       .href = href,
                       .urgent = true});
      } else if (days <= kDueSoonDays) {
        out.push_back({.section = "operator",
                       .text = fmt::format("マイルストーン「{}」の期限は {}です（{}）", m.title, month_day(m.due_on),
                                           days == 0 ? std::string("本日") : fmt::format("あと {} 日", days)),
                       .href = href,
                       .urgent = days <= 3});
      }
    }
  }
  return out;
}

}  // namespace

void add_operations_home_tasks(Application& app) { app.add_home_tasks(operations_tasks); }

}  // namespace kakehashi::web
