#include "calendar/official_import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "audit/audit.h"
#include "calendar/official_csv.h"
#include "calendar/store.h"

namespace kakehashi::calendar {

OfficialComparison compare_with_rules(const std::vector<OfficialHoliday>& official) {
  OfficialComparison comparison;
  comparison.rows = official.size();
  std::map<int, std::vector<const OfficialHoliday*>> by_year;
  for (const OfficialHoliday& row : official) by_year[row.date.year()].push_back(&row);
  for (const auto& [year, rows] : by_year) {
    comparison.years.push_back(year);
    auto computed = computed_holidays(year);
    if (!computed) continue;  // rows outside the range never get this far (parse refuses them)
    for (const OfficialHoliday* row : rows) {
      auto rule = std::find_if(computed->begin(), computed->end(),
                               [row](const Holiday& h) { return h.date == row->date; });
      if (rule == computed->end()) {
        comparison.only_official.push_back(*row);
      } else if (rule->name != row->name && !row->name.starts_with("休日")) {
        comparison.renamed.push_back({row->date, row->name, rule->name});
      }
    }
    for (const Holiday& holiday : *computed) {
      bool listed = std::any_of(rows.begin(), rows.end(), [&holiday](const OfficialHoliday* row) {
        return row->date == holiday.date;
      });
      if (!listed) comparison.only_rules.push_back(holiday);
    }
  }
  return comparison;
}

Result<OfficialComparison> import_official_csv(db::Database& database, const std::string& path,
                                               const std::string& actor,
                                               std::optional<std::int64_t> actor_user_id,
                                               std::chrono::sys_seconds now) {
  auto official = read_official_csv(path);
  if (!official) return fail(official.error());
  OfficialComparison comparison = compare_with_rules(*official);
  std::string source = std::filesystem::path(path).filename().string();
  auto stored = database.write([&](db::Transaction& tx) -> Result<void> {
    if (auto replaced = store::replace_official(tx, *official, source, now); !replaced)
      return replaced;
    boost::json::object detail{{"file", source},
                               {"rows", comparison.rows},
                               {"first_year", comparison.years.front()},
                               {"last_year", comparison.years.back()}};
    auto logged = audit::record(tx,
                                {actor_user_id, actor, "calendar.import", "holiday_overrides",
                                 boost::json::serialize(detail)},
                                now);
    if (!logged) return fail(logged.error());
    return {};
  });
  if (!stored) return fail(stored.error());
  return comparison;
}

Result<HolidayCalendar> load_calendar(db::Database& database) {
  auto official =
      database.transact<std::vector<OfficialHoliday>>(db::TxMode::kRead, store::load_official);
  if (!official) return fail(official.error());
  return HolidayCalendar::with_official(std::move(*official));
}

}  // namespace kakehashi::calendar
