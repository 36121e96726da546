// The official list in a real SQLite database: import, replace by year, load, audit.
#include "calendar/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "calendar/official_import.h"
#include "db/migrate.h"
#include "support/result.h"
#include "test_support.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::calendar {
namespace {

using namespace std::chrono;

Date d(const char* iso) { return *Date::parse(iso); }

class OfficialStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::open_sqlite(dir.file("kakehashi.db"), 2);
    ASSERT_OK(opened);
    database = std::move(*opened);
    auto migrated = db::migrate(*database);
    ASSERT_OK(migrated);
  }

  std::vector<OfficialHoliday> stored() {
    auto rows =
        database->transact<std::vector<OfficialHoliday>>(db::TxMode::kRead, store::load_official);
    EXPECT_OK(rows);
    return rows ? *rows : std::vector<OfficialHoliday>{};
  }

  std::string fixture = testing::env("KAKEHASHI_CALENDAR_FIXTURES") + "/syukujitsu_2025_2026.csv";
  sys_seconds now = sys_days{2026y / 11 / 25} + 22h;
  testing::TempDir dir;
  std::unique_ptr<db::Database> database;
};

TEST_F(OfficialStore, ImportStoresEveryRowAndAgreesWithTheRules) {
  auto report = import_official_csv(*database, fixture, "system", std::nullopt, now);
  ASSERT_OK(report);
  EXPECT_EQ(report->years, (std::vector<int>{2025, 2026}));
  EXPECT_EQ(report->rows, 37u);
  EXPECT_TRUE(report->only_official.empty());
  EXPECT_TRUE(report->only_rules.empty());
  EXPECT_TRUE(report->renamed.empty());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 37u);
  EXPECT_EQ(rows.front(), (OfficialHoliday{d("2025-01-01"), "元日"}));

  auto calendar = load_calendar(*database);
  ASSERT_OK(calendar);
  EXPECT_EQ(calendar->official_years(), (std::vector<int>{2025, 2026}));
  EXPECT_EQ(*calendar->holidays(2026),
            testing::ok(computed_holidays(2026)));  // names refined from "休日"
}

TEST_F(OfficialStore, ImportRecordsOneAuditEntryInTheSameTransaction) {
  ASSERT_TRUE(import_official_csv(*database, fixture, "user:7", 7, now));
  auto entry =
      database->transact<std::optional<db::Row>>(db::TxMode::kRead, [](db::Transaction& tx) {
        return tx.query_one(
            "SELECT actor, actor_user_id, action, object, detail, at FROM audit_log");
      });
  ASSERT_TRUE(entry && *entry);
  const db::Row& row = **entry;
  EXPECT_EQ(row.text(0), "user:7");
  EXPECT_EQ(row.integer(1), 7);
  EXPECT_EQ(row.text(2), "calendar.import");
  EXPECT_EQ(row.text(3), "holiday_overrides");
  EXPECT_EQ(row.text(4),
            R"({"file":"syukujitsu_2025_2026.csv","rows":37,"first_year":2025,"last_year":2026})");
  EXPECT_EQ(row.text(5), "2026-11-25T22:00:00Z");
}

TEST_F(OfficialStore, ANewImportReplacesTheYearsItCoversAndKeepsTheOthers) {
  ASSERT_TRUE(import_official_csv(*database, fixture, "system", std::nullopt, now));
  // A 2026-only file in which the observatory moved 秋分日 to 09-24 (and so 09-22 is no 休日).
  std::string csv = "国民の祝日・休日月日,国民の祝日・休日名称\n";
  for (const Holiday& holiday : testing::ok(computed_holidays(2026))) {
    if (holiday.kind == HolidayKind::kCitizens) continue;
    Date date = holiday.name == "秋分の日" ? d("2026-09-24") : holiday.date;
    csv += fmt::format("{},{}\n", date.iso(),
                       holiday.kind == HolidayKind::kNational ? holiday.name : "休日");
  }
  auto report =
      import_official_csv(*database, dir.write("2026.csv", csv), "system", std::nullopt, now);
  ASSERT_OK(report);
  EXPECT_EQ(report->only_official, (std::vector<OfficialHoliday>{{d("2026-09-24"), "秋分の日"}}));
  ASSERT_EQ(report->only_rules.size(), 2u);
  EXPECT_EQ(report->only_rules[0].date, d("2026-09-22"));
  EXPECT_EQ(report->only_rules[1].date, d("2026-09-23"));

  auto rows = stored();
  EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.date.year() == 2025; }),
            19);
  EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.date.year() == 2026; }),
            17);
  auto calendar = load_calendar(*database);
  ASSERT_TRUE(calendar);
  EXPECT_TRUE(*calendar->is_business_day(d("2026-09-22")));
  EXPECT_EQ(*calendar->add_business_days(d("2026-09-18"), 2), d("2026-09-23"));
}

TEST_F(OfficialStore, AnInvalidFileStoresNothing) {
  ASSERT_TRUE(import_official_csv(*database, fixture, "system", std::nullopt, now));
  auto bad = dir.write(
      "bad.csv", "国民の祝日・休日月日,国民の祝日・休日名称\n2027/1/1,元日\n2027/2/30,休日\n");
  auto report = import_official_csv(*database, bad, "system", std::nullopt, now);
  ExpectError(report, ErrorCode::kInvalidArgument, "3 行目: 日付の形式が正しくありません: 2027/2/30（例: 2026-12-25）");
  EXPECT_EQ(stored().size(), 37u);
}

TEST_F(OfficialStore, AnEmptyTableMeansTheRulesAlone) {
  auto calendar = load_calendar(*database);
  ASSERT_TRUE(calendar);
  EXPECT_TRUE(calendar->official_years().empty());
  EXPECT_EQ(*calendar->holidays(2026), testing::ok(computed_holidays(2026)));
}

}  // namespace
}  // namespace kakehashi::calendar
