// Persistence of the official holiday list (table holiday_overrides); SQL only.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "calendar/holiday_calendar.h"
#include "db/database.h"

namespace kakehashi::calendar::store {

// Replaces, inside `tx` (a write transaction), the stored rows of every year `holidays` has a
// row in with those rows; rows of other years stay. `source` names the imported file.
[[nodiscard]] Result<void> replace_official(db::Transaction& tx,
                                            const std::vector<OfficialHoliday>& holidays,
                                            std::string_view source, std::chrono::sys_seconds now);

// Every stored row, sorted by date. A stored date that is no longer valid is an internal error.
[[nodiscard]] Result<std::vector<OfficialHoliday>> load_official(db::Transaction& tx);

}  // namespace kakehashi::calendar::store
