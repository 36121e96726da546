#include "events/match/plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "events/match/schedule.h"

namespace kakehashi::events::match {

Result<TablePlan> plan_tables(int participants, int meetings_per_person, int slots) {
  if (participants < 2 || participants > kMaxParticipants) {
    return fail(Error::invalid(
        fmt::format("参加者数は 2〜{} で指定してください: {}", kMaxParticipants, participants)));
  }
  if (slots < 1 || slots > kMaxSlots) {
    return fail(
        Error::invalid(fmt::format("時間枠数は 1〜{} で指定してください: {}", kMaxSlots, slots)));
  }
  if (meetings_per_person < 1 || meetings_per_person > slots) {
    return fail(Error::invalid(fmt::format(
        "1 人あたりの面談数は 1〜時間枠数（{}）で指定してください: {}", slots, meetings_per_person)));
  }
  TablePlan plan;
  plan.meetings = (int64_t{participants} * meetings_per_person + 1) / 2;
  plan.per_slot = (plan.meetings + slots - 1) / slots;
  plan.tables_low = (plan.per_slot * 110 + 99) / 100;
  plan.tables_high = (plan.per_slot * 120 + 99) / 100;
  return plan;
}

Result<TableEstimate> estimate_tables(const Problem& problem, const OptimizerOptions& options) {
  Problem trial = problem;
  // A table for every possible meeting: no slot can hold more than half the participants.
  trial.tables = std::max<int>(1, static_cast<int>(problem.participants.size() / 2));
  auto full = schedule_meetings(trial, options);
  if (!full) return fail(full.error());
  const int64_t target = full->total_weight;
  int low = 1;
  int high = trial.tables;
  int64_t weight_at_high = target;
  while (low < high) {
    int mid = low + (high - low) / 2;
    trial.tables = mid;
    auto run = schedule_meetings(trial, options);
    if (run && run->total_weight >= target) {
      high = mid;
      weight_at_high = run->total_weight;
    } else {
      low = mid + 1;  // too few tables (or too few for the locked meetings)
    }
  }
  return TableEstimate{high, weight_at_high};
}

}  // namespace kakehashi::events::match
