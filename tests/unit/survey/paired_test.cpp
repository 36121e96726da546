// Paired statistics against reference values for fixed data sets.
//
// How the references were obtained: R is not installed on the build machines, so the values
// were computed by tests/unit/survey/reference.py (exact fractions for means, variances, V and
// the tie term; mpmath at 50 digits for square roots, the incomplete beta, erfc and qt) from
// the definitions R's t.test and wilcox.test implement. The R snippet above each data set
// reproduces them; for the sleep data R's own documented output is quoted as well, and the
// high-precision values round to it.
#include "survey/paired.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "unit/survey/relative.h"

namespace kakehashi::survey {
namespace {

void expect_reference(const PairedStatistics& s, double mean_pre, double mean_post,
                      double mean_diff, double sd_diff, double dz, double t, double df, double p,
                      double ci_low, double ci_high, double v, double wilcoxon_p) {
  ASSERT_TRUE(s.mean_pre && s.mean_post && s.mean_diff && s.sd_diff && s.dz);
  ASSERT_TRUE(s.t_test);
  ASSERT_TRUE(s.wilcoxon);
  EXPECT_REL(*s.mean_pre, mean_pre);
  EXPECT_REL(*s.mean_post, mean_post);
  EXPECT_REL(*s.mean_diff, mean_diff);
  EXPECT_REL(*s.sd_diff, sd_diff);
  EXPECT_REL(*s.dz, dz);
  EXPECT_REL(s.t_test->t, t);
  EXPECT_EQ(s.t_test->df, df);
  EXPECT_REL(s.t_test->p, p);
  EXPECT_REL(s.t_test->ci_low, ci_low);
  EXPECT_REL(s.t_test->ci_high, ci_high);
  EXPECT_EQ(s.wilcoxon->v, v);
  EXPECT_REL(s.wilcoxon->p, wilcoxon_p);
  EXPECT_EQ(s.note, "");
}

// Student's sleep data (R's datasets::sleep), the example of ?t.test. It has a zero difference
// and a tie in |d| (1.3, 1.3), so the Wilcoxon test uses both corrections.
//   pre  <- sleep$extra[sleep$group == 1]; post <- sleep$extra[sleep$group == 2]
//   t.test(post, pre, paired = TRUE)
//   wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = TRUE)
// R's widely reproduced output for this example, quoted from memory of R's documentation and
// textbooks, not from a run here (it is the formula form of R < 4.4, group 1 minus group 2,
// hence the opposite sign; R >= 4.4 needs the vector form above):
//   t.test(extra ~ group, data = sleep, paired = TRUE):
//     t = -4.0621, df = 9, p-value = 0.002833
//     95 percent confidence interval: -2.4598858 -0.7001142   mean difference -1.58
//   wilcox.test(extra ~ group, data = sleep, paired = TRUE):  V = 0, p-value = 0.009091
// The assertions on these printed digits agree with the high-precision values below.
// High-precision reference (reference.py, post - pre):
//   mean_pre 0.75  mean_post 2.33  mean_diff 1.58  sd_diff 1.2299954832798732228
//   dz 1.2845575625910544381  t 4.0621276833820361097  df 9  p 0.0028328901973842727403
//   ci95 0.70011423672301720129 2.4598857632769827987  V 45  p 0.0090906980159250620363
TEST(Paired, SleepDataAgreesWithR) {
  const std::vector<double> pre = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  const std::vector<double> post = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  PairedStatistics s = paired_statistics(pre, post);
  EXPECT_EQ(s.n, 10u);
  expect_reference(s, 0.75, 2.33, 1.58, 1.2299954832798732228, 1.2845575625910544381,
                   4.0621276833820361097, 9, 0.0028328901973842727403, 0.70011423672301720129,
                   2.4598857632769827987, 45, 0.0090906980159250620363);
  EXPECT_EQ(s.wilcoxon->nonzero, 9u);
  // R's printed digits.
  EXPECT_NEAR(s.t_test->t, 4.0621, 5e-5);
  EXPECT_NEAR(s.t_test->p, 0.002833, 5e-7);
  EXPECT_NEAR(s.t_test->ci_low, 0.7001142, 5e-8);
  EXPECT_NEAR(s.t_test->ci_high, 2.4598858, 5e-8);
  EXPECT_NEAR(s.wilcoxon->p, 0.009091, 5e-7);
}

// A five-point item from 20 pupils: many ties and five zero differences.
//   pre  <- c(3,2,4,3,3,2,1,4,3,2,5,3,2,4,3,3,2,1,3,4)
//   post <- c(4,3,4,4,5,2,3,4,4,3,5,4,3,5,3,4,3,2,4,5)
//   t.test(post, pre, paired = TRUE)
//   wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = TRUE)
// Reference: mean_pre 2.85  mean_post 3.7  mean_diff 0.85  sd_diff 0.58714294861239980483
//   dz 1.4476883389450773814  t 6.4742590722298984193  df 19  p 3.3287366017279908731e-6
//   ci95 0.575208641421526172 1.124791358578473828  V 120  p 0.00025283232469344267137
TEST(Paired, LikertItemWithTiesAndZeros) {
  const std::vector<double> pre = {3, 2, 4, 3, 3, 2, 1, 4, 3, 2, 5, 3, 2, 4, 3, 3, 2, 1, 3, 4};
  const std::vector<double> post = {4, 3, 4, 4, 5, 2, 3, 4, 4, 3, 5, 4, 3, 5, 3, 4, 3, 2, 4, 5};
  PairedStatistics s = paired_statistics(pre, post);
  expect_reference(s, 2.85, 3.7, 0.85, 0.58714294861239980483, 1.4476883389450773814,
                   6.4742590722298984193, 19, 3.3287366017279908731e-6, 0.575208641421526172,
                   1.124791358578473828, 120, 0.00025283232469344267137);
  EXPECT_EQ(s.wilcoxon->nonzero, 15u);
  EXPECT_REL(s.wilcoxon->z, 3.6593737918479108239);
}

// A decline with a negative mean difference and V below its mean.
//   pre <- c(5,4,5,3,4,4); post <- c(3,4,2,3,1,5)
// Reference: mean_pre 4.1666666666666666667  mean_post 3  mean_diff -1.1666666666666666667
//   sd_diff 1.7224014243685084304  dz -0.67734887475166061869  t -1.6591591209899202865
//   df 5  p 0.15797945082345659058  ci95 -2.9742161076065878319 0.64088277427325449856
//   V 1  p 0.19746607335801862677
TEST(Paired, DeclineWithNegativeDifference) {
  const std::vector<double> pre = {5, 4, 5, 3, 4, 4};
  const std::vector<double> post = {3, 4, 2, 3, 1, 5};
  PairedStatistics s = paired_statistics(pre, post);
  expect_reference(s, 4.1666666666666666667, 3, -1.1666666666666666667, 1.7224014243685084304,
                   -0.67734887475166061869, -1.6591591209899202865, 5, 0.15797945082345659058,
                   -2.9742161076065878319, 0.64088277427325449856, 1, 0.19746607335801862677);
  EXPECT_REL(s.wilcoxon->z, -1.288804465057652713);
}

// 3,000 pairs from a fixed LCG (df 2999, enormous tie groups): the large-sample path.
//   x <- 20261125; nxt <- function() { x <<- (1664525 * x + 1013904223) %% 2^32; x }
//   pre <- post <- numeric(3000)
//   for (i in 1:3000) { a <- 1 + (nxt() %/% 65536) %% 5
//     change <- c(-2, -1, 0, 0, 1, 1, 2)[1 + (nxt() %/% 65536) %% 7]
//     pre[i] <- a; post[i] <- min(5, max(1, a + change)) }
//   t.test(post, pre, paired = TRUE); wilcox.test(post, pre, paired = TRUE, exact = FALSE)
// Reference: mean_pre 2.9786666666666666667  mean_post 3.1103333333333333333
//   mean_diff 0.13166666666666666667  sd_diff 1.0529482999003211021  dz 0.12504570896703198545
//   t 6.8490355520469442577  df 2999  p 8.983819991408456928e-12
//   ci95 0.093972875319424682195 0.16936045801390865114  V 899144  p 9.7925665844600516411e-10
TEST(Paired, ThreeThousandPairsFromAFixedGenerator) {
  std::uint64_t x = 20261125;
  auto next = [&] { return x = (1664525 * x + 1013904223) % 4294967296ULL; };
  const int changes[] = {-2, -1, 0, 0, 1, 1, 2};
  std::vector<double> pre, post;
  for (int i = 0; i < 3000; ++i) {
    const int a = 1 + int((next() >> 16) % 5);
    const int change = changes[(next() >> 16) % 7];
    pre.push_back(a);
    post.push_back(std::min(5, std::max(1, a + change)));
  }
  PairedStatistics s = paired_statistics(pre, post);
  expect_reference(s, 2.9786666666666666667, 3.1103333333333333333, 0.13166666666666666667,
                   1.0529482999003211021, 0.12504570896703198545, 6.8490355520469442577, 2999,
                   8.983819991408456928e-12, 0.093972875319424682195, 0.16936045801390865114,
                   899144, 9.7925665844600516411e-10);
}

TEST(Paired, NoPairsSaysSo) {
  PairedStatistics s = paired_statistics({}, {});
  EXPECT_EQ(s.n, 0u);
  EXPECT_FALSE(s.mean_pre);
  EXPECT_FALSE(s.t_test);
  EXPECT_FALSE(s.wilcoxon);
  EXPECT_EQ(s.note, "事前と事後の両方に有効な回答がある回答者がいないため、集計できません");
}

TEST(Paired, OnePairGivesMeansButNoTests) {
  const std::vector<double> pre = {2}, post = {4};
  PairedStatistics s = paired_statistics(pre, post);
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(*s.mean_diff, 2.0);
  EXPECT_FALSE(s.sd_diff);
  EXPECT_FALSE(s.t_test);
  EXPECT_FALSE(s.wilcoxon);
  EXPECT_EQ(
      s.note,
      "事前と事後の両方に有効な回答がある回答者が1人のため、差の標準偏差と検定は計算できません"
      "（2人以上が必要です）");
}

// All differences +1: R's t.test stops ("data are essentially constant"); wilcox.test still
// answers: wilcox.test(c(2,3,4,5,3), c(1,2,3,4,2), paired = TRUE, exact = FALSE)
// gives V = 15 and p = erfc(7 / sqrt(45/4) / sqrt(2)) = 0.036888425707049855201 (mpmath).
TEST(Paired, AllDifferencesEqualStopsTheTTestOnly) {
  const std::vector<double> pre = {1, 2, 3, 4, 2}, post = {2, 3, 4, 5, 3};
  PairedStatistics s = paired_statistics(pre, post);
  EXPECT_EQ(*s.sd_diff, 0.0);
  EXPECT_FALSE(s.dz);
  EXPECT_FALSE(s.t_test);
  ASSERT_TRUE(s.wilcoxon);
  EXPECT_EQ(s.wilcoxon->v, 15.0);
  EXPECT_REL(s.wilcoxon->p, 0.036888425707049855201);
  EXPECT_EQ(s.note,
            "差（事後 − 事前）がすべて同じ値（+1）のため、t 検定と効果量 dz は計算できません");
}

TEST(Paired, AllDifferencesZeroStopsBothTests) {
  const std::vector<double> same = {3, 4, 5, 2};
  PairedStatistics s = paired_statistics(same, same);
  EXPECT_EQ(*s.mean_diff, 0.0);
  EXPECT_EQ(*s.sd_diff, 0.0);
  EXPECT_FALSE(s.t_test);
  EXPECT_FALSE(s.wilcoxon);
  EXPECT_EQ(s.note,
            "差（事後 − 事前）がすべて0のため、t 検定、効果量 dz と Wilcoxon 検定は計算できません");
}

// Exact tie detection as R's rank(): |d| equal only when the doubles are equal.
TEST(Paired, RanksTiesOnExactDifferences) {
  // Differences: +1, -1, +2, +2, +3 -> |d| ranks 1.5, 1.5, 3.5, 3.5, 5; V = 1.5 + 3.5 + 3.5 + 5.
  const std::vector<double> pre = {1, 3, 1, 2, 1}, post = {2, 2, 3, 4, 4};
  PairedStatistics s = paired_statistics(pre, post);
  ASSERT_TRUE(s.wilcoxon);
  EXPECT_EQ(s.wilcoxon->v, 13.5);
}

}  // namespace
}  // namespace kakehashi::survey
