// The scheduler on hand-made problems: each rule, each reason with its exact message, locks,
// re-runs with locks, determinism and the edits the event screens make.
#include "events/match/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "events/match/json.h"
#include "support/result.h"
#include "unit/events/match/fixtures.h"

namespace kakehashi::events::match {
namespace {

using testing::ask;
using testing::grid;
using testing::person;
using testing::violations;

Schedule run(const Problem& problem) {
  auto result = schedule_meetings(problem);
  EXPECT_OK(result);
  if (!result) return {};
  EXPECT_EQ(violations(problem, *result), "");
  return *result;
}

bool meets(const Schedule& s, const std::string& a, const std::string& b) {
  return std::ranges::any_of(s.meetings, [&](const Meeting& m) {
    return (m.a == a && m.b == b) || (m.a == b && m.b == a);
  });
}

TEST(MatchSchedule, OnlyAcceptedRequestsBecomeMeetings) {
  Problem p = grid(2, 2);
  person(p, "a");
  person(p, "b");
  person(p, "c");
  ask(p, "a", "b", 3, false);
  ask(p, "a", "c", 1);
  Schedule s = run(p);
  EXPECT_FALSE(meets(s, "a", "b"));
  EXPECT_TRUE(meets(s, "a", "c"));
  EXPECT_EQ(s.requested, 1);
  EXPECT_EQ(s.scheduled, 1);
  EXPECT_TRUE(s.unscheduled.empty());
}

TEST(MatchSchedule, PrefersThePairWhoseRequestsWeighMoreInBothDirections) {
  // One slot, one table: b–c (2 + 2 = 4) beats a–b (3).
  Problem p = grid(1, 1);
  person(p, "a");
  person(p, "b");
  person(p, "c");
  ask(p, "a", "b", 3);
  ask(p, "b", "c", 2);
  ask(p, "c", "b", 2);
  Schedule s = run(p);
  ASSERT_EQ(s.meetings.size(), 1u);
  EXPECT_EQ(s.meetings[0].a, "b");
  EXPECT_EQ(s.meetings[0].b, "c");
  EXPECT_EQ(s.meetings[0].table, 1);
  EXPECT_EQ(s.total_weight, 4);
  EXPECT_EQ(s.requested, 3);
  EXPECT_EQ(s.scheduled, 2);
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kAtMaximum);
  EXPECT_EQ(s.unscheduled[0].message, "b は参加可能な 1 枠すべてに面談が入っています");
}

TEST(MatchSchedule, ExplainsAFullGrid) {
  Problem p = grid(1, 1);
  for (const char* id : {"a", "b", "c", "d"}) person(p, id);
  ask(p, "a", "b", 3);
  ask(p, "c", "d", 1);
  Schedule s = run(p);
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].from, "c");
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kGridFull);
  EXPECT_EQ(s.unscheduled[0].message, "共通の時間枠（s1）はすべてテーブルが満席です");
}

TEST(MatchSchedule, ExplainsNoCommonSlot) {
  Problem p = grid(2, 2);
  person(p, "a", {"s1"});
  person(p, "b", {"s2"});
  ask(p, "a", "b", 3);
  Schedule s = run(p);
  EXPECT_TRUE(s.meetings.empty());
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kNoCommonSlot);
  EXPECT_EQ(s.unscheduled[0].message, "a と b に共通の参加可能な時間枠がありません");
}

TEST(MatchSchedule, RespectsMaxMeetingsAndSaysSo) {
  Problem p = grid(3, 3);
  person(p, "a", {}, 1);
  person(p, "b");
  person(p, "c");
  ask(p, "a", "b", 3);
  ask(p, "c", "a", 1);
  Schedule s = run(p);
  EXPECT_TRUE(meets(s, "a", "b"));
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].from, "c");
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kAtMaximum);
  EXPECT_EQ(s.unscheduled[0].message, "a は面談数の上限（1 件）に達しています");
}

TEST(MatchSchedule, ExplainsPartnersBusyInEveryCommonSlot) {
  // x and y share s1 and s2; z can only come in s1 and w only in s2, and both matter more.
  Problem p = grid(2, 5);
  person(p, "x");
  person(p, "y");
  person(p, "z", {"s1"});
  person(p, "w", {"s2"});
  ask(p, "x", "y", 1);
  ask(p, "z", "x", 3);
  ask(p, "y", "w", 3);
  Schedule s = run(p);
  EXPECT_EQ(s.total_weight, 6);
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kPartnerBusy);
  EXPECT_EQ(s.unscheduled[0].message,
            "共通の時間枠（s1、s2）では、いずれも x か y に別の面談が入っています");
}

TEST(MatchSchedule, ExplainsSlotsThatAreBusyOrFull) {
  // Two tables: s1 holds z–x (x busy), s2 holds w–v and q–r (full).
  Problem p = grid(2, 2);
  person(p, "x");
  person(p, "y");
  person(p, "z", {"s1"});
  for (const char* id : {"w", "v", "q", "r"}) person(p, id, {"s2"});
  ask(p, "x", "y", 1);
  ask(p, "z", "x", 3);
  ask(p, "w", "v", 3);
  ask(p, "q", "r", 3);
  Schedule s = run(p);
  EXPECT_EQ(s.total_weight, 9);
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kBusyOrFull);
  EXPECT_EQ(s.unscheduled[0].message,
            "共通の時間枠（s1、s2）は、満席か x か y に別の面談が入っています（満席: s2）");
}

TEST(MatchSchedule, NeverPutsTwoMeetingsOfOnePersonInASlotOrUsesAnUnavailableSlot) {
  // a wants three partners but is available in two slots; b only in s2.
  Problem p = grid(3, 5);
  person(p, "a", {"s1", "s2"});
  person(p, "b", {"s2"});
  person(p, "c");
  person(p, "d");
  ask(p, "a", "b", 1);
  ask(p, "a", "c", 1);
  ask(p, "a", "d", 1);
  Schedule s = run(p);
  ASSERT_EQ(s.meetings.size(), 2u);  // a has two slots, so two of the three wishes
  EXPECT_NE(s.meetings[0].slot, s.meetings[1].slot);
  for (const Meeting& m : s.meetings) EXPECT_NE(m.slot, "s3");
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].reason, Reason::kAtMaximum);
}

TEST(MatchSchedule, KeepsLockedMeetingsAndCountsThem) {
  Problem p = grid(2, 1);
  person(p, "a", {}, 1);
  person(p, "b");
  person(p, "c");
  ask(p, "a", "b", 3);
  ask(p, "a", "c", 1);
  p.locked = {{"c", "a", "s2"}};
  Schedule s = run(p);
  ASSERT_EQ(s.meetings.size(), 1u);
  EXPECT_EQ(s.meetings[0].a, "c");
  EXPECT_EQ(s.meetings[0].slot, "s2");
  EXPECT_TRUE(s.meetings[0].locked);
  EXPECT_EQ(s.total_weight, 1);
  ASSERT_EQ(s.unscheduled.size(), 1u);
  EXPECT_EQ(s.unscheduled[0].message, "a は面談数の上限（1 件）に達しています");
}

TEST(MatchSchedule, GivesLockedMeetingsTheFirstTables) {
  Problem p = grid(1, 3);
  for (const char* id : {"a", "b", "c", "d"}) person(p, id);
  ask(p, "a", "b", 3);
  ask(p, "c", "d", 1);
  p.locked = {{"d", "c", "s1"}};
  Schedule s = run(p);
  ASSERT_EQ(s.meetings.size(), 2u);
  EXPECT_EQ(s.meetings[0].a, "d");
  EXPECT_EQ(s.meetings[0].table, 1);
  EXPECT_EQ(s.meetings[1].a, "a");
  EXPECT_EQ(s.meetings[1].table, 2);
}

TEST(MatchSchedule, PacksAPersonsMeetingsWithoutIdleSlots) {
  // Same weight whatever the slots: the tie-break puts a's three meetings next to each other.
  Problem p = grid(6, 5);
  for (const char* id : {"a", "b", "c", "d"}) person(p, id);
  ask(p, "a", "b");
  ask(p, "a", "c");
  ask(p, "a", "d");
  Schedule s = run(p);
  EXPECT_EQ(s.meetings.size(), 3u);
  EXPECT_EQ(s.idle_slots, 0);
}

Problem random_problem(uint64_t seed, int participants, int requests, int slots, int tables) {
  uint64_t state = seed;
  auto next = [&](int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  };
  Problem p = grid(slots, tables);
  for (int i = 0; i < participants; ++i) {
    std::vector<std::string> available;
    for (int s = 1; s <= slots; ++s) {
      if (next(4) != 0) available.push_back("s" + std::to_string(s));
    }
    if (available.empty()) available.push_back("s1");
    person(p, "p" + std::to_string(i), available, 1 + next(slots));
  }
  for (int r = 0; r < requests; ++r) {
    std::string from = "p" + std::to_string(next(participants));
    std::string to = "p" + std::to_string(next(participants));
    bool exists = std::ranges::any_of(
        p.requests, [&](const Request& q) { return q.from == from && q.to == to; });
    if (from == to || exists) continue;
    ask(p, from, to, 1 + next(3), next(5) != 0);
  }
  return p;
}

TEST(MatchSchedule, SameInputGivesTheSameSchedule) {
  Problem p = random_problem(7, 40, 150, 6, 6);
  auto first = schedule_meetings(p);
  auto second = schedule_meetings(p);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(schedule_to_json(*first), schedule_to_json(*second));
}

TEST(MatchSchedule, ReRunKeepsLockedMeetingsAndFitsNewRequests) {
  Problem p = random_problem(11, 30, 90, 5, 4);
  Schedule first = run(p);
  ASSERT_GT(first.meetings.size(), 5u);
  // The secretariat confirms the first five meetings; two new participants arrive and agree.
  for (size_t i = 0; i < 5; ++i) lock_meeting(p, first.meetings[i]);
  lock_meeting(p, first.meetings[0]);  // locking twice is a no-op
  EXPECT_EQ(p.locked.size(), 5u);
  person(p, "late1");
  person(p, "late2");
  ASSERT_TRUE(add_request(p, "late1", "late2", 3));
  ASSERT_TRUE(set_accepted(p, "late1", "late2", true));
  p.tables += 1;  // one more table booked for them
  Schedule second = run(p);
  for (size_t i = 0; i < 5; ++i) {
    const Meeting& kept = first.meetings[i];
    EXPECT_TRUE(std::ranges::any_of(second.meetings, [&](const Meeting& m) {
      return m.a == kept.a && m.b == kept.b && m.slot == kept.slot && m.locked;
    }));
  }
  EXPECT_TRUE(meets(second, "late1", "late2"));
}

TEST(MatchSchedule, RandomProblemsBreakNoRuleAndExplainEveryMiss) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Problem p = random_problem(seed, 12 + static_cast<int>(seed % 20), 60, 2 + seed % 6,
                               1 + static_cast<int>(seed % 5));
    auto result = schedule_meetings(p);
    ASSERT_OK(result);
    ASSERT_EQ(violations(p, *result), "") << "seed " << seed;
    // Lock a third of the meetings and run again: still valid, locks kept, no worse.
    for (size_t i = 0; i < result->meetings.size(); i += 3) lock_meeting(p, result->meetings[i]);
    auto again = schedule_meetings(p);
    ASSERT_OK(again);
    ASSERT_EQ(violations(p, *again), "") << "seed " << seed << " with locks";
  }
}

TEST(MatchEdits, FindTheirRequestOrMeetingOrSayWhy) {
  Problem p = grid(1, 1);
  person(p, "a");
  person(p, "b");
  EXPECT_EQ(add_request(p, "a", "zz", 1).error().message, "参加者が見つかりません: zz");
  EXPECT_EQ(add_request(p, "a", "a", 1).error().message, "自分自身への申込みはできません: a");
  EXPECT_EQ(add_request(p, "a", "b", 0).error().message, "優先度は 1〜3 で指定してください: 0");
  ASSERT_TRUE(add_request(p, "a", "b", 1));
  ASSERT_TRUE(add_request(p, "a", "b", 2));  // changes the priority
  ASSERT_EQ(p.requests.size(), 1u);
  EXPECT_EQ(p.requests[0].priority, 2);
  EXPECT_FALSE(p.requests[0].accepted);
  EXPECT_EQ(set_accepted(p, "b", "a", true).error().message, "申込みが見つかりません: b → a");
  ASSERT_TRUE(set_accepted(p, "a", "b", true));
  EXPECT_TRUE(p.requests[0].accepted);
  EXPECT_EQ(unlock_meeting(p, "a", "b").error().message, "固定された面談が見つかりません: a – b");
  lock_meeting(p, {"a", "b", "s1", 1, false});
  ASSERT_TRUE(unlock_meeting(p, "b", "a"));
  EXPECT_TRUE(p.locked.empty());
  // Declining removes the meeting from the next run.
  ASSERT_TRUE(set_accepted(p, "a", "b", false));
  EXPECT_TRUE(run(p).meetings.empty());
}

}  // namespace
}  // namespace kakehashi::events::match
