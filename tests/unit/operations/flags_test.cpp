// Red flags (R3.1, issue 15) on a fixed day, each kind at its boundary: a milestone past due
// (not 完了 / 中止), no activity for N weeks (never in the contract's first N weeks), projects
// behind the operator's own target pro rata, and the programme's budget burn ahead of or far
// behind the plan (monthly plan, else the cap linear over the fiscal year).
#include <gtest/gtest.h>

#include "operations/flags.h"
#include "operations/milestones.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

namespace kakehashi::operations::testing {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

Operator contract(const char* from = "2026-08-01", const char* to = "2027-03-31", int target = 0) {
  Operator op;
  op.id = 7;
  op.name = "株式会社テスト";
  op.contract_from = day(from);
  op.contract_to = day(to);
  op.project_target = target;
  return op;
}

Milestone milestone(const char* due, MilestoneStatus status) {
  Milestone m;
  m.id = 3;
  m.title = "連携校の決定";
  m.due_on = day(due);
  m.status = status;
  return m;
}

std::vector<FlagKind> kinds(const std::vector<Flag>& flags) {
  std::vector<FlagKind> out;
  for (const Flag& f : flags) out.push_back(f.kind);
  return out;
}

// Facts with recent activity, so that only the flag under test can show.
OperatorFacts facts(Operator op) { return OperatorFacts{std::move(op), {}, day("2026-11-30"), 0}; }

TEST(FlagsTest, AMilestoneIsOverdueFromTheDayAfterItsDueDate) {
  OperatorFacts f = facts(contract());
  f.milestones = {milestone("2026-12-01", MilestoneStatus::kInProgress)};
  EXPECT_TRUE(operator_flags(f, 4, day("2026-12-01")).empty());
  auto flags = operator_flags(f, 4, day("2026-12-03"));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].kind, FlagKind::kMilestoneOverdue);
  EXPECT_EQ(flags[0].milestone_id, 3);
  EXPECT_EQ(flags[0].reason, "マイルストーン「連携校の決定」の期限（12月1日）を 2 日過ぎています");
  f.milestones[0].status = MilestoneStatus::kDelayed;
  EXPECT_EQ(kinds(operator_flags(f, 4, day("2026-12-02"))), std::vector<FlagKind>{FlagKind::kMilestoneOverdue});
  for (MilestoneStatus closed : {MilestoneStatus::kDone, MilestoneStatus::kCancelled}) {
    f.milestones[0].status = closed;
    EXPECT_TRUE(operator_flags(f, 4, day("2026-12-20")).empty());
  }
}

TEST(FlagsTest, NoActivityAfterNWeeksButNotInTheContractsFirstNWeeks) {
  OperatorFacts f{contract(), {}, std::nullopt, 0};
  EXPECT_TRUE(operator_flags(f, 4, day("2026-08-28")).empty());  // 27 days after the start
  auto flags = operator_flags(f, 4, day("2026-08-29"));          // 28 days
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].kind, FlagKind::kNoActivity);
  EXPECT_EQ(flags[0].reason, "契約開始（8月1日）から 4 週間以上活動の記録がありません");
  f.last_activity = day("2026-11-05");
  EXPECT_TRUE(operator_flags(f, 4, day("2026-12-02")).empty());  // 27 days since
  flags = operator_flags(f, 4, day("2026-12-03"));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].reason, "4 週間以上活動の記録がありません（最後の記録: 11月5日）");
  // The setting decides the window.
  EXPECT_TRUE(operator_flags(f, 5, day("2026-12-03")).empty());
}

TEST(FlagsTest, ProjectsBehindTheTargetProRataLessATolerance) {
  // 20 projects over 2026-08-01 … 2027-03-31 (243 days): on 12月1日 (day 123) 10 are expected;
  // the tolerance is a tenth of the target (2).
  OperatorFacts f = facts(contract("2026-08-01", "2027-03-31", 20));
  f.project_count = 8;
  EXPECT_TRUE(operator_flags(f, 4, day("2026-12-01")).empty());
  f.project_count = 7;
  auto flags = operator_flags(f, 4, day("2026-12-01"));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].kind, FlagKind::kProjectsBehind);
  EXPECT_EQ(flags[0].reason, "プロジェクト数が目標に届いていません（現在 7 件。目標 20 件の期間按分では 10 件）");
  // No target, no flag.
  f.op.project_target = 0;
  EXPECT_TRUE(operator_flags(f, 4, day("2026-12-01")).empty());
}

TEST(FlagsTest, TheWorstFlagComesFirst) {
  OperatorFacts f{contract("2026-08-01", "2027-03-31", 20), {milestone("2026-11-01", MilestoneStatus::kNotStarted)},
                  std::nullopt, 0};
  EXPECT_EQ(kinds(operator_flags(f, 4, day("2026-12-01"))),
            (std::vector<FlagKind>{FlagKind::kMilestoneOverdue, FlagKind::kProjectsBehind, FlagKind::kNoActivity}));
}

TEST(FlagsTest, BudgetLinearOverTheFiscalYearWithoutAPlan) {
  // Cap 100,000,000 yen; on 2026-09-30 183 of 365 days of the fiscal year have passed.
  BudgetFacts b;
  b.programme_cap = 100'000'000;
  b.operators = {contract("2026-04-01", "2027-03-31")};
  b.operators[0].contract_amount = 100'000'000;
  Date today = day("2026-09-30");
  EXPECT_EQ(planned_to_date(b, today), 50'136'986);
  EXPECT_EQ(spent_to_date(b, today), 50'136'986);
  EXPECT_TRUE(budget_flags(b, today).empty());
  b.expenses_to_date = 10'000'000;  // 60.1 M against 50.1 M: within 120 %
  EXPECT_TRUE(budget_flags(b, today).empty());
  b.expenses_to_date = 10'100'000;  // above 120 %
  auto ahead = budget_flags(b, today);
  ASSERT_EQ(ahead.size(), 1u);
  EXPECT_EQ(ahead[0].kind, FlagKind::kBudgetAhead);
  EXPECT_EQ(ahead[0].reason,
            "予算の執行が計画より進んでいます（執行見込み 60,236,986 円、予算上限の年度内均等配分では 50,136,986 円）");
  b.expenses_to_date = 0;
  b.operators[0].contract_amount = 50'000'000;  // 25.07 M: just above half
  EXPECT_TRUE(budget_flags(b, today).empty());
  b.operators[0].contract_amount = 49'000'000;  // 24.57 M: below half of the plan
  EXPECT_EQ(kinds(budget_flags(b, today)), std::vector<FlagKind>{FlagKind::kBudgetBehind});
}

TEST(FlagsTest, TheMonthlyPlanCountsTheCurrentMonthProRata) {
  BudgetFacts b;
  b.programme_cap = 210'000'000;
  for (const char* month : {"2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"}) b.plan_by_month[month] = 10'000'000;
  b.plan_by_month["2026-10"] = 31'000'000;
  b.plan_by_month["2026-11"] = 50'000'000;
  EXPECT_EQ(planned_to_date(b, day("2026-10-15")), 75'000'000);
  b.expenses_to_date = 30'000'000;  // 30 M against 75 M: far behind
  auto flags = budget_flags(b, day("2026-10-15"));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].reason,
            "予算の執行が計画より大きく遅れています（執行見込み 30,000,000 円、月別の執行計画では 75,000,000 円）");
}

class ProgrammeFlagsTest : public ProgrammeFixture {};

TEST_F(ProgrammeFlagsTest, FlagsFromTheDatabase) {
  // A's contract starts on 2027-01-15; a milestone due 2027-02-01 still in progress.
  ASSERT_OK(create_milestone(tx(), principal(operator_a_), op_a_,
                             MilestoneForm{"連携校の決定", "", "2027-02-01", "", "", "in_progress"}, published_));
  // B held a session on 2027-02-10; C did nothing.
  ASSERT_OK(tx().exec("INSERT INTO projects (id, operator_id, block_id, title, category, created_at, updated_at) "
                      "VALUES (900, ?, 'tokai', '出前授業', 'hito', '2027-01-20T00:00:00Z', '2027-01-20T00:00:00Z')",
                      {op_b_}));
  ASSERT_OK(tx().exec("INSERT INTO project_sessions (project_id, held_on, created_at) VALUES (900, '2027-02-10', "
                      "'2027-02-10T00:00:00Z')"));
  auto ops = all_operators(tx(), call_.id);
  ASSERT_OK(ops);
  // 2月11日: 27 days after the contract start and A's last change.
  auto flags = flags_of(tx(), *ops, day("2027-02-11"));
  ASSERT_OK(flags);
  EXPECT_EQ(kinds((*flags)[op_a_]), std::vector<FlagKind>{FlagKind::kMilestoneOverdue});
  EXPECT_TRUE((*flags)[op_b_].empty());
  EXPECT_TRUE((*flags)[op_c_].empty());
  // The secretariat's review on 2月5日 is not the operator's activity.
  auto milestones = visible_milestones(tx(), principal(secretariat_), call_.id, op_a_);
  ASSERT_OK(milestones);
  ASSERT_EQ(milestones->size(), 1u);
  ASSERT_OK(review_milestone(tx(), principal(secretariat_), (*milestones)[0].milestone.id, ReviewState::kNeedsWork,
                             "進捗を報告してください", "/x", sys_days{2027y / 2 / 5} + hours{1}));
  // 2月12日: four weeks.
  auto later = flags_of(tx(), *ops, day("2027-02-12"));
  ASSERT_OK(later);
  EXPECT_EQ(kinds((*later)[op_a_]), (std::vector<FlagKind>{FlagKind::kMilestoneOverdue, FlagKind::kNoActivity}));
  EXPECT_TRUE((*later)[op_b_].empty());
  EXPECT_EQ(kinds((*later)[op_c_]), std::vector<FlagKind>{FlagKind::kNoActivity});
}

}  // namespace
}  // namespace kakehashi::operations::testing
