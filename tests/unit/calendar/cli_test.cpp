// `kakehashi calendar …` end to end: the issue's "Done when" lines and the import round trip.
#include <gtest/gtest.h>

#include "test_support.h"

namespace kakehashi::calendar {
namespace {

using testing::run_cli;

TEST(CalendarCli, DeadlineCountsBusinessDaysAfterTheStartDay) {
  auto result = run_cli("calendar deadline 2026-12-25 --business-days 3");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "2027-01-05\n");
  result = run_cli("calendar deadline 2027-01-08 --business-days 3");
  EXPECT_EQ(result.out, "2027-01-14\n");
  result = run_cli("calendar deadline 2027-01-14 --business-days -3");
  EXPECT_EQ(result.out, "2027-01-08\n");
}

TEST(CalendarCli, HolidaysAsCsvAndJson) {
  auto result = run_cli("calendar holidays 2026 --format csv");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(
      result.out,
      "2026-01-01,元日\n2026-01-12,成人の日\n2026-02-11,建国記念の日\n2026-02-23,天皇誕生日\n"
      "2026-03-20,春分の日\n2026-04-29,昭和の日\n2026-05-03,憲法記念日\n2026-05-04,みどりの日\n"
      "2026-05-05,こどもの日\n2026-05-06,振替休日\n2026-07-20,海の日\n2026-08-11,山の日\n"
      "2026-09-21,敬老の日\n2026-09-22,国民の休日\n2026-09-23,秋分の日\n2026-10-12,スポーツの日\n"
      "2026-11-03,文化の日\n2026-11-23,勤労感謝の日\n");
  EXPECT_EQ(run_cli("calendar holidays 2026").out, result.out);  // csv is the default
  result = run_cli("calendar holidays 1948 --format json");
  EXPECT_EQ(result.out,
            R"([{"date":"1948-09-23","name":"秋分の日"},{"date":"1948-11-03","name":"文化の日"},)"
            R"({"date":"1948-11-23","name":"勤労感謝の日"}])"
            "\n");
}

// One call of the CLI and everything it must print.
struct Case {
  const char* arguments;
  int exit_code;
  const char* out;
  const char* err;
};

// is-business-day prints yes or no and exits 0; a year or date outside the range, or malformed
// input, fails with exit 2 and one line naming the problem (and the supported range).
TEST(CalendarCli, AnswersAndErrors) {
  const Case cases[] = {
      {"calendar is-business-day 2026-09-22", 0, "no\n", ""},
      {"calendar is-business-day 2026-09-24", 0, "yes\n", ""},
      {"calendar is-business-day 2026-12-29", 0, "no\n", ""},
      {"calendar holidays 1900", 2, "",
       "kakehashi: 対応している年は 1948 年から 2099 年までです: 1900\n"},
      {"calendar deadline 2100-01-04 --business-days 1", 2, "",
       "kakehashi: 対応している日付は 1948-07-20 から 2099-12-31 までです: 2100-01-04\n"},
      {"calendar is-business-day 1948-07-19", 2, "",
       "kakehashi: 対応している日付は 1948-07-20 から 2099-12-31 までです: 1948-07-19\n"},
      {"calendar deadline 2099-12-30 --business-days 5", 2, "",
       "kakehashi: 2099-12-30 から 5 営業日後は対応している範囲（1948-07-20 から 2099-12-31 "
       "まで）の外です\n"},
      {"calendar is-business-day 2026-13-01", 2, "",
       "kakehashi: 日付の形式が正しくありません: 2026-13-01（例: 2026-12-25）\n"},
      {"calendar holidays 二〇二六", 2, "",
       "kakehashi: 年の形式が正しくありません: 二〇二六（例: 2026）\n"},
      {"calendar holidays 2026 --format xml", 2, "",
       "kakehashi: 出力形式は csv か json です: xml\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arguments);
    auto result = run_cli(c.arguments);
    EXPECT_EQ(result.exit_code, c.exit_code);
    EXPECT_EQ(result.out, c.out);
    EXPECT_EQ(result.err, c.err);
  }
  // CLI11 refuses a missing required option before our code runs; only the exit code is ours.
  EXPECT_EQ(run_cli("calendar deadline 2026-12-25").exit_code, 2);
}

TEST(CalendarCli, AMissingDatabaseMeansTheRulesAlone) {
  testing::TempDir dir;
  std::string db = dir.file("absent/kakehashi.db");
  auto result = run_cli("--db '" + db + "' calendar deadline 2026-12-25 --business-days 3");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "2027-01-05\n");
  EXPECT_FALSE(std::filesystem::exists(db));  // reading never creates a database
}

TEST(CalendarCli, ImportedOfficialListOverridesTheRulesForItsYears) {
  testing::TempDir dir;
  std::string db = " --db '" + dir.file("kakehashi.db") + "' ";
  auto result = run_cli("calendar import '" + testing::env("KAKEHASHI_CALENDAR_FIXTURES") +
                        "/syukujitsu_2025_2026.csv'" + db);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "祝日 CSV を取り込みました: 2025 年〜2026 年、37 日\n法律の規則による計算と一致しています\n");

  // 2027 as if 秋分日 had been announced for 09-24: the official list wins for 2027.
  std::string csv = "国民の祝日・休日月日,国民の祝日・休日名称\n";
  for (const char* row :
       {"2027/1/1,元日", "2027/1/11,成人の日", "2027/2/11,建国記念の日", "2027/2/23,天皇誕生日",
        "2027/3/21,春分の日", "2027/3/22,休日", "2027/4/29,昭和の日", "2027/5/3,憲法記念日",
        "2027/5/4,みどりの日", "2027/5/5,こどもの日", "2027/7/19,海の日", "2027/8/11,山の日",
        "2027/9/20,敬老の日", "2027/9/24,秋分の日", "2027/10/11,スポーツの日", "2027/11/3,文化の日",
        "2027/11/23,勤労感謝の日"}) {
    csv += std::string(row) + "\n";
  }
  result = run_cli("calendar import '" + dir.write("2027.csv", csv) + "'" + db);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "祝日 CSV を取り込みました: 2027 年、17 日\n"
            "法律の規則による計算との違い（取り込んだ一覧が優先されます）:\n"
            "  + 2027-09-24 秋分の日（規則による計算にない）\n"
            "  - 2027-09-23 秋分の日（公式の一覧にない）\n");
  EXPECT_EQ(run_cli("calendar is-business-day 2027-09-23" + db).out, "yes\n");
  EXPECT_EQ(run_cli("calendar is-business-day 2027-09-24" + db).out, "no\n");
  EXPECT_EQ(run_cli("calendar is-business-day 2027-09-23").out, "no\n");  // without the database
  result = run_cli("calendar holidays 2027" + db);
  EXPECT_NE(result.out.find("2027-03-22,振替休日\n"), std::string::npos);
  EXPECT_NE(result.out.find("2027-09-24,秋分の日\n"), std::string::npos);
  EXPECT_EQ(result.out.find("2027-09-23"), std::string::npos);
  EXPECT_EQ(run_cli("calendar holidays 2026" + db).out, run_cli("calendar holidays 2026").out);
}

TEST(CalendarCli, ImportErrors) {
  testing::TempDir dir;
  std::string db = " --db '" + dir.file("kakehashi.db") + "'";
  auto result = run_cli("calendar import '" + dir.file("none.csv") + "'" + db);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "kakehashi: ファイルが見つかりません: " + dir.file("none.csv") + "\n");
  result = run_cli("calendar import '" + dir.write("x.csv", "a,b\n") + "'" + db);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "kakehashi: 1 行目: 内閣府の祝日 CSV の見出しではありません（期待: "
            "国民の祝日・休日月日,国民の祝日・休日名称）\n");
}

}  // namespace
}  // namespace kakehashi::calendar
