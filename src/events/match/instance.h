// The validated, indexed form of a Problem that the optimizer works on: participants and slots
// by index, availability as bit masks, and one weighted edge per pair with an accepted request.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "events/match/model.h"

namespace kakehashi::events::match {

struct Edge {
  int u = 0;  // participant index of the first accepted request's sender
  int v = 0;  // participant index of its recipient
  int weight = 0;       // sum of the priorities of the accepted requests between u and v
  uint64_t common = 0;  // slots both are available in
  int first_request = 0;  // index of the first accepted request between the two
};

struct Instance {
  int slot_count = 0;
  int tables = 0;
  std::vector<uint64_t> available;  // per participant: bit s set when available in slot s
  std::vector<int> max_meetings;    // per participant, already capped at its available slots
  std::vector<Edge> edges;          // in order of each pair's first accepted request
  std::vector<std::vector<int>> incident;  // per participant: its edges
  std::vector<int> request_edge;    // per request: its pair's edge, -1 when not accepted
  struct Lock {
    int edge;
    int slot;
  };
  std::vector<Lock> locks;  // in input order
  std::unordered_map<std::string, int> participant_index;
  std::unordered_map<std::string, int> slot_index;

  // Edge of the pair (a, b) (either order), -1 when they have no accepted request.
  int edge_between(int a, int b) const;

 private:
  friend Result<Instance> build_instance(const Problem& problem);
  std::unordered_map<uint64_t, int> pair_edge_;
};

// Validates the problem and indexes it. Fails with Error::invalid and one Japanese line naming
// the first offending item: duplicate or unknown ids, values out of range, or a locked meeting
// that breaks a rule (unavailable slot, over max_meetings, over the tables, a pair twice, a
// participant twice in a slot, no accepted request between the two).
[[nodiscard]] Result<Instance> build_instance(const Problem& problem);

// Checks a list of meetings against every rule of the problem (the checks applied to locked
// meetings, plus table numbers within 1..tables and unique per slot when `check_tables`).
// Returns the first violation as a Japanese line. Used for locks and by tests of schedules.
[[nodiscard]] Result<void> check_meetings(const Problem& problem, const Instance& instance,
                                          const std::vector<Meeting>& meetings,
                                          bool check_tables);

}  // namespace kakehashi::events::match
