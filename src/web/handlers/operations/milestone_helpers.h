// Helpers of part A's screens (dashboard, blocks, operators, milestones): view pieces built from
// the operations module's structs, and the registration functions of part A's files.
#pragma once

#include <map>
#include <vector>

#include "operations/flags.h"
#include "operations/milestones.h"
#include "web/handlers/operations/views_milestones.h"

namespace kakehashi::web {
void register_operations_dashboard_routes(Application& app);   // dashboard.cpp
void register_operations_milestone_routes(Application& app);   // milestones.cpp
void register_operations_milestone_api(Application& app);      // api_milestones.cpp
}  // namespace kakehashi::web

namespace kakehashi::web::opsweb {

// "2026年8月1日（土）〜 2027年3月31日（水）"
std::string period_label(const operations::Operator& op);
std::vector<FlagView> flag_views(const std::vector<operations::Flag>& flags);
MilestoneRowView milestone_row(const operations::MilestoneRow& row, Date today);
// The facts of the operator for the overview and the block page.
OperatorFacts operator_facts(const operations::Operator& op, const std::vector<operations::Flag>& flags);
// The form's field errors as the summary list and the message of `field` (nullopt when none).

}  // namespace kakehashi::web::opsweb
