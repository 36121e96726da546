#include "calendar/rules.h"

#include <array>

namespace kakehashi::calendar {
namespace {

constexpr Date kForever = kLastSupportedDate;
constexpr Date kLawStart = kFirstSupportedDate;

constexpr std::string_view kOriginalLaw = "国民の祝日に関する法律（昭和23年法律第178号）";
constexpr std::string_view kLaw1966 = "昭和41年法律第86号";
constexpr std::string_view kLaw1989 = "平成元年法律第5号";
constexpr std::string_view kLaw1995 = "平成7年法律第22号";
constexpr std::string_view kHappyMonday1 = "平成10年法律第141号";
constexpr std::string_view kHappyMonday2 = "平成13年法律第59号";
constexpr std::string_view kLaw2005 = "平成17年法律第43号";
constexpr std::string_view kLaw2014 = "平成26年法律第43号";
constexpr std::string_view kAbdicationLaw =
    "天皇の退位等に関する皇室典範特例法（平成29年法律第63号）附則第10条";
constexpr std::string_view kSportsDayLaw = "平成30年法律第57号";
constexpr std::string_view kOlympics2020 =
    "東京オリンピック・パラリンピック特別措置法（平成30年法律第55号による改正）";
constexpr std::string_view kOlympics2021 =
    "東京オリンピック・パラリンピック特別措置法（令和2年法律第68号による改正）";
constexpr std::string_view kEnthronement2019 =
    "天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律（平成30年法律第99号）";

// Shorthands that keep each table row on one line.
constexpr HolidayRule fixed(std::string_view name, unsigned month, unsigned day, Date from, Date to,
                            std::string_view law) {
  return {name, DayRule::kFixed, month, day, from, to, true, law};
}
constexpr HolidayRule monday(std::string_view name, unsigned month, unsigned nth, Date from,
                             Date to, std::string_view law) {
  return {name, DayRule::kNthMonday, month, nth, from, to, true, law};
}
// A day made a holiday once by its own law; `national` when that law deems it a 国民の祝日.
constexpr HolidayRule once(std::string_view name, int year, unsigned month, unsigned day,
                           bool national, std::string_view law) {
  return {name, DayRule::kFixed, month, day, ymd(year, month, day), ymd(year, month, day), national,
          law};
}
constexpr Date year_start(int year) { return ymd(year, 1, 1); }
constexpr Date year_end(int year) { return ymd(year, 12, 31); }

constexpr std::array kHolidayRules = {
    fixed("元日", 1, 1, kLawStart, kForever, kOriginalLaw),
    fixed("成人の日", 1, 15, kLawStart, year_end(1999), kOriginalLaw),
    monday("成人の日", 1, 2, year_start(2000), kForever, kHappyMonday1),
    // 建国記念の日となる日を定める政令（昭和41年政令第376号, 1966-12-09）.
    fixed("建国記念の日", 2, 11, ymd(1966, 12, 9), kForever, kLaw1966),
    fixed("天皇誕生日", 2, 23, ymd(2019, 4, 30), kForever, kAbdicationLaw),
    HolidayRule{"春分の日", DayRule::kVernalEquinox, 3, 0, kLawStart, kForever, true, kOriginalLaw},
    fixed("天皇誕生日", 4, 29, kLawStart, ymd(1989, 2, 16), kOriginalLaw),
    fixed("みどりの日", 4, 29, ymd(1989, 2, 17), year_end(2006), kLaw1989),
    fixed("昭和の日", 4, 29, year_start(2007), kForever, kLaw2005),
    fixed("憲法記念日", 5, 3, kLawStart, kForever, kOriginalLaw),
    fixed("みどりの日", 5, 4, year_start(2007), kForever, kLaw2005),
    fixed("こどもの日", 5, 5, kLawStart, kForever, kOriginalLaw),
    fixed("海の日", 7, 20, year_start(1996), year_end(2002), kLaw1995),
    monday("海の日", 7, 3, year_start(2003), year_end(2019), kHappyMonday2),
    fixed("海の日", 7, 23, year_start(2020), year_end(2020), kOlympics2020),
    fixed("海の日", 7, 22, year_start(2021), year_end(2021), kOlympics2021),
    monday("海の日", 7, 3, year_start(2022), kForever, kHappyMonday2),
    fixed("山の日", 8, 11, year_start(2016), year_end(2019), kLaw2014),
    fixed("山の日", 8, 10, year_start(2020), year_end(2020), kOlympics2020),
    fixed("山の日", 8, 8, year_start(2021), year_end(2021), kOlympics2021),
    fixed("山の日", 8, 11, year_start(2022), kForever, kLaw2014),
    fixed("敬老の日", 9, 15, ymd(1966, 6, 25), year_end(2002), kLaw1966),
    monday("敬老の日", 9, 3, year_start(2003), kForever, kHappyMonday2),
    HolidayRule{"秋分の日", DayRule::kAutumnalEquinox, 9, 0, kLawStart, kForever, true,
                kOriginalLaw},
    fixed("体育の日", 10, 10, ymd(1966, 6, 25), year_end(1999), kLaw1966),
    monday("体育の日", 10, 2, year_start(2000), year_end(2019), kHappyMonday1),
    fixed("スポーツの日", 7, 24, year_start(2020), year_end(2020), kOlympics2020),
    fixed("スポーツの日", 7, 23, year_start(2021), year_end(2021), kOlympics2021),
    monday("スポーツの日", 10, 2, year_start(2022), kForever, kSportsDayLaw),
    fixed("文化の日", 11, 3, kLawStart, kForever, kOriginalLaw),
    fixed("勤労感謝の日", 11, 23, kLawStart, kForever, kOriginalLaw),
    fixed("天皇誕生日", 12, 23, ymd(1989, 2, 17), ymd(2019, 4, 29), kLaw1989),
    // One-off days, each by its own law.
    once("皇太子明仁親王の結婚の儀", 1959, 4, 10, false, "昭和34年法律第16号"),
    once("昭和天皇の大喪の礼", 1989, 2, 24, false, "平成元年法律第4号"),
    once("即位礼正殿の儀", 1990, 11, 12, false, "平成2年法律第24号"),
    once("皇太子徳仁親王の結婚の儀", 1993, 6, 9, false, "平成5年法律第32号"),
    once("即位の日", 2019, 5, 1, true, kEnthronement2019),
    once("即位礼正殿の儀", 2019, 10, 22, true, kEnthronement2019),
};

constexpr std::array kSubstituteRules = {
    SubstituteHolidayRule{SubstituteRule::kNextDay, ymd(1973, 4, 12), year_end(2006),
                          "昭和48年法律第10号"},
    SubstituteHolidayRule{SubstituteRule::kNearestNonHoliday, year_start(2007), kForever, kLaw2005},
};

constexpr std::array kCitizensRules = {
    CitizensHolidayRule{CitizensRule::kExceptSundayAndSubstitute, ymd(1985, 12, 27), year_end(2006),
                        "昭和60年法律第103号"},
    CitizensHolidayRule{CitizensRule::kAnyNonNationalHoliday, year_start(2007), kForever, kLaw2005},
};

// The equinox formula: floor(base + 0.242194 * (Y - 1980) - leap_corrections), where the
// leap corrections are trunc((Y - 1983) / 4) before 1980 and floor((Y - 1980) / 4) from 1980.
// The constants come from the fit to the apparent solar longitude reaching 0° / 180° in Japan
// time; docs/calendar.md names the sources and the check against an astronomical algorithm.
unsigned equinox_day(int year, double base_to_1979, double base_from_1980) {
  // Integer arithmetic for the corrections avoids rounding surprises; C++ division truncates.
  if (year < 1980) {
    return unsigned(base_to_1979 + 0.242194 * (year - 1980) - double((year - 1983) / 4));
  }
  return unsigned(base_from_1980 + 0.242194 * (year - 1980) - double((year - 1980) / 4));
}

}  // namespace

std::span<const HolidayRule> holiday_rules() { return kHolidayRules; }
std::span<const SubstituteHolidayRule> substitute_holiday_rules() { return kSubstituteRules; }
std::span<const CitizensHolidayRule> citizens_holiday_rules() { return kCitizensRules; }

unsigned vernal_equinox_day(int year) { return equinox_day(year, 20.8357, 20.8431); }
unsigned autumnal_equinox_day(int year) { return equinox_day(year, 23.2588, 23.2488); }

Date nth_monday(int year, unsigned month, unsigned nth) {
  using namespace std::chrono;
  return Date{sys_days{std::chrono::year{year} / std::chrono::month{month} / Monday[nth]}};
}

Date rule_date(const HolidayRule& rule, int year) {
  switch (rule.rule) {
    case DayRule::kFixed:
      return ymd(year, rule.month, rule.day);
    case DayRule::kNthMonday:
      return nth_monday(year, rule.month, rule.day);
    case DayRule::kVernalEquinox:
      return ymd(year, 3, vernal_equinox_day(year));
    case DayRule::kAutumnalEquinox:
      return ymd(year, 9, autumnal_equinox_day(year));
  }
  return ymd(year, rule.month, rule.day);
}

}  // namespace kakehashi::calendar
