#include "events/match/schedule.h"

#include <bit>

#include <fmt/format.h>

#include "events/match/instance.h"

namespace kakehashi::events::match {

namespace {

std::string slot_list(const Problem& problem, uint64_t slots) {
  std::string out;
  for (uint64_t rest = slots; rest; rest &= rest - 1) {
    if (!out.empty()) out += "、";
    out += problem.slots[std::countr_zero(rest)].id;
  }
  return out;
}

// The reason, true of the final assignment, why the pair of `edge` does not meet. The
// assignment is maximal, so one of the cases always holds; anything else is a bug.
Result<Unscheduled> explain(const Problem& problem, const Instance& in, const Request& request,
                            const Edge& edge, const std::vector<int>& degree,
                            const std::vector<uint64_t>& busy, uint64_t full) {
  Unscheduled out{request.from, request.to};
  const std::string& from = request.from;
  const std::string& to = request.to;
  if (edge.common == 0) {
    out.reason = Reason::kNoCommonSlot;
    out.message = fmt::format("{} と {} に共通の参加可能な時間枠がありません", from, to);
    return out;
  }
  std::vector<int> at_limit;
  for (int person : {edge.u, edge.v}) {
    if (degree[person] >= in.max_meetings[person]) at_limit.push_back(person);
  }
  auto limit_text = [&](int person) {
    const Participant& p = problem.participants[person];
    bool by_slots = !p.max_meetings || *p.max_meetings > in.max_meetings[person];
    return by_slots ? fmt::format("{} は参加可能な {} 枠すべてに面談が入っています", p.id,
                                  in.max_meetings[person])
                    : fmt::format("{} は面談数の上限（{} 件）に達しています", p.id,
                                  in.max_meetings[person]);
  };
  if (!at_limit.empty()) {
    out.reason = Reason::kAtMaximum;
    out.message = limit_text(at_limit[0]);
    if (at_limit.size() == 2) out.message += "。" + limit_text(at_limit[1]);
    return out;
  }
  uint64_t person_busy = (busy[edge.u] | busy[edge.v]) & edge.common;
  uint64_t slot_full = full & edge.common;
  std::string slots = slot_list(problem, edge.common);
  if (slot_full == edge.common) {
    out.reason = Reason::kGridFull;
    out.message = fmt::format("共通の時間枠（{}）はすべてテーブルが満席です", slots);
  } else if (person_busy == edge.common) {
    out.reason = Reason::kPartnerBusy;
    out.message = fmt::format("共通の時間枠（{}）では、いずれも {} か {} に別の面談が入っています",
                              slots, from, to);
  } else if ((person_busy | slot_full) == edge.common) {
    out.reason = Reason::kBusyOrFull;
    out.message = fmt::format(
        "共通の時間枠（{}）は、満席か {} か {} に別の面談が入っています（満席: {}）", slots, from,
        to, slot_list(problem, slot_full & ~person_busy));
  } else {
    return fail(Error::internal(
        fmt::format("面談 {} – {} は入れられるのに入っていません", from, to)));
  }
  return out;
}

}  // namespace

Result<Schedule> schedule_meetings(const Problem& problem, const OptimizerOptions& options) {
  Result<Instance> built = build_instance(problem);
  if (!built) return fail(built.error());
  const Instance& in = *built;
  const std::vector<int> slot_of = optimize(in, options);

  Schedule schedule;
  Score score = score_of(in, slot_of);
  schedule.total_weight = score.weight;
  schedule.idle_slots = score.idle;

  // Tables: per slot, locked meetings first in the order given, then the others in request order.
  std::vector<int> next_table(in.slot_count, 1);
  std::vector<std::vector<Meeting>> by_slot(in.slot_count);
  std::vector<char> is_locked(in.edges.size(), 0);
  for (size_t k = 0; k < in.locks.size(); ++k) {
    const Instance::Lock& lock = in.locks[k];
    is_locked[lock.edge] = 1;
    const LockedMeeting& given = problem.locked[k];
    by_slot[lock.slot].push_back({given.a, given.b, given.slot, next_table[lock.slot]++, true});
  }
  std::vector<int> degree(in.available.size(), 0);
  std::vector<uint64_t> busy(in.available.size(), 0);
  std::vector<int> per_slot(in.slot_count, 0);
  for (size_t e = 0; e < in.edges.size(); ++e) {
    int s = slot_of[e];
    if (s < 0) continue;
    const Edge& edge = in.edges[e];
    ++degree[edge.u];
    ++degree[edge.v];
    busy[edge.u] |= uint64_t{1} << s;
    busy[edge.v] |= uint64_t{1} << s;
    ++per_slot[s];
    if (is_locked[e]) continue;
    by_slot[s].push_back({problem.participants[edge.u].id, problem.participants[edge.v].id,
                          problem.slots[s].id, next_table[s]++, false});
  }
  for (auto& meetings : by_slot) {
    for (Meeting& m : meetings) schedule.meetings.push_back(std::move(m));
  }
  uint64_t full = 0;
  for (int s = 0; s < in.slot_count; ++s) {
    if (per_slot[s] >= in.tables) full |= uint64_t{1} << s;
  }

  for (size_t r = 0; r < problem.requests.size(); ++r) {
    int e = in.request_edge[r];
    if (e < 0) continue;
    ++schedule.requested;
    if (slot_of[e] >= 0) {
      ++schedule.scheduled;
      continue;
    }
    Result<Unscheduled> why =
        explain(problem, in, problem.requests[r], in.edges[e], degree, busy, full);
    if (!why) return fail(why.error());
    schedule.unscheduled.push_back(std::move(*why));
  }
  return schedule;
}

}  // namespace kakehashi::events::match
