// The normal and Student t distributions, computed carefully enough that paired-test p-values
// and confidence limits agree with R's pnorm / pt / qt to far better than 1e-9 relative.
// No statistics library: the t distribution rests on the regularised incomplete beta function
// (continued fraction, modified Lentz), evaluated in long double (x86-64: 64-bit mantissa).
#pragma once

namespace kakehashi::survey {

// I_x(a, b), the regularised incomplete beta function, for a > 0, b > 0, 0 <= x <= 1.
// `y` must be 1 - x; pass it computed directly (e.g. t^2 / (df + t^2)) when x is close to 1,
// so the upper tail keeps its relative precision. Returns NaN for arguments outside the domain.
double regularized_incomplete_beta(double a, double b, double x, double y);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom (R: pt(t, df)). Like R, above
// 400,000 degrees of freedom the normal approximation of Abramowitz & Stegun 26.7.8 is used.
double student_t_cdf(double t, double df);

// P(|T| >= |t|), the two-sided p-value of a t statistic (R: 2 * pt(-abs(t), df)). Accurate in
// relative terms however small (no 1 - x cancellation): p = I_{df/(df+t^2)}(df/2, 1/2).
double student_t_two_sided_p(double t, double df);

// Density of Student's t (R: dt(t, df)).
double student_t_density(double t, double df);

// The quantile q with P(T <= q) = p, for 0 < p < 1 (R: qt(p, df)). Safeguarded Newton on the
// exact tail function, converged to a few ulps.
double student_t_quantile(double p, double df);

// P(Z <= z) for the standard normal (R: pnorm(z)), via erfc so both tails keep relative precision.
double normal_cdf(double z);

// P(|Z| >= |z|), the two-sided p-value of a z statistic (R: 2 * pnorm(-abs(z))).
double normal_two_sided_p(double z);

}  // namespace kakehashi::survey
