// compute_results and leader_changes on a committee worked out by hand.
#include "call/engine/results.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kakehashi::call::engine {
namespace {

// X is harsh (60 on average), Y lenient (90), Z reviewed once. Every total: 70, 60, 50, 80, 90,
// 100, 75: mean M = 75, population sd S = sqrt(1750 / 7) = sqrt(250). X and Y each have sd
// sqrt(200 / 3), so X's 70 is z = +sqrt(3/2) and becomes 75 + sqrt(250 · 3/2) = 75 + sqrt(375).
std::vector<ReviewTotal> committee() {
  return {{"a1", "X", 70}, {"a3", "X", 60},  {"a4", "X", 50}, {"a2", "Y", 80},
          {"a3", "Y", 90}, {"a4", "Y", 100}, {"a1", "Z", 75}};
}

const ApplicationResult& row(const ResultsTable& table, const std::string& id) {
  for (const ApplicationResult& r : table.applications) {
    if (r.application == id) return r;
  }
  throw std::out_of_range(id);
}

TEST(Results, NormalisesReviewersWithEnoughReviewsByRescaledZScores) {
  ResultsTable table = compute_results(committee());
  ASSERT_EQ(table.applications.size(), 4u);
  EXPECT_EQ(table.applications[0].application, "a1");  // order of first appearance
  EXPECT_EQ(table.applications[1].application, "a3");
  EXPECT_EQ(table.normalised_reviewers, (std::vector<std::string>{"X", "Y"}));

  const double shift = std::sqrt(375.0);  // 19.3649…
  EXPECT_DOUBLE_EQ(row(table, "a1").mean, 72.5);
  EXPECT_NEAR(row(table, "a1").normalised, (75 + shift + 75) / 2, 1e-9);  // Z stays raw: 84.68
  EXPECT_DOUBLE_EQ(row(table, "a2").mean, 80);
  EXPECT_NEAR(row(table, "a2").normalised, 75 - shift, 1e-9);  // 55.64
  EXPECT_DOUBLE_EQ(row(table, "a3").mean, 75);
  EXPECT_NEAR(row(table, "a3").normalised, 75, 1e-9);
  EXPECT_NEAR(row(table, "a4").normalised, 75, 1e-9);
  ASSERT_EQ(row(table, "a1").totals.size(), 2u);
  EXPECT_EQ(row(table, "a1").totals[1].reviewer, "Z");

  EXPECT_EQ(
      table.method,
      "審査委員ごとの正規化: 3 件以上を審査し点にばらつきのある審査委員 2 人について、各合計点 x を"
      "その審査委員の平均 m と標準偏差 s から z = (x − m) ÷ s とし、全審査の平均 75.00 と標準偏差 "
      "15.81 に当てはめて 75.00 + 15.81 × z としました（標準偏差は母標準偏差）。それ以外の審査委員 "
      "1 人の点は素点のままです。正規化後の点は、申請ごとに審査委員の点を平均したものです。");
}

TEST(Results, KeepsRawTotalsBelowTheMinimumOrWithoutSpread) {
  NormalisationOptions four{4};
  ResultsTable table = compute_results(committee(), four);
  EXPECT_TRUE(table.normalised_reviewers.empty());
  for (const ApplicationResult& r : table.applications) EXPECT_DOUBLE_EQ(r.normalised, r.mean);

  // W gives everyone 80: no spread, so no z-score.
  std::vector<ReviewTotal> flat = committee();
  flat.push_back({"a1", "W", 80});
  flat.push_back({"a2", "W", 80});
  flat.push_back({"a3", "W", 80});
  table = compute_results(flat);
  EXPECT_EQ(table.normalised_reviewers, (std::vector<std::string>{"X", "Y"}));
  EXPECT_DOUBLE_EQ(row(table, "a2").mean, 80);
}

TEST(Results, ReportsBlocksWhoseLeaderChanges) {
  ResultsTable table = compute_results(committee());
  // hokkaido: a2 leads by mean (80 vs 72.5), a1 after normalisation (84.68 vs 55.64).
  // tohoku: a3 and a4 tie at 75 both ways; the first listed leads both times: no change.
  auto changes = leader_changes(table, {{"a3", "tohoku"},
                                        {"a1", "hokkaido"},
                                        {"a4", "tohoku"},
                                        {"a2", "hokkaido"},
                                        {"a9", "kanto"}});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].block, "hokkaido");
  EXPECT_EQ(changes[0].leader_by_mean, "a2");
  EXPECT_EQ(changes[0].leader_by_normalised, "a1");

  EXPECT_TRUE(leader_changes(table, {{"a3", "tohoku"}, {"a4", "tohoku"}}).empty());
}

}  // namespace
}  // namespace kakehashi::call::engine
