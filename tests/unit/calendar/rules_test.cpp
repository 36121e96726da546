// The rule tables themselves: well-formed, never two holidays on one day, and the pieces
// (equinox formula, Happy Monday) right against published dates.
#include "calendar/rules.h"

#include <gtest/gtest.h>

#include <set>

#include "test_support.h"

namespace kakehashi::calendar {
namespace {

TEST(HolidayRules, EveryRuleHasANameALawAndAValidityInsideTheSupportedRange) {
  ASSERT_FALSE(holiday_rules().empty());
  for (const HolidayRule& rule : holiday_rules()) {
    SCOPED_TRACE(std::string(rule.name));
    EXPECT_FALSE(rule.name.empty());
    EXPECT_FALSE(rule.law.empty());
    EXPECT_LE(rule.valid_from, rule.valid_to);
    EXPECT_GE(rule.valid_from, kFirstSupportedDate);
    EXPECT_LE(rule.valid_to, kLastSupportedDate);
  }
  for (const auto& rule : substitute_holiday_rules()) EXPECT_LE(rule.valid_from, rule.valid_to);
  for (const auto& rule : citizens_holiday_rules()) EXPECT_LE(rule.valid_from, rule.valid_to);
}

TEST(HolidayRules, DerivedRulesFollowOneAnotherWithoutGapOrOverlap) {
  auto substitute = substitute_holiday_rules();
  ASSERT_EQ(substitute.size(), 2u);
  EXPECT_EQ(substitute[0].valid_from, ymd(1973, 4, 12));
  EXPECT_EQ(substitute[0].rule, SubstituteRule::kNextDay);
  EXPECT_EQ(substitute[1].valid_from, substitute[0].valid_to.plus_days(1));
  EXPECT_EQ(substitute[1].rule, SubstituteRule::kNearestNonHoliday);
  EXPECT_EQ(substitute[1].valid_to, kLastSupportedDate);

  auto citizens = citizens_holiday_rules();
  ASSERT_EQ(citizens.size(), 2u);
  EXPECT_EQ(citizens[0].valid_from, ymd(1985, 12, 27));
  EXPECT_EQ(citizens[1].valid_from, citizens[0].valid_to.plus_days(1));
  EXPECT_EQ(citizens[1].valid_to, kLastSupportedDate);
}

TEST(HolidayRules, NoTwoRulesInForcePickTheSameDayInAnyYear) {
  for (int year = kFirstSupportedYear; year <= kLastSupportedYear; ++year) {
    std::set<Date> taken;
    for (const HolidayRule& rule : holiday_rules()) {
      Date date = rule_date(rule, year);
      if (date < rule.valid_from || date > rule.valid_to) continue;
      EXPECT_TRUE(taken.insert(date).second) << date.iso() << " " << rule.name;
    }
  }
}

// A renamed or moved holiday is a new row; each name's rows must not be in force at once.
TEST(HolidayRules, RowsOfOneNameDoNotOverlapInTime) {
  auto rules = holiday_rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    for (size_t j = i + 1; j < rules.size(); ++j) {
      if (rules[i].name != rules[j].name || rules[i].valid_from == rules[i].valid_to) continue;
      if (rules[j].valid_from == rules[j].valid_to) continue;
      bool disjoint =
          rules[i].valid_to < rules[j].valid_from || rules[j].valid_to < rules[i].valid_from;
      EXPECT_TRUE(disjoint) << rules[i].name << " rows " << i << " and " << j;
    }
  }
}

TEST(HolidayRules, OnlyThe2019OneOffDaysCountAsNationalHolidays) {
  std::set<Date> one_off, deemed;
  for (const HolidayRule& rule : holiday_rules()) {
    if (rule.valid_from != rule.valid_to) {
      EXPECT_TRUE(rule.national_holiday) << rule.name;
      continue;
    }
    one_off.insert(rule.valid_from);
    if (rule.national_holiday) deemed.insert(rule.valid_from);
  }
  EXPECT_EQ(one_off, (std::set<Date>{ymd(1959, 4, 10), ymd(1989, 2, 24), ymd(1990, 11, 12),
                                     ymd(1993, 6, 9), ymd(2019, 5, 1), ymd(2019, 10, 22)}));
  EXPECT_EQ(deemed, (std::set<Date>{ymd(2019, 5, 1), ymd(2019, 10, 22)}));
}

// holidays.yml carries the published 春分の日 and 秋分の日 to 2025 and the formula's beyond.
TEST(EquinoxFormula, MatchesEveryEquinoxDayInTheReferenceList) {
  int checked = 0;
  for (const auto& [date, name] : testing::reference_holidays()) {
    if (name == "春分の日") {
      EXPECT_EQ(vernal_equinox_day(date.year()), date.day()) << date.iso();
      ++checked;
    } else if (name == "秋分の日") {
      EXPECT_EQ(autumnal_equinox_day(date.year()), date.day()) << date.iso();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 * (2050 - 1970 + 1));
}

TEST(EquinoxFormula, KnownDatesBefore1980AndLateThisCentury) {
  // 暦要項 / 理科年表: 1948-09-23, 1960-03-20, 1951-09-24, 1979-09-24; 2092 and 2096 bring 03-19.
  EXPECT_EQ(autumnal_equinox_day(1948), 23u);
  EXPECT_EQ(vernal_equinox_day(1960), 20u);
  EXPECT_EQ(autumnal_equinox_day(1951), 24u);
  EXPECT_EQ(autumnal_equinox_day(1979), 24u);
  EXPECT_EQ(vernal_equinox_day(2092), 19u);
  EXPECT_EQ(vernal_equinox_day(2096), 19u);
  for (int year = kFirstSupportedYear; year <= kLastSupportedYear; ++year) {
    EXPECT_GE(vernal_equinox_day(year), 19u);
    EXPECT_LE(vernal_equinox_day(year), 21u);
    EXPECT_GE(autumnal_equinox_day(year), 22u);
    EXPECT_LE(autumnal_equinox_day(year), 24u);
  }
}

TEST(NthMonday, PicksTheRightMonday) {
  EXPECT_EQ(nth_monday(2027, 1, 2), ymd(2027, 1, 11));  // 成人の日 2027
  EXPECT_EQ(nth_monday(2026, 7, 3), ymd(2026, 7, 20));  // 海の日 2026
  EXPECT_EQ(nth_monday(2026, 9, 3), ymd(2026, 9, 21));  // 敬老の日 2026
  EXPECT_EQ(nth_monday(2024, 1, 1), ymd(2024, 1, 1));   // a month starting on Monday
  for (int year = 2000; year <= kLastSupportedYear; ++year) {
    Date second = nth_monday(year, 10, 2);
    EXPECT_EQ(second.weekday(), 1u);
    EXPECT_GE(second.day(), 8u);
    EXPECT_LE(second.day(), 14u);
  }
}

}  // namespace
}  // namespace kakehashi::calendar
