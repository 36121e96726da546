// Importing the Cabinet Office's holiday CSV into the database, and reading it back as a
// HolidayCalendar: the service the CLI (`kakehashi calendar import`) and the web screens call.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendar/holiday_calendar.h"
#include "db/database.h"

namespace kakehashi::calendar {

// A day whose name in the official list differs from the rules' (generic "休日…" names aside).
struct NameDifference {
  Date date;
  std::string official_name;
  std::string rule_name;
};

// How an official list compares with the rules over the years it covers.
struct OfficialComparison {
  std::vector<int> years;  // covered years, ascending
  size_t rows = 0;
  std::vector<OfficialHoliday> only_official;  // official days the rules do not produce
  std::vector<Holiday> only_rules;             // rule days missing from the official list
  std::vector<NameDifference> renamed;
};

// Compares `official` (rows inside the supported range) with the rules, year by year.
OfficialComparison compare_with_rules(const std::vector<OfficialHoliday>& official);

// Reads the CSV at `path` (see read_official_csv), then in one write transaction replaces the
// stored rows of the years it covers and records the audit entry "calendar.import" by `actor`.
// Nothing is stored when the file is invalid. Returns the comparison with the rules.
[[nodiscard]] Result<OfficialComparison> import_official_csv(
    db::Database& database, const std::string& path, const std::string& actor,
    std::optional<std::int64_t> actor_user_id, std::chrono::sys_seconds now);

// The calendar with the stored official list applied (rules only when none is stored).
[[nodiscard]] Result<HolidayCalendar> load_calendar(db::Database& database);

}  // namespace kakehashi::calendar
