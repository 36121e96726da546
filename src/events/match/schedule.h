// The matchmaking entry point: a Problem in, a Schedule out (see docs/matchmaking.md).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "events/match/model.h"
#include "events/match/optimizer.h"

namespace kakehashi::events::match {

// Schedules the meetings of `problem`: keeps every locked meeting, then maximises the total
// weight of the meetings (the sum of the priorities of the accepted requests between each
// pair) and, among equal totals, minimises idle slots. Deterministic: the same problem and
// options give the same schedule. Every accepted request whose pair does not meet comes back
// in `unscheduled` with the reason that holds in the returned schedule.
// Fails with Error::invalid (one Japanese line) when the problem breaks a rule; see
// build_instance for the checks.
[[nodiscard]] Result<Schedule> schedule_meetings(const Problem& problem,
                                                 const OptimizerOptions& options = {});

}  // namespace kakehashi::events::match
