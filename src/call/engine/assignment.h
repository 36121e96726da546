// Assignment of external reviewers to applications (R2.5): k reviewers per application, a
// maximum load per reviewer, never a pair in conflict, hand-locked pairs kept, expertise matched
// as far as possible. Solved exactly as a min-cost flow.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace kakehashi::call::engine {

// Limits of one assignment problem (the programme has a few dozen of each).
inline constexpr int kMaxPerApplication = 20;
inline constexpr std::size_t kMaxReviewers = 1'000;
inline constexpr std::size_t kMaxApplications = 2'000;

struct Reviewer {
  std::string id;
  std::vector<std::string> expertise;  // topics, compared as exact text
};

struct Submission {
  std::string id;
  std::string operator_id;
  std::vector<std::string> topics;
};

// A reviewer's declared conflict of interest with an applicant organisation.
struct Conflict {
  std::string reviewer;
  std::string operator_id;
};

struct Pair {
  std::string application;
  std::string reviewer;
  bool operator==(const Pair&) const = default;
};

struct AssignmentInput {
  int per_application = 3;  // k
  // Most applications one reviewer gets; 0 asks for the smallest maximum that admits an
  // assignment (the most even spread), reported in Assignment::max_load.
  int max_load = 0;
  std::vector<Reviewer> reviewers;
  std::vector<Submission> applications;
  std::vector<Conflict> conflicts;
  // Pairs that must stay (hand adjustments); a locked pair in conflict is an error.
  std::vector<Pair> locked;
  // Balance first: the loads differ by at most one wherever the conflicts and locks allow (the
  // sum of squared loads is minimal), and expertise decides among those balanced assignments.
  // Off: expertise first, then balance.
  bool balance = false;
};

struct Assignment {
  // Sorted by application, then reviewer, each in the order of the input's lists.
  std::vector<Pair> pairs;
  int cost = 0;      // pairs whose reviewer shares no topic with the application
  int max_load = 0;  // the maximum load applied (the input's, or the one chosen for 0)
};

// Gives every application exactly per_application reviewers, no reviewer more than max_load
// applications, no pair in conflict (a reviewer never reviews an application of an operator
// they declared), and keeps every locked pair. Among all such assignments the total cost is
// minimal, where a pair costs 0 when the reviewer's expertise shares a topic with the
// application and 1 otherwise; among those of minimal cost, the loads are as even as possible
// (the sum of squared loads is minimal). With `balance` the two criteria swap: the sum of
// squared loads is minimal first, then the cost among such assignments. Exact: successive shortest paths on a flow network
// (docs/call-solvers.md).
// Fails with Error::invalid, in Japanese, on bad input (unknown or repeated ids, a locked pair
// in conflict or beyond a limit) and when no assignment exists, saying what to change: the
// applications with fewer conflict-free reviewers than k, the smallest maximum load that works,
// how many conflict-free reviewers to add, and which locked pairs block it.
[[nodiscard]] Result<Assignment> assign_reviewers(const AssignmentInput& input);

}  // namespace kakehashi::call::engine
