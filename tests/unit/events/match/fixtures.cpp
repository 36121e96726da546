#include "unit/events/match/fixtures.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace kakehashi::events::match::testing {

Problem grid(int slots, int tables) {
  Problem problem;
  for (int s = 1; s <= slots; ++s) {
    problem.slots.push_back({fmt::format("s{}", s),
                             fmt::format("{:02d}:{:02d}", 13 + (s - 1) * 15 / 60, (s - 1) * 15 % 60),
                             15});
  }
  problem.tables = tables;
  return problem;
}

void person(Problem& problem, const std::string& id, std::vector<std::string> available,
            std::optional<int> max_meetings, Side side) {
  if (available.empty()) {
    for (const Slot& slot : problem.slots) available.push_back(slot.id);
  }
  problem.participants.push_back({id, side, std::move(available), max_meetings});
}

void ask(Problem& problem, const std::string& from, const std::string& to, int priority,
         bool accepted) {
  problem.requests.push_back({from, to, priority, accepted});
}

int pair_weight(const Problem& problem, const std::string& a, const std::string& b) {
  int weight = 0;
  for (const Request& r : problem.requests) {
    if (r.accepted && ((r.from == a && r.to == b) || (r.from == b && r.to == a))) {
      weight += r.priority;
    }
  }
  return weight;
}

std::string violations(const Problem& problem, const Schedule& schedule) {
  std::map<std::string, const Participant*> people;
  for (const Participant& p : problem.participants) people[p.id] = &p;
  std::map<std::string, int> slot_index;
  for (size_t s = 0; s < problem.slots.size(); ++s) slot_index[problem.slots[s].id] = static_cast<int>(s);
  auto key = [](const std::string& a, const std::string& b) {
    return a < b ? a + "|" + b : b + "|" + a;
  };

  std::set<std::string> pairs;
  std::set<std::pair<std::string, std::string>> person_slot;
  std::set<std::pair<std::string, int>> slot_table;
  std::map<std::string, int> count;
  std::map<std::string, int> per_slot;
  std::map<std::string, std::set<int>> busy;  // person -> slot indexes
  int64_t weight = 0;
  for (const Meeting& m : schedule.meetings) {
    std::string where = fmt::format("{}–{} ({})", m.a, m.b, m.slot);
    if (!people.count(m.a) || !people.count(m.b) || !slot_index.count(m.slot)) {
      return "unknown id in " + where;
    }
    int w = pair_weight(problem, m.a, m.b);
    if (w == 0) return "no accepted request: " + where;
    weight += w;
    if (!pairs.insert(key(m.a, m.b)).second) return "pair twice: " + where;
    for (const std::string& id : {m.a, m.b}) {
      const Participant& p = *people[id];
      if (std::ranges::find(p.available, m.slot) == p.available.end()) {
        return "unavailable: " + where;
      }
      if (!person_slot.insert({id, m.slot}).second) return "twice in slot: " + where;
      ++count[id];
      if (p.max_meetings && count[id] > *p.max_meetings) return "over max: " + where;
      busy[id].insert(slot_index[m.slot]);
    }
    if (++per_slot[m.slot] > problem.tables) return "over tables: " + where;
    if (m.table < 1 || m.table > problem.tables || !slot_table.insert({m.slot, m.table}).second) {
      return "bad table: " + where;
    }
  }
  for (const LockedMeeting& lock : problem.locked) {
    bool kept = std::ranges::any_of(schedule.meetings, [&](const Meeting& m) {
      return m.slot == lock.slot && key(m.a, m.b) == key(lock.a, lock.b) && m.locked;
    });
    if (!kept) return fmt::format("lock not kept: {}–{} ({})", lock.a, lock.b, lock.slot);
  }
  if (weight != schedule.total_weight) {
    return fmt::format("total_weight {} but meetings weigh {}", schedule.total_weight, weight);
  }

  // Every accepted request: scheduled, or listed with a reason that is true.
  int requested = 0;
  int scheduled = 0;
  size_t next_unscheduled = 0;
  for (const Request& r : problem.requests) {
    if (!r.accepted) continue;
    ++requested;
    if (pairs.count(key(r.from, r.to))) {
      ++scheduled;
      continue;
    }
    if (next_unscheduled >= schedule.unscheduled.size()) {
      return fmt::format("request {} → {} neither scheduled nor explained", r.from, r.to);
    }
    const Unscheduled& u = schedule.unscheduled[next_unscheduled++];
    if (u.from != r.from || u.to != r.to) {
      return fmt::format("unscheduled out of order at {} → {}", r.from, r.to);
    }
    if (u.message.empty()) return "empty reason";
    const Participant& a = *people[r.from];
    const Participant& b = *people[r.to];
    std::vector<int> common;
    for (const std::string& s : a.available) {
      if (std::ranges::find(b.available, s) != b.available.end()) common.push_back(slot_index[s]);
    }
    auto at_limit = [&](const Participant& p) {
      int limit = static_cast<int>(p.available.size());
      if (p.max_meetings) limit = std::min(limit, *p.max_meetings);
      return count[p.id] >= limit;
    };
    auto full = [&](int s) { return per_slot[problem.slots[s].id] >= problem.tables; };
    auto occupied = [&](int s) { return busy[a.id].count(s) > 0 || busy[b.id].count(s) > 0; };
    bool holds = false;
    switch (u.reason) {
      case Reason::kNoCommonSlot: holds = common.empty(); break;
      case Reason::kAtMaximum: holds = at_limit(a) || at_limit(b); break;
      case Reason::kGridFull: holds = !common.empty() && std::ranges::all_of(common, full); break;
      case Reason::kPartnerBusy:
        holds = !common.empty() && std::ranges::all_of(common, occupied);
        break;
      case Reason::kBusyOrFull:
        holds = !common.empty() &&
                std::ranges::all_of(common, [&](int s) { return full(s) || occupied(s); });
        break;
    }
    if (!holds) return fmt::format("reason for {} → {} is not true: {}", r.from, r.to, u.message);
  }
  if (next_unscheduled != schedule.unscheduled.size()) return "extra unscheduled entries";
  if (requested != schedule.requested || scheduled != schedule.scheduled) {
    return fmt::format("counts {} / {} reported {} / {}", scheduled, requested,
                       schedule.scheduled, schedule.requested);
  }
  return "";
}

}  // namespace kakehashi::events::match::testing
