// operations' SQL for the red flags and the programme dashboard's counts (private to the module).
// Reads the module's own tables written by the other parts (projects, sessions, support logs,
// expenses, budget plan).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "operations/flags.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

// operator id -> the latest Japan date of activity up to `today` (sessions held, milestones
// created or changed, evidence added, support logs), for the operators of the call.
[[nodiscard]] Result<std::map<std::int64_t, Date>> last_activity(db::Transaction& tx, std::int64_t call_id, Date today);
// operator id -> number of projects, for the operators of the call.
[[nodiscard]] Result<std::map<std::int64_t, int>> project_counts_of_call(db::Transaction& tx, std::int64_t call_id);
// The secretariat's expenses of the call spent up to `today`, in yen.
[[nodiscard]] Result<std::int64_t> expenses_to(db::Transaction& tx, std::int64_t call_id, Date today);
// "YYYY-MM" -> planned yen (all categories), empty when there is no plan.
[[nodiscard]] Result<std::map<std::string, std::int64_t>> budget_plan(db::Transaction& tx, std::int64_t call_id);

[[nodiscard]] Result<ProgrammeCounts> programme_counts(db::Transaction& tx, std::int64_t call_id);

}  // namespace kakehashi::operations::store
