// The Cabinet Office's official holiday list (内閣府「国民の祝日について」, syukujitsu.csv):
// a header `国民の祝日・休日月日,国民の祝日・休日名称` and one row a day, e.g.
// `2026/9/21,敬老の日`, in Shift_JIS as published (UTF-8, with or without BOM, is accepted too).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/result.h"
#include "calendar/holiday_calendar.h"

namespace kakehashi::calendar {

inline constexpr std::string_view kOfficialDateHeader = "国民の祝日・休日月日";
inline constexpr std::string_view kOfficialNameHeader = "国民の祝日・休日名称";
// The published file is about 70 KB for 1955 onwards; anything far larger is not that file.
inline constexpr size_t kMaxOfficialCsvBytes = 1024 * 1024;

// Checks and converts parsed CSV rows: the header, then per row a date (YYYY/M/D or
// YYYY-MM-DD, full-width digits accepted) inside the supported range and a non-empty name;
// no date twice; every year present must be whole (hold its 元日 and 勤労感謝の日, the first
// and last holiday of every year since 1949), since the list replaces the rules for that year.
// Errors name the line: "3 行目: 日付の形式が正しくありません: …".
[[nodiscard]] Result<std::vector<OfficialHoliday>> parse_official_csv(
    const std::vector<csv::Row>& rows);

// Reads the file (Shift_JIS or UTF-8) and parses it as above. Fails with kNotFound when the file
// does not exist, kUnavailable when it cannot be read, kInvalidArgument when it is larger than
// kMaxOfficialCsvBytes or malformed.
[[nodiscard]] Result<std::vector<OfficialHoliday>> read_official_csv(const std::string& path);

}  // namespace kakehashi::calendar
