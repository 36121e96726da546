#include "web/handlers/operations/milestone_helpers.h"

#include <fmt/format.h>

#include "base/yen.h"
#include "geo/geo.h"

namespace kakehashi::web::opsweb {

std::string period_label(const operations::Operator& op) {
  return fmt::format("{} 〜 {}", op.contract_from.japanese(), op.contract_to.japanese());
}

std::vector<FlagView> flag_views(const std::vector<operations::Flag>& flags) {
  std::vector<FlagView> out;
  for (const operations::Flag& flag : flags) {
    FlagView v{std::string(operations::to_string(flag.kind)), std::string(operations::flag_kind_label(flag.kind)),
               flag.reason, std::nullopt};
    if (flag.milestone_id) v.href = fmt::format("/operations/milestones/{}", *flag.milestone_id);
    out.push_back(std::move(v));
  }
  return out;
}

MilestoneRowView milestone_row(const operations::MilestoneRow& row, Date today) {
  const operations::Milestone& m = row.milestone;
  MilestoneRowView v;
  v.id = m.id;
  v.title = m.title;
  v.href = fmt::format("/operations/milestones/{}", m.id);
  v.due = m.due_on.japanese();
  v.due_iso = m.due_on.iso();
  v.status = std::string(operations::milestone_status_label(m.status));
  v.status_id = std::string(operations::to_string(m.status));
  v.overdue = m.due_on < today && m.status != operations::MilestoneStatus::kDone &&
              m.status != operations::MilestoneStatus::kCancelled;
  v.owner = row.owner_label.empty() ? "—" : row.owner_label;
  v.evidence = row.evidence_count;
  v.review = std::string(operations::review_state_label(m.review));
  v.review_id = std::string(operations::to_string(m.review));
  return v;
}

OperatorFacts operator_facts(const operations::Operator& op, const std::vector<operations::Flag>& flags) {
  OperatorFacts v;
  v.id = op.id;
  v.name = op.name;
  v.href = fmt::format("/operations/operators/{}", op.id);
  v.amount = format_yen(op.contract_amount);
  v.period = period_label(op);
  for (const auto& b : op.blocks)
    v.blocks.push_back({geo::block_label(b.block_id), format_yen(b.amount), fmt::format("/operations/blocks/{}", b.block_id)});
  int i = 0;
  for (const auto& c : op.contacts) v.contacts.push_back({i++, c.name, c.title, c.email, c.phone});
  v.has_contacts = !v.contacts.empty();
  if (!op.final_goal.empty()) v.final_goal = op.final_goal;
  v.project_target = op.project_target;
  v.flags = flag_views(flags);
  v.has_flags = !v.flags.empty();
  return v;
}

}  // namespace kakehashi::web::opsweb
