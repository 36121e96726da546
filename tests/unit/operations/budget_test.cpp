// The programme's budget (issue 15, R9.1) in integer yen: contract amounts against the cap, the
// secretariat's expenses with receipts, the monthly plan, and plan vs actual by month with the
// operators' contracts accrued per day of their contract period up to today.
#include <gtest/gtest.h>

#include "operations/budget.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::operations::testing {
namespace {

class BudgetTest : public ProgrammeFixture {
 protected:
  Expense expense(const char* spent_on, ExpenseCategory category, std::int64_t amount) {
    Expense e;
    e.spent_on = *Date::parse(spent_on);
    e.category = category;
    e.budget_line = "中間報告会";
    e.description = "会場使用料";
    e.amount = amount;
    return e;
  }
  std::int64_t added(const Expense& e, const std::optional<Receipt>& receipt = std::nullopt) {
    auto id = add_expense(tx(), principal(secretariat_), call_.id, e, receipt, published_);
    EXPECT_OK(id);
    return id.value_or(0);
  }
};

TEST(Accrual, SpreadsAContractOverItsDaysAndAddsUpExactly) {
  // 2027-01-15 … 2027-03-31: 17 + 28 + 31 = 76 days, 500,000 yen a day.
  Date from = *Date::parse("2027-01-15"), to = *Date::parse("2027-03-31");
  auto all = accrue_by_month(38'000'000, from, to, to);
  std::vector<std::pair<std::string, std::int64_t>> expected = {
      {"2027-01", 8'500'000}, {"2027-02", 14'000'000}, {"2027-03", 15'500'000}};
  EXPECT_EQ(all, expected);
  // Only the days up to today: 17 in January, 10 in February.
  expected = {{"2027-01", 8'500'000}, {"2027-02", 5'000'000}};
  EXPECT_EQ(accrue_by_month(38'000'000, from, to, *Date::parse("2027-02-10")), expected);
  EXPECT_TRUE(accrue_by_month(38'000'000, from, to, *Date::parse("2027-01-14")).empty());
  // An amount that does not divide evenly still adds up to the yen.
  auto odd = accrue_by_month(1'000'001, *Date::parse("2026-08-01"), *Date::parse("2027-03-31"), *Date::parse("2027-12-31"));
  std::int64_t sum = 0;
  for (const auto& [month, yen] : odd) sum += yen;
  EXPECT_EQ(odd.size(), 8u);
  EXPECT_EQ(sum, 1'000'001);
}

TEST_F(BudgetTest, TheSummaryAddsContractsAndExpensesAgainstTheCapInYen) {
  added(expense("2027-01-20", ExpenseCategory::kSpeakers, 54'300));
  added(expense("2027-02-05", ExpenseCategory::kVenue, 165'000));
  added(expense("2027-02-25", ExpenseCategory::kVenue, 88'000));
  ASSERT_OK(save_plan(tx(), principal(secretariat_), call_.id,
                      {{"2027-01", "operators", 20'000'000}, {"2027-02", "venue", 200'000}, {"2027-02", "operators", 30'000'000}},
                      published_));
  auto s = budget_summary(tx(), principal(meti_), call_.id, *Date::parse("2027-02-10"));
  ASSERT_OK(s);
  EXPECT_EQ(s->cap, 210'000'000);
  EXPECT_EQ(s->contract_total, 78'000'000);  // 38 + 19 + 21 million
  EXPECT_EQ(s->expense_total, 307'300);
  EXPECT_EQ(s->expense_by_category[0], 253'000);  // venue
  EXPECT_EQ(s->expense_by_category[1], 54'300);   // speakers
  EXPECT_EQ(s->committed, 78'307'300);
  EXPECT_EQ(s->remaining, 210'000'000 - 78'307'300);
  ASSERT_EQ(s->months.size(), 3u);
  EXPECT_EQ(s->months[0].month, "2027-01");
  // January: 17 of 76 days of 78,000,000 yen accrued, and the speakers' travel.
  EXPECT_EQ(s->months[0].actual[0], 78'000'000LL * 17 / 76);
  EXPECT_EQ(s->months[0].actual[2], 54'300);
  EXPECT_EQ(s->months[0].planned_total, 20'000'000);
  EXPECT_EQ(s->months[1].planned[1], 200'000);
  EXPECT_EQ(s->months[1].actual[1], 253'000);
  EXPECT_EQ(s->months[1].planned_total, 30'200'000);
  EXPECT_EQ(s->months[2].actual_total, 0) << "March is still ahead";
  EXPECT_EQ(s->totals.planned_total, 50'200'000);
  EXPECT_EQ(s->totals.actual_total, s->months[0].actual_total + s->months[1].actual_total);
  // A lower cap shows the overrun as a negative remainder.
  ASSERT_OK(update_settings(tx(), principal(secretariat_), {4, 70'000'000}, published_));
  s = budget_summary(tx(), principal(secretariat_), call_.id, *Date::parse("2027-02-10"));
  ASSERT_OK(s);
  EXPECT_EQ(s->remaining, 70'000'000 - 78'307'300);
}

TEST_F(BudgetTest, OnlyTheSecretariatWritesAndOnlySecretariatAndMetiRead) {
  ExpectError(add_expense(tx(), principal(meti_), call_.id, expense("2027-01-20", ExpenseCategory::kOther, 1'000), std::nullopt,
                          published_),
              ErrorCode::kPermissionDenied, "支出を記録する権限がありません");
  ExpectError(budget_summary(tx(), principal(operator_a_), call_.id, *Date::parse("2027-02-10")), ErrorCode::kPermissionDenied, "予算を閲覧する権限がありません");
  ExpectError(budget_summary(tx(), principal(bureau_chubu_), call_.id, *Date::parse("2027-02-10")),
              ErrorCode::kPermissionDenied, "予算を閲覧する権限がありません");
  std::int64_t id = added(expense("2027-01-20", ExpenseCategory::kOther, 1'000));
  auto hidden = find_expense(tx(), principal(operator_a_), id);
  ASSERT_OK(hidden);
  EXPECT_FALSE(hidden->has_value());
  auto seen = find_expense(tx(), principal(meti_), id);
  ASSERT_OK(seen);
  EXPECT_TRUE(seen->has_value());
  ExpectError(delete_expense(tx(), principal(meti_), id, published_), ErrorCode::kPermissionDenied, "支出を削除する権限がありません");
  ASSERT_OK(delete_expense(tx(), principal(secretariat_), id, published_));
  EXPECT_EQ(audit_count("operation.expense", fmt::format("expense:{}", id)), 1);
  EXPECT_EQ(audit_count("operation.expense_delete", fmt::format("expense:{}", id)), 1);
}

TEST_F(BudgetTest, ExpensesAndReceiptsAreValidatedWithJapaneseMessages) {
  Expense out;
  auto errors = read_expense({"2027/02/30", "food", std::string(101, 'x'), "", 0}, out);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) got.emplace_back(e.field, e.message);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"spent_on", "支出日は 2026-12-25 の形式で入力してください"},
      {"category", "費目を選んでください"},
      {"budget_line", "予算科目は 100 文字以内で入力してください"},
      {"description", "内容を入力してください"},
      {"amount", "金額は 1 円以上で入力してください"},
  };
  EXPECT_EQ(got, expected);
  EXPECT_EQ(check_receipt("text/plain", 10)->message, "領収書は PDF・JPEG・PNG のファイルを選んでください");
  EXPECT_EQ(check_receipt("application/pdf", kReceiptLimit + 1)->message, "領収書のファイルは 5 MB 以内にしてください");
  EXPECT_FALSE(check_receipt("image/png", 1000).has_value());
  ExpectError(add_expense(tx(), principal(secretariat_), call_.id, expense("2027-01-20", ExpenseCategory::kOther, 1'000),
                          Receipt{"memo.txt", "text/plain", "hello", ""}, published_),
              ErrorCode::kInvalidArgument, "領収書は PDF・JPEG・PNG のファイルを選んでください");
}

TEST_F(BudgetTest, AReceiptIsStoredAndReadBackOnlyWithinTheBudgetsReaders) {
  std::string pdf = "%PDF-1.4\n%%EOF\n";
  std::int64_t id = added(expense("2027-01-20", ExpenseCategory::kVenue, 165'000), Receipt{"領収書.pdf", "application/pdf", pdf, "ab"});
  auto r = expense_receipt(tx(), principal(meti_), id);
  ASSERT_OK(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->bytes, pdf);
  EXPECT_EQ((*r)->name, "領収書.pdf");
  auto none = expense_receipt(tx(), principal(operator_a_), id);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_OK(update_expense(tx(), principal(secretariat_), id, expense("2027-01-21", ExpenseCategory::kVenue, 160'000),
                           std::nullopt, true, published_));
  r = expense_receipt(tx(), principal(secretariat_), id);
  ASSERT_OK(r);
  EXPECT_FALSE(r->has_value());
}

TEST_F(BudgetTest, ThePlanTakesOnlyTheYearsMonthsAndCategories) {
  auto months = budget_months(tx(), call_.id);
  ASSERT_OK(months);
  EXPECT_EQ(*months, (std::vector<std::string>{"2027-01", "2027-02", "2027-03"}));
  auto refused = save_plan(tx(), principal(secretariat_), call_.id, {{"2026-05", "venue", 1}}, published_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "計画の月が正しくありません: 2026-05");
  ExpectError(save_plan(tx(), principal(secretariat_), call_.id, {{"2027-01", "food", 1}}, published_),
              ErrorCode::kInvalidArgument, "計画の費目が正しくありません: food");
  ExpectError(save_plan(tx(), principal(meti_), call_.id, {{"2027-01", "venue", 1}}, published_),
              ErrorCode::kPermissionDenied, "予算計画を変更する権限がありません");
  ASSERT_OK(save_plan(tx(), principal(secretariat_), call_.id, {{"2027-01", "venue", 5}}, published_));
  EXPECT_EQ(count("SELECT planned FROM budget_plan WHERE month = '2027-01' AND category = 'venue'"), 5);
  EXPECT_EQ(audit_count("operation.budget_plan", fmt::format("budget_plan:{}", call_.id)), 1);
}

}  // namespace
}  // namespace kakehashi::operations::testing
