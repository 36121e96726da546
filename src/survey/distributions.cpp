#include "survey/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace kakehashi::survey {
namespace {

using Real = long double;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The continued fraction converges in O(sqrt(max(a, b))) terms; 1,000,000 terms covers
// df up to ~10^11, far beyond any survey. Past it the last estimate is returned.
constexpr int kMaxFractionTerms = 1'000'000;
constexpr Real kFractionEpsilon = 1e-19L;  // about one long double ulp
constexpr Real kTiny = 1e-4000L;           // Lentz's guard against a zero denominator

// log Γ(x) for x > 0. lgamma() writes the global `signgam`, a data race when items are
// analysed on several threads; glibc's reentrant lgammal_r returns the sign instead.
Real log_gamma(Real x) {
  int sign = 0;
  return ::lgammal_r(x, &sign);
}

// Continued fraction of I_x(a, b) * a * B(a, b) / (x^a y^b) (Numerical Recipes' betacf form),
// evaluated with the modified Lentz method. Converges fast for x < (a + 1) / (a + b + 2).
Real beta_continued_fraction(Real a, Real b, Real x) {
  const Real qab = a + b, qap = a + 1, qam = a - 1;
  Real c = 1;
  Real d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  Real h = d;
  for (int m = 1; m <= kMaxFractionTerms; ++m) {
    const Real m2 = 2 * Real(m);
    // Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    Real aa = Real(m) * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    // Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const Real delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kFractionEpsilon) break;
  }
  return h;
}

// I_x(a, b) by the fraction, for x on the side where it converges.
Real incomplete_beta_direct(Real a, Real b, Real x, Real y) {
  const Real log_front = a * std::log(x) + b * std::log(y) -
                         (log_gamma(a) + log_gamma(b) - log_gamma(a + b)) - std::log(a);
  return std::exp(log_front) * beta_continued_fraction(a, b, x);
}

// P(|T| >= |t|) in long double.
Real t_two_sided(Real t, Real df) {
  const Real t2 = t * t;
  const Real x = df / (df + t2);  // weight of the tail: p = I_x(df/2, 1/2)
  const Real y = t2 / (df + t2);  // 1 - x without cancellation
  const Real a = df / 2, b = 0.5L;
  if (x < (a + 1) / (a + b + 2)) return incomplete_beta_direct(a, b, x, y);
  return 1 - incomplete_beta_direct(b, a, y, x);
}

// Above this many degrees of freedom R's pt() switches to the normal approximation of
// Abramowitz & Stegun 26.7.8; so do we, to print what R prints (the two differ by ~1e-12).
constexpr Real kNormalApproximationDf = 4e5L;

// The two-sided tail as R computes it: exact below kNormalApproximationDf, A&S 26.7.8 above.
Real r_two_sided(Real t, Real df) {
  if (df <= kNormalApproximationDf) return t_two_sided(t, df);
  const Real v = 1 / (4 * df);
  const Real z = std::fabs(t) * (1 - v) / std::sqrt(1 + t * t * 2 * v);
  return std::erfc(z / std::numbers::sqrt2_v<Real>);
}

// Density of Student's t in long double.
Real t_density(Real t, Real df) {
  const Real log_density = log_gamma((df + 1) / 2) - log_gamma(df / 2) -
                           0.5L * std::log(df * std::numbers::pi_v<Real>) -
                           (df + 1) / 2 * std::log1p(t * t / df);
  return std::exp(log_density);
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x, double y) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1) || !(y >= 0) || !(y <= 1)) return kNaN;
  if (x == 0) return 0;
  if (y == 0) return 1;
  const Real la = a, lb = b, lx = x, ly = y;
  if (lx < (la + 1) / (la + lb + 2)) return double(incomplete_beta_direct(la, lb, lx, ly));
  return double(1 - incomplete_beta_direct(lb, la, ly, lx));
}

double student_t_two_sided_p(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return kNaN;
  if (std::isinf(t)) return 0;
  if (t == 0) return 1;
  return double(r_two_sided(t, df));
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return kNaN;
  if (t == 0) return 0.5;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  const Real tail = r_two_sided(t, df) / 2;  // P(T <= -|t|)
  return double(t < 0 ? tail : 1 - tail);
}

double student_t_density(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return kNaN;
  return double(t_density(t, df));
}

double student_t_quantile(double p, double df) {
  if (!(p > 0) || !(p < 1) || !(df > 0)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  if (p == 0.5) return 0;
  // Solve for q > 0 with two-sided tail 2 * min(p, 1 - p); the sign follows p.
  const Real target = 2 * std::min<Real>(p, 1 - Real(p));
  // Bracket: the tail falls from 1 at q = 0; double `high` until the tail is below the target.
  Real low = 0, high = 2;
  while (r_two_sided(high, df) > target) {
    low = high;
    high *= 2;
    if (high > 1e300L) break;
  }
  Real q = (low + high) / 2;
  for (int iteration = 0; iteration < 200; ++iteration) {
    const Real tail = r_two_sided(q, df);
    if (tail > target)
      low = q;
    else
      high = q;
    // Newton step: d(tail)/dq = -2 * density(q).
    const Real density = t_density(q, df);
    Real next = density > 0 ? q + (tail - target) / (2 * density) : (low + high) / 2;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (std::fabs(next - q) <= 1e-17L * q) {
      q = next;
      break;
    }
    q = next;
  }
  return double(p < 0.5 ? -q : q);
}

double normal_cdf(double z) {
  if (std::isnan(z)) return kNaN;
  return double(std::erfc(-Real(z) / std::numbers::sqrt2_v<Real>) / 2);
}

double normal_two_sided_p(double z) {
  if (std::isnan(z)) return kNaN;
  return double(std::erfc(std::fabs(Real(z)) / std::numbers::sqrt2_v<Real>));
}

}  // namespace kakehashi::survey
