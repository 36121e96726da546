// Small builders and an independent rule checker shared by the matchmaking tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/match/model.h"

namespace kakehashi::events::match::testing {

// A problem with slots "s1".."sN" (15 minutes from 13:00) and the given tables.
Problem grid(int slots, int tables);
// Adds a participant available in the listed slots (all slots when `available` is empty).
void person(Problem& problem, const std::string& id, std::vector<std::string> available = {},
            std::optional<int> max_meetings = std::nullopt, Side side = Side::kCompany);
void ask(Problem& problem, const std::string& from, const std::string& to, int priority = 1,
         bool accepted = true);

// Checks every rule of the issue on a schedule, independently of the engine's own code:
// accepted pairs only, a pair once, one meeting per person and slot, available slots only,
// max_meetings, tables per slot and table numbers, locks kept, weight and counts as reported,
// and every unscheduled accepted request listed with a reason that holds. Returns "" when the
// schedule is valid, else a description of the first problem.
std::string violations(const Problem& problem, const Schedule& schedule);

// The weight of a pair as the issue defines it: the priorities of the accepted requests
// between the two, either direction.
int pair_weight(const Problem& problem, const std::string& a, const std::string& b);

}  // namespace kakehashi::events::match::testing
