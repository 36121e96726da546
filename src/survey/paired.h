// Paired statistics of one survey item: the numbers R gives for
//   t.test(post, pre, paired = TRUE)
//   wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = TRUE)
// plus means, the standard deviation of the differences and the effect size dz.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace kakehashi::survey {

struct TTest {
  double t = 0;
  double df = 0;
  double p = 0;       // two-sided
  double ci_low = 0;  // confidence interval of the mean difference (post - pre)
  double ci_high = 0;
};

struct WilcoxonTest {
  double v = 0;             // sum of the ranks of the positive differences (R's V)
  double p = 0;             // two-sided, normal approximation with tie and continuity correction
  double z = 0;             // the corrected z statistic the p-value comes from
  std::size_t nonzero = 0;  // differences left after dropping zeros
};

// Every value is optional: a value that cannot be computed is empty and `note` says why in
// Japanese (never NaN).
struct PairedStatistics {
  std::size_t n = 0;  // pairs
  std::optional<double> mean_pre, mean_post, mean_diff, sd_diff, dz;
  std::optional<TTest> t_test;
  std::optional<WilcoxonTest> wilcoxon;
  std::string note;  // empty when everything could be computed
};

// Computes the paired statistics of `pre[i]`, `post[i]` (same respondent at index i; the spans
// must have equal length and hold finite values). `confidence` is the level of the interval
// (R's conf.level), in (0, 1). Means and variances are accumulated in long double as R does.
PairedStatistics paired_statistics(std::span<const double> pre, std::span<const double> post,
                                   double confidence = 0.95);

}  // namespace kakehashi::survey
