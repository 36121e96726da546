// The search that assigns edges of an Instance to slots (see docs/matchmaking.md): greedy
// construction, then ejection-chain and Kempe-chain insertion, then an iterated local search of
// ruin-and-repair steps accepted when the score does not get worse.
#pragma once

#include <cstdint>
#include <vector>

#include "events/match/instance.h"

namespace kakehashi::events::match {

struct OptimizerOptions {
  uint64_t seed = 0x6B616B6568617368;  // fixed: the same input gives the same schedule
  // Ruin-and-repair steps after the first local optimum; -1 picks a number from the instance
  // size (kept so that 2,000 requests on 12 slots finish well under a second).
  int iterations = -1;
};

// Score of an assignment: more weight first, then fewer idle slots.
struct Score {
  int64_t weight = 0;
  int64_t idle = 0;
  friend bool operator==(const Score&, const Score&) = default;
  bool better_than(const Score& other) const {
    return weight != other.weight ? weight > other.weight : idle < other.idle;
  }
};

// Returns, per edge, the slot it meets in or -1. Locked edges keep their slots. The result
// obeys every rule, and no further edge could be added to it without moving another (it is
// maximal), which the reasons for unscheduled requests rely on.
std::vector<int> optimize(const Instance& instance, const OptimizerOptions& options);

// Weight and idle slots of an assignment (per edge slot or -1). An idle slot is a slot between
// a participant's first and last meeting in which they are available but not meeting.
Score score_of(const Instance& instance, const std::vector<int>& slot_of);

}  // namespace kakehashi::events::match
