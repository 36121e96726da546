// Input validation: every invalid problem is refused with one exact Japanese line.
#include "events/match/instance.h"

#include <gtest/gtest.h>

#include "events/match/schedule.h"
#include "support/result.h"
#include "unit/events/match/fixtures.h"

using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::events::match {
namespace {

using testing::ask;
using testing::grid;
using testing::person;

// Two slots, one table, a and b available everywhere, c only in s2, a -> b and c -> a accepted.
Problem base() {
  Problem problem = grid(2, 1);
  person(problem, "a");
  person(problem, "b", {}, 1);
  person(problem, "c", {"s2"});
  ask(problem, "a", "b", 2);
  ask(problem, "c", "a", 3);
  return problem;
}

std::string error_of(const Problem& problem) {
  auto result = schedule_meetings(problem);
  if (result) return "(accepted)";
  ExpectErrorCode(result, ErrorCode::kInvalidArgument);
  return result.error().message;
}

TEST(MatchValidation, AcceptsTheBaseProblem) { EXPECT_EQ(error_of(base()), "(accepted)"); }

TEST(MatchValidation, RefusesBadGridAndParticipants) {
  Problem p = base();
  p.tables = 0;
  EXPECT_EQ(error_of(p), "テーブル数は 1〜10000 で指定してください: 0");
  p = base();
  p.slots.clear();
  EXPECT_EQ(error_of(p), "時間枠が 1 つもありません");
  p = base();
  p.slots[1].id = "s1";
  EXPECT_EQ(error_of(p), "時間枠 ID が重複しています: s1");
  p = base();
  p.slots[0].minutes = 0;
  EXPECT_EQ(error_of(p), "時間枠 s1 の長さ（分）は 1 以上で指定してください: 0");
  p = base();
  person(p, "a");
  EXPECT_EQ(error_of(p), "参加者 ID が重複しています: a");
  p = base();
  p.participants[2].available.push_back("s9");
  EXPECT_EQ(error_of(p), "参加者 c の参加可能枠に不明な時間枠があります: s9");
  p = base();
  p.participants[0].max_meetings = -1;
  EXPECT_EQ(error_of(p), "参加者 a の面談数の上限は 0 以上で指定してください: -1");
  p = base();
  for (int s = 3; s <= kMaxSlots + 1; ++s) p.slots.push_back({"x" + std::to_string(s), "", 15});
  EXPECT_EQ(error_of(p), "時間枠が多すぎます: 65（上限 64）");
}

TEST(MatchValidation, RefusesBadRequests) {
  Problem p = base();
  ask(p, "a", "zz");
  EXPECT_EQ(error_of(p), "申込み a → zz: 参加者が見つかりません: zz");
  p = base();
  ask(p, "b", "b");
  EXPECT_EQ(error_of(p), "申込み b → b: 自分自身への申込みはできません");
  p = base();
  ask(p, "b", "c", 4);
  EXPECT_EQ(error_of(p), "申込み b → c: 優先度は 1〜3 で指定してください: 4");
  p = base();
  ask(p, "a", "b", 1, false);
  EXPECT_EQ(error_of(p), "申込み a → b が重複しています");
}

TEST(MatchValidation, RefusesLockedMeetingsThatBreakARule) {
  Problem p = base();
  p.locked = {{"a", "zz", "s1"}};
  EXPECT_EQ(error_of(p), "固定された面談 a–zz（s1）: 参加者が見つかりません: zz");
  p.locked = {{"a", "b", "s7"}};
  EXPECT_EQ(error_of(p), "固定された面談 a–b（s7）: 時間枠が見つかりません: s7");
  p.locked = {{"b", "c", "s2"}};
  EXPECT_EQ(error_of(p), "固定された面談 b–c（s2）: 二人の間に承認済みの申込みがありません");
  p.locked = {{"a", "c", "s1"}};
  EXPECT_EQ(error_of(p), "固定された面談 a–c（s1）: c はこの時間枠に参加できません");
  p.locked = {{"a", "b", "s1"}, {"b", "a", "s2"}};
  EXPECT_EQ(error_of(p), "固定された面談 b–a（s2）: この二人の面談が重複しています");
  p.locked = {{"a", "b", "s2"}, {"c", "a", "s2"}};
  EXPECT_EQ(error_of(p), "固定された面談 c–a（s2）: a はこの時間枠に別の面談があります");

  // b may meet once: a second locked meeting of b is over its maximum.
  p = base();
  person(p, "d");
  ask(p, "d", "b");
  p.tables = 2;
  p.locked = {{"a", "b", "s1"}, {"d", "b", "s2"}};
  EXPECT_EQ(error_of(p), "固定された面談 d–b（s2）: b の面談数が上限（1 件）を超えます");

  // One table: two locked meetings in one slot are over the tables.
  p = base();
  person(p, "d");
  ask(p, "d", "c");
  p.locked = {{"a", "b", "s2"}, {"d", "c", "s2"}};
  EXPECT_EQ(error_of(p), "固定された面談 d–c（s2）: この時間枠のテーブル数（1）を超えます");

  // A declined request does not allow a locked meeting.
  p = base();
  p.requests[0].accepted = false;
  p.locked = {{"a", "b", "s1"}};
  EXPECT_EQ(error_of(p), "固定された面談 a–b（s1）: 二人の間に承認済みの申込みがありません");
}

TEST(MatchInstance, WeighsAPairByBothAcceptedDirections) {
  Problem p = base();
  ask(p, "b", "a", 3);
  ask(p, "b", "c", 2, false);
  auto in = build_instance(p);
  ASSERT_OK(in);
  ASSERT_EQ(in->edges.size(), 2u);
  EXPECT_EQ(in->edges[0].weight, 5);  // a -> b (2) + b -> a (3)
  EXPECT_EQ(in->edges[1].weight, 3);  // c -> a
  EXPECT_EQ(in->edge_between(1, 2), -1);  // b -> c declined: no edge
  EXPECT_EQ(in->request_edge, (std::vector<int>{0, 1, 0, -1}));
  EXPECT_EQ(in->edges[1].common, uint64_t{0b10});
  EXPECT_EQ(in->max_meetings, (std::vector<int>{2, 1, 1}));
}

}  // namespace
}  // namespace kakehashi::events::match
