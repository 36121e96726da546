#include "calendar/official_csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/text.h"
#include "support/result.h"
#include "test_support.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::calendar {
namespace {

Date d(const char* iso) { return *Date::parse(iso); }

constexpr const char* kHeader = "国民の祝日・休日月日,国民の祝日・休日名称\r\n";

// A whole year as the Cabinet Office lists it, so completeness checks pass.
std::string year_2026_rows() {
  std::string rows;
  for (const Holiday& holiday : testing::ok(computed_holidays(2026))) {
    rows += fmt::format("{}/{}/{},{}\r\n", holiday.date.year(), holiday.date.month(),
                        holiday.date.day(),
                        holiday.kind == HolidayKind::kNational ? holiday.name : "休日");
  }
  return rows;
}

Result<std::vector<OfficialHoliday>> parse_text(const std::string& text) {
  auto rows = csv::parse(text);
  if (!rows) return fail(rows.error());
  return parse_official_csv(*rows);
}

TEST(OfficialCsv, ReadsThePublishedShiftJisFile) {
  auto holidays =
      read_official_csv(testing::env("KAKEHASHI_CALENDAR_FIXTURES") + "/syukujitsu_2025_2026.csv");
  ASSERT_OK(holidays);
  ASSERT_EQ(holidays->size(), 37u);
  EXPECT_EQ(holidays->front(), (OfficialHoliday{d("2025-01-01"), "元日"}));
  EXPECT_EQ((*holidays)[4], (OfficialHoliday{d("2025-02-24"), "休日"}));
  EXPECT_EQ(holidays->back(), (OfficialHoliday{d("2026-11-23"), "勤労感謝の日"}));
}

TEST(OfficialCsv, ReadsUtf8WithBomAndIsoDatesAndFullWidthDigits) {
  testing::TempDir dir;
  std::string rows = year_2026_rows();
  rows.replace(rows.find("2026/1/1"), 8, "２０２６/１/１");
  rows.replace(rows.find("2026/1/12"), 9, "2026-01-12");
  auto path = dir.write("utf8.csv", "\xEF\xBB\xBF" + std::string(kHeader) + rows);
  auto holidays = read_official_csv(path);
  ASSERT_OK(holidays);
  EXPECT_EQ(holidays->size(), 18u);
  EXPECT_EQ(holidays->front(), (OfficialHoliday{d("2026-01-01"), "元日"}));
  EXPECT_EQ((*holidays)[1].date, d("2026-01-12"));
}

TEST(OfficialCsv, AcceptsTrailingEmptyColumnsAndSortsByDate) {
  std::string rows = year_2026_rows();
  auto holidays = parse_text(std::string(kHeader) + "2026/11/23,勤労感謝の日,,\r\n" +
                             rows.substr(0, rows.rfind("2026/11/23")));
  ASSERT_OK(holidays);
  EXPECT_EQ(holidays->back().date, d("2026-11-23"));
}

TEST(OfficialCsv, RefusesAnotherHeader) {
  ExpectError(parse_text("日付,名称\r\n2026/1/1,元日\r\n"), ErrorCode::kInvalidArgument,
              "1 行目: 内閣府の祝日 CSV の見出しではありません（期待: "
              "国民の祝日・休日月日,国民の祝日・休日名称）");
  ExpectError(parse_text(""), ErrorCode::kInvalidArgument, "祝日 CSV が空です");
  ExpectError(parse_text(kHeader), ErrorCode::kInvalidArgument, "祝日 CSV に祝日の行がありません");
}

TEST(OfficialCsv, RefusesBadRowsNamingTheLine) {
  ExpectError(parse_text(std::string(kHeader) + "2026/1/1,元日\r\n2026/13/1,休日\r\n"), ErrorCode::kInvalidArgument,
              "3 行目: 日付の形式が正しくありません: 2026/13/1（例: 2026-12-25）");
  ExpectError(parse_text(std::string(kHeader) + "2026/1/1\r\n"), ErrorCode::kInvalidArgument,
              "2 行目: 列の数が正しくありません（日付,名称 の 2 列）");
  ExpectError(parse_text(std::string(kHeader) + "2026/1/1,元日,何か\r\n"), ErrorCode::kInvalidArgument,
              "2 行目: 列の数が正しくありません（日付,名称 の 2 列）");
  ExpectError(parse_text(std::string(kHeader) + "2026/1/1,　\r\n"), ErrorCode::kInvalidArgument,
              "2 行目: 名称が空です: 2026-01-01");
  ExpectError(parse_text(std::string(kHeader) + "1900/1/1,元日\r\n"), ErrorCode::kInvalidArgument,
              "2 行目: 対応している日付は 1948-07-20 から 2099-12-31 までです: 1900-01-01");
  ExpectError(parse_text(std::string(kHeader) + "2026/1/1,元日\r\n2026/1/1,休日\r\n"), ErrorCode::kInvalidArgument,
              "3 行目: 日付が重複しています: 2026-01-01（2 行目と同じ）");
}

TEST(OfficialCsv, RefusesAYearCutShort) {
  std::string rows = year_2026_rows();
  std::string without_new_year = rows.substr(rows.find("\r\n") + 2);
  ExpectError(parse_text(std::string(kHeader) + without_new_year), ErrorCode::kInvalidArgument,
              "2026 年の祝日が一部しかありません（元日 1月1日がありません）。年の途中で切れた CSV "
              "は取り込めません");
  std::string cut_at_november = rows.substr(0, rows.rfind("2026/11/23"));
  ExpectError(parse_text(std::string(kHeader) + cut_at_november), ErrorCode::kInvalidArgument,
              "2026 年の祝日が一部しかありません（勤労感謝の日 "
              "11月23日がありません）。年の途中で切れた CSV は取り込めません");
}

TEST(OfficialCsv, FileErrors) {
  testing::TempDir dir;
  auto missing = read_official_csv(dir.file("none.csv"));
  ExpectError(missing, ErrorCode::kNotFound, "ファイルが見つかりません: " + dir.file("none.csv"));
  auto big = dir.write("big.csv", std::string(kMaxOfficialCsvBytes + 1, 'a'));
  ExpectError(read_official_csv(big), ErrorCode::kInvalidArgument, "祝日 CSV が大きすぎます（上限 1024 KB）: " + big);
  auto binary = dir.write("binary.csv", std::string("\x81\x20\xff\xfe", 4));
  ExpectErrorCode(read_official_csv(binary), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace kakehashi::calendar
