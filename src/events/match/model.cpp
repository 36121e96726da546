#include "events/match/model.h"

#include <algorithm>

#include <fmt/format.h>

namespace kakehashi::events::match {

std::optional<Side> parse_side(std::string_view text) {
  if (text == "company") return Side::kCompany;
  if (text == "school") return Side::kSchool;
  if (text == "municipality") return Side::kMunicipality;
  if (text == "other") return Side::kOther;
  return std::nullopt;
}

std::string_view side_name(Side side) {
  switch (side) {
    case Side::kCompany: return "company";
    case Side::kSchool: return "school";
    case Side::kMunicipality: return "municipality";
    case Side::kOther: return "other";
  }
  return "other";
}

namespace {

bool has_participant(const Problem& problem, std::string_view id) {
  return std::ranges::any_of(problem.participants,
                             [&](const Participant& p) { return p.id == id; });
}

Request* find_request(Problem& problem, std::string_view from, std::string_view to) {
  auto it = std::ranges::find_if(problem.requests,
                                 [&](const Request& r) { return r.from == from && r.to == to; });
  return it == problem.requests.end() ? nullptr : &*it;
}

}  // namespace

Result<void> add_request(Problem& problem, std::string_view from, std::string_view to,
                         int priority) {
  for (std::string_view id : {from, to}) {
    if (!has_participant(problem, id)) {
      return fail(Error::not_found(fmt::format("参加者が見つかりません: {}", id)));
    }
  }
  if (from == to) {
    return fail(Error::invalid(fmt::format("自分自身への申込みはできません: {}", from)));
  }
  if (priority < kMinPriority || priority > kMaxPriority) {
    return fail(Error::invalid(fmt::format("優先度は {}〜{} で指定してください: {}", kMinPriority,
                                           kMaxPriority, priority)));
  }
  if (Request* request = find_request(problem, from, to)) {
    request->priority = priority;
    return {};
  }
  problem.requests.push_back({std::string(from), std::string(to), priority, false});
  return {};
}

Result<void> set_accepted(Problem& problem, std::string_view from, std::string_view to,
                          bool accepted) {
  Request* request = find_request(problem, from, to);
  if (!request) {
    return fail(Error::not_found(fmt::format("申込みが見つかりません: {} → {}", from, to)));
  }
  request->accepted = accepted;
  return {};
}

void lock_meeting(Problem& problem, const Meeting& meeting) {
  for (const LockedMeeting& lock : problem.locked) {
    bool same_pair = (lock.a == meeting.a && lock.b == meeting.b) ||
                     (lock.a == meeting.b && lock.b == meeting.a);
    if (same_pair && lock.slot == meeting.slot) return;
  }
  problem.locked.push_back({meeting.a, meeting.b, meeting.slot});
}

Result<void> unlock_meeting(Problem& problem, std::string_view a, std::string_view b) {
  auto it = std::ranges::find_if(problem.locked, [&](const LockedMeeting& lock) {
    return (lock.a == a && lock.b == b) || (lock.a == b && lock.b == a);
  });
  if (it == problem.locked.end()) {
    return fail(
        Error::not_found(fmt::format("固定された面談が見つかりません: {} – {}", a, b)));
  }
  problem.locked.erase(it);
  return {};
}

}  // namespace kakehashi::events::match
