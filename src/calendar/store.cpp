#include "calendar/store.h"

#include "base/date.h"

#include <fmt/format.h>

#include <set>

namespace kakehashi::calendar::store {

Result<void> replace_official(db::Transaction& tx, const std::vector<OfficialHoliday>& holidays,
                              std::string_view source, std::chrono::sys_seconds now) {
  std::set<int> years;
  for (const OfficialHoliday& holiday : holidays) years.insert(holiday.date.year());
  for (int year : years) {
    auto removed = tx.exec("DELETE FROM holiday_overrides WHERE year = ?", {std::int64_t{year}});
    if (!removed) return removed;
  }
  std::string imported_at = iso_utc(now);
  for (const OfficialHoliday& holiday : holidays) {
    auto inserted = tx.exec(
        "INSERT INTO holiday_overrides (date, year, name, source, imported_at) VALUES (?, ?, ?, ?, "
        "?)",
        {holiday.date.iso(), std::int64_t{holiday.date.year()}, holiday.name, std::string(source),
         imported_at});
    if (!inserted) return inserted;
  }
  return {};
}

Result<std::vector<OfficialHoliday>> load_official(db::Transaction& tx) {
  auto rows = tx.query("SELECT date, name FROM holiday_overrides ORDER BY date");
  if (!rows) return fail(rows.error());
  std::vector<OfficialHoliday> holidays;
  holidays.reserve(rows->size());
  for (const db::Row& row : *rows) {
    auto date = Date::parse(row.text(0));
    if (!date) {
      return fail(Error::internal(
          fmt::format("holiday_overrides に不正な日付があります: {}", row.text(0))));
    }
    holidays.push_back({*date, row.text(1)});
  }
  return holidays;
}

}  // namespace kakehashi::calendar::store
