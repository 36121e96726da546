#include "calendar/holiday_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "calendar/rules.h"
#include "support/result.h"
#include "test_support.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::calendar {
namespace {

Date d(const char* iso) { return *Date::parse(iso); }

// The names article 2 gives, present and past.
const std::set<std::string> kLawNames = {
    "元日",       "成人の日",   "建国記念の日", "天皇誕生日", "春分の日",    "昭和の日",
    "憲法記念日", "みどりの日", "こどもの日",   "海の日",     "山の日",      "敬老の日",
    "秋分の日",   "体育の日",   "スポーツの日", "文化の日",   "勤労感謝の日"};

// A day that counts as 「国民の祝日」 for articles 3.2 and 3.3.
bool is_national(const HolidayCalendar& calendar, Date date) {
  if (!check_supported(date)) return false;
  auto holiday = *calendar.holiday(date);
  if (!holiday) return false;
  if (holiday->kind == HolidayKind::kNational) return true;
  return std::any_of(
      holiday_rules().begin(), holiday_rules().end(), [date](const HolidayRule& rule) {
        return rule.national_holiday && rule.valid_from == date && rule.valid_to == date;
      });
}

TEST(HolidayCalendar, EveryReferenceHolidayMatchesByDateWithNoExtraDay) {
  HolidayCalendar calendar;
  auto reference = testing::reference_holidays();
  ASSERT_EQ(reference.size(), 1329u);  // holidays.yml 1970-01-01 .. 2050-11-23
  std::map<Date, Holiday> ours;
  for (int year = 1970; year <= 2050; ++year) {
    for (const Holiday& holiday : testing::ok(calendar.holidays(year)))
      ours.emplace(holiday.date, holiday);
  }
  for (const auto& [date, name] : reference)
    EXPECT_TRUE(ours.contains(date)) << "missing " << date.iso() << " " << name;
  for (const auto& [date, holiday] : ours) {
    EXPECT_TRUE(reference.contains(date)) << "extra " << date.iso() << " " << holiday.name;
  }
}

// holidays.yml names substitute, citizens' and one-off days its own way (see its README):
// compare names where it uses a law name, and the kind of day everywhere else.
TEST(HolidayCalendar, NamesMatchTheReferenceForLawNamedDaysAndKindsForTheRest) {
  HolidayCalendar calendar;
  int law_named = 0, substitute = 0, citizens = 0, special = 0;
  for (const auto& [date, name] : testing::reference_holidays()) {
    SCOPED_TRACE(date.iso() + " " + name);
    auto ours = *calendar.holiday(date);
    ASSERT_TRUE(ours);
    if (kLawNames.contains(name)) {
      EXPECT_EQ(ours->name, name);
      EXPECT_EQ(ours->kind, HolidayKind::kNational);
      ++law_named;
    } else if (name.ends_with("振替休日")) {  // "こどもの日 振替休日"
      EXPECT_EQ(ours->name, "振替休日");
      EXPECT_EQ(ours->kind, HolidayKind::kSubstitute);
      ++substitute;
    } else if (name == "休日") {
      EXPECT_EQ(ours->name, "国民の休日");
      EXPECT_EQ(ours->kind, HolidayKind::kCitizens);
      ++citizens;
    } else if (name == "体育の日（スポーツの日）") {
      // holiday_jp's note on 2019-10-14: the law still named it 体育の日 (スポーツの日 from 2020).
      EXPECT_EQ(date, d("2019-10-14"));
      EXPECT_EQ(ours->name, "体育の日");
    } else {  // 大喪の礼, 即位礼正殿の儀, 結婚の儀, 休日（祝日扱い）
      EXPECT_EQ(ours->kind, HolidayKind::kSpecial);
      ++special;
    }
  }
  // Every one of the 1,329 entries falls in exactly one branch: 1166 + 133 + 24 + 1 + 5.
  EXPECT_EQ(law_named, 1166);
  EXPECT_EQ(substitute, 133);
  EXPECT_EQ(citizens, 24);
  EXPECT_EQ(special, 5);  // 1989-02-24, 1990-11-12, 1993-06-09, 2019-05-01, 2019-10-22
}

TEST(HolidayCalendar, HistoricalMilestones) {
  HolidayCalendar calendar;
  auto name = [&](const char* iso) { return calendar.holiday_name(d(iso))->value_or("-"); };
  EXPECT_EQ((*calendar.holidays(1948)).front().date, d("1948-09-23"));  // law in force from 07-20
  EXPECT_EQ(name("1959-04-10"), "皇太子明仁親王の結婚の儀");
  EXPECT_EQ(name("1966-09-15"), "敬老の日");
  EXPECT_EQ(name("1966-10-10"), "体育の日");
  EXPECT_EQ(name("1966-02-11"), "-");
  EXPECT_EQ(name("1967-02-11"), "建国記念の日");
  EXPECT_EQ(name("1973-02-12"), "-");         // 02-11 was a Sunday before 振替休日 existed
  EXPECT_EQ(name("1973-04-30"), "振替休日");  // the first one
  EXPECT_EQ(name("1986-05-04"), "-");         // a Sunday between two holidays stays a Sunday
  EXPECT_EQ(name("1988-05-04"), "国民の休日");
  EXPECT_EQ(name("1989-02-24"), "昭和天皇の大喪の礼");
  EXPECT_EQ(name("1989-04-29"), "みどりの日");
  EXPECT_EQ(name("1989-12-23"), "天皇誕生日");
  EXPECT_EQ(name("1996-07-20"), "海の日");
  EXPECT_EQ(name("2000-01-10"), "成人の日");
  EXPECT_EQ(name("2007-04-29"), "昭和の日");
  EXPECT_EQ(name("2008-05-06"), "振替休日");  // 05-04 Sunday: next day not a holiday is 05-06
  EXPECT_EQ(name("2009-09-22"), "国民の休日");
  EXPECT_EQ(name("2016-08-11"), "山の日");
  EXPECT_EQ(name("2019-04-30"), "国民の休日");
  EXPECT_EQ(name("2019-05-01"), "即位の日");
  EXPECT_EQ(name("2019-05-02"), "国民の休日");
  EXPECT_EQ(name("2019-10-21"), "-");
  EXPECT_EQ(name("2019-10-22"), "即位礼正殿の儀");
  EXPECT_EQ(name("2019-12-23"), "-");
  EXPECT_EQ(name("2019-02-23"), "-");
  EXPECT_EQ(name("2020-02-23"), "天皇誕生日");
  EXPECT_EQ(name("2020-07-23"), "海の日");
  EXPECT_EQ(name("2020-07-24"), "スポーツの日");
  EXPECT_EQ(name("2020-08-10"), "山の日");
  EXPECT_EQ(name("2020-10-12"), "-");
  EXPECT_EQ(name("2021-07-22"), "海の日");
  EXPECT_EQ(name("2021-07-23"), "スポーツの日");
  EXPECT_EQ(name("2021-08-08"), "山の日");
  EXPECT_EQ(name("2021-08-09"), "振替休日");
  EXPECT_EQ(name("2021-08-11"), "-");
  EXPECT_EQ(name("2026-09-22"), "国民の休日");
  EXPECT_EQ(name("2099-11-23"), "勤労感謝の日");
}

TEST(HolidayCalendar, HolidaysOfAYearAreSortedAndCachedConsistently) {
  HolidayCalendar calendar;
  ASSERT_OK_AND_ASSIGN(auto first, calendar.holidays(2026));
  ASSERT_OK_AND_ASSIGN(auto again, calendar.holidays(2026));
  EXPECT_EQ(first, again);
  EXPECT_EQ(first, *computed_holidays(2026));
  EXPECT_EQ(first.size(), 18u);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end(),
                             [](const Holiday& a, const Holiday& b) { return a.date < b.date; }));
}

TEST(HolidayCalendar, DoneWhenDeadlines) {
  HolidayCalendar calendar;
  // 12-28, then 01-04 and 01-05 (12-29 … 01-03 closed, 01-02/03 a weekend anyway).
  EXPECT_EQ(*calendar.add_business_days(d("2026-12-25"), 3), d("2027-01-05"));
  // 01-11 is 成人の日.
  EXPECT_EQ(*calendar.add_business_days(d("2027-01-08"), 3), d("2027-01-14"));
  EXPECT_EQ(*calendar.add_business_days(d("2027-01-14"), -3), d("2027-01-08"));
}

TEST(HolidayCalendar, BusinessDayArithmeticAtTheEdges) {
  HolidayCalendar calendar;
  EXPECT_EQ(*calendar.add_business_days(d("2026-12-26"), 0), d("2026-12-26"));  // n == 0: unchanged
  EXPECT_EQ(*calendar.add_business_days(d("2026-12-26"), 1), d("2026-12-28"));  // from a Saturday
  EXPECT_EQ(*calendar.add_business_days(d("2027-01-01"), -1), d("2026-12-28"));
  EXPECT_EQ(*calendar.next_business_day(d("2026-12-28")), d("2027-01-04"));
  EXPECT_EQ(*calendar.previous_business_day(d("2027-01-04")), d("2026-12-28"));
  EXPECT_EQ(*calendar.business_day_on_or_after(d("2026-09-19")), d("2026-09-24"));  // silver week
  EXPECT_EQ(*calendar.business_day_on_or_after(d("2026-09-24")), d("2026-09-24"));
  EXPECT_EQ(*calendar.business_days_between(d("2026-12-25"), d("2027-01-05")), 3);
  EXPECT_EQ(*calendar.business_days_between(d("2027-01-05"), d("2026-12-25")), -3);
  EXPECT_EQ(*calendar.business_days_between(d("2026-12-29"), d("2027-01-03")), 0);
  EXPECT_EQ(*calendar.business_days_between(d("2027-01-03"), d("2026-12-29")), 0);
  // Backwards from a closed day: 12-28 is 1 business day before 2027-01-02 …
  EXPECT_EQ(*calendar.business_days_between(d("2027-01-02"), d("2026-12-28")), -1);
  EXPECT_EQ(*calendar.add_business_days(d("2027-01-02"), -1), d("2026-12-28"));
  // … while forwards (12-28, 01-02] holds no business day: the start never counts.
  EXPECT_EQ(*calendar.business_days_between(d("2026-12-28"), d("2027-01-02")), 0);
  EXPECT_EQ(*calendar.business_days_between(d("2026-12-25"), d("2026-12-28")), 1);
  // Across many years at once.
  EXPECT_EQ(*calendar.add_business_days(d("1948-07-20"), 20000),
            *calendar.add_business_days(*calendar.add_business_days(d("1948-07-20"), 12345), 7655));
  EXPECT_EQ(*calendar.business_days_between(d("1948-07-20"),
                                            *calendar.add_business_days(d("1948-07-20"), 30000)),
            30000);
}

TEST(HolidayCalendar, GovernmentClosedDaysAreKeptApartFromHolidays) {
  HolidayCalendar calendar;
  EXPECT_TRUE(*calendar.is_government_closed(d("2026-12-29")));
  EXPECT_TRUE(*calendar.is_government_closed(d("2027-01-03")));
  EXPECT_FALSE(*calendar.is_government_closed(d("2026-12-28")));
  EXPECT_FALSE(*calendar.is_government_closed(d("2027-01-04")));
  EXPECT_FALSE(*calendar.is_holiday(d("2026-12-29")));
  EXPECT_FALSE(*calendar.holiday_name(d("2026-12-30")));
  EXPECT_FALSE(*calendar.is_business_day(d("2026-12-30")));
  EXPECT_TRUE(*calendar.is_holiday(d("2027-01-01")));
  EXPECT_FALSE(is_government_closed(d("1900-07-01")));
}

TEST(HolidayCalendar, DatesOutsideTheSupportedRangeAreRefusedNamingTheRange) {
  HolidayCalendar calendar;
  const std::string range = "対応している日付は 1948-07-20 から 2099-12-31 までです: ";
  ExpectError(calendar.is_business_day(d("1948-07-19")), ErrorCode::kInvalidArgument, range + "1948-07-19");
  ExpectError(calendar.holiday_name(d("2100-01-01")), ErrorCode::kInvalidArgument, range + "2100-01-01");
  ExpectErrorCode(calendar.add_business_days(d("1900-01-01"), 3), ErrorCode::kInvalidArgument);
  ExpectError(calendar.business_days_between(d("2026-01-01"), d("2100-01-01")), ErrorCode::kInvalidArgument,
              range + "2100-01-01");
  ExpectError(calendar.holidays(1900), ErrorCode::kInvalidArgument,
              "対応している年は 1948 年から 2099 年までです: 1900");
  ExpectError(calendar.holidays(2100), ErrorCode::kInvalidArgument,
              "対応している年は 1948 年から 2099 年までです: 2100");
  ExpectErrorCode(computed_holidays(1947), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(calendar.is_business_day(d("1948-07-20")));
  EXPECT_TRUE(calendar.is_business_day(d("2099-12-31")));
  ExpectError(calendar.add_business_days(d("2099-12-28"), 5), ErrorCode::kInvalidArgument,
              "2099-12-28 から 5 営業日後は対応している範囲（1948-07-20 から 2099-12-31 まで）の外です");
  ExpectError(calendar.add_business_days(d("1948-07-21"), -2), ErrorCode::kInvalidArgument,
              "1948-07-21 から 2 営業日前は対応している範囲（1948-07-20 から 2099-12-31 まで）の外です");
  EXPECT_FALSE(calendar.add_business_days(d("2026-01-05"), 2'000'000'000));
  EXPECT_FALSE(calendar.add_business_days(d("2026-01-05"), -2'000'000'000));
}

// --- Properties over 1949-2099 -------------------------------------------------------------

class EveryDay : public ::testing::Test {
 protected:
  HolidayCalendar calendar;
  const Date first = ymd(1949, 1, 1);
  const Date last = ymd(2099, 12, 31);
};

TEST_F(EveryDay, BusinessDaysAreExactlyTheWeekdaysThatAreNeitherHolidaysNorClosed) {
  for (Date day = first; day <= last; day = day.plus_days(1)) {
    bool expected = !day.is_weekend() && !*calendar.is_holiday(day) && !is_government_closed(day);
    ASSERT_EQ(*calendar.is_business_day(day), expected) << day.iso();
  }
}

// Naive reference: step one day at a time.
Date naive_add(const HolidayCalendar& calendar, Date date, int n) {
  int step = n > 0 ? 1 : -1;
  for (int left = n > 0 ? n : -n; left > 0;) {
    date = date.plus_days(step);
    if (*calendar.is_business_day(date)) --left;
  }
  return date;
}

TEST_F(EveryDay, AddBusinessDaysAgreesWithDayByDayCounting) {
  for (Date day = ymd(1949, 1, 10); day <= ymd(2099, 12, 1); day = day.plus_days(1)) {
    for (int n : {1, 3, 10, -1, -3, -10}) {
      ASSERT_EQ(*calendar.add_business_days(day, n), naive_add(calendar, day, n))
          << day.iso() << " " << n;
    }
  }
}

TEST_F(EveryDay, GoingThereAndBackReturnsToTheNearestBusinessDay) {
  for (Date day = ymd(1949, 2, 1); day <= ymd(2099, 11, 30); day = day.plus_days(1)) {
    Date at_or_before = day, at_or_after = day;
    while (!*calendar.is_business_day(at_or_before)) at_or_before = at_or_before.plus_days(-1);
    while (!*calendar.is_business_day(at_or_after)) at_or_after = at_or_after.plus_days(1);
    for (int n : {1, 2, 3, 5, 20}) {
      Date there = *calendar.add_business_days(day, n);
      ASSERT_TRUE(*calendar.is_business_day(there));
      ASSERT_EQ(*calendar.add_business_days(there, -n), at_or_before) << day.iso() << " " << n;
      ASSERT_EQ(*calendar.business_days_between(day, there), n) << day.iso() << " " << n;
      Date back = *calendar.add_business_days(day, -n);
      ASSERT_EQ(*calendar.add_business_days(back, n), at_or_after) << day.iso() << " " << -n;
      ASSERT_EQ(*calendar.business_days_between(day, back), -n) << day.iso() << " " << -n;
    }
  }
}

TEST_F(EveryDay, EverySubstituteHolidayFollowsItsRule) {
  int seen = 0;
  for (Date day = first; day <= last; day = day.plus_days(1)) {
    auto holiday = *calendar.holiday(day);
    bool national_sunday =
        day.weekday() == 0 && is_national(calendar, day) && day >= ymd(1973, 4, 12);
    if (holiday && holiday->kind == HolidayKind::kSubstitute) {
      ++seen;
      EXPECT_EQ(holiday->name, "振替休日");
      EXPECT_FALSE(is_national(calendar, day));
      // Walk back over national holidays to the Sunday that caused it.
      Date cause = day.plus_days(-1);
      while (cause.weekday() != 0 && is_national(calendar, cause)) cause = cause.plus_days(-1);
      EXPECT_EQ(cause.weekday(), 0u) << day.iso();
      EXPECT_TRUE(is_national(calendar, cause)) << day.iso();
      if (day.year() < 2007) {
        EXPECT_EQ(cause, day.plus_days(-1)) << day.iso();  // next day only
      }
    }
    if (national_sunday) {  // … and every Sunday national holiday has its substitute
      Date next = day.plus_days(1);
      while (is_national(calendar, next)) next = next.plus_days(1);
      bool pre_2007_blocked = day.year() < 2007 && next != day.plus_days(1);
      if (!pre_2007_blocked) {
        auto substitute = *calendar.holiday(next);
        ASSERT_TRUE(substitute) << day.iso();
        EXPECT_EQ(substitute->kind, HolidayKind::kSubstitute) << day.iso();
      }
    }
  }
  EXPECT_GT(seen, 100);
}

TEST_F(EveryDay, EveryCitizensHolidayFollowsItsRule) {
  int seen = 0;
  for (Date day = first; day <= last; day = day.plus_days(1)) {
    auto holiday = *calendar.holiday(day);
    bool sandwiched = is_national(calendar, day.plus_days(-1)) &&
                      is_national(calendar, day.plus_days(1)) && !is_national(calendar, day);
    if (holiday && holiday->kind == HolidayKind::kCitizens) {
      ++seen;
      EXPECT_EQ(holiday->name, "国民の休日");
      EXPECT_TRUE(sandwiched) << day.iso();
      EXPECT_GE(day, ymd(1985, 12, 27));
      if (day.year() < 2007) {
        EXPECT_NE(day.weekday(), 0u) << day.iso();
      }
    } else if (sandwiched && day >= ymd(1985, 12, 27)) {
      // Only a pre-2007 Sunday or a day already a 振替休日 escapes the rule.
      bool excused = (day.year() < 2007 && day.weekday() == 0) ||
                     (holiday && holiday->kind == HolidayKind::kSubstitute);
      EXPECT_TRUE(excused) << day.iso();
    }
  }
  EXPECT_GT(seen, 20);
}

// --- Official overrides --------------------------------------------------------------------

std::vector<OfficialHoliday> official_2027_with_moved_equinox() {
  // As if the observatory had announced 秋分日 2027 on 09-24 instead of 09-23.
  std::vector<OfficialHoliday> rows;
  for (const Holiday& holiday : testing::ok(computed_holidays(2027))) {
    Date date = holiday.name == "秋分の日" ? d("2027-09-24") : holiday.date;
    rows.push_back({date, holiday.kind == HolidayKind::kNational ? holiday.name : "休日"});
  }
  return rows;
}

TEST(HolidayCalendarOfficial, ReplacesTheComputedDaysOfCoveredYearsOnly) {
  auto calendar = HolidayCalendar::with_official(official_2027_with_moved_equinox());
  ASSERT_OK(calendar);
  EXPECT_EQ(calendar->official_years(), std::vector<int>{2027});
  EXPECT_EQ(calendar->holiday_name(d("2027-09-24"))->value_or("-"), "秋分の日");
  EXPECT_EQ(calendar->holiday_name(d("2027-09-23"))->value_or("-"), "-");
  EXPECT_TRUE(*calendar->is_business_day(d("2027-09-23")));
  EXPECT_FALSE(*calendar->is_business_day(d("2027-09-24")));
  EXPECT_EQ(*calendar->add_business_days(d("2027-09-22"), 1), d("2027-09-23"));
  // The generic "休日" keeps the rules' name where the rules agree on the day.
  EXPECT_EQ(calendar->holiday_name(d("2027-03-22"))->value_or("-"), "振替休日");
  EXPECT_EQ(calendar->holiday(d("2027-03-22"))->value().kind, HolidayKind::kSubstitute);
  // Other years keep the rules.
  EXPECT_EQ(*calendar->holidays(2026), *computed_holidays(2026));
  EXPECT_EQ(*calendar->holidays(2028), *computed_holidays(2028));
}

TEST(HolidayCalendarOfficial, AnOfficialDayTheRulesLackKeepsItsPublishedName) {
  auto calendar = HolidayCalendar::with_official(
      {{d("2026-01-01"), "元日"}, {d("2026-06-15"), "休日"}, {d("2026-11-23"), "勤労感謝の日"}});
  ASSERT_TRUE(calendar);
  ASSERT_OK_AND_ASSIGN(auto extra, calendar->holiday(d("2026-06-15")));
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->name, "休日");
  EXPECT_EQ(extra->kind, HolidayKind::kOfficial);
  EXPECT_EQ(calendar->holidays(2026)->size(), 3u);
}

TEST(HolidayCalendarOfficial, RefusesRowsOutsideTheRangeAndDuplicateDates) {
  ExpectError(HolidayCalendar::with_official({{d("1947-01-01"), "元日"}}), ErrorCode::kInvalidArgument,
              "対応している日付は 1948-07-20 から 2099-12-31 までです: 1947-01-01");
  ExpectError(HolidayCalendar::with_official({{d("2026-01-01"), "元日"}, {d("2026-01-01"), "休日"}}),
              ErrorCode::kInvalidArgument, "公式の祝日一覧で日付が重複しています: 2026-01-01");
}

TEST(HolidayCalendar, ConcurrentFirstUseOfAYearIsSafe) {
  HolidayCalendar calendar;
  std::vector<std::thread> threads;
  std::vector<int> counts(4);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int year = 1950; year <= 2099; ++year) counts[t] += int(calendar.holidays(year)->size());
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : counts) EXPECT_EQ(count, counts[0]);
}

}  // namespace
}  // namespace kakehashi::calendar
