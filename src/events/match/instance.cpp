#include "events/match/instance.h"

#include <bit>
#include <unordered_set>

#include <fmt/format.h>

namespace kakehashi::events::match {

namespace {

uint64_t pair_key(int a, int b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

}  // namespace

int Instance::edge_between(int a, int b) const {
  auto it = pair_edge_.find(pair_key(a, b));
  return it == pair_edge_.end() ? -1 : it->second;
}

Result<Instance> build_instance(const Problem& problem) {
  Instance in;
  if (problem.tables < 1 || problem.tables > kMaxTables) {
    return fail(Error::invalid(
        fmt::format("テーブル数は 1〜{} で指定してください: {}", kMaxTables, problem.tables)));
  }
  if (problem.slots.empty()) return fail(Error::invalid("時間枠が 1 つもありません"));
  if (problem.slots.size() > static_cast<size_t>(kMaxSlots)) {
    return fail(Error::invalid(fmt::format("時間枠が多すぎます: {}（上限 {}）",
                                           problem.slots.size(), kMaxSlots)));
  }
  in.slot_count = static_cast<int>(problem.slots.size());
  in.tables = problem.tables;
  for (size_t s = 0; s < problem.slots.size(); ++s) {
    const Slot& slot = problem.slots[s];
    if (slot.id.empty()) {
      return fail(Error::invalid(fmt::format("時間枠の ID が空です（{} 番目）", s + 1)));
    }
    if (!in.slot_index.emplace(slot.id, static_cast<int>(s)).second) {
      return fail(Error::invalid(fmt::format("時間枠 ID が重複しています: {}", slot.id)));
    }
    if (slot.minutes < 1) {
      return fail(Error::invalid(fmt::format("時間枠 {} の長さ（分）は 1 以上で指定してください: {}",
                                             slot.id, slot.minutes)));
    }
  }

  if (problem.participants.size() > static_cast<size_t>(kMaxParticipants)) {
    return fail(Error::invalid(fmt::format("参加者が多すぎます: {}（上限 {}）",
                                           problem.participants.size(), kMaxParticipants)));
  }
  const size_t n = problem.participants.size();
  in.available.resize(n);
  in.max_meetings.resize(n);
  in.incident.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Participant& p = problem.participants[i];
    if (p.id.empty()) {
      return fail(Error::invalid(fmt::format("参加者の ID が空です（{} 番目）", i + 1)));
    }
    if (!in.participant_index.emplace(p.id, static_cast<int>(i)).second) {
      return fail(Error::invalid(fmt::format("参加者 ID が重複しています: {}", p.id)));
    }
    for (const std::string& slot_id : p.available) {
      auto it = in.slot_index.find(slot_id);
      if (it == in.slot_index.end()) {
        return fail(Error::invalid(
            fmt::format("参加者 {} の参加可能枠に不明な時間枠があります: {}", p.id, slot_id)));
      }
      in.available[i] |= uint64_t{1} << it->second;
    }
    int slots_available = std::popcount(in.available[i]);
    if (p.max_meetings && *p.max_meetings < 0) {
      return fail(Error::invalid(fmt::format(
          "参加者 {} の面談数の上限は 0 以上で指定してください: {}", p.id, *p.max_meetings)));
    }
    in.max_meetings[i] = p.max_meetings ? std::min(*p.max_meetings, slots_available)
                                        : slots_available;
  }

  if (problem.requests.size() > static_cast<size_t>(kMaxRequests)) {
    return fail(Error::invalid(fmt::format("申込みが多すぎます: {}（上限 {}）",
                                           problem.requests.size(), kMaxRequests)));
  }
  std::unordered_set<uint64_t> directed;
  in.request_edge.assign(problem.requests.size(), -1);
  for (size_t r = 0; r < problem.requests.size(); ++r) {
    const Request& request = problem.requests[r];
    int ends[2];
    for (int k = 0; k < 2; ++k) {
      const std::string& id = k == 0 ? request.from : request.to;
      auto it = in.participant_index.find(id);
      if (it == in.participant_index.end()) {
        return fail(Error::invalid(fmt::format("申込み {} → {}: 参加者が見つかりません: {}",
                                               request.from, request.to, id)));
      }
      ends[k] = it->second;
    }
    if (ends[0] == ends[1]) {
      return fail(Error::invalid(fmt::format("申込み {} → {}: 自分自身への申込みはできません",
                                             request.from, request.to)));
    }
    if (request.priority < kMinPriority || request.priority > kMaxPriority) {
      return fail(Error::invalid(fmt::format("申込み {} → {}: 優先度は {}〜{} で指定してください: {}",
                                             request.from, request.to, kMinPriority,
                                             kMaxPriority, request.priority)));
    }
    uint64_t key = (static_cast<uint64_t>(ends[0]) << 32) | static_cast<uint32_t>(ends[1]);
    if (!directed.insert(key).second) {
      return fail(Error::invalid(
          fmt::format("申込み {} → {} が重複しています", request.from, request.to)));
    }
    if (!request.accepted) continue;
    auto [it, inserted] =
        in.pair_edge_.emplace(pair_key(ends[0], ends[1]), static_cast<int>(in.edges.size()));
    if (inserted) {
      in.edges.push_back({ends[0], ends[1], 0,
                          in.available[ends[0]] & in.available[ends[1]], static_cast<int>(r)});
      in.incident[ends[0]].push_back(it->second);
      in.incident[ends[1]].push_back(it->second);
    }
    in.edges[it->second].weight += request.priority;
    in.request_edge[r] = it->second;
  }

  std::vector<Meeting> locks;
  for (const LockedMeeting& lock : problem.locked) locks.push_back({lock.a, lock.b, lock.slot, 0, true});
  if (auto checked = check_meetings(problem, in, locks, false); !checked) {
    return fail(checked.error());
  }
  for (const LockedMeeting& lock : problem.locked) {
    int edge = in.edge_between(in.participant_index.at(lock.a), in.participant_index.at(lock.b));
    in.locks.push_back({edge, in.slot_index.at(lock.slot)});
  }
  return in;
}

Result<void> check_meetings(const Problem& problem, const Instance& in,
                            const std::vector<Meeting>& meetings, bool check_tables) {
  std::unordered_set<uint64_t> pairs;
  std::unordered_set<uint64_t> person_slot;  // participant * 64 + slot
  std::unordered_set<uint64_t> slot_table;   // slot * kMaxTables + table
  std::vector<int> meetings_of(in.available.size(), 0);
  std::vector<int> per_slot(in.slot_count, 0);
  for (const Meeting& m : meetings) {
    std::string_view label = m.locked ? "固定された面談" : "面談";
    auto failure = [&](std::string what) {
      return fail(Error::invalid(fmt::format("{} {}–{}（{}）: {}", label, m.a, m.b, m.slot, what)));
    };
    int ends[2];
    for (int k = 0; k < 2; ++k) {
      const std::string& id = k == 0 ? m.a : m.b;
      auto it = in.participant_index.find(id);
      if (it == in.participant_index.end()) {
        return failure(fmt::format("参加者が見つかりません: {}", id));
      }
      ends[k] = it->second;
    }
    auto slot_it = in.slot_index.find(m.slot);
    if (slot_it == in.slot_index.end()) {
      return failure(fmt::format("時間枠が見つかりません: {}", m.slot));
    }
    const int slot = slot_it->second;
    if (ends[0] == ends[1]) return failure("同じ参加者どうしの面談はできません");
    if (in.edge_between(ends[0], ends[1]) < 0) {
      return failure("二人の間に承認済みの申込みがありません");
    }
    for (int k = 0; k < 2; ++k) {
      if (!(in.available[ends[k]] >> slot & 1)) {
        return failure(fmt::format("{} はこの時間枠に参加できません",
                                   problem.participants[ends[k]].id));
      }
    }
    if (!pairs.insert(pair_key(ends[0], ends[1])).second) {
      return failure("この二人の面談が重複しています");
    }
    for (int k = 0; k < 2; ++k) {
      const Participant& p = problem.participants[ends[k]];
      if (!person_slot.insert(static_cast<uint64_t>(ends[k]) * kMaxSlots + slot).second) {
        return failure(fmt::format("{} はこの時間枠に別の面談があります", p.id));
      }
      if (++meetings_of[ends[k]] > in.max_meetings[ends[k]]) {
        return failure(fmt::format("{} の面談数が上限（{} 件）を超えます", p.id,
                                   in.max_meetings[ends[k]]));
      }
    }
    if (++per_slot[slot] > in.tables) {
      return failure(fmt::format("この時間枠のテーブル数（{}）を超えます", in.tables));
    }
    if (check_tables) {
      if (m.table < 1 || m.table > in.tables) {
        return failure(fmt::format("テーブル番号 {} は 1〜{} の範囲外です", m.table, in.tables));
      }
      if (!slot_table.insert(static_cast<uint64_t>(slot) * (kMaxTables + 1) + m.table).second) {
        return failure(fmt::format("テーブル {} が重複しています", m.table));
      }
    }
  }
  return {};
}

}  // namespace kakehashi::events::match
