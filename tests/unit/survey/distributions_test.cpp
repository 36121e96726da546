// The t and normal distributions against 20-digit references.
//
// How the references were obtained: R is not installed on the build machines, so every value
// below was computed by tests/unit/survey/reference.py with mpmath 1.3 at 50 significant
// digits (mpmath.betainc / erfc / findroot), and each t tail was cross-checked there against
// the closed form for integer df (Abramowitz & Stegun 26.7.3/26.7.4) at 400 digits. A reviewer
// confirms them in R (R's pt/qt/pnorm are accurate to about 1e-14 relative) with:
//
//   options(digits = 17)
//   2 * pt(-4.062127683382037, 9); pt(2.5, 1); pt(-1, 2); pt(0.3, 30); pt(-3, 99)
//   2 * pt(-12, 40); 2 * pt(-50, 200); 2 * pt(-1.5, 1e5); 2 * pt(-6, 2999)
//   qt(0.975, c(1, 2, 3, 9, 19, 30, 99, 2999, 1e5)); qt(0.005, c(4, 25)); 2 * pt(-4.5, 1e6)
//   pnorm(c(-1.96, 0.5, 3, -10, -37.5))
//   pbeta(0.3, 2.5, 4); pbeta(0.999, 200, 0.5)
//
// Printed-table cross-checks a reader can see without software: qt(0.975, 9) = 2.262157,
// qt(0.975, 1) = 12.706205, qt(0.975, 30) = 2.042272 (every t table), pnorm(-1.96) = 0.0249979.
#include "survey/distributions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>

#include "unit/survey/relative.h"

namespace kakehashi::survey {
namespace {

TEST(Distributions, TwoSidedTPValues) {
  EXPECT_REL(student_t_two_sided_p(-4.062127683382037, 9), 0.0028328901973842708344);
  EXPECT_REL(student_t_two_sided_p(2.5, 1), 0.24223788318168679745);
  EXPECT_REL(student_t_two_sided_p(-1.0, 2), 0.42264973081037423549);
  EXPECT_REL(student_t_two_sided_p(0.3, 30), 0.76624610528435281765);
  EXPECT_REL(student_t_two_sided_p(-3.0, 99), 0.0034155079215788676695);
  EXPECT_REL(student_t_two_sided_p(1.5, 100000), 0.13361755952283059865);
  EXPECT_REL(student_t_two_sided_p(-6.0, 2999), 2.2094008563056602859e-9);
}

TEST(Distributions, TinyTailsKeepRelativePrecision) {
  EXPECT_REL(student_t_two_sided_p(12.0, 40), 7.8241713042559726229e-15);
  EXPECT_REL(student_t_two_sided_p(-50.0, 200), 5.4205754797824855283e-115);
  EXPECT_REL(student_t_cdf(-50.0, 200), 2.7102877398912427641e-115);
}

// Above 400,000 df R's pt() switches to the normal approximation of A&S 26.7.8; the exact
// tail differs by 4e-10 relative here, so following R matters at the 1e-9 bar.
//   2 * pt(-4.5, 1e6)  -> A&S 26.7.8: 6.7961105074771647576e-6 (exact t: 6.7961105049538985707e-6)
TEST(Distributions, FollowsRsNormalApproximationAboveFourHundredThousandDf) {
  EXPECT_REL(student_t_two_sided_p(-4.5, 1e6), 6.7961105074771647576e-6);
  EXPECT_REL(student_t_cdf(-4.5, 1e6), 6.7961105074771647576e-6 / 2);
  EXPECT_GT(std::fabs(student_t_two_sided_p(-4.5, 1e6) - 6.7961105049538985707e-6),
            1e-10 * 6.7961105049538985707e-6);
}

TEST(Distributions, TCdfBothSides) {
  EXPECT_REL(student_t_cdf(2.5, 1), 0.87888105840915660128);
  EXPECT_REL(student_t_cdf(-1.0, 2), 0.21132486540518711775);
  EXPECT_REL(student_t_cdf(0.3, 30), 0.61687694735782359117);
  EXPECT_REL(student_t_cdf(12.0, 40), 0.99999999999999608791);
  EXPECT_EQ(student_t_cdf(0.0, 7), 0.5);
  EXPECT_EQ(student_t_two_sided_p(0.0, 7), 1.0);
  EXPECT_TRUE(std::isnan(student_t_cdf(1.0, 0.0)));
}

TEST(Distributions, TQuantiles) {
  EXPECT_REL(student_t_quantile(0.975, 1), 12.706204736174704646);
  EXPECT_REL(student_t_quantile(0.975, 2), 4.3026527297494638523);
  EXPECT_REL(student_t_quantile(0.975, 3), 3.1824463052837095927);
  EXPECT_REL(student_t_quantile(0.975, 9), 2.2621571627982055426);
  EXPECT_REL(student_t_quantile(0.975, 19), 2.0930240544083097692);
  EXPECT_REL(student_t_quantile(0.975, 30), 2.04227245630123831);
  EXPECT_REL(student_t_quantile(0.975, 99), 1.9842169515864174951);
  EXPECT_REL(student_t_quantile(0.975, 2999), 1.960755319205315209);
  EXPECT_REL(student_t_quantile(0.975, 100000), 1.9599877075346096386);
  EXPECT_REL(student_t_quantile(0.005, 4), -4.6040948713499932254);
  EXPECT_REL(student_t_quantile(0.005, 25), -2.7874358136769705446);
  EXPECT_EQ(student_t_quantile(0.5, 10), 0.0);
}

TEST(Distributions, NormalCdf) {
  EXPECT_REL(normal_cdf(-1.96), 0.024997895148220436213);
  EXPECT_REL(normal_cdf(0.5), 0.69146246127401310364);
  EXPECT_REL(normal_cdf(3.0), 0.99865010196836990547);
  EXPECT_REL(normal_cdf(-10.0), 7.619853024160526066e-24);
  EXPECT_REL(normal_cdf(-37.5), 4.6053530095819548438e-308);
  EXPECT_REL(normal_two_sided_p(1.96), 2 * 0.024997895148220436213);
}

TEST(Distributions, IncompleteBeta) {
  EXPECT_REL(regularized_incomplete_beta(2.5, 4, 0.3, 0.7), 0.35219758590676723646);
  EXPECT_REL(regularized_incomplete_beta(200, 0.5, 0.999, 0.001), 0.5272441070252353574);
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 0, 1), 0.0);
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 1, 0), 1.0);
  EXPECT_TRUE(std::isnan(regularized_incomplete_beta(-1, 3, 0.5, 0.5)));
}

}  // namespace
}  // namespace kakehashi::survey
