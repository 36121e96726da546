// Sizing help for the event grid: how many tables to book.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "events/match/model.h"
#include "events/match/optimizer.h"

namespace kakehashi::events::match {

// The rule of thumb used before requests exist (b2match's): meetings / slots, plus 10-20%.
struct TablePlan {
  int64_t meetings = 0;  // ceil(participants * meetings_per_person / 2)
  int64_t per_slot = 0;  // ceil(meetings / slots)
  int64_t tables_low = 0;   // per_slot + 10%, rounded up
  int64_t tables_high = 0;  // per_slot + 20%, rounded up
};

// Fails with Error::invalid when participants < 2, meetings_per_person < 1 or > slots, slots < 1
// or a value is above the engine's limits.
[[nodiscard]] Result<TablePlan> plan_tables(int participants, int meetings_per_person, int slots);

// The engine's own estimate once requests exist: the fewest tables with which the scheduler
// reaches the same total weight as with a table for every possible meeting. Runs the scheduler
// about log2(participants) times (binary search; the scheduler is a heuristic, so this is the
// smallest table count found, not a proven minimum).
struct TableEstimate {
  int tables = 0;
  int64_t total_weight = 0;  // reached with `tables`
};
[[nodiscard]] Result<TableEstimate> estimate_tables(const Problem& problem,
                                                    const OptimizerOptions& options = {});

}  // namespace kakehashi::events::match
