// KPIs (issue 20): validation with every problem at once, actuals by period with the current
// value and progress, scope per operator and per block (北陸 shared by two bureaus), audit.
#include <gtest/gtest.h>

#include "effects/report.h"
#include "effects/service.h"
#include "support/result.h"
#include "unit/effects/fixture.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::effects::testing {
namespace {

class KpisTest : public ProgrammeFixture {
 protected:
  std::int64_t kpi(std::int64_t op, const std::string& block, const std::string& shared, const std::string& target,
                   std::int64_t user = 0) {
    KpiDraft d;
    d.block_id = block;
    d.shared_key = shared;
    d.name = "企業からの課題提供数";
    d.unit = "件";
    d.kind = "industry";
    d.target = target;
    auto id = create_kpi(tx(), principal(user ? user : secretariat_), op, d, published_);
    EXPECT_OK(id);
    return id.value_or(0);
  }
  Kpi seen(std::int64_t id, std::int64_t user) {
    auto found = find_kpi(tx(), principal(user), id);
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : Kpi{};
  }
  void actual(std::int64_t id, const std::string& period, const std::string& value, std::int64_t user = 0) {
    ASSERT_OK(record_actual(tx(), principal(user ? user : secretariat_), id, {period, value, "月次照会", ""}, published_));
  }
};

TEST_F(KpisTest, ValidationReportsEveryProblemAtOnce) {
  auto op = operations::find_operator(tx(), op_a_);
  ASSERT_OK(op);
  KpiDraft d;
  d.block_id = "kanto";
  d.baseline = "abc";
  Kpi out;
  auto errors = validate(tx(), principal(secretariat_), d, **op, out);
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.field + ": " + e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"block_id: この実証事業者のブロックを選んでください",
                                                "name: 指標名を入力してください",
                                                "unit: 単位を入力してください（例: 人、校、%）",
                                                "kind: 種類（産業への効果・教育への効果・活動量）を選んでください",
                                                "baseline: 基準値は数値で入力してください",
                                                "target: 目標値を数値で入力してください"}));
}

TEST_F(KpisTest, SharedIndicatorTakesItsNameUnitAndKind) {
  std::int64_t id = kpi(op_a_, "hokkaido", "schools", "１８");  // full-width digits accepted
  Kpi found = seen(id, secretariat_);
    EXPECT_EQ(found.name, "参加学校数");
  EXPECT_EQ(found.unit, "校");
  EXPECT_EQ(found.kind, KpiKind::kEducation);
  EXPECT_EQ(found.target, 18);
  EXPECT_TRUE(found.cumulative);
}

TEST_F(KpisTest, ActualsAddUpAndAPeriodRecordedAgainReplacesIt) {
  std::int64_t id = kpi(op_a_, "hokkaido", "", "40");
  actual(id, "2026-10", "4");
  actual(id, "2026-11", "7");
  actual(id, "2026-10", "5");  // corrected
  actual(id, "2026-t3", "2");  // a school term, lower-case t accepted
  Kpi found = seen(id, secretariat_);
  ASSERT_EQ(found.actuals.size(), 3u);
  EXPECT_EQ(found.actuals[0].period, "2026-10");
  EXPECT_EQ(found.actuals[0].value, 5);
  EXPECT_EQ(found.actuals[2].period, "2026-T3");
  EXPECT_EQ(found.current(), 14);
  EXPECT_DOUBLE_EQ(*found.progress(), 35.0);
  EXPECT_EQ(period_label("2026-T3"), "2026年度 3学期");
  EXPECT_EQ(period_label("2026-04"), "2026年4月");
  ExpectError(record_actual(tx(), principal(secretariat_), id, {"2026/13", "x", "", ""}, published_),
              ErrorCode::kInvalidArgument,
              "期間は月（例: 2026-10）または学期（例: 2026-T2）で入力してください／実績値を数値で入力してください／"
              "出典（数値の出どころ）を入力してください");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'effects.kpi_actual'"), 4);
}

TEST_F(KpisTest, ALevelIndicatorTakesTheLatestActual) {
  auto op = operations::find_operator(tx(), op_b_);
  KpiDraft d{"", "tokai", "", "満足した生徒の割合", "%", "education", "0", "55", "80"};
  ASSERT_OK_AND_ASSIGN(std::int64_t id, create_kpi(tx(), principal(operator_b_), op_b_, d, published_));
  actual(id, "2026-09", "60", operator_b_);
  actual(id, "2026-10", "70", operator_b_);
  Kpi found = seen(id, operator_b_);
  EXPECT_EQ(found.current(), 70);
  EXPECT_DOUBLE_EQ(*found.progress(), 60.0);
}

TEST_F(KpisTest, ScopeFollowsOperatorsAndBlocks) {
  std::int64_t hokkaido = kpi(op_a_, "hokkaido", "schools", "10", operator_a_);
  std::int64_t hokuriku = kpi(op_a_, "hokuriku", "schools", "8", operator_a_);
  std::int64_t tokai = kpi(op_b_, "tokai", "schools", "12");
  auto sees = [&](std::int64_t user, std::int64_t id) {
    auto found = find_kpi(tx(), principal(user), id);
    EXPECT_OK(found);
    return found && found.value().has_value();
  };
  EXPECT_TRUE(sees(meti_, hokkaido) && sees(meti_, tokai));
  EXPECT_TRUE(sees(operator_a2_, hokkaido) && sees(operator_a2_, hokuriku));
  EXPECT_FALSE(sees(operator_b_, hokkaido));
  // 中部 covers 東海 and 北陸 (富山・石川): operator A's 北陸 indicator, not its 北海道 one.
  EXPECT_TRUE(sees(bureau_chubu_, hokuriku));
  EXPECT_TRUE(sees(bureau_chubu_, tokai));
  EXPECT_FALSE(sees(bureau_chubu_, hokkaido));
  EXPECT_TRUE(sees(bureau_hokkaido_, hokkaido));
  EXPECT_FALSE(sees(bureau_hokkaido_, tokai));
  ASSERT_OK_AND_ASSIGN(auto chubu, visible_kpis(tx(), principal(bureau_chubu_)));
  EXPECT_EQ(chubu.size(), 2u);
  // Writing: an operator only its own, a bureau and METI never.
  KpiDraft d{"", "tokai", "pupils", "", "", "", "1", "0", "100"};
  ExpectErrorCode(create_kpi(tx(), principal(operator_a_), op_b_, d, published_), ErrorCode::kNotFound);
  ExpectError(create_kpi(tx(), principal(meti_), op_b_, d, published_), ErrorCode::kPermissionDenied,
              "この実証事業者の効果検証を変更する権限がありません");
  ExpectError(record_actual(tx(), principal(bureau_chubu_), tokai, {"2026-10", "3", "照会", ""}, published_),
              ErrorCode::kPermissionDenied, "この実証事業者の効果検証を変更する権限がありません");
  ExpectErrorCode(delete_kpi(tx(), principal(operator_b_), hokkaido, published_), ErrorCode::kNotFound);
  ASSERT_OK(delete_kpi(tx(), principal(operator_a_), hokkaido, published_));
  EXPECT_FALSE(sees(secretariat_, hokkaido));
}

TEST_F(KpisTest, RollUpSumsSharedIndicatorsPerBlock) {
  std::int64_t a = kpi(op_a_, "hokkaido", "schools", "10");
  std::int64_t a2 = kpi(op_a_, "hokuriku", "schools", "8");
  std::int64_t b = kpi(op_b_, "tokai", "schools", "12");
  kpi(op_b_, "tokai", "", "99");  // an operator's own indicator is not rolled up
  actual(a, "2026-10", "3");
  actual(a, "2026-11", "2");
  actual(a2, "2026-10", "4");
  actual(b, "2026-10", "6");
  ASSERT_OK_AND_ASSIGN(Rollup all, rollup(tx(), principal(meti_)));
  EXPECT_TRUE(all.whole_programme);
  ASSERT_EQ(all.blocks.size(), 4u);  // 北海道, 北陸, 東海, 近畿 in the specification's order
  EXPECT_EQ(all.blocks[0].block_name, "北海道");
  EXPECT_EQ(all.blocks[0].current[0], 5);
  EXPECT_EQ(all.blocks[0].target[0], 10);
  EXPECT_EQ(all.total.current[0], 15);
  EXPECT_EQ(all.total.target[0], 30);
  EXPECT_EQ(all.total.block_name, "全国");
  ASSERT_OK_AND_ASSIGN(Rollup chubu, rollup(tx(), principal(bureau_chubu_)));
  EXPECT_FALSE(chubu.whole_programme);
  ASSERT_EQ(chubu.blocks.size(), 2u);
  EXPECT_EQ(chubu.total.current[0], 10);
  EXPECT_EQ(chubu.total.block_name, "合計");
  auto figures = rollup_figures(all);
  ASSERT_EQ(figures.size(), 4u);
  EXPECT_EQ(figures[0].title, "ブロック別の参加学校数");
  EXPECT_NE(figures[0].svg.find("<desc>"), std::string::npos);
  EXPECT_EQ(figures[0].data.header, (std::vector<std::string>{"ブロック", "実績（校）", "目標（校）"}));
  EXPECT_EQ(figures[0].data.rows.back()[1].number, 15);
}

}  // namespace
}  // namespace kakehashi::effects::testing
