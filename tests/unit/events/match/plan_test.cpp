// Table sizing: the rule of thumb and the engine's own estimate.
#include "events/match/plan.h"

#include <gtest/gtest.h>

#include "support/result.h"
#include "unit/events/match/fixtures.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::events::match {
namespace {

TEST(MatchPlan, AppliesTheRuleOfThumb) {
  auto plan = plan_tables(300, 6, 12);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->meetings, 900);
  EXPECT_EQ(plan->per_slot, 75);
  EXPECT_EQ(plan->tables_low, 83);   // 75 * 1.1 = 82.5, rounded up
  EXPECT_EQ(plan->tables_high, 90);  // 75 * 1.2
  plan = plan_tables(101, 3, 8);     // 151.5 meetings -> 152, 19 per slot
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->meetings, 152);
  EXPECT_EQ(plan->per_slot, 19);
  EXPECT_EQ(plan->tables_low, 21);
  EXPECT_EQ(plan->tables_high, 23);
}

TEST(MatchPlan, RefusesImpossibleFigures) {
  ExpectError(plan_tables(1, 3, 8), ErrorCode::kInvalidArgument, "参加者数は 2〜20000 で指定してください: 1");
  ExpectError(plan_tables(10, 3, 0), ErrorCode::kInvalidArgument, "時間枠数は 1〜64 で指定してください: 0");
  ExpectError(plan_tables(10, 9, 8), ErrorCode::kInvalidArgument,
              "1 人あたりの面談数は 1〜時間枠数（8）で指定してください: 9");
}

TEST(MatchPlan, EstimatesTablesFromTheRequests) {
  // Three disjoint pairs that can all meet in the single slot: three tables are needed.
  Problem p = testing::grid(1, 1);
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) testing::person(p, id);
  testing::ask(p, "a", "b");
  testing::ask(p, "c", "d");
  testing::ask(p, "e", "f", 2);
  auto estimate = estimate_tables(p);
  ASSERT_OK(estimate);
  EXPECT_EQ(estimate->tables, 3);
  EXPECT_EQ(estimate->total_weight, 4);
  // With two slots the same meetings fit on two tables.
  p = testing::grid(2, 1);
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) testing::person(p, id);
  testing::ask(p, "a", "b");
  testing::ask(p, "c", "d");
  testing::ask(p, "e", "f", 2);
  estimate = estimate_tables(p);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_EQ(estimate->tables, 2);
}

}  // namespace
}  // namespace kakehashi::events::match
