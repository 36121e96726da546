// The rules of 国民の祝日に関する法律 (昭和23年法律第178号) and the laws that amended or
// supplemented it, as data: every holiday the law names, with the dates between which the
// rule was in force, and the two derived rules (振替休日, 国民の休日) in each of their forms.
// HolidayCalendar computes a year by walking these tables; tests walk them too.
#pragma once

#include <chrono>
#include <span>
#include <string_view>

#include "base/date.h"

namespace kakehashi::calendar {

// A constant Date for tables: ymd(2007, 1, 1).
constexpr Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} /
                                    std::chrono::day{day}}};
}

// The span this module answers for. The holiday law took effect on 1948-07-20; the equinox
// formula (see vernal_equinox_day) is published as valid to 2099. Any other date is refused.
inline constexpr Date kFirstSupportedDate = ymd(1948, 7, 20);
inline constexpr Date kLastSupportedDate = ymd(2099, 12, 31);
inline constexpr int kFirstSupportedYear = 1948;
inline constexpr int kLastSupportedYear = 2099;

// How a rule picks its day in a given year.
enum class DayRule {
  kFixed,            // month/day
  kNthMonday,        // the `nth` Monday of `month` (ハッピーマンデー)
  kVernalEquinox,    // 春分日
  kAutumnalEquinox,  // 秋分日
};

// One holiday of the law (or of a special law) in one form. The day the rule picks in a year is
// a holiday when it lies in [valid_from, valid_to]; a change of date or name is a new row.
struct HolidayRule {
  std::string_view name;  // the name the law gives the day, e.g. "春分の日"
  DayRule rule;
  unsigned month;   // kFixed, kNthMonday
  unsigned day;     // kFixed: day of month; kNthMonday: which Monday (1 = first)
  Date valid_from;  // first day the rule was in force (inclusive)
  Date valid_to;    // last day the rule was in force (inclusive)
  // True for 「国民の祝日」 and for the days a special law deems one (2019). Only these days
  // count for 振替休日 and 国民の休日; the one-off 休日 of 1959, 1989, 1990, 1993 do not.
  bool national_holiday;
  std::string_view law;  // the law that set this form of the day
};

// 第3条第2項 振替休日: when a national holiday falls on a Sunday …
enum class SubstituteRule {
  kNextDay,            // … the next day is a holiday (1973-04-12 – 2006-12-31)
  kNearestNonHoliday,  // … the nearest following day that is not a national holiday (2007–)
};

struct SubstituteHolidayRule {
  SubstituteRule rule;
  Date valid_from;  // applies to Sunday national holidays in [valid_from, valid_to]
  Date valid_to;
  std::string_view law;
};

// 第3条第3項 国民の休日: a day whose previous and next days are national holidays …
enum class CitizensRule {
  kExceptSundayAndSubstitute,  // … unless it is a Sunday or a 振替休日 (1985-12-27 – 2006-12-31)
  kAnyNonNationalHoliday,  // … when it is not itself a national holiday (2007–)
};

struct CitizensHolidayRule {
  CitizensRule rule;
  Date valid_from;  // applies to candidate days in [valid_from, valid_to]
  Date valid_to;
  std::string_view law;
};

// The tables, in the order of the law's article 2 and then by date of the change.
std::span<const HolidayRule> holiday_rules();
std::span<const SubstituteHolidayRule> substitute_holiday_rules();
std::span<const CitizensHolidayRule> citizens_holiday_rules();

inline constexpr std::string_view kSubstituteHolidayName = "振替休日";
inline constexpr std::string_view kCitizensHolidayName = "国民の休日";

// Day of March of 春分日 and day of September of 秋分日 in `year`, by the formula the National
// Astronomical Observatory's figures are usually fitted with (two constants: 1900–1979 and
// 1980–2099). Agrees with every date published in 暦要項 to date. `year` must be in 1900..2099.
unsigned vernal_equinox_day(int year);
unsigned autumnal_equinox_day(int year);

// The `nth` (1-based) Monday of `month` in `year`.
Date nth_monday(int year, unsigned month, unsigned nth);

// The date rule `rule` picks in `year`, whether or not the rule is in force then.
Date rule_date(const HolidayRule& rule, int year);

}  // namespace kakehashi::calendar
