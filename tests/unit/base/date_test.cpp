#include "base/date.h"

#include "base/date_style.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi {
namespace {

TEST(Date, ParsesIsoAndSlashForms) {
  EXPECT_EQ(Date::parse("2026-12-25")->iso(), "2026-12-25");
  EXPECT_EQ(Date::parse("2026/9/21")->iso(), "2026-09-21");
  EXPECT_EQ(Date::parse("2024-02-29")->iso(), "2024-02-29");
}

TEST(Date, RejectsMalformedDatesWithJapaneseMessage) {
  ExpectError(Date::parse("2026-13-01"), ErrorCode::kInvalidArgument,
              "日付の形式が正しくありません: 2026-13-01（例: 2026-12-25）");
  EXPECT_FALSE(Date::parse("2025-02-29"));
  EXPECT_FALSE(Date::parse("2026-1-5"));
  EXPECT_FALSE(Date::parse("20261225"));
  EXPECT_FALSE(Date::parse("2026-12-25-1"));
  EXPECT_FALSE(Date::parse("２０２６-12-25"));
  EXPECT_FALSE(Date::parse(""));
}

TEST(Date, WeekdaysAndArithmetic) {
  Date christmas = *Date::parse("2026-12-25");
  EXPECT_EQ(christmas.weekday(), 5u);  // Friday
  EXPECT_FALSE(christmas.is_weekend());
  EXPECT_TRUE(christmas.plus_days(1).is_weekend());
  EXPECT_EQ(christmas.plus_days(7).iso(), "2027-01-01");
  EXPECT_EQ(christmas.plus_days(7).days_since(christmas), 7);
  EXPECT_EQ(christmas.japanese(), "2026年12月25日（金）");
}

TEST(Date, TokyoDateIsNineHoursAheadOfUtc) {
  using namespace std::chrono;
  sys_seconds utc_evening = sys_days{2026y / 12 / 24} + 15h;  // 2026-12-25 00:00 in Tokyo
  EXPECT_EQ(tokyo_date(utc_evening).iso(), "2026-12-25");
  EXPECT_EQ(tokyo_date(utc_evening - 1s).iso(), "2026-12-24");
  EXPECT_EQ(tokyo_datetime(utc_evening + 8h + 30min), "2026-12-25 08:30");
  FixedClock clock{utc_evening};
  EXPECT_EQ(clock.today_in_tokyo().iso(), "2026-12-25");
}

}  // namespace
}  // namespace kakehashi

TEST(Instant, TokyoDatetimeRoundTripsThroughTheFormInputValue) {
  auto instant = kakehashi::parse_tokyo_datetime("2027-01-15T17:00");
  ASSERT_TRUE(instant);
  EXPECT_EQ(kakehashi::iso_utc(*instant), "2027-01-15T08:00:00Z");
  EXPECT_EQ(kakehashi::tokyo_datetime_local(*instant), "2027-01-15T17:00");
  EXPECT_EQ(kakehashi::tokyo_datetime_japanese(*instant), "2027年1月15日（金）17:00");
  // Just after midnight in Japan is the previous day in UTC.
  auto early = kakehashi::parse_tokyo_datetime("2027-01-01 00:30:15");
  ASSERT_TRUE(early);
  EXPECT_EQ(kakehashi::iso_utc(*early), "2026-12-31T15:30:15Z");
}

TEST(Instant, MalformedTextIsRefusedWithTheExample) {
  for (const char* text : {"", "2027-01-15", "2027-01-15T25:00", "2027-02-30T10:00", "2027-01-15T10:0x", "2027-01-15X10:00"}) {
    auto parsed = kakehashi::parse_tokyo_datetime(text);
    ASSERT_FALSE(parsed) << text;
    ExpectError(parsed, kakehashi::ErrorCode::kInvalidArgument,
                std::string("日時の形式が正しくありません: ") + text + "（例: 2026-12-25T17:00）");
  }
}

TEST(Instant, IsoUtcParsesOnlyItsOwnForm) {
  auto parsed = kakehashi::parse_iso_utc("2026-11-25T13:04:05Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(kakehashi::iso_utc(*parsed), "2026-11-25T13:04:05Z");
  EXPECT_FALSE(kakehashi::parse_iso_utc("2026-11-25T13:04:05"));
  EXPECT_FALSE(kakehashi::parse_iso_utc("2026-11-25 13:04:05Z"));
  EXPECT_FALSE(kakehashi::parse_iso_utc("2026-11-25T13:04Z"));
}

namespace kakehashi {
namespace {

TEST(DateStyle, EraYearsStartOnTheEraFirstDayAndTheFirstYearIsGannen) {
  auto era = [](int y, unsigned m, unsigned d) { return era_year(*Date::from_ymd(y, m, d)); };
  EXPECT_EQ(era(2026, 12, 3), "令和8年");
  EXPECT_EQ(era(2019, 5, 1), "令和元年");
  EXPECT_EQ(era(2019, 4, 30), "平成31年");
  EXPECT_EQ(era(1989, 1, 8), "平成元年");
  EXPECT_EQ(era(1989, 1, 7), "昭和64年");
  EXPECT_EQ(era(2027, 1, 1), "令和9年");
}

TEST(DateStyle, TheThreadsStyleWritesJapaneseDatesAndTheScopeRestoresIt) {
  Date day = *Date::from_ymd(2026, 12, 3);
  auto at = std::chrono::sys_days{day.sys_days()} + std::chrono::hours{8};  // 17:00 in Japan
  EXPECT_EQ(day.japanese(), "2026年12月3日（木）");
  {
    DateStyleScope era(DateStyle::kEra);
    EXPECT_EQ(day.japanese(), "令和8年12月3日（木）");
    EXPECT_EQ(tokyo_datetime_japanese(at), "令和8年12月3日（木）17:00");
    {
      DateStyleScope both(DateStyle::kBoth);
      EXPECT_EQ(day.japanese(), "令和8年（2026年）12月3日（木）");
    }
    EXPECT_EQ(current_date_style(), DateStyle::kEra);
  }
  EXPECT_EQ(current_date_style(), DateStyle::kWestern);
  EXPECT_EQ(tokyo_datetime_japanese(at), "2026年12月3日（木）17:00");
  EXPECT_EQ(date_style_from("both"), DateStyle::kBoth);
  EXPECT_EQ(date_style_from("showa"), std::nullopt);
  EXPECT_EQ(to_string(DateStyle::kEra), "era");
}

}  // namespace
}  // namespace kakehashi
