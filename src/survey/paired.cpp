#include "survey/paired.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "survey/distributions.h"

namespace kakehashi::survey {
namespace {

using Real = long double;

// R's mean(): a long double sum, then one refinement pass over the residuals.
Real mean_of(std::span<const double> values) {
  const auto n = Real(values.size());
  Real sum = 0;
  for (double v : values) sum += v;
  Real mean = sum / n;
  Real residual = 0;
  for (double v : values) residual += v - mean;
  return mean + residual / n;
}

// R's var(): sum of squared deviations from the refined mean, over n - 1.
Real variance_of(std::span<const double> values, Real mean) {
  Real sum = 0;
  for (double v : values) {
    const Real deviation = v - mean;
    sum += deviation * deviation;
  }
  return sum / Real(values.size() - 1);
}

// Shows a difference the way a note quotes it: "+1", "-0.5", "0".
std::string signed_value(double value) {
  if (value == 0) return "0";
  return fmt::format("{:+}", value);
}

WilcoxonTest wilcoxon(std::span<const double> differences) {
  // Zero differences are dropped, as R does (exact comparison, no rounding).
  std::vector<double> nonzero;
  nonzero.reserve(differences.size());
  for (double d : differences)
    if (d != 0) nonzero.push_back(d);
  std::sort(nonzero.begin(), nonzero.end(),
            [](double a, double b) { return std::fabs(a) < std::fabs(b); });

  // Average ranks over ties of |d|: a run at 1-based positions i..j has rank (i + j) / 2, so
  // twice the rank is an integer and the sums below are exact.
  const std::size_t n = nonzero.size();
  std::uint64_t twice_v = 0;
  Real tie_sum = 0;  // sum over tie groups of t^3 - t
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && std::fabs(nonzero[end]) == std::fabs(nonzero[begin])) ++end;
    const std::uint64_t twice_rank = (begin + 1) + end;
    for (std::size_t k = begin; k < end; ++k)
      if (nonzero[k] > 0) twice_v += twice_rank;
    const Real t = Real(end - begin);
    tie_sum += t * t * t - t;
    begin = end;
  }

  WilcoxonTest result;
  result.nonzero = n;
  result.v = double(twice_v) / 2;
  // z = (V - n(n+1)/4 - 0.5 sign(V - n(n+1)/4)) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48).
  // Long double holds these integers exactly up to 2^64 (n up to about 10^6 pairs).
  const Real ln = Real(n);
  const Real centred = Real(twice_v) / 2 - ln * (ln + 1) / 4;
  const Real correction = centred > 0 ? 0.5L : centred < 0 ? -0.5L : 0;
  const Real variance = ln * (ln + 1) * (2 * ln + 1) / 24 - tie_sum / 48;
  const double z = double((centred - correction) / std::sqrt(variance));
  result.z = z;
  result.p = normal_two_sided_p(z);
  return result;
}

}  // namespace

PairedStatistics paired_statistics(std::span<const double> pre, std::span<const double> post,
                                   double confidence) {
  PairedStatistics result;
  const std::size_t n = std::min(pre.size(), post.size());
  result.n = n;
  if (n == 0) {
    result.note = "事前と事後の両方に有効な回答がある回答者がいないため、集計できません";
    return result;
  }
  std::vector<double> differences(n);
  for (std::size_t i = 0; i < n; ++i) differences[i] = post[i] - pre[i];

  result.mean_pre = double(mean_of(pre.first(n)));
  result.mean_post = double(mean_of(post.first(n)));
  const Real mean_diff = mean_of(differences);
  result.mean_diff = double(mean_diff);
  if (n < 2) {
    result.note =
        "事前と事後の両方に有効な回答がある回答者が1人のため、差の標準偏差と検定は計算できません"
        "（2人以上が必要です）";
    return result;
  }

  const Real variance = variance_of(differences, mean_diff);
  const Real sd = std::sqrt(variance);
  result.sd_diff = double(sd);
  const bool all_zero =
      std::all_of(differences.begin(), differences.end(), [](double d) { return d == 0; });
  if (!all_zero) result.wilcoxon = wilcoxon(differences);

  // R's t.test stops with "data are essentially constant" when the standard error is below
  // 10 machine epsilons of the mean; here the item says so and keeps the other values.
  const double standard_error = double(std::sqrt(variance / Real(n)));
  const bool constant =
      standard_error < 10 * std::numeric_limits<double>::epsilon() * std::fabs(double(mean_diff)) ||
      sd == 0;
  if (constant) {
    const bool all_equal = std::all_of(differences.begin(), differences.end(),
                                       [&](double d) { return d == differences[0]; });
    const std::string what =
        all_equal ? fmt::format("すべて同じ値（{}）", signed_value(differences[0])) : "ほぼ一定";
    result.note =
        all_zero
            ? "差（事後 − 事前）がすべて0のため、t 検定、効果量 dz と Wilcoxon "
              "検定は計算できません"
            : fmt::format("差（事後 − 事前）が{}のため、t 検定と効果量 dz は計算できません", what);
    return result;
  }

  result.dz = double(mean_diff / sd);
  TTest t_test;
  t_test.df = double(n - 1);
  t_test.t = double(mean_diff) / standard_error;
  t_test.p = student_t_two_sided_p(t_test.t, t_test.df);
  // As R: cint <- tstat + c(-1, 1) * qt(1 - alpha/2, df); cint * stderr.
  const double quantile = student_t_quantile(1 - (1 - confidence) / 2, t_test.df);
  t_test.ci_low = (t_test.t - quantile) * standard_error;
  t_test.ci_high = (t_test.t + quantile) * standard_error;
  result.t_test = t_test;
  return result;
}

}  // namespace kakehashi::survey
