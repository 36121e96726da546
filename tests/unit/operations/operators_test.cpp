// Operators from the published decision and who sees them (issue 15, "Operators from the
// decision"): each winning organisation becomes the operator of its blocks with the awarded
// amounts; operators see their own, bureaus the blocks of their bureau (北陸 is shared by 中部 and
// 近畿), METI and the secretariat all; changes are validated and audited.
#include <gtest/gtest.h>

#include "operations/service.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::operations::testing {
namespace {

class OperatorsTest : public ProgrammeFixture {
 protected:
  std::vector<std::string> visible_names(std::int64_t user_id) {
    auto list = list_operators(tx(), principal(user_id), call_.id);
    EXPECT_OK(list);
    std::vector<std::string> names;
    if (list) {
      for (const Operator& op : *list) names.push_back(op.name);
    }
    return names;
  }
  bool sees(std::int64_t user_id, std::int64_t operator_id) {
    auto op = find_operator(tx(), principal(user_id), operator_id);
    EXPECT_OK(op);
    return op && op->has_value();
  }
};

TEST_F(OperatorsTest, PublishedResultsMakeEachWinnerTheOperatorOfItsBlocks) {
  Operator a = load(op_a_);
  EXPECT_EQ(a.name, "株式会社みらい産学連携");
  ASSERT_EQ(a.blocks.size(), 2u);
  EXPECT_EQ(a.blocks[0].block_id, "hokkaido");
  EXPECT_EQ(a.blocks[0].amount, 20'000'000);
  EXPECT_EQ(a.blocks[1].block_id, "hokuriku");
  EXPECT_EQ(a.contract_amount, 38'000'000);
  EXPECT_EQ(a.contract_from.iso(), "2027-01-15");
  EXPECT_EQ(a.contract_to.iso(), "2027-03-31");
  ASSERT_FALSE(a.contacts.empty());
  EXPECT_EQ(a.contacts[0].name, "担当 二郎");
  EXPECT_EQ(a.contacts[0].email, "tanto@operator.example");
  EXPECT_EQ(audit_count("operator.create", fmt::format("operator:{}", op_a_)), 1);
}

TEST_F(OperatorsTest, AdoptingTwiceCreatesNothingNew) {
  auto again = adopt_published_results(tx(), reload(call_.id), by(secretariat_), published_);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM operators"), 3);
}

TEST_F(OperatorsTest, NothingIsAdoptedBeforeThePublication) {
  call::CallSettings s = settings();
  s.title = "二次公募";
  call::Call second = open_call(s);
  ExpectError(adopt_published_results(tx(), second, by(secretariat_), published_), ErrorCode::kInvalidArgument,
              "結果の公表前に実証事業者を登録することはできません");
}

TEST_F(OperatorsTest, EachRoleSeesItsOwnReach) {
  const std::vector<std::string> all = {"株式会社みらい産学連携", "一般社団法人まなびブリッジ", "特定非営利活動法人地域共創ラボ"};
  EXPECT_EQ(visible_names(secretariat_), all);
  EXPECT_EQ(visible_names(meti_), all);
  EXPECT_EQ(visible_names(operator_a_), std::vector<std::string>{"株式会社みらい産学連携"});
  EXPECT_EQ(visible_names(operator_b_), std::vector<std::string>{"一般社団法人まなびブリッジ"});
  // 中部 covers 東海 and (for 富山・石川) 北陸; 近畿 covers 近畿 and (for 福井) 北陸.
  EXPECT_EQ(visible_names(bureau_chubu_), (std::vector<std::string>{"株式会社みらい産学連携", "一般社団法人まなびブリッジ"}));
  EXPECT_EQ(visible_names(bureau_kinki_), (std::vector<std::string>{"株式会社みらい産学連携", "特定非営利活動法人地域共創ラボ"}));
  EXPECT_TRUE(visible_names(bureau_kanto_).empty());
  EXPECT_TRUE(visible_names(reviewers_[0]).empty());
}

TEST_F(OperatorsTest, AnOperatorOutOfReachIsNotFound) {
  EXPECT_TRUE(sees(operator_a_, op_a_));
  EXPECT_FALSE(sees(operator_a_, op_b_));
  EXPECT_FALSE(sees(bureau_kanto_, op_a_));
  EXPECT_TRUE(sees(bureau_kinki_, op_a_));
  EXPECT_FALSE(sees(bureau_kinki_, op_b_));
  EXPECT_FALSE(sees(reviewers_[0], op_a_));
  EXPECT_FALSE(sees(secretariat_, 999'999));
}

TEST_F(OperatorsTest, TheSecretariatChangesTheContractWithAudit) {
  Operator a = load(op_a_);
  OperatorChanges changes{37'500'000, a.contract_from, a.contract_to, "地域の高校 10 校で PBL を定着させる", 20,
                          {{0, "担当 二郎", "事業推進部", "tanto@operator.example", "03-1234-5678"}}};
  ASSERT_OK(update_operator(tx(), principal(secretariat_), op_a_, changes, published_));
  Operator changed = load(op_a_);
  EXPECT_EQ(changed.contract_amount, 37'500'000);
  EXPECT_EQ(changed.final_goal, "地域の高校 10 校で PBL を定着させる");
  EXPECT_EQ(changed.project_target, 20);
  ASSERT_EQ(changed.contacts.size(), 1u);
  EXPECT_EQ(changed.contacts[0].title, "事業推進部");
  EXPECT_EQ(audit_count("operator.update", fmt::format("operator:{}", op_a_)), 1);
}

TEST_F(OperatorsTest, OnlyTheSecretariatChangesTheContract) {
  Operator a = load(op_a_);
  OperatorChanges changes{1, a.contract_from, a.contract_to, a.final_goal, 0, a.contacts};
  ExpectError(update_operator(tx(), principal(operator_a_), op_a_, changes, published_), ErrorCode::kPermissionDenied,
              "契約情報を変更する権限がありません");
  ExpectError(update_operator(tx(), principal(meti_), op_a_, changes, published_), ErrorCode::kPermissionDenied,
              "契約情報を変更する権限がありません");
  // Out of reach answers "not found", whatever the role would allow.
  ExpectError(update_operator(tx(), principal(operator_b_), op_a_, changes, published_), ErrorCode::kNotFound,
              "実証事業者が見つかりません");
  EXPECT_EQ(load(op_a_).contract_amount, 38'000'000);
}

TEST_F(OperatorsTest, EveryProblemOfTheFormIsReportedAtOnce) {
  Operator a = load(op_a_);
  OperatorChanges changes{-1, a.contract_to, a.contract_from.plus_days(-1), "", -5,
                          {{0, "", "", "not-an-address", ""}}};
  auto errors = validate(changes);
  std::vector<std::string> fields;
  for (const FieldError& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"contract_amount", "contract_to", "project_target", "contacts", "contacts"}));
  ExpectError(update_operator(tx(), principal(secretariat_), op_a_, changes, published_), ErrorCode::kInvalidArgument,
              join_messages(errors));
}

TEST_F(OperatorsTest, TheOperatorSetsItsOwnGoalButNotAnothers) {
  ASSERT_OK(update_plan(tx(), principal(operator_a_), op_a_, "探究学習を地域の標準にする", 12, published_));
  EXPECT_EQ(load(op_a_).project_target, 12);
  ExpectError(update_plan(tx(), principal(operator_a_), op_b_, "x", 1, published_), ErrorCode::kNotFound,
              "実証事業者が見つかりません");
  ExpectError(update_plan(tx(), principal(bureau_chubu_), op_b_, "x", 1, published_), ErrorCode::kPermissionDenied,
              "最終目標を変更する権限がありません");
}

TEST_F(OperatorsTest, SettingsAreValidatedAndAudited) {
  auto defaults = operations::settings(tx());
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->inactivity_weeks, 4);
  EXPECT_EQ(defaults->programme_cap, 210'000'000);
  ExpectError(update_settings(tx(), principal(secretariat_), {0, 210'000'000}, published_), ErrorCode::kInvalidArgument,
              "活動なしと判定するまでの週数は 1〜26 の整数で入力してください");
  ExpectError(update_settings(tx(), principal(operator_a_), {3, 1}, published_), ErrorCode::kPermissionDenied,
              "設定を変更する権限がありません");
  ASSERT_OK(update_settings(tx(), principal(secretariat_), {3, 200'000'000}, published_));
  auto changed = operations::settings(tx());
  ASSERT_OK(changed);
  EXPECT_EQ(changed->inactivity_weeks, 3);
  EXPECT_EQ(changed->programme_cap, 200'000'000);
}

TEST(FiscalYear, EndsOnTheThirtyFirstOfMarch) {
  EXPECT_EQ(fiscal_year_end(*Date::parse("2026-08-01")).iso(), "2027-03-31");
  EXPECT_EQ(fiscal_year_end(*Date::parse("2027-03-31")).iso(), "2027-03-31");
  EXPECT_EQ(fiscal_year_end(*Date::parse("2027-04-01")).iso(), "2028-03-31");
}

}  // namespace
}  // namespace kakehashi::operations::testing
