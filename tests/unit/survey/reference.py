#!/usr/bin/env python3
"""Reference values for tests/unit/survey/*_test.cpp, computed independently of the C++ code.

R is not available on the build machines, so the values R's t.test / wilcox.test / pt / qt /
pnorm would print are computed here from their mathematical definitions:
  * means, variances, V and the tie term exactly, with fractions.Fraction on the decimal inputs;
  * square roots, the regularised incomplete beta (mpmath.betainc), erfc and qt (mpmath.findroot
    on the t CDF) with 50 significant digits;
  * every t-distribution p-value is cross-checked against the closed form for integer df
    (Abramowitz & Stegun 26.7.3/26.7.4), an algorithm unrelated to the incomplete beta.
Run: python3 tests/unit/survey/reference.py   (needs python3-mpmath)
The R snippets in the tests reproduce these numbers in R (to R's own ~1e-14 accuracy).
"""
from fractions import Fraction as F
import mpmath as mp

mp.mp.dps = 50


def t_cdf_closed_form(t, df):
    """P(T <= t) for integer df by A&S 26.7.3 (odd) / 26.7.4 (even): A(t|df) series."""
    t = mp.mpf(t)
    theta = mp.atan(t / mp.sqrt(df))
    if df % 2 == 1:
        s = mp.mpf(0)
        if df > 1:
            term = mp.cos(theta)
            s = term
            for k in range(3, df - 1, 2):
                term = term * mp.cos(theta) ** 2 * (k - 1) / k
                s += term
        a = 2 / mp.pi * (theta + mp.sin(theta) * s)
    else:
        term = mp.mpf(1)
        s = term
        for k in range(2, df - 1, 2):
            term = term * mp.cos(theta) ** 2 * (k - 1) / k
            s += term
        a = mp.sin(theta) * s
    return (1 + a) / 2  # A is P(|T| <= t) for t >= 0, signed for t < 0


def t_two_sided(t, df):
    t = mp.mpf(t)
    p = mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True)
    if float(df).is_integer() and df <= 5000:
        with mp.workdps(400):  # 1 - A cancels: carry enough digits for p down to 1e-300
            closed = 2 * (1 - t_cdf_closed_form(abs(t), int(df)))
        assert abs(closed - p) <= mp.mpf(10) ** -40 * p, (t, df, p, closed)
    return p


def qt(p, df):
    p = mp.mpf(p)
    f = lambda q: mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + q * q),
                             regularized=True) - 2 * (1 - p)
    return mp.findroot(f, mp.mpf(2), tol=mp.mpf(10) ** -45)


def pnorm(z):
    return mp.erfc(-mp.mpf(z) / mp.sqrt(2)) / 2


def mean(values):
    return sum(values, F(0)) / len(values)


def paired(pre, post, label):
    pre = [F(str(v)) for v in pre]
    post = [F(str(v)) for v in post]
    n = len(pre)
    d = [b - a for a, b in zip(pre, post)]
    md = mean(d)
    var = sum(((x - md) ** 2 for x in d), F(0)) / (n - 1)
    sd = mp.sqrt(mp.mpf(var.numerator) / var.denominator)
    mdm = mp.mpf(md.numerator) / md.denominator
    se = mp.sqrt(mp.mpf(var.numerator) / var.denominator / n)
    t = mdm / se
    df = n - 1
    p = t_two_sided(t, df)
    q = qt(mp.mpf("0.975"), df)
    # Wilcoxon: drop zeros, average ranks of |d|, V = sum of positive ranks.
    nz = sorted((x for x in d if x != 0), key=abs)
    m = len(nz)
    v = F(0)
    ties = 0
    i = 0
    while i < m:
        j = i
        while j < m and abs(nz[j]) == abs(nz[i]):
            j += 1
        rank = F(i + 1 + j, 2)
        v += sum((rank for k in range(i, j) if nz[k] > 0), F(0))
        ties += (j - i) ** 3 - (j - i)
        i = j
    centred = v - F(m * (m + 1), 4)
    corr = F(1, 2) if centred > 0 else (F(-1, 2) if centred < 0 else F(0))
    sigma2 = F(m * (m + 1) * (2 * m + 1), 24) - F(ties, 48)
    z = mp.mpf((centred - corr).numerator) / (centred - corr).denominator / mp.sqrt(
        mp.mpf(sigma2.numerator) / sigma2.denominator)
    wp = mp.erfc(abs(z) / mp.sqrt(2))
    out = {
        "n": n, "mean_pre": mean(pre), "mean_post": mean(post), "mean_diff": md, "sd_diff": sd,
        "dz": mdm / sd, "t": t, "df": df, "p": p, "ci_low": mdm - q * se, "ci_high": mdm + q * se,
        "V": v, "wilcoxon_z": z, "wilcoxon_p": wp,
    }
    print(f"// {label}")
    for k, val in out.items():
        if isinstance(val, F):
            val = mp.mpf(val.numerator) / val.denominator
        print(f"//   {k:11s} = {mp.nstr(mp.mpf(val), 20)}")
    return out


def lcg_data(count, seed):
    """The deterministic data set of the large-n test: a 32-bit LCG (Numerical Recipes)."""
    x = seed
    pre, post = [], []
    for _ in range(count):
        x = (1664525 * x + 1013904223) % 2**32
        a = 1 + (x >> 16) % 5
        x = (1664525 * x + 1013904223) % 2**32
        step = (x >> 16) % 7  # 0..6 -> change -2..+2 with a lean upwards
        change = [-2, -1, 0, 0, 1, 1, 2][step]
        b = min(5, max(1, a + change))
        pre.append(a)
        post.append(b)
    return pre, post


if __name__ == "__main__":
    print("// Distribution functions")
    for t, df in [(-4.062127683382037, 9), (2.5, 1), (-1.0, 2), (0.3, 30), (-3.0, 99),
                  (12.0, 40), (-50.0, 200), (1.5, 100000), (-6.0, 2999)]:
        print(f"//   2*pt(-|{t}|, {df}) = {mp.nstr(t_two_sided(t, df), 20)}"
              f"   pt({t}, {df}) = {mp.nstr(t_two_sided(t, df) / 2 if t < 0 else 1 - t_two_sided(t, df) / 2, 20)}")
    # Above df = 4e5 R's pt() uses A&S 26.7.8: pnorm(x (1 - 1/(4n)) / sqrt(1 + x^2 / (2n))).
    n, x = 10**6, mp.mpf("-4.5")
    v = 1 / mp.mpf(4 * n)
    print(f"//   2*pt(-4.5, 1e6) [R's A&S 26.7.8] = "
          f"{mp.nstr(mp.erfc(-(x * (1 - v) / mp.sqrt(1 + x * x * 2 * v)) / mp.sqrt(2)), 20)}"
          f"   exact t = {mp.nstr(t_two_sided(x, n), 20)}")
    for df in [1, 2, 3, 9, 19, 30, 99, 2999, 100000]:
        print(f"//   qt(0.975, {df}) = {mp.nstr(qt(mp.mpf('0.975'), df), 20)}")
    for df in [4, 25]:
        print(f"//   qt(0.005, {df}) = {mp.nstr(-qt(mp.mpf('0.995'), df), 20)}")
    for z in [-1.96, 0.5, 3.0, -10.0, -37.5]:
        print(f"//   pnorm({z}) = {mp.nstr(pnorm(z), 20)}")
    print("//   betainc I_0.3(2.5, 4) =",
          mp.nstr(mp.betainc(2.5, 4, 0, mp.mpf('0.3'), regularized=True), 20))
    print("//   betainc I_0.999(200, 0.5) =",
          mp.nstr(mp.betainc(200, 0.5, 0, mp.mpf('0.999'), regularized=True), 20))

    sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    paired(sleep1, sleep2, "sleep: pre = extra[group == 1], post = extra[group == 2]")

    likert_pre = [3, 2, 4, 3, 3, 2, 1, 4, 3, 2, 5, 3, 2, 4, 3, 3, 2, 1, 3, 4]
    likert_post = [4, 3, 4, 4, 5, 2, 3, 4, 4, 3, 5, 4, 3, 5, 3, 4, 3, 2, 4, 5]
    paired(likert_pre, likert_post, "likert20")

    paired([5, 4, 5, 3, 4, 4], [3, 4, 2, 3, 1, 5], "decline6")

    pre, post = lcg_data(3000, 20261125)
    paired(pre, post, "lcg3000 seed 20261125")
