#!/usr/bin/env python3
"""An independent implementation of Japan's holiday law, compared with the kakehashi CLI.

The C++ module walks a table of rules per year with the equinox days from the usual fitted
formula. This script is built the other way round, so that a shared mistake is unlikely:
  * it decides day by day, with one predicate per article, which holiday (if any) a date is;
  * it finds 春分日 / 秋分日 astronomically: the instant of the March / September equinox by
    Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998), chapter 27 (mean equinox polynomial
    plus the 24 periodic terms of table 27.C), converted from TT to UT with Espenak & Meeus'
    ΔT polynomials (NASA, 2006), then to Japan time (UTC+9); the civil date there is the day.
It then runs `kakehashi calendar holidays Y --format csv` for every year asked and requires the
two lists to agree line for line (dates and names). Exit status 0 when they agree, 1 otherwise.

Usage: independent_check.py --kakehashi BIN [--from 1955] [--to 2099]
Standard library only.
"""
import argparse
import datetime as dt
import math
import subprocess
import sys

D = dt.date
LAW_START = D(1948, 7, 20)

# --- Equinoxes (Meeus ch. 27) -------------------------------------------------------------
PERIODIC_TERMS = [  # A, B (degrees), C (degrees per Julian century)
    (485, 324.96, 1934.136), (203, 337.23, 32964.467), (199, 342.08, 20.186),
    (182, 27.85, 445267.112), (156, 73.14, 45036.886), (136, 171.52, 22518.443),
    (77, 222.54, 65928.934), (74, 296.72, 3034.906), (70, 243.58, 9037.513),
    (58, 119.81, 33718.147), (52, 297.17, 150.678), (50, 21.02, 2281.226),
    (45, 247.54, 29929.562), (44, 325.15, 31555.956), (29, 60.93, 4443.417),
    (18, 155.12, 67555.328), (17, 288.79, 4562.452), (16, 198.04, 62894.029),
    (14, 199.76, 31436.921), (12, 95.39, 14577.848), (12, 287.11, 31931.756),
    (12, 320.81, 34777.259), (9, 227.73, 1222.114), (8, 15.45, 16859.074),
]


def equinox_jde(year, september):
    """Julian Ephemeris Day (TT) of the March (or September) equinox, years 1000-3000."""
    y = (year - 2000) / 1000
    if september:
        jde0 = 2451810.21715 + 365242.01767 * y - 0.11575 * y**2 + 0.00337 * y**3 + 0.00078 * y**4
    else:
        jde0 = 2451623.80984 + 365242.37404 * y + 0.05169 * y**2 - 0.00411 * y**3 - 0.00057 * y**4
    t = (jde0 - 2451545.0) / 36525
    w = math.radians(35999.373 * t - 2.47)
    dl = 1 + 0.0334 * math.cos(w) + 0.0007 * math.cos(2 * w)
    s = sum(a * math.cos(math.radians(b + c * t)) for a, b, c in PERIODIC_TERMS)
    return jde0 + 0.00001 * s / dl


def delta_t_seconds(year):
    """TT - UT, Espenak & Meeus polynomial expressions (NASA eclipse site, 2006)."""
    if year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t * t / 233 + t**3 / 2547
    if year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t * t / 260 - t**3 / 718
    if year < 2005:
        t = year - 2000
        return 63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3 + 0.000651814 * t**4 + 0.00002373599 * t**5
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t * t
    return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)


def equinox_in_japan(year, september):
    """(date in Japan time, minutes between the instant and the nearest midnight)."""
    jd_ut = equinox_jde(year, september) - delta_t_seconds(year) / 86400
    jst_days = jd_ut + 0.5 + 9 / 24  # days since the JD epoch's midnight, in Japan time
    day_number = math.floor(jst_days)
    fraction = jst_days - day_number
    date = D(2000, 1, 1) + dt.timedelta(days=day_number - 2451545)  # JD 2451545 = 2000-01-01 12:00
    return date, min(fraction, 1 - fraction) * 1440


_equinoxes = {}


def equinox(year, september):
    key = (year, september)
    if key not in _equinoxes:
        _equinoxes[key] = equinox_in_japan(year, september)
    return _equinoxes[key][0]


# --- Article 2 and the special laws, one date at a time ----------------------------------
def nth_monday(date, n):
    return date.weekday() == 0 and (date.day - 1) // 7 == n - 1


def article2_name(date):
    """The name of the national holiday or special-law 休日 falling on `date`, else None,
    and whether it counts as a 「国民の祝日」 for substitute and citizens' holidays."""
    if date < LAW_START:
        return None, False
    y, m, d = date.year, date.month, date.day
    special = {
        D(1959, 4, 10): ("皇太子明仁親王の結婚の儀", False),
        D(1989, 2, 24): ("昭和天皇の大喪の礼", False),
        D(1990, 11, 12): ("即位礼正殿の儀", False),
        D(1993, 6, 9): ("皇太子徳仁親王の結婚の儀", False),
        D(2019, 5, 1): ("即位の日", True),          # deemed a national holiday by its law
        D(2019, 10, 22): ("即位礼正殿の儀", True),
    }
    if date in special:
        return special[date]
    name = None
    if m == 1:
        if d == 1:
            name = "元日"
        elif (y < 2000 and d == 15) or (y >= 2000 and nth_monday(date, 2)):
            name = "成人の日"
    elif m == 2:
        if d == 11 and date >= D(1966, 12, 9):
            name = "建国記念の日"
        elif d == 23 and date >= D(2019, 4, 30):
            name = "天皇誕生日"
    elif m == 3:
        if date == equinox(y, False):
            name = "春分の日"
    elif m == 4:
        if d == 29:
            name = "天皇誕生日" if date < D(1989, 2, 17) else ("みどりの日" if y < 2007 else "昭和の日")
    elif m == 5:
        name = {3: "憲法記念日", 5: "こどもの日"}.get(d)
        if d == 4 and y >= 2007:
            name = "みどりの日"
    elif m == 7:
        if (1996 <= y <= 2002 and d == 20) or ((2003 <= y <= 2019 or y >= 2022) and nth_monday(date, 3)):
            name = "海の日"
        elif (y == 2020 and d == 23) or (y == 2021 and d == 22):
            name = "海の日"
        elif (y == 2020 and d == 24) or (y == 2021 and d == 23):
            name = "スポーツの日"
    elif m == 8:
        if ((2016 <= y <= 2019 or y >= 2022) and d == 11) or (y == 2020 and d == 10) or (y == 2021 and d == 8):
            name = "山の日"
    elif m == 9:
        if (date >= D(1966, 6, 25) and y <= 2002 and d == 15) or (y >= 2003 and nth_monday(date, 3)):
            name = "敬老の日"
        elif date == equinox(y, True):
            name = "秋分の日"
    elif m == 10:
        if date >= D(1966, 6, 25) and y <= 1999 and d == 10:
            name = "体育の日"
        elif 2000 <= y <= 2019 and nth_monday(date, 2):
            name = "体育の日"
        elif y >= 2022 and nth_monday(date, 2):
            name = "スポーツの日"
    elif m == 11:
        name = {3: "文化の日", 23: "勤労感謝の日"}.get(d)
    elif m == 12:
        if d == 23 and D(1989, 2, 17) <= date <= D(2019, 4, 29):
            name = "天皇誕生日"
    return name, name is not None


def is_national(date):
    return article2_name(date)[1]


def holiday_name(date):
    """Article 2, then article 3.2 (振替休日), then article 3.3 (国民の休日)."""
    name, _ = article2_name(date)
    if name:
        return name
    # 3.2: from 1973-04-12 a Sunday holiday gives the next day; from 2007 the nearest following
    # day that is not a national holiday.
    previous = date - dt.timedelta(days=1)
    if D(1973, 4, 12) <= previous <= D(2006, 12, 31):
        if previous.weekday() == 6 and is_national(previous):
            return "振替休日"
    elif previous >= D(2007, 1, 1):
        while is_national(previous):
            if previous.weekday() == 6:
                return "振替休日"
            previous -= dt.timedelta(days=1)
    # 3.3: a day between two national holidays, from 1985-12-27 (not a Sunday until 2006).
    if date >= D(1985, 12, 27) and is_national(date - dt.timedelta(days=1)) and is_national(date + dt.timedelta(days=1)):
        if date.year >= 2007 or date.weekday() != 6:
            return "国民の休日"
    return None


def holidays_of(year):
    lines = []
    day = D(year, 1, 1)
    while day.year == year:
        name = holiday_name(day)
        if name:
            lines.append(f"{day.isoformat()},{name}")
        day += dt.timedelta(days=1)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kakehashi", required=True)
    parser.add_argument("--from", dest="first", type=int, default=1955)
    parser.add_argument("--to", dest="last", type=int, default=2099)
    args = parser.parse_args()

    mismatches = 0
    closest = (1e9, None)
    for year in range(args.first, args.last + 1):
        for september in (False, True):
            equinox(year, september)
            margin = _equinoxes[(year, september)][1]
            if margin < closest[0]:
                closest = (margin, f"{year} {'autumnal' if september else 'vernal'}")
        expected = holidays_of(year)
        run = subprocess.run([args.kakehashi, "calendar", "holidays", str(year), "--format", "csv"],
                             capture_output=True, text=True, check=False)
        actual = run.stdout.splitlines()
        if run.returncode != 0 or actual != expected:
            mismatches += 1
            print(f"{year}: kakehashi exit {run.returncode} {run.stderr.strip()}")
            for line in sorted(set(expected) - set(actual)):
                print(f"  only here:      {line}")
            for line in sorted(set(actual) - set(expected)):
                print(f"  only kakehashi: {line}")
    years = args.last - args.first + 1
    print(f"{years - mismatches}/{years} years agree ({args.first}-{args.last}); closest equinox to "
          f"midnight in Japan: {closest[1]}, {closest[0]:.1f} minutes")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
